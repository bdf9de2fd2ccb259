package briefings

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
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

func service(t testing.TB) *answers.Service {
	db := testdata.Warehouse(t)
	return answers.New(db, db.Version, db.DataEnd)
}

func render(t *testing.T, council, period string) ([]byte, string) {
	t.Helper()
	pdf, err := Bytes(ctx, service(t), Request{Filters: filters(t, council, period), Date: date})
	if err != nil {
		t.Fatal(err)
	}
	return pdf, pdfText(t, pdf, "-layout")
}

func pdfText(t *testing.T, pdf []byte, args ...string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "b.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(poppler(t, "pdftotext"), append(args, file, "-")...).Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func answer(t *testing.T, name string, f queries.Filters, policy stats.Policy) *queries.Result {
	t.Helper()
	r, err := measures.Run(ctx, testdata.Warehouse(t), name, f.Args(), policy)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Every tile and key message printed is the one the overview page shows for the same view, and
// the headline figures equal the queries.
func TestHeadlineFiguresMatchTheQueries(t *testing.T) {
	for _, c := range []struct{ council, period string }{{"stockport", "2024-25"}, {"kirklees", "2024-25Q3"}, {"cumberland", "2023-06"}} {
		_, text := render(t, c.council, c.period)
		f := filters(t, c.council, c.period)
		flat := strings.Join(strings.Fields(text), " ")
		want := func(what, s string) {
			t.Helper()
			if !strings.Contains(flat, strings.Join(strings.Fields(s), " ")) {
				t.Errorf("%s %s: %s: %q not in the briefing", c.council, c.period, what, s)
			}
		}
		a := service(t)
		v, err := a.NewView(ctx, f, Policy, "")
		if err != nil {
			t.Fatal(err)
		}
		h, err := a.Headlines(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Messages) < 4 || len(h.Tiles) < 5 {
			t.Fatalf("%s %s: %d messages, %d tiles", c.council, c.period, len(h.Messages), len(h.Tiles))
		}
		for _, m := range h.Messages {
			want("key message", m)
		}
		for _, tile := range h.Tiles {
			want("tile "+tile.Label, tile.Value)
		}
		total := answer(t, "reach_total", f, Policy)
		want("children reached", "reached "+answers.Format(total.Rows[0][total.MustCol("children_reached")], 0)+" children")
		plan := answer(t, "fund_progress", f, Policy)
		for _, row := range plan.Rows {
			id, status := plan.Str(row, "id"), strings.Fields(plan.Str(row, "status"))[0]
			if !regexp.MustCompile(id + ` .*` + status).MatchString(text) {
				t.Errorf("%s: plan line %s is not shown as %s", c.council, id, status)
			}
		}
	}
	_, text := render(t, "stockport", "2024-25")
	flat := strings.Join(strings.Fields(text), " ")
	for _, s := range []string{"Key messages", "Headline figures", "Transformation Fund plan", "Methods and sources",
		"SYNTHETIC", "MODELLED", "ILLUSTRATIVE", "Reach by neighbourhood", "suppressed (c)", "family hub (large)", "Stockport", "2024-25 (1 April 2024 to 31 March 2025)", "Open Government Licence",
		"Produced 22 November 2026", "Counts of 1 to 5 are shown as c", "(illustrative target)", "Compared with 2023-24, the year before"} {
		if !strings.Contains(flat, s) {
			t.Errorf("page furniture: %q not in the briefing", s)
		}
	}
}

// Each chart says in one line what it shows.
func TestChartsSayWhatTheyShow(t *testing.T) {
	_, text := render(t, "stockport", "2024-25")
	flat := strings.Join(strings.Fields(text), " ")
	for _, f := range append([]*answers.Figure{answers.ReachIDACI, answers.ReachTrend, answers.Localities, answers.ServiceMix, answers.Neighbourhoods}, answers.CareFigures...) {
		if !strings.Contains(flat, strings.Join(strings.Fields(f.Shows), " ")) {
			t.Errorf("%s: its 'what this shows' line is not in the briefing", f.ID)
		}
	}
}

// Sections flow: no page but the last is left more than half empty (the briefing used to start a
// new page for every section, leaving pages 1, 2, 5 and 7 half to three-quarters empty). The
// lowest word above the footer on each page must sit in the lower half of the page.
func TestNoHalfEmptyPages(t *testing.T) {
	word := regexp.MustCompile(`<word xMin="[0-9.]+" yMin="[0-9.]+" xMax="[0-9.]+" yMax="([0-9.]+)">`)
	for _, c := range []struct{ council, period string }{{"stockport", "2024-25"}, {"kirklees", "2025-26"}, {"westmorland-furness", "2024-25Q2"}} {
		pdf, _ := render(t, c.council, c.period)
		pages := strings.Split(pdfText(t, pdf, "-bbox"), "<page ")[1:]
		for i, p := range pages[:len(pages)-1] {
			lowest := 0.0
			for _, m := range word.FindAllStringSubmatch(p, -1) {
				y, _ := strconv.ParseFloat(m[1], 64)
				if y < 780 && y > lowest { // above the footer (A4 is 842 points tall)
					lowest = y
				}
			}
			if lowest < 842/2 {
				t.Errorf("%s %s: page %d of %d ends at %.0f of 842 points: more than half empty", c.council, c.period, i+1, len(pages), lowest)
			}
		}
	}
}

// A briefing for a period without data, or a council without contacts, is refused in plain words
// (it printed "reached 0 children ... fell from 204.3" and "RII NaN").
func TestNoBriefingWithoutData(t *testing.T) {
	for _, c := range []struct{ council, period, says string }{
		{"stockport", "2027-28", "has no data for 2027-28"},
		{"stockport", "2018-19", "has no data for 2018-19"},
		{"manchester", "2024-25", "holds no service contacts for Manchester"},
	} {
		_, err := Bytes(ctx, service(t), Request{Filters: filters(t, c.council, c.period), Date: date})
		var nd ErrNoData
		if !errors.As(err, &nd) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s %s: %v, want a refusal saying %q", c.council, c.period, err, c.says)
		}
	}
}

