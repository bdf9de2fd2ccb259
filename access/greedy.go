package access

import (
	"fmt"
	"sort"

	"familyhubs/queries"
)

// Reach is the distance, in km in a straight line, within which a hub counts as reachable for
// choosing the next hubs.
const Reach = 2.0

// EarthRadius is the radius in km of the sphere the haversine distance is measured on: the Earth's
// mean radius (IUGG), as warehouse/schema.sql's haversine_km.
const EarthRadius = 6371.0088

// Picks is how many additional sites the next-hub choice names, one at a time.
const Picks = 5

// Candidate is a place a new hub could go, with the neighbourhoods it would bring within Reach
// of a hub that no open hub does.
type Candidate struct {
	ID, Name, Kind string
	Lat, Lon       float64
	Covers         []string // LSOA codes
}

// Problem is a maximal coverage problem: candidates, the children of each neighbourhood they
// may cover (Children[lsoa][i] for each population i, e.g. aged 0-4 and 0-19), the children of
// those populations in all (Total) and those already covered by open hubs (Covered).
type Problem struct {
	Candidates []Candidate
	Children   map[string][]float64
	Total      []float64
	Covered    []float64
}

// Pick is one choice of the greedy selection: the candidate, the children of each population it
// newly covers, and each population's share covered before and after it.
type Pick struct {
	Candidate     Candidate
	New           []float64
	Before, After []float64
}

// Greedy chooses up to k candidates for population by, one at a time: each pick is the candidate
// newly covering the most children of that population not covered by the open hubs or an
// earlier pick, ties going to the lower candidate id (so the answer never depends on row order);
// it stops early when no candidate adds anyone.
//
// This is the greedy algorithm for maximal coverage (Church and ReVelle 1974). Coverage is
// monotone and submodular (a neighbourhood counts once, however many sites reach it), so the
// greedy set's gain is at least 1 - (1 - 1/k)^k > 1 - 1/e, about 63%, of the best possible set
// of k (Nemhauser, Wolsey and Fisher 1978), and each pick is the best single addition given the
// earlier ones: what a council adding one hub at a time would do. It is not always the best set
// of k: the tests hold a case where the best single site is not in the best pair. An exact
// answer needs integer programming, out of proportion to candidates placed at LSOA centres
// with straight-line distances.
func Greedy(p Problem, by, k int) []Pick {
	cands := append([]Candidate(nil), p.Candidates...)
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].ID < cands[j].ID })
	covered := map[string]bool{}
	have := append([]float64(nil), p.Covered...)
	var picks []Pick
	used := make([]bool, len(cands))
	for len(picks) < k {
		best, bestGain := -1, 0.0
		for i, c := range cands {
			if used[i] {
				continue
			}
			if g := gain(p, c, covered, by); g > bestGain {
				best, bestGain = i, g
			}
		}
		if best < 0 {
			break
		}
		used[best] = true
		c := cands[best]
		pick := Pick{Candidate: c, New: make([]float64, len(p.Total)), Before: shares(have, p.Total)}
		for _, l := range c.Covers {
			if covered[l] {
				continue
			}
			covered[l] = true
			for i, n := range p.Children[l] {
				pick.New[i] += n
				have[i] += n
			}
		}
		pick.After = shares(have, p.Total)
		picks = append(picks, pick)
	}
	return picks
}

func gain(p Problem, c Candidate, covered map[string]bool, by int) float64 {
	g := 0.0
	seen := map[string]bool{}
	for _, l := range c.Covers {
		if !covered[l] && !seen[l] {
			seen[l] = true
			g += p.Children[l][by]
		}
	}
	return g
}

func shares(have, total []float64) []float64 {
	out := make([]float64, len(total))
	for i := range total {
		if total[i] > 0 {
			out[i] = have[i] / total[i]
		}
	}
	return out
}

