package measures_test

import (
	"database/sql"
	"fmt"
	"testing"
	"time"

	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

// Reached before crisis year by year worked by hand, Stockport's code.
//
// The council's first hub contact held is 15 June 2021 (child 1's; another council's contact
// in 2019 does not count), so the 12 months before every start are covered from 15 June 2022:
// the first whole year is 2023-24 (2022-23 began on 1 April 2022, before it). The care records'
// last referral (C5's, 1 November 2024) is in 2024-25, so they end on 31 March 2025 (the data
// end, 30 September 2026, is later): the last whole year is 2024-25. 2022-23 and 2025-26 are
// left out, not shown as zero, though C7 started in the one and C6 in the other.
//
//	child  kind             start       hub contacts (Stockport's)                    year     12m
//	C1     looked_after     2023-07-01  2021-06-15; 2023-01-10                        2023-24  yes
//	       (and again 2023-12-01: counted once in 2023-24, at its first start there)
//	C1     looked_after     2024-06-01  2023-01-10 (over 12 months); 2024-06-01        2024-25  no
//	                                    (the day: no)
//	C2     looked_after     2024-02-01  2023-01-31 (12 months and a day before)       2023-24  no
//	C3     looked_after     2024-09-01  not linked: counts as not reached             2024-25  no
//	C4     protection_plan  2023-05-01  2022-05-01 (12 months before to the day)      2023-24  yes
//	C4     protection_plan  2024-10-01  2024-09-30                                    2024-25  yes
//	C5     protection_plan  2025-03-31  one in another council, 2025-01-01            2024-25  no
//	C6     looked_after     2025-05-01  -                                             2025-26  left out
//	C7     looked_after     2022-10-01  2022-09-01                                    2022-23  left out
//
// Not counted: X1's start in another council. Looked after: 2023-24 2 children, 2 linked, 1
// reached (50%); 2024-25 2 children, 1 linked, none reached (0%). Protection plans: 2023-24 1
// child, linked and reached (100%); 2024-25 2 children, both linked, 1 reached (50%).
func TestReachedBeforeCrisisTrend(t *testing.T) {
	db := tinyWarehouse(t, append(outcomeNeighbourhoods,
		`INSERT INTO metadata VALUES ('synthetic_end', '2026-09-30'), ('record_key_salt', 'crisis trend test')`,
		`INSERT INTO contacts VALUES
			(1, DATE '2021-06-15', 'E08000007', 'E01000001', NULL, 'parenting', 'hub', 1, 1, NULL, '5-11'),
			(2, DATE '2023-01-10', 'E08000007', 'E01000001', NULL, 'parenting', 'hub', 1, 1, NULL, '5-11'),
			(3, DATE '2024-06-01', 'E08000007', 'E01000001', NULL, 'parenting', 'hub', 1, 1, NULL, '5-11'),
			(4, DATE '2023-01-31', 'E08000007', 'E01000002', NULL, 'parenting', 'hub', 2, 2, NULL, '5-11'),
			(5, DATE '2022-05-01', 'E08000007', 'E01000002', NULL, 'parenting', 'hub', 4, 4, NULL, '5-11'),
			(6, DATE '2024-09-30', 'E08000007', 'E01000002', NULL, 'parenting', 'hub', 4, 4, NULL, '5-11'),
			(7, DATE '2025-01-01', 'E08000006', 'E01005000', NULL, 'parenting', 'hub', 5, 5, NULL, '5-11'),
			(8, DATE '2022-09-01', 'E08000007', 'E01000003', NULL, 'parenting', 'hub', 7, 7, NULL, '5-11'),
			(9, DATE '2019-01-01', 'E08000006', 'E01005000', NULL, 'parenting', 'hub', 8, 8, NULL, '5-11')`,
		`INSERT INTO care_episodes VALUES
			('E08000007', 'C1', 1, 'looked_after', DATE '2023-07-01', DATE '2023-09-01', NULL, 'E01000001', 'person id', 'synthetic'),
			('E08000007', 'C1', 1, 'looked_after', DATE '2023-12-01', DATE '2024-01-01', NULL, 'E01000001', 'person id', 'synthetic'),
			('E08000007', 'C1', 1, 'looked_after', DATE '2024-06-01', NULL, NULL, 'E01000001', 'person id', 'synthetic'),
			('E08000007', 'C2', 2, 'looked_after', DATE '2024-02-01', NULL, NULL, 'E01000002', 'linkage key', 'synthetic'),
			('E08000007', 'C3', NULL, 'looked_after', DATE '2024-09-01', NULL, NULL, 'E01000001', NULL, 'synthetic'),
			('E08000007', 'C4', 4, 'protection_plan', DATE '2023-05-01', DATE '2023-11-01', NULL, 'E01000002', 'person id', 'synthetic'),
			('E08000007', 'C4', 4, 'protection_plan', DATE '2024-10-01', NULL, NULL, 'E01000002', 'person id', 'synthetic'),
			('E08000007', 'C5', 5, 'protection_plan', DATE '2025-03-31', NULL, NULL, 'E01000002', 'person id', 'synthetic'),
			('E08000007', 'C5', 5, 'referral', DATE '2024-11-01', NULL, NULL, 'E01000002', 'person id', 'synthetic'),
			('E08000007', 'C6', 6, 'looked_after', DATE '2025-05-01', NULL, NULL, 'E01000001', 'person id', 'synthetic'),
			('E08000007', 'C7', 7, 'looked_after', DATE '2022-10-01', NULL, NULL, 'E01000003', 'person id', 'synthetic'),
			('E08000006', 'X1', 1, 'looked_after', DATE '2024-01-01', NULL, NULL, 'E01005000', 'person id', 'synthetic'),
			('E08000008', 'Y1', NULL, 'referral', DATE '2023-06-01', NULL, NULL, NULL, NULL, 'synthetic'),
			('E08000008', 'Y1', NULL, 'looked_after', DATE '2023-07-01', NULL, NULL, NULL, NULL, 'synthetic')`)...)
	a := queries.Args{"council": "E08000007"}
	res, err := measures.Run(ctx, db, "reached_before_crisis_trend", a, stats.Exact)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		kind, year string
		counts     [3]float64 // children, linked, reached in 12 months
		share      float64
	}{
		{"looked_after", "2023-24", [3]float64{2, 2, 1}, 50},
		{"looked_after", "2024-25", [3]float64{2, 1, 0}, 0},
		{"protection_plan", "2023-24", [3]float64{1, 1, 1}, 100},
		{"protection_plan", "2024-25", [3]float64{2, 2, 1}, 50},
	}
	if len(res.Rows) != len(want) {
		t.Fatalf("%d rows, want %d (2022-23 and 2025-26 left out): %v", len(res.Rows), len(want), res.Rows)
	}
	for i, w := range want {
		row := res.Rows[i]
		if k, y := res.Str(row, "kind"), res.Str(row, "year"); k != w.kind || y != w.year {
			t.Errorf("row %d: %s %s, want %s %s", i, k, y, w.kind, w.year)
			continue
		}
		for j, c := range []string{"children", "linked", "reached_12m"} {
			if got := num(t, row[res.MustCol(c)]); got != w.counts[j] {
				t.Errorf("%s %s: %s %v, by hand %v", w.kind, w.year, c, got, w.counts[j])
			}
		}
		if got := num(t, row[res.MustCol("share_reached_12m")]); got != w.share {
			t.Errorf("%s %s: %v%% reached, by hand %v%%", w.kind, w.year, got, w.share)
		}
	}
	// the year's days, and Wilson's limits of 1 of 2: 9.5% to 90.5%
	first := res.Rows[0]
	if s, e := first[res.MustCol("year_start")].(time.Time), first[res.MustCol("year_end")].(time.Time); s.Format(time.DateOnly) != "2023-04-01" || e.Format(time.DateOnly) != "2024-03-31" {
		t.Errorf("2023-24 runs %v to %v", s, e)
	}
	if lo, hi := first[res.MustCol("share_reached_12m_lower")], first[res.MustCol("share_reached_12m_upper")]; measures.Round(num(t, lo), 1) != 9.5 || measures.Round(num(t, hi), 1) != 90.5 {
		t.Errorf("1 of 2: limits %v to %v, want 9.5 to 90.5", lo, hi)
	}
	for _, c := range []string{"children_ckey", "reached_12m_ckey"} {
		if res.Col(c) >= 0 {
			t.Errorf("the answer still has %s", c)
		}
	}
	// each year is reached_before_crisis's council row for that year
	for _, p := range []string{"2023-24", "2024-25"} {
		pa := args(t, "E08000007", p)
		rb, err := measures.Run(ctx, db, "reached_before_crisis", pa, stats.Exact)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"looked_after", "protection_plan"} {
			all := one(t, rb, map[string]string{"kind": kind, "breakdown": "all"})
			yr := one(t, res, map[string]string{"kind": kind, "year": p})
			for _, c := range []string{"children", "linked", "reached_12m"} {
				if g, w := num(t, yr[res.MustCol(c)]), num(t, all[rb.MustCol(c)]); g != w {
					t.Errorf("%s %s: %s %v, reached_before_crisis %v", kind, p, c, g, w)
				}
			}
		}
	}
	checkShown(t, db, "reached_before_crisis_trend", a, []string{"children", "linked", "reached_12m"},
		map[string][2]string{"share_reached_12m": {"reached_12m", "children"}})
	// nothing held (E08000010), no referral held child by child so the care records' end is not
	// known (E08000006: hub contacts and a start), or no hub contact held (E08000008: a referral
	// and a start): no year at all, rather than years of zeros
	for _, council := range []string{"E08000010", "E08000006", "E08000008"} {
		res, err := measures.Run(ctx, db, "reached_before_crisis_trend", queries.Args{"council": council}, stats.Exact)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) != 0 {
			t.Errorf("%s: %d rows, want none: %v", council, len(res.Rows), res.Rows)
		}
	}
}

