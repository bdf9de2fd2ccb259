package stats

import (
	"fmt"
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

// Trend markers, in the words OHID Fingertips and PHEindicatormethods use (lower case, as the
// tool's other words are).
const (
	Increasing         = "increasing"
	Decreasing         = "decreasing"
	NoChange           = "no significant change"
	CannotBeCalculated = "cannot be calculated"
	// TooFewPoints is CannotBeCalculated under the name earlier callers use.
	TooFewPoints = CannotBeCalculated
)

// TrendPoints is how many of the latest annual points a trend marker is tested on, and
// TrendChiSquare the critical value of the chi-squared statistic (1 degree of freedom) above
// which a trend is significant: 99.8% two-sided, p < 0.002, as Fingertips tests (its own code
// holds 9.54953570608324; PHEindicatormethods 9.5495).
const (
	TrendPoints    = 5
	TrendChiSquare = 9.54953570608324
)

// Point is one annual figure: events (distinct people counted once, such as children looked
// after at 31 March) out of a population.
type Point struct {
	Year             int
	Events, Populace float64
}

// TrendResult is a trend marker with the figures behind it.
type TrendResult struct {
	Marker string
	// ChiSquare is the chi-squared statistic for linear trend over the points tested (NaN
	// when it could not be formed); Slope the least-squares slope of the log-odds per year,
	// whose sign gives the direction.
	ChiSquare, Slope float64
	// Reason says why the marker is what it is, in words a reader can check.
	Reason string
}

// Trend is the recent trend marker of a series of annual proportions, as OHID Fingertips assigns
// it (OHID, Fingertips trend markers, Public Health Technical Guidance:
// https://fingertips.phe.org.uk/static-reports/public-health-technical-guidance/Presentation/Trend_markers.html;
// the same rule as PHEindicatormethods' assign_trend_markers for value_type "proportion"):
//
//   - the latest five points are tested, and they must be five consecutive years of one series;
//     fewer points, or a gap or series break among them, cannot be calculated;
//   - chi-squared test for linear trend in proportions (Armitage P (1955) Biometrics 11:375-386;
//     Altman DG (1991) Practical Statistics for Medical Research, 10.7.4) on the counts c_i out
//     of denominators d_i, time t_i scored 1-5, C = sum c_i and N = sum d_i:
//     X2 = N (N sum c_i t_i - C sum d_i t_i)^2 / (C (N - C) (N sum d_i t_i^2 - (sum d_i t_i)^2));
//   - the trend is significant when X2 > 9.5495 (99.8%);
//   - its direction is the sign of the least-squares slope of the log-odds, ln(c_i/(d_i-c_i)),
//     on time; it is called only if that slope keeps its sign with each of the five points left
//     out in turn (the slope over the four that remain; their significance is not re-tested),
//     so a trend that rests on one point is no significant change.
//
// Otherwise the marker is "no significant change". No judgement of better or worse is attached.
// A significant series with a point of no events (or all) has no log-odds to judge the direction
// on: cannot be calculated. This is Fingertips' test for proportions (people counted once out of
// a population); it tests rates of events that can recur, means and the like by a regression
// weighted by their confidence intervals instead, which this does not do.
func Trend(points []Point) (string, error) {
	r, err := TrendDetail(points)
	return r.Marker, err
}

// TrendDetail is Trend with the chi-squared statistic, the slope and the reason.
func TrendDetail(points []Point) (TrendResult, error) {
	res := TrendResult{ChiSquare: math.NaN(), Slope: math.NaN()}
	for _, p := range points {
		if !(p.Populace > 0) || !(p.Events >= 0) || p.Events > p.Populace {
			return res, fmt.Errorf("trend: %d: each point needs 0 <= events <= population > 0 (got %g of %g)", p.Year, p.Events, p.Populace)
		}
	}
	if len(points) < TrendPoints {
		res.Marker, res.Reason = CannotBeCalculated, fmt.Sprintf("%d points; the test needs %d consecutive", len(points), TrendPoints)
		return res, nil
	}
	points = points[len(points)-TrendPoints:]
	for i := 1; i < len(points); i++ {
		if points[i].Year != points[i-1].Year+1 {
			res.Marker, res.Reason = CannotBeCalculated, fmt.Sprintf("%d does not follow %d: the latest %d points are not consecutive years", points[i].Year, points[i-1].Year, TrendPoints)
			return res, nil
		}
	}
	// time scored 1..5, as Fingertips does: the statistic does not depend on the origin, and
	// small scores keep the sums exact
	var n, c, sumDT, sumCT, sumDTT float64
	for i, p := range points {
		t := float64(i + 1)
		n += p.Populace
		c += p.Events
		sumDT += p.Populace * t
		sumCT += p.Events * t
		sumDTT += p.Populace * t * t
	}
	if c == 0 || c == n {
		res.Marker, res.Reason = NoChange, "no events (or all) at every point: nothing to trend"
		return res, nil
	}
	diff := n*sumCT - c*sumDT
	res.ChiSquare = n * diff * diff / (c * (n - c) * (n*sumDTT - sumDT*sumDT))
	if !(res.ChiSquare > TrendChiSquare) {
		res.Marker, res.Reason = NoChange, fmt.Sprintf("chi-squared %.2f is not above %.4f (99.8%%)", res.ChiSquare, TrendChiSquare)
		return res, nil
	}
	res.Slope = logOddsSlope(points, -1)
	if math.IsNaN(res.Slope) {
		res.Marker, res.Reason = CannotBeCalculated, "a point with no events (or all) has no log-odds, the scale the direction is judged on"
		return res, nil
	}
	for out := range points {
		if s := logOddsSlope(points, out); !(math.Signbit(s) == math.Signbit(res.Slope) && s != 0 && res.Slope != 0) {
			res.Marker, res.Reason = NoChange, fmt.Sprintf("chi-squared %.2f, but without %d the slope is %+.4g against %+.4g: the trend rests on one point",
				res.ChiSquare, points[out].Year, s, res.Slope)
			return res, nil
		}
	}
	res.Marker = Increasing
	if res.Slope < 0 {
		res.Marker = Decreasing
	}
	res.Reason = fmt.Sprintf("chi-squared %.2f above %.4f (99.8%%), and the direction holds with each point left out", res.ChiSquare, TrendChiSquare)
	return res, nil
}

// logOddsSlope is the ordinary least-squares slope of ln(events/(population-events)) on time
// scored 1..len(points), leaving out the point at index out (none if out < 0). NaN if a point
// used has no events or all.
func logOddsSlope(points []Point, out int) float64 {
	var k, sy, st, syt, stt float64
	for i, p := range points {
		if i == out {
			continue
		}
		if p.Events <= 0 || p.Events >= p.Populace {
			return math.NaN()
		}
		y, t := math.Log(p.Events/(p.Populace-p.Events)), float64(i+1)
		k++
		sy += y
		st += t
		syt += y * t
		stt += t * t
	}
	return (k*syt - sy*st) / (k*stt - st*st)
}
