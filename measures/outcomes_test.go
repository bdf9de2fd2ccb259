package measures_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

// demoCouncils are the councils whose hub records and care histories the demo warehouse holds.
var demoCouncils = []string{"E08000007", "E08000034", "E08000031", "E06000063", "E06000064"}

// outcomeNeighbourhoods are three neighbourhoods of Stockport's code for the tiny warehouses: one
// in North (IDACI decile 1, quintile 1), one in South (decile 6, quintile 3), one with neither a
// locality nor a decile.
var outcomeNeighbourhoods = []string{
	`INSERT INTO neighbourhoods (lsoa21_code, lsoa21_name, lad_code, lad_name, council_code, locality) VALUES
		('E01000001', 'A', 'E08000007', 'Stockport', 'E08000007', 'North'),
		('E01000002', 'B', 'E08000007', 'Stockport', 'E08000007', 'South'),
		('E01000003', 'C', 'E08000007', 'Stockport', 'E08000007', NULL)`,
	`INSERT INTO deprivation (lsoa21_code, edition, imd_rank, imd_decile, idaci_decile) VALUES
		('E01000001', 'IoD2025', 100, 1, 1), ('E01000002', 'IoD2025', 20000, 6, 6), ('E01000001', 'IoD2019', 20000, 6, 6)`,
}

// checkShown checks a protected answer against the exact one: each count is the exact count
// perturbed by its cell key (DfE), and each share is worked from the counts shown.
func checkShown(t *testing.T, db queries.Querier, name string, a queries.Args, counts []string, shares map[string][2]string) {
	t.Helper()
	q, _ := queries.Get(name)
	exact, err := q.Run(ctx, db, a)
	if err != nil {
		t.Fatal(err)
	}
	dfe, err := measures.Run(ctx, db, name, a, stats.DfE)
	if err != nil {
		t.Fatal(err)
	}
	if len(dfe.Rows) != len(exact.Rows) {
		t.Fatalf("%s: %d rows protected, %d exact", name, len(dfe.Rows), len(exact.Rows))
	}
	for i, row := range dfe.Rows {
		for _, c := range counts {
			n, ok := measures.Number(exact.Rows[i][exact.MustCol(c)])
			if !ok { // not counted in this row (NULL): nothing shown
				if v := row[dfe.MustCol(c)]; v != nil {
					t.Errorf("%s row %d: %s shown %v, exact NULL", name, i, c, v)
				}
				continue
			}
			key, _ := stats.CellKey(exact.Rows[i][exact.MustCol(c+"_ckey")])
			want := stats.DefaultPTable.Perturb(int64(n), key)
			got := row[dfe.MustCol(c)]
			if s, hidden := got.(stats.Suppressed); hidden {
				if want < 1 || want > 5 {
					t.Errorf("%s row %d: %s hidden (%v), but %d would be shown", name, i, c, s, want)
				}
				continue
			}
			if num(t, got) != float64(want) {
				t.Errorf("%s row %d: %s shown %v, the cell key method gives %d (true %v)", name, i, c, got, want, n)
			}
		}
		for share, of := range shares {
			x, okX := measures.Number(row[dfe.MustCol(of[0])])
			n, okN := measures.Number(row[dfe.MustCol(of[1])])
			got := row[dfe.MustCol(share)]
			if !okX || !okN || n <= 0 {
				if _, num := measures.Number(got); num {
					t.Errorf("%s row %d: %s %v from %v of %v", name, i, share, got, row[dfe.MustCol(of[0])], row[dfe.MustCol(of[1])])
				}
				continue
			}
			iv, err := stats.Wilson(x, n, measures.Confidence)
			if err != nil {
				t.Fatal(err)
			}
			if num(t, got) != measures.Round(100*iv.Value, 3) || num(t, row[dfe.MustCol(share+"_lower")]) != measures.Round(100*iv.Lower, 3) {
				t.Errorf("%s row %d: %s %v (from %v), but %v of %v shown give %v", name, i, share, got, row[dfe.MustCol(share+"_lower")], x, n, 100*iv.Value)
			}
		}
	}
}

