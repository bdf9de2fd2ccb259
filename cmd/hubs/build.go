package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"familyhubs/demo"
	"familyhubs/warehouse"
)

func cmdDemo(ctx context.Context, args []string) error {
	fs := newFlags("demo")
	db := fs.String("db", "", "write the warehouse to this DuckDB file (must not exist)")
	scale := fs.String("scale", "demo", "demo: five councils' real networks; national: every council in England")
	contacts := fs.Int("contacts", warehouse.NationalContacts, "national: about how many synthetic contacts to make")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the build to this file (developers)")
	fs.Usage = usageFor(fs, "hubs demo [--scale demo|national] [--contacts N] --db FILE",
		"Build a demo warehouse into FILE, for use with --db or any DuckDB client: real public data for\n"+
			"England and synthetic service contacts. --scale demo (the embedded default) gives five councils'\n"+
			"published hub networks; --scale national gives every council in England, with synthetic\n"+
			"networks where none is published, and 30 million contacts unless --contacts says otherwise.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *db == "" {
		fs.Usage()
		return fmt.Errorf("--db FILE is required")
	}
	if _, err := os.Stat(*db); err == nil {
		return fmt.Errorf("%s exists: choose a new file, so nothing is overwritten", *db)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	var err error
	switch *scale {
	case "demo":
		err = demo.Build(ctx, *db)
	case "national":
		if *contacts <= 0 {
			return fmt.Errorf("--contacts %d: want a positive number", *contacts)
		}
		err = warehouse.BuildNational(ctx, *db, *contacts, stderr)
	default:
		return fmt.Errorf("--scale %q: want demo or national", *scale)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "built %s in %.1fs\n", *db, time.Since(start).Seconds())
	return nil
}
