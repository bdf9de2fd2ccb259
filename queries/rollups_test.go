package queries_test

import (
	"fmt"
	"testing"
	"time"

	"familyhubs/internal/testdata"
	"familyhubs/queries"
)

// TestRollupsEqualRaw holds every named question to the same question asked of raw contacts
// (queries/raw/), for every council with contacts, every financial year, quarters at the start,
// in COVID-19 and at the end of the data, and with a locality and a service chosen: the rollups
// may make a page fast, never different.
func TestRollupsEqualRaw(t *testing.T) {
	db := testdata.Warehouse(t)
	rows, err := db.QueryContext(ctx, `
		SELECT n.council_code, min(n.locality), (SELECT min(service_code) FROM contacts c WHERE c.council_code = n.council_code AND service_code > 'p')
		FROM neighbourhoods n WHERE n.council_code IN (SELECT DISTINCT council_code FROM contacts)
		GROUP BY n.council_code ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	type council struct{ code, locality, service string }
	var cs []council
	for rows.Next() {
		var c council
		if err := rows.Scan(&c.code, &c.locality, &c.service); err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	rows.Close()
	if len(cs) != 5 {
		t.Fatalf("demo warehouse has contacts for %d councils, want 5", len(cs))
	}

	periods := []string{"2019-20Q1", "2020-21Q1", "2024-25Q3", "2026-27Q2", "2026-27Q3"}
	for y := 2019; y <= 2026; y++ {
		periods = append(periods, fmt.Sprintf("%d-%02d", y, (y+1)%100))
	}
	var compared, withRows int
	for _, q := range queries.All() {
		if q.RawSQL == "" {
			continue
		}
		for i, c := range cs {
			if i > 0 && !takesCouncil(q) {
				break // an England-wide question: once is enough
			}
			var sets []queries.Args
			for _, p := range periods {
				sets = append(sets, args(t, c.code, p))
			}
			for _, p := range []string{"2023-24", "2025-26Q2"} {
				for _, f := range [][2]string{{c.locality, ""}, {"", c.service}, {c.locality, c.service}} {
					a := args(t, c.code, p)
					a["locality"], a["service"] = f[0], f[1]
					sets = append(sets, a)
				}
			}
			for _, a := range sets {
				if !q.Kept(a) {
					t.Fatalf("%s: %v should be kept by the rollups", q.Name, a)
				}
				got, err := q.Run(ctx, db, a)
				if err != nil {
					t.Fatal(err)
				}
				want, err := q.RunRaw(ctx, db, a)
				if err != nil {
					t.Fatal(err)
				}
				if got.Raw || !want.Raw {
					t.Fatalf("%s: Run answered from raw %v, RunRaw %v", q.Name, got.Raw, want.Raw)
				}
				if d := difference(got, want); d != "" {
					t.Errorf("%s %s %s..%s locality %q service %q: rollups differ from raw contacts: %s", q.Name, c.code,
						day(a["period_start"]), day(a["period_end"]), a["locality"], a["service"], d)
				}
				compared++
				if hasCounts(want) {
					withRows++
				}
			}
		}
	}
	// the comparison must have compared something: most answers hold non-zero counts
	if compared < 10*5*len(periods)+len(periods) || withRows < compared*3/4 {
		t.Errorf("compared %d answers, %d with non-zero counts", compared, withRows)
	}
}

func takesCouncil(q *queries.Query) bool {
	for _, p := range q.Params {
		if p.Name == "council" {
			return true
		}
	}
	return false
}

func day(v any) string { return v.(time.Time).Format(time.DateOnly) }

// difference describes the first difference between two answers, type and value, or "".
func difference(a, b *queries.Result) string {
	if fmt.Sprint(a.Columns) != fmt.Sprint(b.Columns) {
		return fmt.Sprintf("columns %v, raw %v", a.Columns, b.Columns)
	}
	if len(a.Rows) != len(b.Rows) {
		return fmt.Sprintf("%d rows, raw %d", len(a.Rows), len(b.Rows))
	}
	for i := range a.Rows {
		for j := range a.Rows[i] {
			x, y := fmt.Sprintf("%T %v", a.Rows[i][j], a.Rows[i][j]), fmt.Sprintf("%T %v", b.Rows[i][j], b.Rows[i][j])
			if x != y {
				return fmt.Sprintf("row %d column %s: %s, raw %s", i+1, a.Columns[j], x, y)
			}
		}
	}
	return ""
}

func hasCounts(r *queries.Result) bool {
	for _, row := range r.Rows {
		for _, v := range row {
			if n, ok := v.(int64); ok && n > 0 {
				return true
			}
		}
	}
	return false
}

// TestPeriodsNotKeptComeFromRaw: a month or a FROM..TO span is answered from raw contacts, as
// the rollups keep only whole quarters and financial years.
func TestPeriodsNotKeptComeFromRaw(t *testing.T) {
	q, err := queries.Get("reach_by_decile")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		period string
		kept   bool
	}{{"2024-25", true}, {"2024-25Q4", true}, {"2024-06", false}, {"2024-04-01..2025-03-30", false},
		{"2024-05-01..2024-07-31", false}, {"2023-04-01..2025-03-31", false}, {"2024-04-01..2024-06-30", true}} {
		a := args(t, "E08000007", c.period)
		if q.Kept(a) != c.kept {
			t.Errorf("%s: kept %v, want %v", c.period, q.Kept(a), c.kept)
		}
		res, err := q.Run(ctx, testdata.Warehouse(t), a)
		if err != nil {
			t.Fatal(err)
		}
		if res.Raw == c.kept {
			t.Errorf("%s: answered from raw contacts %v", c.period, res.Raw)
		}
	}
	trend, _ := queries.Get("reach_trend")
	if !trend.Kept(queries.Args{"council": "E08000007", "locality": "", "service": ""}) {
		t.Error("a question with no period is always kept")
	}
}
