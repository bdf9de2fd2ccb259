package stats

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
)

// Observation is one child's follow-up: the time from the start of follow-up (days, months, any
// unit, so long as every observation and every time asked about uses the same one) to the event
// (Event true: e.g. referred to children's social care) or to censoring (Event false: follow-up
// ended without the event, e.g. the data end or the child moved away).
type Observation struct {
	Time  float64
	Event bool
}

// Incidence is the cumulative incidence of the event by Time, with its confidence limits and the
// counts behind it.
type Incidence struct {
	Time float64
	// Estimate is 1 - S(Time), the Kaplan-Meier probability of having had the event by Time;
	// Lower and Upper are its confidence limits. All three are NaN when Defined is false.
	Estimate, Lower, Upper float64
	// AtRisk is the number at risk at Time: children whose own Time is at or after it (not yet
	// had the event or been censored before Time), so those with the event or censored at Time
	// itself count, as in R's summary(survfit(...), times = ...).
	AtRisk int
	// Events and Censored are cumulative: the children with the event, and those censored, at
	// or before Time.
	Events, Censored int
	// Defined is false when there is no estimate at Time: no observations, or Time after the
	// last observed time (no one is left at risk, and the curve is not extrapolated), or Time NaN.
	Defined bool
}

// CumulativeIncidence is the Kaplan-Meier estimate of the cumulative probability of the event by
// each time in at (1 - S(t)), with pointwise confidence limits at level (e.g. 0.95). Results come
// in the order of at, one for each.
//
// Method. S(t) is the product over the distinct event times t_j <= t of (1 - d_j / n_j), d_j the
// events at t_j and n_j the number with Time >= t_j (Kaplan EL, Meier P (1958) Nonparametric
// estimation from incomplete observations. J Am Stat Assoc 53:457-481). Ties: events at a time
// are counted before censorings at the same time, so a child censored at t_j is still at risk at
// t_j (the usual convention, and R's survival package's). The variance of log S(t) is Greenwood's,
// the sum over t_j <= t of d_j / (n_j (n_j - d_j)) (Greenwood M (1926) The natural duration of
// cancer. Reports on Public Health and Medical Subjects 33, HMSO). The limits are set on the
// log(-log S) scale, whose standard error is that of log S divided by |log S|, and transformed
// back, so they stay within [0, 1]: S(t)^exp(+-z se / |log S|) (Kalbfleisch JD, Prentice RL (1980)
// The Statistical Analysis of Failure Time Data, Wiley; R survival's survfit with
// conf.type = "log-log"). The limits of the incidence are 1 minus those of S, the lower from
// the upper.
//
// Where the transform cannot be taken the limits are the estimate itself:
//   - S(t) = 1 (no events yet, including every time before the first observation): Estimate,
//     Lower and Upper are all 0. This is what R reports (its survival limits are 1^NA = 1, so 1
//     to 1). It is not a claim of certainty: with no events the data say nothing about the
//     width, and a caller wanting an upper limit there needs another method.
//   - S(t) = 0 (everyone still at risk at the last time had the event then): Estimate, Lower and
//     Upper are all 1. R reports the limits as NA (0^NA); 1 is given here so that no result
//     carries NaN where the estimate is defined.
//
// Times after the last observed time are not estimated (Defined false, Estimate and limits NaN),
// even when the last observation was an event and S stays 0, as R's summary.survfit leaves them
// out (extend = FALSE). Times before the first observation, negative times included, have S = 1
// and everyone at risk.
//
// CumulativeIncidence panics if level is not strictly between 0 and 1, or if an observation's
// Time is NaN: both are a caller's mistake (a level is a constant in the code; times should be
// checked when the records are read), not something the data can make happen. obs is not
// modified. It takes O(n log n) for n observations, then O(log n) for each time in at.
func CumulativeIncidence(obs []Observation, at []float64, level float64) []Incidence {
	if !(level > 0 && level < 1) {
		panic(fmt.Sprintf("stats.CumulativeIncidence: confidence level %g is not between 0 and 1", level))
	}
	for i, o := range obs {
		if math.IsNaN(o.Time) {
			panic(fmt.Sprintf("stats.CumulativeIncidence: observation %d has time NaN", i))
		}
	}
	steps := kaplanMeier(obs)
	z := Z(level)
	n := len(obs)
	out := make([]Incidence, len(at))
	for i, t := range at {
		r := Incidence{Time: t, Estimate: math.NaN(), Lower: math.NaN(), Upper: math.NaN()}
		// j: how many distinct times are at or before t
		j := sort.Search(len(steps), func(k int) bool { return steps[k].time > t })
		s, greenwood := 1.0, 0.0
		if j > 0 {
			last := steps[j-1]
			r.Events, r.Censored = last.events, last.censored
			s, greenwood = last.s, last.greenwood
			r.AtRisk = n - r.Events - r.Censored
			if last.time == t {
				r.AtRisk += last.d + last.c
			}
		} else {
			r.AtRisk = n
		}
		if math.IsNaN(t) {
			r.AtRisk, r.Events, r.Censored = 0, 0, 0
		}
		if n == 0 || math.IsNaN(t) || t > steps[len(steps)-1].time {
			out[i] = r
			continue
		}
		r.Defined = true
		switch {
		case s == 1:
			r.Estimate, r.Lower, r.Upper = 0, 0, 0
		case s == 0:
			r.Estimate, r.Lower, r.Upper = 1, 1, 1
		default:
			logS := math.Log(s)
			k := math.Exp(z * math.Sqrt(greenwood) / -logS)
			// S's limits are S^k (lower) and S^(1/k) (upper); 1 - S^a = -expm1(a log S) keeps
			// the incidence's digits when S is close to 1.
			r.Estimate = 1 - s
			r.Lower = -math.Expm1(logS / k)
			r.Upper = -math.Expm1(logS * k)
		}
		out[i] = r
	}
	return out
}

// kmStep is the Kaplan-Meier curve just after one distinct observed time.
type kmStep struct {
	time             float64
	d, c             int     // events and censorings at time
	events, censored int     // cumulative, at or before time
	s                float64 // S just after time
	greenwood        float64 // Greenwood's sum of d/(n(n-d)) over event times so far
}

// kaplanMeier is the survival curve at each distinct time of obs, in time order.
func kaplanMeier(obs []Observation) []kmStep {
	sorted := slices.Clone(obs)
	slices.SortFunc(sorted, func(a, b Observation) int { return cmp.Compare(a.Time, b.Time) })
	var steps []kmStep
	s, greenwood := 1.0, 0.0
	events, censored := 0, 0
	for i := 0; i < len(sorted); {
		t := sorted[i].Time
		atRisk := len(sorted) - i
		d, c := 0, 0
		for ; i < len(sorted) && sorted[i].Time == t; i++ {
			if sorted[i].Event {
				d++
			} else {
				c++
			}
		}
		if d > 0 {
			s *= 1 - float64(d)/float64(atRisk)
			if d < atRisk {
				greenwood += float64(d) / (float64(atRisk) * float64(atRisk-d))
			} else {
				s = 0 // everyone left had the event; the variance term is undefined and unused
			}
		}
		events += d
		censored += c
		steps = append(steps, kmStep{time: t, d: d, c: c, events: events, censored: censored, s: s, greenwood: greenwood})
	}
	return steps
}
