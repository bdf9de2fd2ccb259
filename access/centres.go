package access

import (
	"context"
	"database/sql"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// CentresFile is the name of the postcode centres file, as staged for the warehouse build.
const CentresFile = "lsoa21_postcode_centres_5la.csv"

// Centres is the embedded postcode centres file: for each 2021 LSOA holding a postcode of the
// five demo councils, the number of postcodes and the mean of their centroids (WGS84, 6
// decimals). It is DERIVED for this project (PrepareCentres) from the ONS Postcode Directory
// November 2025 cut to the five councils, each postcode's LSOA assigned by point in polygon
// (../shared/datasets/postcodes/DERIVED_pcd_to_lsoa21_5LA_pointinpolygon.csv, datasets/PROVENANCE.md).
// The directory's grid references are to 1 m but placed at 100 m; its terminated postcodes are
// included and cannot be told apart, and every postcode counts once whatever its number of homes.
//
//go:embed lsoa21_postcode_centres_5la.csv
var Centres []byte

// CentresSQL fills neighbourhood_centres (warehouse/schema.sql) from Centres, staged in the
// warehouse build's file search path under CentresFile.
//
//go:embed centres.sql
var CentresSQL string

//go:embed prepare_centres.sql
var prepareSQL string

// PrepareCentres rewrites the postcode centres file from the derived postcode look-up (path to
// DERIVED_pcd_to_lsoa21_5LA_pointinpolygon.csv) read through db, a DuckDB connection: one line per
// LSOA, sorted, so the file changes only when the source does.
func PrepareCentres(ctx context.Context, db *sql.DB, source string, w io.Writer) error {
	rows, err := db.QueryContext(ctx, prepareSQL, source)
	if err != nil {
		return fmt.Errorf("postcode centres: %w", err)
	}
	defer rows.Close()
	out := csv.NewWriter(w)
	if err := out.Write([]string{"lsoa21_code", "postcodes", "lat", "lon"}); err != nil {
		return err
	}
	for rows.Next() {
		var code string
		var n int
		var lat, lon float64
		if err := rows.Scan(&code, &n, &lat, &lon); err != nil {
			return err
		}
		if err := out.Write([]string{code, strconv.Itoa(n), strconv.FormatFloat(lat, 'f', 6, 64), strconv.FormatFloat(lon, 'f', 6, 64)}); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	out.Flush()
	return out.Error()
}
