package carerecords

import (
	"strings"
	"testing"

	"familyhubs/load"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/ssd"
	"familyhubs/stats"
	"familyhubs/warehouse"
)

// The SSD extract in ssd/testdata/extract gives all three measures. At 31 March 2024, as
// hubs ssd --postcodes demo --by-lsoa counts it (three children at home in Stockport; a child on
// short breaks only, and another council's plan, left out), stored and answered unchanged: E01005781 one in need, on a plan and looked after (one child);
// E01005822 one in need and on a plan; E01033947 one looked after.
func TestLoadSSD(t *testing.T) {
	base, db := copyOfDemo(t)
	look, err := load.DemoPostcodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := Read([]string{"../ssd/testdata/extract"}, 3)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load(ctx, db, base, stockport, recs, look, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range s.Lines {
		if l.Year == 2024 && l.Placed != map[string]int{InNeed: 2, Protection: 2, LookedAfter: 2}[l.Measure] {
			t.Errorf("%s 2024: %d placed, want 2", l.Measure, l.Placed)
		}
	}
	w, err := warehouse.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	p, _ := queries.ParsePeriod("2023-24")
	r, err := measures.Run(ctx, w, "care_by_neighbourhood", queries.Args{"council": stockport, "period_end": p.End}, stats.Exact)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, row := range r.Rows {
		if src := r.Str(row, "source"); src != "council records" {
			t.Fatalf("%s 2024 from %q, want council records", r.Str(row, "measure"), src)
		}
		if n, _ := measures.Number(row[r.MustCol("number")]); n > 0 {
			got[r.Str(row, "measure")+" "+r.Str(row, "lsoa21_code")] = n
		}
	}
	want := map[string]float64{
		"in_need E01005781": 1, "protection_plan E01005781": 1, "looked_after E01005781": 1,
		"in_need E01005822": 1, "protection_plan E01005822": 1,
		"looked_after E01033947": 1,
	}
	if len(got) != len(want) {
		t.Errorf("by LSOA %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %v, want %v", k, got[k], v)
		}
	}
}

// An SSD extract's referrals and episodes are stored child by child and linked to the hub records
// converted from the same extract by person id, replacing the demo's synthetic histories of the
// council only. ssd/testdata/extract, by hand: referrals R1-R5 (R6's date, 30 February, cannot be
// read) give 5 referrals and 5 episodes of need; plans P1, P2 and P4 (P3 is another council's);
// periods looked after L1-L6: 19 rows, of children 101-105, each a person of the hub records
// converted from the extract (hubs ssd), so all 5 linked.
func TestLoadSSDHistoriesLinkByPersonID(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a copy of the demo warehouse; -short skips it")
	}
	base, db := copyOfDemo(t)
	look, err := load.DemoPostcodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	x, err := ssd.Read("../ssd/testdata/extract")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := x.WriteLoad(dir, ssd.Options{Council: stockport}); err != nil {
		t.Fatal(err)
	}
	demo, err := warehouse.Open(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	err = ssd.WriteNetwork(ctx, demo, stockport, dir)
	demo.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := load.Folder(ctx, db, base, dir, load.Options{Postcodes: look}); err != nil {
		t.Fatal(err)
	}
	recs, err := Read([]string{"../ssd/testdata/extract"}, 3)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load(ctx, db, base, stockport, recs, look, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Episodes != 19 || s.Children != 5 || s.Linked != 5 || s.ByPersonID != 5 || s.ByKey != 0 {
		t.Errorf("%d episodes of %d children, %d linked (%d by person id, %d by key); want 19, 5, 5 (5, 0)", s.Episodes, s.Children, s.Linked, s.ByPersonID, s.ByKey)
	}
	w, err := warehouse.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var synthStockport, synthWolves, rc8 int
	var source string
	err = w.QueryRowContext(ctx, `SELECT
			count(*) FILTER (WHERE council_code = 'E08000007' AND source = 'synthetic'),
			count(*) FILTER (WHERE council_code = 'E08000031' AND source = 'synthetic'),
			count(*) FILTER (WHERE council_code = 'E08000007' AND kind = 'in_need' AND end_reason = 'RC8'),
			max(source) FILTER (WHERE council_code = 'E08000007')
		FROM care_episodes`).Scan(&synthStockport, &synthWolves, &rc8, &source)
	if err != nil {
		t.Fatal(err)
	}
	if synthStockport != 0 || synthWolves == 0 || rc8 != 2 || !strings.HasPrefix(source, "council records: ") {
		t.Errorf("synthetic rows left for Stockport %d, for Wolverhampton %d (want some); closed RC8 %d (want R1, R4); source %q",
			synthStockport, synthWolves, rc8, source)
	}
}
