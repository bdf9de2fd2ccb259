package dashboards_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"familyhubs/answers"
	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

// The reach page draws expectant families (families with a contact before a child's birth) by
// IDACI decile beside reach, from the declared figure: its table holds the same protected counts
// the question answers, decile by decile; and the SII figure says which ages IDACI describes.
func TestExpectantFamiliesOnTheReachPage(t *testing.T) {
	base := startServer(t)
	_, body := get(t, base+"/reach?council=stockport&period=2024-25")
	secs := strings.Split(body, `<section class="chart"`)
	i := slices.IndexFunc(secs, func(s string) bool { return strings.HasPrefix(s, ` id="block-expectant"`) })
	if i < 0 {
		t.Fatal("no expectant families figure on the reach page")
	}
	sec := secs[i]
	for _, s := range []string{answers.Expectant.Title, answers.Expectant.Shows} {
		if !strings.Contains(unescape(sec), s) {
			t.Errorf("%q not in the expectant families figure", s)
		}
	}
	rows := tableRows(sec)
	if len(rows) != 11 {
		t.Fatalf("%d table rows, want a header and the 10 IDACI deciles", len(rows))
	}
	col := slices.Index(rows[0], "Expectant families")
	dc := slices.Index(rows[0], "Decile")
	if col < 0 || dc < 0 {
		t.Fatalf("no Decile or Expectant families column in %q", rows[0])
	}
	p, err := queries.ParsePeriod("2024-25")
	if err != nil {
		t.Fatal(err)
	}
	res, err := measures.Run(context.Background(), testdata.Warehouse(t), "reach_by_decile",
		queries.Args{"council": "E08000007", "period_start": p.Start, "period_end": p.End, "locality": "", "service": ""}, stats.DfE)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range res.Rows {
		if res.Str(row, "index") != "IDACI" {
			continue
		}
		d := queries.Text(row[res.MustCol("decile")])
		want := answers.Format(row[res.MustCol("expectant_families")], 0)
		j := slices.IndexFunc(rows[1:], func(r []string) bool { return r[dc] == d })
		if j < 0 {
			t.Errorf("no row for decile %s", d)
			continue
		}
		if got := rows[1+j][col]; got != want {
			t.Errorf("decile %s: %s expectant families on the page, the question gives %s", d, got, want)
		}
	}
	i = slices.IndexFunc(secs, func(s string) bool { return strings.HasPrefix(s, ` id="block-inequality"`) })
	if i < 0 || !strings.Contains(secs[i], "IDACI ranks neighbourhoods by children aged 0-15 in income-deprived families; reach counts children aged 0-19.") {
		t.Error("the SII figure does not say IDACI describes children aged 0-15 while reach counts 0-19")
	}
}
