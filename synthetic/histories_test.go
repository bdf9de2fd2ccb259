package synthetic

import (
	"fmt"
	"testing"
	"time"
)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// A neighbourhood with 3 children in need at 31 March 2024, 1 of them on a plan and 1 looked
// after: three children, each referred in 2023-24 and closed in 2024-25, so open at that 31 March
// only; linked only to hub children who fit (first seen in the two years before the referral,
// born before it, under 18 on the day), each at most once.
func TestHistoriesOfOneNeighbourhood(t *testing.T) {
	slots := []CareSlot{{Council: "E1", LSOA: "L1", Year: 2024, InNeed: 3, Plan: 1, LookedAfter: 1}}
	children := []HubChild{
		{ID: 1, LSOA: "L1", Birth: day("2015-01-01"), First: day("2023-01-10")}, // fits any referral after 2023-01-10
		{ID: 2, LSOA: "L1", Birth: day("2015-01-01"), First: day("2020-01-01")}, // first seen too long before
		{ID: 3, LSOA: "L2", Birth: day("2015-01-01"), First: day("2023-01-10")}, // another neighbourhood
		{ID: 4, LSOA: "L1", Birth: day("2005-06-01"), First: day("2023-01-10")}, // 18 by 31 March 2024
		{ID: 5, LSOA: "L1", Birth: day("2015-01-01"), First: day("2024-03-31")}, // first seen on the last day
		{ID: 6, LSOA: "L1", Birth: day("2016-01-01"), First: day("2022-10-01")}, // fits a referral before 2024-10-01
	}
	var eps []CareEpisode
	if err := Histories(slots, children, func(e CareEpisode) error { eps = append(eps, e); return nil }); err != nil {
		t.Fatal(err)
	}
	march := day("2024-03-31")
	open := map[string]map[string]bool{}
	linked := map[int64]string{}
	referred := map[string]time.Time{}
	for _, e := range eps {
		if e.Kind == Referral {
			referred[e.CareID] = e.Start
			if !e.End.IsZero() {
				t.Errorf("a referral with an end: %+v", e)
			}
			if e.Start.After(march) || !e.Start.After(day("2023-03-31")) {
				t.Errorf("referred %s, not in 2023-24", e.Start.Format(time.DateOnly))
			}
			if e.PersonID != 0 {
				if other, ok := linked[e.PersonID]; ok {
					t.Errorf("person %d linked twice (%s, %s)", e.PersonID, other, e.CareID)
				}
				linked[e.PersonID] = e.CareID
			}
			continue
		}
		if e.Start.After(march) || !e.End.After(march) || e.End.After(day("2025-03-31")) {
			t.Errorf("%s %s to %s: not open at 31 March 2024 only", e.Kind, e.Start.Format(time.DateOnly), e.End.Format(time.DateOnly))
		}
		if e.Start.Before(referred[e.CareID]) {
			t.Errorf("%s starts before the referral", e.Kind)
		}
		if open[e.Kind] == nil {
			open[e.Kind] = map[string]bool{}
		}
		open[e.Kind][e.CareID] = true
		if e.Kind == InNeed && e.EndReason != "RC7" && e.EndReason != "RC9" {
			t.Errorf("closure reason %q", e.EndReason)
		}
	}
	if len(referred) != 3 || len(open[InNeed]) != 3 || len(open[ProtectionPlan]) != 1 || len(open[LookedAfter]) != 1 {
		t.Errorf("referred %d, in need %d, plans %d, looked after %d; want 3, 3, 1, 1",
			len(referred), len(open[InNeed]), len(open[ProtectionPlan]), len(open[LookedAfter]))
	}
	for id, care := range linked {
		c := children[id-1]
		r := referred[care]
		if id == 2 || id == 3 || id == 4 || id == 5 || !c.First.Before(r) || c.First.Before(r.AddDate(-2, 0, 0)) {
			t.Errorf("child %d (first seen %s) linked to a referral on %s", id, c.First.Format(time.DateOnly), r.Format(time.DateOnly))
		}
	}
	if len(linked) == 0 {
		t.Error("no referral linked, though children 1 and 6 fit and the link share is 60%")
	}
	// deterministic
	var again []CareEpisode
	Histories(slots, children, func(e CareEpisode) error { again = append(again, e); return nil })
	if len(again) != len(eps) {
		t.Fatal("a second run differs")
	}
	for i := range eps {
		if eps[i] != again[i] {
			t.Fatalf("a second run differs at %d: %+v, %+v", i, eps[i], again[i])
		}
	}
}

// Children of a neighbourhood whose episode closed are referred again the next year, after the
// closure, under the same social care id, and each year's count at 31 March is unchanged.
func TestHistoriesReferAgain(t *testing.T) {
	slots := []CareSlot{
		{Council: "E1", LSOA: "L1", Year: 2023, InNeed: 40},
		{Council: "E1", LSOA: "L1", Year: 2024, InNeed: 40},
	}
	var eps []CareEpisode
	if err := Histories(slots, nil, func(e CareEpisode) error { eps = append(eps, e); return nil }); err != nil {
		t.Fatal(err)
	}
	closed := map[string]time.Time{}
	openAt := map[int]map[string]bool{2023: {}, 2024: {}}
	again := 0
	for _, e := range eps {
		if e.Kind != InNeed {
			continue
		}
		if c, ok := closed[e.CareID]; ok {
			again++
			if !e.Start.After(c) || e.Start.After(c.AddDate(1, 0, 0)) {
				t.Errorf("%s referred again on %s, its episode closed %s", e.CareID, e.Start.Format(time.DateOnly), c.Format(time.DateOnly))
			}
		}
		closed[e.CareID] = e.End
		for y := range openAt {
			d := day(fmt.Sprintf("%d-03-31", y))
			if !e.Start.After(d) && e.End.After(d) {
				openAt[y][e.CareID] = true
			}
		}
	}
	if len(openAt[2023]) != 40 || len(openAt[2024]) != 40 {
		t.Errorf("in need at 31 March 2023 and 2024: %d and %d, want 40 and 40", len(openAt[2023]), len(openAt[2024]))
	}
	// about ReferAgain of 40, of those closed before 31 March 2024
	if again < 3 || again > 16 {
		t.Errorf("%d of 2024's 40 children referred again, want about %.0f", again, ReferAgain*40)
	}
	t.Logf("%d of 40 referred again", again)
}
