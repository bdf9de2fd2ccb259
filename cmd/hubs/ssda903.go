package main

import (
	"context"
	"fmt"
	"os"
	"strings"

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
	first := fs.Int("findings", 3, "how many of each kind of data-quality finding to list (all are counted)")
	fs.Usage = usageFor(fs, "hubs ssda903 --council C [--year 2025] HEADER.csv EPISODES.csv | RETURN.xml",
		"Read a children looked after return (SSDA903: the header and episodes tables as CSV, or the whole\n"+
			"return as DfE's XML), count children looked after at every 31 March it covers as DfE does (open\n"+
			"episodes, each child once, short breaks V3/V4 and anyone aged 18 or over left out), and compare\n"+
			"each with DfE's published figure for the council. Data-quality findings are warnings, grouped by\n"+
			"DfE's validation rule with file, line (or XML element), column number and name; counting goes on.\n"+
			"Only a file that cannot be read stops it.")
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
	var ret *ssda903.Return
	switch {
	case len(files) == 1 && strings.HasSuffix(strings.ToLower(files[0]), ".xml"):
		f, err := os.Open(files[0])
		if err != nil {
			return err
		}
		defer f.Close()
		if ret, err = ssda903.ReadXML(f, files[0]); err != nil {
			return err
		}
	case len(files) == 2:
		h, err := os.Open(files[0])
		if err != nil {
			return err
		}
		defer h.Close()
		e, err := os.Open(files[1])
		if err != nil {
			return err
		}
		defer e.Close()
		if ret, err = ssda903.ReadCSV(h, files[0], e, files[1]); err != nil {
			return err
		}
	default:
		fs.Usage()
		return fmt.Errorf("give the header and the episodes CSV files, or one XML return")
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
	years := ssda903.Years(ret.Episodes)
	if *year != 0 {
		years = []int{*year}
	}
	fmt.Fprintf(stdout, "%s: %d children, %d episodes read from %s (OFFICIAL-SENSITIVE)\n", c.Name, len(ret.Children), len(ret.Episodes)+ret.Skipped, strings.Join(files, " and "))
	if len(ret.Findings) > 0 {
		fmt.Fprintf(stdout, "%d data-quality finding(s), as warnings; %d episode(s) could not be counted (their dates cannot be placed):\n", len(ret.Findings), ret.Skipped)
		for _, line := range ssda903.Summary(ret.Findings, *first) {
			fmt.Fprintln(stdout, "  "+line)
		}
	}
	for _, y := range years {
		count := ret.CountAt(y)
		n := count.LookedAfter
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
		if len(count.Aged18) > 0 {
			fmt.Fprintf(stdout, "  %d child(ren) left out as 18 or over with an episode still open (care ends at 18): %s\n", len(count.Aged18), strings.Join(first10(count.Aged18), ", "))
		}
	}
	return nil
}

func first10(ids []string) []string {
	if len(ids) > 10 {
		return append(ids[:10:10], fmt.Sprintf("and %d more", len(ids)-10))
	}
	return ids
}
