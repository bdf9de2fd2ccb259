// Package stats holds the methods public health analysts use for indicators, in pure Go with no
// database: confidence intervals for proportions and rates, the slope and relative indices of
// inequality, comparison with a benchmark, trend markers, and disclosure control. Each method
// names its source; the tests check them against the reference values OHID publishes with
// PHEindicatormethods (../shared/reference/phe).
package stats

import (
	"fmt"
	"math"
)

// Z is the two-sided standard normal critical value for a confidence level (0.95 -> 1.959964).
func Z(confidence float64) float64 {
	return math.Sqrt2 * math.Erfinv(confidence)
}

// Interval is an estimate with its confidence limits.
type Interval struct {
	Value, Lower, Upper float64
	Confidence          float64 // e.g. 0.95
	Method              string  // e.g. "Wilson", "Byar's", "exact Poisson"
}

func (i Interval) String() string {
	return fmt.Sprintf("%g (%g to %g, %g%% %s)", i.Value, i.Lower, i.Upper, i.Confidence*100, i.Method)
}

// Wilson is a proportion x/n with its Wilson score interval.
//
// Source: Wilson EB (1927) Probable inference, the law of succession, and statistical inference.
// J Am Stat Assoc 22:209-212; as implemented by OHID's PHEindicatormethods (wilson_lower/upper) and
// Fingertips for proportions. Defined for 0 <= x <= n, n > 0: 0 events give a lower limit of 0, all
// events an upper limit of 1.
func Wilson(x, n, confidence float64) (Interval, error) {
	if !(n > 0) || !(x >= 0) || x > n {
		return Interval{}, fmt.Errorf("proportion %g of %g: need 0 <= x <= n and n > 0", x, n)
	}
	z := Z(confidence)
	p := x / n
	centre := 2*x + z*z
	spread := z * math.Sqrt(z*z+4*x*(1-p))
	den := 2 * (n + z*z)
	return Interval{Value: p, Lower: (centre - spread) / den, Upper: (centre + spread) / den,
		Confidence: confidence, Method: "Wilson"}, nil
}

// Rate is a crude rate of x events per `per` of population n, with its interval: exact Poisson
// limits from the chi-squared distribution when x < 10, Byar's approximation from 10.
//
// Sources: Breslow NE, Day NE (1987) Statistical Methods in Cancer Research vol II, IARC (Byar's
// approximation); exact limits as chi-squared quantiles, lower = qchisq(a/2, 2x)/2 and upper =
// qchisq(1-a/2, 2x+2)/2 (Ulm 1990); the choice at 10 events is OHID's (PHEindicatormethods phe_rate,
// Fingertips technical guidance).
func Rate(x, n, per, confidence float64) (Interval, error) {
	if !(n > 0) || !(x >= 0) {
		return Interval{}, fmt.Errorf("rate %g per %g: need x >= 0 and n > 0", x, n)
	}
	lo, hi, method := PoissonLimits(x, confidence)
	return Interval{Value: x / n * per, Lower: lo / n * per, Upper: hi / n * per, Confidence: confidence, Method: method}, nil
}

// PoissonLimits are the confidence limits of a Poisson count x (see Rate for the sources).
func PoissonLimits(x, confidence float64) (lower, upper float64, method string) {
	alpha := 1 - confidence
	if x < 10 {
		if x > 0 {
			lower = ChiSquareQuantile(alpha/2, 2*x) / 2
		}
		upper = ChiSquareQuantile(1-alpha/2, 2*x+2) / 2
		return lower, upper, "exact Poisson"
	}
	lower, upper = ByarsLimits(x, confidence)
	return lower, upper, "Byar's"
}

// ByarsLimits are Byar's approximate limits of a Poisson count x, whatever its size. Below 10
// events use PoissonLimits, which switches to exact limits; a lower limit that would be negative
// (1 event at 99.8%) is NaN, as PHEindicatormethods reports it missing.
func ByarsLimits(x, confidence float64) (lower, upper float64) {
	z := Z(confidence)
	lower = math.NaN()
	if x > 0 {
		if base := 1 - 1/(9*x) - z/(3*math.Sqrt(x)); base >= 0 {
			lower = x * math.Pow(base, 3)
		}
	} else if x == 0 {
		lower = 0
	}
	x1 := x + 1
	upper = x1 * math.Pow(1-1/(9*x1)+z/(3*math.Sqrt(x1)), 3)
	return lower, upper
}

// ChiSquareQuantile is the p-quantile of the chi-squared distribution with df degrees of freedom,
// found by bisection on its CDF (the regularised lower incomplete gamma function).
func ChiSquareQuantile(p, df float64) float64 {
	if p <= 0 {
		return 0
	}
	if p >= 1 {
		return math.Inf(1)
	}
	lo, hi := 0.0, math.Max(1, df)
	for ChiSquareCDF(hi, df) < p {
		hi *= 2
	}
	for i := 0; i < 200 && hi-lo > 1e-15*math.Max(1, hi); i++ {
		mid := (lo + hi) / 2
		if ChiSquareCDF(mid, df) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// ChiSquareCDF is P(X <= x) for X chi-squared with df degrees of freedom.
func ChiSquareCDF(x, df float64) float64 {
	if x <= 0 {
		return 0
	}
	return gammaP(df/2, x/2)
}

// gammaP is the regularised lower incomplete gamma function P(a, x), by its series for
// x < a+1 and by Lentz's continued fraction for Q otherwise (Numerical Recipes, 3rd ed., 6.2).
func gammaP(a, x float64) float64 {
	lg, _ := math.Lgamma(a)
	if x < a+1 {
		sum, term := 1/a, 1/a
		for n := 1; n < 1000; n++ {
			term *= x / (a + float64(n))
			sum += term
			if math.Abs(term) < math.Abs(sum)*1e-16 {
				break
			}
		}
		return sum * math.Exp(-x+a*math.Log(x)-lg)
	}
	const tiny = 1e-300
	b := x + 1 - a
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i < 1000; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-16 {
			break
		}
	}
	return 1 - math.Exp(-x+a*math.Log(x)-lg)*h
}
