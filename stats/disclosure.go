package stats

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Policy is a disclosure-control rule for counts of people before they are shown.
//
// Sources: DfE's statistical releases suppress counts of 1 to 5 children with "c" and apply
// secondary suppression so a suppressed figure cannot be worked out from totals (DfE,
// "Children looked after in England" and "Characteristics of children in need", methodology:
// confidentiality; GSS/ONS guidance on disclosure control for tables); NHS England's rule for
// published activity replaces 1 to 7 with "*" and rounds other counts to the nearest 5.
type Policy struct {
	Name      string
	Low, High float64 // counts in [Low, High] are suppressed (0 is never: a zero is a zero)
	Symbol    string
	RoundTo   float64 // round shown counts to a multiple of this (0: exact)
	Secondary bool    // suppress further cells so a suppressed one cannot be recovered from totals
	Reason    string
	// CellKey perturbs every count that has a cell key (the tool's own counts of people and
	// contacts) by the cell key method before anything else is done with it: rates, shares, the
	// SII, plan progress and key messages are then built from the perturbed count, and Low..High
	// and RoundTo apply to it. Counts without a cell key (DfE's own published figures and the
	// model built on them) keep DfE's rule: Low..High suppressed, with secondary suppression.
	CellKey *PTable
}

var (
	// DfE is the default for pages, the API, downloads and briefings: the tool's own counts by the
	// cell key method (DefaultPTable: at most 3 either way, never 1 or 2, zeros kept), and DfE's
	// own figures under DfE's rule (1-5 shown as c, with secondary suppression).
	DfE = Policy{Name: "dfe", Low: 1, High: 5, Symbol: "c", Secondary: true, CellKey: DefaultPTable,
		Reason: "1 to 5 children: suppressed under DfE disclosure control"}
	// NHS: the tool's counts perturbed by the cell key method, then NHS England's presentation:
	// 1-7 shown as *, others rounded to the nearest 5 (rates built from the rounded counts).
	NHS = Policy{Name: "nhs", Low: 1, High: 7, Symbol: "*", RoundTo: 5, CellKey: DefaultPTable,
		Reason: "1 to 7: suppressed under NHS disclosure control; other counts rounded to 5"}
	// Suppression is DfE's rule applied one table at a time (1-5 shown as c, with secondary
	// suppression within the table), as the tool published before the cell key method: tables built
	// on demand overlap, so it can be differenced. No server offers it; it is kept so the tests can
	// show the differencing attacker recovering counts from it.
	Suppression = Policy{Name: "suppression", Low: 1, High: 5, Symbol: "c", Secondary: true,
		Reason: "1 to 5 children: suppressed one table at a time"}
	// Exact: no suppression, for DfE returns and officers' own analysis, which are OFFICIAL-SENSITIVE.
	Exact = Policy{Name: "none", Reason: "exact counts: OFFICIAL-SENSITIVE, not for publication"}
)

// PolicyNamed finds a policy by name: dfe, nhs or none.
func PolicyNamed(name string) (Policy, error) {
	switch strings.ToLower(name) {
	case "dfe", "":
		return DfE, nil
	case "nhs":
		return NHS, nil
	case "none", "exact":
		return Exact, nil
	}
	return Policy{}, fmt.Errorf("disclosure policy %q: use dfe, nhs or none", name)
}

