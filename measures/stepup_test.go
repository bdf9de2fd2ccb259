package measures_test

import (
	"database/sql"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

// tinyWarehouse is an empty warehouse (warehouse/schema.sql, the real tables and macros) in
// memory, holding only the rows a test writes.
func tinyWarehouse(t *testing.T, inserts ...string) *sql.DB {
	t.Helper()
	schema, err := os.ReadFile("../warehouse/schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1) // one in-memory database, one connection
	t.Cleanup(func() { db.Close() })
	for _, s := range append([]string{string(schema)}, inserts...) {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%.200s: %v", s, err)
		}
	}
	return db
}

// The step-up question worked by hand on six children, Stockport's code, cohort 2023-24.
//
// The data end (synthetic_end) is 30 September 2026, but the care records' last referral (an
// unlinked child's, 1 June 2025) is in 2025-26, so follow-up ends on 31 March 2026.
//
//	child  born        first contact  referrals                     followed to  days  event
//	1      2015-01-01  2023-04-01     2023-05-01                    2023-05-01     30  yes
//	2      2015-01-01  2023-06-01     2023-05-15 (before: no), 2024-06-01
//	                                                                2024-06-01    366  yes
//	3      2015-01-01  2023-07-01     none                          2026-03-31   1004  censored
//	4      2006-01-10  2023-09-01     2024-02-01 (aged 18: no)      2024-01-09    130  censored (18th birthday)
//	5      2015-01-01  2024-03-01     2024-03-31                    2024-03-31     30  yes
//	6      2023-01-15  2023-10-01     none (a contact before birth, 2022-12-01, is not the first)
//	                                                                2026-03-31    912  censored
//
// Not in the cohort: child 7 (first contact 2023-03-15, before the period, seen again in it),
// child 8 (contacts in other councils: E08000010 holds no referrals child by child, so no one
// there is followed), and child 1's referral by another council does not count. Kaplan-Meier: day 30, 2 of 6 referred, S = 4/6; day 130, child 4 censored; day 366, 1
// of 3 still followed referred, S = 4/6 x 2/3 = 4/9. Greenwood's sum: 2/(6x4) = 1/12 by day
// 30, + 1/(3x2) = 1/4 by day 366. Log-log limits, S^exp(+-z sqrt(V)/|log S|), z = 1.959964:
//
//	6 months (182 days): F = 1/3 = 33.3%, k = exp(1.959964 x 0.288675 / 0.405465) = 4.03666,
//	  1 - (2/3)^(1/k) = 9.6%, 1 - (2/3)^k = 80.5%; 99.8% (z = 3.090232): 4.4% to 97.4%;
//	  cohort 6, still followed 3 (children 2, 3, 6), referred 2.
//	12 months (365 days): the same (child 2's referral is on day 366), still followed 3.
//	24 months (730 days): F = 5/9 = 55.6%, 21.5% to 93.4% (99.8%: 11.4% to 99.6%); still
//	  followed 2 (children 3 and 6), referred 3. Counting child 4 as never referred would
//	  give 3/6 = 50%: the censoring is what Kaplan-Meier handles.
func TestStepUp(t *testing.T) {
	db := tinyWarehouse(t,
		`INSERT INTO metadata VALUES ('synthetic_end', '2026-09-30'), ('record_key_salt', 'step-up test')`,
		`INSERT INTO people VALUES (1, 1, 'child', 'F', DATE '2015-01-01', false, NULL), (2, 2, 'child', 'M', DATE '2015-01-01', false, NULL),
			(3, 3, 'child', 'F', DATE '2015-01-01', false, NULL), (4, 4, 'child', 'M', DATE '2006-01-10', false, NULL),
			(5, 5, 'child', 'F', DATE '2015-01-01', false, NULL), (6, 6, 'child', 'M', DATE '2023-01-15', false, NULL),
			(7, 7, 'child', 'F', DATE '2015-01-01', false, NULL), (8, 8, 'child', 'M', DATE '2015-01-01', false, NULL)`,
		`INSERT INTO contacts VALUES
			(1, DATE '2023-04-01', 'E08000007', 'E01005891', NULL, 'parenting', 'hub', 1, 1, NULL, '5-11'),
			(2, DATE '2023-08-01', 'E08000007', 'E01005891', NULL, 'parenting', 'hub', 1, 1, NULL, '5-11'),
			(3, DATE '2023-06-01', 'E08000007', 'E01005891', NULL, 'parenting', 'hub', 2, 2, NULL, '5-11'),
			(4, DATE '2023-07-01', 'E08000007', 'E01005891', NULL, 'parenting', 'hub', 3, 3, NULL, '5-11'),
			(5, DATE '2023-09-01', 'E08000007', 'E01005891', NULL, 'youth_work', 'hub', 4, 4, NULL, '12-19'),
			(6, DATE '2024-03-01', 'E08000007', 'E01005891', NULL, 'parenting', 'hub', 5, 5, NULL, '5-11'),
			(7, DATE '2022-12-01', 'E08000007', 'E01005891', NULL, 'midwifery_antenatal', 'hub', 6, 6, NULL, '0-2'),
			(8, DATE '2023-10-01', 'E08000007', 'E01005891', NULL, 'infant_feeding', 'hub', 6, 6, NULL, '0-2'),
			(9, DATE '2023-03-15', 'E08000007', 'E01005891', NULL, 'parenting', 'hub', 7, 7, NULL, '5-11'),
			(10, DATE '2023-05-01', 'E08000007', 'E01005891', NULL, 'parenting', 'hub', 7, 7, NULL, '5-11'),
			(11, DATE '2023-05-01', 'E08000006', 'E01005000', NULL, 'parenting', 'hub', 8, 8, NULL, '5-11'),
			(12, DATE '2023-05-01', 'E08000010', 'E01006000', NULL, 'parenting', 'hub', 8, 8, NULL, '5-11')`,
		`INSERT INTO care_episodes VALUES
			('E08000007', 'C1', 1, 'referral', DATE '2023-05-01', NULL, NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000006', 'X1', 1, 'referral', DATE '2023-04-20', NULL, NULL, 'E01005000', 'person id', 'synthetic'),
			('E08000007', 'C2', 2, 'referral', DATE '2023-05-15', NULL, NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C2', 2, 'in_need', DATE '2023-05-15', DATE '2023-09-01', 'RC9', 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C2', 2, 'referral', DATE '2024-06-01', NULL, NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C4', 4, 'referral', DATE '2024-02-01', NULL, NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C5', 5, 'referral', DATE '2024-03-31', NULL, NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C5', 5, 'referral', DATE '2024-05-31', NULL, NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C7', 7, 'referral', DATE '2023-06-01', NULL, NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C9', NULL, 'referral', DATE '2025-06-01', NULL, NULL, 'E01005891', NULL, 'synthetic')`)
	a := queries.Args{"council": "E08000007", "period_start": "2023-04-01", "period_end": "2024-03-31"}
	res, err := measures.Run(ctx, db, "step_up", a, stats.Exact)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		months                    int
		cohort, followed, events  float64
		est, lo, hi, lo998, hi998 float64
	}{
		{6, 6, 3, 2, 33.3, 9.6, 80.5, 4.4, 97.4},
		{12, 6, 3, 2, 33.3, 9.6, 80.5, 4.4, 97.4},
		{24, 6, 2, 3, 55.6, 21.5, 93.4, 11.4, 99.6},
	}
	if len(res.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(res.Rows), len(want))
	}
	for i, w := range want {
		row := res.Rows[i]
		got := func(col string) float64 { return num(t, row[res.MustCol(col)]) }
		if got("months") != float64(w.months) || got("cohort") != w.cohort || got("followed") != w.followed || got("events") != w.events {
			t.Errorf("%d months: months %v, cohort %v, followed %v, events %v; by hand %d, %v, %v, %v",
				w.months, got("months"), got("cohort"), got("followed"), got("events"), w.months, w.cohort, w.followed, w.events)
		}
		for col, v := range map[string]float64{"cumulative_incidence": w.est, "cumulative_incidence_lower": w.lo, "cumulative_incidence_upper": w.hi,
			"cumulative_incidence_lower_998": w.lo998, "cumulative_incidence_upper_998": w.hi998} {
			if got(col) != v {
				t.Errorf("%d months: %s %v, by hand %v", w.months, col, got(col), v)
			}
		}
		if end, _ := row[res.MustCol("follow_up_end")].(time.Time); !end.Equal(time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("follow-up ends %v, want 2026-03-31 (the care records' last financial year)", row[res.MustCol("follow_up_end")])
		}
	}
	for _, c := range []string{"curve_days", "curve_events", "curve_censored", "cohort_ckey", "events_ckey", "followed_ckey"} {
		if res.Col(c) >= 0 {
			t.Errorf("the answer still has %s", c)
		}
	}
	// the counts per day leave the question, not the answer; exactly as worked above
	q, _ := queries.Get("step_up")
	raw, err := q.Run(ctx, db, a)
	if err != nil {
		t.Fatal(err)
	}
	if s := queries.Text(raw.Rows[0][raw.MustCol("curve_days")]) + " " + queries.Text(raw.Rows[0][raw.MustCol("curve_events")]) + " " +
		queries.Text(raw.Rows[0][raw.MustCol("curve_censored")]); s != "[30 130 366 912 1004] [2 0 1 0 0] [0 1 0 1 1]" {
		t.Errorf("counts per day %s", s)
	}
	// protected: six children are too few for any estimate to be shown
	for _, p := range []stats.Policy{stats.DfE, stats.NHS} {
		res, err := measures.Run(ctx, db, "step_up", a, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range res.Rows {
			for _, c := range []string{"cumulative_incidence", "cumulative_incidence_lower", "cumulative_incidence_upper"} {
				if s, ok := row[res.MustCol(c)].(stats.Suppressed); !ok || s.Symbol != p.Symbol {
					t.Errorf("%s: %s months %s = %v, want %s", p.Name, queries.Text(row[0]), c, row[res.MustCol(c)], p.Symbol)
				}
			}
		}
	}
	// a council whose referrals are not held child by child: no one is followed, and it says so
	// (not "no one referred")
	res, err = measures.Run(ctx, db, "step_up", queries.Args{"council": "E08000010", "period_start": "2023-04-01", "period_end": "2024-03-31"}, stats.Exact)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range res.Rows {
		if num(t, row[res.MustCol("cohort")]) != 0 || row[res.MustCol("cumulative_incidence")] != nil || row[res.MustCol("follow_up_end")] != nil {
			t.Errorf("E08000010, no care records: %v", row)
		}
	}
	if !strings.Contains(strings.Join(res.Notes, " "), "holds none of the council's referrals") {
		t.Errorf("E08000010: notes %q", res.Notes)
	}
	// a period with no first contacts: a cohort of none, and no estimate
	res, err = measures.Run(ctx, db, "step_up", queries.Args{"council": "E08000007", "period_start": "2021-04-01", "period_end": "2022-03-31"}, stats.Exact)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range res.Rows {
		if num(t, row[res.MustCol("cohort")]) != 0 || row[res.MustCol("cumulative_incidence")] != nil {
			t.Errorf("2021-22: %v", row)
		}
	}
}

