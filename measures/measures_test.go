package measures_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

var ctx = context.Background()

func args(t testing.TB, council, period string) queries.Args {
	p, err := queries.ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	return queries.Args{"council": council, "period_start": p.Start, "period_end": p.End, "locality": "", "service": ""}
}

func run(t testing.TB, name string, a queries.Args, p stats.Policy) *queries.Result {
	t.Helper()
	res, err := measures.Run(ctx, testdata.Warehouse(t), name, a, p)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func num(t *testing.T, v any) float64 {
	t.Helper()
	f, ok := measures.Number(v)
	if !ok {
		t.Fatalf("%v (%T) is not a number", v, v)
	}
	return f
}

func rows(r *queries.Result, match map[string]string) [][]any {
	var out [][]any
next:
	for _, row := range r.Rows {
		for col, want := range match {
			if queries.Text(row[r.Col(col)]) != want {
				continue next
			}
		}
		out = append(out, row)
	}
	return out
}

func one(t *testing.T, r *queries.Result, match map[string]string) []any {
	t.Helper()
	rs := rows(r, match)
	if len(rs) != 1 {
		t.Fatalf("%s: %d rows match %v", r.Query.Name, len(rs), match)
	}
	return rs[0]
}

func sqlInt(t *testing.T, q string, a ...any) float64 {
	t.Helper()
	var n float64
	if err := testdata.Warehouse(t).QueryRow(q, a...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// Every named query has a known-answer test in this package or in queries' tests.
func TestEveryQueryIsTested(t *testing.T) {
	known := map[string]bool{"councils": true, "neighbourhoods_by_decile": true, "care_at_31_march": true, "site_activity": true,
		"reach_by_decile": true, "reach_by_locality": true, "reach_trend": true, "service_mix": true, "inequality_summary": true,
		"care_trend": true, "care_by_neighbourhood": true, "fund_progress": true, "reach_by_neighbourhood": true, "channel_mix": true, "return_people": true, "sites_open": true,
		"england_reach_by_decile": true, "reach_total": true, "data_coverage": true, "care_by_decile": true, "sites_by_locality": true, "step_up": true,
		"care_benchmark": true, "care_measures": true, "care_factors": true, "reached_before_crisis": true, "reached_before_crisis_trend": true, "re_referral": true, "link_rates": true, "step_up_by_group": true, "journeys": true,
		"access_neighbourhoods": true, "access_coverage": true, "access_candidates": true, "access_next_hub": true, "access_buildings": true, "access_next_hub_buildings": true,
		"early_years": true}
	for _, q := range queries.All() {
		if !known[q.Name] {
			t.Errorf("query %s has no known-answer test", q.Name)
		}
	}
}

// England's and each region's reach by IDACI decile is the sum of its councils' own answers, and
// a decile's children reached is the distinct count over raw contacts.
func TestEnglandReachByDecile(t *testing.T) {
	a := args(t, "", "2024-25")
	eng := run(t, "england_reach_by_decile", a, stats.Exact)
	if len(eng.Rows) != 10*4 { // England and three regions (North West, Yorkshire and The Humber, West Midlands)
		t.Fatalf("%d rows, want 40", len(eng.Rows))
	}
	regions := map[string][]string{"England": {"E08000007", "E08000034", "E08000031", "E06000063", "E06000064"},
		"North West": {"E08000007", "E06000063", "E06000064"}, "Yorkshire and The Humber": {"E08000034"},
		"West Midlands": {"E08000031"}}
	for area, codes := range regions {
		for d := 1; d <= 10; d++ {
			var reached, families, resident float64
			for _, code := range codes {
				a["council"] = code
				r := run(t, "reach_by_decile", a, stats.Exact)
				row := one(t, r, map[string]string{"index": "IDACI", "decile": queries.Text(d)})
				reached += num(t, row[r.Col("children_reached")])
				families += num(t, row[r.Col("families_reached")])
				resident += num(t, row[r.Col("children_resident")])
			}
			row := one(t, eng, map[string]string{"area": area, "idaci_decile": queries.Text(d)})
			got := []float64{num(t, row[eng.Col("children_reached")]), num(t, row[eng.Col("families_reached")]), num(t, row[eng.Col("children_resident")])}
			if got[0] != reached || got[1] != families || got[2] != resident {
				t.Errorf("%s decile %d: reached, families, resident %v; its councils add to %v", area, d, got, []float64{reached, families, resident})
			}
			if n := num(t, row[eng.Col("councils")]); n > float64(len(codes)) || n < 1 {
				t.Errorf("%s decile %d: %v councils", area, d, n)
			}
		}
	}
	want := sqlInt(t, `SELECT count(DISTINCT c.child_id) FROM contacts c JOIN neighbourhood_profile n USING (lsoa21_code)
		JOIN people k ON k.person_id = c.child_id
		WHERE n.idaci_decile = 1 AND c.age_band <> '20-25' AND c.contact_date >= k.birth_date AND c.contact_date BETWEEN '2024-04-01' AND '2025-03-31'`)
	if got := num(t, one(t, eng, map[string]string{"area": "England", "idaci_decile": "1"})[eng.Col("children_reached")]); got != want || want < 1000 {
		t.Errorf("England decile 1: %v children reached, contacts say %v", got, want)
	}
}

func TestReachByDecile(t *testing.T) {
	r := run(t, "reach_by_decile", args(t, "E08000007", "2024-25"), stats.Exact)
	var resident float64
	for _, row := range rows(r, map[string]string{"index": "IDACI"}) {
		resident += num(t, row[r.Col("children_resident")])
		n, pop := num(t, row[r.Col("children_reached")]), num(t, row[r.Col("children_resident")])
		if got, want := num(t, row[r.Col("reach_per_1000")]), measures.Round(n/pop*1000, 3); got != want {
			t.Errorf("decile %v: reach %g, hand %g", row[1], got, want)
		}
		lo, hi := num(t, row[r.Col("reach_per_1000_lower")]), num(t, row[r.Col("reach_per_1000_upper")])
		if !(lo < n/pop*1000 && hi > n/pop*1000) {
			t.Errorf("decile %v: limits %g-%g", row[1], lo, hi)
		}
	}
	// 2024-25 is set against mid-2024 (denominator_years): DfE/ONS 0-17 64,910, plus 18-19 in
	// Stockport's Census 2021 proportion, round(64,910 x 4,887 / 62,435) = round(5,080.73) = 5,081
	if resident != 69991 {
		t.Errorf("IDACI deciles hold %g children, want 64,910 + 5,081 = 69,991", resident)
	}
	// decile 1 counted straight from the contacts
	row := one(t, r, map[string]string{"index": "IDACI", "decile": "1"})
	direct := sqlInt(t, `SELECT count(DISTINCT c.child_id) FROM contacts c
		JOIN deprivation d ON d.lsoa21_code = c.lsoa21_code AND d.edition = 'IoD2025'
		JOIN people k ON k.person_id = c.child_id
		WHERE c.council_code = 'E08000007' AND d.idaci_decile = 1 AND c.age_band <> '20-25' AND c.contact_date >= k.birth_date
		AND c.contact_date BETWEEN '2024-04-01' AND '2025-03-31'`)
	if got := num(t, row[r.Col("children_reached")]); got != direct {
		t.Errorf("IDACI decile 1 reached %g, counted directly %g", got, direct)
	}
	// the gradient the hubs are meant to show: decile 1 reach well above decile 10
	d10 := one(t, r, map[string]string{"index": "IDACI", "decile": "10"})
	if num(t, row[r.Col("reach_per_1000_lower")]) <= num(t, d10[r.Col("reach_per_1000_upper")]) {
		t.Error("decile 1 reach is not significantly above decile 10")
	}
}

// The check: the SII and RII that inequality_summary prints can be reproduced by hand
// from reach_by_decile's IDACI rows for the same financial year.
func TestInequalitySummaryReproducibleFromReachByDecile(t *testing.T) {
	summary := run(t, "inequality_summary", queries.Args{"council": "E08000007", "locality": "", "service": ""}, stats.DfE)
	if len(summary.Rows) != 7 {
		t.Fatalf("%d years, want 2019-20 to 2025-26", len(summary.Rows))
	}
	for _, fy := range []string{"2019-20", "2024-25"} {
		deciles := run(t, "reach_by_decile", args(t, "E08000007", fy), stats.DfE)
		var qs []stats.Quantile
		var reached, resident, reached12, resident12 float64
		for _, row := range rows(deciles, map[string]string{"index": "IDACI"}) {
			// reach is a proportion: the decile's share reached with Wilson limits, by hand
			pop, n := num(t, row[deciles.Col("children_resident")]), num(t, row[deciles.Col("children_reached")])
			iv, err := stats.Wilson(n, pop, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			if got := num(t, row[deciles.Col("reach_per_1000_lower")]); math.Abs(got-measures.Round(iv.Lower*1000, 3)) > 1e-9 {
				t.Errorf("%s decile %v: lower limit %g, Wilson by hand %g", fy, row[deciles.Col("decile")], got, iv.Lower*1000)
			}
			q := stats.Quantile{Population: pop, Value: iv.Value, Lower: iv.Lower, Upper: iv.Upper}
			qs = append(qs, q)
			reached += n
			resident += q.Population
			if d := num(t, row[deciles.Col("decile")]); d <= 2 {
				reached12 += n
				resident12 += q.Population
			}
		}
		hand, err := stats.SII(qs, stats.SIIOptions{Type: stats.Proportion, Confidence: 0.95, Repetitions: measures.SIIRepetitions, Seed: measures.SIISeed})
		if err != nil {
			t.Fatal(err)
		}
		// per 1,000, as the summary prints it (the RII is a ratio: no scale)
		hand.SII, hand.SIILower, hand.SIIUpper = hand.SII*1000, hand.SIILower*1000, hand.SIIUpper*1000
		row := one(t, summary, map[string]string{"year": fy})
		// the printed rates are rounded to 3 decimals, so the hand figure agrees to that order
		for col, want := range map[string]float64{"sii": hand.SII, "rii": hand.RII, "sii_lower": hand.SIILower, "sii_upper": hand.SIIUpper} {
			if got := num(t, row[summary.Col(col)]); math.Abs(got-want) > 0.01*math.Max(1, math.Abs(want)) {
				t.Errorf("%s %s: summary %g, by hand from reach_by_decile %g", fy, col, got, want)
			}
		}
		// the year's children reached, and those in deciles 1-2, are the same cells reach_total
		// shows for the year, protected the same way (not the sum of the deciles' protected counts)
		total := run(t, "reach_total", args(t, "E08000007", fy), stats.DfE)
		all := num(t, one(t, total, map[string]string{"part": "all"})[total.Col("children_reached")])
		deprived := num(t, one(t, total, map[string]string{"part": "idaci_1_2"})[total.Col("children_reached")])
		if got := num(t, row[summary.Col("children_reached")]); got != all {
			t.Errorf("%s: %g children reached, reach_total shows %g", fy, got, all)
		}
		if math.Abs(all-reached) > 3*10 {
			t.Errorf("%s: %g children reached, the deciles' protected counts add to %g: more than ten adjustments apart", fy, all, reached)
		}
		if got, want := num(t, row[summary.Col("share_reached_idaci_1_2")]), measures.Round(deprived/all, 4); got != want {
			t.Errorf("%s: share reached in deciles 1-2 %g, by hand from reach_total %g", fy, got, want)
		}
		_ = reached12
		if got, want := num(t, row[summary.Col("share_children_idaci_1_2")]), measures.Round(resident12/resident, 4); got != want {
			t.Errorf("%s: share of children in deciles 1-2 %g, by hand %g", fy, got, want)
		}
		if sii := num(t, row[summary.Col("sii")]); sii >= 0 {
			t.Errorf("%s: SII %g; reach is higher in deprived areas, so it should be negative", fy, sii)
		}
	}
	if !strings.Contains(queries.Text(summary.Rows[0][summary.Col("sii_method")]), "10000 repetitions, seed 2004") {
		t.Error("the SII method does not report its repetitions and seed")
	}
}

func TestReachByLocality(t *testing.T) {
	r := run(t, "reach_by_locality", args(t, "E08000007", "2024-25"), stats.Exact)
	if len(r.Rows) != 7 {
		t.Errorf("%d localities, want Stockport's seven hub networks", len(r.Rows))
	}
	var resident float64
	for _, row := range r.Rows {
		resident += num(t, row[r.Col("children_resident")])
	}
	if resident != 69991 {
		t.Errorf("localities hold %g children, want 69,991 (mid-2024)", resident)
	}
	row := one(t, r, map[string]string{"locality": "Marple"})
	direct := sqlInt(t, `SELECT count(DISTINCT c.child_id) FROM contacts c JOIN neighbourhoods n USING (lsoa21_code)
		JOIN people k ON k.person_id = c.child_id
		WHERE n.locality = 'Marple' AND c.age_band <> '20-25' AND c.contact_date >= k.birth_date AND c.contact_date BETWEEN '2024-04-01' AND '2025-03-31'`)
	if got := num(t, row[r.Col("children_reached")]); got != direct {
		t.Errorf("Marple reached %g, directly %g", got, direct)
	}
	brin := one(t, r, map[string]string{"locality": "Brinnington, Reddish and Central"})
	if num(t, brin[r.Col("share_children_idaci_1_2")]) <= num(t, row[r.Col("share_children_idaci_1_2")]) {
		t.Error("Brinnington's network should have a larger share of children in IDACI deciles 1-2 than Marple's")
	}
	// compared with the whole council: the council rate is all reached over all resident
	var reached float64
	for _, x := range r.Rows {
		reached += num(t, x[r.Col("children_reached")])
	}
	if got := num(t, brin[r.Col("council_reach_per_1000")]); got != measures.Round(reached/resident*1000, 3) {
		t.Errorf("council rate %g, by hand %g", got, reached/resident*1000)
	}
	if got := queries.Text(brin[r.Col("vs_council")]); got != stats.Better {
		t.Errorf("Brinnington, Reddish and Central vs the council: %s", got)
	}
	cheadle := one(t, r, map[string]string{"locality": "Cheadle and Bramhall"})
	if got := queries.Text(cheadle[r.Col("vs_council")]); got != stats.Worse {
		t.Errorf("Cheadle and Bramhall vs the council: %s", got)
	}
}

func TestReachTrend(t *testing.T) {
	r := run(t, "reach_trend", queries.Args{"council": "E08000007", "locality": "", "service": ""}, stats.DfE)
	if len(r.Rows) != 30 {
		t.Errorf("%d quarters, want 30 (2019-20Q1 to 2026-27Q2)", len(r.Rows))
	}
	if a, b := queries.Text(r.Rows[0][0]), queries.Text(r.Rows[len(r.Rows)-1][0]); a != "2019-20Q1" || b != "2026-27Q2" {
		t.Errorf("quarters run %s to %s", a, b)
	}
	q4 := one(t, r, map[string]string{"quarter": "2019-20Q4"})
	q1 := one(t, r, map[string]string{"quarter": "2020-21Q1"})
	if num(t, q1[r.Col("contacts")]) >= num(t, q4[r.Col("contacts")]) {
		t.Error("no COVID-19 dip from 2019-20Q4 to 2020-21Q1")
	}
	row := one(t, r, map[string]string{"quarter": "2024-25Q3"})
	direct := sqlInt(t, `SELECT count(*) FROM contacts WHERE council_code = 'E08000007' AND contact_date BETWEEN '2024-10-01' AND '2024-12-31'`)
	exact := one(t, run(t, "reach_trend", queries.Args{"council": "E08000007", "locality": "", "service": ""}, stats.Exact),
		map[string]string{"quarter": "2024-25Q3"})
	if got := num(t, exact[r.Col("contacts")]); got != direct {
		t.Errorf("2024-25Q3 contacts %g exactly, directly %g", got, direct)
	}
	if got := num(t, row[r.Col("contacts")]); math.Abs(got-direct) > 3 {
		t.Errorf("2024-25Q3 contacts shown %g, directly %g: more than the cell key method's 3 apart", got, direct)
	}
	if queries.Text(row[r.Col("quarter_start")]) != "2024-10-01" {
		t.Errorf("2024-25Q3 starts %s", queries.Text(row[r.Col("quarter_start")]))
	}
}

func TestServiceMix(t *testing.T) {
	r := run(t, "service_mix", args(t, "E08000007", "2024-25"), stats.Exact)
	if len(r.Rows) != 16*5 {
		t.Errorf("%d rows, want 16 services x 5 age bands", len(r.Rows))
	}
	var sum float64
	for _, row := range r.Rows {
		sum += num(t, row[r.Col("contacts")])
		band, svc := queries.Text(row[r.Col("age_band")]), queries.Text(row[r.Col("service_code")])
		if band == "20-25" && num(t, row[r.Col("contacts")]) > 0 &&
			!map[string]bool{"send_support": true, "employment_learning": true, "children_mental_health": true, "benefits_debt": true}[svc] {
			t.Errorf("20-25 contacts for %s", svc)
		}
	}
	if direct := sqlInt(t, `SELECT count(*) FROM contacts WHERE council_code = 'E08000007' AND contact_date BETWEEN '2024-04-01' AND '2025-03-31'`); sum != direct {
		t.Errorf("service mix adds to %g contacts, directly %g", sum, direct)
	}
	row := one(t, r, map[string]string{"service_code": "infant_feeding", "age_band": "0-2"})
	if queries.Text(row[r.Col("funded_strand")]) != "Infant feeding" || num(t, row[r.Col("contacts")]) == 0 {
		t.Errorf("infant feeding 0-2: %v", row)
	}
}

func TestCareTrend(t *testing.T) {
	r := run(t, "care_trend", queries.Args{"council": "E08000007", "locality": "", "service": ""}, stats.DfE)
	row := one(t, r, map[string]string{"measure": "looked_after", "year": "2025"})
	for col, want := range map[string]string{"number": "485", "rate_per_10000": "74.7", "england_rate_per_10000": "67.1",
		"neighbours_with_data": "10", "vs_england": "higher", "series": "council"} {
		if got := queries.Text(row[r.Col(col)]); got != want {
			t.Errorf("Stockport looked after 2025 %s = %s, want %s", col, got, want)
		}
	}
	// DfE publishes 75: the tool's unrounded rate rounds to the published one
	if math.Round(num(t, row[r.Col("rate_per_10000")])) != 75 {
		t.Errorf("rate %v does not round to DfE's 75", row[r.Col("rate_per_10000")])
	}
	// neighbours' average by hand from the warehouse
	avg := sqlInt(t, `SELECT round(avg(c.number * 10000.0 / c.children_0_17), 2) FROM statistical_neighbours s
		JOIN care c ON c.area_code = s.neighbour_code WHERE s.council_code = 'E08000007' AND c.measure = 'looked_after' AND c.year = 2025`)
	if got := num(t, row[r.Col("neighbours_rate_per_10000")]); got != avg {
		t.Errorf("neighbours' average %g, by hand %g", got, avg)
	}
	// 2018 is DfE's 2022 release, no longer a gap in the run of years: TestCareAt31March2018
	// Westmorland and Furness: no trend across the 2024 reorganisation
	wf := run(t, "care_trend", queries.Args{"council": "E06000064", "locality": "", "service": ""}, stats.DfE)
	row = one(t, wf, map[string]string{"measure": "looked_after", "year": "2025", "series": "council"})
	if got := queries.Text(row[wf.Col("trend")]); got != stats.TooFewPoints {
		t.Errorf("W&F 2025 trend %s: a trend must not run across the series break", got)
	}
	if len(rows(wf, map[string]string{"measure": "looked_after", "series": "predecessor"})) != 13 {
		t.Error("W&F should show Cumbria's looked-after series 2011-2023")
	}
}

func TestCareByNeighbourhood(t *testing.T) {
	r := run(t, "care_by_neighbourhood", args(t, "E08000007", "2024-25"), stats.Exact)
	if !strings.Contains(r.Query.Source, "MODELLED") || !strings.HasPrefix(r.Query.Answers, "MODELLED") {
		t.Error("care_by_neighbourhood is not labelled modelled")
	}
	totals := map[string]float64{}
	for _, row := range r.Rows {
		totals[queries.Text(row[r.Col("measure")])] += num(t, row[r.Col("number")])
		if queries.Text(row[r.Col("year")]) != "2025" {
			t.Fatalf("year %v for period 2024-25, want 2025 (31 March 2025)", row[r.Col("year")])
		}
	}
	if totals["looked_after"] != 485 || totals["in_need"] != 2587 || totals["protection_plan"] != 273 {
		t.Errorf("modelled neighbourhoods add to %v, want the published 485, 2587, 273", totals)
	}
}

func TestFundProgress(t *testing.T) {
	r := run(t, "fund_progress", args(t, "E08000007", "2025-26"), stats.DfE)
	status := map[string]string{}
	for _, row := range r.Rows {
		status[queries.Text(row[r.Col("id")])] = queries.Text(row[r.Col("status")])
	}
	// two hubs at launch, seven networks by September 2024, eleven bridges: all met
	for _, id := range []string{"TF1", "TF2", "TF3"} {
		if status[id] != "green" {
			t.Errorf("%s is %s", id, status[id])
		}
	}
	row := one(t, r, map[string]string{"id": "TF1"})
	if num(t, row[r.Col("achieved")]) != 2 || queries.Text(row[r.Col("as_of")]) != "2023-03-31" {
		t.Errorf("TF1 judged %v on %v; want 2 hubs on its due date", row[r.Col("achieved")], row[r.Col("as_of")])
	}
	row = one(t, r, map[string]string{"id": "TF2"})
	if num(t, row[r.Col("achieved")]) != 7 {
		t.Errorf("TF2: %v networks", row[r.Col("achieved")])
	}
	if status["TF8"] != "amber" || status["TF7"] != "green" {
		t.Errorf("entered milestones: TF7 %s, TF8 %s", status["TF7"], status["TF8"])
	}
	if !strings.Contains(strings.Join(r.Notes, " "), "Status rule") {
		t.Error("the status rule is not written with the answer")
	}
	// a milestone that was not met by its due date is red when measured on that date
	early := run(t, "fund_progress", args(t, "E08000007", "2023-24"), stats.DfE)
	row = one(t, early, map[string]string{"id": "TF2"})
	if queries.Text(row[early.Col("status")]) == "green" {
		t.Errorf("TF2 at March 2024 (before the last networks opened): %v", row[early.Col("status")])
	}
}

func TestFundStatusRule(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	start, due := day("2024-04-01"), day("2025-04-01")
	half := day("2024-09-30") // just under half way
	cases := []struct {
		measure                    string
		baseline, target, achieved float64
		asOf                       time.Time
		want                       string
	}{
		{"children_reached", 100, 200, 200, due, "green"},
		{"children_reached", 100, 200, 180, due, "amber"}, // 0.8 of the way, due: >= 0.75
		{"children_reached", 100, 200, 170, due, "red"},
		{"children_reached", 100, 200, 150, half, "green"}, // half way, half the time
		{"children_reached", 100, 200, 140, half, "amber"},
		{"children_reached", 100, 200, 120, half, "red"},
		{"share_reach_idaci_1_2", 30, 20, 25, due, "red"},   // a falling target: half way only
		{"share_reach_idaci_1_2", 30, 20, 19, due, "green"}, // beyond it
		{"children_reached", 100, 200, 100, start, "green"}, // nothing expected yet
		{"entered", 0, 1, 1, half, "green"},
		{"entered", 0, 1, 0, half, "amber"},
		{"entered", 0, 1, 0, due, "red"},
	}
	for i, c := range cases {
		if got := measures.FundStatus(c.measure, c.baseline, c.target, c.achieved, start, due, c.asOf); got != c.want {
			t.Errorf("case %d: %s, want %s", i, got, c.want)
		}
	}
}

// Under the DfE policy the tool's own counts are perturbed by the cell key method: never more
// than 3 from the truth, never 1 or 2, zeros kept, the same cell the same in every request and
// every table, rates worked out from the counts shown. DfE's own figures (the care model, which
// has no record keys) keep DfE's rule: 1-5 suppressed, and no shown total betrays one cell.
func TestDisclosureOnRealResults(t *testing.T) {
	cases := []struct {
		name   string
		a      queries.Args
		counts []string
		keyed  bool
	}{
		{"service_mix", args(t, "E06000064", "2024-06"), []string{"contacts", "children_reached", "families_reached"}, true},
		{"reach_by_decile", args(t, "E06000064", "2024-06"), []string{"children_reached", "families_reached"}, true},
		{"site_activity", args(t, "E06000064", "2024-06"), []string{"contacts", "families", "children"}, true},
		{"reach_by_neighbourhood", args(t, "E08000007", "2024-25Q3"), []string{"children_reached"}, true},
		{"care_by_neighbourhood", args(t, "E08000007", "2024-25"), []string{"number"}, false},
	}
	sawSuppression, sawSmall, changed, cells := false, 0, 0, 0
	for _, c := range cases {
		exact := run(t, c.name, c.a, stats.Exact)
		shown := run(t, c.name, c.a, stats.DfE)
		again := run(t, c.name, c.a, stats.DfE)
		q := shown.Query
		for _, col := range c.counts {
			ci := shown.Col(col)
			for i, row := range exact.Rows {
				n, _ := measures.Number(row[ci])
				if c.keyed {
					v, ok := measures.Number(shown.Rows[i][ci])
					if !ok {
						t.Fatalf("%s %s row %d: %v shown, want a number", c.name, col, i, shown.Rows[i][ci])
					}
					cells++
					if v != n {
						changed++
					}
					if n >= 1 && n <= 5 {
						sawSmall++
					}
					switch {
					case math.Abs(v-n) > 3:
						t.Errorf("%s %s row %d: %g shown as %g, more than 3 apart", c.name, col, i, n, v)
					case v == 1 || v == 2:
						t.Errorf("%s %s row %d: %g shown as %g: no 1s or 2s are published", c.name, col, i, n, v)
					case n == 0 && v != 0:
						t.Errorf("%s %s row %d: a zero shown as %g", c.name, col, i, v)
					}
					if w, _ := measures.Number(again.Rows[i][ci]); w != v {
						t.Errorf("%s %s row %d: %g, then %g asked again", c.name, col, i, v, w)
					}
					for _, d := range q.Derived {
						den, _ := measures.Number(shown.Rows[i][shown.Col(d.Denominator)])
						if d.Count == col && den > 0 {
							if got := num(t, shown.Rows[i][shown.Col(d.Name)]); math.Abs(got-measures.Round(v/den*d.Per, 3)) > 1e-9 {
								t.Errorf("%s %s row %d: %s %g, from the count shown %g", c.name, col, i, d.Name, got, v/den*d.Per)
							}
						}
					}
					continue
				}
				s, suppressed := shown.Rows[i][ci].(stats.Suppressed)
				if n >= 1 && n <= 5 && !suppressed {
					t.Errorf("%s %s row %d: %g shown", c.name, col, i, n)
				}
				if suppressed {
					sawSuppression = true
					if s.Symbol != "c" || s.Reason == "" {
						t.Errorf("%s: suppressed as %#v", c.name, s)
					}
				} else if v, _ := measures.Number(shown.Rows[i][ci]); v != n {
					t.Errorf("%s %s row %d: %g shown as %g", c.name, col, i, n, v)
				}
				for _, d := range q.Derived {
					if d.Count == col && suppressed {
						if _, ok := shown.Rows[i][shown.Col(d.Name)].(stats.Suppressed); !ok {
							t.Errorf("%s: %s shown on a suppressed count", c.name, d.Name)
						}
					}
				}
			}
			if c.keyed {
				continue
			}
			// no total of the declared groups has exactly one hidden cell
			for _, g := range q.Totals {
				hidden := map[string]int{}
				for _, row := range shown.Rows {
					key := "*"
					if g[0] != "*" {
						var parts []string
						for _, k := range g {
							parts = append(parts, queries.Text(row[shown.Col(k)]))
						}
						key = strings.Join(parts, "|")
					}
					if _, ok := row[ci].(stats.Suppressed); ok {
						hidden[key]++
					}
				}
				for key, n := range hidden {
					if n == 1 {
						t.Errorf("%s %s: the total for %q has exactly one suppressed cell", c.name, col, key)
					}
				}
			}
		}
		if !strings.Contains(strings.Join(shown.Notes, " "), "Disclosure control") {
			t.Errorf("%s: no disclosure note", c.name)
		}
		for _, col := range shown.Columns {
			if strings.HasSuffix(col, measures.KeySuffix) {
				t.Errorf("%s: publishes its cell key column %s", c.name, col)
			}
		}
	}
	if !sawSuppression || sawSmall == 0 {
		t.Errorf("the test needs small counts: %v suppressed DfE figures, %d small counts of the tool's own", sawSuppression, sawSmall)
	}
	if changed == 0 || changed == cells {
		t.Errorf("%d of %d counts changed: the perturbation is not working", changed, cells)
	}
	t.Logf("%d of %d counts changed by the cell key method", changed, cells)
}

func TestReachByNeighbourhood(t *testing.T) {
	r := run(t, "reach_by_neighbourhood", args(t, "E08000007", "2024-25"), stats.Exact)
	if len(r.Rows) != 191 {
		t.Fatalf("%d neighbourhoods, want Stockport's 191", len(r.Rows))
	}
	byDecile := run(t, "reach_by_decile", args(t, "E08000007", "2024-25"), stats.Exact)
	var sum float64
	for _, row := range r.Rows {
		if queries.Text(row[r.Col("idaci_decile")]) == "1" {
			sum += num(t, row[r.Col("children_reached")])
		}
	}
	// a child lives in one LSOA, so neighbourhoods add up to their decile
	if want := num(t, one(t, byDecile, map[string]string{"index": "IDACI", "decile": "1"})[byDecile.Col("children_reached")]); sum != want {
		t.Errorf("IDACI decile 1 neighbourhoods add to %g reached, reach_by_decile has %g", sum, want)
	}
	row := one(t, r, map[string]string{"lsoa21_code": "E01005918"})
	if queries.Text(row[r.Col("ward_name")]) != "Reddish South" || queries.Text(row[r.Col("idaci_decile")]) != "1" {
		t.Errorf("Stockport 014D: %v", row)
	}
}

func TestChannelMix(t *testing.T) {
	r := run(t, "channel_mix", args(t, "E08000007", "2024-25"), stats.Exact)
	if len(r.Rows) != 4*6 {
		t.Errorf("%d rows, want 4 quarters x 6 channels", len(r.Rows))
	}
	var sum float64
	for _, row := range r.Rows {
		sum += num(t, row[r.Col("contacts")])
		if queries.Text(row[r.Col("channel")]) == "hublet" && num(t, row[r.Col("contacts")]) != 0 {
			t.Error("Stockport has no hublets, yet contacts at one")
		}
	}
	if direct := sqlInt(t, `SELECT count(*) FROM contacts WHERE council_code = 'E08000007' AND contact_date BETWEEN '2024-04-01' AND '2025-03-31'`); sum != direct {
		t.Errorf("channels add to %g contacts, directly %g", sum, direct)
	}
}

// A locality or service filter narrows every query that takes it, consistently.
func TestLocalityAndServiceFilters(t *testing.T) {
	a := args(t, "E08000007", "2024-25")
	a["locality"] = "Marple"
	deciles := run(t, "reach_by_decile", a, stats.Exact)
	localities := run(t, "reach_by_locality", args(t, "E08000007", "2024-25"), stats.Exact)
	marple := one(t, localities, map[string]string{"locality": "Marple"})
	var reached, resident float64
	for _, row := range rows(deciles, map[string]string{"index": "IMD"}) {
		reached += num(t, row[deciles.Col("children_reached")])
		resident += num(t, row[deciles.Col("children_resident")])
	}
	if reached != num(t, marple[localities.Col("children_reached")]) || resident != num(t, marple[localities.Col("children_resident")]) {
		t.Errorf("Marple by decile: %g of %g; by locality: %v of %v", reached, resident,
			marple[localities.Col("children_reached")], marple[localities.Col("children_resident")])
	}
	sites := run(t, "site_activity", a, stats.Exact)
	for _, row := range sites.Rows {
		if queries.Text(row[sites.Col("locality")]) != "Marple" {
			t.Errorf("site %v outside Marple", row[0])
		}
	}
	b := args(t, "E08000007", "2024-25")
	b["service"] = "infant_feeding"
	mix := run(t, "channel_mix", b, stats.Exact)
	var contacts float64
	for _, row := range mix.Rows {
		contacts += num(t, row[mix.Col("contacts")])
	}
	services := run(t, "service_mix", args(t, "E08000007", "2024-25"), stats.Exact)
	var feeding float64
	for _, row := range rows(services, map[string]string{"service_code": "infant_feeding"}) {
		feeding += num(t, row[services.Col("contacts")])
	}
	if contacts != feeding || contacts == 0 {
		t.Errorf("infant feeding: %g contacts through channel_mix, %g through service_mix", contacts, feeding)
	}
}

func TestSitesOpen(t *testing.T) {
	a := queries.Args{"council": "E08000007", "period_end": mustDate("2024-03-31")}
	r := run(t, "sites_open", a, stats.Exact)
	for kind, want := range map[string]float64{"hub": 4, "bridge": 11, "online": 1, "hublet": 0, "outreach": 0} {
		if got := num(t, one(t, r, map[string]string{"kind": kind})[r.Col("sites")]); got != want {
			t.Errorf("Stockport %s sites open on 31 March 2024: %g, want %g", kind, got, want)
		}
	}
	// Westmorland Drive and Garners Lane were open as Start Well centres before designation
	if got := num(t, one(t, run(t, "sites_open", queries.Args{"council": "E08000007", "period_end": mustDate("2023-01-31")}, stats.Exact),
		map[string]string{"kind": "hub"})[r.Col("designated")]); got != 0 {
		t.Errorf("%g hubs designated in January 2023", got)
	}
}

func mustDate(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }

func TestReturnPeople(t *testing.T) {
	r := run(t, "return_people", args(t, "E08000007", "2025-26Q4"), stats.Exact)
	all := one(t, r, map[string]string{"age_band": "all"})
	direct := sqlInt(t, `SELECT count(DISTINCT family_id) FROM contacts WHERE council_code = 'E08000007' AND contact_date BETWEEN '2026-01-01' AND '2026-03-31'`)
	if got := num(t, all[r.Col("families")]); got != direct {
		t.Errorf("families %g, directly %g", got, direct)
	}
	if num(t, all[r.Col("fathers")]) > num(t, all[r.Col("carers")]) || num(t, all[r.Col("fathers")]) == 0 {
		t.Errorf("fathers %v of carers %v", all[r.Col("fathers")], all[r.Col("carers")])
	}
	var bands float64
	for _, row := range r.Rows[1:] {
		bands += num(t, row[r.Col("children")])
	}
	if bands < num(t, all[r.Col("children")]) {
		t.Errorf("bands add to %g, fewer than the %v distinct children", bands, all[r.Col("children")])
	}
}

// "Families reached" means the same in every question: the overview (reach_by_decile), the
// localities, the plan, the trend and the DfE return cannot disagree for the same period.
func TestFamiliesReachedAgreeAcrossQuestions(t *testing.T) {
	a := args(t, "E08000007", "2025-26Q4")
	total := func(name, col string, only map[string]string) float64 {
		r := run(t, name, a, stats.Exact)
		var s float64
		for _, row := range rows(r, only) {
			s += num(t, row[r.Col(col)])
		}
		return s
	}
	direct := sqlInt(t, `SELECT count(DISTINCT family_id) FROM contacts WHERE council_code = 'E08000007' AND contact_date BETWEEN '2026-01-01' AND '2026-03-31'`)
	for what, got := range map[string]float64{
		"reach_by_decile (IDACI)": total("reach_by_decile", "families_reached", map[string]string{"index": "IDACI"}),
		"reach_by_decile (IMD)":   total("reach_by_decile", "families_reached", map[string]string{"index": "IMD"}),
		"reach_by_locality":       total("reach_by_locality", "families_reached", nil),
		"return_people":           total("return_people", "families", map[string]string{"age_band": "all"}),
		"reach_trend 2025-26Q4":   total("reach_trend", "families_reached", map[string]string{"quarter": "2025-26Q4"}),
	} {
		if got != direct {
			t.Errorf("%s: %g families, counted directly %g", what, got, direct)
		}
	}
}

// The overview tile and the briefing take the deprived-against-rest split from
// reach_total; fund_progress computes the deprived rate in SQL. They must agree.
func TestDeprivationSplitAgreesWithFundProgress(t *testing.T) {
	a := args(t, "E08000007", "2025-26")
	total := run(t, "reach_total", a, stats.Exact)
	plan := run(t, "fund_progress", a, stats.Exact)
	var fromSQL float64
	for _, row := range plan.Rows {
		if queries.Text(row[plan.Col("measure")]) == "reach_idaci_1_2_per_1000" {
			fromSQL = num(t, row[plan.Col("achieved")])
		}
	}
	deprived := one(t, total, map[string]string{"part": "idaci_1_2"})
	rest := one(t, total, map[string]string{"part": "idaci_3_10"})
	v, lo, hi := num(t, deprived[total.MustCol("reach_per_1000")]), num(t, deprived[total.MustCol("reach_per_1000_lower")]), num(t, deprived[total.MustCol("reach_per_1000_upper")])
	if fromSQL == 0 || measures.Round(v, 1) != fromSQL {
		t.Errorf("reach per 1,000 in IDACI deciles 1-2: reach_total %g, fund_progress %g", v, fromSQL)
	}
	if !(lo < v && v < hi) || num(t, rest[total.MustCol("reach_per_1000")]) >= v {
		t.Errorf("deprived %g (%g to %g), rest %v", v, lo, hi, rest)
	}
	if got := num(t, one(t, total, map[string]string{"part": "all"})[total.MustCol("children_resident")]); got != 69991 {
		// 2025-26 has no mid-year of its own yet: the latest, mid-2024 (64,910 + 5,081)
		t.Errorf("reach_total holds %g children, want Stockport's 69,991 at mid-2024", got)
	}
	// a locality with no neighbourhoods in deciles 1-2 gets no rate, not a rate of 0
	a["locality"] = "Marple"
	none := one(t, run(t, "reach_total", a, stats.Exact), map[string]string{"part": "idaci_1_2"})
	if none[total.MustCol("reach_per_1000")] != nil {
		t.Errorf("Marple has no deprived neighbourhoods, yet a rate of %v", none[total.MustCol("reach_per_1000")])
	}
}

func BenchmarkMeasures(b *testing.B) {
	db := testdata.Warehouse(b)
	a := args(b, "E08000007", "2024-25")
	for _, q := range queries.All() {
		b.Run(q.Name, func(b *testing.B) {
			for b.Loop() {
				if _, err := measures.Run(ctx, db, q.Name, a, stats.DfE); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// An answer counted from raw contacts (a month: the rollups keep quarters and years) says so.
func TestRawAnswersSaySo(t *testing.T) {
	month := run(t, "reach_by_locality", args(t, "E08000007", "2024-06"), stats.DfE)
	year := run(t, "reach_by_locality", args(t, "E08000007", "2024-25"), stats.DfE)
	said := func(r *queries.Result) bool {
		return strings.Contains(strings.Join(r.Notes, " "), "Counted from raw contacts")
	}
	if !month.Raw || !said(month) || year.Raw || said(year) {
		t.Errorf("month raw %v (noted %v), year raw %v (noted %v)", month.Raw, said(month), year.Raw, said(year))
	}
}

// Reach is a proportion, with Wilson score limits worked by hand: Stockport, 3 June 2025 (exact
// output), IDACI deciles 1-2: 26 children reached of 10,130 resident at mid-2024 (2025-26 has
// no mid-year of its own; 10,161 at mid-2020 before issue 14). p = 26/10130 = 0.0025666;
// z = 1.959964; centre = p + z²/2N = 0.0027562; half-width = z·sqrt(p(1-p)/N + z²/4N²) = 0.0010033;
// divided by 1 + z²/N = 1.000379: 1.752 to 3.758 per 1,000.
func TestReachLimitsAreWilson(t *testing.T) {
	r := run(t, "reach_total", queries.Args{"council": "E08000007", "locality": "", "service": "",
		"period_start": "2025-06-03", "period_end": "2025-06-03"}, stats.Exact)
	row := one(t, r, map[string]string{"part": "idaci_1_2"})
	if n, pop := num(t, row[r.Col("children_reached")]), num(t, row[r.Col("children_resident")]); n != 26 || pop != 10130 {
		t.Fatalf("the case moved: %g of %g", n, pop)
	}
	for col, want := range map[string]float64{"reach_per_1000": 2.567, "reach_per_1000_lower": 1.752, "reach_per_1000_upper": 3.758} {
		if got := num(t, row[r.Col(col)]); math.Abs(got-want) > 0.0005 {
			t.Errorf("%s = %g, by hand %g", col, got, want)
		}
	}
}

// Modelled counts carry no confidence limits: the model's uncertainty is not sampling error.
func TestModelledRatesHaveNoLimits(t *testing.T) {
	r := run(t, "care_by_decile", args(t, "E08000007", "2024-25"), stats.Exact)
	seen := 0
	for _, row := range r.Rows {
		if row[r.Col("rate_per_10000")] != nil {
			seen++
		}
		if row[r.Col("rate_per_10000_lower")] != nil || row[r.Col("rate_per_10000_upper")] != nil {
			t.Fatalf("modelled rate with limits: %v", row)
		}
	}
	if seen == 0 || !strings.Contains(strings.Join(r.Notes, " "), "No confidence limits") {
		t.Errorf("%d modelled rates; notes %q", seen, r.Notes)
	}
}

// The benchmark table, as DfE's LAIT gave it. Stockport, looked after at 31 March 2025: 485
// children of 64,910 = 74.7 per 10,000; ten named neighbours, Cheshire West and Chester first
// (584 / 71,565 = 81.6); their average the mean of their ten rates; North West and England. Its
// rank is the number of English councils with a lower rate, plus one, worked here from the care
// table itself.
func TestCareBenchmark(t *testing.T) {
	r := run(t, "care_benchmark", args(t, "E08000007", "2025-26"), stats.DfE)
	looked := rows(r, map[string]string{"measure": "looked_after"})
	roles := map[string]int{}
	var neighbourRates []float64
	for _, row := range looked {
		roles[queries.Text(row[r.Col("role")])]++
		if queries.Text(row[r.Col("role")]) == "neighbour" {
			neighbourRates = append(neighbourRates, num(t, row[r.Col("rate_per_10000")]))
		}
	}
	if roles["council"] != 1 || roles["neighbour"] != 10 || roles["neighbours' average"] != 1 || roles["region"] != 1 || roles["England"] != 1 {
		t.Fatalf("roles %v", roles)
	}
	council := one(t, r, map[string]string{"measure": "looked_after", "role": "council"})
	if queries.Text(council[r.Col("year")]) != "2025" || queries.Text(council[r.Col("number")]) != "485" || num(t, council[r.Col("rate_per_10000")]) != 74.7 {
		t.Errorf("Stockport: %v", council)
	}
	first := one(t, r, map[string]string{"measure": "looked_after", "role": "neighbour", "closeness": "1"})
	if queries.Text(first[r.Col("area_name")]) != "Cheshire West and Chester" || num(t, first[r.Col("rate_per_10000")]) != 81.6 {
		t.Errorf("closest neighbour: %v", first)
	}
	var sum float64
	for _, x := range neighbourRates {
		sum += x
	}
	avg := one(t, r, map[string]string{"measure": "looked_after", "role": "neighbours' average"})
	if got := num(t, avg[r.Col("rate_per_10000")]); math.Abs(got-measures.Round(sum/10, 1)) > 0.051 {
		t.Errorf("neighbours' average %g, by hand %g", got, sum/10)
	}
	below := sqlInt(t, `SELECT count(*) FROM care WHERE measure = 'looked_after' AND year = 2025 AND level = 'Local authority'
		AND number IS NOT NULL AND number * 10000.0 / children_0_17 < 485 * 10000.0 / 64910`)
	if got := num(t, council[r.Col("rank")]); got != below+1 {
		t.Errorf("rank %g, %g councils have a lower rate", got, below)
	}
	if q := num(t, council[r.Col("quartile")]); q < 1 || q > 4 {
		t.Errorf("quartile %g", q)
	}
	if got := queries.Text(council[r.Col("trend")]); got != stats.NoChange {
		t.Errorf("trend %q, want %q (Fingertips' rule; see the care trend test)", got, stats.NoChange)
	}
	if queries.Text(one(t, r, map[string]string{"measure": "looked_after", "role": "region"})[r.Col("area_name")]) != "North West" {
		t.Error("the region is not the North West")
	}
	// every council the warehouse holds gets a table: its own row, its neighbours and England
	for _, c := range []string{"E08000034", "E08000031", "E06000063", "E06000064", "E08000003", "E09000002"} {
		b := run(t, "care_benchmark", args(t, c, "2025-26"), stats.DfE)
		mine := rows(b, map[string]string{"role": "council"})
		if len(mine) != 3 || len(rows(b, map[string]string{"role": "England"})) != 3 || len(rows(b, map[string]string{"role": "neighbour"})) < 3 {
			t.Errorf("%s: %d own rows, %d rows in all", c, len(mine), len(b.Rows))
		}
		for _, row := range mine {
			if row[b.Col("rank")] == nil || row[b.Col("quartile")] == nil {
				t.Errorf("%s %v: no rank", c, row[b.Col("measure")])
			}
		}
	}
}
