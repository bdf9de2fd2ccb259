package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"familyhubs/cin"
	"familyhubs/demo"
	"familyhubs/load"
	"familyhubs/postcodes"
	"familyhubs/queries"
	"familyhubs/ssd"
	"familyhubs/warehouse"
)

func cmdExportDemo(ctx context.Context, args []string) error {
	fs := newFlags("export-demo")
	db := fs.String("db", "", "warehouse file (default: the embedded demo warehouse)")
	mapped := fs.Bool("mapped", false, "write families, people and contacts as a case system's export (its file names, columns, DD/MM/YYYY dates and codes) with the mapping.toml that loads them (hubs load --mapping)")
	standard := fs.Bool("standard", false, "write the records as a council's systems hold them: home postcodes in place of LSOA codes; each council's children looked after as an SSDA903 return (ssda903-SLUG/), its children in need as CIN census files (cin-SLUG/), and all as a Standard Safeguarding Dataset extract (ssd-SLUG/); load them back with hubs load --postcodes demo")
	fs.Usage = usageFor(fs, "hubs export-demo [--mapped | --standard] DIR",
		"Write the warehouse's service records and network files (localities, sites, families, people,\n"+
			"contacts, plan) as the CSV files hubs load reads: an example folder of the documented formats.\n"+
			"The people and contacts files are personal-level: OFFICIAL-SENSITIVE for a council's real data.\n"+
			"Each file is written readable by you alone (0600), in a folder made 0700 if it is new.")
	dir, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	if dir == "" {
		fs.Usage()
		return fmt.Errorf("name a folder")
	}
	w, err := openWarehouse(ctx, *db)
	if err != nil {
		return err
	}
	defer w.Close()
	if *standard {
		l, err := load.DemoPostcodes(ctx)
		if err != nil {
			return err
		}
		if err := load.ExportStandard(ctx, w, dir, l); err != nil {
			return err
		}
		if _, err := cin.ExportDemo(ctx, w, dir, l); err != nil {
			return err
		}
		if _, err := ssd.ExportDemo(ctx, w, dir, l); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote to %s, SYNTHETIC and readable by you alone (personal-level records), as a council's systems hold them:\n"+
			"  the load files with home postcodes: hubs load --postcodes demo %s\n"+
			"  each council's SSDA903 return (ssda903-SLUG/): hubs ssda903, or hubs load-care --council SLUG --postcodes demo\n"+
			"  each council's Children in Need census, a file a year (cin-SLUG/): hubs cin\n"+
			"  each council's Standard Safeguarding Dataset extract (ssd-SLUG/): hubs ssd\n", dir, dir)
		return nil
	}
	if *mapped {
		m, err := load.ExportMapped(ctx, w, dir)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote the records to %s as a case system's export, and the mapping that loads them: hubs load --mapping %s %s (readable by you alone: personal-level records)\n", dir, m, dir)
		return nil
	}
	if err := load.Export(ctx, w, dir); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote the load files to %s (readable by you alone: personal-level records)\n", dir)
	return nil
}