// Small counts print as protected: Westmorland and Furness in May 2020 has services used by 1 to 5
// children in some age bands; the briefing prints the same protected values as the page and the
// API (the cell key method: never 1 or 2, at most 3 from the truth).
func TestSmallValuesPrintProtected(t *testing.T) {
	_, text := render(t, "westmorland-furness", "2020-05")
	mix := answer(t, "service_mix", filters(t, "westmorland-furness", "2020-05"), Policy)
	for _, svc := range []string{"Domestic abuse", "Benefits and debt", "Employment and adult learning"} {
		var cells []string
		for _, row := range mix.Rows {
			if queries.Text(row[mix.Col("service")]) == svc {
				cells = append(cells, answers.Format(row[mix.Col("contacts")], 0))
			}
		}
		pattern := regexp.QuoteMeta(svc) + `\s+` + strings.Join(cells, `\s+`) + `\s*\n`
		if !regexp.MustCompile(pattern).MatchString(text) {
			t.Errorf("%s: want the row %v in the briefing", svc, cells)
		}
	}
	exact := answer(t, "service_mix", filters(t, "westmorland-furness", "2020-05"), stats.Exact)
	small, changed := 0, 0
	for i, row := range exact.Rows {
		n, _ := measures.Number(row[exact.Col("contacts")])
		v, ok := measures.Number(mix.Rows[i][mix.Col("contacts")])
		if !ok {
			t.Fatalf("row %d: %v in the briefing's data, want a protected number", i, mix.Rows[i][mix.Col("contacts")])
		}
		if n >= 1 && n <= 5 {
			small++
			if v == 1 || v == 2 || v-n > 3 || n-v > 3 {
				t.Errorf("a count of %g is shown as %g in the briefing's data", n, v)
			}
		}
		if v != n {
			changed++
		}
	}
	if small == 0 || changed == 0 {
		t.Fatalf("%d small counts, %d changed: the test needs small counts and the protection to act", small, changed)
	}
}

// The same warehouse and date give the same bytes; another date changes them.
func TestReproducible(t *testing.T) {
	db := service(t)
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
	db := service(b)
	req := Request{Filters: filters(b, "stockport", "2024-25"), Date: date}
	for b.Loop() {
		if _, err := Bytes(ctx, db, req); err != nil {
			b.Fatal(err)
		}
	}
}
