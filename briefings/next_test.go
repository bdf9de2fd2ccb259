package briefings

import (
	"regexp"
	"strings"
	"testing"

	"familyhubs/answers"
	"familyhubs/measures"
)

// The briefing's "What happened next" section (issue 16) prints, for every demo council, the
// step-up figures as measures.Run gives them under the briefing's disclosure control (the
// cohort, children still followed and referred, the estimate and its limits, row by row), drawn
// from the same declaration as the page, with the follow-up, the descriptive-not-causal sentence
// and the method.
func TestWhatHappenedNextInTheBriefing(t *testing.T) {
	for _, council := range []string{"stockport", "kirklees", "wolverhampton", "cumberland", "westmorland-furness"} {
		_, text := render(t, council, "2023-24")
		flat := strings.Join(strings.Fields(text), " ")
		for _, s := range []string{"What happened next", answers.StepUp.Title, answers.StepUp.Shows, measures.StepUpCaution,
			"Method: " + measures.StepUpMethod, "Each child is followed from their first contact to 31 March 2025"} {
			if !strings.Contains(flat, strings.Join(strings.Fields(s), " ")) {
				t.Errorf("%s: %.60q not in the briefing", council, s)
			}
		}
		res := answer(t, "step_up", filters(t, council, "2023-24"), Policy)
		if len(res.Rows) != 3 {
			t.Fatalf("%s: %d step-up rows", council, len(res.Rows))
		}
		for _, row := range res.Rows {
			var cells []string
			for _, c := range answers.StepUp.Brief {
				cells = append(cells, regexp.QuoteMeta(answers.Cell(c, row[res.MustCol(c)])))
			}
			if !regexp.MustCompile(`\n\s*` + strings.Join(cells, `\s+`) + `\s*\n`).MatchString(text) {
				t.Errorf("%s: no row %v in the briefing", council, cells)
			}
		}
		if _, ok := measures.Number(res.Rows[0][res.MustCol("cumulative_incidence")]); !ok {
			t.Errorf("%s: no estimate at 6 months", council)
		}
		// the link rate in words, and every row of the reached-before-crisis, re-referral and link tables
		links := answer(t, "link_rates", filters(t, council, "2023-24"), Policy)
		all := answers.Only(links, map[string]string{"link_method": "all"})[0]
		if want := answers.Cell("share_linked", all[links.MustCol("share_linked")]) + "% of children with a referral could be linked to family hub records"; !strings.Contains(flat, want) {
			t.Errorf("%s: %q not in the briefing", council, want)
		}
		for _, f := range []*answers.Figure{answers.StepUpByIDACI, answers.ReachedFigures[0], answers.ReachedFigures[1], answers.ReachedTrend, answers.ReReferral, answers.Journeys, answers.LinkRates} {
			res := answer(t, f.Question, filters(t, council, "2023-24"), Policy)
			for _, row := range answers.Only(res, f.Only) {
				var cells []string
				for _, c := range f.Brief {
					// names may wrap in their cell, the rest of the row on its first line
					if cell := answers.Cell(c, row[res.MustCol(c)]); c != "category" && c != "route" && c != "kind" && cell != "" {
						cells = append(cells, regexp.QuoteMeta(cell))
					}
				}
				if !regexp.MustCompile(`\n[^\n]*?` + strings.Join(cells, `\s[^\n]*?`) + `\s*\n`).MatchString(text) {
					t.Errorf("%s %s: no row %v in the briefing", council, f.ID, cells)
				}
			}
		}
	}
	// the reached-before-crisis shares year by year (the years the records cover whole, not the
	// period's): the chart, and Stockport's latest year in words, as the page says them, with
	// the lower bound, descriptive not causal, and the looked-after rate to read it beside
	_, text := render(t, "stockport", "2023-24")
	flat := strings.Join(strings.Fields(text), " ")
	trend := answer(t, "reached_before_crisis_trend", filters(t, "stockport", "2023-24"), Policy)
	la := answers.Only(trend, map[string]string{"kind": "looked_after"})
	if len(la) != 5 || trend.Str(la[0], "year") != "2020-21" || trend.Str(la[4], "year") != "2024-25" {
		t.Fatalf("Stockport's trend: %d years of children looked after, want 2020-21 to 2024-25", len(la))
	}
	cell := func(c string) string { return answers.Cell(c, la[4][trend.MustCol(c)]) }
	for _, s := range []string{answers.ReachedTrend.Title,
		"In 2024-25, of the " + cell("children") + " children who started to be looked after, " + cell("reached_12m") + " had been seen by the family hubs in the 12 months before (" +
			cell("share_reached_12m") + "%, " + cell("share_reached_12m_lower") + " to " + cell("share_reached_12m_upper") + ")",
		"The years run from 2020-21", "rises and falls with the link rate", "Descriptive, not causal",
		"Read it beside the council's rate of children looked after per 10,000"} {
		if !strings.Contains(flat, strings.Join(strings.Fields(s), " ")) {
			t.Errorf("stockport: %.80q not in the briefing", s)
		}
	}
	// children the care records do not reach yet: said in words, no empty chart
	_, text = render(t, "stockport", "2025-26Q2")
	flat = strings.Join(strings.Fields(text), " ")
	if !strings.Contains(flat, "cannot be followed yet: the children's social care records run to 31 March 2025") {
		t.Error("2025-26Q2: the briefing does not say its children cannot be followed yet")
	}
}
