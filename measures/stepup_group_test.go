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

// step_up_by_group worked by hand: TestStepUp's six children, children 1, 2 and 3 living in
// North (IDACI quintile 1) and children 4, 5 and 6 in South (quintile 3) at their first contact.
//
//	North, quintile 1 (children 1, 2, 3): day 30 child 1 referred, 1 of 3 (S = 2/3); day 366
//	  child 2 referred, 1 of the 2 still followed (S = 1/3); child 3 censored on day 1004.
//	  6 and 12 months: F = 33.3%, Greenwood 1/(3x2) = 1/6, k = exp(1.959964 x 0.408248 /
//	  0.405465) = 7.1949, limits 1 - (2/3)^(1/k) = 5.5% to 1 - (2/3)^k = 94.6% (99.8%: 1.8% to
//	  100.0%); cohort 3, still followed 2, referred 1.
//	  24 months: F = 66.7%, Greenwood 1/6 + 1/(2x1) = 2/3, limits 22.6% to 99.1% (99.8%: 10.5% to
//	  100.0%); still followed 1, referred 2.
//	South, quintile 3 (children 4, 5, 6): day 30 child 5 referred, 1 of 3 (S = 2/3); child 4
//	  censored on day 130, child 6 on day 912: 33.3% (5.5% to 94.6%) at 6, 12 and 24 months, still
//	  followed 1 (child 6), referred 1.
//	Age band 5-11 and service parenting (children 1, 2, 3, 5): 2 of 4 on day 30 (S = 1/2), 1 of 2
//	  on day 366 (S = 1/4): 50% at 6 and 12 months (still followed 2), 75% at 24 (still followed 1).
//	Age band 0-2 and infant_feeding (child 6, never referred): 0%, still followed 1.
//	Age band 12-19 and youth_work (child 4, censored on day 130): no one followed to 6 months, no
//	  estimate.
//	Quintiles 2, 4, 5 and age band 3-4: no children, no estimate.
func TestStepUpByGroup(t *testing.T) {
	inserts := append([]string{
		`INSERT INTO metadata VALUES ('synthetic_end', '2026-09-30'), ('record_key_salt', 'step-up test')`,
		`INSERT INTO people VALUES (1, 1, 'child', 'F', DATE '2015-01-01', false, NULL), (2, 2, 'child', 'M', DATE '2015-01-01', false, NULL),
			(3, 3, 'child', 'F', DATE '2015-01-01', false, NULL), (4, 4, 'child', 'M', DATE '2006-01-10', false, NULL),
			(5, 5, 'child', 'F', DATE '2015-01-01', false, NULL), (6, 6, 'child', 'M', DATE '2023-01-15', false, NULL)`,
		`INSERT INTO contacts VALUES
			(1, DATE '2023-04-01', 'E08000007', 'E01000001', NULL, 'parenting', 'hub', 1, 1, NULL, '5-11'),
			(2, DATE '2023-08-01', 'E08000007', 'E01000002', NULL, 'youth_work', 'hub', 1, 1, NULL, '12-19'),
			(3, DATE '2023-06-01', 'E08000007', 'E01000001', NULL, 'parenting', 'hub', 2, 2, NULL, '5-11'),
			(4, DATE '2023-07-01', 'E08000007', 'E01000001', NULL, 'parenting', 'hub', 3, 3, NULL, '5-11'),
			(5, DATE '2023-09-01', 'E08000007', 'E01000002', NULL, 'youth_work', 'hub', 4, 4, NULL, '12-19'),
			(6, DATE '2024-03-01', 'E08000007', 'E01000002', NULL, 'parenting', 'hub', 5, 5, NULL, '5-11'),
			(7, DATE '2022-12-01', 'E08000007', 'E01000001', NULL, 'midwifery_antenatal', 'hub', 6, 6, NULL, '0-2'),
			(8, DATE '2023-10-01', 'E08000007', 'E01000002', NULL, 'infant_feeding', 'hub', 6, 6, NULL, '0-2')`,
		`INSERT INTO care_episodes VALUES
			('E08000007', 'C1', 1, 'referral', DATE '2023-05-01', NULL, NULL, 'E01000001', 'person id', 'synthetic'),
			('E08000007', 'C2', 2, 'referral', DATE '2023-05-15', NULL, NULL, 'E01000001', 'person id', 'synthetic'),
			('E08000007', 'C2', 2, 'referral', DATE '2024-06-01', NULL, NULL, 'E01000001', 'person id', 'synthetic'),
			('E08000007', 'C4', 4, 'referral', DATE '2024-02-01', NULL, NULL, 'E01000002', 'person id', 'synthetic'),
			('E08000007', 'C5', 5, 'referral', DATE '2024-03-31', NULL, NULL, 'E01000002', 'person id', 'synthetic'),
			('E08000007', 'C9', NULL, 'referral', DATE '2025-06-01', NULL, NULL, 'E01000002', NULL, 'synthetic')`,
	}, outcomeNeighbourhoods...)
	db := tinyWarehouse(t, inserts...)
	a := queries.Args{"council": "E08000007", "period_start": "2023-04-01", "period_end": "2024-03-31"}
	res, err := measures.Run(ctx, db, "step_up_by_group", a, stats.Exact)
	if err != nil {
		t.Fatal(err)
	}
	type w struct {
		cohort, followed, events  float64
		est, lo, hi, lo998, hi998 any
	}
	north6 := w{3, 2, 1, 33.3, 5.5, 94.6, 1.8, 100.0}
	north24 := w{3, 1, 2, 66.7, 22.6, 99.1, 10.5, 100.0}
	south := w{3, 1, 1, 33.3, 5.5, 94.6, 1.8, 100.0}
	none := w{0, 0, 0, nil, nil, nil, nil, nil}
	five11 := func(f, e, est float64) w { return w{4, f, e, est, nil, nil, nil, nil} }
	zero := w{1, 1, 0, 0.0, 0.0, 0.0, 0.0, 0.0}
	lone := w{1, 0, 0, nil, nil, nil, nil, nil}
	council := [3]w{{6, 3, 2, 33.3, 9.6, 80.5, 4.4, 97.4}, {6, 3, 2, 33.3, 9.6, 80.5, 4.4, 97.4}, {6, 2, 3, 55.6, 21.5, 93.4, 11.4, 99.6}}
	want := []struct {
		breakdown, category string
		at                  [3]w
	}{
		{"council", "all", council},
		{"idaci_quintile", "1", [3]w{north6, north6, north24}},
		{"idaci_quintile", "2", [3]w{none, none, none}},
		{"idaci_quintile", "3", [3]w{south, south, south}},
		{"idaci_quintile", "4", [3]w{none, none, none}},
		{"idaci_quintile", "5", [3]w{none, none, none}},
		{"locality", "North", [3]w{north6, north6, north24}},
		{"locality", "South", [3]w{south, south, south}},
		{"age_band", "0-2", [3]w{zero, zero, zero}},
		{"age_band", "3-4", [3]w{none, none, none}},
		{"age_band", "5-11", [3]w{five11(2, 2, 50), five11(2, 2, 50), five11(1, 3, 75)}},
		{"age_band", "12-19", [3]w{lone, lone, lone}},
		{"service", "infant_feeding", [3]w{zero, zero, zero}},
		{"service", "parenting", [3]w{five11(2, 2, 50), five11(2, 2, 50), five11(1, 3, 75)}},
		{"service", "youth_work", [3]w{lone, lone, lone}},
	}
	if len(res.Rows) != 3*len(want) {
		t.Fatalf("%d rows, want %d", len(res.Rows), 3*len(want))
	}
	for g, wg := range want {
		for h, x := range wg.at {
			row := res.Rows[3*g+h]
			name := fmt.Sprintf("%s %s, row %d", wg.breakdown, wg.category, h)
			if queries.Text(row[res.MustCol("breakdown")]) != wg.breakdown || queries.Text(row[res.MustCol("category")]) != wg.category ||
				num(t, row[res.MustCol("months")]) != []float64{6, 12, 24}[h] {
				t.Fatalf("%s: row is %v", name, row)
			}
			for col, v := range map[string]float64{"cohort": x.cohort, "followed": x.followed, "events": x.events} {
				if num(t, row[res.MustCol(col)]) != v {
					t.Errorf("%s: %s %v, by hand %v", name, col, row[res.MustCol(col)], v)
				}
			}
			for col, v := range map[string]any{"cumulative_incidence": x.est, "cumulative_incidence_lower": x.lo, "cumulative_incidence_upper": x.hi,
				"cumulative_incidence_lower_998": x.lo998, "cumulative_incidence_upper_998": x.hi998} {
				got := row[res.MustCol(col)]
				if v == nil {
					if got != nil && col == "cumulative_incidence" {
						t.Errorf("%s: %s %v, by hand none", name, col, got)
					}
					continue
				}
				if g, ok := measures.Number(got); !ok || g != v.(float64) {
					t.Errorf("%s: %s %v, by hand %v", name, col, got, v)
				}
			}
		}
	}
	// the council rows are step_up's, count for count and figure for figure
	su, err := measures.Run(ctx, db, "step_up", a, stats.DfE)
	if err != nil {
		t.Fatal(err)
	}
	byGroup, err := measures.Run(ctx, db, "step_up_by_group", a, stats.DfE)
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range su.Rows {
		for _, c := range su.Columns {
			if a, b := queries.Text(row[su.MustCol(c)]), queries.Text(byGroup.Rows[i][byGroup.MustCol(c)]); a != b {
				t.Errorf("DfE, %s months: step_up's %s %s, step_up_by_group's council %s", queries.Text(row[0]), c, a, b)
			}
		}
	}
	// protected: groups of three or four children show no estimate
	for _, row := range byGroup.Rows {
		if s, ok := row[byGroup.MustCol("cumulative_incidence")].(stats.Suppressed); !ok && row[byGroup.MustCol("cumulative_incidence")] != nil || ok && s.Symbol != stats.DfE.Symbol {
			t.Errorf("DfE: %v", row)
		}
	}
}

