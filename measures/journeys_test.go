package measures_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

// The journeys question worked by hand on eight children, Stockport's code, cohort 2023-24;
// follow-up ends on 31 March 2026 (as TestStepUp), each child's window 730 days after the first
// contact unless cut short.
//
//	child  first contact  care records (start to end)                         journey
//	1      2023-04-01     referral 2023-05-01                                  hub > Referral > Closed
//	2      2023-06-01     referral 2023-05-15 (before: no), referral 2024-06-01,
//	                      in need 2024-06-10 to 2024-12-01                     hub > Referral > Child in need > Closed
//	3      2023-07-01     none                                                 hub > No referral
//	4      2023-09-01     referral 2024-02-01, aged 18 (window ends 2024-01-09) hub > No referral
//	5      2024-03-01     referral 2024-03-31, in need 2024-04-05 (open), plan 2024-05-01 to
//	                      2024-11-01, looked after 2024-12-01 (open)           hub > Referral > Child in need > Protection plan > Looked after > Still open
//	6      2023-10-01     referral 2025-11-01 (after the window, 2025-09-30)   hub > No referral
//	7      2023-05-01     referral 2023-06-01, looked after 2023-07-01 to 2024-01-01
//	                                                                           hub > Referral > Looked after > Closed
//	8      2023-08-01     referral 2023-09-01, in need 2023-09-05 to 2026-01-01 (after the
//	                      window's end, 2025-07-31)                            hub > Referral > Child in need > Still open
//
// Flows: hub to Referral 5 (1, 2, 5, 7, 8), to No referral 3; Referral to Child in need 3, to
// Looked after 1, to Closed 1; Child in need to Protection plan 1, to Closed 1, to Still open 1;
// Protection plan to Looked after 1; Looked after to Closed 1, to Still open 1; the other five
// flows none. Into each stage as many as out of it.
func TestJourneys(t *testing.T) {
	db := tinyWarehouse(t,
		`INSERT INTO metadata VALUES ('synthetic_end', '2026-09-30'), ('record_key_salt', 'journeys test')`,
		`INSERT INTO people VALUES (1, 1, 'child', 'F', DATE '2015-01-01', false, NULL), (2, 2, 'child', 'M', DATE '2015-01-01', false, NULL),
			(3, 3, 'child', 'F', DATE '2015-01-01', false, NULL), (4, 4, 'child', 'M', DATE '2006-01-10', false, NULL),
			(5, 5, 'child', 'F', DATE '2015-01-01', false, NULL), (6, 6, 'child', 'M', DATE '2023-01-15', false, NULL),
			(7, 7, 'child', 'F', DATE '2015-01-01', false, NULL), (8, 8, 'child', 'M', DATE '2015-01-01', false, NULL)`,
		`INSERT INTO contacts VALUES
			(1, DATE '2023-04-01', 'E08000007', 'E01005891', NULL, 'parenting', 'hub', 1, 1, NULL, '5-11'),
			(2, DATE '2023-06-01', 'E08000007', 'E01005891', NULL, 'parenting', 'hub', 2, 2, NULL, '5-11'),
			(3, DATE '2023-07-01', 'E08000007', 'E01005891', NULL, 'parenting', 'hub', 3, 3, NULL, '5-11'),
			(4, DATE '2023-09-01', 'E08000007', 'E01005891', NULL, 'youth_work', 'hub', 4, 4, NULL, '12-19'),
			(5, DATE '2024-03-01', 'E08000007', 'E01005891', NULL, 'parenting', 'hub', 5, 5, NULL, '5-11'),
			(6, DATE '2022-12-01', 'E08000007', 'E01005891', NULL, 'midwifery_antenatal', 'hub', 6, 6, NULL, '0-2'),
			(7, DATE '2023-10-01', 'E08000007', 'E01005891', NULL, 'infant_feeding', 'hub', 6, 6, NULL, '0-2'),
			(8, DATE '2023-05-01', 'E08000007', 'E01005891', NULL, 'parenting', 'hub', 7, 7, NULL, '5-11'),
			(9, DATE '2023-08-01', 'E08000007', 'E01005891', NULL, 'parenting', 'hub', 8, 8, NULL, '5-11')`,
		`INSERT INTO care_episodes VALUES
			('E08000007', 'C1', 1, 'referral', DATE '2023-05-01', NULL, NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C2', 2, 'referral', DATE '2023-05-15', NULL, NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C2', 2, 'referral', DATE '2024-06-01', NULL, NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C2', 2, 'in_need', DATE '2024-06-10', DATE '2024-12-01', NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C4', 4, 'referral', DATE '2024-02-01', NULL, NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C5', 5, 'referral', DATE '2024-03-31', NULL, NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C5', 5, 'in_need', DATE '2024-04-05', NULL, NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C5', 5, 'protection_plan', DATE '2024-05-01', DATE '2024-11-01', NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C5', 5, 'looked_after', DATE '2024-12-01', NULL, NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C6', 6, 'referral', DATE '2025-11-01', NULL, NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C7', 7, 'referral', DATE '2023-06-01', NULL, NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C7', 7, 'looked_after', DATE '2023-07-01', DATE '2024-01-01', NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C8', 8, 'referral', DATE '2023-09-01', NULL, NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C8', 8, 'in_need', DATE '2023-09-05', DATE '2026-01-01', NULL, 'E01005891', 'person id', 'synthetic'),
			('E08000007', 'C9', NULL, 'referral', DATE '2025-06-01', NULL, NULL, 'E01005891', NULL, 'synthetic')`)
	a := queries.Args{"council": "E08000007", "period_start": "2023-04-01", "period_end": "2024-03-31"}
	res, err := measures.Run(ctx, db, "journeys", a, stats.Exact)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Family hub>Referral 5", "Family hub>No referral 3",
		"Referral>Child in need 3", "Referral>Protection plan 0", "Referral>Looked after 1", "Referral>Closed 1", "Referral>Still open 0",
		"Child in need>Protection plan 1", "Child in need>Looked after 0", "Child in need>Closed 1", "Child in need>Still open 1",
		"Protection plan>Looked after 1", "Protection plan>Closed 0", "Protection plan>Still open 0",
		"Looked after>Closed 1", "Looked after>Still open 1",
	}
	if got := flows(res); strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("flows\n %s\nby hand\n %s", strings.Join(got, ", "), strings.Join(want, ", "))
	}
	if c := strings.Join(res.Columns, ","); c != "source,target,children" {
		t.Errorf("columns %s", c)
	}
	// protected: every path here is taken by 5 or fewer children, so none is drawn
	for _, p := range []stats.Policy{stats.DfE, stats.NHS} {
		res, err := measures.Run(ctx, db, "journeys", a, p)
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range res.Rows {
			// a none stays none; a 1 may be shown as none (the perturbation table), else as the symbol
			none := strings.HasSuffix(want[i], " 0")
			s, hidden := row[2].(stats.Suppressed)
			if n, _ := measures.Number(row[2]); none && (hidden || n != 0) || !none && (hidden && s.Symbol != p.Symbol || !hidden && n != 0) {
				t.Errorf("%s: %s shown as %v", p.Name, want[i], row[2])
			}
		}
	}
}

