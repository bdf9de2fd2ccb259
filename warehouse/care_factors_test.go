package warehouse_test

import (
	"testing"

	"familyhubs/internal/testdata"
)

// Factors identified at the end of assessment, as DfE published them (shared/datasets/care/,
// table C3, 2018-2025), checked in the built warehouse against figures read by hand from the CSV.
func TestCareFactorsPublishedFigures(t *testing.T) {
	db := testdata.Warehouse(t)
	cases := []struct {
		name  string
		query string
		want  int64
	}{
		{"every factor column of every row: 1,312 rows x 39 factors", `SELECT count(*) FROM care_factors`, 1312 * 39},
		{"Stockport 2024-25: 2,892 episodes with a factor", `SELECT episodes FROM care_factors WHERE factor = 'neglect' AND area_code = 'E08000007' AND year = 2025`, 2892},
		{"Stockport 2024-25: domestic abuse concerning the parent in 1,052", `SELECT number FROM care_factors WHERE factor = 'domestic_abuse_parent' AND area_code = 'E08000007' AND year = 2025`, 1052},
		{"Stockport 2024-25: domestic abuse concerning the child in 349", `SELECT number FROM care_factors WHERE factor = 'domestic_abuse_child' AND area_code = 'E08000007' AND year = 2025`, 349},
		{"England 2024-25: domestic abuse concerning the parent in 162,890 of 513,250", `SELECT number::BIGINT * 1000000 + episodes FROM care_factors WHERE factor = 'domestic_abuse_parent' AND area_code = 'E92000001' AND year = 2025`, 162890*1000000 + 513250},
		{"North West 2024-25: mental health of the parent in 30,640", `SELECT number FROM care_factors WHERE factor = 'mental_health_parent' AND area_code = 'E12000002' AND year = 2025`, 30640},
		{"Cumbria runs to 2023", `SELECT max(year) FROM care_factors WHERE area_code = 'E10000006'`, 2023},
		{"Westmorland and Furness from 2024", `SELECT min(year) FROM care_factors WHERE area_code = 'E06000064'`, 2024},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := one[int64](t, db, c.query); got != c.want {
				t.Errorf("got %d, want %d", got, c.want)
			}
		})
	}
	// DfE's symbols are kept as the reason a figure is missing, never zero
	symbols := []struct{ name, query, want string }{
		{"City of London 2024-25 domestic abuse concerning the parent: c", `SELECT number_symbol FROM care_factors WHERE factor = 'domestic_abuse_parent' AND area_code = 'E09000001' AND year = 2025`, "c"},
		{"Wolverhampton 2024-25 privately fostered: c", `SELECT number_symbol FROM care_factors WHERE factor = 'privately_fostered' AND area_code = 'E08000031' AND year = 2025`, "c"},
		{"Hackney 2021-22 episodes: x", `SELECT episodes_symbol FROM care_factors WHERE factor = 'neglect' AND area_code = 'E09000012' AND year = 2022`, "x"},
		{"Hampshire 2023-24 episodes: u", `SELECT episodes_symbol FROM care_factors WHERE factor = 'neglect' AND area_code = 'E10000014' AND year = 2024`, "u"},
		{"Isles of Scilly 2018-19 neglect: z", `SELECT number_symbol FROM care_factors WHERE factor = 'neglect' AND area_code = 'E06000053' AND year = 2019`, "z"},
		{"England 2017-18 child criminal exploitation (not yet collected): x", `SELECT number_symbol FROM care_factors WHERE factor = 'child_criminal_exploitation' AND area_code = 'E92000001' AND year = 2018`, "x"},
	}
	for _, c := range symbols {
		if got := one[string](t, db, `SELECT coalesce((`+c.query+`), 'NULL')`); got != c.want {
			t.Errorf("%s: got %q", c.name, got)
		}
	}
	for what, q := range map[string]string{
		"rows with neither a number nor a symbol (or both)":     `SELECT count(*) FROM care_factors WHERE (number IS NULL) = (number_symbol IS NULL)`,
		"rows with neither episodes nor a symbol (or both)":     `SELECT count(*) FROM care_factors WHERE (episodes IS NULL) = (episodes_symbol IS NULL)`,
		"suppressed cells stored as zero (City of London 2025)": `SELECT count(*) FROM care_factors WHERE area_code = 'E09000001' AND year = 2025 AND number_symbol IS NOT NULL AND number IS NOT NULL`,
	} {
		if n := one[int64](t, db, q); n != 0 {
			t.Errorf("%d %s", n, what)
		}
	}
}
