package answers_test

import (
	"strings"
	"testing"

	"familyhubs/answers"
)

// Every reach figure says which children it is set against (issue 14, item 3): 2024-25 against
// mid-2024, as DfE sets the year to 31 March 2025; 2026-27, which no mid-year covers yet, against
// the latest (mid-2024), said so; the quarterly trend names the span of mid-years it used
// (2019-20 to 2026-27: mid-2019 to mid-2024). A care figure says nothing of it.
func TestReachSaysItsDenominator(t *testing.T) {
	a := service(t)
	for _, c := range []struct {
		query string
		fig   *answers.Figure
		want  string
	}{
		{"council=stockport&period=2024-25", answers.ReachIDACI, " · children 0-19 at ONS mid-2024 (council total shared by Census 2021)"},
		{"council=stockport&period=2026-27Q1", answers.ReachIDACI, "children 0-19 at ONS mid-2024 (council total shared by Census 2021), the latest available for 2026-27"},
		{"council=stockport&period=2024-25", answers.Localities, "children 0-19 at ONS mid-2024"},
		{"council=stockport&period=2024-25", answers.ReachTrend,
			"children 0-19 at each financial year's previous ONS mid-year (mid-2019 to mid-2024; mid-2024, the latest available, for later years), council totals shared by Census 2021"},
		{"council=stockport&period=2024-25", answers.Inequality, "(mid-2019 to mid-2024; mid-2024, the latest available, for later years)"},
	} {
		d, err := a.Draw(ctx, view(t, a, c.query), c.fig)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(d.Subtitle, c.want) {
			t.Errorf("%s %s: subtitle %q, want it to say %q", c.fig.ID, c.query, d.Subtitle, c.want)
		}
	}
	d, err := a.Draw(ctx, view(t, a, "council=stockport&period=2024-25"), answers.CareModelled)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(d.Subtitle, "children 0-19") {
		t.Errorf("a care figure claims reach's denominator: %q", d.Subtitle)
	}
}
