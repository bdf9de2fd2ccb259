package returns

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/xuri/excelize/v2"

	"familyhubs/answers"
	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
	"familyhubs/warehouse"
)

var ctx = context.Background()

func filled(t *testing.T, council, period string) *Return {
	t.Helper()
	db := testdata.Warehouse(t)
	c, err := queries.FindCouncil(ctx, db, council)
	if err != nil {
		t.Fatal(err)
	}
	p := LatestQuarter(db.DataEnd)
	if period != "" {
		if p, err = queries.ParsePeriod(period); err != nil {
			t.Fatal(err)
		}
	}
	spec, err := QuarterlySpec()
	if err != nil {
		t.Fatal(err)
	}
	r, err := Fill(ctx, answers.New(db, db.Version, db.DataEnd), spec, c, p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestLatestQuarter(t *testing.T) {
	for end, want := range map[string]string{"2026-09-30": "2026-27Q2", "2026-09-29": "2026-27Q1", "2026-03-31": "2025-26Q4", "2026-01-15": "2025-26Q3"} {
		d, _ := time.Parse(time.DateOnly, end)
		if got := LatestQuarter(d).Label; got != want {
			t.Errorf("data to %s: latest quarter %s, want %s", end, got, want)
		}
	}
}

// A quarterly return for each demo council validates with no errors.
func TestEveryCouncilValidates(t *testing.T) {
	db := testdata.Warehouse(t)
	for _, c := range []string{"stockport", "kirklees", "wolverhampton", "cumberland", "westmorland-furness"} {
		r := filled(t, c, "")
		for _, f := range r.Validate(db.DataEnd) {
			if f.Severity == "error" {
				t.Errorf("%s %s: %s", c, r.Period.Label, f.Message)
			}
		}
		if len(r.Values) != len(r.Spec.Fields) {
			t.Errorf("%s: %d of %d fields filled: %v", c, len(r.Values), len(r.Spec.Fields), r.Problems)
		}
	}
}

// The return's figures are the queries' exact answers.
func TestValuesComeFromTheQueries(t *testing.T) {
	r := filled(t, "stockport", "2025-26Q4")
	db := testdata.Warehouse(t)
	var children float64
	if err := db.QueryRow(`SELECT count(DISTINCT child_id) FROM contacts WHERE council_code = 'E08000007'
		AND contact_date BETWEEN '2026-01-01' AND '2026-03-31'`).Scan(&children); err != nil {
		t.Fatal(err)
	}
	if r.Values["R02"] != children {
		t.Errorf("R02 = %v, counted directly %v", r.Values["R02"], children)
	}
	dec, err := measures.Run(ctx, db, "reach_by_decile", queries.Filters{Council: r.Council, Period: r.Period}.Args(), stats.Exact)
	if err != nil {
		t.Fatal(err)
	}
	var deprived float64
	for _, row := range dec.Rows {
		if queries.Text(row[dec.Col("index")]) == "IDACI" && (queries.Text(row[dec.Col("decile")]) == "1" || queries.Text(row[dec.Col("decile")]) == "2") {
			n, _ := measures.Number(row[dec.Col("children_reached")])
			deprived += n
		}
	}
	if r.Values["R20"] != deprived {
		t.Errorf("R20 = %v, reach_by_decile gives %v", r.Values["R20"], deprived)
	}
	for id, want := range map[string]float64{"S01": 7, "S03": 11, "S05": 1, "S00": 19, "P01": 1, "P02": 0} {
		if r.Values[id] != want {
			t.Errorf("Stockport %s = %v, want %v", id, r.Values[id], want)
		}
	}
}

// Each validation rule fires when one figure is changed.
func TestEveryRuleFires(t *testing.T) {
	db := testdata.Warehouse(t)
	cases := []struct {
		name   string
		change func(r *Return)
		rule   string
		field  string
	}{
		{"a missing figure", func(r *Return) { delete(r.Values, "R03") }, "complete", "R03"},
		{"a negative count", func(r *Return) { r.Values["C01"] = -4 }, "whole", "C01"},
		{"a fraction of a child", func(r *Return) { r.Values["R11"] += 0.5 }, "whole", "R11"},
		{"a yes/no of 2", func(r *Return) { r.Values["P01"] = 2 }, "whole", "P01"},
		{"a total off by one", func(r *Return) { r.Values["S00"]++ }, "total", "S00"},
		{"more fathers than carers", func(r *Return) { r.Values["R04"] = r.Values["R03"] + 1 }, "bounds", "R04"},
		{"a band bigger than all children", func(r *Return) { r.Values["R10"] = r.Values["R02"] + 1 }, "bounds", "R10"},
		{"more reached than live there", func(r *Return) { r.Values["R21"] = r.Values["R20"] - 1 }, "bounds", "R21"},
		{"strands more than all contacts", func(r *Return) { r.Values["C00"] = r.Values["C01"] }, "bounds", "C00"},
		{"total more than the bands", func(r *Return) { r.Values["R02"] = 1e9 }, "bounds", "R02"},
		{"a doubling since last quarter", func(r *Return) { r.Values["R01"] *= 2 }, "change", "R01"},
		{"from nothing last quarter", func(r *Return) { r.Previous["C03"] = 0 }, "change", "C03"},
	}
	for _, c := range cases {
		r := filled(t, "stockport", "2025-26Q4")
		base := r.Validate(db.DataEnd)
		c.change(r)
		found := false
		for _, f := range r.Validate(db.DataEnd) {
			if f.Rule == c.rule && f.Field == c.field {
				found = true
				wantSev := "error"
				if c.rule == "change" {
					wantSev = "check"
				}
				if f.Severity != wantSev {
					t.Errorf("%s: severity %s", c.name, f.Severity)
				}
			}
		}
		if !found {
			t.Errorf("%s: rule %s did not fire on %s", c.name, c.rule, c.field)
		}
		for _, f := range base {
			if f.Field == c.field && f.Rule == c.rule {
				t.Errorf("%s: the rule already fired before the change", c.name)
			}
		}
	}
	// periods: not a quarter, and a quarter beyond the data
	r := filled(t, "stockport", "2025-26")
	if !hasRule(r.Validate(db.DataEnd), "complete") {
		t.Error("a financial year was accepted as a quarter")
	}
	r = filled(t, "stockport", "2026-27Q3")
	if !hasRule(r.Validate(db.DataEnd), "complete") {
		t.Error("a quarter beyond the data was accepted")
	}
}

func hasRule(fs []Finding, rule string) bool {
	for _, f := range fs {
		if f.Rule == rule && f.Severity == "error" {
			return true
		}
	}
	return false
}

// The files carry the classification, and the workbook holds the same figures as the CSV.
func TestFilesAreMarkedAndAgree(t *testing.T) {
	r := filled(t, "kirklees", "2025-26Q3")
	findings := r.Validate(testdata.Warehouse(t).DataEnd)
	var c, x, rep bytes.Buffer
	if err := r.WriteCSV(&c); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteXLSX(&x, findings, time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	r.WriteReport(&rep, findings, time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC))
	recs, err := csv.NewReader(&c).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(r.Spec.Fields)+1 {
		t.Fatalf("%d CSV rows", len(recs))
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	csvValues := map[string]string{}
	for _, rec := range recs[1:] {
		if rec[0] != "OFFICIAL-SENSITIVE" {
			t.Errorf("row %s not marked: %q", rec[col["field_id"]], rec[0])
		}
		csvValues[rec[col["field_id"]]] = rec[col["value"]]
	}
	book, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := book.GetRows("Return")
	if len(rows) != len(r.Spec.Fields)+2 || rows[1][0] != "Field" {
		t.Fatalf("the Return sheet has %d rows, headed %q", len(rows), rows[1])
	}
	for _, row := range rows[2:] {
		if row[4] != csvValues[row[0]] {
			t.Errorf("field %s: workbook %s, CSV %s", row[0], row[4], csvValues[row[0]])
		}
	}
	hf, err := book.GetHeaderFooter("Return")
	if err != nil || !strings.Contains(hf.OddHeader, "OFFICIAL-SENSITIVE") {
		t.Errorf("workbook header %+v, %v", hf, err)
	}
	if !strings.HasPrefix(rep.String(), "OFFICIAL-SENSITIVE") || !strings.Contains(rep.String(), "Rules:") {
		t.Errorf("report: %.200s", rep.String())
	}
}

func TestSpecIsConsistent(t *testing.T) {
	spec, err := QuarterlySpec()
	if err != nil {
		t.Fatal(err)
	}
	if spec.Version != "fhsfl-quarterly-v1" || spec.Classification != "OFFICIAL-SENSITIVE" || spec.ChangeThreshold != 0.25 {
		t.Errorf("spec header %+v", spec)
	}
	// the fields the issue lists are all there
	text := ""
	for _, f := range spec.Fields {
		text += f.Description + "\n"
	}
	for _, want := range []string{"Family hub buildings", "Unique families", "Unique children", "parents and carers", "aged 0-2", "aged 3-4",
		"aged 5-11", "aged 12-19", "aged 20-25", "parenting support", "perinatal mental health", "infant feeding",
		"early language and home learning", "IDACI deciles 1-2", "Fathers and male carers", "Start for Life offer published", "Parent carer panel"} {
		if !strings.Contains(text, want) {
			t.Errorf("the spec has no field for %q", want)
		}
	}
}

const syntheticMark = "SYNTHETIC demo data: not for submission"

// written holds the three files of a return, as WriteCSV, WriteXLSX and WriteReport write them.
type written struct {
	csv    [][]string
	book   *excelize.File
	report string
}

func writeAll(t *testing.T, r *Return) written {
	t.Helper()
	findings := r.Validate(testdata.Warehouse(t).DataEnd)
	generated := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	var c, x, rep bytes.Buffer
	if err := r.WriteCSV(&c); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteXLSX(&x, findings, generated); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteReport(&rep, findings, generated); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&c).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	book, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { book.Close() })
	return written{recs, book, rep.String()}
}

// bookText is every cell of every sheet, the sheets' headers and footers and the document's
// properties: all the words a person opening the workbook can see.
func bookText(t *testing.T, book *excelize.File) string {
	t.Helper()
	var b strings.Builder
	for _, sheet := range book.GetSheetList() {
		rows, err := book.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			b.WriteString(strings.Join(row, "\t") + "\n")
		}
		hf, err := book.GetHeaderFooter(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if hf != nil {
			b.WriteString(hf.OddHeader + "\n" + hf.OddFooter + "\n")
		}
	}
	props, err := book.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	b.WriteString(props.Title + "\n" + props.Subject + "\n" + props.Description + "\n" + props.Keywords + "\n")
	return b.String()
}

// The demo warehouse's contacts are generated: every file of its return says so plainly, beside
// the OFFICIAL-SENSITIVE marking, which stays as it was.
func TestDemoReturnIsMarkedSynthetic(t *testing.T) {
	w := writeAll(t, filled(t, "stockport", "2025-26Q4"))
	col := -1
	for i, h := range w.csv[0] {
		if h == "classification" && i != 0 {
			t.Errorf("classification is column %d", i)
		}
		if h == "data" {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("the CSV has no data column: %q", w.csv[0])
	}
	for _, rec := range w.csv[1:] {
		if rec[0] != "OFFICIAL-SENSITIVE" || rec[col] != syntheticMark {
			t.Errorf("CSV row not marked: %q", rec)
		}
	}
	sheets := w.book.GetSheetList()
	if a1, _ := w.book.GetCellValue(sheets[0], "A1"); a1 != syntheticMark {
		t.Errorf("first sheet %s: A1 is %q", sheets[0], a1)
	}
	for _, sheet := range sheets {
		hf, err := w.book.GetHeaderFooter(sheet)
		if err != nil || hf == nil {
			t.Fatalf("%s: %v", sheet, err)
		}
		for _, s := range []string{hf.OddHeader, hf.OddFooter} {
			if !strings.Contains(s, syntheticMark) || !strings.Contains(s, "&COFFICIAL-SENSITIVE") {
				t.Errorf("%s header or footer %q", sheet, s)
			}
		}
	}
	lines := strings.SplitN(w.report, "\n", 3)
	if lines[0] != "OFFICIAL-SENSITIVE" || !strings.HasPrefix(lines[1], syntheticMark) {
		t.Errorf("report begins:\n%.300s", w.report)
	}
}

// A council whose contacts a load has put in the warehouse files a return with no such mark.
func TestLoadedContactsAreNotMarkedSynthetic(t *testing.T) {
	src := testdata.Warehouse(t)
	file := filepath.Join(t.TempDir(), "loaded.duckdb")
	b, err := os.ReadFile(src.Path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	rw, err := sql.Open("duckdb", file)
	if err != nil {
		t.Fatal(err)
	}
	_, err = rw.ExecContext(ctx, "INSERT INTO metadata VALUES ('contacts_loaded:E08000007', '2026-11-22')")
	rw.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err := warehouse.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	spec, _ := QuarterlySpec()
	p, _ := queries.ParsePeriod("2025-26Q4")
	for code, synthetic := range map[string]bool{"E08000007": false, "E08000034": true} {
		c, err := queries.FindCouncil(ctx, db, code)
		if err != nil {
			t.Fatal(err)
		}
		a := answers.New(db, db.Version, db.DataEnd)
		r, err := Fill(ctx, a, spec, c, p)
		if err != nil {
			t.Fatal(err)
		}
		w := writeAll(t, r)
		for name, text := range map[string]string{"report": w.report, "workbook": bookText(t, w.book), "CSV": w.csv[1][1]} {
			if got := strings.Contains(text, syntheticMark); got != synthetic {
				t.Errorf("%s: %s marked synthetic: %v, want %v", c.Name, name, got, synthetic)
			}
		}
		// the pages' and briefing's labels read the same coverage
		v, err := a.NewView(ctx, queries.Filters{Council: c, Period: p}, stats.DfE, "")
		if err != nil {
			t.Fatal(err)
		}
		h, err := a.Headlines(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		if got := slices.Contains(h.Tiles[0].Labels, "synthetic"); got != synthetic {
			t.Errorf("%s: the children reached tile is labelled synthetic: %v, want %v", c.Name, got, synthetic)
		}
	}
}

// The return's specification is the tool's own (DfE publishes no open template): no file calls it
// the DfE return, and the report and workbook say whose specification it is.
func TestReturnIsTheToolsOwnSpecification(t *testing.T) {
	w := writeAll(t, filled(t, "kirklees", "2025-26Q3"))
	var c strings.Builder
	for _, rec := range w.csv {
		c.WriteString(strings.Join(rec, ",") + "\n")
	}
	dfe := regexp.MustCompile(`(?i)DfE('s)? (quarterly )?returns?\b|returns? (to|for|of) (the )?(DfE|Department for Education)`)
	for name, text := range map[string]string{"CSV": c.String(), "workbook": bookText(t, w.book), "report": w.report} {
		if m := dfe.FindString(text); m != "" {
			t.Errorf("the %s says %q", name, m)
		}
		if name != "CSV" && !strings.Contains(text, "the tool's own specification of the Family Hubs and Start for Life quarterly return") {
			t.Errorf("the %s does not say whose specification the return is", name)
		}
	}
}

// A change flag names the field, its section, both figures and the move, in words.
func TestChangeFlagNamesTheField(t *testing.T) {
	r := filled(t, "stockport", "2025-26Q4")
	r.Previous["R01"] = 987
	r.Values["R01"] = 1234
	r.Previous["C03"] = 0
	want := map[string]string{
		"R01": "R01 Unique families reached in the quarter (Reach): 1,234 against 987 in 2025-26Q3, up 25.0%: confirm before submission",
		"C03": "C03 Contacts: infant feeding (Contacts by funded strand): " + queries.Text(r.Values["C03"]) + " against 0 in 2025-26Q3",
	}
	seen := 0
	for _, f := range r.Validate(testdata.Warehouse(t).DataEnd) {
		if f.Rule != "change" {
			continue
		}
		if w, ok := want[f.Field]; ok {
			seen++
			if !strings.HasPrefix(f.Message, w) {
				t.Errorf("%s flagged as\n%s\nwant\n%s", f.Field, f.Message, w)
			}
		}
		if !strings.Contains(f.Message, " against ") || !regexp.MustCompile(`\d%: |against 0 in`).MatchString(f.Message) {
			t.Errorf("change flag %q", f.Message)
		}
	}
	if seen != len(want) {
		t.Errorf("%d of %d fields flagged", seen, len(want))
	}
	// a fall is a fall
	r.Values["R01"], r.Previous["R01"] = 700, 1000
	fell := false
	for _, f := range r.Validate(testdata.Warehouse(t).DataEnd) {
		if f.Rule == "change" && f.Field == "R01" {
			fell = true
			if !strings.Contains(f.Message, ": 700 against 1,000 in 2025-26Q3, down 30.0%: ") {
				t.Errorf("a fall: %s", f.Message)
			}
		}
	}
	if !fell {
		t.Error("a fall of 30% was not flagged")
	}
}

// A field that must be one row and is not says which rows it looked for in plain words.
func TestOneRowProblemIsPlainEnglish(t *testing.T) {
	r := filled(t, "leeds", "2025-26Q4") // no programme plan: no fund_progress rows
	if got := r.Problems["P01"]; !strings.Contains(got, "0 rows of fund_progress where indicator = Start for Life offer published") || strings.Contains(got, "map[") {
		t.Errorf("P01: %s", got)
	}
	spec, err := QuarterlySpec()
	if err != nil {
		t.Fatal(err)
	}
	spec.Fields = []Field{{ID: "X01", Section: "Test", Description: "two deciles, one value", Query: "reach_by_decile",
		Only: map[string][]string{"index": {"IDACI"}, "decile": {"1", "2"}}, Column: "children_reached", Aggregate: "value"}}
	db := testdata.Warehouse(t)
	c, _ := queries.FindCouncil(ctx, db, "stockport")
	p, _ := queries.ParsePeriod("2025-26Q4")
	r, err = Fill(ctx, answers.New(db, db.Version, db.DataEnd), spec, c, p)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Problems["X01"]; !strings.Contains(got, "2 rows of reach_by_decile where decile = 1 or 2 and index = IDACI") || strings.ContainsAny(got, "[]") {
		t.Errorf("X01: %s", got)
	}
}

// A return's period is one whole quarter within the data; dates that make exactly a quarter are
// that quarter.
func TestParseQuarter(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	first, end := day("2019-04-03"), day("2026-09-30")
	for s, want := range map[string]string{"2026-27Q2": "2026-27Q2", "2019-20Q1": "2019-20Q1", "2024-04-01..2024-06-30": "2024-25Q1"} {
		if p, err := ParseQuarter(s, first, end); err != nil || p.Label != want {
			t.Errorf("%s: %s, %v; want %s", s, p.Label, err, want)
		}
	}
	for _, s := range []string{"2024-25", "2024-06", "2024-04-01..2024-07-01", "2026-27Q3", "2018-19Q4", "Q3", ""} {
		_, err := ParseQuarter(s, first, end)
		if err == nil || !strings.Contains(err.Error(), "2019-20Q1 to 2026-27Q2, and the latest quarter available is 2026-27Q2") {
			t.Errorf("%q: %v", s, err)
		}
	}
	if _, err := ParseQuarter("2012-13Q1", time.Time{}, end); err != nil {
		t.Errorf("a council with no contacts: %v", err)
	}
}
