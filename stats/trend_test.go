package stats_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

// series is events out of the same population each year, from 2021.
func series(pop float64, events ...float64) []stats.Point {
	var out []stats.Point
	for i, e := range events {
		out = append(out, stats.Point{Year: 2021 + i, Events: e, Populace: pop})
	}
	return out
}

// The critical value is the 99.8% point of chi-squared on 1 degree of freedom (two-sided
// p < 0.002; 3.0902^2), not the 95% point 3.84.
func TestTrendThreshold(t *testing.T) {
	if q := stats.ChiSquareQuantile(0.998, 1); math.Abs(q-stats.TrendChiSquare) > 1e-6 {
		t.Errorf("99.8%% point of chi-squared(1) = %.8f, TrendChiSquare = %.8f", q, stats.TrendChiSquare)
	}
	if stats.TrendPoints != 5 {
		t.Errorf("Fingertips tests the latest 5 points, not %d", stats.TrendPoints)
	}
}

// Hand-worked, time scored t = 1..5, each point out of d people, C = sum of events, N = 5d:
//
//	X2 = N (N sum c_i t_i - C sum d t_i)^2 / (C (N - C) (N sum d t_i^2 - (sum d t_i)^2))
//
// Every case below has the same population at each point, so sum d t_i = 15d and
// sum d t_i^2 = 55d; N sum d t^2 - (sum d t)^2 = 5d*55d - (15d)^2 = 50 d^2.
func TestTrendMarkers(t *testing.T) {
	cases := []struct {
		name   string
		points []stats.Point
		chi2   float64 // NaN: none formed
		want   string
	}{
		// 10, 20, 30, 40, 50 of 1,000: C = 150, N = 5,000, sum c t = 10+40+90+160+250 = 550;
		// N sum c t - C sum d t = 2,750,000 - 2,250,000 = 500,000;
		// X2 = 5,000 * 500,000^2 / (150 * 4,850 * 50,000,000) = 1.25e15 / 3.6375e13 = 34.364.
		// Each point's log-odds rises, so every four of them rise too.
		{"clear rise", series(1000, 10, 20, 30, 40, 50), 34.36426, stats.Increasing},
		// the same backwards: sum c t = 350, N sum c t - C sum d t = -500,000, X2 the same
		{"clear fall", series(1000, 50, 40, 30, 20, 10), 34.36426, stats.Decreasing},
		// 200, 400, 390, 380, 370 of 10,000: C = 1,740, N = 50,000,
		// sum c t = 200+800+1,170+1,520+1,850 = 5,540; N sum c t - C sum d t = 277,000,000 -
		// 261,000,000 = 16,000,000; X2 = 50,000 * 1.6e7^2 / (1,740 * 48,260 * 5e9) =
		// 1.28e19 / 4.19862e17 = 30.486, far above 9.5495: significant, rising. But the rise is
		// the first point alone. Log-odds ln(p/(1-p)): -3.8918, -3.1781, -3.2044, -3.2314,
		// -3.2591; slope over all five (sum (t-3) y / 10) = +0.1212; without 2021 (t = 2..5,
		// mean 3.5, sum (t-3.5)^2 = 5): (-1.5*-3.1781 - 0.5*-3.2044 + 0.5*-3.2314 +
		// 1.5*-3.2591) / 5 = -0.0270, a fall. The direction does not hold: no significant change.
		// (The 95% test on these points, the tool's old rule, called it increasing.)
		{"rise resting on one point", series(10000, 200, 400, 390, 380, 370), 30.48621, stats.NoChange},
		// 100, 110, 120, 130, 140 of 10,000: C = 600, N = 50,000, sum c t = 1,900;
		// N sum c t - C sum d t = 95,000,000 - 90,000,000 = 5,000,000;
		// X2 = 50,000 * 5e6^2 / (600 * 49,400 * 5e9) = 1.25e18 / 1.482e17 = 8.4345:
		// significant at 95% (> 3.84, the old rule: increasing) but not at 99.8% (< 9.5495).
		{"significant at 95% only", series(10000, 100, 110, 120, 130, 140), 8.43455, stats.NoChange},
		// four points: Fingertips needs five (the old rule tested three or four)
		{"four points", series(1000, 10, 20, 30, 40), math.NaN(), stats.CannotBeCalculated},
		{"one point", series(1000, 10), math.NaN(), stats.CannotBeCalculated},
		{"none", nil, math.NaN(), stats.CannotBeCalculated},
		// no events at all: nothing changed
		{"all zero", series(1000, 0, 0, 0, 0, 0), math.NaN(), stats.NoChange},
		// only the latest five count: an early fall then the clear rise above reads as the rise
		{"latest five only", series(1000, 900, 800, 10, 20, 30, 40, 50), 34.36426, stats.Increasing},
		// flat: sum c t = 30*15 = 450, N sum c t - C sum d t = 5,000*450 - 150*15,000 = 0
		{"flat", series(1000, 30, 30, 30, 30, 30), 0, stats.NoChange},
	}
	for _, c := range cases {
		got, err := stats.TrendDetail(c.points)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got.Marker != c.want {
			t.Errorf("%s: %s (%s), want %s", c.name, got.Marker, got.Reason, c.want)
		}
		if math.IsNaN(c.chi2) != math.IsNaN(got.ChiSquare) || (!math.IsNaN(c.chi2) && math.Abs(got.ChiSquare-c.chi2) > 1e-4) {
			t.Errorf("%s: chi-squared %.6f, by hand %.6f", c.name, got.ChiSquare, c.chi2)
		}
		if m, _ := stats.Trend(c.points); m != got.Marker {
			t.Errorf("%s: Trend %s, TrendDetail %s", c.name, m, got.Marker)
		}
	}
	// the leave-one-out reason names the point the trend rests on
	if r, _ := stats.TrendDetail(series(10000, 200, 400, 390, 380, 370)); !strings.Contains(r.Reason, "without 2021") {
		t.Errorf("reason %q does not name 2021", r.Reason)
	}
	if _, err := stats.Trend([]stats.Point{{2021, 10, 5}, {2022, 1, 5}, {2023, 1, 5}, {2024, 1, 5}, {2025, 1, 5}}); err == nil {
		t.Error("more events than population accepted")
	}
	if _, err := stats.Trend([]stats.Point{{2021, 1, 0}}); err == nil {
		t.Error("a population of 0 accepted")
	}
}

