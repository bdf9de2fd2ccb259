package attack

import (
	"fmt"
	"math"
	"sort"
)

// maxWork bounds the elimination of one set of linked unknowns (equations x unknowns x rank):
// a larger set is left to one-at-a-time solving.
const maxWork = 4e8

// eliminate goes beyond one unknown at a time: it takes the allowed equations that still have
// unknowns, splits them into sets that share no unknown, and solves each set by Gaussian
// elimination. An unknown is determined when its row of the reduced system names no other
// unknown; its value must be one the cell could hold. A set whose equations contradict each
// other as published gives nothing. found hears each new value; the count of them is returned.
func (r *run) eliminate(known map[int]fact, allowed, trusted func(equation) bool, found func(id int, f fact)) int {
	// union the unknowns of each equation
	parent := map[int]int{}
	var find func(int) int
	find = func(x int) int {
		p, ok := parent[x]
		if !ok {
			parent[x] = x
			return x
		}
		if p != x {
			parent[x] = find(p)
		}
		return parent[x]
	}
	var eqs []int
	for i, e := range r.eqs {
		if !allowed(e) {
			continue
		}
		first := -1
		for _, t := range e.terms {
			if _, ok := known[t.id]; ok {
				continue
			}
			if first < 0 {
				first = find(t.id)
				continue
			}
			if b := find(t.id); b != first {
				parent[b] = first
			}
		}
		if first >= 0 {
			eqs = append(eqs, i)
		}
	}
	sets := map[int][]int{}
	for _, i := range eqs {
		for _, t := range r.eqs[i].terms {
			if _, ok := known[t.id]; !ok {
				root := find(t.id)
				sets[root] = append(sets[root], i)
				break
			}
		}
	}
	roots := make([]int, 0, len(sets))
	for root := range sets {
		roots = append(roots, root)
	}
	sort.Ints(roots)
	n := 0
	for _, root := range roots {
		n += r.eliminateSet(sets[root], known, trusted, found)
	}
	return n
}

func (r *run) eliminateSet(eqs []int, known map[int]fact, trusted func(equation) bool, found func(id int, f fact)) int {
	col := map[int]int{}
	var vars []int
	for _, i := range eqs {
		for _, t := range r.eqs[i].terms {
			if _, ok := known[t.id]; ok {
				continue
			}
			if _, ok := col[t.id]; !ok {
				col[t.id] = len(vars)
				vars = append(vars, t.id)
			}
		}
	}
	m, nv := len(eqs), len(vars)
	if m < 2 || nv < 2 || float64(m)*float64(nv)*math.Min(float64(m), float64(nv)) > maxWork {
		return 0
	}
	a := make([][]float64, m)
	b := make([]float64, m)
	verified := true
	fams := map[Family]bool{}
	lifted := false
	for k, i := range eqs {
		e := r.eqs[i]
		a[k] = make([]float64, nv)
		verified = verified && trusted(e)
		fams[e.family] = true
		for _, t := range e.terms {
			if f, ok := known[t.id]; ok {
				b[k] -= t.coef * f.value
				verified = verified && f.verified
				lifted = lifted || f.lifted
				continue
			}
			a[k][col[t.id]] += t.coef
		}
	}
	// reduced row echelon form, partial pivoting
	const eps = 1e-9
	pivotOf := make([]int, 0, nv) // row k's pivot column
	row := 0
	for c := 0; c < nv && row < m; c++ {
		best := row
		for k := row + 1; k < m; k++ {
			if math.Abs(a[k][c]) > math.Abs(a[best][c]) {
				best = k
			}
		}
		if math.Abs(a[best][c]) < eps {
			continue
		}
		a[row], a[best] = a[best], a[row]
		b[row], b[best] = b[best], b[row]
		p := a[row][c]
		for j := c; j < nv; j++ {
			a[row][j] /= p
		}
		b[row] /= p
		for k := 0; k < m; k++ {
			if k == row || math.Abs(a[k][c]) < eps {
				continue
			}
			f := a[k][c]
			for j := c; j < nv; j++ {
				a[k][j] -= f * a[row][j]
			}
			b[k] -= f * b[row]
		}
		pivotOf = append(pivotOf, c)
		row++
	}
	for k := row; k < m; k++ {
		if math.Abs(b[k]) > 1e-6 {
			return 0 // the equations contradict each other as published
		}
	}
	family := Linked
	for _, f := range []Family{Periods, TotalsParts} {
		if fams[f] {
			family = f
			break
		}
	}
	n := 0
	for k, c := range pivotOf {
		alone := true
		for j := 0; j < nv && alone; j++ {
			alone = j == c || math.Abs(a[k][j]) < eps
		}
		if !alone {
			continue
		}
		id := vars[c]
		if !r.inRange(id, b[k]) {
			continue
		}
		f := fact{value: math.Round(b[k]), verified: verified, family: family, lifted: lifted,
			why: fmt.Sprintf("solved with %d equations for %d unknown cells at once (Gaussian elimination)", m, nv)}
		known[id] = f
		found(id, f)
		n++
	}
	return n
}
