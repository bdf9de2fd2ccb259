package measures

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"familyhubs/queries"
	"familyhubs/stats"
)

// councilRecordsNotes says, for an answer with rows from a council's own records (source =
// council records, hubs load-care), which measures and years they are, and reconciles each with
// DfE's published figure: the neighbourhoods' total against DfE's, the children whose home was in
// another council's area, those whose postcode was not placed, and the records' own difference.
// Its counts are protected as every count of children is (cell keys from care_records_loaded).
func councilRecordsNotes(ctx context.Context, db queries.Querier, res *queries.Result, args queries.Args, p stats.Policy) error {
	si, mi, yi := res.Col("source"), res.Col("measure"), res.Col("year")
	if si < 0 || mi < 0 || yi < 0 || !slices.Contains(res.Query.Status, "council records") {
		return nil
	}
	held := map[string]bool{}
	for _, row := range res.Rows {
		if queries.Text(row[si]) == "council records" {
			held[queries.Text(row[mi])+"|"+queries.Text(row[yi])] = true
		}
	}
	if len(held) == 0 {
		return nil
	}
	rows, err := db.QueryContext(ctx, `
		SELECT l.measure, l.year, l.placed, l.placed_ckey, l.outside, l.outside_ckey, l.not_placed, l.not_placed_ckey,
		       l.counted, l.counted_ckey, c.number, coalesce(c.number_symbol, '')
		FROM care_records_loaded l
		LEFT JOIN care c ON c.measure = l.measure AND c.year = l.year AND c.area_code = l.council_code
		WHERE l.council_code = $council ORDER BY l.measure, l.year`, sql.Named("council", args["council"]))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var m, sym string
		var y, placed, out, unplaced, counted int64
		var kp, ko, ku, kc int64
		var pub sql.NullInt64
		if err := rows.Scan(&m, &y, &placed, &kp, &out, &ko, &unplaced, &ku, &counted, &kc, &pub, &sym); err != nil {
			return err
		}
		if !held[m+"|"+queries.Text(y)] {
			continue
		}
		show := func(n, k int64) string {
			if p.CellKey == nil { // exact output
				return queries.Text(n)
			}
			return queries.Text(shown(p, float64(n), k))
		}
		dfe := "DfE published no figure " + sym
		if pub.Valid {
			dfe = fmt.Sprintf("DfE published %d", pub.Int64)
		}
		res.Notes = append(res.Notes, fmt.Sprintf("COUNCIL RECORDS, %s at 31 March %d: from the council's own records (hubs load-care), each child at their home postcode's 2021 LSOA; "+
			"%s children in its neighbourhoods, %s. The difference: %s with a home in another council's area (still the council's children, e.g. placed out of area), "+
			"%s whose postcode could not be placed, and late returns or amendments (%s in the records in all). Elsewhere the figures are MODELLED.",
			m, y, show(placed, kp), dfe, show(out, ko), show(unplaced, ku), show(counted, kc)))
	}
	return rows.Err()
}
