package measures_test

import (
	"testing"

	"familyhubs/queries"
	"familyhubs/stats"
)

// Factors identified at the end of assessment (DfE table C3), worked by hand from
// shared/datasets/care/dfe_c3_factors_identified_at_end_of_assessment_2018_to_2025.csv.
// Stockport, reporting year 2024-25 (to 31 March 2025), 2,892 episodes with a factor:
//   - domestic abuse concerning the parent 1,052 = 36.4%; England 162,890 of 513,250 = 31.7%;
//     North West 27,340 of 80,620 = 33.9%;
//   - domestic abuse concerning the child 349 = 12.1%; England 57,930 = 11.3%;
//   - mental health of the parent 1,074 = 37.1%; neglect 287 = 9.9%;
//   - the ten neighbours' domestic abuse (parent): Cheshire West and Chester 34.9, Solihull 36.0,
//     Warrington 29.7, Warwickshire 33.9, Essex 33.5, Worcestershire 37.8, Bury 32.0, Lancashire
//     27.3, Kent 29.0, North Somerset 34.5: average 32.86, shown 32.9;
//   - 101 of the 152 councils with a figure have a lower share: rank 102, quartile 3.
func TestCareFactors(t *testing.T) {
	r := run(t, "care_factors", args(t, "E08000007", "2024-25"), stats.DfE)
	if len(r.Rows) != 16 {
		t.Fatalf("%d factors, want 16", len(r.Rows))
	}
	want := map[string]struct{ number, percent, england float64 }{
		"domestic_abuse_parent": {1052, 36.4, 31.7},
		"domestic_abuse_child":  {349, 12.1, 11.3},
		"mental_health_parent":  {1074, 37.1, 0},
		"neglect":               {287, 9.9, 0},
	}
	for factor, w := range want {
		row := one(t, r, map[string]string{"factor": factor})
		if queries.Text(row[r.Col("year")]) != "2025" || num(t, row[r.Col("episodes")]) != 2892 ||
			num(t, row[r.Col("number")]) != w.number || num(t, row[r.Col("percent")]) != w.percent {
			t.Errorf("Stockport %s: %v", factor, row)
		}
		if w.england > 0 && num(t, row[r.Col("england_percent")]) != w.england {
			t.Errorf("England %s: %v, want %g", factor, row[r.Col("england_percent")], w.england)
		}
	}
	da := one(t, r, map[string]string{"factor": "domestic_abuse_parent"})
	for col, w := range map[string]float64{"region_percent": 33.9, "neighbours_percent": 32.9, "neighbours_with_data": 10,
		"rank": 102, "quartile": 3, "councils_ranked": 152} {
		if got := num(t, da[r.Col(col)]); got != w {
			t.Errorf("domestic abuse (parent) %s: %g, want %g", col, got, w)
		}
	}
	if got := queries.Text(da[r.Col("region_name")]); got != "North West" {
		t.Errorf("region %q, want North West", got)
	}
	if got := queries.Text(da[r.Col("factor_name")]); got != "Domestic abuse: concerns about the parent or carer" {
		t.Errorf("factor name %q", got)
	}
	for _, c := range r.Columns {
		if c == "number_symbol" || c == "percent_symbol" || c == "england_percent_symbol" {
			t.Errorf("symbol column %s left in the answer: the symbol belongs in its figure", c)
		}
	}
	// the rank is the number of English councils with a lower share, plus one, worked from the table
	below := sqlInt(t, `SELECT count(*) FROM care_factors WHERE factor = 'domestic_abuse_parent' AND year = 2025 AND level = 'Local authority'
		AND number IS NOT NULL AND episodes > 0 AND number * 1.0 / episodes < 1052.0 / 2892`)
	if below != 101 {
		t.Errorf("%g councils below Stockport, worked by hand 101", below)
	}

	// the year before: 931 of 2,611 = 35.7%
	prev := run(t, "care_factors", args(t, "E08000007", "2023-24"), stats.DfE)
	if row := one(t, prev, map[string]string{"factor": "domestic_abuse_parent"}); queries.Text(row[prev.Col("year")]) != "2024" ||
		num(t, row[prev.Col("percent")]) != 35.7 {
		t.Errorf("Stockport 2023-24: %v", row)
	}
}

// DfE's symbols are not published figures, never zero: City of London's 2024-25 return withholds
// (c) domestic abuse, mental health, neglect and more; child criminal exploitation was not
// collected (x) before 2021-22; Hackney published no factors (x) for 2020-21 and 2021-22, so its
// latest year up to 2021-22 is 2019-20.
func TestCareFactorsKeepDfESymbols(t *testing.T) {
	r := run(t, "care_factors", args(t, "E09000001", "2024-25"), stats.DfE)
	for _, f := range []string{"domestic_abuse_parent", "domestic_abuse_child", "mental_health_parent", "neglect", "emotional_abuse", "gangs"} {
		row := one(t, r, map[string]string{"factor": f})
		for _, col := range []string{"number", "percent"} {
			s, ok := row[r.Col(col)].(stats.Suppressed)
			if !ok || s.Symbol != "c" || s.Reason == "" {
				t.Errorf("City of London %s %s: %#v, want DfE's c", f, col, row[r.Col(col)])
			}
		}
		if row[r.Col("rank")] != nil {
			t.Errorf("City of London %s ranked (%v) without a figure", f, row[r.Col("rank")])
		}
		// England and the region are published beside the council's symbol
		num(t, row[r.Col("england_percent")])
		num(t, row[r.Col("region_percent")])
	}
	// a factor City of London did publish is shown: alcohol misuse (parent)
	num(t, one(t, r, map[string]string{"factor": "alcohol_misuse_parent"})[r.Col("percent")])

	early := run(t, "care_factors", args(t, "E08000007", "2019-20"), stats.DfE)
	for _, col := range []string{"number", "percent", "england_percent", "region_percent", "neighbours_percent"} {
		v := one(t, early, map[string]string{"factor": "child_criminal_exploitation"})[early.Col(col)]
		if s, ok := v.(stats.Suppressed); !ok || s.Symbol != "x" {
			t.Errorf("child criminal exploitation 2019-20 %s: %#v, want x (not collected)", col, v)
		}
	}

	h := run(t, "care_factors", args(t, "E09000012", "2021-22"), stats.DfE)
	if y := queries.Text(h.Rows[0][h.Col("year")]); y != "2020" {
		t.Errorf("Hackney asked 2021-22: year %s, want 2020 (2021 and 2022 are x)", y)
	}

	// every council with a network gets the 16 factors with England beside each
	for _, c := range []string{"E08000034", "E08000031", "E06000063", "E06000064"} {
		b := run(t, "care_factors", args(t, c, "2024-25"), stats.DfE)
		if len(b.Rows) != 16 {
			t.Errorf("%s: %d rows", c, len(b.Rows))
		}
		for _, row := range b.Rows {
			num(t, row[b.Col("england_percent")])
		}
	}
}
