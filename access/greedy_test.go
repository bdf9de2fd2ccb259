package access_test

import (
	"math"
	"slices"
	"testing"

	"familyhubs/access"
)

// problem makes a coverage problem over one population: children by neighbourhood, candidates
// covering them, and the total (covered already: none).
func problem(children map[string]float64, total float64, cands ...access.Candidate) access.Problem {
	p := access.Problem{Candidates: cands, Children: map[string][]float64{}, Total: []float64{total}, Covered: []float64{0}}
	for l, n := range children {
		p.Children[l] = []float64{n}
	}
	return p
}

func ids(picks []access.Pick) []string {
	var out []string
	for _, p := range picks {
		out = append(out, p.Candidate.ID)
	}
	return out
}

// best is the exhaustive optimum: the k candidates covering the most children (for the tests'
// handful of candidates).
func best(p access.Problem, k int) (float64, []string) {
	bestGain, bestSet := -1.0, []string(nil)
	var walk func(from int, chosen []int)
	walk = func(from int, chosen []int) {
		if len(chosen) == k {
			covered := map[string]bool{}
			g := 0.0
			var set []string
			for _, i := range chosen {
				set = append(set, p.Candidates[i].ID)
				for _, l := range p.Candidates[i].Covers {
					if !covered[l] {
						covered[l] = true
						g += p.Children[l][0]
					}
				}
			}
			if g > bestGain {
				bestGain, bestSet = g, set
			}
			return
		}
		for i := from; i < len(p.Candidates); i++ {
			walk(i+1, append(chosen, i))
		}
	}
	walk(0, nil)
	return bestGain, bestSet
}

// Where the single best site is in the best pair, greedy finds the best pair: P covers a and b
// (10 + 5 = 15 children), Q covers c and d (8 + 1 = 9), R covers b and c (5 + 8 = 13). Greedy
// picks P (15), then Q adds 9 and R only c's 8: {P, Q}, all 24 children, the exhaustive best.
// Shares of 30 children, 6 of them covered already: 20%, then 70%, then 100%.
func TestGreedyFindsTheBestPair(t *testing.T) {
	p := problem(map[string]float64{"a": 10, "b": 5, "c": 8, "d": 1}, 30,
		access.Candidate{ID: "R", Covers: []string{"b", "c"}},
		access.Candidate{ID: "Q", Covers: []string{"c", "d"}},
		access.Candidate{ID: "P", Covers: []string{"a", "b"}})
	p.Covered = []float64{6}
	picks := access.Greedy(p, 0, 2)
	if got := ids(picks); !slices.Equal(got, []string{"P", "Q"}) {
		t.Fatalf("greedy picked %v, want [P Q]", got)
	}
	if picks[0].New[0] != 15 || picks[1].New[0] != 9 {
		t.Errorf("new children %v, %v; want 15, 9", picks[0].New, picks[1].New)
	}
	for i, w := range [][2]float64{{0.2, 0.7}, {0.7, 1}} {
		if math.Abs(picks[i].Before[0]-w[0]) > 1e-12 || math.Abs(picks[i].After[0]-w[1]) > 1e-12 {
			t.Errorf("pick %d: shares %v to %v, want %v", i+1, picks[i].Before[0], picks[i].After[0], w)
		}
	}
	if g, set := best(p, 2); g != 24 || !slices.Equal(set, []string{"Q", "P"}) {
		t.Errorf("the exhaustive best pair: %v covering %v", set, g)
	}
	// nothing left to cover: a third pick would add no one, so there is none
	if got := access.Greedy(p, 0, 3); len(got) != 2 {
		t.Errorf("%d picks when two cover everyone", len(got))
	}
}

// Greedy is not always best, but never worse than 1 - (1 - 1/k)^k of the best (75% for a pair,
// more than 1 - 1/e in general). Four neighbourhoods on a line, a and d with 5 children, b and c
// with 6; X covers the middle pair (12), Y covers a and b (11), Z covers c and d (11). Greedy
// takes X (12), then Y and Z each add 5, and the tie goes to the lower id, Y: 17 children. The
// best pair is {Y, Z}: 22. 17/22 = 77%, within the bound.
func TestGreedyBound(t *testing.T) {
	p := problem(map[string]float64{"a": 5, "b": 6, "c": 6, "d": 5}, 22,
		access.Candidate{ID: "Z", Covers: []string{"c", "d"}},
		access.Candidate{ID: "X", Covers: []string{"b", "c"}},
		access.Candidate{ID: "Y", Covers: []string{"a", "b"}})
	picks := access.Greedy(p, 0, 2)
	if got := ids(picks); !slices.Equal(got, []string{"X", "Y"}) {
		t.Fatalf("greedy picked %v, want [X Y] (Y before Z on the tie)", got)
	}
	greedy := picks[0].New[0] + picks[1].New[0]
	optimum, set := best(p, 2)
	if greedy != 17 || optimum != 22 || !slices.Equal(set, []string{"Z", "Y"}) {
		t.Errorf("greedy %v, optimum %v by %v; want 17 and 22 by Y and Z", greedy, optimum, set)
	}
	if bound := 1 - math.Pow(1-1.0/2, 2); greedy < bound*optimum {
		t.Errorf("greedy %v below %v of the optimum %v", greedy, bound, optimum)
	}
	if picks[1].After[0] != 17.0/22 {
		t.Errorf("after two picks %v covered, want 17/22", picks[1].After[0])
	}
}

// A candidate's gain counts each neighbourhood once, and the order candidates come in does not
// change the answer.
func TestGreedyOrderAndRepeats(t *testing.T) {
	a := access.Candidate{ID: "A", Covers: []string{"x", "x", "y"}}
	b := access.Candidate{ID: "B", Covers: []string{"y", "z"}}
	p1 := problem(map[string]float64{"x": 4, "y": 4, "z": 4}, 12, a, b)
	p2 := problem(map[string]float64{"x": 4, "y": 4, "z": 4}, 12, b, a)
	g1, g2 := access.Greedy(p1, 0, 2), access.Greedy(p2, 0, 2)
	if !slices.Equal(ids(g1), []string{"A", "B"}) || !slices.Equal(ids(g2), ids(g1)) {
		t.Errorf("picks %v and %v, want [A B] both", ids(g1), ids(g2))
	}
	if g1[0].New[0] != 8 || g1[1].New[0] != 4 {
		t.Errorf("new %v then %v, want 8 then 4", g1[0].New[0], g1[1].New[0])
	}
}
