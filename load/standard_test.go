package load_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"familyhubs/internal/testdata"
	. "familyhubs/load"
	"familyhubs/postcodes"
	"familyhubs/ssda903"
	"familyhubs/warehouse"
)

// The demo's children looked after come out as each council's SSDA903 return: read back by the
// same reader a council's return goes through, it has no findings and counts DfE's published
// figure at every 31 March (Stockport: 295 in 2011, 362 in 2018, 485 in 2025, as DfE published),
// and placing its home postcodes gives the warehouse's neighbourhood figures back.
func TestExportSSDA903(t *testing.T) {
	demo := testdata.Warehouse(t)
	l, err := DemoPostcodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	folders, err := ExportSSDA903(ctx, demo, dir, l)
	if err != nil {
		t.Fatal(err)
	}
	if len(folders) != 5 {
		t.Fatalf("folders %v", folders)
	}
	h, _ := os.Open(filepath.Join(dir, "ssda903-stockport", "header.csv"))
	defer h.Close()
	e, _ := os.Open(filepath.Join(dir, "ssda903-stockport", "episodes.csv"))
	defer e.Close()
	r, err := ssda903.ReadCSV(h, "header.csv", e, "episodes.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 0 {
		t.Errorf("findings in a clean return: %v", ssda903.Summary(r.Findings, 3))
	}
	years := ssda903.Years(r.Episodes)
	if len(years) != 15 || years[0] != 2011 || years[14] != 2025 {
		t.Errorf("years %v", years)
	}
	// DfE's published children looked after at 31 March, Stockport
	for y, want := range map[int]int{2011: 295, 2015: 291, 2018: 362, 2021: 409, 2024: 493, 2025: 485} {
		if got := r.CountAt(y).LookedAfter; got != want {
			t.Errorf("31 March %d: %d, want %d", y, got, want)
		}
	}
	// the home postcodes placed in LSOAs give care_neighbourhood back, LSOA by LSOA
	march := time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)
	var in strings.Builder
	in.WriteString("child,postcode\n")
	for _, ep := range r.Episodes {
		if !ep.Start.After(march) && (ep.End.IsZero() || ep.End.After(march)) {
			in.WriteString(ep.Child + "," + ep.HomePostcode + "\n")
		}
	}
	var out strings.Builder
	rep, err := postcodes.Geocode(strings.NewReader(in.String()), "episodes", &out, l, nil)
	if err != nil || rep.Matched != 485 {
		t.Fatalf("placed %d of %d (%v)", rep.Matched, rep.Rows, err)
	}
	got := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n")[1:] {
		got[strings.Split(line, ",")[1]]++
	}
	rows, err := demo.QueryContext(ctx, "SELECT lsoa21_code, number FROM care_neighbourhood WHERE measure = 'looked_after' AND year = 2025 AND council_code = 'E08000007' AND number > 0")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	lsoas := 0
	for rows.Next() {
		var lsoa string
		var n int
		rows.Scan(&lsoa, &n)
		lsoas++
		if got[lsoa] != n {
			t.Errorf("%s: %d children placed, the warehouse has %d", lsoa, got[lsoa], n)
		}
	}
	if lsoas < 100 || len(got) != lsoas {
		t.Errorf("%d LSOAs in the warehouse, %d placed", lsoas, len(got))
	}
}

// The demo through the same door as a council's records: exported with home postcodes in place of
// LSOA codes (and each council's SSDA903 return), loaded with the demo's postcode look-up, it
// answers every named question as the demo does.
func TestDemoThroughTheStandardDoor(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo; -short skips it")
	}
	demo := testdata.Warehouse(t)
	l, err := DemoPostcodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := ExportStandard(ctx, demo, dir, l); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "families.csv"))
	if !strings.HasPrefix(string(b), "family_id,council_code,postcode\n") || strings.Contains(string(b), ",E01") {
		t.Fatalf("families.csv still gives LSOAs: %.200s", b)
	}
	target := filepath.Join(t.TempDir(), "council.duckdb")
	sum, err := Folder(ctx, target, demo.Path, dir, Options{Postcodes: l})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Postcodes) != 2 || sum.Postcodes[0].Rate() != 1 || sum.Postcodes[1].Rate() != 1 {
		t.Errorf("postcodes placed: %v", sum.Postcodes)
	}
	loaded, err := warehouse.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer loaded.Close()
	same(t, demo, loaded, []string{"E08000007", "E08000031"}, []string{"2024-25", "2025-26Q2"})
}
