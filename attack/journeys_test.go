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

// journeys' flows into a stage are the flows out of it, the flows out of the hub are step_up's
// cohort, and a year's flows are its quarters': the attacker differences a stage's inflow against
// its other outflows to get a flow hidden or not drawn, over every demo council. Under table-by-
// table suppression (exact counts, small flows hidden) that recovers small flows; under the cell
// key method (DfE, as published) the sums often hold (the same children flowing into a stage
// and out of it by one flow have the same cell key, so the same count) but fail elsewhere, so the
// attacker never trusts them, and no flow of 1 to 5 children is recovered and verified.
func TestJourneysDifferencing(t *testing.T) {
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
		for _, p := range []string{"2024-25", "2024-25Q1", "2024-25Q2", "2024-25Q3", "2024-25Q4"} {
			views = append(views, url.Values{"council": {c.Slug}, "period": {p}})
		}
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
		checked := 0
		for _, ch := range a.Checks {
			if strings.HasPrefix(ch.Class, "journeys: into a stage") {
				checked++
				t.Logf("%s: %s", c.name, ch)
				if c.exact && (!ch.Trusted || ch.Fails > 0) || !c.exact && (ch.Trusted || ch.Fails == 0) {
					t.Errorf("%s: %s", c.name, ch)
				}
			}
		}
		if checked != 1 {
			t.Errorf("%s: the flows into and out of a stage were not checked", c.name)
		}
		var ours []Recovery
		for _, r := range recs {
			if r.Question == "journeys" {
				ours = append(ours, r)
			}
		}
		s := scoreAll(t, tr, ours)
		t.Logf("%s: %d recoveries in journeys, %d verified, %d verified flows of 1 to 5 (%s); in %s",
			c.name, s.recoveries, s.verified, s.total(), s.byFamily(), time.Since(start).Round(time.Millisecond))
		for _, e := range s.examples {
			t.Log("  e.g. " + e)
		}
		if !c.exact && s.total() > 0 {
			t.Errorf("%s: %d verified flows of 1 to 5 recovered from journeys", c.name, s.total())
		}
		for _, w := range s.wrong {
			t.Errorf("%s: verified but wrong: %s", c.name, w)
		}
	}
}
