package queries_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"familyhubs/internal/testdata"
	"familyhubs/queries"
)

var ctx = context.Background()

func fy(t testing.TB, s string) queries.Period {
	p, err := queries.ParsePeriod(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func args(t testing.TB, council, period string) queries.Args {
	p := fy(t, period)
	return queries.Args{"council": council, "period_start": p.Start, "period_end": p.End, "locality": "", "service": ""}
}

func run(t testing.TB, name string, a queries.Args) *queries.Result {
	t.Helper()
	q, err := queries.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	res, err := q.Run(ctx, testdata.Warehouse(t), a)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// find returns the first row whose columns equal the given values (as text).
func find(t *testing.T, r *queries.Result, match map[string]string) []any {
	t.Helper()
rows:
	for _, row := range r.Rows {
		for col, want := range match {
			if queries.Text(row[r.Col(col)]) != want {
				continue rows
			}
		}
		return row
	}
	t.Fatalf("%s: no row with %v", r.Query.Name, match)
	return nil
}

func TestCouncils(t *testing.T) {
	r := run(t, "councils", nil)
	if len(r.Rows) != 153 {
		t.Errorf("%d councils, want England's 153 children's services authorities", len(r.Rows))
	}
	row := find(t, r, map[string]string{"slug": "stockport"})
	for col, want := range map[string]string{"council_code": "E08000007", "dfe_number": "356", "has_network": "true",
		"transformation_fund": "true", "lsoas": "191", "sites": "19", "children_0_17": "64910", "region_name": "North West"} {
		if got := queries.Text(row[r.Col(col)]); got != want {
			t.Errorf("Stockport %s = %s, want %s", col, got, want)
		}
	}
	row = find(t, r, map[string]string{"slug": "westmorland-furness"})
	if got := queries.Text(row[r.Col("predecessor_name")]); got != "Cumbria" {
		t.Errorf("Westmorland and Furness predecessor %q", got)
	}
	for _, s := range []string{"stockport", "E08000007", "e08000007", " Stockport "} {
		c, err := queries.FindCouncil(ctx, testdata.Warehouse(t), s)
		if err != nil || c.Code != "E08000007" {
			t.Errorf("FindCouncil(%q) = %+v, %v", s, c, err)
		}
	}
	if _, err := queries.FindCouncil(ctx, testdata.Warehouse(t), "stockprt"); err == nil || !strings.Contains(err.Error(), "stockport") {
		t.Errorf("a misspelt council gives %v; want an error listing the councils", err)
	}
}

// Checked against IoD2025 File 3 directly: Stockport's LSOAs per national decile.
func TestNeighbourhoodsByDecile(t *testing.T) {
	r := run(t, "neighbourhoods_by_decile", args(t, "E08000007", "2024-25"))
	if len(r.Rows) != 20 {
		t.Fatalf("%d rows, want 10 deciles for each of IMD and IDACI", len(r.Rows))
	}
	want := map[string]map[int]int{"IMD": {}, "IDACI": {}}
	for _, rec := range testdata.ReadCSV(t, "iod2025/File_3_IoD2025_Supplementary_Indices_IDACI_and_IDAOPI.csv") {
		if rec["Local Authority District code (2024)"] != "E08000007" {
			continue
		}
		imd, _ := strconv.Atoi(rec["Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"])
		idaci, _ := strconv.Atoi(rec["Income Deprivation Affecting Children Index (IDACI) Decile (where 1 is most deprived 10% of LSOAs)"])
		want["IMD"][imd]++
		want["IDACI"][idaci]++
	}
	totals := map[string]int64{}
	for _, row := range r.Rows {
		index, decile := queries.Text(row[r.Col("index")]), int(row[r.Col("decile")].(int64))
		if got := int(row[r.Col("lsoas")].(int64)); got != want[index][decile] {
			t.Errorf("%s decile %d: %d LSOAs, File 3 has %d", index, decile, got, want[index][decile])
		}
		totals[index] += row[r.Col("children_0_19")].(int64)
	}
	// the seeds' "over 65,000 young people under 19"; ONS mid-2020 0-19: 69,234
	if totals["IMD"] != 69234 || totals["IDACI"] != 69234 {
		t.Errorf("children 0-19 over deciles: %v, want 69,234 each", totals)
	}
	row := find(t, r, map[string]string{"index": "IMD", "decile": "1"})
	if got := row[r.Col("lsoas")].(int64); got != 15 {
		t.Errorf("Stockport LSOAs in IMD 2025 decile 1: %d, want 15", got)
	}
}

func TestCareAt31March(t *testing.T) {
	r := run(t, "care_at_31_march", args(t, "E08000007", "2024-25"))
	row := find(t, r, map[string]string{"measure": "looked_after", "year": "2025", "series": "council"})
	// 485 / 64,910 * 10,000 = 74.72; DfE publishes 75
	for col, want := range map[string]string{"number": "485", "children_0_17": "64910", "rate_per_10000": "74.7", "published_rate_per_10000": "75"} {
		if got := queries.Text(row[r.Col(col)]); got != want {
			t.Errorf("Stockport looked after 2025 %s = %s, want %s", col, got, want)
		}
	}
	row = find(t, r, map[string]string{"measure": "looked_after", "year": "2018", "series": "council"})
	// 31 March 2018 from DfE's 2022 release (issue 14): DfE published it
	if queries.Text(row[r.Col("number")]) != "362" || row[r.Col("number_symbol")] != nil {
		t.Errorf("2018: number %v symbol %v, want DfE's 362", row[r.Col("number")], row[r.Col("number_symbol")])
	}
	row = find(t, r, map[string]string{"measure": "looked_after", "year": "2025", "series": "England"})
	if got := queries.Text(row[r.Col("number")]); got != "81770" {
		t.Errorf("England 2025: %s", got)
	}
	// a reorganised council shows its predecessor's series before the break
	r = run(t, "care_at_31_march", args(t, "E06000064", "2024-25"))
	row = find(t, r, map[string]string{"measure": "looked_after", "year": "2023", "series": "predecessor"})
	if got := queries.Text(row[r.Col("number")]); got != "740" || queries.Text(row[r.Col("area_name")]) != "Cumbria" {
		t.Errorf("Westmorland and Furness predecessor 2023: %s %s", got, queries.Text(row[r.Col("area_name")]))
	}
	row = find(t, r, map[string]string{"measure": "looked_after", "year": "2025", "series": "council"})
	if got := queries.Text(row[r.Col("number")]); got != "261" {
		t.Errorf("Westmorland and Furness 2025: %s", got)
	}
}

func TestSiteActivity(t *testing.T) {
	db := testdata.Warehouse(t)
	r := run(t, "site_activity", args(t, "E08000007", "2024-25"))
	if len(r.Rows) != 19 {
		t.Fatalf("%d sites, want Stockport's 19", len(r.Rows))
	}
	var sum int64
	for _, row := range r.Rows {
		sum += row[r.Col("contacts")].(int64)
		if f, c := row[r.Col("families")].(int64), row[r.Col("contacts")].(int64); f > c {
			t.Errorf("%s: %d families from %d contacts", row[0], f, c)
		}
	}
	var direct int64
	if err := db.QueryRow(`SELECT count(*) FROM contacts WHERE council_code = 'E08000007' AND site_id IS NOT NULL
		AND contact_date BETWEEN '2024-04-01' AND '2025-03-31'`).Scan(&direct); err != nil {
		t.Fatal(err)
	}
	if sum != direct {
		t.Errorf("site contacts add to %d, contacts with a site in the year %d", sum, direct)
	}
	// the Cheadle and Bramhall hub opened on 2 September 2024: nothing there in 2023-24
	r = run(t, "site_activity", args(t, "E08000007", "2023-24"))
	row := find(t, r, map[string]string{"site_id": "STK-H07"})
	if got := row[r.Col("contacts")].(int64); got != 0 {
		t.Errorf("STK-H07 had %d contacts before it opened", got)
	}
	row = find(t, r, map[string]string{"site_id": "STK-H01"})
	if got := row[r.Col("contacts")].(int64); got == 0 {
		t.Error("Westmorland Drive had no contacts in 2023-24")
	}
}

// BenchmarkQueries times every named question as served (from the rollups), and beside it, for
// each that reads contacts, the same question over raw contacts (name/raw).
func BenchmarkQueries(b *testing.B) {
	db := testdata.Warehouse(b)
	a := args(b, "E08000007", "2024-25")
	for _, q := range queries.All() {
		b.Run(q.Name, func(b *testing.B) {
			for b.Loop() {
				if _, err := q.Run(ctx, db, a); err != nil {
					b.Fatal(err)
				}
			}
		})
		if q.RawSQL == "" {
			continue
		}
		b.Run(q.Name+"/raw", func(b *testing.B) {
			for b.Loop() {
				if _, err := q.RunRaw(ctx, db, a); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestParsePeriod(t *testing.T) {
	cases := []struct{ in, start, end string }{
		{"2024-25", "2024-04-01", "2025-03-31"},
		{"2019-20", "2019-04-01", "2020-03-31"},
		{"2099-00", "2099-04-01", "2100-03-31"},
		{"2024-25Q1", "2024-04-01", "2024-06-30"},
		{"2024-25Q3", "2024-10-01", "2024-12-31"},
		{"2024-25Q4", "2025-01-01", "2025-03-31"},
		{"2024-02", "2024-02-01", "2024-02-29"},
		{"2024-12", "2024-12-01", "2024-12-31"},
		{"2020-03-23..2021-03-31", "2020-03-23", "2021-03-31"},
	}
	for _, c := range cases {
		p, err := queries.ParsePeriod(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if p.Start.Format(time.DateOnly) != c.start || p.End.Format(time.DateOnly) != c.end {
			t.Errorf("%s: %s..%s, want %s..%s", c.in, p.Start.Format(time.DateOnly), p.End.Format(time.DateOnly), c.start, c.end)
		}
	}
	for _, bad := range []string{"", "2024", "2024-26", "2024-25Q5", "2024-13", "2025-01-01..2024-01-01", "last year"} {
		if _, err := queries.ParsePeriod(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if got := queries.FinancialYear(time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)); got != "2024-25" {
		t.Errorf("FinancialYear(31 March 2025) = %s", got)
	}
	end := time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	if got := queries.LatestCompleteYear(end); got.Label != "2025-26" {
		t.Errorf("latest complete year to 30 Sep 2026: %s", got.Label)
	}
	if got := queries.LatestCompleteYear(time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)); got.Label != "2025-26" {
		t.Errorf("latest complete year to 31 Mar 2026: %s", got.Label)
	}
}

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")", "+44 161": "'+44 161", "@SUM(A1)": "'@SUM(A1)", "-1+2": "'-1+2",
		"\tx": "'\tx", "-12.5": "-12.5", "Stockport": "Stockport", "": "", "3": "3",
	} {
		if got := queries.SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
	r := &queries.Result{Columns: []string{"name", "n"}, Rows: [][]any{{"=cmd|' /C calc'!A0", int64(-3)}, {nil, 2.5}}}
	var buf bytes.Buffer
	if err := queries.WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[1][0] != "'=cmd|' /C calc'!A0" || recs[1][1] != "-3" || recs[2][0] != "" || recs[2][1] != "2.5" {
		t.Errorf("CSV %q", recs)
	}
}

func TestWriteJSONCarriesUnitsAndSource(t *testing.T) {
	r := run(t, "care_at_31_march", args(t, "E08000007", "2024-25"))
	var buf bytes.Buffer
	if err := queries.WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Query, Units, Source string
		Params               map[string]any
		Rows                 []map[string]any
	}
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out.Query != "care_at_31_march" || !strings.Contains(out.Units, "per 10,000") || !strings.Contains(out.Source, "DfE") ||
		out.Params["council"] != "E08000007" || len(out.Rows) != len(r.Rows) {
		t.Errorf("JSON lost its context: %+v", out)
	}
}

func TestHeaderRules(t *testing.T) {
	for _, q := range queries.All() {
		if q.File != "queries/"+q.Name+".sql" || q.Answers == "" || q.Units == "" || q.Source == "" {
			t.Errorf("%s: incomplete header", q.Name)
		}
	}
	if _, err := queries.Get("no_such_query"); err == nil || !strings.Contains(err.Error(), "care_at_31_march") {
		t.Errorf("unknown query error should list the queries: %v", err)
	}
	q, _ := queries.Get("site_activity")
	if _, err := q.Run(ctx, testdata.Warehouse(t), queries.Args{"council": "E08000007", "locality": "", "service": ""}); err == nil || !strings.Contains(err.Error(), "period_start") {
		t.Errorf("a missing parameter gives %v", err)
	}
}
