package load_test

import (
	"bufio"
	"encoding/csv"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"familyhubs/internal/testdata"
	. "familyhubs/load"
	"familyhubs/measures"
	"familyhubs/postcodes"
	"familyhubs/queries"
	"familyhubs/stats"
	"familyhubs/warehouse"
)

const derivedPostcodes = "../../shared/datasets/postcodes/DERIVED_pcd_to_lsoa21_5LA_pointinpolygon.csv"

// nsplFrom writes an NSPL-shaped look-up (pcds, doterm, laua, lsoa21cd) from the derived demo
// file, marking one postcode terminated, and returns the first postcode of each LSOA.
func nsplFrom(t *testing.T, path, terminated string) map[string]string {
	t.Helper()
	f, err := os.Open(derivedPostcodes)
	if err != nil {
		t.Fatalf("the derived postcode look-up (../shared/datasets/postcodes): %v", err)
	}
	defer f.Close()
	cr := csv.NewReader(bufio.NewReader(f))
	header, err := cr.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	w := csv.NewWriter(out)
	w.Write([]string{"pcds", "doterm", "laua", "lsoa21cd"})
	first := map[string]string{}
	for {
		rec, err := cr.Read()
		if err != nil {
			break
		}
		pc, lsoa := rec[col["pcd7"]], rec[col["lsoa21cd_derived"]]
		p, _ := postcodes.Normalise(pc)
		if first[lsoa] == "" || p < first[lsoa] {
			first[lsoa] = p
		}
	}
	f.Seek(0, 0)
	cr = csv.NewReader(bufio.NewReader(f))
	cr.Read()
	for {
		rec, err := cr.Read()
		if err != nil {
			break
		}
		p, _ := postcodes.Normalise(rec[col["pcd7"]])
		term := ""
		if p == terminated {
			term = "202001"
		}
		w.Write([]string{rec[col["pcd7"]], term, rec[col["lad25cd"]], rec[col["lsoa21cd_derived"]]})
	}
	w.Flush()
	return first
}

// withPostcodes rewrites an exported families.csv to give each family a postcode in its LSOA
// instead of the LSOA code (spaced as ONS's pcds, in lower case for every tenth), and returns how
// many families live in each LSOA.
func withPostcodes(t *testing.T, dir string, first map[string]string, change map[int]string) map[string]int {
	t.Helper()
	path := filepath.Join(dir, "families.csv")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if lines[0] != "family_id,council_code,lsoa21_code" {
		t.Fatalf("families.csv header %q", lines[0])
	}
	perLSOA := map[string]int{}
	var out strings.Builder
	out.WriteString("family_id,council_code,postcode\n")
	for i, l := range lines[1:] {
		f := strings.Split(l, ",")
		pc := first[f[2]]
		if pc == "" {
			t.Fatalf("no postcode in LSOA %s", f[2])
		}
		perLSOA[f[2]]++
		pc = pc[:len(pc)-3] + " " + pc[len(pc)-3:]
		if i%10 == 0 {
			pc = strings.ToLower(strings.ReplaceAll(pc, " ", ""))
		}
		if c, ok := change[i+2]; ok { // by line number
			pc = c
		}
		out.WriteString(f[0] + "," + f[1] + "," + pc + "\n")
	}
	if err := os.WriteFile(path, []byte(out.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return perLSOA
}

// A council whose families file gives home postcodes, not LSOA codes, loads with ONS's look-up:
// every postcode is placed, the match rate is reported, a terminated postcode is placed in its
// last LSOA and counted, and the warehouse answers exactly as when the LSOAs were given.
func TestLoadByPostcode(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 2.7 million rows; -short skips it")
	}
	demo := testdata.Warehouse(t)
	dir := t.TempDir()
	if err := Export(ctx, demo, dir); err != nil {
		t.Fatal(err)
	}
	look := filepath.Join(t.TempDir(), "NSPL_NOV_2025_UK.csv")
	first := nsplFrom(t, look, "")
	// one LSOA's postcode terminated
	var lsoas []string
	for l := range first {
		lsoas = append(lsoas, l)
	}
	sort.Strings(lsoas)
	term := first[lsoas[0]]
	nsplFrom(t, look, term)
	perLSOA := withPostcodes(t, dir, first, nil)
	f, _ := os.Open(look)
	l, err := postcodes.Read(f, "NSPL_NOV_2025_UK.csv", false)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if l.Len() != 61042 {
		t.Fatalf("%d postcodes in the look-up, want 61,042", l.Len())
	}
	target := filepath.Join(t.TempDir(), "loaded.duckdb")
	sum, err := Folder(ctx, target, demo.Path, dir, Options{Postcodes: l})
	if err != nil {
		t.Fatal(err)
	}
	families := 0
	for _, n := range perLSOA {
		families += n
	}
	if len(sum.Postcodes) != 1 {
		t.Fatalf("reports %v", sum.Postcodes)
	}
	r := sum.Postcodes[0]
	if r.File != "families.csv" || r.Rows != families || r.Matched != families || r.Unmatched() != 0 || r.Terminated != perLSOA[lsoas[0]] {
		t.Errorf("report: %+v (families %d, in the terminated postcode's LSOA %d)", r, families, perLSOA[lsoas[0]])
	}
	if !strings.Contains(r.String(), "(100.0%) using NSPL_NOV_2025_UK.csv") {
		t.Errorf("report: %s", r)
	}
	loaded, err := warehouse.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer loaded.Close()
	for _, council := range []string{"E08000007", "E08000034"} {
		c, _ := queries.FindCouncil(ctx, demo, council)
		p, _ := queries.ParsePeriod("2024-25")
		args := queries.Filters{Council: c, Period: p}.Args()
		a, err := measures.Run(ctx, demo, "reach_by_neighbourhood", args, stats.Exact)
		if err != nil {
			t.Fatal(err)
		}
		b, err := measures.Run(ctx, loaded, "reach_by_neighbourhood", args, stats.Exact)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Rows) < 100 || strings.Join(flat(a), "|") != strings.Join(flat(b), "|") {
			t.Errorf("%s: reach by neighbourhood differs after loading by postcode (%d rows)", council, len(a.Rows))
		}
	}
	// the postcodes are not kept: no column holds one (a column naming the look-up used is not one)
	var n int
	if err := loaded.QueryRowContext(ctx, "SELECT count(*) FROM information_schema.columns WHERE lower(column_name) IN ('postcode', 'home_postcode', 'home_post', 'pl_post', 'pcds', 'pcd', 'pcd7')").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d postcode columns in the warehouse (%v)", n, err)
	}
}

