package warehouse_test

import (
	"strconv"
	"strings"
	"testing"

	"familyhubs/internal/testdata"
)

// field reads a column of a published CSV record; the 2022 release's file starts with a UTF-8
// byte-order mark, which stays on its first header.
func field(r map[string]string, name string) string {
	if v, ok := r[name]; ok {
		return v
	}
	return r["\ufeff"+name]
}

// 31 March 2018 comes from DfE's 2022 release (2018-2022), the newest release that holds it, for
// every council and region that release holds: the same number, or the same DfE symbol, and no
// row for a council that did not yet exist ('z'). England keeps the national series' figure.
func TestCareLookedAfter2018FromThe2022Release(t *testing.T) {
	db := testdata.Warehouse(t)
	type fig struct{ number, symbol string }
	published := map[string]fig{}
	numbers := map[string]int{}
	for _, r := range testdata.ReadCSV(t, "care/dfe_cla_number_and_rate_per_10k_children_2018_to_2022.csv") {
		if field(r, "time_period") != "2018" || r["population_count"] != "Children looked after at 31 March each year" {
			continue
		}
		level, code := r["geographic_level"], r["new_la_code"]
		switch level {
		case "National":
			continue
		case "Regional":
			code = r["region_code"]
		}
		v := strings.TrimSpace(r["number"])
		if v == "z" {
			if n := one[int64](t, db, `SELECT count(*) FROM care WHERE measure = 'looked_after' AND year = 2018 AND area_code = $1`, code); n != 0 {
				t.Errorf("%s %s: DfE says z (not applicable) for 2018, the warehouse has %d rows", code, r["la_name"], n)
			}
			continue
		}
		if _, err := strconv.Atoi(strings.ReplaceAll(v, ",", "")); err == nil {
			published[code] = fig{number: strings.ReplaceAll(v, ",", "")}
			numbers[level]++
		} else {
			published[code] = fig{symbol: v}
		}
	}
	if numbers["Local authority"] < 150 || numbers["Regional"] != 11 {
		t.Fatalf("the 2022 release holds 2018 for %d councils and %d regions: is it the file PROVENANCE.md describes?", numbers["Local authority"], numbers["Regional"])
	}
	// every council and region with a published 2018 number has it in the warehouse
	for level, want := range map[string]int{"Local authority": numbers["Local authority"], "Region": numbers["Regional"]} {
		got := one[int64](t, db, `SELECT count(*) FROM care WHERE measure = 'looked_after' AND year = 2018 AND level = $1 AND number IS NOT NULL`, level)
		if got != int64(want) {
			t.Errorf("%s: %d with a 31 March 2018 looked-after number, the 2022 release has %d", level, got, want)
		}
	}
	rows, err := db.Query(`SELECT area_code, coalesce(number::VARCHAR, ''), coalesce(number_symbol, ''), source
		FROM care WHERE measure = 'looked_after' AND year = 2018 AND level <> 'England'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var code, source string
		var got fig
		if err := rows.Scan(&code, &got.number, &got.symbol, &source); err != nil {
			t.Fatal(err)
		}
		seen++
		want, ok := published[code]
		if !ok {
			t.Errorf("%s 2018: %+v in the warehouse, not in the 2022 release (a placeholder?)", code, got)
			continue
		}
		if got != want {
			t.Errorf("%s 2018: warehouse %+v, DfE's 2022 release %+v", code, got, want)
		}
		if !strings.Contains(source, "2022 release") {
			t.Errorf("%s 2018: source %q", code, source)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if seen != len(published) {
		t.Errorf("%d council and region rows for 2018, the 2022 release publishes %d (numbers or symbols)", seen, len(published))
	}

	for _, c := range []struct {
		name, query string
		want        int64
	}{
		{"Stockport 31 March 2018: 362", `SELECT number FROM care WHERE measure = 'looked_after' AND area_code = 'E08000007' AND year = 2018`, 362},
		{"Wolverhampton 31 March 2018: 649", `SELECT number FROM care WHERE measure = 'looked_after' AND area_code = 'E08000031' AND year = 2018`, 649},
		// Cumberland's and Westmorland and Furness's predecessor
		{"Cumbria 31 March 2018: 666", `SELECT number FROM care WHERE measure = 'looked_after' AND area_code = 'E10000006' AND year = 2018`, 666},
		{"England 31 March 2018 still from the national series: 75,360", `SELECT number FROM care WHERE measure = 'looked_after' AND area_code = 'E92000001' AND year = 2018 AND source LIKE '%national time series%'`, 75360},
		// later releases keep their years: Wolverhampton 2022 is 512 in the 2025 release (521 in the 2022 one)
		{"Wolverhampton 2022 from the 2025 release: 512", `SELECT number FROM care WHERE measure = 'looked_after' AND area_code = 'E08000031' AND year = 2022`, 512},
		{"Stockport 2019 from the 2023 release: 361", `SELECT number FROM care WHERE measure = 'looked_after' AND area_code = 'E08000007' AND year = 2019 AND source LIKE '%2023 release%'`, 361},
		// the denominator is ONS's revised mid-2017 (as 2017 and 2019 use revised mid-years);
		// DfE's rounded rate from the 2022 release (on the estimate before revision) is kept as published
		{"Stockport 2018 denominator is the revised mid-2017: 61,852", `SELECT c.children_0_17 FROM care c JOIN population_council p
			ON p.area_code = c.area_code AND p.mid_year = 2017 AND p.children_0_17 = c.children_0_17
			WHERE c.measure = 'looked_after' AND c.area_code = 'E08000007' AND c.year = 2018`, 61852},
		{"Stockport 2018 DfE's published rate: 58", `SELECT published_rate_per_10000::BIGINT FROM care WHERE measure = 'looked_after' AND area_code = 'E08000007' AND year = 2018`, 58},
		{"every 2018 row has a denominator", `SELECT count(*) FROM care WHERE measure = 'looked_after' AND year = 2018 AND number IS NOT NULL AND NOT children_0_17 > 0`, 0},
		// no council is left between 2017 and 2019 without a 2018 row
		{"no looked-after gap at 2018", `SELECT count(*) FROM care a JOIN care b USING (measure, area_code)
			WHERE a.measure = 'looked_after' AND a.year = 2017 AND b.year = 2019
			  AND NOT EXISTS (SELECT 1 FROM care c WHERE c.measure = 'looked_after' AND c.area_code = a.area_code AND c.year = 2018 AND c.number IS NOT NULL)`, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := one[int64](t, db, c.query); got != c.want {
				t.Errorf("got %d, want %d", got, c.want)
			}
		})
	}
}
