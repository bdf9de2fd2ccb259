package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"familyhubs/carerecords"
	"familyhubs/demo"
	"familyhubs/load"
	"familyhubs/postcodes"
	"familyhubs/queries"
)

func cmdLoadCare(ctx context.Context, args []string) error {
	fs := newFlags("load-care")
	db := fs.String("db", "", "the warehouse file to load into (created from the demo warehouse if it does not exist, 0600)")
	council := fs.String("council", "", "the council whose records these are: ONS code or slug")
	postcodeFile := fs.String("postcodes", "", "ONS's postcode look-up (NSPL or ONSPD CSV with pcds and lsoa21cd); demo for the five demo councils' derived look-up")
	wait := fs.Bool("wait", false, "if another load of FILE is running, wait for it to finish instead of refusing at once")
	first := fs.Int("findings", 3, "how many of each kind of data-quality finding to list (all are counted)")
	fs.Usage = usageFor(fs, "hubs load-care --db FILE --council C [--postcodes FILE|demo] [HEADER.csv EPISODES.csv | RETURN.xml | SSD_DIR] [CENSUS.xml ...] [KEYS.csv]",
		"Count a council's own children's social care records at every 31 March they cover (an SSDA903\n"+
			"return: looked after; an SSD extract: looked after, in need and on protection plans), place each\n"+
			"child in the 2021 LSOA of their home postcode on the day, and store the counts by neighbourhood\n"+
			"with their cell keys: care by neighbourhood then shows these council records instead of the model\n"+
			"for those measures and years. Each is reconciled with DfE's published figure. All or nothing, as\n"+
			"hubs load. Every file also gives the children's histories child by child (referrals, episodes of\n"+
			"need, protection plans, periods looked after), replacing the council's earlier ones; a CIN census\n"+
			"(no postcode: no neighbourhood counts) gives histories only. Children are linked to the hub records\n"+
			"by person id (an SSD extract converted by hubs ssd) or by linkage key: KEYS.csv (care_id,\n"+
			"linkage_key) against the people file's linkage_key column.")
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
	if *db == "" || *council == "" || len(files) == 0 {
		fs.Usage()
		return fmt.Errorf("give --db FILE, --council C and the records")
	}
	demo, err := demo.Open(ctx)
	if err != nil {
		return err
	}
	base := demo.Path
	c, err := queries.FindCouncil(ctx, demo, *council)
	demo.Close()
	if err != nil {
		return err
	}
	var look *postcodes.Lookup
	if *postcodeFile == "demo" {
		if look, err = load.DemoPostcodes(ctx); err != nil {
			return err
		}
	} else if *postcodeFile != "" {
		f, err := os.Open(*postcodeFile)
		if err != nil {
			return err
		}
		look, err = postcodes.Read(bufio.NewReaderSize(f, 1<<20), filepath.Base(*postcodeFile), false)
		f.Close()
		if err != nil {
			return err
		}
	}
	recs, err := carerecords.Read(files, *first)
	if err != nil {
		return fmt.Errorf("%w; nothing was loaded", err)
	}
	for _, f := range recs.Findings {
		fmt.Fprintln(stdout, "finding:", f)
	}
	sum, err := carerecords.Load(ctx, *db, base, c.Code, recs, look, *wait, stdout)
	if err != nil {
		return err
	}
	if sum.Warning != "" {
		fmt.Fprintln(stderr, "hubs: warning:", sum.Warning)
	}
	if len(sum.Lines) == 0 {
		fmt.Fprintf(stdout, "loaded council records for %s (%s) into %s, histories only: no home postcode, no neighbourhood counts (data version %s):\n", c.Name, c.Code, *db, sum.Version)
	} else {
		fmt.Fprintf(stdout, "loaded council records for %s (%s) into %s, postcodes placed with %s (data version %s):\n", c.Name, c.Code, *db, sum.Postcodes, sum.Version)
	}
	for _, l := range sum.Lines {
		fmt.Fprintf(stdout, "  %s (%d neighbourhoods)\n", l.Reconciliation(), l.Neighbours)
	}
	if sum.Episodes > 0 {
		fmt.Fprintf(stdout, "  %s\n", sum.LinkRate())
	}
	return nil
}
