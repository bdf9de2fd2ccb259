package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"familyhubs/answers"
	"familyhubs/briefings"
)

func cmdBrief(ctx context.Context, args []string) error {
	fs := newFlags("brief")
	db := fs.String("db", "", "warehouse file (default: the embedded demo warehouse)")
	council := fs.String("council", "stockport", "council: ONS code or slug")
	period := fs.String("period", "", "financial year 2024-25, quarter 2024-25Q1, month or FROM..TO (default: the latest complete financial year)")
	locality := fs.String("locality", "", "restrict service figures to one locality")
	out := fs.String("o", "", "write the PDF to this file")
	date := fs.String("date", "", "production date printed and stored in the PDF, YYYY-MM-DD (default today); fixing it makes the PDF byte-identical for the same warehouse")
	fs.Usage = usageFor(fs, "hubs brief --council C --period P -o FILE.pdf [--date YYYY-MM-DD]",
		"Write the cabinet briefing: an A4 PDF with key messages, headline figures, the plan's red / amber /\n"+
			"green, charts and a methods page, from the same named questions as the dashboards. Counts of 1\n"+
			"to 5 are suppressed (DfE policy).")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return fmt.Errorf("-o FILE.pdf is required")
	}
	var when time.Time
	if *date != "" {
		d, err := time.Parse(time.DateOnly, *date)
		if err != nil {
			return fmt.Errorf("--date %q: want YYYY-MM-DD", *date)
		}
		when = d
	}
	w, err := openWarehouse(ctx, *db)
	if err != nil {
		return err
	}
	defer w.Close()
	f, err := filters(ctx, w, *council, *period)
	if err != nil {
		return err
	}
	f.Locality = *locality
	pdf, err := briefings.Bytes(ctx, answers.New(w, w.Version, w.DataEnd), briefings.Request{Filters: f, Date: when})
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, pdf, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d bytes): %s, %s\n", *out, len(pdf), f.Council.Name, f.Period.Label)
	return nil
}
