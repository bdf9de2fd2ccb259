package ssd

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"familyhubs/internal/testdata"
	"familyhubs/load"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
	"familyhubs/warehouse"
)

// The demo as each council's SSD extract: read back with no findings, it counts DfE's published
// children in need, on protection plans and looked after at every 31 March (Stockport at 31 March
// 2025: 2,587, 273 and 485, as DfE published them; 1,668, 309 and 304 in 2013), each child at
// home in the neighbourhood the warehouse places them in, LSOA by LSOA; and nothing at 31 March
// 2026, for which nothing is published.
func TestExportDemo(t *testing.T) {
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
	stockport := filepath.Join(dir, "ssd-stockport")
	if st, _ := os.Stat(stockport); st.Mode().Perm() != 0o700 {
		t.Errorf("%s is %v, want 0700", stockport, st.Mode().Perm())
	}
	if st, _ := os.Stat(filepath.Join(stockport, "ssd_person.csv")); st.Mode().Perm() != 0o600 {
		t.Errorf("ssd_person.csv is %v, want 0600", st.Mode().Perm())
	}
	x, err := Read(stockport)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Findings) != 0 {
		t.Errorf("findings in a clean extract: %v", Summary(x.Findings, 3))
	}
	if y := x.Years(); len(y) != 16 || y[0] != 2011 || y[15] != 2026 {
		t.Errorf("years %v, want 2011 to 2026", y)
	}
	for year, want := range map[int][3]int{2025: {2587, 273, 485}, 2013: {1668, 309, 304}, 2011: {0, 0, 295}, 2026: {0, 0, 0}} {
		c := x.CountAt(year, l)
		if c.InNeed != want[0] || c.Protection != want[1] || c.LookedAfter != want[2] {
			t.Errorf("31 March %d: %d in need, %d on plans, %d looked after; want %v", year, c.InNeed, c.Protection, c.LookedAfter, want)
		}
		if year == 2026 {
			continue
		}
		// LSOA by LSOA, the warehouse's neighbourhood figures
		got := map[string]Neighbourhood{}
		for _, n := range c.ByLSOA() {
			if n.LSOA == "" {
				t.Errorf("31 March %d: %+v children not placed", year, n)
			}
			got[n.LSOA] = n
		}
		rows, err := demo.QueryContext(ctx, `SELECT lsoa21_code,
			sum(number) FILTER (WHERE measure = 'in_need'), sum(number) FILTER (WHERE measure = 'protection_plan'), sum(number) FILTER (WHERE measure = 'looked_after')
			FROM care_neighbourhood WHERE council_code = 'E08000007' AND year = $1 GROUP BY 1 HAVING sum(number) > 0`, year)
		if err != nil {
			t.Fatal(err)
		}
		lsoas := 0
		for rows.Next() {
			var n Neighbourhood
			var need, plans, la *int
			rows.Scan(&n.LSOA, &need, &plans, &la)
			for _, p := range []struct {
				to   *int
				from *int
			}{{&n.InNeed, need}, {&n.Protection, plans}, {&n.LookedAfter, la}} {
				if p.from != nil {
					*p.to = *p.from
				}
			}
			lsoas++
			if got[n.LSOA] != n {
				t.Errorf("31 March %d, %s: counted %+v, the warehouse has %+v", year, n.LSOA, got[n.LSOA], n)
			}
		}
		rows.Close()
		if lsoas < 100 || len(got) != lsoas {
			t.Errorf("31 March %d: %d LSOAs in the warehouse, %d counted", year, lsoas, len(got))
		}
	}
	// every council's extract reads clean and counts DfE's published figures at 31 March 2025
	for _, folder := range folders {
		if folder == stockport {
			continue
		}
		x, err := Read(folder)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Findings) != 0 {
			t.Errorf("%s: findings in a clean extract: %v", folder, Summary(x.Findings, 3))
		}
		var need, plans, la int
		if err := demo.QueryRowContext(ctx, `SELECT sum(number) FILTER (WHERE measure = 'in_need'), sum(number) FILTER (WHERE measure = 'protection_plan'),
			sum(number) FILTER (WHERE measure = 'looked_after') FROM care JOIN councils c ON c.council_code = area_code WHERE year = 2025 AND 'ssd-' || c.slug = $1`,
			filepath.Base(folder)).Scan(&need, &plans, &la); err != nil {
			t.Fatal(err)
		}
		if c := x.CountAt(2025, nil); c.InNeed != need || c.Protection != plans || c.LookedAfter != la || need == 0 {
			t.Errorf("%s 31 March 2025: %d, %d, %d; DfE published %d, %d, %d", folder, c.InNeed, c.Protection, c.LookedAfter, need, plans, la)
		}
	}
	// the same every run
	again := t.TempDir()
	if _, err := ExportDemo(ctx, demo, again, l); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ssd_person.csv", "ssd_address.csv", "ssd_cin_episodes.csv", "ssd_cla_episodes.csv"} {
		if readFile(t, filepath.Join(stockport, name)) != readFile(t, filepath.Join(again, "ssd-stockport", name)) {
			t.Errorf("%s: a second export differs from the first", name)
		}
	}
}