func cmdLoad(ctx context.Context, args []string) error {
	fs := newFlags("load")
	db := fs.String("db", "", "the warehouse file to load into (created from the demo warehouse if it does not exist, 0600)")
	wait := fs.Bool("wait", false, "if another load of FILE is running, wait for it to finish instead of refusing at once")
	postcodeFile := fs.String("postcodes", "", "ONS's postcode look-up (NSPL or ONSPD CSV with pcds and lsoa21cd), to place files that give postcodes instead of LSOA codes; demo for the five demo councils' derived look-up")
	mappingFile := fs.String("mapping", "", "a mapping file (TOML) naming the council's own files, columns, date format and codes: they are rewritten in the load formats first (see the README)")
	period := fs.String("period", "", "load one period only (a quarter such as 2026-27Q1, a month 2026-05, or a financial year): the named councils' contacts within it are replaced and all others kept; families and people in the files are added or replaced, the rest kept")
	allowEmpty := fs.Bool("allow-empty", false, "let the load erase a council's contacts: replace them with none when contacts.csv has none for it")
	fs.Usage = usageFor(fs, "hubs load --db FILE DIR",
		"Check and load a council's own records from the CSV files in DIR (see hubs export-demo for the\n"+
			"formats): problems are reported by file and kind, with how many of each and the first few by\n"+
			"file, line and column, and nothing is loaded unless all is well. The load replaces the named\n"+
			"councils' records and keeps the reference data. It is all or nothing: a failed or interrupted\n"+
			"load leaves FILE exactly as it was (same permissions and owner after a load). One load at a\n"+
			"time: FILE.lock names the process holding it. A load that would leave a council with no\n"+
			"contacts is refused unless --allow-empty is given. With --mapping FILE, the council's own export\n"+
			"(its file names, columns, date format and codes, as FILE says) is read instead of the formats.")
	dir, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	if dir == "" || *db == "" {
		fs.Usage()
		return fmt.Errorf("give --db FILE and the folder to load")
	}
	demo, err := demo.Open(ctx)
	if err != nil {
		return err
	}
	base := demo.Path
	demo.Close()
	st, _ := os.Stdout.Stat()
	terminal := st != nil && st.Mode()&os.ModeCharDevice != 0
	opts := load.Options{Progress: stdout, Terminal: terminal, Wait: *wait, AllowEmpty: *allowEmpty}
	if *period != "" {
		p, err := queries.ParsePeriod(*period)
		if err != nil {
			return err
		}
		opts.Span = &warehouse.Span{Start: p.Start, End: p.End}
	}
	if *mappingFile != "" {
		if opts.Mapping, err = load.ReadMapping(*mappingFile); err != nil {
			return err
		}
	}
	if *postcodeFile == "demo" {
		if opts.Postcodes, err = load.DemoPostcodes(ctx); err != nil {
			return err
		}
	} else if *postcodeFile != "" {
		f, err := os.Open(*postcodeFile)
		if err != nil {
			return err
		}
		opts.Postcodes, err = postcodes.Read(bufio.NewReaderSize(f, 1<<20), filepath.Base(*postcodeFile), false)
		f.Close()
		if err != nil {
			return err
		}
	}
	sum, err := load.Folder(ctx, *db, base, dir, opts)
	if err != nil {
		return err
	}
	if sum.Mapping != nil {
		fmt.Fprintln(stdout, sum.Mapping.String())
	}
	for _, r := range sum.Postcodes {
		fmt.Fprintln(stdout, r.String())
	}
	for _, w := range sum.Warnings {
		fmt.Fprintln(stderr, "hubs: warning:", w)
	}
	tables := make([]string, 0, len(sum.Rows))
	for t := range sum.Rows {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	fmt.Fprintf(stdout, "loaded %s into %s in %.1fs (data version %s):", dir, *db, sum.Took.Seconds(), sum.Version)
	for _, t := range tables {
		fmt.Fprintf(stdout, " %s %d", t, sum.Rows[t])
	}
	fmt.Fprintf(stdout, "; councils %v\n", sum.Councils)
	rows := sum.Total()
	how := "read and checked by DuckDB"
	if !sum.Bulk {
		how = "read and checked line by line"
	}
	if opts.Span == nil {
		fmt.Fprintf(stdout, "%s in %.1fs (%.0f rows/s); then replaced the councils' records and rebuilt their rollups\n",
			how, sum.Checked.Seconds(), float64(rows)/sum.Checked.Seconds())
		return nil
	}
	fmt.Fprintf(stdout, "%s in %.1fs (%.0f rows/s); then replaced the councils' contacts from %s to %s, kept the rest, and rebuilt the summaries of the periods it overlaps\n",
		how, sum.Checked.Seconds(), float64(rows)/sum.Checked.Seconds(), opts.Span.Start.Format(time.DateOnly), opts.Span.End.Format(time.DateOnly))
	if len(sum.RebuiltWhole) > 0 {
		fmt.Fprintf(stdout, "a family moved home (its earlier contacts moved with it), so every period was rebuilt for %v\n", sum.RebuiltWhole)
	}
	return nil
}