// Reached before crisis worked by hand, Stockport's code, starts in 2024-25.
//
//	child  kind             start       neighbourhood  hub contacts (Stockport's)             12m  24m
//	C1     looked_after     2024-06-01  North, q1      2024-01-10                             yes  yes
//	       (and again 2025-02-01: counted once, at the first start in the period)
//	C1     protection_plan  2024-05-15  North, q1      2024-01-10                             yes  yes
//	C2     looked_after     2024-09-01  South, q3      2023-03-01; 2024-09-01 (the day: no)   no   yes
//	C3     looked_after     2024-10-01  North, q1      not linked: counts as not reached      no   no
//	C4     looked_after     2024-11-01  no locality    2024-05-01 (and a start 2023-12-01,    yes  yes
//	                                    nor decile     before the period)
//	C5     protection_plan  2025-03-31  South, q3      2022-04-01 (36 months before); one     no   no
//	                                                   in another council 2025-01-01
//
// Not counted: C6's start on 2025-04-01 (after the period) and C1's in another council.
// Looked after: 4 children, 3 linked, 2 reached in 12 months (50%), 3 in 24 (75%); North 2 (1
// linked, 1 and 1 reached), South 1 (1, 0, 1), not known 1 (1, 1, 1); quintile 1 = North, 3 =
// South, not known = C4, 2, 4 and 5 none. Protection plans: 2 children, both linked, 1 reached
// (50%) in 12 and in 24 months: North 1 (C1, reached), South 1 (C5, not).
func TestReachedBeforeCrisis(t *testing.T) {
	db := tinyWarehouse(t, append(outcomeNeighbourhoods,
		`INSERT INTO metadata VALUES ('synthetic_end', '2026-09-30'), ('record_key_salt', 'crisis test')`,
		`INSERT INTO contacts VALUES
			(1, DATE '2024-01-10', 'E08000007', 'E01000001', NULL, 'parenting', 'hub', 1, 1, NULL, '5-11'),
			(2, DATE '2023-03-01', 'E08000007', 'E01000002', NULL, 'parenting', 'hub', 2, 2, NULL, '5-11'),
			(3, DATE '2024-09-01', 'E08000007', 'E01000002', NULL, 'parenting', 'hub', 2, 2, NULL, '5-11'),
			(4, DATE '2024-05-01', 'E08000007', 'E01000003', NULL, 'parenting', 'hub', 4, 4, NULL, '5-11'),
			(5, DATE '2022-04-01', 'E08000007', 'E01000002', NULL, 'parenting', 'hub', 5, 5, NULL, '5-11'),
			(6, DATE '2025-01-01', 'E08000006', 'E01005000', NULL, 'parenting', 'hub', 5, 5, NULL, '5-11'),
			(7, DATE '2025-01-01', 'E08000007', 'E01000001', NULL, 'parenting', 'hub', 6, 6, NULL, '5-11')`,
		`INSERT INTO care_episodes VALUES
			('E08000007', 'C1', 1, 'looked_after', DATE '2024-06-01', DATE '2024-12-01', NULL, 'E01000001', 'person id', 'synthetic'),
			('E08000007', 'C1', 1, 'looked_after', DATE '2025-02-01', NULL, NULL, 'E01000002', 'person id', 'synthetic'),
			('E08000007', 'C1', 1, 'protection_plan', DATE '2024-05-15', DATE '2024-06-01', NULL, 'E01000001', 'person id', 'synthetic'),
			('E08000007', 'C2', 2, 'looked_after', DATE '2024-09-01', NULL, NULL, 'E01000002', 'linkage key', 'synthetic'),
			('E08000007', 'C3', NULL, 'looked_after', DATE '2024-10-01', NULL, NULL, 'E01000001', NULL, 'synthetic'),
			('E08000007', 'C4', 4, 'looked_after', DATE '2023-12-01', DATE '2024-02-01', NULL, 'E01000003', 'person id', 'synthetic'),
			('E08000007', 'C4', 4, 'looked_after', DATE '2024-11-01', NULL, NULL, 'E01000003', 'person id', 'synthetic'),
			('E08000007', 'C5', 5, 'protection_plan', DATE '2025-03-31', NULL, NULL, 'E01000002', 'person id', 'synthetic'),
			('E08000007', 'C5', 5, 'referral', DATE '2025-03-01', NULL, NULL, 'E01000002', 'person id', 'synthetic'),
			('E08000007', 'C6', 6, 'looked_after', DATE '2025-04-01', NULL, NULL, 'E01000001', 'person id', 'synthetic'),
			('E08000006', 'X1', 1, 'looked_after', DATE '2024-06-01', NULL, NULL, 'E01005000', 'person id', 'synthetic')`)...)
	a := queries.Args{"council": "E08000007", "period_start": "2024-04-01", "period_end": "2025-03-31"}
	res, err := measures.Run(ctx, db, "reached_before_crisis", a, stats.Exact)
	if err != nil {
		t.Fatal(err)
	}
	want := map[[3]string][4]float64{ // children, linked, reached in 12 and 24 months
		{"looked_after", "all", "all"}:                     {4, 3, 2, 3},
		{"looked_after", "locality", "North"}:              {2, 1, 1, 1},
		{"looked_after", "locality", "South"}:              {1, 1, 0, 1},
		{"looked_after", "locality", "not known"}:          {1, 1, 1, 1},
		{"looked_after", "idaci_quintile", "1"}:            {2, 1, 1, 1},
		{"looked_after", "idaci_quintile", "2"}:            {0, 0, 0, 0},
		{"looked_after", "idaci_quintile", "3"}:            {1, 1, 0, 1},
		{"looked_after", "idaci_quintile", "4"}:            {0, 0, 0, 0},
		{"looked_after", "idaci_quintile", "5"}:            {0, 0, 0, 0},
		{"looked_after", "idaci_quintile", "not known"}:    {1, 1, 1, 1},
		{"protection_plan", "all", "all"}:                  {2, 2, 1, 1},
		{"protection_plan", "locality", "North"}:           {1, 1, 1, 1},
		{"protection_plan", "locality", "South"}:           {1, 1, 0, 0},
		{"protection_plan", "locality", "not known"}:       {0, 0, 0, 0},
		{"protection_plan", "idaci_quintile", "1"}:         {1, 1, 1, 1},
		{"protection_plan", "idaci_quintile", "2"}:         {0, 0, 0, 0},
		{"protection_plan", "idaci_quintile", "3"}:         {1, 1, 0, 0},
		{"protection_plan", "idaci_quintile", "4"}:         {0, 0, 0, 0},
		{"protection_plan", "idaci_quintile", "5"}:         {0, 0, 0, 0},
		{"protection_plan", "idaci_quintile", "not known"}: {0, 0, 0, 0},
	}
	if len(res.Rows) != len(want) {
		t.Errorf("%d rows, want %d", len(res.Rows), len(want))
	}
	for _, row := range res.Rows {
		k := [3]string{res.Str(row, "kind"), res.Str(row, "breakdown"), res.Str(row, "category")}
		w, ok := want[k]
		if !ok {
			t.Errorf("unexpected row %v", row)
			continue
		}
		for i, c := range []string{"children", "linked", "reached_12m", "reached_24m"} {
			if got := num(t, row[res.MustCol(c)]); got != w[i] {
				t.Errorf("%v: %s %v, by hand %v", k, c, got, w[i])
			}
		}
	}
	all := one(t, res, map[string]string{"kind": "looked_after", "breakdown": "all"})
	if s12, s24 := num(t, all[res.MustCol("share_reached_12m")]), num(t, all[res.MustCol("share_reached_24m")]); s12 != 50 || s24 != 75 {
		t.Errorf("looked after: %v%% reached in 12 months, %v%% in 24; by hand 50 and 75", s12, s24)
	}
	// Wilson's limits of 2 of 4: 15.0% to 85.0%
	if lo, hi := all[res.MustCol("share_reached_12m_lower")], all[res.MustCol("share_reached_12m_upper")]; measures.Round(num(t, lo), 1) != 15 || measures.Round(num(t, hi), 1) != 85 {
		t.Errorf("2 of 4: limits %v to %v, want 15.0 to 85.0", lo, hi)
	}
	if none := one(t, res, map[string]string{"kind": "looked_after", "category": "2"}); none[res.MustCol("share_reached_12m")] != nil {
		t.Errorf("quintile 2, no child: share %v, want none", none[res.MustCol("share_reached_12m")])
	}
	for _, c := range []string{"children_ckey", "linked_ckey"} {
		if res.Col(c) >= 0 {
			t.Errorf("the answer still has %s", c)
		}
	}
	// protected: under NHS rules, counts of 1 to 7 (after perturbation) are hidden, and so is a
	// share on one
	nhs, err := measures.Run(ctx, db, "reached_before_crisis", a, stats.NHS)
	if err != nil {
		t.Fatal(err)
	}
	row := one(t, nhs, map[string]string{"kind": "looked_after", "breakdown": "all"})
	if s, ok := row[nhs.MustCol("children")].(stats.Suppressed); !ok || s.Symbol != "*" {
		t.Errorf("nhs: children = %v, want *", row[nhs.MustCol("children")])
	}
	for _, c := range []string{"share_reached_12m", "share_reached_24m"} {
		if v, shown := measures.Number(row[nhs.MustCol(c)]); shown {
			t.Errorf("nhs: %s = %v of a hidden number of children", c, v)
		}
	}
	checkShown(t, db, "reached_before_crisis", a, []string{"children", "linked", "reached_12m", "reached_24m"}, nil)
}

