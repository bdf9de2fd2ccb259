package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/ssda903"
	"familyhubs/stats"
)

func cmdSSDA903(ctx context.Context, args []string) error {
	fs := newFlags("ssda903")
	db := fs.String("db", "", "warehouse file (default: the embedded demo warehouse)")
	council := fs.String("council", "stockport", "council: ONS code or slug, for the published figure")
	year := fs.Int("year", 0, "the 31 March to count (default: every year the episodes cover)")
	fs.Usage = usageFor(fs, "hubs ssda903 --council C [--year 2025] HEADER.csv EPISODES.csv",
		"Read a children looked after return (SSDA903 header and episodes tables), count children looked\n"+
			"after at 31 March as DfE does (open episodes, each child once, short breaks V3/V4 left out), and\n"+
			"compare with DfE's published figure for the council. Every fault in the files is reported with\n"+
			"its file, line and column.")
	var files []string
	rest := args
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(files) != 2 {
		fs.Usage()
		return fmt.Errorf("give the header and the episodes files")
	}
	h, err := os.Open(files[0])
	if err != nil {
		return err
	}
	defer h.Close()
	children, err := ssda903.ReadHeader(h, files[0])
	if err != nil {
		return err
	}
	e, err := os.Open(files[1])
	if err != nil {
		return err
	}
	defer e.Close()
	episodes, err := ssda903.ReadEpisodes(e, files[1], children)
	if err != nil {
		return err
	}
	w, c, err := openCouncil(ctx, *db, *council)
	if err != nil {
		return err
	}
	defer w.Close()
	published, err := measures.Run(ctx, w, "care_at_31_march", queries.Args{"council": c.Code}, stats.Exact)
	if err != nil {
		return err
	}
	years := ssda903.Years(episodes)
	if *year != 0 {
		years = []int{*year}
	}
	fmt.Fprintf(stdout, "%s: %d children, %d episodes read from %s and %s (OFFICIAL-SENSITIVE)\n", c.Name, len(children), len(episodes), files[0], files[1])
	for _, y := range years {
		n := ssda903.LookedAfterAt(episodes, time.Date(y, 3, 31, 0, 0, 0, 0, time.UTC))
		pub := ""
		for _, row := range published.Rows {
			if queries.Text(row[published.Col("measure")]) == "looked_after" && queries.Text(row[published.Col("series")]) == "council" &&
				queries.Text(row[published.Col("year")]) == fmt.Sprint(y) {
				if p, ok := measures.Number(row[published.Col("number")]); ok {
					pub = ssda903.Reconcile(y, n, int(p)).Verdict + fmt.Sprintf(" (published %d)", int(p))
				} else {
					pub = "no published figure (" + queries.Text(row[published.Col("number_symbol")]) + ")"
				}
			}
		}
		if pub == "" {
			pub = "no published figure for this year"
		}
		fmt.Fprintf(stdout, "31 March %d: %d looked after; %s\n", y, n, pub)
	}
	return nil
}
