package attack

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"familyhubs/answers"
	"familyhubs/internal/testdata"
	"familyhubs/stats"
)

// reached_before_crisis_trend's year is reached_before_crisis's council row for that year (the
// same children, so the same cells): the attacker reads every demo council's trend beside
// reached_before_crisis for each whole year it covers, and its quarters, and sets the cells
// shown twice against each other, with the council row against its localities and quintiles
// (outcomeTotals). The equation holds wherever both are shown, under table-by-table suppression
// (exact counts) and under the cell key method (DfE, as published: the same children have the
// same cell key, so the same perturbed count), and no count of 1 to 5 of either question is
// recovered and verified under the cell key method.
func TestReachedBeforeCrisisTrendLinked(t *testing.T) {
	db := testdata.Warehouse(t)
	councils, _, err := answers.New(db, db.Version, db.DataEnd).Councils(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var views []url.Values
	for _, c := range councils {
		if !c.HasNetwork {
			continue
		}
		for _, p := range []string{"2022-23", "2023-24", "2024-25", "2024-25Q1", "2024-25Q2", "2024-25Q3", "2024-25Q4"} {
			views = append(views, url.Values{"council": {c.Slug}, "period": {p}})
		}
	}
	if len(views) < 35 {
		t.Fatalf("%d views, want 5 councils' years and quarters", len(views))
	}
	tr := newTruth(db)
	for _, c := range []struct {
		name  string
		src   Source
		exact bool
	}{
		{"table-by-table suppression", suppressionSource(db), true},
		{"cell key method (DfE)", Cached(InProcess(db, stats.DfE)), false},
	} {
		start := time.Now()
		a := New(c.src)
		a.Parallel = 2
		recs, err := a.All(ctx, views)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range a.Refused {
			if strings.HasPrefix(r, "reached_before_crisis") {
				t.Errorf("%s: not published: %s", c.name, r)
			}
		}
		checked := 0
		for _, ch := range a.Checks {
			if strings.HasPrefix(ch.Class, "reached_before_crisis_trend's year") {
				checked++
				t.Logf("%s: %s", c.name, ch)
				// 5 councils x 3 years x 2 kinds x 3 counts, each shown in both
				if !ch.Trusted || ch.Fails > 0 || ch.Holds < 5*3*2*3 {
					t.Errorf("%s: %s", c.name, ch)
				}
			}
		}
		if checked != 1 {
			t.Errorf("%s: the trend's years were not set against reached_before_crisis", c.name)
		}
		var ours []Recovery
		for _, r := range recs {
			if r.Question == "reached_before_crisis_trend" || r.Question == "reached_before_crisis" {
				ours = append(ours, r)
			}
		}
		s := scoreAll(t, tr, ours)
		t.Logf("%s: %d recoveries in reached_before_crisis and its trend, %d verified, %d verified counts of 1 to 5 (%s); in %s",
			c.name, s.recoveries, s.verified, s.total(), s.byFamily(), time.Since(start).Round(time.Millisecond))
		for _, e := range s.examples {
			t.Log("  e.g. " + e)
		}
		if !c.exact && s.total() > 0 {
			t.Errorf("%s: %d verified counts of 1 to 5 recovered from reached_before_crisis and its trend", c.name, s.total())
		}
		for _, w := range s.wrong {
			t.Errorf("%s: verified but wrong: %s", c.name, w)
		}
	}
}
