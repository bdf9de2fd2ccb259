package stats_test

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"familyhubs/stats"
)

// want is one expected row of CumulativeIncidence, to 4 decimals.
type want struct {
	t                       float64
	est, lo, hi             float64
	atRisk, events, censord int
}

func check(t *testing.T, name string, got []stats.Incidence, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("%s: %d results for %d times", name, len(got), len(wants))
	}
	for i, w := range wants {
		g := got[i]
		what := func(s string) string { return name + " " + s + " at " + ftoa(w.t) }
		if !g.Defined || g.Time != w.t {
			t.Errorf("%s: got %+v", what("result"), g)
			continue
		}
		close(t, what("cumulative incidence"), g.Estimate, w.est, 1e-4)
		close(t, what("lower limit"), g.Lower, w.lo, 1e-4)
		close(t, what("upper limit"), g.Upper, w.hi, 1e-4)
		if g.AtRisk != w.atRisk || g.Events != w.events || g.Censored != w.censord {
			t.Errorf("%s: at risk %d, events %d, censored %d; want %d, %d, %d", what("counts"),
				g.AtRisk, g.Events, g.Censored, w.atRisk, w.events, w.censord)
		}
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func undefined(t *testing.T, what string, g stats.Incidence) {
	t.Helper()
	if g.Defined || !math.IsNaN(g.Estimate) || !math.IsNaN(g.Lower) || !math.IsNaN(g.Upper) {
		t.Errorf("%s: got %+v, want undefined with NaN estimate and limits", what, g)
	}
}

func events(times ...float64) []stats.Observation {
	var obs []stats.Observation
	for _, t := range times {
		obs = append(obs, stats.Observation{Time: t, Event: true})
	}
	return obs
}

func censored(times ...float64) []stats.Observation {
	var obs []stats.Observation
	for _, t := range times {
		obs = append(obs, stats.Observation{Time: t})
	}
	return obs
}

// A small cohort worked by hand: six children, events at 1, 2, 3 and 5, censored at 2 and 4.
// z = 1.959964 (95%). At each event time n is the number with time >= t (the child censored at 2
// is at risk at 2, since events come before censorings at a tie).
//
//	t  n  d  S                          Greenwood sum V = sum d/(n(n-d))   se = sqrt(V)
//	1  6  1  5/6 = 0.833333             1/(6*5) = 0.033333                  0.182574
//	2  5  1  5/6 * 4/5 = 0.666667       0.033333 + 1/(5*4) = 0.083333       0.288675
//	3  3  1  4/6 * 2/3 = 0.444444       0.083333 + 1/(3*2) = 0.250000       0.500000
//	4  2  0  (censored) 0.444444
//	5  1  1  0.444444 * 0/1 = 0         (d = n: no Greenwood term)
//
// Log-log limits: k = exp(z se / |ln S|); S's limits are S^k and S^(1/k); the incidence 1 - S
// has lower 1 - S^(1/k) and upper 1 - S^k.
//
//	t=1: ln S = -0.182322; z se/|ln S| = 1.959964*0.182574/0.182322 = 1.962680, k = 7.118377;
//	     S^k = 0.273123, S^(1/k) = 0.974712; incidence 0.1667 (0.0253 to 0.7269)
//	t=2: ln S = -0.405465; 1.959964*0.288675/0.405465 = 1.395417, k = 4.036657;
//	     S^k = 0.194617, S^(1/k) = 0.904434; incidence 0.3333 (0.0956 to 0.8054)
//	t=3: ln S = -0.810930; 1.959964*0.5/0.810930 = 1.208466, k = 3.348346;
//	     S^k = 0.066187, S^(1/k) = 0.784908; incidence 0.5556 (0.2151 to 0.9338)
//	t=5: S = 0, so incidence 1 with limits 1 to 1 (the transform is undefined; see the doc).
func TestCumulativeIncidenceHandWorked(t *testing.T) {
	obs := append(events(1, 2, 3, 5), censored(2, 4)...)
	got := stats.CumulativeIncidence(obs, []float64{0.5, 1, 1.5, 2, 2.5, 3, 4, 4.5, 5}, 0.95)
	check(t, "six children", got, []want{
		{0.5, 0, 0, 0, 6, 0, 0}, // before any event: S = 1, limits 0 to 0
		{1, 0.1667, 0.0253, 0.7269, 6, 1, 0},
		{1.5, 0.1667, 0.0253, 0.7269, 5, 1, 0}, // between times: the step at 1 holds
		{2, 0.3333, 0.0956, 0.8054, 5, 2, 1},   // at risk at 2: 2, 2+, 3, 4+, 5
		{2.5, 0.3333, 0.0956, 0.8054, 3, 2, 1},
		{3, 0.5556, 0.2151, 0.9338, 3, 3, 1},
		{4, 0.5556, 0.2151, 0.9338, 2, 3, 2}, // a censoring does not move the estimate
		{4.5, 0.5556, 0.2151, 0.9338, 1, 3, 2},
		{5, 1, 1, 1, 1, 4, 2}, // S = 0: no NaN
	})
	// The same cohort at 90% (z = 1.644854), at t = 3: 1.644854*0.5/0.810930 = 1.014177,
	// k = 2.757094; 1 - 0.444444^(1/k) = 0.2548, 1 - 0.444444^k = 0.8931.
	check(t, "six children at 90%", stats.CumulativeIncidence(obs, []float64{3}, 0.90),
		[]want{{3, 0.5556, 0.2548, 0.8931, 3, 3, 1}})
	// After the last time (5) no one is at risk: not estimated, not extrapolated from S = 0.
	beyond := stats.CumulativeIncidence(obs, []float64{5.001, 100}, 0.95)
	for _, g := range beyond {
		undefined(t, "after follow-up", g)
		if g.AtRisk != 0 || g.Events != 4 || g.Censored != 2 {
			t.Errorf("after follow-up: counts %+v, want 0 at risk, 4 events, 2 censored", g)
		}
	}
	// the input is left in its order
	if obs[3].Time != 5 || obs[4].Time != 2 {
		t.Errorf("obs was reordered: %v", obs)
	}
	// the times asked about come back in their own order, not sorted
	got = stats.CumulativeIncidence(obs, []float64{3, 1}, 0.95)
	if got[0].Time != 3 || got[1].Time != 1 {
		t.Errorf("results out of the order asked: %+v", got)
	}
}

// Ties: at t = 2 one event and one censoring. Events come first, so n = 5 at 2 and S(2) =
// 5/6 * 4/5 = 0.666667. Counting the censoring first would give n = 4 and S(2) = 5/6 * 3/4 =
// 0.625 (incidence 0.375), so the test tells the conventions apart. The 6-MP data below tie
// three events and one censoring at 6 and one of each at 10.
func TestCumulativeIncidenceTies(t *testing.T) {
	obs := append(events(1, 2, 3, 5), censored(2, 4)...)
	// shuffled input gives the same answer
	shuffled := []stats.Observation{obs[5], obs[1], obs[4], obs[0], obs[3], obs[2]}
	for _, o := range [][]stats.Observation{obs, shuffled} {
		g := stats.CumulativeIncidence(o, []float64{2}, 0.95)[0]
		close(t, "incidence at a tie", g.Estimate, 1-4.0/6, 1e-12)
		if g.AtRisk != 5 {
			t.Errorf("at risk at a tie: %d, want 5", g.AtRisk)
		}
	}
	// several events at one time: 4 children, 2 events at 1, 1 at 2, 1 censored at 3.
	// S(1) = 1 - 2/4 = 0.5, V = 2/(4*2) = 0.25, se = 0.5, as for one event in two; at 2 n = 2,
	// S(2) = 0.5 * 1/2 = 0.25, V = 0.25 + 1/(2*1) = 0.75.
	// t=1: 1.959964*0.5/0.693147 = 1.413815, k = 4.111612: 1 - 0.5^(1/k) = 0.1551, 1 - 0.5^k = 0.9422
	// t=2: ln 0.25 = -1.386294; 1.959964*0.866025/1.386294 = 1.224400, k = 3.402124:
	//      1 - 0.25^(1/k) = 0.3347, 1 - 0.25^k = 0.9911
	tied := append(events(1, 1, 2), censored(3)...)
	check(t, "tied events", stats.CumulativeIncidence(tied, []float64{1, 2, 3}, 0.95), []want{
		{1, 0.5, 0.1551, 0.9422, 4, 2, 0},
		{2, 0.75, 0.3347, 0.9911, 2, 3, 0},
		{3, 0.75, 0.3347, 0.9911, 1, 3, 1},
	})
}

// The 6-MP arm of Freireich EJ et al. (1963) The effect of 6-mercaptopurine on the duration of
// steroid-induced remissions in acute leukemia. Blood 21:699-716: weeks in remission of 21
// patients, + censored. Its Kaplan-Meier estimates and Greenwood standard errors of S are the
// textbook example (e.g. Klein JP, Moeschberger ML, Survival Analysis, data set drug6mp):
// S = 0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448 with SE 0.0764, 0.0869, 0.0963, 0.1068,
// 0.1141, 0.1282, 0.1346 at 6, 7, 10, 13, 16, 22, 23. Worked here (z = 1.959964):
//
//	t   n   d  S                      V = sum d/(n(n-d))         SE(S)=S sqrt(V)  ln S
//	6   21  3  18/21 = 0.857143       3/(21*18) = 0.007937       0.0764           -0.154151
//	7   17  1  *16/17 = 0.806723      +1/(17*16) = 0.011613      0.0869           -0.214775
//	10  15  1  *14/15 = 0.752941      +1/(15*14) = 0.016375      0.0963           -0.283768
//	13  12  1  *11/12 = 0.690196      +1/(12*11) = 0.023951      0.1068           -0.370780
//	16  11  1  *10/11 = 0.627451      +1/(11*10) = 0.033042      0.1141           -0.466090
//	22  7   1  *6/7   = 0.537815      +1/(7*6)   = 0.056851      0.1282           -0.620240
//	23  6   1  *5/6   = 0.448179      +1/(6*5)   = 0.090184      0.1346           -0.802562
//
// (n at 7 is 17: the three events and the censoring at 6 have left; at 10 the censoring at 9
// has left too; censorings at 10, 11 leave 12 at 13; 17+, 19+, 20+ leave 7 at 22.)
// Log-log limits, c = z sqrt(V)/|ln S|, k = exp(c), S's limits S^k to S^(1/k):
//
//	t   c         k         S^k       S^(1/k)   incidence 1-S (lower to upper)
//	6   1.132706  3.104046  0.619718  0.951552  0.1429 (0.0484 to 0.3803)
//	7   0.983412  2.673563  0.563147  0.922809  0.1933 (0.0772 to 0.4369)
//	10  0.883840  2.420175  0.503200  0.889362  0.2471 (0.1106 to 0.4968)
//	13  0.818071  2.266124  0.431610  0.849066  0.3098 (0.1509 to 0.5684)
//	16  0.764379  2.147660  0.367511  0.804912  0.3725 (0.1951 to 0.6325)
//	22  0.753455  2.124327  0.267779  0.746791  0.4622 (0.2532 to 0.7322)
//	23  0.733390  2.082128  0.188052  0.680143  0.5518 (0.3199 to 0.8119)
//
// So S(23)'s 95% log-log limits are 0.188 to 0.680 (not 0.245 to 0.632, a figure the issue
// quoted, which does not follow from Greenwood's variance on this scale).
func TestCumulativeIncidenceFreireich6MP(t *testing.T) {
	obs := append(events(6, 6, 6, 7, 10, 13, 16, 22, 23),
		censored(6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35)...)
	if len(obs) != 21 {
		t.Fatalf("%d patients, want 21", len(obs))
	}
	got := stats.CumulativeIncidence(obs, []float64{5, 6, 7, 10, 13, 16, 22, 23, 30, 35}, 0.95)
	check(t, "6-MP", got, []want{
		{5, 0, 0, 0, 21, 0, 0},
		{6, 0.1429, 0.0484, 0.3803, 21, 3, 1},
		{7, 0.1933, 0.0772, 0.4369, 17, 4, 1},
		{10, 0.2471, 0.1106, 0.4968, 15, 5, 3},
		{13, 0.3098, 0.1509, 0.5684, 12, 6, 4},
		{16, 0.3725, 0.1951, 0.6325, 11, 7, 4},
		{22, 0.4622, 0.2532, 0.7322, 7, 8, 7},
		{23, 0.5518, 0.3199, 0.8119, 6, 9, 7},
		{30, 0.5518, 0.3199, 0.8119, 4, 9, 8}, // flat after the last event
		{35, 0.5518, 0.3199, 0.8119, 1, 9, 12},
	})
	// the published survival estimates, to their 3 decimals
	for i, s := range []float64{0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448} {
		close(t, "published S", 1-got[i+1].Estimate, s, 0.0005)
	}
	undefined(t, "6-MP after 35 weeks", stats.CumulativeIncidence(obs, []float64{36}, 0.95)[0])
}

// Edge cases: no events, all events, all censored, empty input, an undefined time.
func TestCumulativeIncidenceEdges(t *testing.T) {
	// all censored, so no events: S = 1 throughout; incidence 0, limits 0 to 0 (R: S's limits
	// 1^NA = 1), defined up to the last time (3), not after it
	got := stats.CumulativeIncidence(censored(1, 2, 3), []float64{0, 2, 3, 4}, 0.95)
	check(t, "all censored", got[:3], []want{{0, 0, 0, 0, 3, 0, 0}, {2, 0, 0, 0, 2, 0, 2}, {3, 0, 0, 0, 1, 0, 3}})
	undefined(t, "all censored, after follow-up", got[3])

	// all events, 1 to 4, one each: S = 3/4, 1/2, 1/4, 0.
	// t=1: V = 1/(4*3) = 0.083333, ln S = -0.287682, c = 1.959964*0.288675/0.287682 = 1.966730,
	//      k = 7.147264: 1 - 0.75^(1/k) = 0.0395, 1 - 0.75^k = 0.8721
	// t=2: V = 0.083333 + 1/(3*2) = 0.25, c = 1.959964*0.5/0.693147 = 1.413815, k = 4.111612:
	//      1 - 0.5^(1/k) = 0.1551, 1 - 0.5^k = 0.9422
	// t=3: V = 0.25 + 1/(2*1) = 0.75, c = 1.224400, k = 3.402124: 0.3347 to 0.9911
	// t=4: S = 0, incidence 1, limits 1 to 1; after 4 undefined
	got = stats.CumulativeIncidence(events(4, 3, 2, 1), []float64{1, 2, 3, 4, 4.5}, 0.95)
	check(t, "all events", got[:4], []want{
		{1, 0.25, 0.0395, 0.8721, 4, 1, 0},
		{2, 0.5, 0.1551, 0.9422, 3, 2, 0},
		{3, 0.75, 0.3347, 0.9911, 2, 3, 0},
		{4, 1, 1, 1, 1, 4, 0},
	})
	undefined(t, "all events, after the last", got[4])

	// one child with the event at 0: S(0) = 0
	check(t, "one event at 0", stats.CumulativeIncidence(events(0), []float64{-1, 0}, 0.95),
		[]want{{-1, 0, 0, 0, 1, 0, 0}, {0, 1, 1, 1, 1, 1, 0}})

	// empty input: nothing is defined, and nothing is at risk
	for _, obs := range [][]stats.Observation{nil, {}} {
		got = stats.CumulativeIncidence(obs, []float64{0, 1}, 0.95)
		for _, g := range got {
			undefined(t, "empty input", g)
			if g.AtRisk != 0 || g.Events != 0 || g.Censored != 0 {
				t.Errorf("empty input: counts %+v", g)
			}
		}
	}
	// no times asked: no results
	if got := stats.CumulativeIncidence(events(1), nil, 0.95); len(got) != 0 {
		t.Errorf("no times gave %v", got)
	}
	// a NaN time asked about is undefined
	undefined(t, "NaN time", stats.CumulativeIncidence(events(1, 2), []float64{math.NaN()}, 0.95)[0])

	// S near 1, where 1 - S^a would lose digits without expm1: 1 event in 10,000 at t = 1, the
	// rest censored at 2. S = 0.9999, V = 1/(10000*9999), sqrt(V) = 1.000050e-4, ln S =
	// -1.000050e-4 (equal to 9 digits), so c = 1.959964 and k = exp(c) = 7.099071:
	// lower 1 - 0.9999^(1/k) = 1.408695e-5, upper 1 - 0.9999^k = 7.096907e-4.
	big := events(1)
	for i := 0; i < 9999; i++ {
		big = append(big, stats.Observation{Time: 2})
	}
	g := stats.CumulativeIncidence(big, []float64{1}, 0.95)[0]
	for _, c := range []struct {
		what      string
		got, want float64
	}{{"estimate", g.Estimate, 1e-4}, {"lower", g.Lower, 1.408695e-5}, {"upper", g.Upper, 7.096907e-4}} {
		if math.Abs(c.got-c.want) > 1e-6*c.want {
			t.Errorf("1 event in 10,000: %s %.7g, want %.7g", c.what, c.got, c.want)
		}
	}
}

// A level outside (0, 1), or a NaN time, is a caller's mistake: CumulativeIncidence panics.
func TestCumulativeIncidencePanics(t *testing.T) {
	panics := func(what string, f func()) {
		t.Helper()
		defer func() {
			t.Helper()
			if recover() == nil {
				t.Errorf("%s did not panic", what)
			}
		}()
		f()
	}
	for _, level := range []float64{0, 1, -0.95, 95, math.NaN()} {
		panics("level "+ftoa(level), func() { stats.CumulativeIncidence(events(1), []float64{1}, level) })
	}
	panics("a NaN observation time", func() {
		stats.CumulativeIncidence([]stats.Observation{{Time: math.NaN(), Event: true}}, []float64{1}, 0.95)
	})
}

// BenchmarkCumulativeIncidence measures a council-sized cohort: 100,000 children followed for up
// to two years in whole days (so times tie heavily, as they do in real records), about a third
// with the event, asked about at 6 months, 1 year and 2 years. The cost is copying and sorting
// the observations and one pass over them; the three look-ups are binary searches.
func BenchmarkCumulativeIncidence(b *testing.B) {
	r := rand.New(rand.NewPCG(1958, 1926))
	obs := make([]stats.Observation, 100_000)
	for i := range obs {
		obs[i] = stats.Observation{Time: float64(r.IntN(731)), Event: r.IntN(3) == 0}
	}
	at := []float64{182, 365, 730}
	for b.Loop() {
		if got := stats.CumulativeIncidence(obs, at, 0.95); !got[2].Defined {
			b.Fatal("2 years undefined")
		}
	}
}