// Stockport's 2023-24 cohort in the demo warehouse by IDACI quintile, against a plain
// computation here: each child's first contact (after birth, under 20), its LSOA's IDACI decile,
// the child's 18th birthday and first referral on or after it read from the raw tables, and
// the product-limit estimate worked in this test; and every breakdown's cohort adds up to the
// council's.
func TestStepUpByGroupStockport(t *testing.T) {
	db := testdata.Warehouse(t)
	a := args(t, "E08000007", "2023-24")
	res := run(t, "step_up_by_group", a, stats.Exact)
	var end time.Time
	if err := db.QueryRowContext(ctx, `SELECT least((SELECT value::DATE FROM metadata WHERE key = 'synthetic_end'),
		make_date(fy_year(max(start_date)) + 1, 3, 31)) FROM care_episodes WHERE council_code = 'E08000007' AND kind = 'referral'`).Scan(&end); err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryContext(ctx, `
		WITH first AS (
			SELECT c.child_id, min(c.contact_date) AS first_contact, arg_min(c.lsoa21_code, (c.contact_date, c.contact_id)) AS lsoa,
			       any_value(p.birth_date) AS born
			FROM contacts c JOIN people p ON p.person_id = c.child_id
			WHERE c.council_code = 'E08000007' AND c.age_band <> '20-25' AND c.contact_date >= p.birth_date
			GROUP BY c.child_id
		)
		SELECT f.first_contact, f.born, d.idaci_decile,
		       (SELECT min(r.start_date) FROM care_episodes r WHERE r.council_code = 'E08000007' AND r.kind = 'referral'
		         AND r.person_id = f.child_id AND r.start_date >= f.first_contact)
		FROM first f LEFT JOIN deprivation d ON d.lsoa21_code = f.lsoa AND d.edition = 'IoD2025'
		WHERE f.first_contact BETWEEN DATE '2023-04-01' AND DATE '2024-03-31'`)
	if err != nil {
		t.Fatal(err)
	}
	type child struct {
		days  int
		event bool
	}
	cohorts := map[string][]child{}
	for rows.Next() {
		var first, born time.Time
		var decile sql.NullInt64
		var ref sql.NullTime
		if err := rows.Scan(&first, &born, &decile, &ref); err != nil {
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
		q := "not known"
		if decile.Valid {
			q = fmt.Sprint((decile.Int64 + 1) / 2)
		}
		cohorts[q] = append(cohorts[q], c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	km := func(cohort []child, horizon int) (f float64, events, followed int) {
		s := 1.0
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
			if n > 0 {
				s *= 1 - float64(d)/float64(n)
			}
		}
		for _, c := range cohort {
			if c.event && c.days <= horizon {
				events++
			}
			if c.days >= horizon {
				followed++
			}
		}
		return 100 * (1 - s), events, followed
	}
	seen := 0
	totals := map[string]map[float64]float64{}
	for _, row := range res.Rows {
		b, cat, months := queries.Text(row[res.MustCol("breakdown")]), queries.Text(row[res.MustCol("category")]), num(t, row[res.MustCol("months")])
		if totals[b] == nil {
			totals[b] = map[float64]float64{}
		}
		totals[b][months] += num(t, row[res.MustCol("cohort")])
		if b != "idaci_quintile" {
			continue
		}
		seen++
		cohort := cohorts[cat]
		f, e, fo := km(cohort, int(num(t, row[res.MustCol("days")])))
		if num(t, row[res.MustCol("cohort")]) != float64(len(cohort)) || num(t, row[res.MustCol("events")]) != float64(e) ||
			num(t, row[res.MustCol("followed")]) != float64(fo) {
			t.Errorf("quintile %s, %v months: cohort %v, events %v, followed %v; worked here %d, %d, %d", cat, months,
				row[res.MustCol("cohort")], row[res.MustCol("events")], row[res.MustCol("followed")], len(cohort), e, fo)
		}
		if got := row[res.MustCol("cumulative_incidence")]; fo > 0 && len(cohort) > 0 {
			if g, ok := measures.Number(got); !ok || g != measures.Round(f, 1) {
				t.Errorf("quintile %s, %v months: %v%%, worked here %.1f%%", cat, months, got, f)
			}
		}
		if cat == "1" && months == 12 {
			t.Logf("quintile 1 at 12 months: %d children, %.1f%% referred", len(cohort), f)
		}
	}
	if seen < 15 {
		t.Errorf("%d quintile rows, want at least 15", seen)
	}
	for b, byMonths := range totals {
		for m, n := range byMonths {
			if n != totals["council"][m] {
				t.Errorf("%s at %v months: cohorts add up to %v, the council's is %v", b, m, n, totals["council"][m])
			}
		}
	}
}
