package carerecords

import (
	"testing"

	"familyhubs/load"
	"familyhubs/measures"
	"familyhubs/queries"
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