// doorQuestions are the named questions the SSD carries everything for: children reached, by
// neighbourhood, locality, decile and period, and what the warehouse holds besides contacts. The
// SSD records no carers, no service or channel of a family hub and no site (WriteLoad defaults
// them), so service_mix, channel_mix, site_activity, fund_progress and return_people cannot come
// back through it.
var doorQuestions = []string{"care_at_31_march", "care_benchmark", "care_by_decile", "care_by_neighbourhood", "care_factors", "care_measures", "care_trend",
	"councils", "data_coverage", "england_reach_by_decile", "inequality_summary", "neighbourhoods_by_decile", "reach_by_decile", "reach_by_locality",
	"reach_by_neighbourhood", "reach_total", "reach_trend", "sites_by_locality", "sites_open"}

// The demo through the SSD's door: each council's extract converted by WriteLoad (with the
// council's network from the warehouse, as hubs ssd --out writes it) and loaded with the demo's
// postcode look-up places every postcode, and answers every question the SSD carries the data for
// as the demo does, for Stockport and Westmorland and Furness.
func TestDemoThroughTheSSDDoor(t *testing.T) {
	if testing.Short() {
		t.Skip("loads two councils' extracts into a copy of the demo; -short skips it")
	}
	demo := testdata.Warehouse(t)
	l, err := load.DemoPostcodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := ExportDemo(ctx, demo, dir, l); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "council.duckdb")
	councils := []string{"E08000007", "E06000064"}
	for i, slug := range []string{"stockport", "westmorland-furness"} {
		x, err := Read(filepath.Join(dir, "ssd-"+slug))
		if err != nil {
			t.Fatal(err)
		}
		out := t.TempDir()
		w, err := x.WriteLoad(out, Options{Council: councils[i]})
		if err != nil {
			t.Fatal(err)
		}
		var contacts, children int
		if err := demo.QueryRowContext(ctx, "SELECT count(*), count(DISTINCT child_id) FROM contacts WHERE council_code = $1", councils[i]).Scan(&contacts, &children); err != nil {
			t.Fatal(err)
		}
		if len(w.Findings) != 0 || w.Contacts != contacts || w.Contacts < 100000 {
			t.Errorf("%s: wrote %d contacts of the warehouse's %d, findings %v", slug, w.Contacts, contacts, Summary(w.Findings, 3))
		}
		if err := WriteNetwork(ctx, demo, councils[i], out); err != nil {
			t.Fatal(err)
		}
		sum, err := load.Folder(ctx, target, demo.Path, out, load.Options{Postcodes: l})
		if err != nil {
			t.Fatal(err)
		}
		if len(sum.Postcodes) != 2 || sum.Postcodes[0].Rate() != 1 || sum.Postcodes[1].Rate() != 1 {
			t.Errorf("%s: postcodes placed: %v", slug, sum.Postcodes)
		}
	}
	loaded, err := warehouse.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer loaded.Close()
	sameAnswers(t, demo, loaded, councils, []string{"2024-25", "2025-26Q2", "2019-20"})
}

// sameAnswers holds the door's questions' answers equal between two warehouses (the idea of
// load's same helper, for the questions the SSD carries).
func sameAnswers(t *testing.T, want, got *warehouse.DB, councils, periods []string) {
	t.Helper()
	texts := func(r *queries.Result) string {
		var out [][]string
		for _, row := range r.Rows {
			var cells []string
			for _, v := range row {
				cells = append(cells, queries.Text(v))
			}
			out = append(out, cells)
		}
		return fmt.Sprint(out)
	}
	for _, council := range councils {
		c, err := queries.FindCouncil(ctx, want, council)
		if err != nil {
			t.Fatal(err)
		}
		for _, period := range periods {
			p, err := queries.ParsePeriod(period)
			if err != nil {
				t.Fatal(err)
			}
			args := queries.Filters{Council: c, Period: p}.Args()
			args["year"] = 2025
			for _, q := range queries.All() {
				if !slices.Contains(doorQuestions, q.Name) {
					continue
				}
				a, err := measures.Run(ctx, want, q.Name, args, stats.Exact)
				if err != nil {
					t.Fatal(err)
				}
				b, err := measures.Run(ctx, got, q.Name, args, stats.Exact)
				if err != nil {
					t.Fatal(err)
				}
				if q.Name == "data_coverage" {
					col := a.MustCol("synthetic")
					a.Rows[0][col], b.Rows[0][col] = nil, nil
				}
				if texts(a) != texts(b) {
					t.Errorf("%s for %s, %s differs", q.Name, council, period)
				}
			}
		}
	}
}
