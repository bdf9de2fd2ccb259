package cin

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"familyhubs/internal/testdata"
	"familyhubs/load"
)

// The demo's children in need come out as each council's CIN census, one file a collection year:
// read back by the same reader a council's census goes through, every file has no findings and
// counts, at its 31 March, DfE's published children in need and on protection plans for the
// council (the care table), e.g. Stockport at 31 March 2025: 2,587 in need and 273 on plans, as
// DfE's tables B1 (At31_episodes) and D5 (CPP_At31) publish them (checked by hand in
// ../shared/datasets/care/); and at 31 March 2013, 1,668 and 309.
func TestExportDemo(t *testing.T) {
	ctx := context.Background()
	demo := testdata.Warehouse(t)
	l, err := load.DemoPostcodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	folders, err := ExportDemo(ctx, demo, dir, l)
	if err != nil {
		t.Fatal(err)
	}
	if len(folders) != 5 {
		t.Fatalf("folders %v", folders)
	}
	read := func(slug string, year int) *Return {
		t.Helper()
		path := filepath.Join(dir, "cin-"+slug, "cin-"+strconv.Itoa(year)+".xml")
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if st, _ := f.Stat(); st.Mode().Perm() != 0o600 {
			t.Errorf("%s is %v: personal-level records are written 0600", path, st.Mode().Perm())
		}
		r, err := Read(f, filepath.Base(path))
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Findings) != 0 {
			t.Errorf("%s: findings in a clean census: %v", path, Summary(r.Findings, 3))
		}
		if y := r.Years(); len(y) != 1 || y[0] != year {
			t.Errorf("%s covers %v, want %d only", path, y, year)
		}
		return r
	}
	// the hand-checked figures
	for year, want := range map[int][2]int{2025: {2587, 273}, 2013: {1668, 309}} {
		c := read("stockport", year).CountAt(year)
		if c.InNeed != want[0] || c.Protection != want[1] || c.InNeedEpisodes != want[0] {
			t.Errorf("Stockport 31 March %d: %d in need (%d episodes), %d on plans; DfE published %d and %d", year, c.InNeed, c.InNeedEpisodes, c.Protection, want[0], want[1])
		}
	}
	// every council, every year, against the care table
	rows, err := demo.QueryContext(ctx, `SELECT c.slug, i.year, i.number, p.number FROM care i
		JOIN care p ON p.area_code = i.area_code AND p.year = i.year AND p.measure = 'protection_plan'
		JOIN councils c ON c.council_code = i.area_code
		WHERE i.measure = 'in_need' AND c.has_network ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	checked := map[string]int{}
	for rows.Next() {
		var slug string
		var year, need, plans int
		if err := rows.Scan(&slug, &year, &need, &plans); err != nil {
			t.Fatal(err)
		}
		r := read(slug, year)
		c := r.CountAt(year)
		if c.InNeed != need || c.Protection != plans {
			t.Errorf("%s 31 March %d: %d in need, %d on plans; DfE published %d and %d", slug, year, c.InNeed, c.Protection, need, plans)
		}
		checked[slug]++
	}
	if checked["stockport"] != 13 || checked["kirklees"] != 13 || checked["wolverhampton"] != 13 || checked["cumberland"] != 2 {
		t.Errorf("years checked: %v", checked)
	}
	// Cumbria's published figures at 31 March 2023 are shared between its successors' censuses
	var need, plans int
	if err := demo.QueryRowContext(ctx, "SELECT i.number, p.number FROM care i JOIN care p USING (area_code, year) WHERE i.measure = 'in_need' AND p.measure = 'protection_plan' AND area_code = 'E10000006' AND year = 2023").Scan(&need, &plans); err != nil {
		t.Fatal(err)
	}
	a, b := read("cumberland", 2023).CountAt(2023), read("westmorland-furness", 2023).CountAt(2023)
	if a.InNeed+b.InNeed != need || a.Protection+b.Protection != plans || need != 2727 || plans != 452 {
		t.Errorf("Cumbria 31 March 2023: %d+%d in need, %d+%d on plans; DfE published %d and %d", a.InNeed, b.InNeed, a.Protection, b.Protection, need, plans)
	}
	// synthetic, said so, and the same every run
	body, _ := os.ReadFile(filepath.Join(dir, "cin-stockport", "cin-2025.xml"))
	if !strings.Contains(string(body), "SYNTHETIC") || !strings.Contains(string(body), "<LEA>356</LEA>") {
		t.Errorf("the census does not say SYNTHETIC or lacks Stockport's LEA: %.600s", body)
	}
	again := t.TempDir()
	if _, err := ExportDemo(ctx, demo, again, l); err != nil {
		t.Fatal(err)
	}
	if b2, _ := os.ReadFile(filepath.Join(again, "cin-stockport", "cin-2025.xml")); string(b2) != string(body) {
		t.Error("a second export differs from the first")
	}
}
