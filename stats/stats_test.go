package stats_test

import (
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"familyhubs/internal/testdata"
	"familyhubs/stats"
)

// num parses a reference value; a blank cell (a missing input or an output PHE leaves NA) is NaN.
func num(t *testing.T, s string) float64 {
	t.Helper()
	if s == "" {
		return math.NaN()
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return f
}

func close(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(want) || math.IsNaN(got) {
		if math.IsNaN(want) != math.IsNaN(got) {
			t.Errorf("%s = %g, want %g", what, got, want)
		}
		return
	}
	if math.Abs(got-want) > tol*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.12g, want %.12g", what, got, want)
	}
}

func ref(t *testing.T, name string) []map[string]string {
	return testdata.ReadCSV(t, filepath.Join(testdata.ReferenceDir(t), name))
}

func conf(t *testing.T, s string) float64 {
	return num(t, strings.TrimSuffix(s, "%")) / 100
}

// OHID's published values for Byar's/exact Poisson limits on counts and Wilson limits on
// proportions (PHEindicatormethods testdata_Byars and testdata_Wilson).
func TestByarsAndWilsonAgainstPHE(t *testing.T) {
	for _, r := range ref(t, "byars_wilson.csv") {
		c := conf(t, r["confidence"])
		x := num(t, r["x"])
		switch r["method"] {
		case "Byars":
			lo, hi := stats.ByarsLimits(x, c)
			close(t, "Byar's lower of "+r["x"]+" at "+r["confidence"], lo, num(t, r["lowercl"]), 1e-9)
			close(t, "Byar's upper of "+r["x"]+" at "+r["confidence"], hi, num(t, r["uppercl"]), 1e-9)
		case "Wilson":
			iv, err := stats.Wilson(x, num(t, r["n"]), c)
			if err != nil {
				t.Fatal(err)
			}
			close(t, "Wilson lower of "+r["x"]+"/"+r["n"], iv.Lower, num(t, r["lowercl"]), 1e-9)
			close(t, "Wilson upper of "+r["x"]+"/"+r["n"], iv.Upper, num(t, r["uppercl"]), 1e-9)
		default:
			t.Errorf("unknown method %q", r["method"])
		}
	}
}

func TestProportionsAgainstPHE(t *testing.T) {
	for _, r := range ref(t, "proportion.csv") {
		x, n := num(t, r["Numerator"]), num(t, r["Denominator"])
		if math.IsNaN(x) || math.IsNaN(n) {
			// PHE gives no value for a missing numerator or denominator; neither do we
			if _, err := stats.Wilson(x, n, 0.95); err == nil || r["value"] != "" {
				t.Errorf("%s: missing input gave no error (PHE value %q)", r["Area"], r["value"])
			}
			continue
		}
		for _, c := range []struct {
			level  float64
			lo, hi string
		}{{0.95, "lower95_0cl", "upper95_0cl"}, {0.998, "lower99_8cl", "upper99_8cl"}} {
			iv, err := stats.Wilson(x, n, c.level)
			if err != nil {
				t.Fatalf("%s: %v", r["Area"], err)
			}
			close(t, r["Area"]+" value", iv.Value*num(t, r["multiplier"]), num(t, r["value"]), 1e-12)
			close(t, r["Area"]+" "+c.lo, iv.Lower*num(t, r["multiplier"]), num(t, r[c.lo]), 1e-9)
			close(t, r["Area"]+" "+c.hi, iv.Upper*num(t, r["multiplier"]), num(t, r[c.hi]), 1e-9)
		}
	}
	for _, r := range ref(t, "proportion_testdata_Prop_g.csv") {
		if r["Numerator"] == "" || r["Denominator"] == "" {
			continue
		}
		iv, _ := stats.Wilson(num(t, r["Numerator"]), num(t, r["Denominator"]), conf(t, r["confidence"]))
		m := num(t, r["multiplier"])
		close(t, r["Area"]+" grouped lower", iv.Lower*m, num(t, r["lowercl"]), 1e-9)
		close(t, r["Area"]+" grouped upper", iv.Upper*m, num(t, r["uppercl"]), 1e-9)
	}
}

