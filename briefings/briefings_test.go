package briefings

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

var ctx = context.Background()

// poppler returns the path of a poppler tool (pdftotext, pdfinfo): CI installs poppler-utils,
// so there a missing tool fails; elsewhere the test is skipped, saying why.
func poppler(t *testing.T, tool string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI needs %s (Debian poppler-utils): %v", tool, err)
		}
		t.Skipf("no %s on this machine (Debian poppler-utils): %v", tool, err)
	}
	return p
}

func filters(t testing.TB, council, period string) queries.Filters {
	db := testdata.Warehouse(t)
	c, err := queries.FindCouncil(ctx, db, council)
	if err != nil {
		t.Fatal(err)
	}
	p, err := queries.ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	return queries.Filters{Council: c, Period: p}
}

var date = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

func render(t *testing.T, council, period string) ([]byte, string) {
	t.Helper()
	pdf, err := Bytes(ctx, testdata.Warehouse(t), Request{Filters: filters(t, council, period), Date: date})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "b.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(poppler(t, "pdftotext"), "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return pdf, string(out)
}

func answer(t *testing.T, name string, f queries.Filters, policy stats.Policy) *queries.Result {
	t.Helper()
	r, err := measures.Run(ctx, testdata.Warehouse(t), name, f.Args(), policy)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Every headline figure printed equals what `hubs query` answers for the same council and period.
func TestHeadlineFiguresMatchTheQueries(t *testing.T) {
	_, text := render(t, "stockport", "2024-25")
	f := filters(t, "stockport", "2024-25")
	flat := strings.Join(strings.Fields(text), " ")
	want := func(what, s string) {
		t.Helper()
		if !strings.Contains(flat, s) {
			t.Errorf("%s: %q not in the briefing", what, s)
		}
	}
	deciles := answer(t, "reach_by_decile", f, Policy)
	var reached, families float64
	for _, row := range deciles.Rows {
		if queries.Text(row[deciles.Col("index")]) == "IDACI" {
			n, _ := measures.Number(row[deciles.Col("children_reached")])
			m, _ := measures.Number(row[deciles.Col("families_reached")])
			reached, families = reached+n, families+m
		}
	}
	want("children reached", "reached "+whole(reached)+" children")
	want("families reached", whole(families)+" families")
	care := answer(t, "care_trend", f, Policy)
	for _, row := range care.Rows {
		if queries.Text(row[care.Col("measure")]) == "looked_after" && queries.Text(row[care.Col("year")]) == "2025" {
			want("looked after", "485 children were looked after, "+queries.Text(row[care.Col("rate_per_10000")])+" per 10,000")
			want("England's rate", "England ("+queries.Text(row[care.Col("england_rate_per_10000")])+")")
			// the indicator wraps in its cell; its value and interval stand on the row's first line
			row := regexp.MustCompile(`Children looked after per 10,000, 31 March\s+` + regexp.QuoteMeta(queries.Text(row[care.Col("rate_per_10000")])) +
				`\s+` + regexp.QuoteMeta(queries.Text(row[care.Col("rate_per_10000_lower")])) + ` to ` + regexp.QuoteMeta(queries.Text(row[care.Col("rate_per_10000_upper")])))
			if !row.MatchString(text) {
				t.Error("the headline table does not show the looked-after rate and interval that care_trend gives")
			}
		}
	}
	ineq := answer(t, "inequality_summary", f, Policy)
	for _, row := range ineq.Rows {
		if queries.Text(row[ineq.Col("year")]) == "2024-25" {
			sii, _ := measures.Number(row[ineq.Col("sii")])
			lo, _ := measures.Number(row[ineq.Col("sii_lower")])
			hi, _ := measures.Number(row[ineq.Col("sii_upper")])
			want("SII", fmt.Sprintf("was %s per 1,000 (%s to %s) in 2024-25", one(sii), one(lo), one(hi)))
		}
	}
	plan := answer(t, "fund_progress", f, Policy)
	for _, row := range plan.Rows {
		id, status := queries.Text(row[plan.Col("id")]), queries.Text(row[plan.Col("status")])
		if !regexp.MustCompile(id + ` .*` + status).MatchString(text) {
			t.Errorf("plan line %s is not shown as %s", id, status)
		}
	}
	localities := answer(t, "reach_by_locality", f, Policy)
	for _, row := range localities.Rows {
		if queries.Text(row[localities.Col("locality")]) == "Brinnington, Reddish and Central" {
			v, _ := measures.Number(row[localities.Col("reach_per_1000")])
			want("Brinnington reach", "Brinnington, Reddish and Central ("+one(v)+" per 1,000)")
		}
	}
	for _, s := range []string{"Key messages", "Headline figures", "Transformation Fund plan", "Methods and sources",
		"SYNTHETIC", "MODELLED", "Page 1 of 8", "Reach by neighbourhood", "suppressed (c)", "family hub (large)", "Stockport", "2024-25 (1 April 2024 to 31 March 2025)", "Open Government Licence",
		"Produced 22 November 2026", "Counts of 1 to 5 are shown as c"} {
		want("page furniture", s)
	}
}

// Key messages follow significance: "rose" only when the intervals do not overlap.
func TestKeyMessageWording(t *testing.T) {
	f := &Figures{Localities: &queries.Result{}, Plan: &queries.Result{}, Inequality: &queries.Result{}, Care: &queries.Result{},
		Reached: 1000, Families: 800, Rate: 110, RateLower: 104, RateUpper: 116, PrevRate: 100, PrevLower: 94, PrevUpper: 106}
	p, _ := queries.ParsePeriod("2024-25")
	msgs := KeyMessages(f, "X", p)
	if !strings.Contains(msgs[0], "which was similar to the year before") {
		t.Errorf("overlapping intervals: %s", msgs[0])
	}
	f.RateLower, f.RateUpper = 107, 113
	msgs = KeyMessages(f, "X", p)
	if !strings.Contains(msgs[0], "which rose from 100.0 per 1,000") {
		t.Errorf("separate intervals: %s", msgs[0])
	}
	f.Rate, f.RateLower, f.RateUpper = 90, 87, 93
	msgs = KeyMessages(f, "X", p)
	if !strings.Contains(msgs[0], "which fell from 100.0") {
		t.Errorf("a significant fall: %s", msgs[0])
	}
	f.Reach12, f.Reach12Lower, f.Reach12Upper, f.ReachRest, f.ReachRestLower, f.ReachRestUpper = 120, 100, 140, 110, 105, 115
	msgs = KeyMessages(f, "X", p)
	if !strings.Contains(msgs[1], "similar to the rest of the council") {
		t.Errorf("overlapping deprived vs rest: %s", msgs[1])
	}
}

// A suppressed count prints as its symbol: Westmorland and Furness in May 2020 has services
// used by 1 to 5 children in some age bands.
func TestSuppressedValuesPrintAsSymbols(t *testing.T) {
	_, text := render(t, "westmorland-furness", "2020-05")
	mix := answer(t, "service_mix", filters(t, "westmorland-furness", "2020-05"), Policy)
	suppressed := 0
	for _, svc := range []string{"Domestic abuse", "Benefits and debt", "Employment and adult learning"} {
		var cells []string
		for _, row := range mix.Rows {
			if queries.Text(row[mix.Col("service")]) == svc {
				cells = append(cells, shown(row[mix.Col("contacts")], 0))
				if _, ok := row[mix.Col("contacts")].(stats.Suppressed); ok {
					suppressed++
				}
			}
		}
		pattern := regexp.QuoteMeta(svc) + `\s+` + strings.Join(cells, `\s+`) + `\s*\n`
		if !regexp.MustCompile(pattern).MatchString(text) {
			t.Errorf("%s: want the row %v in the briefing", svc, cells)
		}
	}
	if suppressed == 0 {
		t.Fatal("no suppressed cells in the case: the test needs some")
	}
	exact := answer(t, "service_mix", filters(t, "westmorland-furness", "2020-05"), stats.Exact)
	for i, row := range exact.Rows {
		n, _ := measures.Number(row[exact.Col("contacts")])
		if n >= 1 && n <= 5 {
			if _, ok := mix.Rows[i][mix.Col("contacts")].(stats.Suppressed); !ok {
				t.Errorf("a count of %g is not suppressed in the briefing's data", n)
			}
		}
	}
}

// The same warehouse and date give the same bytes; another date changes them.
func TestReproducible(t *testing.T) {
	db := testdata.Warehouse(t)
	req := Request{Filters: filters(t, "kirklees", "2024-25"), Date: date}
	a, err := Bytes(ctx, db, req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Bytes(ctx, db, req)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two briefings with the same date differ")
	}
	req.Date = date.AddDate(0, 0, 1)
	c, _ := Bytes(ctx, db, req)
	if bytes.Equal(a, c) {
		t.Error("a different production date gave the same bytes")
	}
	if !bytes.Contains(a, []byte("/CreationDate (D:20261122")) {
		t.Error("the creation date is not the one given")
	}
}

// Every demo council's briefing renders, with its metadata, for its latest complete year.
func TestEveryCouncilRenders(t *testing.T) {
	info := poppler(t, "pdfinfo")
	for _, c := range []string{"stockport", "kirklees", "wolverhampton", "cumberland", "westmorland-furness"} {
		pdf, text := render(t, c, "2025-26")
		file := filepath.Join(t.TempDir(), c+".pdf")
		os.WriteFile(file, pdf, 0o644)
		out, err := exec.Command(info, file).Output()
		if err != nil {
			t.Fatal(err)
		}
		name := filters(t, c, "2025-26").Council.Name
		for _, want := range []string{"Title:           Family Hubs briefing: " + name + ", 2025-26", "Author:          " + name,
			"Keywords:        family hubs", "Page size:       595.28 x 841.89 pts (A4)", "Creator:         familyhubs"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("%s metadata lacks %q:\n%s", c, want, out)
			}
		}
		if !strings.Contains(text, name) || !strings.Contains(text, "Methods and sources") {
			t.Errorf("%s: incomplete briefing", c)
		}
	}
}

// The embedded fonts print any UTF-8 text: Polish (Kirklees consults in Polish), pounds, euros.
func TestUTF8Text(t *testing.T) {
	d := newDoc(filters(t, "kirklees", "2024-25"), date)
	d.pdf.AddPage()
	d.para("Centra rodzinne: zażółć gęślą jaźń. Koszt £12, €14.", 10)
	var buf bytes.Buffer
	if err := d.pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "u.pdf")
	os.WriteFile(file, buf.Bytes(), 0o644)
	out, err := exec.Command(poppler(t, "pdftotext"), file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "zażółć gęślą jaźń. Koszt £12, €14.") {
		t.Errorf("UTF-8 text lost: %q", out)
	}
}

// Writing a briefing should take well under a second.
func BenchmarkBriefing(b *testing.B) {
	db := testdata.Warehouse(b)
	req := Request{Filters: filters(b, "stockport", "2024-25"), Date: date}
	for b.Loop() {
		if _, err := Bytes(ctx, db, req); err != nil {
			b.Fatal(err)
		}
	}
}
