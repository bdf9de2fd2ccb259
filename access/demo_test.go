package access_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"sort"
	"strconv"
	"testing"
	"time"

	"familyhubs/access"
	"familyhubs/councils"
	"familyhubs/datasets"
	"familyhubs/internal/testdata"
	"familyhubs/queries"
)

// demoCouncils are the five councils with network files (and postcode centres).
var demoCouncils = map[string]string{"stockport": "E08000007", "kirklees": "E08000034", "wolverhampton": "E08000031",
	"cumberland": "E06000063", "westmorland-furness": "E06000064"}

// haversine is the great-circle distance in km, worked here apart from the warehouse's macro.
func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad/2, (lon2-lon1)*rad/2
	a := math.Sin(dlat)*math.Sin(dlat) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon)*math.Sin(dlon)
	return 2 * access.EarthRadius * math.Asin(math.Min(1, math.Sqrt(a)))
}

type point struct{ lat, lon float64 }

type lsoa struct {
	at        point
	postcodes bool
	decile    int
	c04, c019 float64
	nearest   map[string]float64 // by kind; "" = any family site
}

// plain works out every LSOA's centre, nearest sites and children for a council on a day in Go,
// from the embedded postcode centres and the warehouse's plain tables, not the questions' macros.
func plain(t *testing.T, council string, day time.Time) map[string]*lsoa {
	t.Helper()
	db := testdata.Warehouse(t)
	centres := map[string]point{}
	recs, err := csv.NewReader(bytes.NewReader(access.Centres)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[1:] {
		lat, _ := strconv.ParseFloat(r[2], 64)
		lon, _ := strconv.ParseFloat(r[3], 64)
		centres[r[0]] = point{lat, lon}
	}
	out := map[string]*lsoa{}
	rows, err := db.QueryContext(ctx, `SELECT n.lsoa21_code, n.point_lat, n.point_lon, d.idaci_decile FROM neighbourhoods n
		JOIN deprivation d ON d.lsoa21_code = n.lsoa21_code AND d.edition = 'IoD2025' WHERE n.council_code = ?`, council)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code string
		l := &lsoa{nearest: map[string]float64{}}
		if err := rows.Scan(&code, &l.at.lat, &l.at.lon, &l.decile); err != nil {
			t.Fatal(err)
		}
		if c, ok := centres[code]; ok {
			l.at, l.postcodes = c, true
		}
		out[code] = l
	}
	rows.Close()
	year := day.Year()
	if day.Month() < time.April {
		year--
	}
	for q, set := range map[string]func(string, float64){
		`SELECT lsoa21_code, sum(persons) FROM population WHERE age <= 4 GROUP BY lsoa21_code`: func(c string, n float64) { out[c].c04 = n },
		`SELECT lsoa21_code, children_0_19 FROM neighbourhood_population
			WHERE mid_year = (SELECT mid_year FROM denominator_years WHERE year_start = ` + strconv.Itoa(year) + `)`: func(c string, n float64) { out[c].c019 = n },
	} {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var c string
			var n float64
			if err := rows.Scan(&c, &n); err != nil {
				t.Fatal(err)
			}
			if out[c] != nil {
				set(c, n)
			}
		}
		rows.Close()
	}
	rows, err = db.QueryContext(ctx, `SELECT kind, lat, lon, opened, closed FROM sites WHERE council_code = ?`, council)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var lat, lon *float64
		var opened time.Time
		var closed *time.Time
		if err := rows.Scan(&kind, &lat, &lon, &opened, &closed); err != nil {
			t.Fatal(err)
		}
		if kind == "online" || lat == nil || opened.After(day) || closed != nil && !closed.After(day) {
			continue
		}
		for _, l := range out {
			km := haversine(l.at.lat, l.at.lon, *lat, *lon)
			for _, k := range []string{kind, ""} {
				if d, ok := l.nearest[k]; !ok || km < d {
					l.nearest[k] = km
				}
			}
		}
	}
	return out
}

// The three questions on the demo warehouse, for every demo council, against the same distances,
// shares and greedy choice worked in plain Go.
func TestAccessQuestionsOnTheDemo(t *testing.T) {
	for _, day := range []string{"2026-03-31", "2023-06-30"} {
		for slug, council := range demoCouncils {
			if day != "2026-03-31" && slug != "stockport" {
				continue
			}
			d, _ := time.Parse(time.DateOnly, day)
			want := plain(t, council, d)
			a := queries.Args{"council": council, "period_start": day, "period_end": day}
			checkNeighbourhoods(t, slug, day, answer(t, testdata.Warehouse(t), "access_neighbourhoods", a), want)
			coverage := answer(t, testdata.Warehouse(t), "access_coverage", a)
			checkCoverage(t, slug, day, coverage, want)
			var centres, buildings []place
			for code, l := range want {
				centres = append(centres, place{code, l.at})
			}
			for _, k := range listed(t, slug) {
				buildings = append(buildings, place{k.ID, point{k.Lat, k.Lon}})
			}
			if len(buildings) == 0 {
				t.Errorf("%s lists no candidate buildings", slug)
			}
			checkNextHub(t, slug, day, answer(t, testdata.Warehouse(t), "access_next_hub", a),
				answer(t, testdata.Warehouse(t), "access_candidates", a), coverage, want, centres, false)
			checkNextHub(t, slug, day, answer(t, testdata.Warehouse(t), "access_next_hub_buildings", a),
				answer(t, testdata.Warehouse(t), "access_buildings", a), coverage, want, buildings, true)
		}
	}
}

