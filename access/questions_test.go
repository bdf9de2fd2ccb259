package access_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"familyhubs/access"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

var ctx = context.Background()

// tinyWarehouse is an empty warehouse (warehouse/schema.sql, the real tables and macros) in
// memory, holding only the rows a test writes (as measures' tests build theirs).
func tinyWarehouse(t testing.TB, inserts ...string) *sql.DB {
	t.Helper()
	schema, err := os.ReadFile("../warehouse/schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	for _, s := range append([]string{string(schema)}, inserts...) {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%.200s: %v", s, err)
		}
	}
	return db
}

// lon is the longitude x km east of 0 along the equator, where the haversine distance between
// two points is exactly the Earth's radius times their difference in longitude (in radians).
func lon(x float64) float64 { return x / access.EarthRadius * 180 / math.Pi }

// The hand-made geography: six neighbourhoods of council E0TEST on the equator, x km east of a
// hub at 0, a bridge at 6 km; a hub closed before the day, a hub opening after it, an online hub
// and another council's hub next door are not counted. N1's interior point is at 9 km, but the
// mean of its postcodes is at 0.5 km, and that is where it is measured from.
//
//	LSOA  centre (km)  IDACI  0-4  0-19  to the hub  to the bridge  nearest family site
//	N1    0.5 (pc)     1      100  400   0.5         5.5            0.5
//	N2    1.5          2       50  200   1.5         4.5            1.5
//	N3    3            2       30  120   3           3              3
//	N4    4.5          5       80  300   4.5         1.5            1.5
//	N5    6.9          9       60  250   6.9         0.9            0.9
//	N6    12           1       20   90   12          6              6
//
// Deciles 1-2 (N1, N2, N3, N6): 200 aged 0-4, 810 aged 0-19; the rest (N4, N5): 140 and 550.
// Within 1, 2, 5 km of the hub: deciles 1-2 aged 0-4 100, 150, 180 of 200 (50%, 75%, 90%),
// the rest 0, 0, 80 of 140; aged 0-19 400, 600, 720 of 810 and 0, 0, 300 of 550. Of any
// family site: deciles 1-2 the same (the bridge is 3 km or more from each), the rest aged 0-4
// 60, 140, 140 and aged 0-19 250, 550, 550.
var lineGeography = []string{
	`INSERT INTO denominator_years VALUES (2025, 2024, 'children 0-19 at mid-2024')`,
	`INSERT INTO neighbourhoods (lsoa21_code, lsoa21_name, lad_code, lad_name, council_code, locality, point_lat, point_lon) VALUES ` + points(),
	`INSERT INTO neighbourhood_centres VALUES ('N1', 12, 0, ` + fmt.Sprint(lon(0.5)) + `)`,
	`INSERT INTO neighbourhood_profile (lsoa21_code, lsoa21_name, council_code, imd_decile, idaci_decile, children_0_19, children_0_17) VALUES
		('N1', 'Line 1', 'E0TEST', 1, 1, 0, 0), ('N2', 'Line 2', 'E0TEST', 2, 2, 0, 0), ('N3', 'Line 3', 'E0TEST', 2, 2, 0, 0),
		('N4', 'Line 4', 'E0TEST', 5, 5, 0, 0), ('N5', 'Line 5', 'E0TEST', 9, 9, 0, 0), ('N6', 'Line 6', 'E0TEST', 1, 1, 0, 0),
		('M1', 'Next door', 'E0NEXT', 1, 1, 0, 0)`,
	// mid-2024 is the year's denominator; mid-2023 must not be read
	`INSERT INTO neighbourhood_population VALUES
		('N1', 2024, 'E0TEST', 'E0TEST', 0, 400), ('N2', 2024, 'E0TEST', 'E0TEST', 0, 200), ('N3', 2024, 'E0TEST', 'E0TEST', 0, 120),
		('N4', 2024, 'E0TEST', 'E0TEST', 0, 300), ('N5', 2024, 'E0TEST', 'E0TEST', 0, 250), ('N6', 2024, 'E0TEST', 'E0TEST', 0, 90),
		('N1', 2023, 'E0TEST', 'E0TEST', 0, 9999), ('M1', 2024, 'E0NEXT', 'E0NEXT', 0, 500)`,
	// ages 0-4 summed; age 5 and over not
	`INSERT INTO population SELECT lsoa21_code, age, CASE WHEN age <= 4 THEN n / 5 ELSE 1000 END
		FROM (VALUES ('N1', 100), ('N2', 50), ('N3', 30), ('N4', 80), ('N5', 60), ('N6', 20), ('M1', 50)) v(lsoa21_code, n),
		     range(0, 8) a(age)`,
	`INSERT INTO sites (site_id, council_code, name, kind, lon, lat, opened, designated, closed, illustrative) VALUES
		('H', 'E0TEST', 'The hub', 'hub', 0, 0, DATE '2020-01-01', DATE '2022-01-01', NULL, false),
		('B', 'E0TEST', 'The bridge', 'bridge', ` + fmt.Sprint(lon(6)) + `, 0, DATE '2020-01-01', DATE '2022-01-01', NULL, true),
		('C', 'E0TEST', 'Closed hub', 'hub', ` + fmt.Sprint(lon(3)) + `, 0, DATE '2020-01-01', DATE '2022-01-01', DATE '2025-06-01', false),
		('F', 'E0TEST', 'Future hub', 'hub', ` + fmt.Sprint(lon(12)) + `, 0, DATE '2025-06-02', DATE '2025-06-02', NULL, false),
		('O', 'E0TEST', 'Online hub', 'online', NULL, NULL, DATE '2020-01-01', DATE '2020-01-01', NULL, false),
		('X', 'E0NEXT', 'Next door hub', 'hub', ` + fmt.Sprint(lon(7)) + `, 0, DATE '2020-01-01', DATE '2020-01-01', NULL, false)`,
	// buildings the council lists as candidates: a school 0.5 km from N6, a library 0.1 km from
	// N3, a library at 9.5 km near no deprived neighbourhood left; and the next council's
	`INSERT INTO site_candidates VALUES
		('K1', 'E0TEST', 'Line school', 'school', 0, ` + fmt.Sprint(lon(12.5)) + `, true, NULL),
		('K2', 'E0TEST', 'Line library', 'library', 0, ` + fmt.Sprint(lon(2.9)) + `, true, NULL),
		('K3', 'E0TEST', 'Far library', 'library', 0, ` + fmt.Sprint(lon(9.5)) + `, false, NULL),
		('KX', 'E0NEXT', 'Next door library', 'library', 0, ` + fmt.Sprint(lon(3)) + `, true, NULL)`,
}