func flat(r *queries.Result) []string {
	var out []string
	for _, row := range texts(r) {
		out = append(out, strings.Join(row, ","))
	}
	return out
}

// Postcodes that cannot be placed stop the load, each reason counted with its first places;
// nothing is loaded.
func TestUnplacedPostcodesStopTheLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("exports the demo; -short skips it")
	}
	demo, target := copyOfDemo(t)
	before := fileHash(t, target)
	db := testdata.Warehouse(t)
	dir := t.TempDir()
	if err := Export(ctx, db, dir); err != nil {
		t.Fatal(err)
	}
	look := filepath.Join(t.TempDir(), "nspl.csv")
	first := nsplFrom(t, look, "")
	// lines 2-5 are Cumberland families (the export is in council order: check)
	b, _ := os.ReadFile(filepath.Join(dir, "families.csv"))
	if lines := strings.SplitN(string(b), "\n", 7); !strings.Contains(lines[1], ",E06000063,") || !strings.Contains(lines[4], ",E06000063,") {
		t.Fatalf("the export does not start with Cumberland: %q", lines[:5])
	}
	withPostcodes(t, dir, first, map[int]string{2: "SK99 9ZZ", 3: "N/A", 4: "WV1 1AA", 5: ""})
	f, _ := os.Open(look)
	l, err := postcodes.Read(f, "nspl.csv", false)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, err = Folder(ctx, target, demo, dir, Options{Postcodes: l})
	if err == nil {
		t.Fatal("a load with unplaced postcodes went through")
	}
	for _, want := range []string{
		"families.csv: ", "postcodes placed in a 2021 LSOA",
		"1 not placed: not in the look-up (first at line 2)",
		"1 not placed: not a postcode (first at line 3)",
		"1 not placed: placed in another council's LSOA (first at line 4)",
		"1 not placed: blank (first at line 5)",
		"every record must be placed: nothing was loaded",
		`families.csv:2:3: postcode "SK999ZZ" not in the look-up`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%s", want, err)
		}
	}
	if fileHash(t, target) != before {
		t.Error("the warehouse changed")
	}
	// without a look-up, a file of postcodes is refused with what to give
	_, err = Folder(ctx, target, demo, dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "families.csv:1:0: the file gives postcodes: give ONS's postcode look-up") {
		t.Errorf("no look-up: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(target))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".hubs-geocode-") {
			t.Errorf("left behind %s", e.Name())
		}
	}
}

// The demo councils' look-up is embedded: every postcode of the five councils, said to be derived.
func TestDemoPostcodes(t *testing.T) {
	l, err := DemoPostcodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if l.Len() != 61042 || !l.Derived {
		t.Fatalf("%d postcodes, derived %v", l.Len(), l.Derived)
	}
	var out strings.Builder
	rep, err := postcodes.Geocode(strings.NewReader("family_id,council_code,postcode\n1,E08000007,SK1 1AA\n2,E08000034,WF12 7JF\n"), "families.csv", &out, l, nil)
	if err != nil {
		t.Fatal(err)
	}
	// SK1 1AA is in Stockport 016D (PROVENANCE.md); WF127JF was placed in its nearest LSOA
	if !strings.Contains(out.String(), "1,E08000007,E01005822\n") || rep.Matched != 2 {
		t.Errorf("placed:\n%s%+v", out.String(), rep)
	}
	if !strings.Contains(rep.String(), "a derived look-up (LSOAs by point in polygon, not ONS's assignment)") {
		t.Errorf("report: %s", rep)
	}
}
