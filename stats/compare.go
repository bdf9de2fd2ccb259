package stats

import (
	"errors"
	"math"
)

// Polarity says which direction is good for an indicator.
type Polarity int

const (
	// NoJudgement: a difference is reported as higher or lower, not better or worse. Children's
	// social care numbers are like this: fewer children in care is not by itself better.
	NoJudgement Polarity = iota
	HigherIsBetter
	LowerIsBetter
)

// Comparison with a benchmark, in Fingertips' words.
const (
	Better  = "better"
	Similar = "similar"
	Worse   = "worse"
	Higher  = "higher"
	Lower   = "lower"
	// NotCompared: one side is missing (suppressed, not published, or no benchmark).
	NotCompared = "not compared"
)

// Compare places a value against a benchmark. When the benchmark has confidence limits (a council
// against the average of others with their own uncertainty) the two intervals are compared: no
// overlap is a significant difference. When it has none (England, whose interval is negligible, or
// a published average) the value's interval is compared with the benchmark value, as Fingertips
// does. Significant differences are named by polarity: better/worse, or higher/lower when no
// direction is good.
func Compare(v Interval, benchmark Interval, p Polarity) string {
	if math.IsNaN(v.Value) || math.IsNaN(benchmark.Value) {
		return NotCompared
	}
	bLo, bHi := benchmark.Lower, benchmark.Upper
	if bLo == 0 && bHi == 0 && benchmark.Value != 0 {
		bLo, bHi = benchmark.Value, benchmark.Value
	}
	var dir int
	switch {
	case v.Lower > bHi:
		dir = 1
	case v.Upper < bLo:
		dir = -1
	default:
		return Similar
	}
	switch p {
	case HigherIsBetter:
		if dir > 0 {
			return Better
		}
		return Worse
	case LowerIsBetter:
		if dir > 0 {
			return Worse
		}
		return Better
	}
	if dir > 0 {
		return Higher
	}
	return Lower
}

// Trend markers.
const (
	Increasing   = "increasing"
	Decreasing   = "decreasing"
	NoChange     = "no significant change"
	TooFewPoints = "too few points"
)

// Point is one annual figure: events out of a population.
type Point struct {
	Year             int
	Events, Populace float64
}

// Trend tests the latest five annual points (or all, if fewer than five but at least three
// consecutive) for a linear trend in the proportion events/population, by the chi-squared test for
// trend (Armitage P (1955) Tests for linear trends in proportions and frequencies, Biometrics
// 11:375-386; Altman DG (1991) Practical Statistics for Medical Research, 10.7.4), the test OHID
// Fingertips uses for its recent trend marker on count-based indicators. Significant at the given
// confidence (two-sided): increasing or decreasing; otherwise no significant change. Points must
// be consecutive years: a gap or a series break gives TooFewPoints rather than a trend across it.
func Trend(points []Point, confidence float64) (string, error) {
	if len(points) > 5 {
		points = points[len(points)-5:]
	}
	if len(points) < 3 {
		return TooFewPoints, nil
	}
	for i := 1; i < len(points); i++ {
		if points[i].Year != points[i-1].Year+1 {
			return TooFewPoints, nil
		}
	}
	var n, r, sumNX, sumRX, sumNXX float64
	for _, p := range points {
		if p.Populace <= 0 || p.Events < 0 || p.Events > p.Populace {
			return "", errors.New("trend: each point needs 0 <= events <= population > 0")
		}
		x := float64(p.Year)
		n += p.Populace
		r += p.Events
		sumNX += p.Populace * x
		sumRX += p.Events * x
		sumNXX += p.Populace * x * x
	}
	pbar := r / n
	if pbar == 0 || pbar == 1 {
		return NoChange, nil
	}
	num := sumRX - r*sumNX/n
	den := pbar * (1 - pbar) * (sumNXX - sumNX*sumNX/n)
	if den <= 0 {
		return NoChange, nil
	}
	chi2 := num * num / den
	if chi2 <= ChiSquareQuantile(confidence, 1) {
		return NoChange, nil
	}
	if num > 0 {
		return Increasing, nil
	}
	return Decreasing, nil
}