// Description is the footnote that says what the policy did.
func (p Policy) Description() string {
	switch {
	case p.Name == Exact.Name:
		return "Exact counts, no suppression (OFFICIAL-SENSITIVE)."
	case p.CellKey != nil && p.RoundTo > 0:
		return fmt.Sprintf("Small figures are adjusted to protect families: each count of children, families or contacts is changed by at most %d "+
			"by the cell key method (the same figure always gets the same change), then counts of %g to %g are shown as %s and others rounded "+
			"to the nearest %g (%s policy); rates are worked out from the counts shown. Totals may differ slightly from the sum of their parts.",
			p.CellKey.MaxAdjust, p.Low, p.High, p.Symbol, p.RoundTo, strings.ToUpper(p.Name))
	case p.CellKey != nil:
		return fmt.Sprintf("Small figures are adjusted to protect families: each count of children, families or contacts is changed by at most %d "+
			"by the cell key method (the same figure always gets the same change; no count of 1 or 2 is shown; zeros stay zero), and rates are "+
			"worked out from the adjusted counts. Totals may differ slightly from the sum of their parts. DfE's own figures keep DfE's rule: 1 to 5 shown as c.",
			p.CellKey.MaxAdjust)
	case p.RoundTo > 0:
		return fmt.Sprintf("Counts of %g to %g are shown as %s and other counts are rounded to the nearest %g (%s policy); rates on a suppressed count are suppressed too.",
			p.Low, p.High, p.Symbol, p.RoundTo, strings.ToUpper(p.Name))
	default:
		return fmt.Sprintf("Counts of %g to %g are shown as %s, with further cells suppressed where needed so none can be worked out from a total (%s policy); rates on a suppressed count are suppressed too.",
			p.Low, p.High, p.Symbol, strings.ToUpper(p.Name))
	}
}

// Suppressed stands in for a value that is not shown. It is never zero and never blank: it
// prints as its symbol and carries why.
type Suppressed struct {
	Symbol string
	Reason string
}

func (s Suppressed) String() string { return s.Symbol }

// MarshalJSON writes {"suppressed": "c", "reason": "..."}.
func (s Suppressed) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"suppressed": s.Symbol, "reason": s.Reason})
}

// Cell is one count in a table being protected.
type Cell struct {
	Count      float64
	Suppressed bool
	Reason     string
}

// Protect applies the policy to a table of counts. groups lists, for every total that is shown
// (a row total, a column total, the grand total), the indexes of the cells that add up to it.
// Primary suppression hides counts in the policy's range; secondary suppression then, for any
// total with exactly one hidden cell, also hides the smallest non-zero visible cell of that total
// (zeros only when nothing else is left), repeating until no total betrays a hidden cell.
func (p Policy) Protect(counts []float64, groups [][]int) []Cell {
	cells := make([]Cell, len(counts))
	for i, c := range counts {
		cells[i].Count = c
		if p.Symbol != "" && c >= p.Low && c <= p.High {
			cells[i].Suppressed, cells[i].Reason = true, p.Reason
		}
	}
	if !p.Secondary {
		return cells
	}
	for changed := true; changed; {
		changed = false
		for _, g := range groups {
			hidden := 0
			for _, i := range g {
				if cells[i].Suppressed {
					hidden++
				}
			}
			if hidden != 1 {
				continue
			}
			pick := -1
			for _, i := range g {
				if cells[i].Suppressed {
					continue
				}
				if pick < 0 || less(cells[i].Count, cells[pick].Count) {
					pick = i
				}
			}
			if pick >= 0 {
				cells[pick].Suppressed = true
				cells[pick].Reason = "suppressed so that another suppressed figure cannot be worked out from the total"
				changed = true
			}
		}
	}
	return cells
}

// less orders candidates for secondary suppression: the smallest non-zero count first, zeros last.
func less(a, b float64) bool {
	if (a == 0) != (b == 0) {
		return b == 0
	}
	return a < b
}

// Show returns what a count looks like under the policy: the (rounded) number, or Suppressed.
func (p Policy) Show(c Cell) any {
	if c.Suppressed {
		return Suppressed{Symbol: p.Symbol, Reason: c.Reason}
	}
	if p.RoundTo > 0 && c.Count != 0 {
		return math.Round(c.Count/p.RoundTo) * p.RoundTo
	}
	return c.Count
}

// GroupsBy builds Protect's groups from a key per cell: cells with the same key add up to a
// shown total. Cells with an empty key belong to no total.
func GroupsBy(keys []string) [][]int {
	m := map[string][]int{}
	var order []string
	for i, k := range keys {
		if k == "" {
			continue
		}
		if _, ok := m[k]; !ok {
			order = append(order, k)
		}
		m[k] = append(m[k], i)
	}
	sort.Strings(order)
	out := make([][]int, 0, len(order))
	for _, k := range order {
		out = append(out, m[k])
	}
	return out
}
