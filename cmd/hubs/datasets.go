package main

import (
	"context"
	"fmt"

	"familyhubs/datasets"
)

// cmdDatasets rebuilds datasets/ from ../shared/datasets. Developers only.
func cmdDatasets(ctx context.Context, args []string) error {
	fs := newFlags("datasets")
	from := fs.String("from", "../shared/datasets", "folder of published files (shared/datasets)")
	out := fs.String("out", "datasets", "the project's datasets folder to rewrite")
	fs.Usage = usageFor(fs, "hubs datasets [--from DIR] [--out DIR]",
		"Rebuild the embedded Parquet files, boundaries and the LSOA-to-ward best fit from the published\n"+
			"files in shared/datasets. For developers refreshing the data; the result is committed.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := datasets.Prepare(ctx, *from, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "datasets rewritten in %s from %s\n", *out, *from)
	return nil
}
