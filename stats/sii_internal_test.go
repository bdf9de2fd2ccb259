package stats

import (
	"math/rand/v2"
	"sort"
	"testing"
)

// The SII's limits are read by selection, not a full sort: every order statistic must be the
// value the sorted list holds, with ties, runs and the sizes the simulation uses.
func TestOrderStatIsTheSortedValue(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 17, 18, 100, 1000, 10000} {
		for _, kind := range []string{"random", "ties", "sorted", "reversed"} {
			xs := make([]float64, n)
			for i := range xs {
				switch kind {
				case "random":
					xs[i] = r.NormFloat64()
				case "ties":
					xs[i] = float64(r.IntN(5))
				case "sorted":
					xs[i] = float64(i)
				case "reversed":
					xs[i] = float64(n - i)
				}
			}
			want := append([]float64(nil), xs...)
			sort.Float64s(want)
			for _, k := range []int{0, n / 40, n / 2, n - 1 - n/40, n - 1} {
				work := append([]float64(nil), xs...)
				if got := orderStat(work, k); got != want[k] {
					t.Fatalf("%s n=%d k=%d: %g, sorted holds %g", kind, n, k, got, want[k])
				}
			}
		}
	}
}