func checkNeighbourhoods(t *testing.T, slug, day string, res *queries.Result, want map[string]*lsoa) {
	if len(res.Rows) != len(want) || len(want) == 0 {
		t.Fatalf("%s %s: %d LSOAs, plain Go %d", slug, day, len(res.Rows), len(want))
	}
	postcodes := 0
	for _, row := range res.Rows {
		code := res.Str(row, "lsoa21_code")
		w := want[code]
		if w == nil {
			t.Fatalf("%s: LSOA %s is not the council's", slug, code)
		}
		method := map[bool]string{true: "postcodes", false: "interior point"}[w.postcodes]
		if w.postcodes {
			postcodes++
		}
		if got := res.Str(row, "centre_method"); got != method {
			t.Errorf("%s %s: centre %s, want %s", slug, code, got, method)
		}
		for col, kind := range map[string]string{"hub_km": "hub", "hublet_km": "hublet", "bridge_km": "bridge", "outreach_km": "outreach", "family_site_km": ""} {
			km, has := w.nearest[kind]
			got, ok := res.Float(row, col)
			if ok != has || has && math.Abs(got-km) > 0.0006 {
				t.Errorf("%s %s %s: %s %v, plain Go %v (%v)", slug, day, code, col, row[res.MustCol(col)], km, has)
			}
		}
		c04, _ := res.Float(row, "children_0_4")
		c019, _ := res.Float(row, "children_0_19")
		dec, _ := res.Float(row, "idaci_decile")
		if c04 != w.c04 || c019 != w.c019 || int(dec) != w.decile {
			t.Errorf("%s %s: children %v, %v, decile %v; plain %v, %v, %v", slug, code, c04, c019, dec, w.c04, w.c019, w.decile)
		}
	}
	// the postcode file covers the five councils: every LSOA of theirs has postcodes
	if postcodes != len(want) {
		t.Errorf("%s: %d of %d LSOAs measured from their postcodes", slug, postcodes, len(want))
	}
}

func checkCoverage(t *testing.T, slug, day string, res *queries.Result, want map[string]*lsoa) {
	type key struct{ ages, sites, idaci string }
	sums := map[key][4]float64{}
	for _, l := range want {
		for _, ages := range []string{"0-4", "0-19"} {
			n := map[string]float64{"0-4": l.c04, "0-19": l.c019}[ages]
			for sites, kind := range map[string]string{"hub": "hub", "family site": ""} {
				group := "3-10"
				if l.decile <= 2 {
					group = "1-2"
				}
				for _, g := range []string{group, "all"} {
					k := key{ages, sites, g}
					s := sums[k]
					s[0] += n
					for i, r := range []float64{1, 2, 5} {
						if km, ok := l.nearest[kind]; ok && km <= r {
							s[i+1] += n
						}
					}
					sums[k] = s
				}
			}
		}
	}
	if len(res.Rows) != 12 {
		t.Fatalf("%s: %d coverage rows, want 12", slug, len(res.Rows))
	}
	for _, row := range res.Rows {
		k := key{res.Str(row, "ages"), res.Str(row, "sites"), res.Str(row, "idaci")}
		w := sums[k]
		for i, col := range []string{"children", "within_1km", "within_2km", "within_5km"} {
			if got, _ := res.Float(row, col); got != w[i] {
				t.Errorf("%s %s %v: %s %v, plain Go %v", slug, day, k, col, got, w[i])
			}
		}
	}
}

// The next hubs: the same greedy choice over candidates and coverage worked in Go, and the first
// pick's share before is the coverage question's share of deprived children 0-4 within 2 km of a hub.
// place is a candidate: an LSOA centre or a listed building.
type place struct {
	id string
	at point
}

// listed reads the candidate buildings from the council's network file, not the warehouse.
func listed(t *testing.T, slug string) []councils.Candidate {
	cs, err := councils.LoadAll(datasets.FS, "councils")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Slug == slug {
			return c.Candidates
		}
	}
	return nil
}

