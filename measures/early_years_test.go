package measures_test

import (
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"familyhubs/datasets"
	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

func earlyYears(t *testing.T, council string) *queries.Result {
	t.Helper()
	return run(t, "early_years", queries.Args{"council": council}, stats.DfE)
}

// gldRow is the council's published GLD row for the year (academic year ending then).
func gldRow(t *testing.T, r *queries.Result, year int) []any {
	t.Helper()
	return one(t, r, map[string]string{"indicator": "gld", "year": fmt.Sprint(year), "row_kind": "published"})
}

// The "Done means": Stockport's GLD in 2024/25 is 68.0% and England's 68.3%; 2018/19,
// the last year of the old framework, 70.4% (LAIT); 2012/13 54.1% (DfE's EYFSP file, which LAIT
// does not reach back to).
func TestEarlyYearsStockportGLD(t *testing.T) {
	r := earlyYears(t, "E08000007")
	cols(t, r, "value", "england", "region", "neighbours_average", "polarity", "old_framework", "series_break", "trajectory", "gain_needed_per_year")
	for year, want := range map[int]struct{ value, england float64 }{2025: {68.0, 68.3}, 2019: {70.4, 71.8}, 2013: {54.1, 51.7}} {
		row := gldRow(t, r, year)
		if v, e := num(t, row[r.Col("value")]), num(t, row[r.Col("england")]); v != want.value || e != want.england {
			t.Errorf("Stockport GLD %d: %g (England %g), want %g (England %g)", year, v, e, want.value, want.england)
		}
	}
	row := gldRow(t, r, 2025)
	for col, want := range map[string]string{"region_name": "North West", "region": "65", "polarity": "High", "old_framework": "false",
		"series": "council", "period": "2024/25", "neighbours_with_data": "10"} {
		if got := cell(r, row, col); got != want {
			t.Errorf("Stockport GLD 2025 %s = %s, want %s", col, got, want)
		}
	}
	// the neighbours' average by hand from the warehouse: the mean of the ten neighbours' GLD
	avg := sqlInt(t, `SELECT round(avg(e.value), 1) FROM statistical_neighbours s JOIN early_years e ON e.area_code = s.neighbour_code
		WHERE s.council_code = 'E08000007' AND e.indicator = 'gld' AND e.year = 2025`)
	if got := num(t, row[r.Col("neighbours_average")]); got != avg {
		t.Errorf("neighbours' average %g, by hand %g", got, avg)
	}
	if cell(r, gldRow(t, r, 2019), "old_framework") != "true" || cell(r, gldRow(t, r, 2013), "old_framework") != "true" {
		t.Error("2018/19 and 2012/13 were assessed under the old framework")
	}
	if !strings.Contains(cell(r, gldRow(t, r, 2022), "series_break"), "framework changed in 2021/22") {
		t.Errorf("2021/22 series break: %q", cell(r, gldRow(t, r, 2022), "series_break"))
	}
	// no collection in 2019/20 or 2020/21: missing, with the reason, never zero
	for _, year := range []int{2020, 2021} {
		for _, ind := range []string{"gld", "gld_fsm", "gld_not_fsm", "gld_fsm_gap"} {
			row := one(t, r, map[string]string{"indicator": ind, "year": fmt.Sprint(year)})
			if row[r.Col("value")] != nil || !strings.Contains(cell(r, row, "missing_reason"), "not collected") {
				t.Errorf("%s %d: value %v, reason %q; want none, not collected", ind, year, row[r.Col("value")], cell(r, row, "missing_reason"))
			}
		}
	}
	// the FSM gap is all other children's GLD less FSM children's: 72.2 - 43.0 in 2024/25
	gap := one(t, r, map[string]string{"indicator": "gld_fsm_gap", "year": "2025"})
	if num(t, gap[r.Col("value")]) != 29.2 || cell(r, gap, "polarity") != "Low" {
		t.Errorf("FSM gap 2025: %v (%s), want 29.2 (Low)", gap[r.Col("value")], cell(r, gap, "polarity"))
	}
	for ind, want := range map[string]struct {
		year     int
		value    float64
		polarity string
	}{
		"breastfeeding_6_8_weeks": {2024, 54.68, "High"}, "injury_admissions_0_14": {2024, 81.41, "Low"}, "low_birth_weight": {2024, 2.78, "Low"},
	} {
		row := one(t, r, map[string]string{"indicator": ind, "year": fmt.Sprint(want.year)})
		if num(t, row[r.Col("value")]) != want.value || cell(r, row, "polarity") != want.polarity {
			t.Errorf("%s %d: %v (%s), want %g (%s)", ind, want.year, row[r.Col("value")], cell(r, row, "polarity"), want.value, want.polarity)
		}
	}
}

// The trajectory worked by hand: Stockport's latest GLD is 68.0% (2024/25); 75% in 2027/28 is
// 7.0 points in 3 years, 2.33 a year: 70.3% in 2025/26, 72.7% in 2026/27, 75.0% in 2027/28.
// Westmorland and Furness: 67.4% to 75%, 7.6 in 3 years, 2.53 a year: 69.9, 72.5, 75.0.
func TestEarlyYearsTrajectory(t *testing.T) {
	for council, want := range map[string][]float64{"E08000007": {68.0, 70.3, 72.7, 75.0, 2.33}, "E06000064": {67.4, 69.9, 72.5, 75.0, 2.53}} {
		r := earlyYears(t, council)
		for i, year := range []int{2025, 2026, 2027, 2028} {
			kind := "trajectory"
			if year == 2025 {
				kind = "published"
			}
			row := one(t, r, map[string]string{"indicator": "gld", "year": fmt.Sprint(year), "row_kind": kind})
			if got := num(t, row[r.Col("trajectory")]); got != want[i] {
				t.Errorf("%s %d: trajectory %g, want %g", council, year, got, want[i])
			}
			if got := num(t, row[r.Col("gain_needed_per_year")]); got != want[4] {
				t.Errorf("%s %d: gain %g a year, want %g", council, year, got, want[4])
			}
			if year > 2025 && (row[r.Col("value")] != nil || row[r.Col("england")] != nil) {
				t.Errorf("%s %d: a year to come shows a value", council, year)
			}
		}
		if row := gldRow(t, r, 2024); row[r.Col("trajectory")] != nil {
			t.Errorf("%s: the line starts at the latest year, not 2023/24", council)
		}
	}
}

// Every GLD value of each demo council, every year held, equals the value read here directly
// from the published files: LAIT's parquet (rounded to 1 decimal) and, for 2012/13 to 2014/15,
// DfE's EYFSP file. Cumberland and Westmorland and Furness show Cumbria's figures (LAIT 909)
// before 2022/23, marked former Cumbria, except 2013/14 to 2018/19, rebuilt from the former
// districts (TestEarlyYearsCumbriaRebuiltFromDistricts holds those to the district file).
func TestEarlyYearsGLDEqualsThePublishedFiles(t *testing.T) {
	shared := testdata.SharedDir(t)
	raw, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	published := func(dfe int) map[int]float64 {
		out := map[int]float64{}
		rows, err := raw.Query(`SELECT "Years"::INTEGER, round("Values"::DOUBLE, 1) FROM read_parquet(?)
			WHERE "Short Desc" = 'FSP_NEW_GOODDEV' AND "LA Number"::INTEGER = ? AND "Values" <> '-'
			UNION ALL
			SELECT ('20' || right(time_period, 2))::INTEGER, gld_percent::DOUBLE FROM read_csv(?, header = true, all_varchar = true)
			WHERE gender = 'Total' AND geographic_level = 'Local Authority' AND TRY_CAST(old_la_code AS INTEGER) = ?
			  AND time_period IN ('201213', '201314', '201415')`,
			filepath.Join(shared, "early_years", "dfe_lait_bds_long_0.parquet"), dfe,
			filepath.Join(shared, "early_years", "dfe_eyfsp_APS_GLD_ELG_EXP_2013_2019.csv"), dfe)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var y int
			var v float64
			if err := rows.Scan(&y, &v); err != nil {
				t.Fatal(err)
			}
			out[y] = v
		}
		return out
	}
	cumbria := published(909)
	for _, c := range []struct {
		code string
		dfe  int
	}{{"E08000007", 356}, {"E08000034", 382}, {"E08000031", 336}, {"E06000063", 942}, {"E06000064", 943}} {
		want := published(c.dfe)
		if c.dfe > 940 {
			for y, v := range cumbria {
				if y < 2023 {
					want[y] = v
				}
			}
		}
		r := earlyYears(t, c.code)
		got, rebuiltYears := map[int]float64{}, 0
		for _, row := range rows(r, map[string]string{"indicator": "gld", "row_kind": "published"}) {
			if row[r.Col("value")] == nil {
				continue
			}
			y := int(num(t, row[r.Col("year")]))
			rebuilt := c.dfe > 940 && y >= 2014 && y <= 2019
			if s := cell(r, row, "series"); (s == rebuiltSeries) != rebuilt {
				t.Errorf("%s %d: series %q", c.code, y, s)
			}
			if rebuilt {
				delete(want, y)
				rebuiltYears++
				continue
			}
			got[y] = num(t, row[r.Col("value")])
			if s, former := cell(r, row, "series"), c.dfe > 940 && y < 2023; (s == "former Cumbria") != former {
				t.Errorf("%s %d: series %q", c.code, y, s)
			}
		}
		if len(got) != len(want) || len(want)+rebuiltYears < 9 || (c.dfe > 940 && rebuiltYears != 6) {
			t.Errorf("%s: %d years of GLD, the published files hold %d", c.code, len(got), len(want))
		}
		for y, v := range want {
			if got[y] != v {
				t.Errorf("%s GLD %d: %g, the published file %g", c.code, y, got[y], v)
			}
		}
	}
	// the two sources agree where both hold a year (2015/16 to 2018/19): Stockport, Cumbria
	var disagree int
	if err := raw.QueryRow(`SELECT count(*) FROM read_parquet(?) l
		JOIN read_csv(?, header = true, all_varchar = true) e
		  ON TRY_CAST(e.old_la_code AS INTEGER) = l."LA Number"::INTEGER AND ('20' || right(e.time_period, 2))::INTEGER = l."Years"::INTEGER
		 AND e.gender = 'Total' AND e.geographic_level = 'Local Authority'
		WHERE l."Short Desc" = 'FSP_NEW_GOODDEV' AND l."LA Number"::INTEGER IN (356, 909, 382, 336) AND l."Values" <> '-'
		  AND round(l."Values"::DOUBLE, 1) <> e.gld_percent::DOUBLE`,
		filepath.Join(shared, "early_years", "dfe_lait_bds_long_0.parquet"),
		filepath.Join(shared, "early_years", "dfe_eyfsp_APS_GLD_ELG_EXP_2013_2019.csv")).Scan(&disagree); err != nil {
		t.Fatal(err)
	}
	if disagree != 0 {
		t.Errorf("LAIT and DfE's EYFSP file disagree in %d council-years", disagree)
	}
}