// Reached before crisis for every demo council, 2024-25 (SYNTHETIC histories), against the
// same counts worked here from the raw episodes and contacts: each child's first start of each
// kind in the year, and whether any of their contacts with the council's hubs fell in the 12 or
// 24 months before it.
func TestReachedBeforeCrisisDemo(t *testing.T) {
	db := testdata.Warehouse(t)
	for _, council := range demoCouncils {
		a := args(t, council, "2024-25")
		res := run(t, "reached_before_crisis", a, stats.Exact)
		type start struct {
			day    time.Time
			person sql.NullInt64
			lsoa   string
		}
		firsts := map[[2]string]start{}
		rows, err := db.QueryContext(ctx, `SELECT kind, care_id, start_date, person_id, coalesce(lsoa21_code, '') FROM care_episodes
			WHERE council_code = ? AND kind IN ('looked_after', 'protection_plan')`, council)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var kind, id string
			var s start
			if err := rows.Scan(&kind, &id, &s.day, &s.person, &s.lsoa); err != nil {
				t.Fatal(err)
			}
			if s.day.Before(time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)) || s.day.After(time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)) {
				continue
			}
			if f, ok := firsts[[2]string{kind, id}]; !ok || s.day.Before(f.day) {
				firsts[[2]string{kind, id}] = s
			}
		}
		rows.Close()
		contacts := linkedContacts(t, ctx, db.DB, council)
		locality := map[string]string{}
		rows, err = db.QueryContext(ctx, `SELECT lsoa21_code, locality FROM neighbourhoods WHERE council_code = ? AND locality IS NOT NULL`, council)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var l, loc string
			if err := rows.Scan(&l, &loc); err != nil {
				t.Fatal(err)
			}
			locality[l] = loc
		}
		rows.Close()
		type tally struct{ children, linked, r12, r24 float64 }
		got := map[[2]string]*tally{}
		add := func(kind, part string, s start) {
			k := [2]string{kind, part}
			if got[k] == nil {
				got[k] = &tally{}
			}
			g := got[k]
			g.children++
			if !s.person.Valid {
				return
			}
			g.linked++
			var in12, in24 bool
			for _, d := range contacts[s.person.Int64] {
				if d.Before(s.day) && !d.Before(s.day.AddDate(-1, 0, 0)) {
					in12 = true
				}
				if d.Before(s.day) && !d.Before(s.day.AddDate(-2, 0, 0)) {
					in24 = true
				}
			}
			if in12 {
				g.r12++
			}
			if in24 {
				g.r24++
			}
		}
		for k, s := range firsts {
			add(k[0], "all", s)
			loc, ok := locality[s.lsoa]
			if !ok {
				loc = "not known"
			}
			add(k[0], loc, s)
		}
		var lookedAfter float64
		for _, row := range res.Rows {
			b := res.Str(row, "breakdown")
			if b == "idaci_quintile" {
				continue
			}
			w := got[[2]string{res.Str(row, "kind"), res.Str(row, "category")}]
			if w == nil {
				w = &tally{}
			}
			g := []float64{num(t, row[res.MustCol("children")]), num(t, row[res.MustCol("linked")]), num(t, row[res.MustCol("reached_12m")]), num(t, row[res.MustCol("reached_24m")])}
			if g[0] != w.children || g[1] != w.linked || g[2] != w.r12 || g[3] != w.r24 {
				t.Errorf("%s %s %s: children, linked, reached 12m, 24m %v; worked here %v", council, res.Str(row, "kind"), res.Str(row, "category"), g, *w)
			}
			if b == "all" && res.Str(row, "kind") == "looked_after" {
				lookedAfter = g[0]
				t.Logf("%s looked after: %v children started, %v linked, %v reached in 12 months (%v%%), %v in 24 (%v%%)", council, g[0], g[1], g[2],
					row[res.MustCol("share_reached_12m")], g[3], row[res.MustCol("share_reached_24m")])
			}
		}
		// the quintiles hold every child once
		for _, kind := range []string{"looked_after", "protection_plan"} {
			var sum float64
			for _, row := range rows2(res, kind, "idaci_quintile") {
				sum += num(t, row[res.MustCol("children")])
			}
			if w := got[[2]string{kind, "all"}]; w != nil && sum != w.children {
				t.Errorf("%s %s: quintiles add to %v children, the council %v", council, kind, sum, w.children)
			}
		}
		if lookedAfter < 10 {
			t.Errorf("%s: %v children started to be looked after in 2024-25: not plausible", council, lookedAfter)
		}
		checkShown(t, db, "reached_before_crisis", a, []string{"children", "linked", "reached_12m", "reached_24m"},
			map[string][2]string{"share_reached_12m": {"reached_12m", "children"}, "share_reached_24m": {"reached_24m", "children"}})
	}
}

