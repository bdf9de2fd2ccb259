package stats

import (
	"fmt"
	"math"
	"strings"
)

// The cell key method protects counts of people in tables that anyone can build on demand.
//
// Sources: Fraser B, Wooton J (2005) A proposed method for confidentialising tabular output to
// protect against differencing, UNECE work session on statistical data confidentiality (the
// Australian Bureau of Statistics' TableBuilder); ONS (2022) Protecting personal data in Census
// 2021 results (the cell key method for custom datasets); the sdcTools R packages `ptable`
// (perturbation tables) and `cellKey` (applying them), whose documentation describes the design
// followed here. Nothing is copied from them.
//
// Every record (a child, a family, a carer, a contact) carries a fixed random key, a number in
// [0, 1). A cell's key is the fractional part of the sum of the keys of the distinct records it
// counts, so the same set of people always gives the same cell key, whichever table, page, filter
// or period the cell is reached by. A perturbation table then turns (true count, cell key) into a
// small adjustment: the row for the count is a probability distribution over adjustments, and the
// cell key picks one by where it falls in the cumulative distribution. So:
//   - the same cell shows the same value everywhere, in every request (asking again gains nothing);
//   - a total and its parts are perturbed independently, so differencing them yields the part
//     plus noise, never the exact count;
//   - a zero stays zero (no one counted, nothing to protect or invent);
//   - no count of 1 or 2 is published: a true 1 or 2 is shown as 0 or 3 or more;
//   - the adjustment is at most MaxAdjust either way and is zero on average for every true count
//     (the table is unbiased), with variance about Variance away from the smallest counts.
//
// In the warehouse a record's key is derived from its id and a warehouse salt by a fixed keyed
// hash (macro rkey in warehouse/derived.sql): it is fixed for the record's life, costs no
// storage, and cannot differ between a record's copies. Cell keys are computed by the same
// questions that count (columns NAME_ckey beside each count NAME), from the rollups and from raw
// contacts alike.

// PTable is a perturbation table: for each true count, the adjustments and their cumulative
// probabilities.
type PTable struct {
	MaxAdjust int     // the largest adjustment either way (D)
	Variance  float64 // the target variance of the adjustment for counts above the smallest (V)
	Exclude   []int   // published values never shown (1 and 2)
	rows      [][]step
}

// step is one possible outcome for a true count: the published value and the cumulative
// probability up to and including it.
type step struct {
	value int64
	cum   float64
}

// DefaultPTable is the table the tool publishes with: adjustments of at most 3 either way,
// variance 1.5, no 1s or 2s.
var DefaultPTable = NewPTable(3, 1.5, []int{1, 2})

// NewPTable builds a perturbation table. For each true count n (0 stays 0), the published values
// v are those within maxAdjust of n, at least 0 and not excluded; each gets the weight of a normal
// distribution with the given variance at v - n, and the weights are then tilted exponentially
// (w(v) proportional to w0(v) exp(t (v - n))) with t chosen so that the mean published value is n.
// Rows from 2 maxAdjust + max(excluded) + 1 on are all the same distribution of adjustments.
func NewPTable(maxAdjust int, variance float64, exclude []int) *PTable {
	p := &PTable{MaxAdjust: maxAdjust, Variance: variance, Exclude: exclude}
	top := p.flat()
	for n := 0; n <= top; n++ {
		p.rows = append(p.rows, p.row(n))
	}
	return p
}

// flat is the first count from which every row is the same distribution of adjustments.
func (p *PTable) flat() int {
	m := 0
	for _, e := range p.Exclude {
		m = max(m, e)
	}
	return 2*p.MaxAdjust + m + 1
}

func (p *PTable) excluded(v int) bool {
	for _, e := range p.Exclude {
		if e == v {
			return true
		}
	}
	return false
}

func (p *PTable) row(n int) []step {
	if n == 0 {
		return []step{{0, 1}}
	}
	var vals []int
	var w0 []float64
	for v := n - p.MaxAdjust; v <= n+p.MaxAdjust; v++ {
		if v < 0 || p.excluded(v) {
			continue
		}
		d := float64(v - n)
		vals = append(vals, v)
		w0 = append(w0, math.Exp(-d*d/(2*p.Variance)))
	}
	weights := func(t float64) ([]float64, float64) {
		w := make([]float64, len(vals))
		var sum, mean float64
		for i, v := range vals {
			w[i] = w0[i] * math.Exp(t*float64(v-n))
			sum += w[i]
		}
		for i, v := range vals {
			w[i] /= sum
			mean += w[i] * float64(v-n)
		}
		return w, mean
	}
	// the mean adjustment rises with t: bisect for zero
	lo, hi := -20.0, 20.0
	for range 200 {
		mid := (lo + hi) / 2
		if _, m := weights(mid); m < 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	w, _ := weights((lo + hi) / 2)
	out := make([]step, len(vals))
	var cum float64
	for i, v := range vals {
		cum += w[i]
		out[i] = step{int64(v), cum}
	}
	out[len(out)-1].cum = 1
	return out
}

// Perturb returns the published value of a true count n with cell key key in [0, 1).
func (p *PTable) Perturb(n int64, key float64) int64 {
	if n <= 0 {
		return n
	}
	r := p.rows[min(n, int64(len(p.rows)-1))]
	shift := int64(0)
	if n >= int64(len(p.rows)-1) {
		shift = n - int64(len(p.rows)-1) // the flat row, moved to n
	}
	for _, s := range r {
		if key < s.cum {
			return s.value + shift
		}
	}
	return r[len(r)-1].value + shift
}

// Row is the distribution for a true count: published values and their probabilities.
func (p *PTable) Row(n int64) (values []int64, probs []float64) {
	r := p.rows[min(max(n, 0), int64(len(p.rows)-1))]
	shift := int64(0)
	if n >= int64(len(p.rows)-1) {
		shift = n - int64(len(p.rows)-1)
	}
	prev := 0.0
	for _, s := range r {
		values = append(values, s.value+shift)
		probs = append(probs, s.cum-prev)
		prev = s.cum
	}
	return values, probs
}

// String prints the table's rows up to the flat one, as the README shows it.
func (p *PTable) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "true count: published value (probability); from %d on, the last row's adjustments\n", len(p.rows)-1)
	for n := range p.rows {
		vals, probs := p.Row(int64(n))
		fmt.Fprintf(&b, "%d:", n)
		for i := range vals {
			fmt.Fprintf(&b, " %d (%.3f)", vals[i], probs[i])
		}
		b.WriteString("\n")
	}
	return b.String()
}

// KeyScale is the size of the record and cell key space: keys are integers in [0, 2^60), read
// as fractions of it.
const KeyScale = 1 << 60

// CellKey reads a cell key column (an integer sum of record keys, already reduced modulo
// KeyScale by the query) as a fraction in [0, 1).
func CellKey(v any) (float64, bool) {
	var n float64
	switch x := v.(type) {
	case int64:
		n = float64(x)
	case int32:
		n = float64(x)
	case uint64:
		n = float64(x)
	case float64:
		n = x
	default:
		return 0, false
	}
	k := math.Mod(n, KeyScale) / KeyScale
	if k < 0 {
		k += 1
	}
	if k >= 1 {
		k = 0
	}
	return k, true
}