func TestRatesAgainstPHE(t *testing.T) {
	for _, r := range ref(t, "rate.csv") {
		x, n, per := num(t, r["Numerator"]), num(t, r["Denominator"]), num(t, r["multiplier"])
		if math.IsNaN(x) || math.IsNaN(n) {
			if _, err := stats.Rate(x, n, per, 0.95); err == nil || r["value"] != "" {
				t.Errorf("%s: missing input gave no error (PHE value %q)", r["Area"], r["value"])
			}
			continue
		}
		for _, c := range []struct {
			level  float64
			lo, hi string
		}{{0.95, "lower95_0cl", "upper95_0cl"}, {0.998, "lower99_8cl", "upper99_8cl"}} {
			iv, err := stats.Rate(x, n, per, c.level)
			if err != nil {
				t.Fatalf("%s: %v", r["Area"], err)
			}
			wantMethod := map[string]string{"Exact": "exact Poisson", "Byars": "Byar's"}[r["method"]]
			if iv.Method != wantMethod {
				t.Errorf("%s: method %s, PHE used %s", r["Area"], iv.Method, r["method"])
			}
			close(t, r["Area"]+" rate", iv.Value, num(t, r["value"]), 1e-12)
			close(t, r["Area"]+" "+c.lo, iv.Lower, num(t, r[c.lo]), 1e-9)
			close(t, r["Area"]+" "+c.hi, iv.Upper, num(t, r[c.hi]), 1e-9)
		}
	}
	for _, r := range ref(t, "rate_testdata_Rate_g.csv") {
		if r["Numerator"] == "" || r["Denominator"] == "" {
			continue
		}
		iv, _ := stats.Rate(num(t, r["Numerator"]), num(t, r["Denominator"]), num(t, r["multiplier"]), conf(t, r["confidence"]))
		close(t, r["Area"]+" grouped lower", iv.Lower, num(t, r["lowercl"]), 1e-9)
		close(t, r["Area"]+" grouped upper", iv.Upper, num(t, r["uppercl"]), 1e-9)
	}
}

// Hand-worked edge cases.
func TestIntervalEdgeCases(t *testing.T) {
	// 0 events: the lower limit is 0; the exact 95% upper limit of a zero count is -ln(0.025) = 3.6889
	lo, hi, m := stats.PoissonLimits(0, 0.95)
	if lo != 0 || m != "exact Poisson" {
		t.Errorf("zero count: lower %g method %s", lo, m)
	}
	close(t, "upper limit of 0 events", hi, -math.Log(0.025), 1e-9)
	// 1 event: exact lower limit is -ln(0.975) = 0.0253178
	lo, _, _ = stats.PoissonLimits(1, 0.95)
	close(t, "lower limit of 1 event", lo, -math.Log(0.975), 1e-9)
	// all events: Wilson upper limit 1, lower limit n/(n+z^2)
	iv, _ := stats.Wilson(10, 10, 0.95)
	z := stats.Z(0.95)
	close(t, "Wilson upper, all events", iv.Upper, 1, 1e-12)
	close(t, "Wilson lower, all events", iv.Lower, 10/(10+z*z), 1e-12)
	iv, _ = stats.Wilson(0, 10, 0.95)
	if iv.Lower != 0 || math.Abs(iv.Upper-z*z/(10+z*z)) > 1e-12 {
		t.Errorf("Wilson with no events: %v", iv)
	}
	// a tiny population: 1 event in 3 is still a valid (wide) interval inside [0, 1]
	iv, _ = stats.Wilson(1, 3, 0.95)
	if iv.Lower <= 0 || iv.Upper >= 1 || iv.Lower >= iv.Value || iv.Upper <= iv.Value {
		t.Errorf("Wilson 1/3: %v", iv)
	}
	// 485 children looked after of 64,910: 74.72 per 10,000, Byar's limits
	r, _ := stats.Rate(485, 64910, 10000, 0.95)
	close(t, "Stockport 2025 rate", r.Value, 74.7188414, 1e-7)
	if r.Method != "Byar's" || r.Lower > 68.3 || r.Lower < 68.0 || r.Upper < 81.5 || r.Upper > 81.8 {
		t.Errorf("Stockport 2025 rate interval %v", r)
	}
	for _, bad := range [][2]float64{{-1, 10}, {11, 10}, {1, 0}} {
		if _, err := stats.Wilson(bad[0], bad[1], 0.95); err == nil {
			t.Errorf("Wilson(%g, %g) accepted", bad[0], bad[1])
		}
	}
	if _, err := stats.Rate(1, 0, 1000, 0.95); err == nil {
		t.Error("a rate on no population was accepted")
	}
	close(t, "chi-squared 0.975 quantile, 1 df", stats.ChiSquareQuantile(0.975, 1), 5.023886187314888, 1e-9)
	close(t, "chi-squared 0.05 quantile, 10 df", stats.ChiSquareQuantile(0.05, 10), 3.940299136119247, 1e-9)
}