func rows2(r *queries.Result, kind, breakdown string) [][]any {
	return rows(r, map[string]string{"kind": kind, "breakdown": breakdown})
}

// Re-referral and step-down worked by hand, Stockport's code, 2023-24. The data end is set to 31
// December 2024 and the last referral (C8's, 20 November 2024) makes the care records run to 31
// March 2025: follow-up ends on 31 December 2024.
//
//	referrals in 2023-24      previous referral of the child         within 12 months
//	C1 2023-05-01             2022-06-01                             yes
//	C2 2023-05-01             2022-04-30 (12 months and a day)       no
//	C3 2023-06-01             none                                   no
//	C3 2024-03-31             2023-06-01                             yes
//	C4 2023-10-01             none of Stockport's (one of E08000006) no
//
// 5 referrals, 2 re-referrals: 40%.
//
//	episode of need closed  reason  hub contact after    stepped down  followed 12 months  referred again
//	C1 2023-07-01           RC9     -                    yes (RC9)     yes                 2024-06-01: yes
//	C2 2023-08-01           RC7     2023-10-15 (75 days) yes (hub)     yes                 no
//	C3 2023-09-01           RC7     2023-12-15 (105)     no
//	C4 2024-02-01           RC9     not linked           yes (RC9)     no (2025-02-01)     left out
//	C6 2023-04-01           RC9     -                    yes (RC9)     yes                 2024-04-01 (12 months to the day): yes
//	C8 2023-11-15           RC7     2023-11-15 (day 0)   yes (hub)     yes                 2024-11-20 (12 months and 5 days): no
//
// Not counted: C7's closure on 2023-03-31, before the period. Step-down: 4 followed, 2 re-referred
// (50%), 1 left out for short follow-up; closed to early help 2 of 2 (100%, 1 left out); a hub
// contact only 0 of 2.
func TestReReferral(t *testing.T) {
	db := tinyWarehouse(t,
		`INSERT INTO metadata VALUES ('synthetic_end', '2024-12-31'), ('record_key_salt', 're-referral test')`,
		`INSERT INTO contacts VALUES
			(1, DATE '2023-10-15', 'E08000007', 'E01000002', NULL, 'parenting', 'hub', 2, 2, NULL, '5-11'),
			(2, DATE '2023-12-15', 'E08000007', 'E01000002', NULL, 'parenting', 'hub', 3, 3, NULL, '5-11'),
			(3, DATE '2023-11-15', 'E08000007', 'E01000002', NULL, 'parenting', 'hub', 8, 8, NULL, '5-11')`,
		`INSERT INTO care_episodes VALUES
			('E08000007', 'C1', 1, 'referral', DATE '2022-06-01', NULL, NULL, 'E01000001', 'person id', 'synthetic'),
			('E08000007', 'C1', 1, 'referral', DATE '2023-05-01', NULL, NULL, 'E01000001', 'person id', 'synthetic'),
			('E08000007', 'C1', 1, 'in_need', DATE '2023-05-01', DATE '2023-07-01', 'RC9', 'E01000001', 'person id', 'synthetic'),
			('E08000007', 'C1', 1, 'referral', DATE '2024-06-01', NULL, NULL, 'E01000001', 'person id', 'synthetic'),
			('E08000007', 'C2', 2, 'referral', DATE '2022-04-30', NULL, NULL, 'E01000002', 'person id', 'synthetic'),
			('E08000007', 'C2', 2, 'referral', DATE '2023-05-01', NULL, NULL, 'E01000002', 'person id', 'synthetic'),
			('E08000007', 'C2', 2, 'in_need', DATE '2023-05-01', DATE '2023-08-01', 'RC7', 'E01000002', 'person id', 'synthetic'),
			('E08000007', 'C3', 3, 'referral', DATE '2023-06-01', NULL, NULL, 'E01000002', 'person id', 'synthetic'),
			('E08000007', 'C3', 3, 'in_need', DATE '2023-06-01', DATE '2023-09-01', 'RC7', 'E01000002', 'person id', 'synthetic'),
			('E08000007', 'C3', 3, 'referral', DATE '2024-03-31', NULL, NULL, 'E01000002', 'person id', 'synthetic'),
			('E08000006', 'C4', NULL, 'referral', DATE '2023-01-01', NULL, NULL, 'E01005000', NULL, 'synthetic'),
			('E08000007', 'C4', NULL, 'referral', DATE '2023-10-01', NULL, NULL, 'E01000001', NULL, 'synthetic'),
			('E08000007', 'C4', NULL, 'in_need', DATE '2023-10-01', DATE '2024-02-01', 'RC9', 'E01000001', NULL, 'synthetic'),
			('E08000007', 'C6', 6, 'referral', DATE '2022-09-01', NULL, NULL, 'E01000001', 'person id', 'synthetic'),
			('E08000007', 'C6', 6, 'in_need', DATE '2022-09-01', DATE '2023-04-01', 'RC9', 'E01000001', 'person id', 'synthetic'),
			('E08000007', 'C6', 6, 'referral', DATE '2024-04-01', NULL, NULL, 'E01000001', 'person id', 'synthetic'),
			('E08000007', 'C7', 7, 'in_need', DATE '2022-09-01', DATE '2023-03-31', 'RC9', 'E01000001', 'person id', 'synthetic'),
			('E08000007', 'C8', 8, 'referral', DATE '2023-01-01', NULL, NULL, 'E01000002', 'person id', 'synthetic'),
			('E08000007', 'C8', 8, 'in_need', DATE '2023-01-01', DATE '2023-11-15', 'RC7', 'E01000002', 'person id', 'synthetic'),
			('E08000007', 'C8', 8, 'referral', DATE '2024-11-20', NULL, NULL, 'E01000002', 'person id', 'synthetic')`)
	a := queries.Args{"council": "E08000007", "period_start": "2023-04-01", "period_end": "2024-03-31"}
	res, err := measures.Run(ctx, db, "re_referral", a, stats.Exact)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		measure, route       string
		cases, again, short  float64
		share                float64
		shortNull, shareNull bool
	}{
		{"re_referral", "all", 5, 2, 0, 40, true, false},
		{"step_down", "all", 4, 2, 1, 50, false, false},
		{"step_down", "closed to early help (RC9)", 2, 2, 1, 100, false, false},
		{"step_down", "hub contact only", 2, 0, 0, 0, false, false},
	}
	if len(res.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(res.Rows), len(want))
	}
	for i, w := range want {
		row := res.Rows[i]
		if res.Str(row, "measure") != w.measure || res.Str(row, "route") != w.route {
			t.Errorf("row %d: %s %s, want %s %s", i, res.Str(row, "measure"), res.Str(row, "route"), w.measure, w.route)
		}
		if c, a := num(t, row[res.MustCol("cases")]), num(t, row[res.MustCol("re_referred")]); c != w.cases || a != w.again {
			t.Errorf("%s %s: %v cases, %v re-referred; by hand %v, %v", w.measure, w.route, c, a, w.cases, w.again)
		}
		if s := row[res.MustCol("short_follow_up")]; (s == nil) != w.shortNull || (s != nil && num(t, s) != w.short) {
			t.Errorf("%s %s: %v left out for short follow-up, by hand %v", w.measure, w.route, s, w.short)
		}
		if s := num(t, row[res.MustCol("share_re_referred")]); s != w.share {
			t.Errorf("%s %s: %v%% re-referred, by hand %v", w.measure, w.route, s, w.share)
		}
		if end, _ := row[res.MustCol("follow_up_end")].(time.Time); !end.Equal(time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("follow-up ends %v, want 2024-12-31 (the data end)", row[res.MustCol("follow_up_end")])
		}
	}
	// Wilson's 95% limits of 2 of 5: 11.8% to 76.9%
	if lo, hi := num(t, res.Rows[0][res.MustCol("share_re_referred_lower")]), num(t, res.Rows[0][res.MustCol("share_re_referred_upper")]); measures.Round(lo, 1) != 11.8 || measures.Round(hi, 1) != 76.9 {
		t.Errorf("2 of 5: limits %v to %v, want 11.8 to 76.9", lo, hi)
	}
	checkShown(t, db, "re_referral", a, []string{"cases", "re_referred", "short_follow_up"},
		map[string][2]string{"share_re_referred": {"re_referred", "cases"}})
	// a council whose referrals are not held child by child: no follow-up end, nothing counted
	res, err = measures.Run(ctx, db, "re_referral", queries.Args{"council": "E08000010", "period_start": "2023-04-01", "period_end": "2024-03-31"}, stats.Exact)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range res.Rows {
		if num(t, row[res.MustCol("cases")]) != 0 || row[res.MustCol("follow_up_end")] != nil || row[res.MustCol("share_re_referred")] != nil {
			t.Errorf("E08000010, no care records: %v", row)
		}
	}
}

