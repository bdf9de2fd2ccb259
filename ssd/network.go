package ssd

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"

	"familyhubs/load"
	"familyhubs/queries"
)

// NetworkFiles are the load files that come from the council's hub network, not from the SSD.
var NetworkFiles = []string{"localities.csv", "sites.csv", "plan.csv"}

// WriteNetwork writes the council's localities, sites and Transformation Fund plan as they are in
// a warehouse (load.Export's formats, the council's rows only) into dir, so that loading the
// SSD's families, people and contacts keeps the council's network as it was: a load replaces all
// six files' records for each council it names.
func WriteNetwork(ctx context.Context, db queries.Querier, council, dir string) error {
	tmp, err := os.MkdirTemp("", "familyhubs-ssd-network-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := load.Export(ctx, db, tmp); err != nil {
		return err
	}
	for _, name := range NetworkFiles {
		f, err := os.Open(filepath.Join(tmp, name))
		if err != nil {
			return err
		}
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			return err
		}
		col := -1
		for i, h := range recs[0] {
			if h == "council_code" {
				col = i
			}
		}
		err = writeCSV(filepath.Join(dir, name), recs[0], func(put func(...string) error) error {
			for _, r := range recs[1:] {
				if col >= 0 && strings.EqualFold(r[col], council) {
					if err := put(r...); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
