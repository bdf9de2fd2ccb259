package carerecords

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"familyhubs/internal/testdata"
	"familyhubs/load"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
	"familyhubs/warehouse"
)

var ctx = context.Background()

const stockport = "E08000007"

func copyOfDemo(t *testing.T) (base, target string) {
	t.Helper()
	demo := testdata.Warehouse(t)
	target = filepath.Join(t.TempDir(), "council.duckdb")
	in, err := os.Open(demo.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	out.Close()
	return demo.Path, target
}

func sum(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// The hand-worked SSDA903 pair (testdata/header.csv, episodes.csv), Stockport, real postcodes
// placed by the demo's derived look-up. The episodes span 1 June 2023 to 15 June 2024, so they
// cover 31 March 2024 and 2025.
//
//	C1 open from 01/06/2023, home SK1 1AA  -> E01005822 (Stockport 016D)
//	C2 01/09/2023 to 15/06/2024, SK1 1AB   -> E01005822
//	C3 open from 01/01/2024, "sk11ad"      -> E01033948 (Stockport 014F; case and spacing normalised)
//	C4 open from 01/02/2024, HD1 1AA       -> E01011107, Kirklees: home outside the council's area
//	C5 open from 01/03/2024, no HOME_POST  -> not placed
//	C6 open from 01/02/2024, legal status V3 (short breaks): never counted
//
// 31 March 2024: C1-C5 counted, 5; placed 3 (E01005822 2, E01033948 1); outside 1; not placed 1.
// 31 March 2025: C2 has left: 4 counted; placed 2 (E01005822 1, E01033948 1); outside 1; not placed 1.
func TestLoadSSDA903(t *testing.T) {
	base, db := copyOfDemo(t)
	look, err := load.DemoPostcodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := Read([]string{"testdata/header.csv", "testdata/episodes.csv"}, 3)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load(ctx, db, base, stockport, recs, look, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Line{
		{Measure: LookedAfter, Year: 2024, Counted: 5, Placed: 3, Outside: 1, NotPlaced: 1, Neighbours: 2},
		{Measure: LookedAfter, Year: 2025, Counted: 4, Placed: 2, Outside: 1, NotPlaced: 1, Neighbours: 2},
	}
	if len(s.Lines) != len(want) {
		t.Fatalf("lines %+v, want %+v", s.Lines, want)
	}
	for i, w := range want {
		got := s.Lines[i]
		w.Published, w.Symbol = got.Published, got.Symbol
		if got != w {
			t.Errorf("line %d: %+v, want %+v", i, got, w)
		}
	}
	// DfE published 485 children looked after in Stockport at 31 March 2025
	if s.Lines[1].Published != 485 {
		t.Errorf("published 2025: %d, want 485", s.Lines[1].Published)
	}
	line := s.Lines[1].Reconciliation()
	for _, part := range []string{"Looked after at 31 March 2025: 4 children in the council's records, 2 placed in its neighbourhoods; DfE published 485, a difference of -483 in the neighbourhoods",
		"1 with a home in another council's area (still the council's children", "1 whose home postcode could not be placed", "the records count -481 on DfE's figure"} {
		if !strings.Contains(line, part) {
			t.Errorf("reconciliation %q lacks %q", line, part)
		}
	}

	w, err := warehouse.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// exact counts by neighbourhood: council records for 2025, the model for 2023 and for in need
	exact := func(question, period string) *queries.Result {
		t.Helper()
		p, err := queries.ParsePeriod(period)
		if err != nil {
			t.Fatal(err)
		}
		r, err := measures.Run(ctx, w, question, queries.Args{"council": stockport, "period_end": p.End}, stats.Exact)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r := exact("care_by_neighbourhood", "2024-25")
	got := map[string]float64{}
	var total float64
	for _, row := range r.Rows {
		m, src := r.Str(row, "measure"), r.Str(row, "source")
		switch {
		case m == LookedAfter && src != "council records":
			t.Fatalf("looked after 2025 from %q, want council records", src)
		case m == InNeed && src != "modelled":
			t.Fatalf("in need 2025 from %q, want modelled (an SSDA903 return holds none)", src)
		}
		if m == LookedAfter {
			n, _ := measures.Number(row[r.MustCol("number")])
			total += n
			if n > 0 {
				got[r.Str(row, "lsoa21_code")] = n
			}
		}
	}
	if note := strings.Join(r.Notes, "\n"); !strings.Contains(note, "COUNCIL RECORDS, looked_after at 31 March 2025") ||
		!strings.Contains(note, "2 children in its neighbourhoods, DfE published 485. The difference: 1 with a home in another council's area") ||
		!strings.Contains(note, "1 whose postcode could not be placed, and late returns or amendments (4 in the records in all)") {
		t.Errorf("the answer's notes lack the reconciliation: %s", note)
	}
	if total != 2 || got["E01005822"] != 1 || got["E01033948"] != 1 {
		t.Errorf("looked after 2025 by LSOA %v (total %v), want E01005822 1, E01033948 1", got, total)
	}
	r = exact("care_by_neighbourhood", "2022-23")
	total = 0
	for _, row := range r.Rows {
		if r.Str(row, "measure") == LookedAfter {
			if src := r.Str(row, "source"); src != "modelled" {
				t.Fatalf("looked after 2023 from %q, want modelled: no records for that year", src)
			}
			n, _ := measures.Number(row[r.MustCol("number")])
			total += n
		}
	}
	if total == 0 {
		t.Error("the model for 2023 is empty")
	}
	// by decile: the two placed children sum into their LSOAs' deciles
	r = exact("care_by_decile", "2024-25")
	total = 0
	for _, row := range r.Rows {
		if r.Str(row, "measure") == LookedAfter {
			if r.Str(row, "source") != "council records" {
				t.Fatalf("care_by_decile looked after from %q", r.Str(row, "source"))
			}
			n, _ := measures.Number(row[r.MustCol("number")])
			total += n
		}
	}
	if total != 2 {
		t.Errorf("care_by_decile looked after 2025 adds to %v, want 2", total)
	}
	// protected: the records' counts go through the cell key method (a count of 1 is never shown
	// as 1), the model's keep DfE's rule
	p, _ := queries.ParsePeriod("2024-25")
	prot, err := measures.Run(ctx, w, "care_by_neighbourhood", queries.Args{"council": stockport, "period_end": p.End}, stats.DfE)
	if err != nil {
		t.Fatal(err)
	}
	if prot.Col("number_ckey") >= 0 {
		t.Error("a cell key was published")
	}
	suppressed := 0
	for _, row := range prot.Rows {
		v := row[prot.MustCol("number")]
		if _, ok := v.(stats.Suppressed); ok {
			if prot.Str(row, "measure") == LookedAfter {
				t.Errorf("a council records count was suppressed, not perturbed: %v", row)
			}
			suppressed++
			continue
		}
		if n, _ := measures.Number(v); prot.Str(row, "measure") == LookedAfter && (n == 1 || n == 2) {
			t.Errorf("council records published a count of %v: the cell key method never shows 1 or 2", n)
		}
	}
	if suppressed == 0 {
		t.Error("the model's counts lost DfE's rule")
	}
}

// A file that cannot be read, and a CIN census with nothing in it, are refused: nothing changes.
func TestRefusals(t *testing.T) {
	base, db := copyOfDemo(t)
	before := sum(t, db)
	if _, err := Read([]string{"testdata/header.csv", "testdata/noDECOM.csv"}, 3); err == nil || !strings.Contains(err.Error(), "DECOM") {
		t.Errorf("an episodes file without DECOM: %v", err)
	}
	cin := filepath.Join(t.TempDir(), "census.xml")
	os.WriteFile(cin, []byte(`<?xml version="1.0"?><Message><Header/></Message>`), 0o600)
	if _, err := Read([]string{cin}, 3); err == nil || !strings.Contains(err.Error(), "nothing to store") {
		t.Errorf("a CIN census without children: %v", err)
	}
	recs, err := Read([]string{"testdata/header.csv", "testdata/episodes.csv"}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Load(ctx, db, base, "E99999999", recs, nil, false, nil); err == nil {
		t.Error("a load without a postcode look-up was accepted")
	}
	look, err := load.DemoPostcodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Load(ctx, db, base, "E99999999", recs, look, false, nil); err == nil || !strings.Contains(err.Error(), "not a council") {
		t.Errorf("a council not in the warehouse: %v", err)
	}
	if after := sum(t, db); after != before {
		t.Error("a refused load changed the warehouse")
	}
	left, _ := filepath.Glob(db + ".load-*")
	if len(left) != 0 {
		t.Errorf("left behind %v", left)
	}
}
