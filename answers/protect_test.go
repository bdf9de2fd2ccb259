package answers_test

import (
	"net/url"
	"testing"

	"familyhubs/answers"
	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

// differencing is the attacker for the headline totals: it reads the IDACI deciles of
// reach_by_decile and the parts of reach_total as published for one view, knows each decile sums
// into its part and the parts into the whole, and that a hidden count is a whole number of at least
// 0. It reports the deciles whose true count is 1 to 5 (primary-suppressed) that only one value
// fits: in a part whose sum is known (shown, or the whole less the other part), the only hidden
// decile is the sum less the shown ones.
func differencing(exact, deciles, total *queries.Result, col string) []string {
	shown := func(r *queries.Result, row []any) (float64, bool) {
		if _, hidden := row[r.MustCol(col)].(stats.Suppressed); hidden {
			return 0, false
		}
		return measures.Number(row[r.MustCol(col)])
	}
	sums := map[string]float64{}
	known := map[string]bool{}
	for _, row := range total.Rows {
		if v, ok := shown(total, row); ok {
			sums[total.Str(row, "part")], known[total.Str(row, "part")] = v, true
		}
	}
	for _, p := range [][2]string{{"idaci_1_2", "idaci_3_10"}, {"idaci_3_10", "idaci_1_2"}} {
		if !known[p[0]] && known["all"] && known[p[1]] {
			sums[p[0]], known[p[0]] = sums["all"]-sums[p[1]], true
		}
	}
	var leaks []string
	for _, part := range []string{"idaci_1_2", "idaci_3_10"} {
		if !known[part] {
			continue
		}
		rest, hidden := sums[part], -1
		n := 0
		for i, row := range deciles.Rows {
			if deciles.Str(row, "part") != part {
				continue
			}
			if v, ok := shown(deciles, row); ok {
				rest -= v
			} else {
				hidden, n = i, n+1
			}
		}
		if n == 1 {
			truth, _ := measures.Number(exact.Rows[hidden][exact.MustCol(col)])
			if truth >= 1 && truth <= 5 && truth == rest {
				leaks = append(leaks, deciles.Str(deciles.Rows[hidden], "decile"))
			}
		}
	}
	return leaks
}

// What the pages, API and briefings publish of the headline totals cannot be subtracted from the
// deciles to give a count of 1 to 5 children or families, over every council, quarter and month
// of two years, each locality and the small services; and the attacker is real: without the
// protection of sums it finds such counts.
func TestHeadlineTotalsSurviveDifferencing(t *testing.T) {
	a := service(t)
	db := testdata.Warehouse(t)
	var periods []string
	for _, y := range []string{"2023-24", "2024-25"} {
		periods = append(periods, y)
		for q := 1; q <= 4; q++ {
			periods = append(periods, y+"Q"+string(rune('0'+q)))
		}
	}
	for _, m := range []string{"2024-05", "2024-11", "2025-02"} {
		periods = append(periods, m)
	}
	views, found, unprotected := 0, 0, 0
	for _, council := range []string{"stockport", "kirklees", "wolverhampton", "cumberland", "westmorland-furness"} {
		base := view(t, a, "council="+council)
		locs, err := a.Run(ctx, base, "reach_by_locality")
		if err != nil {
			t.Fatal(err)
		}
		localities := []string{""}
		for _, row := range locs.Rows {
			localities = append(localities, locs.Str(row, "locality"))
		}
		for _, period := range periods {
			for _, loc := range localities {
				for _, svc := range []string{"", "domestic_abuse", "perinatal_mental_health", "housing", "send_support"} {
					q := url.Values{"council": {council}, "period": {period}, "locality": {loc}, "service": {svc}}
					v, err := a.Parse(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					views++
					deciles, err := a.Answer(ctx, "reach_by_decile", v.Args(), stats.Suppression)
					if err != nil {
						t.Fatal(err)
					}
					total, err := a.Answer(ctx, "reach_total", v.Args(), stats.Suppression)
					if err != nil {
						t.Fatal(err)
					}
					exact, err := measures.Run(ctx, db, "reach_by_decile", v.Args(), stats.Exact)
					if err != nil {
						t.Fatal(err)
					}
					idaci := answers.Only(deciles, map[string]string{"index": "IDACI"})
					d := *deciles
					d.Rows = idaci
					e := *exact
					e.Rows = answers.Only(exact, map[string]string{"index": "IDACI"})
					bare, err := measures.Run(ctx, db, "reach_total", v.Args(), stats.Suppression)
					if err != nil {
						t.Fatal(err)
					}
					for _, col := range []string{"children_reached", "families_reached"} {
						if leaks := differencing(&e, &d, total, col); len(leaks) > 0 {
							found++
							t.Errorf("%s: %s of IDACI deciles %v can be worked out from reach_total", q.Encode(), col, leaks)
						}
						unprotected += len(differencing(&e, &d, bare, col))
					}
				}
			}
		}
	}
	if views < 1000 {
		t.Errorf("only %d views attacked", views)
	}
	if unprotected == 0 {
		t.Error("the attacker found nothing even without the protection of sums: it is not looking")
	}
	t.Logf("%d views; %d counts recoverable without the protection of sums, %d with it", views, unprotected, found)
}
