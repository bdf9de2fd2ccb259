package stats_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"familyhubs/stats"
)

// table2D is a rows x cols table of counts with every row total, column total and the grand
// total shown beside it, as a page or a briefing would print it.
type table2D struct {
	rows, cols int
	counts     []float64
}

func (tb table2D) groups() [][]int {
	var gs [][]int
	for r := 0; r < tb.rows; r++ {
		var g []int
		for c := 0; c < tb.cols; c++ {
			g = append(g, r*tb.cols+c)
		}
		gs = append(gs, g)
	}
	for c := 0; c < tb.cols; c++ {
		var g []int
		for r := 0; r < tb.rows; r++ {
			g = append(g, r*tb.cols+c)
		}
		gs = append(gs, g)
	}
	return gs
}

// recoverable is the attacker of the standard audit (as in tau-ARGUS): knowing every shown cell
// and every total, and that a suppressed cell is a whole number of at least 0 (a reader sees the
// same symbol for a primary and a secondary suppression, so cannot tell which is 1 to 5), it
// enumerates every table consistent with what is shown and reports the primary-suppressed cells
// (the small counts the policy protects) that take only one value across all of them.
func recoverable(tb table2D, cells []stats.Cell, p stats.Policy) []int {
	var hidden []int
	for i, c := range cells {
		if c.Suppressed {
			hidden = append(hidden, i)
		}
	}
	if len(hidden) == 0 {
		return nil
	}
	var rowTot, colTot []float64
	for r := 0; r < tb.rows; r++ {
		var s float64
		for c := 0; c < tb.cols; c++ {
			s += tb.counts[r*tb.cols+c]
		}
		rowTot = append(rowTot, s)
	}
	for c := 0; c < tb.cols; c++ {
		var s float64
		for r := 0; r < tb.rows; r++ {
			s += tb.counts[r*tb.cols+c]
		}
		colTot = append(colTot, s)
	}
	seen := make([]map[float64]bool, len(hidden))
	for i := range seen {
		seen[i] = map[float64]bool{}
	}
	// hidden cells are in row-major order: a row is complete at its last hidden cell, a column at
	// its last hidden cell; check each total then, and never let a partial sum pass its total
	lastInRow, lastInCol := map[int]int{}, map[int]int{}
	for k, h := range hidden {
		lastInRow[h/tb.cols], lastInCol[h%tb.cols] = k, k
	}
	trial := append([]float64{}, tb.counts...)
	for _, h := range hidden {
		trial[h] = 0
	}
	sum := func(idx func(j int) int, n int) float64 {
		var s float64
		for j := 0; j < n; j++ {
			s += trial[idx(j)]
		}
		return s
	}
	var walk func(k int)
	walk = func(k int) {
		if k == len(hidden) {
			for i, h := range hidden {
				seen[i][trial[h]] = true
			}
			return
		}
		i := hidden[k]
		r, c := i/tb.cols, i%tb.cols
		rowSum := sum(func(j int) int { return r*tb.cols + j }, tb.cols)
		colSum := sum(func(j int) int { return j*tb.cols + c }, tb.rows)
		limit := min(rowTot[r]-rowSum, colTot[c]-colSum)
		for v := 0.0; v <= limit; v++ {
			trial[i] = v
			if lastInRow[r] == k && rowSum+v != rowTot[r] {
				continue
			}
			if lastInCol[c] == k && colSum+v != colTot[c] {
				continue
			}
			walk(k + 1)
		}
		trial[i] = 0
	}
	walk(0)
	var out []int
	for i, h := range hidden {
		if cells[h].Reason == p.Reason && len(seen[i]) <= 1 {
			out = append(out, h)
		}
	}
	return out
}

func TestSecondarySuppressionCannotBeUndone(t *testing.T) {
	cases := []table2D{
		// one small cell in a row: its neighbours must hide it
		{2, 3, []float64{3, 40, 57, 22, 31, 19}},
		// two small cells in one column
		{3, 3, []float64{2, 30, 12, 4, 25, 40, 18, 9, 33}},
		// a small cell whose row has only zeros otherwise
		{3, 3, []float64{0, 4, 0, 10, 20, 30, 12, 14, 16}},
		// age bands by service, the shape of service_mix
		{4, 5, []float64{120, 3, 44, 9, 0, 60, 71, 2, 35, 18, 5, 0, 7, 40, 66, 12, 13, 1, 90, 8}},
	}
	r := rand.New(rand.NewPCG(11, 12))
	for k := 0; k < 40; k++ {
		tb := table2D{3, 3, make([]float64, 9)}
		for i := range tb.counts {
			tb.counts[i] = float64(r.IntN(14))
		}
		cases = append(cases, tb)
	}
	for n, tb := range cases {
		cells := stats.DfE.Protect(tb.counts, tb.groups())
		for i, c := range cells {
			if tb.counts[i] >= 1 && tb.counts[i] <= 5 && !c.Suppressed {
				t.Errorf("case %d: count %g shown", n, tb.counts[i])
			}
		}
		if got := recoverable(tb, cells, stats.DfE); len(got) > 0 {
			t.Errorf("case %d %v: suppressed cells %v can be worked out from the totals", n, tb.counts, got)
		}
	}
}

