package main

import (
	"context"
	"errors"
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
	out := fs.String("o", "", "write the briefing to this file")
	date := fs.String("date", "", "production date printed and stored in the briefing, YYYY-MM-DD (default today); fixing it makes the untagged PDF and the HTML byte-identical for the same warehouse")
	html := fs.Bool("html", false, "write the HTML briefing: one standalone page (GOV.UK styles inlined, no script, nothing fetched) to publish as it is")
	tagged := fs.Bool("tagged", false, "write the tagged PDF (the HTML briefing printed by headless Chromium) or fail; without this flag a PDF is tagged when Chromium is installed")
	untagged := fs.Bool("untagged", false, "write the untagged PDF (fpdf) even where Chromium is installed: offline and byte-reproducible, but not for publishing")
	fs.Usage = usageFor(fs, "hubs brief --council C --period P -o FILE.pdf|FILE.html [--html | --tagged | --untagged] [--date YYYY-MM-DD]",
		"Write the cabinet briefing: key messages, headline figures, the plan's red / amber / green,\n"+
			"charts and methods, from the same named questions as the dashboards. Counts of 1 to 5 are\n"+
			"suppressed (DfE policy).\n\n"+
			"The accessible briefing is the HTML page (--html) or the tagged PDF printed from it by\n"+
			"headless Chromium (the default where Chromium is installed; --tagged insists on it). Without\n"+
			"Chromium, or with --untagged, the PDF is drawn by fpdf: untagged, labelled so on its cover\n"+
			"and in its metadata, and not fit to publish on a council website.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return fmt.Errorf("-o FILE is required")
	}
	n := 0
	for _, b := range []bool{*html, *tagged, *untagged} {
		if b {
			n++
		}
	}
	if n > 1 {
		return fmt.Errorf("give one of --html, --tagged and --untagged")
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
	a := answers.New(w, w.Version, w.DataEnd)
	req := briefings.Request{Filters: f, Date: when}
	var body []byte
	kind := ""
	switch {
	case *html:
		body, err = briefings.HTMLBytes(ctx, a, req)
		kind = "HTML briefing"
	case *untagged:
		body, err = briefings.Bytes(ctx, a, req)
		kind = "untagged PDF (fpdf): not for publishing; use --html or --tagged"
	default:
		body, err = briefings.TaggedBytes(ctx, a, req)
		kind = "tagged PDF (Chromium)"
		if errors.Is(err, briefings.ErrNoChromium) && !*tagged {
			body, err = briefings.Bytes(ctx, a, req)
			kind = "untagged PDF (fpdf), as Chromium is not installed: not for publishing; use --html, or install Chromium for the tagged PDF"
		}
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, body, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d bytes): %s, %s: %s\n", *out, len(body), f.Council.Name, f.Period.Label, kind)
	return nil
}
