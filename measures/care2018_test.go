package measures_test

import (
	"testing"

	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

// Children looked after at 31 March 2018, as DfE published them in its 2022 release (issue 14):
// Stockport 362, Wolverhampton 649; Cumberland and Westmorland and Furness show former Cumbria's
// 666. The year is no longer a gap, so the run of years from 2011 is unbroken.
func TestCareAt31March2018(t *testing.T) {
	db := testdata.Warehouse(t)
	for _, c := range []struct {
		council, series string
		want            string
	}{
		{"E08000007", "council", "362"},
		{"E08000031", "council", "649"},
		{"E06000063", "predecessor", "666"},
		{"E06000064", "predecessor", "666"},
	} {
		r, err := measures.Run(ctx, db, "care_at_31_march", queries.Args{"council": c.council}, stats.Exact)
		if err != nil {
			t.Fatal(err)
		}
		row := one(t, r, map[string]string{"measure": "looked_after", "year": "2018", "series": c.series})
		if got := queries.Text(row[r.Col("number")]); got != c.want || row[r.Col("number_symbol")] != nil {
			t.Errorf("%s %s looked after 31 March 2018: %s (symbol %v), want %s", c.council, c.series, got, row[r.Col("number_symbol")], c.want)
		}
	}

	r := run(t, "care_trend", queries.Args{"council": "E08000007", "locality": "", "service": ""}, stats.DfE)
	row := one(t, r, map[string]string{"measure": "looked_after", "year": "2018"})
	if queries.Text(row[r.Col("number")]) != "362" || queries.Text(row[r.Col("vs_england")]) == stats.NotCompared ||
		queries.Text(row[r.Col("vs_neighbours")]) == stats.NotCompared {
		t.Errorf("Stockport 2018 in care_trend: number %v, vs England %v, vs neighbours %v",
			row[r.Col("number")], row[r.Col("vs_england")], row[r.Col("vs_neighbours")])
	}
	// 362 of 61,852 children aged 0-17 at mid-2017 (ONS's revised estimate): 58.5 per 10,000
	if got := queries.Text(row[r.Col("rate_per_10000")]); got != "58.5" {
		t.Errorf("Stockport 2018 rate %s, want 58.5", got)
	}
	// 2020 now has five consecutive years behind it (2016-2020): a trend is tested, not refused
	pts := []stats.Point{}
	for y := 2016; y <= 2020; y++ {
		p := one(t, r, map[string]string{"measure": "looked_after", "year": queries.Text(y)})
		x, _ := measures.Number(p[r.Col("number")])
		n, _ := measures.Number(p[r.Col("children_0_17")])
		pts = append(pts, stats.Point{Year: y, Events: x, Populace: n})
	}
	want, err := stats.Trend(pts)
	if err != nil {
		t.Fatal(err)
	}
	got := queries.Text(one(t, r, map[string]string{"measure": "looked_after", "year": "2020"})[r.Col("trend")])
	if got == stats.TooFewPoints || got != want {
		t.Errorf("Stockport 2020 looked-after trend %q, over 2016-2020 by hand %q", got, want)
	}
}