func points() string {
	var v []string
	for _, p := range []struct {
		code string
		x    float64
	}{{"N1", 9}, {"N2", 1.5}, {"N3", 3}, {"N4", 4.5}, {"N5", 6.9}, {"N6", 12}} {
		v = append(v, fmt.Sprintf("('%s', 'Line %s', 'L', 'L', 'E0TEST', 'Line', 0, %v)", p.code, p.code[1:], lon(p.x)))
	}
	v = append(v, fmt.Sprintf("('M1', 'Next door', 'M', 'M', 'E0NEXT', NULL, 0, %v)", lon(7.1)))
	return strings.Join(v, ", ")
}

// the day: 2025-06-01, when C has closed and F not yet opened (financial year 2025-26: mid-2024)
var lineArgs = queries.Args{"council": "E0TEST", "period_start": "2025-06-01", "period_end": "2025-06-01"}

func answer(t testing.TB, db queries.Querier, name string, a queries.Args) *queries.Result {
	t.Helper()
	res, err := measures.Run(ctx, db, name, a, stats.Exact)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestAccessNeighbourhoodsOnALine(t *testing.T) {
	db := tinyWarehouse(t, lineGeography...)
	res := answer(t, db, "access_neighbourhoods", lineArgs)
	want := map[string]struct {
		method      string
		hub, bridge float64
		site        float64
		c04, c019   float64
		nearestSite string
		decile      float64
	}{
		"N1": {"postcodes", 0.5, 5.5, 0.5, 100, 400, "The hub", 1},
		"N2": {"interior point", 1.5, 4.5, 1.5, 50, 200, "The hub", 2},
		"N3": {"interior point", 3, 3, 3, 30, 120, "", 2}, // 3 km from both: either may be nearest by a rounding
		"N4": {"interior point", 4.5, 1.5, 1.5, 80, 300, "The bridge", 5},
		"N5": {"interior point", 6.9, 0.9, 0.9, 60, 250, "The bridge", 9},
		"N6": {"interior point", 12, 6, 6, 20, 90, "The bridge", 1},
	}
	if len(res.Rows) != len(want) {
		t.Fatalf("%d rows, want %d (the council's LSOAs only)", len(res.Rows), len(want))
	}
	for _, row := range res.Rows {
		code := res.Str(row, "lsoa21_code")
		w, ok := want[code]
		if !ok {
			t.Fatalf("unexpected LSOA %s", code)
		}
		f := func(col string) float64 {
			v, ok := res.Float(row, col)
			if !ok {
				t.Fatalf("%s %s = %v", code, col, row[res.MustCol(col)])
			}
			return v
		}
		if m := res.Str(row, "centre_method"); m != w.method {
			t.Errorf("%s: centre %s, want %s", code, m, w.method)
		}
		for col, km := range map[string]float64{"hub_km": w.hub, "bridge_km": w.bridge, "family_site_km": w.site} {
			if got := f(col); math.Abs(got-km) > 0.01 {
				t.Errorf("%s: %s %v, want %v", code, col, got, km)
			}
		}
		for _, col := range []string{"hublet_km", "outreach_km"} {
			if row[res.MustCol(col)] != nil {
				t.Errorf("%s: %s %v, but no such site is open", code, col, row[res.MustCol(col)])
			}
		}
		if f("children_0_4") != w.c04 || f("children_0_19") != w.c019 || f("idaci_decile") != w.decile {
			t.Errorf("%s: children %v and %v, decile %v; want %v, %v, %v", code, f("children_0_4"), f("children_0_19"), f("idaci_decile"), w.c04, w.c019, w.decile)
		}
		if code != "N3" && res.Str(row, "nearest_family_site") != w.nearestSite {
			t.Errorf("%s: nearest family site %s, want %s", code, res.Str(row, "nearest_family_site"), w.nearestSite)
		}
		if res.Str(row, "nearest_hub") != "The hub" {
			t.Errorf("%s: nearest hub %s: the closed, future and next door hubs do not count", code, res.Str(row, "nearest_hub"))
		}
	}
}

func TestAccessCoverageOnALine(t *testing.T) {
	db := tinyWarehouse(t, lineGeography...)
	res := answer(t, db, "access_coverage", lineArgs)
	type key struct{ ages, sites, idaci string }
	want := map[key][4]float64{ // children, within 1, 2, 5 km
		{"0-4", "hub", "1-2"}:           {200, 100, 150, 180},
		{"0-4", "hub", "3-10"}:          {140, 0, 0, 80},
		{"0-4", "hub", "all"}:           {340, 100, 150, 260},
		{"0-4", "family site", "1-2"}:   {200, 100, 150, 180},
		{"0-4", "family site", "3-10"}:  {140, 60, 140, 140},
		{"0-4", "family site", "all"}:   {340, 160, 290, 320},
		{"0-19", "hub", "1-2"}:          {810, 400, 600, 720},
		{"0-19", "hub", "3-10"}:         {550, 0, 0, 300},
		{"0-19", "hub", "all"}:          {1360, 400, 600, 1020},
		{"0-19", "family site", "1-2"}:  {810, 400, 600, 720},
		{"0-19", "family site", "3-10"}: {550, 250, 550, 550},
		{"0-19", "family site", "all"}:  {1360, 650, 1150, 1270},
	}
	if len(res.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(res.Rows), len(want))
	}
	for _, row := range res.Rows {
		k := key{res.Str(row, "ages"), res.Str(row, "sites"), res.Str(row, "idaci")}
		w, ok := want[k]
		if !ok {
			t.Fatalf("unexpected row %v", k)
		}
		for i, col := range []string{"children", "within_1km", "within_2km", "within_5km"} {
			if got, _ := res.Float(row, col); got != w[i] {
				t.Errorf("%v: %s %v, want %v", k, col, got, w[i])
			}
		}
		for i, col := range []string{"share_within_1km", "share_within_2km", "share_within_5km"} {
			if got, _ := res.Float(row, col); got != w[i+1]/w[0] {
				t.Errorf("%v: %s %v, want %v/%v", k, col, got, w[i+1], w[0])
			}
		}
	}
}

