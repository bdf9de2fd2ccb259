package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"familyhubs/warehouse"
)

func cmdBuild(ctx context.Context, args []string) error {
	fs := newFlags("build")
	db := fs.String("db", "", "write the demo warehouse to this DuckDB file (must not exist)")
	fs.Usage = usageFor(fs, "hubs build --db FILE",
		"Build the demo warehouse (real public data for England and five councils' networks, synthetic\n"+
			"service contacts) into FILE, for use with --db or any DuckDB client.")
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
	start := time.Now()
	if err := warehouse.Build(ctx, *db); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "built %s in %.1fs\n", *db, time.Since(start).Seconds())
	return nil
}