// Re-referral and step-down for every demo council (SYNTHETIC histories), 2023-24 (followed to
// the care records' end, 31 March 2025) and 2024-25 (whose closures mostly run past it), against
// the same counts worked here from the raw referrals, episodes and contacts.
func TestReReferralDemo(t *testing.T) {
	db := testdata.Warehouse(t)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, council := range demoCouncils {
		referrals := map[string][]time.Time{}
		rows, err := db.QueryContext(ctx, `SELECT care_id, start_date FROM care_episodes WHERE council_code = ? AND kind = 'referral'`, council)
		if err != nil {
			t.Fatal(err)
		}
		var last time.Time
		for rows.Next() {
			var id string
			var d time.Time
			if err := rows.Scan(&id, &d); err != nil {
				t.Fatal(err)
			}
			referrals[id] = append(referrals[id], d)
			if d.After(last) {
				last = d
			}
		}
		rows.Close()
		end := day(last.Year(), time.March, 31)
		if last.After(end) {
			end = end.AddDate(1, 0, 0)
		}
		if db.DataEnd.Before(end) {
			end = db.DataEnd
		}
		contacts := linkedContacts(t, ctx, db.DB, council)
		type closure struct {
			id     string
			person sql.NullInt64
			end    time.Time
			reason sql.NullString
		}
		var closures []closure
		rows, err = db.QueryContext(ctx, `SELECT care_id, person_id, end_date, end_reason FROM care_episodes
			WHERE council_code = ? AND kind = 'in_need' AND end_date IS NOT NULL`, council)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var c closure
			if err := rows.Scan(&c.id, &c.person, &c.end, &c.reason); err != nil {
				t.Fatal(err)
			}
			closures = append(closures, c)
		}
		rows.Close()
		for _, period := range []string{"2023-24", "2024-25"} {
			a := args(t, council, period)
			from, to := a["period_start"].(time.Time), a["period_end"].(time.Time)
			in := func(d time.Time) bool { return !d.Before(from) && !d.After(to) }
			// [cases, re-referred, short follow-up] by row
			got := map[string]*[3]float64{"re_referral/all": {}, "step_down/all": {}, "step_down/closed to early help (RC9)": {}, "step_down/hub contact only": {}}
			for _, ds := range referrals {
				for _, d := range ds {
					if !in(d) {
						continue
					}
					got["re_referral/all"][0]++
					for _, p := range ds {
						if p.Before(d) && !p.Before(d.AddDate(-1, 0, 0)) {
							got["re_referral/all"][1]++
							break
						}
					}
				}
			}
			for _, c := range closures {
				if !in(c.end) {
					continue
				}
				rc9 := c.reason.Valid && c.reason.String == "RC9"
				hub := false
				if c.person.Valid {
					for _, d := range contacts[c.person.Int64] {
						if !d.Before(c.end) && !d.After(c.end.AddDate(0, 0, 90)) {
							hub = true
						}
					}
				}
				if !rc9 && !hub {
					continue
				}
				route := "step_down/hub contact only"
				if rc9 {
					route = "step_down/closed to early help (RC9)"
				}
				for _, k := range []string{"step_down/all", route} {
					if c.end.AddDate(1, 0, 0).After(end) {
						got[k][2]++
						continue
					}
					got[k][0]++
					for _, d := range referrals[c.id] {
						if d.After(c.end) && !d.After(c.end.AddDate(1, 0, 0)) {
							got[k][1]++
							break
						}
					}
				}
			}
			res := run(t, "re_referral", a, stats.Exact)
			for _, row := range res.Rows {
				k := res.Str(row, "measure") + "/" + res.Str(row, "route")
				w := got[k]
				short := 0.0
				if s, ok := measures.Number(row[res.MustCol("short_follow_up")]); ok {
					short = s
				}
				if g := [3]float64{num(t, row[res.MustCol("cases")]), num(t, row[res.MustCol("re_referred")]), short}; w == nil || g != *w {
					t.Errorf("%s %s %s: cases, re-referred, short follow-up %v; worked here %v", council, period, k, g, w)
				}
			}
			all, down := res.Rows[0], res.Rows[1]
			t.Logf("%s %s: %v referrals, %v re-referrals (%v%%); step-down %v closures followed, %v re-referred (%v%%), %v left out", council, period,
				all[res.MustCol("cases")], all[res.MustCol("re_referred")], all[res.MustCol("share_re_referred")],
				down[res.MustCol("cases")], down[res.MustCol("re_referred")], down[res.MustCol("share_re_referred")], down[res.MustCol("short_follow_up")])
			if period == "2023-24" {
				if s := num(t, all[res.MustCol("share_re_referred")]); s < 5 || s > 40 || num(t, down[res.MustCol("cases")]) < 20 {
					t.Errorf("%s %s: %v%% re-referred, %v step-down closures followed: not plausible", council, period, s, down[res.MustCol("cases")])
				}
			}
			checkShown(t, db, "re_referral", a, []string{"cases", "re_referred", "short_follow_up"},
				map[string][2]string{"share_re_referred": {"re_referred", "cases"}})
		}
	}
}

