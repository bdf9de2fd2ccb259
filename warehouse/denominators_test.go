package warehouse_test

import (
	"testing"

	"familyhubs/internal/testdata"
)

// Denominators by year (issue 14, item 3), worked by hand from the published files in
// ../shared/datasets for Stockport at mid-2023 (the denominator of 2023-24):
//
//   - DfE/ONS children 0-17, Stockport, 2023 (dfe_ons_mid-year_population_estimates_0to17_LA_2012_to_2024.csv): 64,311.
//   - Census 2021 TS007, Stockport (E08000007): aged 0-15 = 55,846 (its three bands), 16-17 = 6,589,
//     18-19 = 4,887. So 0-15 = round(64,311 x 55,846 / 62,435) = round(57,524.02) = 57,524;
//     16-17 = 64,311 - 57,524 = 6,787; 18-19 = round(64,311 x 4,887 / 62,435) = round(5,033.84) = 5,034.
//   - E01005918 (Stockport 014D, unchanged since 2011): Census 2021 aged 15 and under 361 of
//     Stockport's 55,848 (ons_census2021_lsoa21_usual_residents_by_age6_EW.csv); mid-2020 ages
//     16-17 = 17 + 17 = 34 of 6,517 and 18-19 = 18 + 15 = 33 of 5,331 (SAPE mid-2020, summed over
//     Stockport's 190 2011 LSOAs).
//   - 0-17: 57,524 x 361 / 55,848 + 6,787 x 34 / 6,517 = 371.83 + 35.41 = 407.24, rounded 407
//     (a remainder of .24 is below the council's cut); 18-19: 5,034 x 33 / 5,331 = 31.16, rounded 31.
//     Children 0-19: 438.
func TestDenominatorsByYear(t *testing.T) {
	db := testdata.Warehouse(t)
	cases := []struct {
		name  string
		query string
		want  int64
	}{
		{"Stockport's LSOAs add up to DfE/ONS's 0-17 for mid-2023",
			`SELECT sum(children_0_17) FROM neighbourhood_population WHERE council_code = 'E08000007' AND mid_year = 2023`, 64311},
		{"and to DfE/ONS's 0-17 for mid-2019",
			`SELECT sum(children_0_17) FROM neighbourhood_population WHERE council_code = 'E08000007' AND mid_year = 2019`, 62052},
		{"Stockport 0-19 at mid-2023 = 64,311 + 5,034",
			`SELECT sum(children_0_19) FROM neighbourhood_population WHERE council_code = 'E08000007' AND mid_year = 2023`, 69345},
		{"E01005918 0-17 at mid-2023",
			`SELECT children_0_17 FROM neighbourhood_population WHERE lsoa21_code = 'E01005918' AND mid_year = 2023`, 407},
		{"E01005918 0-19 at mid-2023",
			`SELECT children_0_19 FROM neighbourhood_population WHERE lsoa21_code = 'E01005918' AND mid_year = 2023`, 438},
		// Before Cumberland and Westmorland and Furness existed (mid-2022), Cumbria's published
		// 0-17 (E10000006) is shared among both councils' LSOAs.
		{"Cumbria's mid-2022 total across its successors",
			`SELECT sum(children_0_17) FROM neighbourhood_population WHERE council_code IN ('E06000063', 'E06000064') AND mid_year = 2022 AND constrained_to = 'E10000006'`,
			int64(one[int32](t, db, `SELECT children_0_17 FROM population_council WHERE area_code = 'E10000006' AND mid_year = 2022`))},
		{"every LSOA in England has a denominator at mid-2024",
			`SELECT count(*) FROM neighbourhood_population WHERE mid_year = 2024`, 33755},
		// 2024-25 is set against mid-2024, as DfE sets the year to 31 March 2025; 2025-26 and
		// 2026-27 have no mid-year of their own yet and take mid-2024, labelled.
		{"2019-20 uses mid-2019", `SELECT mid_year FROM denominator_years WHERE year_start = 2019`, 2019},
		{"2024-25 uses mid-2024", `SELECT mid_year FROM denominator_years WHERE year_start = 2024`, 2024},
		{"2026-27 uses the latest, mid-2024", `SELECT mid_year FROM denominator_years WHERE year_start = 2026`, 2024},
		{"a day in March 2025 is in 2024-25", `SELECT fy_year(DATE '2025-03-31')`, 2024},
	}
	for _, c := range cases {
		if got := one[int64](t, db, c.query); got != c.want {
			t.Errorf("%s: got %d, want %d", c.name, got, c.want)
		}
	}
	if got := one[string](t, db, `SELECT label FROM denominator_years WHERE year_start = 2026`); got !=
		"children 0-19 at ONS mid-2024 (council total shared by Census 2021), the latest available for 2026-27" {
		t.Errorf("2026-27 label: %q", got)
	}
	// Mid-2020 0-19 from the apportioned small-area estimates was 69,234 for Stockport; the years
	// now differ from it and from each other.
	if got := one[int64](t, db, `SELECT count(DISTINCT s) FROM (SELECT sum(children_0_19) AS s FROM neighbourhood_population
		WHERE council_code = 'E08000007' AND mid_year BETWEEN 2019 AND 2024 GROUP BY mid_year)`); got != 6 {
		t.Errorf("Stockport's six mid-years give %d distinct totals, want 6", got)
	}
}
