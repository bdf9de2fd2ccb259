package ssd

import (
	"context"
	"io"
	"path/filepath"

	"familyhubs/internal/files"
	"familyhubs/queries"
)

// network is the council's hub network as the load files give it: load.Export's localities.csv,
// sites.csv and plan.csv (load/sql/export_*.sql), the council's rows only. Exporting the whole
// warehouse to get them took 20 seconds on the demo; these take milliseconds. Loading them back
// (TestLoadIntoDemo) holds their columns to load's.
var network = []struct{ file, sql string }{
	{"localities.csv", `SELECT council_code, locality, ward_name, illustrative FROM localities
		WHERE council_code = $council ORDER BY council_code, locality, ward_name`},
	{"sites.csv", `SELECT site_id, council_code, name, kind, locality, lsoa21_code, lon, lat, opened, designated, closed, illustrative, note
		FROM sites WHERE council_code = $council ORDER BY site_id`},
	{"plan.csv", `SELECT council_code, id, indicator, measure, unit, baseline, target, due, plan_start, entered, entered_on, illustrative, note
		FROM fund_plan WHERE council_code = $council ORDER BY council_code, id`},
}

// NetworkFiles are the load files that come from the council's hub network, not from the SSD.
var NetworkFiles = []string{"localities.csv", "sites.csv", "plan.csv"}

// WriteNetwork writes the council's localities, sites and Transformation Fund plan as a warehouse
// holds them, in the load files' formats, into dir: a load replaces all six files' records for
// each council it names, so loading the SSD's families, people and contacts with these keeps the
// council's network as it was.
func WriteNetwork(ctx context.Context, db queries.Querier, council, dir string) error {
	for _, n := range network {
		q := &queries.Query{Name: "network " + n.file, Params: []queries.Param{{Name: "council", Type: "text", About: "the council's ONS code"}}, SQL: n.sql}
		res, err := q.Run(ctx, db, queries.Args{"council": council})
		if err != nil {
			return err
		}
		if err := files.WritePrivate(filepath.Join(dir, n.file), func(w io.Writer) error { return queries.WriteCSV(w, res) }); err != nil {
			return err
		}
	}
	return nil
}
