package measures_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"familyhubs/queries"
	"familyhubs/stats"
)

// cols fails the test unless the answer has every column named.
func cols(t *testing.T, r *queries.Result, names ...string) {
	t.Helper()
	for _, c := range names {
		if r.Col(c) < 0 {
			t.Fatalf("%s has no column %s (columns %v)", r.Query.Name, c, r.Columns)
		}
	}
}

func cell(r *queries.Result, row []any, col string) string { return queries.Text(row[r.Col(col)]) }

// A financial-year indicator viewed with a quarter is measured for the latest complete financial
// year, and says so: Stockport 2026-27Q2 showed one quarter's reach against annual targets.
func TestFundYearIndicatorInAQuarterView(t *testing.T) {
	q := run(t, "fund_progress", args(t, "E08000007", "2026-27Q2"), stats.DfE)
	year := run(t, "fund_progress", args(t, "E08000007", "2025-26"), stats.DfE)
	cols(t, q, "period", "measured_for", "status", "as_of")
	for _, id := range []string{"TF4", "TF5", "TF6"} {
		got, want := one(t, q, map[string]string{"id": id}), one(t, year, map[string]string{"id": id})
		if p := cell(q, got, "period"); p != "financial year" {
			t.Errorf("%s: period %q, want financial year", id, p)
		}
		if a, b := num(t, got[q.Col("achieved")]), num(t, want[year.Col("achieved")]); a != b {
			t.Errorf("%s in 2026-27Q2: achieved %g; the financial year 2025-26 asked directly gives %g", id, a, b)
		}
		if m := cell(q, got, "measured_for"); !strings.HasPrefix(m, "2025-26") || !strings.Contains(m, "latest complete financial year") {
			t.Errorf("%s: measured_for %q, want 2025-26 named as the latest complete financial year", id, m)
		}
		if m := cell(year, want, "measured_for"); m != "2025-26" {
			t.Errorf("%s in the 2025-26 view: measured_for %q, want 2025-26", id, m)
		}
		if a := cell(q, got, "as_of"); a != "2026-03-31" {
			t.Errorf("%s: as_of %s, want 2026-03-31, the end of the year measured", id, a)
		}
		if s, w := cell(q, got, "status"), cell(year, want, "status"); s != w {
			t.Errorf("%s: %s in 2026-27Q2, %s for 2025-26", id, s, w)
		}
	}
	// sites and milestones are measured on the view's last day
	for id, want := range map[string]string{"TF2": "30 September 2024", "TF8": "30 September 2026"} {
		if m := cell(q, one(t, q, map[string]string{"id": id}), "measured_for"); !strings.HasPrefix(m, want) {
			t.Errorf("%s: measured_for %q, want it to start %q", id, m, want)
		}
		if p := cell(q, one(t, q, map[string]string{"id": id}), "period"); p != "on the day" {
			t.Errorf("%s: period %q, want on the day", id, p)
		}
	}
	notes := strings.Join(q.Notes, " ")
	if !strings.Contains(notes, "TF4, TF5, TF6, TF7, TF8") || strings.Contains(notes, "TF3,") {
		t.Errorf("the notes do not name the illustrative lines TF4-TF8 (and only those):\n%s", notes)
	}
	if !strings.Contains(notes, "latest complete financial year") {
		t.Errorf("the status rule does not state the period rule:\n%s", notes)
	}
}

// A yes/no milestone counts only once entered, and nothing is measured after the view's end:
// a 2022-23 view showed achievements entered in 2023-08 and 2026-09.
func TestFundEnteredMilestonesKeepToTheView(t *testing.T) {
	r := run(t, "fund_progress", args(t, "E08000007", "2022-23"), stats.DfE)
	cols(t, r, "period", "measured_for")
	tf7 := one(t, r, map[string]string{"id": "TF7"})
	if s := cell(r, tf7, "status"); s != "amber" {
		t.Errorf("TF7 (entered 2023-08-01, due 2023-09-30) in 2022-23: %s, want amber", s)
	}
	if a := num(t, tf7[r.Col("achieved")]); a != 0 {
		t.Errorf("TF7 in 2022-23: achieved %g, want 0 (not yet entered)", a)
	}
	end := time.Date(2023, 3, 31, 0, 0, 0, 0, time.UTC)
	for _, row := range r.Rows {
		id := cell(r, row, "id")
		if d, ok := row[r.Col("as_of")].(time.Time); ok && d.After(end) {
			t.Errorf("%s: as_of %s, after the view's end 2023-03-31", id, d.Format(time.DateOnly))
		}
	}
	tf8 := one(t, r, map[string]string{"id": "TF8"})
	if d, ok := tf8[r.Col("as_of")].(time.Time); !ok || d.After(end) {
		t.Errorf("TF8: as_of %v, want a day no later than 2023-03-31", tf8[r.Col("as_of")])
	}
	// once entered, done: TF7 in the year it was entered
	later := run(t, "fund_progress", args(t, "E08000007", "2023-24"), stats.DfE)
	if s := cell(later, one(t, later, map[string]string{"id": "TF7"}), "status"); s != "green" {
		t.Errorf("TF7 in 2023-24: %s, want green", s)
	}
}