// A trend is never tested across a gap or a break: the latest five must be consecutive years.
func TestTrendConsecutive(t *testing.T) {
	gap := series(1000, 10, 20, 30, 40, 50)
	gap[2].Year-- // 2021, 2022, 2022: a repeated year
	if got, _ := stats.Trend(gap); got != stats.CannotBeCalculated {
		t.Errorf("a repeated year: %s", got)
	}
	gap = series(1000, 10, 20, 30, 40, 50)
	for i := 2; i < len(gap); i++ {
		gap[i].Year++ // 2021, 2022, 2024, 2025, 2026: 2023 missing
	}
	if got, _ := stats.Trend(gap); got != stats.CannotBeCalculated {
		t.Errorf("2023 missing among the latest five: %s", got)
	}
	// a gap before the latest five consecutive years does not matter
	early := append([]stats.Point{{2010, 900, 1000}}, series(1000, 10, 20, 30, 40, 50)...)
	if got, _ := stats.Trend(early); got != stats.Increasing {
		t.Errorf("a gap before the latest five: %s", got)
	}
}

// Markers Fingertips itself publishes, from the figures FingertipsNext's own tests hold
// (TrendMarkerCalculatorTests): MMR one dose at 2 years in Yorkshire and the Humber 2020-2024,
// decreasing though 2024 rose; QOF diabetes prevalence in England 2020-2024, increasing.
func TestTrendFingertipsPublished(t *testing.T) {
	mmr := []stats.Point{{2020, 57274, 61834}, {2021, 55865, 60511}, {2022, 53681, 59074}, {2023, 51767, 57508}, {2024, 53185, 59028}}
	if got, _ := stats.Trend(mmr); got != stats.Decreasing {
		t.Errorf("MMR Yorkshire and the Humber: %s, Fingertips decreasing", got)
	}
	diabetes := []stats.Point{{2020, 3455176, 48783947}, {2021, 3491868, 49122259}, {2022, 3625401, 49956777}, {2023, 3774801, 50649129}, {2024, 3938080, 51441896}}
	if got, _ := stats.Trend(diabetes); got != stats.Increasing {
		t.Errorf("QOF diabetes prevalence: %s, Fingertips increasing", got)
	}
}

