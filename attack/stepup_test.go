package attack

import (
	"testing"

	"familyhubs/measures"
	"familyhubs/stats"
)

// stepUpTable publishes one step_up row: the counts shown (cohort, still followed, events), and
// the estimate and limits of the Kaplan-Meier curve of referred of children children, none
// censored before the day.
func stepUpTable(cohort, followed, events, referred, children float64) *Table {
	var obs []stats.Observation
	for i := 0; i < int(children); i++ {
		obs = append(obs, stats.Observation{Time: 800, Event: false})
	}
	for i := 0; i < int(referred); i++ {
		obs[i] = stats.Observation{Time: 100, Event: true}
	}
	in := stats.CumulativeIncidence(obs, []float64{182}, measures.Confidence)[0]
	wide := stats.CumulativeIncidence(obs, []float64{182}, measures.WideConfidence)[0]
	n := func(v float64) Cell { return Cell{Kind: Number, Num: v} }
	pc := func(v float64) Cell { return n(measures.Round(100*v, 1)) }
	return &Table{
		Columns: []string{"months", "days", "cohort", "followed", "events", "cumulative_incidence", "cumulative_incidence_lower",
			"cumulative_incidence_upper", "cumulative_incidence_lower_998", "cumulative_incidence_upper_998"},
		Rows: [][]Cell{{n(6), n(182), n(cohort), n(followed), n(events), pc(in.Estimate), pc(in.Lower), pc(in.Upper), pc(wide.Lower), pc(wide.Upper)}},
	}
}

// The step-up estimate must be built from the counts as shown: an estimate worked from the exact
// counts beside perturbed counts gives the exact counts away, as the attacker shows. 40 children,
// 9 referred by 6 months, 31 still followed, none censored, shown as 41, 7 and 34 (which add up:
// no one censored, as far as the counts shown say): the estimate of 9 of 40 (22.5%, with its
// limits) is matched by no other pair within 3 of the counts shown, so the attacker reads both
// true counts off it. Built from the counts shown (7 of 41), it gives nothing but the counts shown.
func TestStepUpEstimateFromCountsShown(t *testing.T) {
	for _, c := range []struct {
		name             string
		referred, cohort float64
		lifted           map[string]float64
	}{
		{"from exact counts", 9, 40, map[string]float64{"events": 9, "cohort": 40}},
		{"from the counts shown", 7, 41, map[string]float64{}},
	} {
		r := &run{families: map[Family]bool{Rates: true}, lifts: map[int]lift{}}
		ref := &tableRef{key: "step_up?council=x", question: "step_up", t: stepUpTable(41, 34, 7, c.referred, c.cohort)}
		r.liftIncidence(ref, 0)
		got := map[string]float64{}
		for id, l := range r.lifts {
			if !l.verified {
				t.Errorf("%s: %s lifted unverified", c.name, r.nodes[id].col)
			}
			got[r.nodes[id].col] = l.value
		}
		if len(got) != len(c.lifted) {
			t.Errorf("%s: lifted %v, want %v", c.name, got, c.lifted)
		}
		for col, v := range c.lifted {
			if got[col] != v {
				t.Errorf("%s: lifted %v, want %v", c.name, got, c.lifted)
			}
		}
	}
}
