package synthetic

import (
	"crypto/sha256"
	"fmt"
	"hash"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

type hashWriter struct {
	h                          hash.Hash
	families, people, contacts int
	bands                      map[string]int
	byDecile                   map[int]int
	lsoaDecile                 map[string]int
	onlineBefore               int
}

func (w *hashWriter) Family(f Family) error { w.families++; fmt.Fprintln(w.h, f); return nil }
func (w *hashWriter) Person(p Person) error { w.people++; fmt.Fprintln(w.h, p); return nil }
func (w *hashWriter) Contact(c Contact) error {
	w.contacts++
	w.bands[c.AgeBand]++
	w.byDecile[w.lsoaDecile[c.LSOA]]++
	if c.Channel == "online" && c.Date.Before(time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC)) {
		w.onlineBefore++
	}
	fmt.Fprintln(w.h, c)
	return nil
}

func smallCouncil() Council {
	var ages [26]int
	for i := range ages {
		ages[i] = 20
	}
	day := func(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }
	return Council{Code: "E00000001",
		Areas: []Area{
			{Code: "A-deprived", Point: orb.Point{-2.15, 53.40}, IDACIDecile: 1, Ages: ages},
			{Code: "B-affluent", Point: orb.Point{-2.15, 53.41}, IDACIDecile: 10, Ages: ages},
		},
		Sites: []Place{
			{ID: "H", Kind: "hub", Point: orb.Point{-2.15, 53.405}, Opened: day(2015, 1), Designated: day(2023, 3)},
			{ID: "O", Kind: "online", Opened: day(2020, 4), Designated: day(2023, 3)},
		}}
}

func run(t *testing.T) *hashWriter {
	c := smallCouncil()
	w := &hashWriter{h: sha256.New(), bands: map[string]int{}, byDecile: map[int]int{}, lsoaDecile: map[string]int{}}
	for _, a := range c.Areas {
		w.lsoaDecile[a.Code] = a.IDACIDecile
	}
	if err := Generate(c, 0, w); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := run(t), run(t)
	if fmt.Sprintf("%x", a.h.Sum(nil)) != fmt.Sprintf("%x", b.h.Sum(nil)) {
		t.Error("two runs with the same inputs differ")
	}
	if a.contacts == 0 || a.families == 0 {
		t.Fatalf("nothing generated: %d families, %d contacts", a.families, a.contacts)
	}
}

func TestGenerateBehaviour(t *testing.T) {
	w := run(t)
	// same children and distance; the deprived area uses help about 3x as much
	ratio := float64(w.byDecile[1]) / float64(w.byDecile[10])
	want := deprivation(1) / deprivation(10)
	if math.Abs(ratio-want)/want > 0.15 {
		t.Errorf("decile 1 vs 10 contacts %.2fx, the model sets %.2fx", ratio, want)
	}
	if w.onlineBefore != 0 {
		t.Errorf("%d online contacts before the online hub opened", w.onlineBefore)
	}
	for _, band := range []string{Band0to2, Band3to4, Band5to11, Band12to19, Band20to25} {
		if w.bands[band] == 0 {
			t.Errorf("no contacts in age band %s", band)
		}
	}
	if len(w.bands) != 5 {
		t.Errorf("age bands %v", w.bands)
	}
}

func TestAgeBand(t *testing.T) {
	cases := []struct {
		age  int
		send bool
		want string
	}{{-1, false, "0-2"}, {0, false, "0-2"}, {2, false, "0-2"}, {3, false, "3-4"}, {4, false, "3-4"}, {5, false, "5-11"},
		{11, false, "5-11"}, {12, false, "12-19"}, {19, false, "12-19"}, {20, false, ""}, {20, true, "20-25"}, {25, true, "20-25"}, {26, true, ""}}
	for _, c := range cases {
		if got := AgeBand(c.age, c.send); got != c.want {
			t.Errorf("AgeBand(%d, %v) = %q, want %q", c.age, c.send, got, c.want)
		}
	}
}

func TestAgeOn(t *testing.T) {
	birth := time.Date(2020, 6, 15, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		day  string
		want int
	}{{"2020-06-14", -1}, {"2020-06-15", 0}, {"2021-06-14", 0}, {"2021-06-15", 1}, {"2025-12-31", 5}} {
		d, _ := time.Parse(time.DateOnly, c.day)
		if got := ageOn(birth, d); got != c.want {
			t.Errorf("age on %s = %d, want %d", c.day, got, c.want)
		}
	}
}

func TestPoissonMean(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, lambda := range []float64{0.5, 4, 25, 400} {
		var sum float64
		const n = 20000
		for i := 0; i < n; i++ {
			sum += float64(poisson(r, lambda))
		}
		if mean := sum / n; math.Abs(mean-lambda) > 4*math.Sqrt(lambda/n)+0.01 {
			t.Errorf("poisson(%g) mean %.3f", lambda, mean)
		}
	}
	if poisson(r, 0) != 0 || poisson(r, -1) != 0 {
		t.Error("poisson of a non-positive mean is not 0")
	}
}

func TestPickSiteFollowsWeights(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	sites := []Place{
		{ID: "near-bridge", Kind: "bridge", Opened: day.AddDate(-1, 0, 0)},
		{ID: "closed-hub", Kind: "hub", Opened: day.AddDate(1, 0, 0)},
		{ID: "far-hub", Kind: "hub", Opened: day.AddDate(-1, 0, 0)},
	}
	dists := []siteDist{{0, 0.5}, {1, 0.6}, {2, 2.0}}
	cum := siteWeights(nil, dists, sites, day)
	counts := map[int]int{}
	for i := 0; i < 30000; i++ {
		counts[pickSite(r, dists, cum)]++
	}
	if counts[1] != 0 {
		t.Errorf("a closed site was picked %d times", counts[1])
	}
	want := 3 * math.Exp(-1) / (math.Exp(-0.25) + 3*math.Exp(-1)) // the hub's share
	if got := float64(counts[2]) / 30000; math.Abs(got-want) > 0.015 {
		t.Errorf("far hub share %.3f, want %.3f", got, want)
	}
}

// Expected is the mean Generate draws around, and Scale multiplies it: the national demo relies
// on both to make the number of contacts asked for.
func TestExpectedAndScale(t *testing.T) {
	c := smallCouncil()
	mean := Expected(c)
	w := run(t)
	// a few draws are dropped (a child not yet expected, an adult without SEND): under 10%
	if got := float64(w.contacts); got > mean*1.05 || got < mean*0.85 {
		t.Errorf("%v contacts drawn, Expected says %.0f", got, mean)
	}
	c.Scale = 3
	scaled := &hashWriter{h: sha256.New(), bands: map[string]int{}, byDecile: map[int]int{}, lsoaDecile: map[string]int{}}
	if err := Generate(c, 0, scaled); err != nil {
		t.Fatal(err)
	}
	if r := float64(scaled.contacts) / float64(w.contacts); math.Abs(r-3) > 0.15 {
		t.Errorf("Scale 3 drew %.2f times the contacts", r)
	}
	if scaled.people != w.people || scaled.families != w.families {
		t.Error("Scale changed the residents, not only their use of services")
	}
}