// Stockport's 2023-24 cohort in the demo warehouse (SYNTHETIC histories), against the same
// estimate worked independently here: each child's first contact, birth date and first referral
// on or after it read from raw contacts, people and care_episodes, and the product-limit
// estimate, Greenwood's variance and the log-log limits computed in this test.
func TestStepUpStockport(t *testing.T) {
	db := testdata.Warehouse(t)
	a := args(t, "E08000007", "2023-24")
	res := run(t, "step_up", a, stats.Exact)
	var careEnd time.Time
	if err := db.QueryRowContext(ctx, `SELECT max(start_date) FROM care_episodes WHERE council_code = 'E08000007' AND kind = 'referral'`).Scan(&careEnd); err != nil {
		t.Fatal(err)
	}
	// the records cover whole financial years: to the 31 March after their last referral
	end := time.Date(careEnd.Year(), time.March, 31, 0, 0, 0, 0, time.UTC)
	if careEnd.After(end) {
		end = end.AddDate(1, 0, 0)
	}
	if db.DataEnd.Before(end) {
		end = db.DataEnd
	}
	rows, err := db.QueryContext(ctx, `
		WITH first AS (
			SELECT c.child_id, min(c.contact_date) AS first_contact, any_value(p.birth_date) AS born
			FROM contacts c JOIN people p ON p.person_id = c.child_id
			WHERE c.council_code = 'E08000007' AND c.age_band <> '20-25' AND c.contact_date >= p.birth_date
			GROUP BY c.child_id
		)
		SELECT f.child_id, f.first_contact, f.born,
		       (SELECT min(r.start_date) FROM care_episodes r WHERE r.council_code = 'E08000007' AND r.kind = 'referral'
		         AND r.person_id = f.child_id AND r.start_date >= f.first_contact)
		FROM first f WHERE f.first_contact BETWEEN DATE '2023-04-01' AND DATE '2024-03-31'`)
	if err != nil {
		t.Fatal(err)
	}
	type child struct {
		days  int
		event bool
	}
	var cohort []child
	for rows.Next() {
		var id int64
		var first, born time.Time
		var ref sql.NullTime
		if err := rows.Scan(&id, &first, &born, &ref); err != nil {
			t.Fatal(err)
		}
		last := born.AddDate(18, 0, -1)
		if end.Before(last) {
			last = end
		}
		if first.After(last) {
			continue
		}
		c := child{days: int(last.Sub(first).Hours() / 24)}
		if ref.Valid && !ref.Time.After(last) {
			c = child{days: int(ref.Time.Sub(first).Hours() / 24), event: true}
		}
		cohort = append(cohort, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	// product limit by hand: at each day, those followed to at least that day are at risk
	km := func(horizon int) (f, lo, hi float64, events, followed int) {
		s, v := 1.0, 0.0
		for day := 0; day <= horizon; day++ {
			n, d := 0, 0
			for _, c := range cohort {
				if c.days >= day {
					n++
					if c.days == day && c.event {
						d++
					}
				}
			}
			if d > 0 {
				s *= 1 - float64(d)/float64(n)
				v += float64(d) / float64(n*(n-d))
			}
			events += d
		}
		for _, c := range cohort {
			if c.days >= horizon {
				followed++
			}
		}
		k := math.Exp(1.959963984540054 * math.Sqrt(v) / -math.Log(s))
		return 100 * (1 - s), 100 * (1 - math.Pow(s, 1/k)), 100 * (1 - math.Pow(s, k)), events, followed
	}
	for i, h := range []int{182, 365} {
		f, lo, hi, events, followed := km(h)
		row := res.Rows[i]
		got := func(col string) float64 { return num(t, row[res.MustCol(col)]) }
		if got("days") != float64(h) || got("cohort") != float64(len(cohort)) || got("events") != float64(events) || got("followed") != float64(followed) {
			t.Errorf("%d days: cohort %v, events %v, followed %v; worked here %d, %d, %d", h, got("cohort"), got("events"), got("followed"), len(cohort), events, followed)
		}
		for col, v := range map[string]float64{"cumulative_incidence": f, "cumulative_incidence_lower": lo, "cumulative_incidence_upper": hi} {
			if math.Abs(got(col)-v) > 0.05+1e-9 {
				t.Errorf("%d days: %s %v, worked here %.3f", h, col, got(col), v)
			}
		}
		t.Logf("%d days: %v of %v referred, %v still followed: %.2f%% (%.2f to %.2f)", h, events, len(cohort), followed, f, lo, hi)
	}
	// plausible and not trivial (the synthetic histories are regenerated as the model changes,
	// so the values are worked above rather than written down): thousands of children, a few in
	// a hundred referred by 6 months, more by 12
	six, twelve := num(t, res.Rows[0][res.MustCol("cumulative_incidence")]), num(t, res.Rows[1][res.MustCol("cumulative_incidence")])
	if n := num(t, res.Rows[0][res.MustCol("cohort")]); n < 1000 || six < 0.5 || six > 30 || twelve <= six || twelve > 50 {
		t.Errorf("a cohort of %v, %v%% referred by 6 months and %v%% by 12: not plausible", n, six, twelve)
	}
	// follow-up ends with the care records, 31 March 2025: by 24 months only children first seen
	// on 1 April 2023 are still followed, too few to show under any policy
	if n := num(t, res.Rows[2][res.MustCol("followed")]); n > 5 {
		t.Errorf("24 months: %v still followed", n)
	}

	// protected: each count is its cell, perturbed by its cell key as every count of children is,
	// and the estimate is worked from the counts shown
	q, _ := queries.Get("step_up")
	exact, err := q.Run(ctx, db, a)
	if err != nil {
		t.Fatal(err)
	}
	dfe := run(t, "step_up", a, stats.DfE)
	for i, row := range dfe.Rows {
		for _, c := range []string{"cohort", "followed", "events"} {
			n, _ := measures.Number(exact.Rows[i][exact.MustCol(c)])
			key, _ := stats.CellKey(exact.Rows[i][exact.MustCol(c+"_ckey")])
			if want := stats.DefaultPTable.Perturb(int64(n), key); num(t, row[dfe.MustCol(c)]) != float64(want) {
				t.Errorf("dfe row %d: %s shown %v, the cell key method gives %d (true %v)", i, c, row[dfe.MustCol(c)], want, n)
			}
		}
	}
	for i := range 2 {
		shown := num(t, dfe.Rows[i][dfe.MustCol("cumulative_incidence")])
		n, d := num(t, dfe.Rows[i][dfe.MustCol("cohort")]), num(t, dfe.Rows[i][dfe.MustCol("events")])
		exactEst := num(t, res.Rows[i][res.MustCol("cumulative_incidence")])
		if math.Abs(shown-exactEst) > 0.2 {
			t.Errorf("dfe row %d: %v%% against %v%% exact", i, shown, exactEst)
		}
		// censoring moves it a little above events / cohort (of the counts shown), never below
		if naive := 100 * d / n; shown < measures.Round(naive, 1) || shown > naive+1 {
			t.Errorf("dfe row %d: %v%% shown, %v of %v shown give %.2f%%", i, shown, d, n, naive)
		}
	}
	if s, ok := dfe.Rows[2][dfe.MustCol("cumulative_incidence")].(stats.Suppressed); !ok || s.Symbol != "c" {
		t.Errorf("dfe 24 months: %v, want c (too few still followed)", dfe.Rows[2][dfe.MustCol("cumulative_incidence")])
	}
}