// careRun is care_trend for one council, as pages and the briefing get it.
func careRun(t *testing.T, council string) *queries.Result {
	t.Helper()
	r, err := measures.Run(context.Background(), testdata.Warehouse(t), "care_trend", queries.Args{"council": council, "locality": "", "service": ""}, stats.DfE)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func careRow(t *testing.T, r *queries.Result, match map[string]string) []any {
	t.Helper()
	var found []any
	n := 0
next:
	for _, row := range r.Rows {
		for col, want := range match {
			if queries.Text(row[r.Col(col)]) != want {
				continue next
			}
		}
		found = row
		n++
	}
	if n != 1 {
		t.Fatalf("%d care_trend rows match %v", n, match)
	}
	return found
}

// points is the latest five years to year of one measure and series, from the answer's own rows.
func points(t *testing.T, r *queries.Result, measure, ser string, year int) []stats.Point {
	t.Helper()
	var out []stats.Point
	for y := year - stats.TrendPoints + 1; y <= year; y++ {
		row := careRow(t, r, map[string]string{"measure": measure, "series": ser, "year": queries.Text(y)})
		x, ok1 := measures.Number(row[r.Col("number")])
		n, ok2 := measures.Number(row[r.Col("children_0_17")])
		if !ok1 || !ok2 {
			t.Fatalf("%s %s %d has no number or population", measure, ser, y)
		}
		out = append(out, stats.Point{Year: y, Events: x, Populace: n})
	}
	return out
}

// Stockport's latest markers: both read increasing under the tool's old rule (95%, no leave-one-out), and
// neither is a Fingertips trend. Looked after 2021-2025 has chi-squared 4.63, below 9.5495;
// protection plans have 15.1, above it, but without 2021 (156 children, the low point) the
// log-odds fall: the rise rests on one year.
func TestTrendStockport(t *testing.T) {
	r := careRun(t, "E08000007")
	for _, c := range []struct {
		measure string
		chi2    float64
		reason  string
	}{{"looked_after", 4.63, "is not above"}, {"protection_plan", 15.12, "without 2021"}} {
		row := careRow(t, r, map[string]string{"measure": c.measure, "series": "council", "year": "2025"})
		if got := queries.Text(row[r.Col("trend")]); got != stats.NoChange {
			t.Errorf("Stockport %s 2025 trend %q, want %q", c.measure, got, stats.NoChange)
		}
		d, err := stats.TrendDetail(points(t, r, c.measure, "council", 2025))
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(d.ChiSquare-c.chi2) > 0.005 || !strings.Contains(d.Reason, c.reason) {
			t.Errorf("Stockport %s 2025: chi-squared %.3f (%s), want %.2f and %q", c.measure, d.ChiSquare, d.Reason, c.chi2, c.reason)
		}
	}
}

// The marker on every row is the test over that row's own series: the council's points only,
// never its predecessor's (Westmorland and Furness from 2024, Cumbria to 2023), and never across
// a year with no figure.
func TestTrendOwnSeries(t *testing.T) {
	for _, council := range []string{"E06000064", "E08000007"} {
		r := careRun(t, council)
		type key struct{ measure, series string }
		run := map[key][]stats.Point{}
		last := map[key]int{}
		for _, row := range r.Rows {
			k := key{queries.Text(row[r.Col("measure")]), queries.Text(row[r.Col("series")])}
			y, _ := measures.Number(row[r.Col("year")])
			x, ok1 := measures.Number(row[r.Col("number")])
			n, ok2 := measures.Number(row[r.Col("children_0_17")])
			if prev, seen := last[k]; seen && int(y) <= prev {
				t.Fatalf("%s %v: years not in order (%d after %d)", council, k, int(y), prev)
			}
			last[k] = int(y)
			want := stats.CannotBeCalculated
			if ok1 && ok2 && n > 0 {
				run[k] = append(run[k], stats.Point{Year: int(y), Events: x, Populace: n})
				want, _ = stats.Trend(run[k])
			} else {
				run[k] = nil
			}
			if got := queries.Text(row[r.Col("trend")]); got != want {
				t.Errorf("%s %v %d: trend %q, over its own series %q", council, k, int(y), got, want)
			}
		}
	}
	wf := careRun(t, "E06000064")
	for _, m := range []string{"looked_after", "in_need", "protection_plan"} {
		for _, y := range []string{"2024", "2025"} {
			row := careRow(t, wf, map[string]string{"measure": m, "series": "council", "year": y})
			if got := queries.Text(row[wf.Col("trend")]); got != stats.CannotBeCalculated {
				t.Errorf("Westmorland and Furness %s %s: %q; its own series has too few years, and Cumbria's is another", m, y, got)
			}
		}
	}
}
