package dashboards_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// factorsRow is the care_factors table's row for a factor on a care page.
func factorsRow(t *testing.T, body, factor string) []string {
	t.Helper()
	secs := strings.Split(body, `<section class="chart"`)
	i := slices.IndexFunc(secs, func(s string) bool { return strings.HasPrefix(s, ` id="block-care_factors"`) })
	if i < 0 {
		t.Fatal("no assessment factors chart on the care page")
	}
	for _, row := range tableRows(secs[i]) {
		if len(row) > 0 && row[0] == factor {
			return row
		}
	}
	t.Fatalf("no row for %s in the assessment factors table", factor)
	return nil
}

// The assessment factors (DfE table C3) are on the care page as one chart and one table, with the
// figures read by hand from the CSV; a figure DfE did not publish is its symbol in the table and
// marked on the chart, never 0.
func TestCareFactorsOnThePage(t *testing.T) {
	base := startServer(t)
	_, body := get(t, base+"/care?council=stockport&period=2024-25")
	if n := strings.Count(body, `id="block-care_factors"`); n != 1 {
		t.Fatalf("%d assessment factors charts on the care page", n)
	}
	if !strings.Contains(body, "Stockport · year to 31 March 2025 · region: North West") {
		t.Error("subtitle does not say whose figures, which year and which region")
	}
	// Stockport 2024-25: 1,052 of 2,892 episodes (36.4%); neighbours 32.9; North West 27,340 of
	// 80,620 (33.9%); England 162,890 of 513,250 (31.7%); 102nd of 152 councils, third quartile
	want := []string{"domestic_abuse_parent", "Domestic abuse: concerns about the parent or carer", "2025", "1,052", "2,892", "36.4",
		"32.9", "10", "North West", "33.9", "31.7", "102", "3", "152"}
	if got := factorsRow(t, body, "domestic_abuse_parent"); !slices.Equal(got, want) {
		t.Errorf("Stockport domestic abuse (parent):\n got %q\nwant %q", got, want)
	}
	// the chart names the council's series and draws all four
	for _, s := range []string{`"name":"Stockport"`, `"name":"Statistical neighbours (average)"`, `"name":"Region"`, `"name":"England"`} {
		if !strings.Contains(body, s) {
			t.Errorf("chart lacks series %s", s)
		}
	}

	// City of London 2024-25 (8 episodes): DfE withheld domestic abuse (c); England and Inner
	// London are published beside it; no rank for a figure not published
	_, body = get(t, base+"/care?council=city-of-london&period=2024-25")
	row := factorsRow(t, body, "domestic_abuse_parent")
	if row[3] != "c" || row[4] != "8" || row[5] != "c" || row[8] != "Inner London" || row[10] != "31.7" || row[11] != "" {
		t.Errorf("City of London domestic abuse (parent): %q", row)
	}
	// a published zero stays a zero: alcohol misuse (parent), 0 of 8, ranked first
	if row := factorsRow(t, body, "alcohol_misuse_parent"); row[3] != "0" || row[5] != "0.0" || row[11] != "1" {
		t.Errorf("City of London alcohol misuse (parent): %q", row)
	}
	marks := regexp.MustCompile(`"coord":\[0,"Domestic abuse: concerns about the parent or carer"\],"name":"suppressed: confidential[^"]*","value":"c"`)
	if !marks.MatchString(body) {
		t.Error("the chart does not mark City of London's withheld domestic abuse figure with DfE's c")
	}
}