// FromRows reads access_next_hub's rows (one per candidate and deprived neighbourhood it would
// newly cover, each with the council's totals) as a Problem over children aged 0-4 (population
// 0) and 0-19 (population 1).
func FromRows(res *queries.Result) (Problem, error) {
	p := Problem{Children: map[string][]float64{}, Total: make([]float64, 2), Covered: make([]float64, 2)}
	byID := map[string]int{}
	num := func(row []any, col string) (float64, error) {
		f, ok := res.Float(row, col)
		if !ok {
			return 0, fmt.Errorf("%s is %v, not a number", col, row[res.MustCol(col)])
		}
		return f, nil
	}
	for i, row := range res.Rows {
		if i == 0 {
			for j, col := range []string{"deprived_0_4", "deprived_0_19", "covered_0_4", "covered_0_19"} {
				f, err := num(row, col)
				if err != nil {
					return p, err
				}
				*[]*float64{&p.Total[0], &p.Total[1], &p.Covered[0], &p.Covered[1]}[j] = f
			}
		}
		if row[res.MustCol("candidate_id")] == nil {
			continue
		}
		id := res.Str(row, "candidate_id")
		lsoa := res.Str(row, "lsoa21_code")
		c04, err := num(row, "children_0_4")
		if err != nil {
			return p, err
		}
		c019, err := num(row, "children_0_19")
		if err != nil {
			return p, err
		}
		p.Children[lsoa] = []float64{c04, c019}
		k, ok := byID[id]
		if !ok {
			lat, _ := res.Float(row, "candidate_lat")
			lon, _ := res.Float(row, "candidate_lon")
			byID[id] = len(p.Candidates)
			k = len(p.Candidates)
			p.Candidates = append(p.Candidates, Candidate{ID: id, Name: res.Str(row, "candidate_name"), Kind: res.Str(row, "candidate_kind"), Lat: lat, Lon: lon})
		}
		p.Candidates[k].Covers = append(p.Candidates[k].Covers, lsoa)
	}
	return p, nil
}

// Objectives name the populations the next hubs are chosen for, in FromRows's order.
var Objectives = []string{"children 0-4", "children 0-19"}

// NextHubColumns are the columns of the next-hub answer.
var NextHubColumns = []string{"objective", "pick", "candidate_id", "candidate_name", "candidate_kind", "candidate_lat", "candidate_lon",
	"new_0_4", "new_0_19", "share_0_4_before", "share_0_4_after", "share_0_19_before", "share_0_19_after"}

// FinishNextHub turns access_next_hub's rows into the greedy choice of the next Picks hubs, for
// children aged 0-4 and then for 0-19: one row per pick. The counts are published populations
// (ONS), not records of families the hubs saw, so no disclosure control applies.
func FinishNextHub(res *queries.Result) (*queries.Result, error) {
	p, err := FromRows(res)
	if err != nil {
		return nil, err
	}
	out := &queries.Result{Query: res.Query, Args: res.Args, Columns: NextHubColumns, Notes: res.Notes, Raw: res.Raw}
	for by, objective := range Objectives {
		for i, pk := range Greedy(p, by, Picks) {
			c := pk.Candidate
			out.Rows = append(out.Rows, []any{objective, int64(i + 1), c.ID, c.Name, c.Kind, c.Lat, c.Lon,
				int64(pk.New[0]), int64(pk.New[1]), pk.Before[0], pk.After[0], pk.Before[1], pk.After[1]})
		}
	}
	candidates := "Candidates are the council's LSOA centres: illustrative places, not buildings."
	if res.Query != nil && res.Query.Name == "access_next_hub_buildings" {
		candidates = "Candidates are the buildings the council's network file lists, illustrative where it says so."
	}
	out.Notes = append(out.Notes, fmt.Sprintf("Greedy maximal coverage: each pick brings the most children in IDACI deciles 1-2 "+
		"not yet within %g km (straight line) of a hub within it; within 1 - 1/e of the best set of the same size; ties to the lower candidate id. ", Reach)+
		candidates)
	return out, nil
}
