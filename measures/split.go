package measures

import (
	"math"

	"familyhubs/queries"
	"familyhubs/stats"
)

// DeprivationSplit is what a reach_by_decile answer says about the whole council and about its
// 20% most deprived neighbourhoods (national IDACI deciles 1-2) against the rest: children and
// families reached, children resident, and reach per 1,000 with 95% limits. The overview tile,
// the briefing and (in SQL) fund_progress all state these figures; this is the one computation
// in Go, and a test holds fund_progress to it.
type DeprivationSplit struct {
	Reached, Families, Resident float64
	All, Deprived, Rest         stats.Interval // per 1,000 children aged 0-19; NaN with no one resident
}

// SplitByDeprivation sums reach_by_decile's IDACI rows (each child lives in one decile, so the
// rows add up).
func SplitByDeprivation(r *queries.Result) DeprivationSplit {
	var s DeprivationSplit
	var reached12, resident12 float64
	for _, row := range r.Rows {
		if queries.Text(row[r.Col("index")]) != "IDACI" {
			continue
		}
		n, _ := Number(row[r.Col("children_reached")])
		p, _ := Number(row[r.Col("children_resident")])
		f, _ := Number(row[r.Col("families_reached")])
		s.Reached, s.Resident, s.Families = s.Reached+n, s.Resident+p, s.Families+f
		if d, _ := Number(row[r.Col("decile")]); d <= 2 {
			reached12, resident12 = reached12+n, resident12+p
		}
	}
	s.All = rate(s.Reached, s.Resident)
	s.Deprived = rate(reached12, resident12)
	s.Rest = rate(s.Reached-reached12, s.Resident-resident12)
	return s
}

func rate(n, pop float64) stats.Interval {
	iv, err := stats.Rate(n, pop, 1000, Confidence)
	if err != nil {
		return stats.Interval{Value: math.NaN(), Lower: math.NaN(), Upper: math.NaN()}
	}
	return iv
}