// OHID's published SII and RII: point estimates to 1e-9 for the options this tool offers
// (untransformed regression, value types 0/1/2, deciles and quintiles, 95% and 99%), and the
// simulated limits within 5%, the tolerance PHEindicatormethods' own tests use.
func TestSIIAgainstPHE(t *testing.T) {
	rows := ref(t, "sii.csv")
	type group struct {
		key  string
		rows []map[string]string
	}
	var groups []*group
	for _, r := range rows {
		key := r["TestDescription"] + "|" + r["Area"]
		if len(groups) == 0 || groups[len(groups)-1].key != key {
			groups = append(groups, &group{key: key})
		}
		g := groups[len(groups)-1]
		g.rows = append(g.rows, r)
	}
	offered := map[string]bool{
		"default (e.g. life expectancy) - default parameters":  true,
		"default - testing 99% confidence":                     true,
		"default - testing 10,000 repetitions":                 true,
		"default - testing quintiles":                          true,
		"rate (e.g. infant mortality) - default parameters":    true,
		"proportion (e.g. child obesity) - default parameters": true,
	}
	checked := 0
	for _, g := range groups {
		first := g.rows[0]
		if !offered[first["TestDescription"]] {
			continue
		}
		vt := stats.ValueType(int(num(t, first["ValueType"])))
		var qs []stats.Quantile
		for _, r := range g.rows {
			q := stats.Quantile{Population: num(t, r["Population"]), Lower: num(t, r["LowerCL"]), Upper: num(t, r["UpperCL"])}
			if r["Value"] != "" {
				q.Value = num(t, r["Value"])
			} else {
				q.Value = num(t, r["Count"]) / q.Population
			}
			qs = append(qs, q)
		}
		c := num(t, first["Confidence"]) / 100
		reps := int(num(t, first["Repetitions"]))
		got, err := stats.SII(qs, stats.SIIOptions{Type: vt, Confidence: c, Repetitions: reps, Seed: 1})
		if err != nil {
			t.Fatalf("%s: %v", g.key, err)
		}
		close(t, g.key+" SII", got.SII, num(t, first["sii"]), 1e-9)
		close(t, g.key+" RII", got.RII, num(t, first["rii"]), 1e-9)
		within := func(what string, v, want float64) {
			if math.Abs(v-want) > 0.05*math.Abs(want) {
				t.Errorf("%s %s = %.6g, PHE %.6g (more than 5%% apart)", g.key, what, v, want)
			}
		}
		within("SII lower", got.SIILower, num(t, first["sii_lowercl_1"]))
		within("SII upper", got.SIIUpper, num(t, first["sii_uppercl_1"]))
		within("RII lower", got.RIILower, num(t, first["rii_lowercl_1"]))
		within("RII upper", got.RIIUpper, num(t, first["rii_uppercl_1"]))
		checked++
	}
	if checked != 12 {
		t.Errorf("checked %d SII reference groups, want 12", checked)
	}
}

