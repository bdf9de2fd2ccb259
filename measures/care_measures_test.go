package measures_test

import (
	"math"
	"testing"

	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

// The CIN census measures a council benchmarks, worked by hand from DfE's files in
// shared/datasets/care/. Stockport, reporting year 2023-24 (to 31 March 2024):
//   - referrals 3,447 (table C1) of 64,311 children 0-17 at mid-2023 = 536.0 per 10,000;
//   - re-referrals 719 of 3,447 referrals = 20.9% (DfE's 20.9); England 139,080 of 621,880 = 22.4%;
//   - second or later plans 63 of 332 plans starting (D3) = 19.0% (DfE's 19);
//   - plans lasting 2 years or more 13 of 265 plans at 31 March (D5) = 4.9% (DfE's 4.9).
//
// The council's rank is the number of English councils with a lower value, plus one, worked here
// from the care_measures table itself.
func TestCareMeasures(t *testing.T) {
	r := run(t, "care_measures", args(t, "E08000007", "2023-24"), stats.DfE)
	want := map[string]struct {
		number, denominator float64
		value               float64
	}{
		"referrals":             {3447, 64311, 536.0},
		"rereferrals":           {719, 3447, 20.9},
		"subsequent_plans":      {63, 332, 19.0},
		"plans_2_years_or_more": {13, 265, 4.9},
	}
	for measure, w := range want {
		council := one(t, r, map[string]string{"measure": measure, "role": "council"})
		if queries.Text(council[r.Col("year")]) != "2024" || num(t, council[r.Col("number")]) != w.number ||
			num(t, council[r.Col("denominator")]) != w.denominator || num(t, council[r.Col("value")]) != w.value {
			t.Errorf("Stockport %s: %v", measure, council)
		}
		for _, role := range []string{"region", "England", "neighbours' average"} {
			one(t, r, map[string]string{"measure": measure, "role": role})
		}
		below := sqlInt(t, `SELECT count(*) FROM care_measures WHERE measure = $1 AND year = 2024 AND level = 'Local authority'
			AND number IS NOT NULL AND denominator > 0 AND number * 1.0 * per / denominator < $2 * 1.0 * per / $3`,
			measure, w.number, w.denominator)
		if got := num(t, council[r.Col("rank")]); got != below+1 {
			t.Errorf("%s: rank %g, %g councils have a lower value", measure, got, below)
		}
		if q := num(t, council[r.Col("quartile")]); q < 1 || q > 4 {
			t.Errorf("%s: quartile %g", measure, q)
		}
	}
	if got := num(t, one(t, r, map[string]string{"measure": "rereferrals", "role": "England"})[r.Col("value")]); got != 22.4 {
		t.Errorf("England re-referrals 2024: %g%%, want 22.4%%", got)
	}
	if got := queries.Text(one(t, r, map[string]string{"measure": "rereferrals", "role": "region"})[r.Col("area_name")]); got != "North West" {
		t.Errorf("region %q, want North West", got)
	}
	// the neighbours' average is the unweighted mean of the ten neighbours' values
	avg := sqlInt(t, `SELECT avg(round(m.number * 100.0 / m.denominator, 1)) FROM statistical_neighbours s
		JOIN care_measures m ON m.area_code = s.neighbour_code
		WHERE s.council_code = 'E08000007' AND m.measure = 'rereferrals' AND m.year = 2024 AND m.denominator > 0`)
	got := num(t, one(t, r, map[string]string{"measure": "rereferrals", "role": "neighbours' average"})[r.Col("value")])
	if math.Abs(got-measures.Round(avg, 1)) > 0.051 {
		t.Errorf("neighbours' average %g, by hand %g", got, avg)
	}
	// asked for 2025-26, each measure takes its own latest published year: Stockport's plans
	// lasting 2 years or more at 31 March 2025 are confidential (c), so that row is 2024
	latest := run(t, "care_measures", args(t, "E08000007", "2025-26"), stats.DfE)
	if y := queries.Text(one(t, latest, map[string]string{"measure": "plans_2_years_or_more", "role": "council"})[latest.Col("year")]); y != "2024" {
		t.Errorf("plans 2 years or more: year %s, want 2024 (2025 is c)", y)
	}
	if y := queries.Text(one(t, latest, map[string]string{"measure": "rereferrals", "role": "council"})[latest.Col("year")]); y != "2025" {
		t.Errorf("re-referrals: year %s, want 2025", y)
	}
	// every council the warehouse holds gets a row for each measure DfE published for it, with
	// England beside it (Westmorland and Furness's plans lasting 2 years or more are c in both its
	// years, so it has three)
	for _, c := range []string{"E08000034", "E08000031", "E06000063", "E06000064"} {
		b := run(t, "care_measures", args(t, c, "2024-25"), stats.DfE)
		published := sqlInt(t, `SELECT count(DISTINCT measure) FROM care_measures WHERE area_code = $1 AND year <= 2025 AND number IS NOT NULL AND denominator IS NOT NULL`, c)
		if n := len(rows(b, map[string]string{"role": "council"})); float64(n) != published || n < 3 || len(rows(b, map[string]string{"role": "England"})) != n {
			t.Errorf("%s: %d own rows for %g published measures, %d rows in all", c, n, published, len(b.Rows))
		}
	}
}