// The next hubs on the line: the deprived children not within 2 km of the hub are N3's (30 aged
// 0-4, 120 aged 0-19, at 3 km) and N6's (20 and 90, at 12 km), 150 of 200 aged 0-4 covered
// (75%). Candidates are the six LSOA centres: N2, N3 and N4 each bring N3 within 2 km (it is
// 1.5 km from N2 and N4), N6 alone brings N6. For children 0-4 greedy takes N2 (30; the tie with
// N3 and N4 to the lowest id), then N6 (20): 75% to 90% to 100%; then no one is left.
func TestAccessNextHubOnALine(t *testing.T) {
	db := tinyWarehouse(t, lineGeography...)
	res := answer(t, db, "access_next_hub", lineArgs)
	type pick struct {
		objective, id string
		new04, new019 float64
		before, after float64 // share of 0-4
	}
	want := []pick{
		{"children 0-4", "N2", 30, 120, 0.75, 0.9},
		{"children 0-4", "N6", 20, 90, 0.9, 1},
		{"children 0-19", "N2", 30, 120, 600.0 / 810, 720.0 / 810},
		{"children 0-19", "N6", 20, 90, 720.0 / 810, 1},
	}
	if len(res.Rows) != len(want) {
		t.Fatalf("%d rows, want %d: %v", len(res.Rows), len(want), res.Rows)
	}
	for i, w := range want {
		row := res.Rows[i]
		f := func(col string) float64 { v, _ := res.Float(row, col); return v }
		share := "share_0_4"
		if w.objective == "children 0-19" {
			share = "share_0_19"
		}
		if res.Str(row, "objective") != w.objective || res.Str(row, "candidate_id") != w.id || f("pick") != float64(i%2+1) ||
			f("new_0_4") != w.new04 || f("new_0_19") != w.new019 ||
			math.Abs(f(share+"_before")-w.before) > 1e-12 || math.Abs(f(share+"_after")-w.after) > 1e-12 {
			t.Errorf("row %d: %v, want %+v", i, row, w)
		}
	}
}

