package returns

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
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
	r, err := Fill(ctx, db, spec, c, p)
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
	csvValues := map[string]string{}
	for _, rec := range recs[1:] {
		if rec[0] != "OFFICIAL-SENSITIVE" {
			t.Errorf("row %s not marked: %q", rec[7], rec[0])
		}
		csvValues[rec[7]] = rec[11]
	}
	book, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := book.GetRows("Return")
	for _, row := range rows[1:] {
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
