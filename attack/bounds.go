package attack

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
)

// primaryRange reads the range a hidden count lies in from the reason published with it ("1 to 5
// children: suppressed ..." gives 1..5); a count hidden for another reason (to protect another
// cell) could be any whole number from 0.
var primaryRange = regexp.MustCompile(`^(\d+) to (\d+)\b`)

func hiddenRange(c Cell) (lo, hi float64) {
	if m := primaryRange.FindStringSubmatch(c.Reason); m != nil {
		a, _ := strconv.ParseFloat(m[1], 64)
		b, _ := strconv.ParseFloat(m[2], 64)
		if a <= b {
			return a, b
		}
	}
	return 0, math.Inf(1)
}

// rangesHold checks the ranges the reasons give against what the equations alone recovered
// exactly: a hidden count worked out exactly must lie in its published range. With fewer than
// minHolds such counts, or any outside its range, the ranges are not used for verified findings.
func (r *run) rangesHold(known map[int]fact) bool {
	holds := 0
	for id, f := range known {
		nd := r.nodes[id]
		if nd.shown.Kind != Hidden || f.seed {
			continue
		}
		lo, hi := hiddenRange(nd.shown)
		if f.value < lo || f.value > hi {
			return false
		}
		if !math.IsInf(hi, 1) {
			holds++
		}
	}
	return holds >= minHolds
}

// roundingHolds checks, for each rounded column, that the counts lifted exactly from rates round
// to the figures shown: only then is a rounded figure taken to bound its count (within half the
// base) in verified findings.
func (r *run) roundingHolds() map[string]bool {
	holds, fails := map[string]int{}, map[string]int{}
	for id, l := range r.lifts {
		nd := r.nodes[id]
		base, ok := r.rounded[nd.column]
		if !ok || nd.shown.Kind != Number || !l.verified {
			continue
		}
		if math.Round(l.value/base)*base == nd.shown.Num {
			holds[nd.column]++
		} else {
			fails[nd.column]++
		}
	}
	out := map[string]bool{}
	for col := range r.rounded {
		out[col] = fails[col] == 0 && holds[col] >= minHolds
	}
	return out
}

// bound narrows the range of every unknown count through the allowed equations (bounds
// propagation): each unknown in an equation lies between the equation's constant less the
// largest and the smallest the others could sum to, rounded inwards to whole numbers. A count
// whose range closes on one value is found. Ranges start from what is published: a hidden
// count's reason (where reasons is true: checked by rangesHold), a rounded figure's base (where
// checked: roundedOK), at least 0 otherwise. A contradiction (an empty range) means a range or an
// equation is not what it claims: it stops, and what it found is discarded.
func (r *run) bound(known map[int]fact, allowed func(equation) bool, reasons bool, roundedOK map[string]bool, found func(id int, f fact)) int {
	lo, hi := map[int]float64{}, map[int]float64{}
	rng := func(id int) (float64, float64) {
		if l, ok := lo[id]; ok {
			return l, hi[id]
		}
		nd := r.nodes[id]
		l, h := 0.0, math.Inf(1)
		switch {
		case nd.shown.Kind == Hidden && reasons:
			l, h = hiddenRange(nd.shown)
		case nd.shown.Kind == Number && roundedOK[nd.column]:
			base := r.rounded[nd.column]
			l, h = math.Max(0, math.Ceil(nd.shown.Num-base/2-1e-9)), math.Floor(nd.shown.Num+base/2+1e-9)
		}
		lo[id], hi[id] = l, h
		return l, h
	}
	queue := make([]int, 0, len(r.eqs))
	queued := make([]bool, len(r.eqs))
	for i, e := range r.eqs {
		if allowed(e) {
			queue = append(queue, i)
			queued[i] = true
		}
	}
	fresh := map[int]fact{}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 20*len(r.eqs)+1000 {
			break // ranges narrowing one at a time: enough
		}
		i := queue[0]
		queue = queue[1:]
		queued[i] = false
		e := r.eqs[i]
		constant := 0.0
		var unknown []term
		lifted := false
		for _, t := range e.terms {
			if f, ok := known[t.id]; ok {
				constant -= t.coef * f.value
				lifted = lifted || f.lifted
			} else {
				unknown = append(unknown, t)
			}
		}
		if len(unknown) < 2 {
			continue // one unknown is propagate's
		}
		// the smallest and largest each term c*x can be: finite sums, and how many are infinite
		mins, maxs := make([]float64, len(unknown)), make([]float64, len(unknown))
		var finMin, finMax float64
		var infMin, infMax int
		for k, t := range unknown {
			l, h := rng(t.id)
			a, b := t.coef*l, t.coef*h
			if t.coef < 0 {
				a, b = b, a
			}
			mins[k], maxs[k] = a, b
			if math.IsInf(a, 0) {
				infMin++
			} else {
				finMin += a
			}
			if math.IsInf(b, 0) {
				infMax++
			} else {
				finMax += b
			}
		}
		rest := func(k int) (float64, float64) {
			rmin, rmax := finMin, finMax
			if math.IsInf(mins[k], 0) {
				if infMin > 1 {
					rmin = math.Inf(-1)
				}
			} else if infMin > 0 {
				rmin = math.Inf(-1)
			} else {
				rmin -= mins[k]
			}
			if math.IsInf(maxs[k], 0) {
				if infMax > 1 {
					rmax = math.Inf(1)
				}
			} else if infMax > 0 {
				rmax = math.Inf(1)
			} else {
				rmax -= maxs[k]
			}
			return rmin, rmax
		}
		changed := false
		for k, t := range unknown {
			restMin, restMax := rest(k)
			// c*x = constant - rest
			a, b := (constant-restMax)/t.coef, (constant-restMin)/t.coef
			if t.coef < 0 {
				a, b = b, a
			}
			l, h := rng(t.id)
			nl, nh := math.Max(l, math.Ceil(a-1e-9)), math.Min(h, math.Floor(b+1e-9))
			if nl > nh {
				return 0 // the published ranges and the equations disagree: trust none of it
			}
			if nl == l && nh == h {
				continue
			}
			lo[t.id], hi[t.id] = nl, nh
			changed = true
			// the sums of this equation follow the new range
			na, nb := t.coef*nl, t.coef*nh
			if t.coef < 0 {
				na, nb = nb, na
			}
			if math.IsInf(mins[k], 0) {
				infMin--
			} else {
				finMin -= mins[k]
			}
			if math.IsInf(maxs[k], 0) {
				infMax--
			} else {
				finMax -= maxs[k]
			}
			mins[k], maxs[k] = na, nb
			if math.IsInf(na, 0) {
				infMin++
			} else {
				finMin += na
			}
			if math.IsInf(nb, 0) {
				infMax++
			} else {
				finMax += nb
			}
			if nl == nh && r.inRange(t.id, nl) {
				fresh[t.id] = fact{value: nl, verified: true, family: e.family, lifted: lifted,
					why: fmt.Sprintf("%s, with the ranges published for the other %d unknown cells (bounds)", e.class, len(unknown)-1)}
			}
			for _, j := range r.byEq[t.id] {
				if j != i && !queued[j] && allowed(r.eqs[j]) {
					queued[j] = true
					queue = append(queue, j)
				}
			}
		}
		if changed && !queued[i] {
			queued[i] = true
			queue = append(queue, i)
		}
	}
	for id, f := range fresh {
		known[id] = f
		found(id, f)
	}
	return len(fresh)
}