// Link rates worked by hand, Stockport's code, 2024-25.
//
//	child  referrals in 2024-25                           linked
//	C1     2024-05-01 (person 1, person id)               person id
//	C2     2024-06-01 (person 2, linkage key)             linkage key
//	C3     2024-07-01, 2024-09-01 (not linked)            no: counted once
//	C4     2025-01-01 (person 4, person id)               person id
//	C5     2023-06-01 only (before the period)            -
//	C6     an episode in 2024-25, no referral in it       -
//
// and one of E08000006's: 4 children referred, 3 linked (75%), 2 by person id (50%), 1 by a
// linkage key (25%).
func TestLinkRates(t *testing.T) {
	db := tinyWarehouse(t,
		`INSERT INTO metadata VALUES ('synthetic_end', '2026-09-30'), ('record_key_salt', 'link test')`,
		`INSERT INTO care_episodes VALUES
			('E08000007', 'C1', 1, 'referral', DATE '2024-05-01', NULL, NULL, 'E01000001', 'person id', 'synthetic'),
			('E08000007', 'C2', 2, 'referral', DATE '2024-06-01', NULL, NULL, 'E01000001', 'linkage key', 'synthetic'),
			('E08000007', 'C3', NULL, 'referral', DATE '2024-07-01', NULL, NULL, 'E01000001', NULL, 'synthetic'),
			('E08000007', 'C3', NULL, 'referral', DATE '2024-09-01', NULL, NULL, 'E01000001', NULL, 'synthetic'),
			('E08000007', 'C4', 4, 'referral', DATE '2025-01-01', NULL, NULL, 'E01000001', 'person id', 'synthetic'),
			('E08000007', 'C5', 5, 'referral', DATE '2023-06-01', NULL, NULL, 'E01000001', 'person id', 'synthetic'),
			('E08000007', 'C6', 6, 'in_need', DATE '2024-06-01', NULL, NULL, 'E01000001', 'person id', 'synthetic'),
			('E08000006', 'X1', 7, 'referral', DATE '2024-06-01', NULL, NULL, 'E01005000', 'person id', 'synthetic')`)
	a := queries.Args{"council": "E08000007", "period_start": "2024-04-01", "period_end": "2025-03-31"}
	res, err := measures.Run(ctx, db, "link_rates", a, stats.Exact)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		method          string
		referred, links float64
		share           float64
	}{{"all", 4, 3, 75}, {"person id", 4, 2, 50}, {"linkage key", 4, 1, 25}}
	if len(res.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(res.Rows), len(want))
	}
	for i, w := range want {
		row := res.Rows[i]
		got := []float64{num(t, row[res.MustCol("children_referred")]), num(t, row[res.MustCol("children_linked")]), num(t, row[res.MustCol("share_linked")])}
		if res.Str(row, "link_method") != w.method || got[0] != w.referred || got[1] != w.links || got[2] != w.share {
			t.Errorf("%s: referred, linked, share %v; by hand %s %v, %v, %v", res.Str(row, "link_method"), got, w.method, w.referred, w.links, w.share)
		}
	}
	checkShown(t, db, "link_rates", a, []string{"children_referred", "children_linked"}, map[string][2]string{"share_linked": {"children_linked", "children_referred"}})
	// no referrals held: nothing referred, no share
	res, err = measures.Run(ctx, db, "link_rates", queries.Args{"council": "E08000010", "period_start": "2024-04-01", "period_end": "2025-03-31"}, stats.Exact)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range res.Rows {
		if num(t, row[res.MustCol("children_referred")]) != 0 || row[res.MustCol("share_linked")] != nil {
			t.Errorf("E08000010: %v", row)
		}
	}
}