// Each candidate alone on the line: N2, N3 and N4 each bring N3 (30 aged 0-4, 120 aged 0-19)
// within 2 km, ranked by id on the tie; N6 brings itself (20, 90); N1 and N5 bring no one.
func TestAccessCandidatesOnALine(t *testing.T) {
	db := tinyWarehouse(t, lineGeography...)
	res := answer(t, db, "access_candidates", lineArgs)
	want := [][4]any{{"N2", 1.0, 30.0, 120.0}, {"N3", 1.0, 30.0, 120.0}, {"N4", 1.0, 30.0, 120.0}, {"N6", 1.0, 20.0, 90.0}}
	if len(res.Rows) != len(want) {
		t.Fatalf("%d candidates, want %d: %v", len(res.Rows), len(want), res.Rows)
	}
	for i, w := range want {
		row := res.Rows[i]
		f := func(col string) float64 { v, _ := res.Float(row, col); return v }
		if res.Str(row, "candidate_id") != w[0] || f("rank") != float64(i+1) || f("lsoas") != w[1] || f("new_0_4") != w[2] || f("new_0_19") != w[3] {
			t.Errorf("rank %d: %v, want %v", i+1, row, w)
		}
	}
}

// The council's listed buildings on the line, alone: the library K2 brings N3 (30, 120), the
// school K1 brings N6 (20, 90), the far library K3 no one (listed with 0); the next council's
// library is not the council's. Together, greedy takes K2 then K1: 75% to 90% to 100% of the
// deprived children 0-4.
func TestAccessBuildingsOnALine(t *testing.T) {
	db := tinyWarehouse(t, lineGeography...)
	res := answer(t, db, "access_buildings", lineArgs)
	want := [][4]any{{"K2", 1.0, 30.0, 120.0}, {"K1", 1.0, 20.0, 90.0}, {"K3", 0.0, 0.0, 0.0}}
	if len(res.Rows) != len(want) {
		t.Fatalf("%d buildings, want %d: %v", len(res.Rows), len(want), res.Rows)
	}
	for i, w := range want {
		row := res.Rows[i]
		f := func(col string) float64 { v, _ := res.Float(row, col); return v }
		if res.Str(row, "candidate_id") != w[0] || f("rank") != float64(i+1) || f("lsoas") != w[1] || f("new_0_4") != w[2] || f("new_0_19") != w[3] {
			t.Errorf("rank %d: %v, want %v", i+1, row, w)
		}
	}
	next := answer(t, db, "access_next_hub_buildings", lineArgs)
	picks := [][4]any{{"children 0-4", "K2", 0.75, 0.9}, {"children 0-4", "K1", 0.9, 1.0}, {"children 0-19", "K2", 0.75, 0.9}, {"children 0-19", "K1", 0.9, 1.0}}
	if len(next.Rows) != len(picks) {
		t.Fatalf("%d picks, want %d: %v", len(next.Rows), len(picks), next.Rows)
	}
	for i, w := range picks {
		row := next.Rows[i]
		before, _ := next.Float(row, "share_0_4_before")
		after, _ := next.Float(row, "share_0_4_after")
		if next.Str(row, "objective") != w[0] || next.Str(row, "candidate_id") != w[1] || math.Abs(before-w[2].(float64)) > 1e-12 || math.Abs(after-w[3].(float64)) > 1e-12 {
			t.Errorf("pick %d: %v, want %v", i, row, w)
		}
	}
}

// A council with every deprived child within 2 km of a hub already, or none at all, gets no
// picks and no error.
func TestAccessNextHubNothingToAdd(t *testing.T) {
	db := tinyWarehouse(t, lineGeography...)
	res := answer(t, db, "access_next_hub", queries.Args{"council": "E0NONE", "period_start": "2025-06-01", "period_end": "2025-06-01"})
	if len(res.Rows) != 0 {
		t.Errorf("%d picks for a council with no neighbourhoods", len(res.Rows))
	}
}