// Reached before crisis year by year for every demo council (SYNTHETIC histories), against the
// same counts worked here from the raw episodes and contacts: the whole years from the first
// 1 April at least 12 months after the council's first contact to the last 31 March on or before
// the end of the care records (the earlier of the data end and the 31 March ending the year of
// the last referral), each child's first start of each kind in each year, and whether any of
// their contacts with the council's hubs fell in the 12 months before it.
func TestReachedBeforeCrisisTrendDemo(t *testing.T) {
	db := testdata.Warehouse(t)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, council := range demoCouncils {
		res := run(t, "reached_before_crisis_trend", queries.Args{"council": council}, stats.Exact)
		var firstContact, lastReferral time.Time
		if err := db.QueryRowContext(ctx, `SELECT min(contact_date) FROM contacts WHERE council_code = ?`, council).Scan(&firstContact); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, `SELECT max(start_date) FROM care_episodes WHERE council_code = ? AND kind = 'referral'`, council).Scan(&lastReferral); err != nil {
			t.Fatal(err)
		}
		end := day(lastReferral.Year(), time.March, 31)
		if lastReferral.After(end) {
			end = end.AddDate(1, 0, 0)
		}
		if db.DataEnd.Before(end) {
			end = db.DataEnd
		}
		from := firstContact.AddDate(1, 0, 0)
		var years []int
		for y := 2000; y < 2100; y++ {
			if !day(y, time.April, 1).Before(from) && !day(y+1, time.March, 31).After(end) {
				years = append(years, y)
			}
		}
		type start struct {
			day    time.Time
			person sql.NullInt64
		}
		firsts := map[[2]string]start{} // kind, care id + year
		rows, err := db.QueryContext(ctx, `SELECT kind, care_id, start_date, person_id FROM care_episodes
			WHERE council_code = ? AND kind IN ('looked_after', 'protection_plan')`, council)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var kind, id string
			var s start
			if err := rows.Scan(&kind, &id, &s.day, &s.person); err != nil {
				t.Fatal(err)
			}
			y := s.day.Year()
			if s.day.Month() < time.April {
				y--
			}
			k := [2]string{kind, fmt.Sprintf("%s/%d", id, y)}
			if f, ok := firsts[k]; !ok || s.day.Before(f.day) {
				firsts[k] = s
			}
		}
		rows.Close()
		contacts := linkedContacts(t, ctx, db.DB, council)
		type tally struct{ children, linked, r12 float64 }
		got := map[string]*tally{} // kind/year
		for k, s := range firsts {
			y := s.day.Year()
			if s.day.Month() < time.April {
				y--
			}
			key := fmt.Sprintf("%s/%d-%02d", k[0], y, (y+1)%100)
			if got[key] == nil {
				got[key] = &tally{}
			}
			g := got[key]
			g.children++
			if !s.person.Valid {
				continue
			}
			g.linked++
			for _, d := range contacts[s.person.Int64] {
				if d.Before(s.day) && !d.Before(s.day.AddDate(-1, 0, 0)) {
					g.r12++
					break
				}
			}
		}
		if len(res.Rows) != 2*len(years) || len(years) == 0 {
			t.Fatalf("%s: %d rows, want a row of each kind for each of the years %v", council, len(res.Rows), years)
		}
		for i, row := range res.Rows {
			kind, y := "looked_after", years[i%len(years)]
			if i >= len(years) {
				kind = "protection_plan"
			}
			label := fmt.Sprintf("%d-%02d", y, (y+1)%100)
			if res.Str(row, "kind") != kind || res.Str(row, "year") != label {
				t.Errorf("%s row %d: %s %s, want %s %s", council, i, res.Str(row, "kind"), res.Str(row, "year"), kind, label)
				continue
			}
			w := got[kind+"/"+label]
			if w == nil {
				w = &tally{}
			}
			g := tally{num(t, row[res.MustCol("children")]), num(t, row[res.MustCol("linked")]), num(t, row[res.MustCol("reached_12m")])}
			if g != *w {
				t.Errorf("%s %s %s: children, linked, reached 12m %v; worked here %v", council, kind, label, g, *w)
			}
			if g.children < 10 {
				t.Errorf("%s %s %s: %v children started: not plausible", council, kind, label, g.children)
			}
			t.Logf("%s %s %s: %v started, %v linked, %v reached in 12 months (%v%%, %v to %v)", council, kind, label, g.children, g.linked, g.r12,
				row[res.MustCol("share_reached_12m")], row[res.MustCol("share_reached_12m_lower")], row[res.MustCol("share_reached_12m_upper")])
		}
		checkShown(t, db, "reached_before_crisis_trend", queries.Args{"council": council}, []string{"children", "linked", "reached_12m"},
			map[string][2]string{"share_reached_12m": {"reached_12m", "children"}})
	}
}
