package warehouse_test

import (
	"testing"

	"familyhubs/internal/testdata"
)

// The CIN census measures a council benchmarks, each with its own denominator, as DfE published
// them (shared/datasets/care/, tables C1, D3 and D5), checked in the built warehouse.
func TestCareMeasuresPublishedFigures(t *testing.T) {
	db := testdata.Warehouse(t)
	cases := []struct {
		name  string
		query string
		want  int64
	}{
		{"Stockport referrals in 2023-24: 3,447 (C1)", `SELECT number FROM care_measures WHERE measure = 'referrals' AND area_code = 'E08000007' AND year = 2024`, 3447},
		{"Stockport referrals are set against mid-2023 children 0-17: 64,311", `SELECT denominator FROM care_measures WHERE measure = 'referrals' AND area_code = 'E08000007' AND year = 2024`, 64311},
		{"Stockport re-referrals in 2023-24: 719 of 3,447", `SELECT number * 10000 + denominator FROM care_measures WHERE measure = 'rereferrals' AND area_code = 'E08000007' AND year = 2024`, 719*10000 + 3447},
		{"Stockport second or later plans starting 2024-25: 99 of 353 (D3)", `SELECT number * 10000 + denominator FROM care_measures WHERE measure = 'subsequent_plans' AND area_code = 'E08000007' AND year = 2025`, 99*10000 + 353},
		{"Stockport plans lasting 2 years or more at 31 March 2024: 13 of 265 (D5)", `SELECT number * 10000 + denominator FROM care_measures WHERE measure = 'plans_2_years_or_more' AND area_code = 'E08000007' AND year = 2024`, 13*10000 + 265},
		{"Cumbria referrals in 2022-23: 2,989", `SELECT number FROM care_measures WHERE measure = 'referrals' AND area_code = 'E10000006' AND year = 2023`, 2989},
		{"Cumbria runs to 2023", `SELECT max(year) FROM care_measures WHERE area_code = 'E10000006'`, 2023},
		{"Cumberland from 2024", `SELECT min(year) FROM care_measures WHERE area_code = 'E06000063'`, 2024},
		{"England every measure every year 2013-2025", `SELECT count(*) FROM care_measures WHERE area_code = 'E92000001' AND number IS NOT NULL AND denominator IS NOT NULL`, 4 * 13},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := one[int64](t, db, c.query); got != c.want {
				t.Errorf("got %d, want %d", got, c.want)
			}
		})
	}
	// DfE's symbols are kept: a missing number or denominator has a reason and is never zero
	for what, q := range map[string]string{
		"rows with neither a number nor a symbol":      `SELECT count(*) FROM care_measures WHERE (number IS NULL) = (number_symbol IS NULL)`,
		"rows with neither a denominator nor a symbol": `SELECT count(*) FROM care_measures WHERE (denominator IS NULL) = (denominator_symbol IS NULL)`,
	} {
		if n := one[int64](t, db, q); n != 0 {
			t.Errorf("%d %s (or with both)", n, what)
		}
	}
	// Stockport's plans lasting 2 years or more at 31 March 2025 are confidential in the source
	if s := one[string](t, db, `SELECT coalesce(number_symbol, '') FROM care_measures WHERE measure = 'plans_2_years_or_more' AND area_code = 'E08000007' AND year = 2025`); s != "c" {
		t.Errorf("Stockport 2025 plans 2 years or more: symbol %q, want c", s)
	}
	// the existing care table is untouched: still only its three measures
	if n := one[int64](t, db, `SELECT count(DISTINCT measure) FROM care`); n != 3 {
		t.Errorf("care has %d measures, want 3", n)
	}
}