// Link rates for every demo council, 2024-25 (SYNTHETIC: linked with probability
// synthetic.LinkShare where a hub child fits), against the children counted here from the raw
// referrals.
func TestLinkRatesDemo(t *testing.T) {
	db := testdata.Warehouse(t)
	for _, council := range demoCouncils {
		a := args(t, council, "2024-25")
		res := run(t, "link_rates", a, stats.Exact)
		linked := map[string]string{}
		rows, err := db.QueryContext(ctx, `SELECT care_id, coalesce(link_method, '') FROM care_episodes WHERE council_code = ? AND kind = 'referral'
			AND start_date BETWEEN DATE '2024-04-01' AND DATE '2025-03-31'`, council)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, m string
			if err := rows.Scan(&id, &m); err != nil {
				t.Fatal(err)
			}
			if m > linked[id] { // "person id" over "linkage key" over not linked
				linked[id] = m
			} else if _, ok := linked[id]; !ok {
				linked[id] = m
			}
		}
		rows.Close()
		count := map[string]float64{}
		for _, m := range linked {
			if m != "" {
				count["all"]++
				count[m]++
			}
		}
		for _, row := range res.Rows {
			m := res.Str(row, "link_method")
			if r, l := num(t, row[res.MustCol("children_referred")]), num(t, row[res.MustCol("children_linked")]); r != float64(len(linked)) || l != count[m] {
				t.Errorf("%s %s: %v referred, %v linked; counted here %d, %v", council, m, r, l, len(linked), count[m])
			}
		}
		share := num(t, res.Rows[0][res.MustCol("share_linked")])
		t.Logf("%s 2024-25: %d children referred, %v linked (%v%%)", council, len(linked), count["all"], share)
		if len(linked) < 100 || share <= 0 || share >= 100 {
			t.Errorf("%s: %d children referred, %v%% linked: not plausible", council, len(linked), share)
		}
		checkShown(t, db, "link_rates", a, []string{"children_referred", "children_linked"}, map[string][2]string{"share_linked": {"children_linked", "children_referred"}})
	}
}

// linkedContacts is each linked child's contact dates with the council's hubs, read plainly for
// the outcome questions' independent computations: the contacts of every person the council's
// care histories link to.
func linkedContacts(t *testing.T, ctx context.Context, db *sql.DB, council string) map[int64][]time.Time {
	t.Helper()
	contacts := map[int64][]time.Time{}
	rows, err := db.QueryContext(ctx, `SELECT child_id, contact_date FROM contacts WHERE council_code = ?
		AND child_id IN (SELECT person_id FROM care_episodes WHERE council_code = ? AND person_id IS NOT NULL)`, council, council)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var d time.Time
		if err := rows.Scan(&id, &d); err != nil {
			t.Fatal(err)
		}
		contacts[id] = append(contacts[id], d)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return contacts
}