// flows are an answer's rows as "source>target children".
func flows(res *queries.Result) []string {
	var out []string
	for _, row := range res.Rows {
		out = append(out, fmt.Sprintf("%s>%s %s", queries.Text(row[0]), queries.Text(row[1]), queries.Text(row[2])))
	}
	return out
}

// Every demo council's 2023-24 journeys against a plain computation here: each cohort child's
// first contact, birth date and care records read from the raw tables and walked through the
// stages in Go; the flows into each stage add up to the flows out of it; and the children who
// leave the hub are step_up's cohort.
func TestJourneysDemo(t *testing.T) {
	db := testdata.Warehouse(t)
	for _, council := range demoCouncils {
		a := args(t, council, "2023-24")
		res := run(t, "journeys", a, stats.Exact)
		var end sql.NullTime
		if err := db.QueryRowContext(ctx, `SELECT least((SELECT value::DATE FROM metadata WHERE key = 'synthetic_end'),
			make_date(fy_year(max(start_date)) + 1, 3, 31)) FROM care_episodes WHERE council_code = ? AND kind = 'referral'`, council).Scan(&end); err != nil {
			t.Fatal(err)
		}
		type episode struct {
			kind       string
			start, end time.Time
			open       bool
		}
		type child struct {
			first, last time.Time
			episodes    []episode
		}
		children := map[int64]*child{}
		rows, err := db.QueryContext(ctx, `
			SELECT c.child_id, min(c.contact_date), any_value(p.birth_date)
			FROM contacts c JOIN people p ON p.person_id = c.child_id
			WHERE c.council_code = ? AND c.age_band <> '20-25' AND c.contact_date >= p.birth_date
			GROUP BY c.child_id HAVING min(c.contact_date) BETWEEN DATE '2023-04-01' AND DATE '2024-03-31'`, council)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			var first, born time.Time
			if err := rows.Scan(&id, &first, &born); err != nil {
				t.Fatal(err)
			}
			last := first.AddDate(0, 0, 730)
			if b := born.AddDate(18, 0, -1); b.Before(last) {
				last = b
			}
			if end.Valid && end.Time.Before(last) {
				last = end.Time
			}
			if end.Valid && !first.After(last) {
				children[id] = &child{first: first, last: last}
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows, err = db.QueryContext(ctx, `SELECT person_id, kind, start_date, end_date FROM care_episodes
			WHERE council_code = ? AND person_id IS NOT NULL ORDER BY start_date`, council)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			var e episode
			var ended sql.NullTime
			if err := rows.Scan(&id, &e.kind, &e.start, &ended); err != nil {
				t.Fatal(err)
			}
			e.end, e.open = ended.Time, !ended.Valid
			if c := children[id]; c != nil && !e.start.Before(c.first) && !e.start.After(c.last) {
				c.episodes = append(c.episodes, e)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		counted := map[string]int{}
		for _, c := range children {
			var referred time.Time
			for _, e := range c.episodes {
				if e.kind == "referral" {
					referred = e.start
					break
				}
			}
			if referred.IsZero() {
				counted["Family hub>No referral"]++
				continue
			}
			path, since := []string{"Family hub", "Referral"}, referred
			for _, s := range []struct{ kind, stage string }{{"in_need", "Child in need"}, {"protection_plan", "Protection plan"}, {"looked_after", "Looked after"}} {
				for _, e := range c.episodes {
					if e.kind == s.kind && !e.start.Before(since) {
						path, since = append(path, s.stage), e.start
						break
					}
				}
			}
			last := "Closed"
			for _, e := range c.episodes {
				if e.kind != "referral" && !e.start.Before(referred) && (e.open || e.end.After(c.last)) {
					last = "Still open"
				}
			}
			path = append(path, last)
			for i := 0; i+1 < len(path); i++ {
				counted[path[i]+">"+path[i+1]]++
			}
		}
		in, out := map[string]float64{}, map[string]float64{}
		for _, row := range res.Rows {
			src, dst, n := queries.Text(row[0]), queries.Text(row[1]), num(t, row[2])
			if n != float64(counted[src+">"+dst]) {
				t.Errorf("%s: %s > %s %v children, worked here %d", council, src, dst, n, counted[src+">"+dst])
			}
			delete(counted, src+">"+dst)
			in[dst] += n
			out[src] += n
		}
		for k, n := range counted {
			t.Errorf("%s: %d children went %s, not a flow of the answer", council, n, k)
		}
		for _, s := range []string{"Referral", "Child in need", "Protection plan", "Looked after"} {
			if in[s] != out[s] {
				t.Errorf("%s: %v into %s, %v out", council, in[s], s, out[s])
			}
		}
		su := run(t, "step_up", a, stats.Exact)
		if cohort := num(t, su.Rows[0][su.MustCol("cohort")]); cohort != out["Family hub"] || cohort == 0 {
			t.Errorf("%s: %v children leave the hub, step_up's cohort is %v", council, out["Family hub"], cohort)
		}
		t.Logf("%s: %v children, %v referred, %v in need, %v on a plan, %v looked after", council, out["Family hub"], in["Referral"],
			in["Child in need"], in["Protection plan"], in["Looked after"])
		// protected: no flow of 1 to 5 is drawn
		for _, row := range run(t, "journeys", a, stats.DfE).Rows {
			if n, ok := measures.Number(row[2]); ok && n > 0 && n <= 5 {
				t.Errorf("%s DfE: %v", council, row)
			}
		}
	}
}
