package datasets

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"database/sql/driver"
	_ "embed"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"

	"github.com/duckdb/duckdb-go/v2"

	"familyhubs/councils"
	"familyhubs/geo"
)

//go:embed prepare.sql
var prepareSQL string

// Prepare rebuilds the embedded files in outDir (this folder) from the published files in
// sharedDir (../shared/datasets). It is for developers refreshing the data, not for councils: the
// binary never reads sharedDir. The output is deterministic: the same inputs give the same bytes.
func Prepare(ctx context.Context, sharedDir, outDir string) error {
	sharedDir, err := filepath.Abs(sharedDir)
	if err != nil {
		return err
	}
	outDir, err = filepath.Abs(outDir)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(sharedDir, "PROVENANCE.md")); err != nil {
		return fmt.Errorf("%s does not look like shared/datasets (no PROVENANCE.md): %w", sharedDir, err)
	}
	cs, err := councils.LoadAll(os.DirFS(outDir), "councils")
	if err != nil {
		return err
	}

	// prepare.sql names its inputs shared/... and its outputs out/...: run it from a scratch
	// folder holding exactly those two links, so paths are never spliced into SQL.
	scratch, err := os.MkdirTemp("", "familyhubs-prepare-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	if err := os.Symlink(sharedDir, filepath.Join(scratch, "shared")); err != nil {
		return err
	}
	if err := os.Symlink(outDir, filepath.Join(scratch, "out")); err != nil {
		return err
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	if err := os.Chdir(scratch); err != nil {
		return err
	}
	defer os.Chdir(wd)

	// DfE's EYFSP tables by district of pupil residence are an xlsx, which DuckDB reads only with
	// its excel extension (a download): hand prepare.sql the sheet as a CSV in the scratch folder
	if err := xlsxToCSV(filepath.Join(sharedDir, "early_years", "dfe_EYFSP_LAD_pr_additional_tables_2014_2019.xlsx"),
		filepath.Join(scratch, "eyfsp_lad_pr.csv")); err != nil {
		return err
	}

	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		return err
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, prepareSQL); err != nil {
		return fmt.Errorf("prepare.sql: %w", err)
	}

	rows, err := prepareGeography(sharedDir, outDir, cs)
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE lsoa_ward (
		lsoa21_code VARCHAR, lsoa21_name VARCHAR, lad_code VARCHAR, ward25_code VARCHAR, ward25_name VARCHAR,
		point_lon DOUBLE, point_lat DOUBLE, point_method VARCHAR, ward_fit VARCHAR, ward_fit_distance_m DOUBLE)`); err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		app, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "lsoa_ward")
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := app.AppendRow(r...); err != nil {
				return err
			}
		}
		return app.Close()
	})
	if err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, `COPY (SELECT * FROM lsoa_ward ORDER BY lsoa21_code)
		TO 'out/lsoa21_ward25_best_fit.parquet' (FORMAT parquet, COMPRESSION zstd)`)
	if err != nil {
		return err
	}
	prov, err := os.ReadFile(filepath.Join(sharedDir, "PROVENANCE.md"))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(outDir, "PROVENANCE.md"), prov, 0o644)
}

// prepareGeography copies each council's 2021 LSOA and May 2025 ward boundaries (gzipped) and
// computes the best-fit ward of every LSOA: the ward holding the LSOA's interior point (its
// centroid where that lies inside it). No published LSOA21 -> WD25 lookup was found; ONS's own
// best fit uses population-weighted centroids, which are not stored, so a few LSOAs on a ward
// edge may differ from ONS's answer.
func prepareGeography(sharedDir, outDir string, cs []councils.Council) ([][]driver.Value, error) {
	var rows [][]driver.Value
	for _, c := range cs {
		lsoaJSON, err := os.ReadFile(filepath.Join(sharedDir, "geography", "boundaries", "lsoa", c.Code+".geojson"))
		if err != nil {
			return nil, err
		}
		wardJSON, err := os.ReadFile(filepath.Join(sharedDir, "geography", "boundaries", "ward", c.Code+".geojson"))
		if err != nil {
			return nil, err
		}
		for _, f := range []struct {
			dir  string
			data []byte
		}{{"lsoa21", lsoaJSON}, {"ward25", wardJSON}} {
			if err := writeGzip(filepath.Join(outDir, "boundaries", f.dir, c.Code+".geojson.gz"), f.data); err != nil {
				return nil, err
			}
		}
		lsoas, err := geo.ReadAreas(lsoaJSON, "LSOA21CD", "LSOA21NM")
		if err != nil {
			return nil, fmt.Errorf("%s LSOA boundaries: %w", c.Name, err)
		}
		wards, err := geo.ReadAreas(wardJSON, "WD25CD", "WD25NM")
		if err != nil {
			return nil, fmt.Errorf("%s ward boundaries: %w", c.Name, err)
		}
		for _, l := range lsoas {
			p, centroid := l.InteriorPoint()
			method := "area centroid"
			if !centroid {
				method = "interior point nearest the centroid (centroid lies outside the LSOA)"
			}
			fit, dist := "interior point in ward", 0.0
			w := geo.Locate(wards, p)
			if w < 0 {
				w, dist = geo.Nearest(wards, p)
				fit = "nearest ward (interior point in a gap between generalised boundaries)"
			}
			rows = append(rows, []driver.Value{l.Code, l.Name, c.Code, wards[w].Code, wards[w].Name,
				p[0], p[1], method, fit, dist})
		}
	}
	return rows, nil
}

func writeGzip(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	// no name and no modification time in the header: the same input gives the same bytes
	if _, err := zw.Write(data); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// xlsxToCSV writes the first sheet of an xlsx as CSV, every cell as text.
func xlsxToCSV(xlsx, out string) error {
	rows, err := ReadXLSXSheet(xlsx)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	if err := w.WriteAll(rows); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