const rebuiltSeries = "rebuilt from former Cumbria districts (pupil residence)"

// Cumberland's and Westmorland and Furness's GLD for 2013/14 to 2018/19 are rebuilt from the
// former Cumbria districts: the districts' children with a good level of development over their
// pupils, summed here straight from DfE's EYFSP tables by district of pupil residence (the xlsx
// in shared/datasets/early_years). By hand, 2018/19 (gld_number / all_pupils):
//
//	Cumberland: Allerdale 649/954, Carlisle 873/1,240, Copeland 462/676 = 1,984/2,870 = 69.13%: 69.1
//	Westmorland and Furness: Barrow-in-Furness 493/699, Eden 311/433, South Lakeland 634/848
//	  = 1,438/1,980 = 72.63%: 72.6
//
// (together 3,422/4,850 = 70.6%, Cumbria's own school-based figure that year). 2012/13, which the
// district file lacks, stays Cumbria's, marked former Cumbria.
func TestEarlyYearsCumbriaRebuiltFromDistricts(t *testing.T) {
	sheet, err := datasets.ReadXLSXSheet(filepath.Join(testdata.SharedDir(t), "early_years", "dfe_EYFSP_LAD_pr_additional_tables_2014_2019.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range sheet[0] {
		col[h] = i
	}
	districts := map[string]string{ // ONS district code: the council it is now part of
		"E07000026": "E06000063", "E07000028": "E06000063", "E07000029": "E06000063",
		"E07000027": "E06000064", "E07000030": "E06000064", "E07000031": "E06000064"}
	type key struct {
		council string
		year    int
	}
	gld, pupils, seen := map[key]int{}, map[key]int{}, map[key]int{}
	for _, row := range sheet[1:] {
		council, ok := districts[row[col["lad_code_pupil"]]]
		if !ok || row[col["geographic_level"]] != "Local Authority District" {
			continue
		}
		period, err := strconv.Atoi(row[col["time_period"]]) // 201819
		if err != nil {
			t.Fatal(err)
		}
		g, err1 := strconv.Atoi(row[col["gld_number"]])
		p, err2 := strconv.Atoi(row[col["all_pupils"]])
		if err1 != nil || err2 != nil {
			t.Fatalf("%v: %v %v", row, err1, err2)
		}
		k := key{council, 2000 + period%100}
		gld[k] += g
		pupils[k] += p
		seen[k]++
	}
	if gld[key{"E06000063", 2019}] != 1984 || pupils[key{"E06000063", 2019}] != 2870 ||
		gld[key{"E06000064", 2019}] != 1438 || pupils[key{"E06000064", 2019}] != 1980 {
		t.Errorf("2018/19 district sums differ from the hand-worked ones: %v %v", gld, pupils)
	}
	for _, council := range []string{"E06000063", "E06000064"} {
		r := earlyYears(t, council)
		for year := 2014; year <= 2019; year++ {
			k := key{council, year}
			if seen[k] != 3 {
				t.Fatalf("%s %d: %d districts in the file, want 3", council, year, seen[k])
			}
			want := math.Round(1000*float64(gld[k])/float64(pupils[k])) / 10
			row := gldRow(t, r, year)
			if got := num(t, row[r.Col("value")]); got != want {
				t.Errorf("%s GLD %d: %g, the districts' sum %d/%d = %g", council, year, got, gld[k], pupils[k], want)
			}
			if s := cell(r, row, "series"); s != rebuiltSeries {
				t.Errorf("%s %d: series %q", council, year, s)
			}
			if n := cell(r, row, "series_note"); !strings.Contains(n, "pupil residence") || !strings.Contains(n, "school location") {
				t.Errorf("%s %d: series_note %q", council, year, n)
			}
		}
		if s := cell(r, gldRow(t, r, 2013), "series"); s != "former Cumbria" {
			t.Errorf("%s 2013: series %q, want former Cumbria (not in the district file)", council, s)
		}
	}
	for year, want := range map[int][2]float64{2019: {69.1, 72.6}} {
		for i, council := range []string{"E06000063", "E06000064"} {
			r := earlyYears(t, council)
			if got := num(t, gldRow(t, r, year)[r.Col("value")]); got != want[i] {
				t.Errorf("%s GLD %d: %g, by hand %g", council, year, got, want[i])
			}
		}
	}
}

// Every council in England: one row per indicator and year, England's GLD 68.3% in 2024/25 on
// every council's row, every missing value empty with its reason (TestEarlyYearsGLDEqualsThePublishedFiles
// holds the values to the files; LAIT's own zeros, such as the Isles of Scilly's, stay), the old
// framework marked, and a line to 75% ending in 2027/28 wherever a GLD has been published.
func TestEarlyYearsMatrix(t *testing.T) {
	db := testdata.Warehouse(t)
	cs, err := db.Query(`SELECT council_code FROM councils ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for cs.Next() {
		var c string
		cs.Scan(&c)
		codes = append(codes, c)
	}
	cs.Close()
	if len(codes) < 150 {
		t.Fatalf("%d councils", len(codes))
	}
	withLine := 0
	for _, code := range codes {
		r := earlyYears(t, code)
		seen := map[string]bool{}
		for _, row := range r.Rows {
			ind, year := cell(r, row, "indicator"), int(num(t, row[r.Col("year")]))
			key := ind + fmt.Sprint(year)
			if seen[key] {
				t.Errorf("%s: %s %d twice", code, ind, year)
			}
			seen[key] = true
			v := row[r.Col("value")]
			if v == nil && cell(r, row, "missing_reason") == "" {
				t.Errorf("%s %s %d: missing with no reason", code, ind, year)
			}
			if v != nil && cell(r, row, "missing_reason") != "" {
				t.Errorf("%s %s %d: a value %v beside a reason it is missing", code, ind, year, v)
			}
			if strings.HasPrefix(ind, "gld") && (cell(r, row, "old_framework") == "true") != (year <= 2019) {
				t.Errorf("%s %s %d: old_framework %s", code, ind, year, cell(r, row, "old_framework"))
			}
			if ind == "gld" && year == 2025 && num(t, row[r.Col("england")]) != 68.3 {
				t.Errorf("%s: England 2025 %v", code, row[r.Col("england")])
			}
			if p := cell(r, row, "polarity"); p != "High" && p != "Low" {
				t.Errorf("%s %s: polarity %q", code, ind, p)
			}
		}
		if rs := rows(r, map[string]string{"indicator": "gld", "year": "2028"}); len(rs) == 1 {
			withLine++
			if num(t, rs[0][r.Col("trajectory")]) != 75 {
				t.Errorf("%s: the line ends at %v in 2027/28", code, rs[0][r.Col("trajectory")])
			}
		}
	}
	if withLine < 145 {
		t.Errorf("only %d councils have a line to 75%%", withLine)
	}
}

// A Best Start plan line is judged by the Transformation Fund's rule, worked by hand. Stockport's
// BS1: GLD from 68.7% (2023/24) to 75% by 31 August 2028, the plan from 1 April 2025. Viewed for
// 2025-26, the latest academic year DfE has published is 2024/25 (68.0%, measured to 31 August
// 2025): progress (68.0 - 68.7) / (75 - 68.7) = -0.111; expected 152 of 1,248 days = 0.122; red.
// BS3: 7 hubs (baseline 7, target 8 by 31 March 2028) on 31 March 2026: progress 0, expected
// 364 of 1,095 days = 0.332: red. The Transformation Fund lines keep their programme.
func TestFundBestStartLine(t *testing.T) {
	r := run(t, "fund_progress", args(t, "E08000007", "2025-26"), stats.DfE)
	cols(t, r, "programme", "period", "measured_for", "status")
	bs1 := one(t, r, map[string]string{"id": "BS1"})
	for col, want := range map[string]string{"programme": "best_start", "period": "academic year", "achieved": "68", "as_of": "2025-08-31",
		"plan_start": "2025-04-01", "progress": "-0.111", "expected": "0.122", "status": "red"} {
		if got := cell(r, bs1, col); got != want {
			t.Errorf("BS1 %s = %s, want %s", col, got, want)
		}
	}
	if m := cell(r, bs1, "measured_for"); !strings.HasPrefix(m, "2024/25") {
		t.Errorf("BS1 measured for %q", m)
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	if got := measures.FundStatus("gld_percent", 68.7, 75, 68.0, day("2025-04-01"), day("2028-08-31"), day("2025-08-31")); got != "red" {
		t.Errorf("FundStatus for BS1: %s", got)
	}
	// 71% a year later would be 0.365 of the way with 0.414 of the time gone: amber
	if got := measures.FundStatus("gld_percent", 68.7, 75, 71.0, day("2025-04-01"), day("2028-08-31"), day("2026-08-31")); got != "amber" {
		t.Errorf("71%% in 2025/26: %s, want amber", got)
	}
	bs3 := one(t, r, map[string]string{"id": "BS3"})
	for col, want := range map[string]string{"programme": "best_start", "achieved": "7", "as_of": "2026-03-31", "progress": "0",
		"expected": "0.332", "status": "red"} {
		if got := cell(r, bs3, col); got != want {
			t.Errorf("BS3 %s = %s, want %s", col, got, want)
		}
	}
	bs2 := one(t, r, map[string]string{"id": "BS2"})
	if got := num(t, bs2[r.Col("achieved")]); got != 91.1 {
		t.Errorf("BS2: %g%% of deprived children 0-4 within 2 km of a hub; no hub opened since the baseline, 91.1%%", got)
	}
	// the same share as access_coverage gives it on the same day (ages 0-4, hubs, deciles 1-2)
	cov := run(t, "access_coverage", args(t, "E08000007", "2025-26"), stats.DfE)
	c := one(t, cov, map[string]string{"ages": "0-4", "sites": "hub", "idaci": "1-2"})
	if want := math.Round(1000*num(t, c[cov.Col("share_within_2km")])) / 10; num(t, bs2[r.Col("achieved")]) != want {
		t.Errorf("BS2 %v, access_coverage %g", bs2[r.Col("achieved")], want)
	}
	for _, id := range []string{"TF1", "TF4", "TF7"} {
		if p := cell(r, one(t, r, map[string]string{"id": id}), "programme"); p != "transformation_fund" {
			t.Errorf("%s: programme %q", id, p)
		}
	}
	// before 2024/25 was published (viewed at 2024-25's end) the GLD line is not yet measurable
	early := run(t, "fund_progress", args(t, "E08000007", "2024-25"), stats.DfE)
	row := one(t, early, map[string]string{"id": "BS1"})
	if cell(early, row, "status") != measures.NotYetMeasurable || row[early.Col("achieved")] != nil {
		t.Errorf("BS1 at March 2025: %v, %s", row[early.Col("achieved")], cell(early, row, "status"))
	}
}
