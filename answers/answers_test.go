package answers_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"familyhubs/answers"
	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

var ctx = context.Background()

func service(t testing.TB) *answers.Service {
	db := testdata.Warehouse(t)
	return answers.New(db, db.Version, db.DataEnd)
}

func view(t *testing.T, a *answers.Service, q string) *answers.View {
	t.Helper()
	vals, err := url.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.Parse(ctx, vals)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The comparison period is written once and named so a reader knows which it is.
func TestPreviousPeriod(t *testing.T) {
	for _, c := range []struct{ period, label, start, end, compared string }{
		{"2024-25", "2023-24", "2023-04-01", "2024-03-31", "2023-24, the year before"},
		{"2024-25Q3", "2023-24Q3", "2023-10-01", "2023-12-31", "2023-24Q3, the same quarter a year before"},
		{"2024-02", "2023-02", "2023-02-01", "2023-02-28", "February 2023, the same month a year before"},
		{"2025-02", "2024-02", "2024-02-01", "2024-02-29", "February 2024, the same month a year before"},
		{"2024-06-03..2024-06-09", "2023-06-03..2023-06-09", "2023-06-03", "2023-06-09", "3 June 2023 to 9 June 2023, a year before"},
	} {
		p, err := queries.ParsePeriod(c.period)
		if err != nil {
			t.Fatal(err)
		}
		prev := answers.Previous(p)
		if prev.Label != c.label || prev.Start.Format("2006-01-02") != c.start || prev.End.Format("2006-01-02") != c.end {
			t.Errorf("%s: previous %s %s..%s, want %s %s..%s", c.period, prev.Label, prev.Start.Format("2006-01-02"), prev.End.Format("2006-01-02"), c.label, c.start, c.end)
		}
		if got := answers.Compared(p); got != c.compared {
			t.Errorf("%s: compared with %q, want %q", c.period, got, c.compared)
		}
	}
}

// Numbers print alike on pages, in briefings and in tables: thousands separated everywhere.
func TestFormat(t *testing.T) {
	for _, c := range []struct {
		v    any
		d    int
		want string
	}{
		{int64(4934), 0, "4,934"}, {1234567.891, 1, "1,234,567.9"}, {-0.04, 1, "0.0"}, {-1234.5, 1, "-1,234.5"},
		{nil, 0, ".."}, {stats.Suppressed{Symbol: "c"}, 0, "c"}, {int64(12), 0, "12"},
	} {
		if got := answers.Format(c.v, c.d); got != c.want {
			t.Errorf("Format(%v, %d) = %q, want %q", c.v, c.d, got, c.want)
		}
	}
}

// A period outside the data, or a council without contacts, is said in plain words and gives no
// tiles or messages about service use (the old pages said "reached 0 children", "down 100%").
func TestPeriodsWithoutData(t *testing.T) {
	a := service(t)
	for _, c := range []struct{ q, says string }{
		{"council=stockport&period=2027-28", "so it has no data for 2027-28"},
		{"council=kirklees&period=2018-19Q4", "so it has no data for 2018-19Q4"},
		{"council=manchester&period=2024-25", "holds no service contacts for Manchester"},
	} {
		v := view(t, a, c.q)
		if !strings.Contains(v.DataProblem(), c.says) {
			t.Errorf("%s: problem %q, want it to say %q", c.q, v.DataProblem(), c.says)
		}
		h, err := a.Headlines(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		for _, tile := range h.Tiles {
			if strings.Contains(tile.Label, "reached") || strings.Contains(tile.Change, "down 100%") {
				t.Errorf("%s: a tile about service use despite no data: %+v", c.q, tile)
			}
		}
		for _, m := range h.Messages {
			if strings.Contains(m, "reached") && !strings.Contains(m, "plan") {
				t.Errorf("%s: a message about reach despite no data: %s", c.q, m)
			}
			if strings.Contains(m, "NaN") {
				t.Errorf("%s: NaN in %s", c.q, m)
			}
		}
	}
	// a period that runs past the data is flagged, and not compared with a year before
	v := view(t, a, "council=stockport&period=2026-27")
	if v.DataProblem() != "" || !strings.Contains(v.PartialNote(), "2026-27") || v.Comparable() {
		t.Errorf("2026-27 (data end %s): problem %q, partial %q, comparable %v", v.Coverage.Last, v.DataProblem(), v.PartialNote(), v.Comparable())
	}
	h, err := a.Headlines(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h.Tiles[0].Change, "not compared") {
		t.Errorf("a part-year was compared with a whole one: %s", h.Tiles[0].Change)
	}
}

// A suppressed count is never printed as 0 and never feeds a comparison: Westmorland and Furness,
// one small service, one month, under the NHS rule (the cell key method's count, then 1-7 hidden).
func TestSuppressedTilesAreNotZero(t *testing.T) {
	a := service(t)
	found := false
	for _, q := range []string{"council=westmorland-furness&period=2024-06&locality=South+Lakeland&service=midwifery_antenatal&disclosure=nhs",
		"council=westmorland-furness&period=2024-07&locality=East+Cumbria+%28Eden%29&service=drug_alcohol&disclosure=nhs",
		"council=westmorland-furness&period=2024-06&locality=South+Lakeland&service=drug_alcohol&disclosure=nhs"} {
		vals, _ := url.ParseQuery(q)
		v, err := a.Parse(ctx, vals)
		if err != nil {
			continue // a service code this council lacks
		}
		total, err := a.Run(ctx, v, "reach_total")
		if err != nil {
			t.Fatal(err)
		}
		cell := total.Rows[0][total.MustCol("children_reached")]
		if _, ok := cell.(stats.Suppressed); !ok {
			continue
		}
		found = true
		h, err := a.Headlines(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		if h.Tiles[0].Value != "*" || strings.Contains(h.Tiles[0].Change, "down") || strings.Contains(h.Tiles[0].Change, "up from") {
			t.Errorf("%s: children tile %+v", q, h.Tiles[0])
		}
		if strings.Contains(h.Messages[0], "reached 0 ") || !strings.Contains(h.Messages[0], "reached * children") {
			t.Errorf("%s: %s", q, h.Messages[0])
		}
	}
	if !found {
		t.Fatal("no view with a suppressed total: the test needs one")
	}
}

// Localities: the highest and the lowest are two different localities with shown rates.
func TestLocalityMessageNamesTwo(t *testing.T) {
	a := service(t)
	for _, q := range []string{"council=cumberland&period=2024-25", "council=stockport&period=2025-26Q1", "council=wolverhampton&period=2023-24"} {
		h, err := a.Headlines(ctx, view(t, a, q))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range h.Messages {
			if !strings.HasPrefix(m, "Among the localities") {
				continue
			}
			hi := strings.SplitN(strings.TrimPrefix(m, "Among the localities, reach was highest in "), " (", 2)[0]
			if strings.Contains(m, "lowest in "+hi+" (") {
				t.Errorf("%s: %s", q, m)
			}
		}
	}
}

// The modelled care chart sums the modelled neighbourhoods by decile before suppressing, so a
// decile of 38 children is not shown as 0 because each of its neighbourhoods holds fewer than 6;
// and a period past the latest published year shows the latest year, not an empty frame.
func TestModelledCareByDecile(t *testing.T) {
	a := service(t)
	db := testdata.Warehouse(t)
	for _, q := range []string{"council=stockport&period=2024-25", "council=kirklees&period=2024-25", "council=stockport&period=2025-26"} {
		v := view(t, a, q)
		d, err := a.Draw(ctx, v, answers.CareModelled)
		if err != nil {
			t.Fatal(err)
		}
		year := d.Result.Str(d.Rows[0], "year")
		y, _ := measures.Number(d.Rows[0][d.Result.MustCol("year")])
		want := "2025"
		if strings.Contains(q, "2024-25") {
			want = "2025" // 31 March 2025 ends 2024-25
		}
		if year != want {
			t.Errorf("%s: year %s, want %s", q, year, want)
		}
		// the exact model, summed by decile, against the chart's numbers
		exact, err := measures.Run(ctx, db, "care_by_neighbourhood", queries.Args{"council": v.Filters.Council.Code, "period_end": time.Date(int(y), time.March, 31, 0, 0, 0, 0, time.UTC)}, stats.Exact)
		if err != nil {
			t.Fatal(err)
		}
		sums := map[string]float64{}
		for _, row := range exact.Rows {
			if exact.Str(row, "measure") == "looked_after" {
				n, _ := measures.Number(row[exact.MustCol("number")])
				sums[exact.Str(row, "idaci_decile")] += n
			}
		}
		shown, primary := 0, 0
		for _, row := range d.Rows {
			decile := d.Result.Str(row, "idaci_decile")
			if sums[decile] >= 1 && sums[decile] <= 5 {
				primary++
			}
		}
		for _, row := range d.Rows {
			decile := d.Result.Str(row, "idaci_decile")
			cell := row[d.Result.MustCol("number")]
			if n, ok := measures.Number(cell); ok {
				shown++
				if n != sums[decile] {
					t.Errorf("%s decile %s: %v, model sums to %v", q, decile, n, sums[decile])
				}
			} else if sums[decile] > 5 && primary == 0 {
				// a larger cell is suppressed only to protect a small one (secondary suppression)
				t.Errorf("%s decile %s: %v although the model gives %v and no decile is small", q, decile, cell, sums[decile])
			}
		}
		if shown < 5 {
			t.Errorf("%s: only %d deciles shown", q, shown)
		}
	}
}

// The reader may choose 99.8% limits (limits=99.8): every figure with whiskers then draws the
// 99.8% columns, wider than the 95% ones, and says which; anything else is refused.
func TestReaderChoosesWideLimits(t *testing.T) {
	a := service(t)
	narrow := view(t, a, "council=stockport&period=2024-25")
	wide := view(t, a, "council=stockport&period=2024-25&limits=99.8")
	if !wide.Wide || narrow.Wide {
		t.Fatal("limits=99.8 not read")
	}
	d95, err := a.Draw(ctx, narrow, answers.ReachIDACI)
	if err != nil {
		t.Fatal(err)
	}
	d998, err := a.Draw(ctx, wide, answers.ReachIDACI)
	if err != nil {
		t.Fatal(err)
	}
	if d95.Limits != "95% confidence limits" || d998.Limits != "99.8% confidence limits" {
		t.Errorf("limits named %q and %q", d95.Limits, d998.Limits)
	}
	res := d998.Result
	for i, row := range d998.Rows {
		lo95, _ := measures.Number(d95.Lines[0].Lower[i])
		lo, _ := measures.Number(d998.Lines[0].Lower[i])
		want, _ := measures.Number(row[res.MustCol("reach_per_1000_lower_998")])
		if lo != want || lo >= lo95 {
			t.Errorf("row %d: 99.8%% lower %g (column %g), 95%% lower %g", i, lo, want, lo95)
		}
	}
	if _, err := a.Parse(ctx, url.Values{"limits": {"90"}}); err == nil {
		t.Error("limits=90 accepted")
	}
}