// A quarterly view adds no red that the financial-year view of the latest complete year does not
// have: a Kirklees quarterly briefing printed a false "1 red (LP3)". The same for every council,
// but for a line the quarterly view measures afresh, on a later day (a quarter's target, a site or
// Best Start line judged on the view's day, a newer academic year's GLD).
func TestFundQuarterViewAddsNoRed(t *testing.T) {
	for _, council := range []string{"E08000034", "E08000007", "E06000063", "E06000064", "E08000031"} {
		for _, quarter := range []string{"2023-24Q2", "2024-25Q1", "2024-25Q3", "2025-26Q1", "2025-26Q2", "2025-26Q4", "2026-27Q1", "2026-27Q2"} {
			a := args(t, council, quarter)
			year := queries.LatestCompleteYear(a["period_end"].(time.Time))
			q := run(t, "fund_progress", a, stats.DfE)
			y := run(t, "fund_progress", args(t, council, year.Label), stats.DfE)
			yearRed, yearAsOf := map[string]bool{}, map[string]string{}
			for _, row := range y.Rows {
				yearRed[cell(y, row, "id")] = cell(y, row, "status") == "red"
				yearAsOf[cell(y, row, "id")] = cell(y, row, "as_of")
			}
			for _, row := range q.Rows {
				// a line measured on a later day than the year view measures it (a quarter's target, a
				// line judged on the view's own day, a newer academic year) is measured afresh
				id := cell(q, row, "id")
				if asOf := cell(q, row, "as_of"); asOf != yearAsOf[id] {
					continue
				}
				if cell(q, row, "status") == "red" && !yearRed[id] {
					t.Errorf("%s %s: %s is red (achieved %s as of %s); not red in %s", council, quarter, id,
						cell(q, row, "achieved"), cell(q, row, "as_of"), year.Label)
				}
			}
		}
	}
}

// A month is viewed as a quarter is: measured for the same whole periods, from raw contacts.
func TestFundMonthViewIsAQuarterView(t *testing.T) {
	for _, c := range []struct{ month, quarter string }{{"2026-09", "2026-27Q2"}, {"2025-06", "2025-26Q1"}, {"2024-12", "2024-25Q3"}} {
		m := run(t, "fund_progress", args(t, "E08000007", c.month), stats.DfE)
		q := run(t, "fund_progress", args(t, "E08000007", c.quarter), stats.DfE)
		if !m.Raw || q.Raw {
			t.Errorf("%s answered from raw %v, %s from raw %v", c.month, m.Raw, c.quarter, q.Raw)
		}
		if a, b := fmt.Sprint(texts(m)), fmt.Sprint(texts(q)); a != b {
			t.Errorf("month %s differs from quarter %s:\n%s\n%s", c.month, c.quarter, a, b)
		}
	}
	// a month inside a quarter measures a financial-year line as its quarter does
	m := run(t, "fund_progress", args(t, "E08000007", "2026-08"), stats.DfE)
	q := run(t, "fund_progress", args(t, "E08000007", "2026-27Q2"), stats.DfE)
	cols(t, m, "measured_for")
	for _, id := range []string{"TF4", "TF5", "TF6"} {
		a, b := one(t, m, map[string]string{"id": id}), one(t, q, map[string]string{"id": id})
		if cell(m, a, "achieved") != cell(q, b, "achieved") || cell(m, a, "status") != cell(q, b, "status") ||
			!strings.HasPrefix(cell(m, a, "measured_for"), "2025-26") {
			t.Errorf("%s: 2026-08 gives %s %s (%s); 2026-27Q2 gives %s %s", id, cell(m, a, "achieved"), cell(m, a, "status"),
				cell(m, a, "measured_for"), cell(q, b, "achieved"), cell(q, b, "status"))
		}
	}
}

// With no complete financial year of the plan by the view's end, a financial-year line is not
// yet measurable: no value, no red.
func TestFundNotYetMeasurable(t *testing.T) {
	for _, c := range []struct{ council, period, id string }{
		{"E08000007", "2019-20Q1", "TF4"}, // before the data's first whole year
		{"E06000063", "2023-24Q2", "LP3"}, // 2022-23, the year before the plan began
	} {
		r := run(t, "fund_progress", args(t, c.council, c.period), stats.DfE)
		cols(t, r, "measured_for")
		row := one(t, r, map[string]string{"id": c.id})
		if s := cell(r, row, "status"); s != "not yet measurable" || row[r.Col("achieved")] != nil {
			t.Errorf("%s %s %s: achieved %v, status %s; want no value, not yet measurable", c.council, c.period, c.id,
				row[r.Col("achieved")], s)
		}
		if m := cell(r, row, "measured_for"); !strings.Contains(m, "no complete financial year") {
			t.Errorf("%s %s %s: measured_for %q", c.council, c.period, c.id, m)
		}
	}
}

func texts(r *queries.Result) [][]string {
	var out [][]string
	for _, row := range r.Rows {
		var cells []string
		for _, v := range row {
			cells = append(cells, queries.Text(v))
		}
		out = append(out, cells)
	}
	return out
}