func TestWithoutSecondarySuppressionACellIsRecovered(t *testing.T) {
	// the attacker is real: primary suppression alone gives a cell away
	tb := table2D{2, 3, []float64{3, 40, 57, 22, 31, 19}}
	noSecondary := stats.DfE
	noSecondary.Secondary = false
	cells := noSecondary.Protect(tb.counts, tb.groups())
	if got := recoverable(tb, cells, noSecondary); len(got) != 1 || got[0] != 0 {
		t.Errorf("primary suppression alone should give the 3 away, attacker found %v", got)
	}
}

func TestPolicies(t *testing.T) {
	counts := []float64{0, 1, 5, 6, 7, 8, 12, 13}
	cells := stats.DfE.Protect(counts, nil)
	var shown []string
	for _, c := range cells {
		shown = append(shown, fmt.Sprint(stats.DfE.Show(c)))
	}
	if fmt.Sprint(shown) != "[0 c c 6 7 8 12 13]" {
		t.Errorf("DfE shows %v", shown)
	}
	cells = stats.NHS.Protect(counts, nil)
	shown = nil
	for _, c := range cells {
		shown = append(shown, fmt.Sprint(stats.NHS.Show(c)))
	}
	if fmt.Sprint(shown) != "[0 * * * * 10 10 15]" {
		t.Errorf("NHS shows %v", shown)
	}
	cells = stats.Exact.Protect(counts, [][]int{{0, 1, 2}})
	for i, c := range cells {
		if c.Suppressed || stats.Exact.Show(c) != counts[i] {
			t.Errorf("exact policy changed %g", counts[i])
		}
	}
	// a suppressed value is never zero and never blank, and says why
	s := stats.DfE.Show(stats.DfE.Protect([]float64{3}, nil)[0])
	sup, ok := s.(stats.Suppressed)
	if !ok || sup.Symbol != "c" || sup.Reason == "" || fmt.Sprint(s) != "c" {
		t.Errorf("suppressed 3 shows as %#v", s)
	}
	b, _ := json.Marshal(s)
	if string(b) != `{"reason":"1 to 5 children: suppressed under DfE disclosure control","suppressed":"c"}` {
		t.Errorf("JSON %s", b)
	}
	for _, name := range []string{"dfe", "NHS", "none"} {
		if _, err := stats.PolicyNamed(name); err != nil {
			t.Error(err)
		}
	}
	if _, err := stats.PolicyNamed("gdpr"); err == nil {
		t.Error("unknown policy accepted")
	}
	if stats.DfE.Description() == "" || stats.NHS.Description() == stats.DfE.Description() {
		t.Error("policies need their own footnotes")
	}
}

// The perturbation table keeps its promises for every true count: zeros stay zero, no published
// 1 or 2, at most 3 either way, never negative, probabilities summing to 1, unbiased (the mean
// published value is the true count), and the variance the table is built for away from the
// smallest counts; and the cell key picks the published value by the cumulative distribution.
func TestPerturbationTable(t *testing.T) {
	p := stats.DefaultPTable
	for n := int64(0); n <= 40; n++ {
		vals, probs := p.Row(n)
		var sum, mean, variance float64
		for i, v := range vals {
			if v == 1 || v == 2 || v < 0 || v-n > 3 || n-v > 3 {
				t.Errorf("count %d can be published as %d", n, v)
			}
			if n == 0 && v != 0 {
				t.Errorf("a zero can be published as %d", v)
			}
			sum += probs[i]
			mean += probs[i] * float64(v)
		}
		for i, v := range vals {
			variance += probs[i] * (float64(v) - mean) * (float64(v) - mean)
		}
		if math.Abs(sum-1) > 1e-12 || math.Abs(mean-float64(n)) > 1e-9 {
			t.Errorf("count %d: probabilities sum to %g, mean published %g", n, sum, mean)
		}
		if n >= 6 && math.Abs(variance-1.5) > 0.1 {
			t.Errorf("count %d: variance %g, built for 1.5", n, variance)
		}
		// the key picks each value in proportion to its probability
		seen := map[int64]int{}
		const draws = 20000
		for k := range draws {
			seen[p.Perturb(n, (float64(k)+0.5)/draws)]++
		}
		for i, v := range vals {
			if got := float64(seen[v]) / draws; math.Abs(got-probs[i]) > 1e-3 {
				t.Errorf("count %d: published as %d for %.4f of keys, table says %.4f", n, v, got, probs[i])
			}
		}
	}
	// hand-worked: a true 1 is 0 for keys below the first step, then 3
	vals, probs := p.Row(1)
	if len(vals) != 3 || vals[0] != 0 || vals[1] != 3 || vals[2] != 4 {
		t.Fatalf("row 1: %v", vals)
	}
	if got := p.Perturb(1, probs[0]-1e-9); got != 0 {
		t.Errorf("key just below %g: %d, want 0", probs[0], got)
	}
	if got := p.Perturb(1, probs[0]+1e-9); got != 3 {
		t.Errorf("key just above %g: %d, want 3", probs[0], got)
	}
}

// A cell key column is read as a fraction of 2^60.
func TestCellKeyScale(t *testing.T) {
	for _, c := range []struct {
		in   any
		want float64
	}{{int64(0), 0}, {int64(1 << 59), 0.5}, {int64(3 << 58), 0.75}, {"x", 0}} {
		got, ok := stats.CellKey(c.in)
		if _, isText := c.in.(string); isText == ok || got != c.want {
			t.Errorf("CellKey(%v) = %g, %v", c.in, got, ok)
		}
	}
}
