package measures_test

import (
	"testing"
	"time"

	"familyhubs/internal/testdata"
	"familyhubs/queries"
	"familyhubs/stats"
)

// reach_total's whole is the sum of reach_by_decile's IDACI rows, its deprived part the sum of
// deciles 1-2, and both equal distinct counts over raw contacts; the two parts add up to the whole.
func TestReachTotal(t *testing.T) {
	db := testdata.Warehouse(t)
	for _, c := range []struct{ council, period, locality, service string }{
		{"E08000007", "2024-25", "", ""}, {"E08000034", "2025-26Q1", "Huddersfield", ""}, {"E06000064", "2023-24", "", "parenting"},
	} {
		a := args(t, c.council, c.period)
		a["locality"], a["service"] = c.locality, c.service
		total := run(t, "reach_total", a, stats.Exact)
		deciles := run(t, "reach_by_decile", a, stats.Exact)
		var all, deprived, resident float64
		for _, row := range rows(deciles, map[string]string{"index": "IDACI"}) {
			n := num(t, row[deciles.Col("children_reached")])
			all += n
			resident += num(t, row[deciles.Col("children_resident")])
			if d := num(t, row[deciles.Col("decile")]); d <= 2 {
				deprived += n
			}
		}
		whole := one(t, total, map[string]string{"part": "all"})
		d12 := one(t, total, map[string]string{"part": "idaci_1_2"})
		rest := one(t, total, map[string]string{"part": "idaci_3_10"})
		if got := num(t, whole[total.Col("children_reached")]); got != all || all == 0 {
			t.Errorf("%v: children reached %v, deciles sum to %v", c, got, all)
		}
		if got := num(t, d12[total.Col("children_reached")]); got != deprived {
			t.Errorf("%v: deprived %v, deciles 1-2 sum to %v", c, got, deprived)
		}
		if num(t, d12[total.Col("children_reached")])+num(t, rest[total.Col("children_reached")]) != all ||
			num(t, whole[total.Col("children_resident")]) != resident {
			t.Errorf("%v: the parts do not add up to the whole", c)
		}
		p, _ := queries.ParsePeriod(c.period)
		var distinct float64
		// children born and aged 0-19: not 20-25 (SEND), and seen on or after their birth
		err := db.QueryRowContext(ctx, `SELECT count(DISTINCT c.child_id) FILTER (WHERE c.age_band <> '20-25' AND c.contact_date >= k.birth_date)
			FROM contacts c JOIN neighbourhood_profile n USING (lsoa21_code) JOIN people k ON k.person_id = c.child_id
			WHERE c.council_code = ? AND c.contact_date BETWEEN ? AND ? AND (? = '' OR n.locality = ?) AND (? = '' OR c.service_code = ?)`,
			c.council, p.Start, p.End, c.locality, c.locality, c.service, c.service).Scan(&distinct)
		if err != nil {
			t.Fatal(err)
		}
		if distinct != all {
			t.Errorf("%v: %v children by a distinct count over raw contacts, %v answered", c, distinct, all)
		}
	}
}

// data_coverage gives the first and last contact of each council, and no dates for a council
// without contacts.
func TestDataCoverage(t *testing.T) {
	db := testdata.Warehouse(t)
	for _, code := range []string{"E08000007", "E06000063", "E08000003"} {
		r := run(t, "data_coverage", queries.Args{"council": code}, stats.DfE)
		var first, last *time.Time
		if err := db.QueryRowContext(ctx, "SELECT min(contact_date), max(contact_date) FROM contacts WHERE council_code = ?", code).Scan(&first, &last); err != nil {
			t.Fatal(err)
		}
		gotFirst, _ := r.Rows[0][r.MustCol("first_contact")].(time.Time)
		gotLast, _ := r.Rows[0][r.MustCol("last_contact")].(time.Time)
		if first == nil {
			if !gotFirst.IsZero() || !gotLast.IsZero() {
				t.Errorf("%s has no contacts but coverage %v..%v", code, gotFirst, gotLast)
			}
			continue
		}
		if !gotFirst.Equal(*first) || !gotLast.Equal(*last) {
			t.Errorf("%s: coverage %v..%v, contacts %v..%v", code, gotFirst, gotLast, *first, *last)
		}
	}
}

// care_by_decile's deciles add up to the council's published total for the year it names.
func TestCareByDecile(t *testing.T) {
	for _, c := range []struct {
		council, period string
		year            float64
	}{{"E08000007", "2024-25", 2025}, {"E08000031", "2021-22Q2", 2021}, {"E08000007", "2026-27", 2025}} {
		a := args(t, c.council, c.period)
		r := run(t, "care_by_decile", a, stats.Exact)
		care := run(t, "care_at_31_march", queries.Args{"council": c.council}, stats.Exact)
		var published float64
		for _, row := range care.Rows {
			if care.Str(row, "area_code") == c.council && care.Str(row, "measure") == "looked_after" && care.Str(row, "year") == queries.Text(int64(c.year)) {
				published = num(t, row[care.MustCol("number")])
			}
		}
		var sum float64
		for _, row := range rows(r, map[string]string{"measure": "looked_after"}) {
			if y := num(t, row[r.MustCol("year")]); y != c.year {
				t.Fatalf("%v: year %v, want %v", c, y, c.year)
			}
			if n, ok := row[r.MustCol("number")].(int64); ok {
				sum += float64(n)
			}
		}
		if sum != published || published == 0 {
			t.Errorf("%v: deciles sum to %v, DfE published %v", c, sum, published)
		}
	}
}

// sites_by_locality, worked by hand from Stockport's network file: the two launch buildings
// (Brinnington, Adswood) have been open since 2012, Heatons opened in September 2023, and all seven
// networks had a hub by the end of September 2024 (the published commitment, TF2). The hubs by
// locality add up to sites_open's hubs.
func TestSitesByLocality(t *testing.T) {
	for _, c := range []struct {
		period string
		with   float64
	}{{"2024-25Q2", 7}, {"2023-24Q3", 3}, {"2021-22", 2}} {
		a := args(t, "E08000007", c.period)
		r := run(t, "sites_by_locality", a, stats.Exact)
		open := run(t, "sites_open", a, stats.Exact)
		var with, hubs float64
		for _, row := range r.Rows {
			with += num(t, row[r.MustCol("has_hub")])
			hubs += num(t, row[r.MustCol("hubs")])
		}
		if len(r.Rows) != 7 || with != c.with {
			t.Errorf("%s: %d localities, %v with a hub; want 7 and %v", c.period, len(r.Rows), with, c.with)
		}
		if want := num(t, one(t, open, map[string]string{"kind": "hub"})[open.MustCol("sites")]); hubs != want {
			t.Errorf("%s: %v hubs by locality, sites_open counts %v", c.period, hubs, want)
		}
	}
}
