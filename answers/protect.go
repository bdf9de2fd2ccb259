package answers

import (
	"familyhubs/queries"
	"familyhubs/stats"
)

// protectSums keeps a question whose rows are sums of another's (header "within") from giving
// away a suppressed row of the other by subtraction. Where a sum covers exactly one suppressed row
// of the other, the sum minus the shown rows would be that row; the sum is suppressed then, and so
// is every row that adds up with it to a shown total (its totals group), as the other part of a
// split would give the first away. A sum covering none, or two or more, suppressed rows reveals
// only their total, as the other question's own secondary suppression allows.
func protectSums(res, parts *queries.Result, p stats.Policy) {
	w := res.Query.Within
	pc := parts.MustCol(w.Column)
	for _, col := range res.Query.Counts {
		ci, pi := res.MustCol(col), parts.MustCol(col)
		hidden := map[string]int{}
		for _, row := range parts.Rows {
			if _, ok := row[pi].(stats.Suppressed); ok {
				hidden[queries.Text(row[pc])]++
			}
		}
		gives := func(row []any) bool {
			_, already := row[ci].(stats.Suppressed)
			return !already && hidden[queries.Text(row[res.MustCol(w.Column)])] == 1
		}
		var hide []int
		for i, row := range res.Rows {
			if !gives(row) {
				continue
			}
			hide = append(hide, i)
			for _, g := range res.Query.Totals {
				for j, other := range res.Rows {
					if j != i && sameKey(res, row, other, g) {
						hide = append(hide, j)
					}
				}
			}
		}
		for _, i := range hide {
			suppress(res, res.Rows[i], col, stats.Suppressed{Symbol: p.Symbol,
				Reason: "suppressed so that a suppressed count of " + res.Query.Within.Question + " cannot be worked out by subtraction"})
		}
	}
}

func sameKey(r *queries.Result, a, b []any, cols []string) bool {
	for _, c := range cols {
		if queries.Text(a[r.MustCol(c)]) != queries.Text(b[r.MustCol(c)]) {
			return false
		}
	}
	return true
}

// suppress hides a count and every figure derived from it.
func suppress(r *queries.Result, row []any, col string, s stats.Suppressed) {
	if _, ok := row[r.MustCol(col)].(stats.Suppressed); !ok {
		row[r.MustCol(col)] = s
	}
	for _, d := range r.Query.Derived {
		if d.Count == col {
			for _, name := range []string{d.Name, d.Name + "_lower", d.Name + "_upper"} {
				row[r.MustCol(name)] = s
			}
		}
	}
}