// Hand-worked SII: a straight line through the quantiles is recovered exactly; ties and an
// empty quantile are handled; a fixed seed gives the same limits every time.
func TestSIIHandWorked(t *testing.T) {
	opt := stats.SIIOptions{Type: stats.Normal, Confidence: 0.95, Repetitions: 2000, Seed: 7}
	// five equal quintiles at relative ranks 0.1, 0.3, ..., 0.9 with y = 50 - 20b
	var qs []stats.Quantile
	for i := 0; i < 5; i++ {
		y := 50 - 20*(0.1+0.2*float64(i))
		qs = append(qs, stats.Quantile{Population: 100, Value: y, Lower: y - 1, Upper: y + 1})
	}
	got, err := stats.SII(qs, opt)
	if err != nil {
		t.Fatal(err)
	}
	close(t, "SII of a line", got.SII, -20, 1e-12)
	close(t, "RII of a line", got.RII, 30.0/50, 1e-12)
	close(t, "intercept", got.Intercept, 50, 1e-12)
	if !(got.SIILower < -20 && got.SIIUpper > -20) {
		t.Errorf("limits %g to %g do not hold the SII", got.SIILower, got.SIIUpper)
	}
	again, _ := stats.SII(qs, opt)
	if again != got {
		t.Error("the same seed gave different limits")
	}
	// ties: every quantile the same value gives SII 0 and RII 1
	flat := []stats.Quantile{{100, 5, 4, 6}, {50, 5, 4, 6}, {300, 5, 4, 6}, {80, 5, 4, 6}, {70, 5, 4, 6}}
	got, _ = stats.SII(flat, opt)
	close(t, "SII of equal values", got.SII, 0, 1e-12)
	close(t, "RII of equal values", got.RII, 1, 1e-12)
	// a quantile with no population changes nothing
	withEmpty := append([]stats.Quantile{}, qs[:2]...)
	withEmpty = append(withEmpty, stats.Quantile{Population: 0})
	withEmpty = append(withEmpty, qs[2:]...)
	got, _ = stats.SII(withEmpty, opt)
	close(t, "SII with an empty quantile", got.SII, -20, 1e-12)
	if got.Quantiles != 5 {
		t.Errorf("used %d quantiles", got.Quantiles)
	}
	// refusals
	if _, err := stats.SII(qs, stats.SIIOptions{Confidence: 0.95, Repetitions: 10}); err == nil {
		t.Error("10 repetitions accepted")
	}
	if _, err := stats.SII(qs[:1], opt); err == nil {
		t.Error("one quantile accepted")
	}
	zero := append([]stats.Quantile{{Population: 10, Value: 0, Lower: 0, Upper: 0.3}}, qs[1:]...)
	if _, err := stats.SII(zero, stats.SIIOptions{Type: stats.RateValue, Confidence: 0.95, Repetitions: 1000}); err == nil {
		t.Error("a zero rate on the log scale was accepted")
	}
}

func TestCompare(t *testing.T) {
	v := stats.Interval{Value: 75, Lower: 68, Upper: 82}
	eng := stats.Interval{Value: 67}
	if got := stats.Compare(v, eng, stats.NoJudgement); got != stats.Higher {
		t.Errorf("75 (68-82) vs England 67, no judgement: %s", got)
	}
	if got := stats.Compare(v, eng, stats.LowerIsBetter); got != stats.Worse {
		t.Errorf("lower is better: %s", got)
	}
	if got := stats.Compare(v, eng, stats.HigherIsBetter); got != stats.Better {
		t.Errorf("higher is better: %s", got)
	}
	if got := stats.Compare(v, stats.Interval{Value: 70}, stats.HigherIsBetter); got != stats.Similar {
		t.Errorf("benchmark inside the interval: %s", got)
	}
	// overlap of two intervals
	if got := stats.Compare(v, stats.Interval{Value: 60, Lower: 55, Upper: 69}, stats.HigherIsBetter); got != stats.Similar {
		t.Errorf("overlapping intervals: %s", got)
	}
	if got := stats.Compare(v, stats.Interval{Value: 60, Lower: 55, Upper: 65}, stats.HigherIsBetter); got != stats.Better {
		t.Errorf("separate intervals: %s", got)
	}
	if got := stats.Compare(stats.Interval{Value: math.NaN()}, eng, stats.HigherIsBetter); got != stats.NotCompared {
		t.Errorf("missing value: %s", got)
	}
}

// BenchmarkSII is one year's slope index with 10,000 simulations across ten deciles, the cost
// each financial year adds to inequality_summary.
func BenchmarkSII(b *testing.B) {
	qs := make([]stats.Quantile, 10)
	for i := range qs {
		n, pop := float64(400-30*i), float64(5000+100*i)
		iv, err := stats.Rate(n, pop, 1000, 0.95)
		if err != nil {
			b.Fatal(err)
		}
		qs[i] = stats.Quantile{Population: pop, Value: iv.Value, Lower: iv.Lower, Upper: iv.Upper}
	}
	for b.Loop() {
		if _, err := stats.SII(qs, stats.SIIOptions{Type: stats.RateValue, Confidence: 0.95, Repetitions: 10000, Seed: 2004}); err != nil {
			b.Fatal(err)
		}
	}
}