func checkNextHub(t *testing.T, slug, day string, res, ranked, coverage *queries.Result, want map[string]*lsoa, places []place, all bool) {
	p := access.Problem{Children: map[string][]float64{}, Total: make([]float64, 2), Covered: make([]float64, 2)}
	var codes []string
	for code, l := range want {
		codes = append(codes, code)
		if l.decile > 2 {
			continue
		}
		p.Total[0] += l.c04
		p.Total[1] += l.c019
		if km, ok := l.nearest["hub"]; ok && km <= access.Reach {
			p.Covered[0] += l.c04
			p.Covered[1] += l.c019
		}
		p.Children[code] = []float64{l.c04, l.c019}
	}
	sort.Strings(codes)
	for _, c := range places {
		k := access.Candidate{ID: c.id}
		for _, d := range codes {
			l := want[d]
			if _, deprived := p.Children[d]; !deprived {
				continue
			}
			if km, ok := l.nearest["hub"]; ok && km <= access.Reach {
				continue
			}
			if haversine(c.at.lat, c.at.lon, l.at.lat, l.at.lon) <= access.Reach {
				k.Covers = append(k.Covers, d)
			}
		}
		if len(k.Covers) > 0 || all {
			p.Candidates = append(p.Candidates, k)
		}
	}
	// each candidate alone, as access_candidates ranks them
	alone := map[string][2]float64{}
	for _, k := range p.Candidates {
		var g [2]float64
		for _, l := range k.Covers {
			g[0] += p.Children[l][0]
			g[1] += p.Children[l][1]
		}
		alone[k.ID] = g
	}
	if len(ranked.Rows) != len(alone) {
		t.Errorf("%s %s: %d candidates ranked, plain Go %d", slug, day, len(ranked.Rows), len(alone))
	}
	prev := [2]float64{math.Inf(1), math.Inf(1)}
	for _, row := range ranked.Rows {
		n04, _ := ranked.Float(row, "new_0_4")
		n019, _ := ranked.Float(row, "new_0_19")
		if g := alone[ranked.Str(row, "candidate_id")]; g != [2]float64{n04, n019} {
			t.Errorf("%s %s: candidate %s brings %v, %v; plain Go %v", slug, day, ranked.Str(row, "candidate_id"), n04, n019, g)
		}
		if n04 > prev[0] || n04 == prev[0] && n019 > prev[1] {
			t.Errorf("%s %s: candidate %s out of order", slug, day, ranked.Str(row, "candidate_id"))
		}
		prev = [2]float64{n04, n019}
	}
	var rows [][]any
	for by, objective := range access.Objectives {
		for i, pk := range access.Greedy(p, by, access.Picks) {
			rows = append(rows, []any{objective, float64(i + 1), pk.Candidate.ID, pk.New[0], pk.New[1], pk.Before[0], pk.After[0], pk.Before[1], pk.After[1]})
		}
	}
	if len(res.Rows) != len(rows) {
		t.Fatalf("%s %s: %d picks, plain Go %d", slug, day, len(res.Rows), len(rows))
	}
	for i, row := range res.Rows {
		w := rows[i]
		for j, col := range []string{"objective", "pick", "candidate_id", "new_0_4", "new_0_19", "share_0_4_before", "share_0_4_after", "share_0_19_before", "share_0_19_after"} {
			got := row[res.MustCol(col)]
			if f, ok := res.Float(row, col); ok {
				if math.Abs(f-w[j].(float64)) > 1e-9 {
					t.Errorf("%s %s pick %d: %s %v, plain Go %v", slug, day, i, col, f, w[j])
				}
			} else if queries.Text(got) != w[j] {
				t.Errorf("%s %s pick %d: %s %v, plain Go %v", slug, day, i, col, got, w[j])
			}
		}
	}
	for _, row := range coverage.Rows {
		if coverage.Str(row, "ages") == "0-4" && coverage.Str(row, "sites") == "hub" && coverage.Str(row, "idaci") == "1-2" && len(res.Rows) > 0 {
			share, _ := coverage.Float(row, "share_within_2km")
			if before, _ := res.Float(res.Rows[0], "share_0_4_before"); math.Abs(before-share) > 1e-12 {
				t.Errorf("%s %s: share before the first pick %v, coverage says %v", slug, day, before, share)
			}
		}
	}
}

// BenchmarkAccess times each access question for Stockport on a day, as served (finishing included).
func BenchmarkAccess(b *testing.B) {
	db := testdata.Warehouse(b)
	a := queries.Args{"council": "E08000007", "period_start": "2026-03-31", "period_end": "2026-03-31"}
	for _, name := range []string{"access_neighbourhoods", "access_coverage", "access_candidates", "access_next_hub", "access_buildings", "access_next_hub_buildings"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				answer(b, db, name, a)
			}
		})
	}
}
