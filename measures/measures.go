// Package measures turns a named query's counts into the figures people read: it adds rates and
// proportions with confidence intervals where the query's header asks for them, runs the query's
// finishing step (SII and RII, benchmarks and trends, plan status), and applies a disclosure
// policy. Pages, briefings, returns, the API and `hubs query` all answer through Run, so a number
// is the same wherever it appears.
package measures

import (
	"context"
	"fmt"
	"math"
	"strings"

	"familyhubs/queries"
	"familyhubs/stats"
)

// Confidence is the level of every interval the tool shows.
const Confidence = 0.95

// A finisher completes a query's answer in Go (what SQL cannot do: simulation, tests).
type finisher func(ctx context.Context, res *queries.Result) (*queries.Result, error)

var finishers = map[string]finisher{
	"inequality": finishInequality,
	"localities": finishLocalities,
	"care":       finishCare,
	"fund":       finishFund,
}

// Run answers a named query: counts from SQL, then derived figures, then its finishing step,
// then disclosure control under policy.
func Run(ctx context.Context, db queries.Querier, name string, args queries.Args, policy stats.Policy) (*queries.Result, error) {
	q, err := queries.Get(name)
	if err != nil {
		return nil, err
	}
	res, err := q.Run(ctx, db, args)
	if err != nil {
		return nil, err
	}
	raw := res.Raw
	if err := derive(res); err != nil {
		return nil, err
	}
	if q.Finish != "" {
		f, ok := finishers[q.Finish]
		if !ok {
			return nil, fmt.Errorf("%s: no finishing step %q", q.File, q.Finish)
		}
		if res, err = f(ctx, res); err != nil {
			return nil, fmt.Errorf("%s: %w", q.Name, err)
		}
	}
	if err := protect(res, policy); err != nil {
		return nil, err
	}
	if raw {
		res.Raw = true
		res.Notes = append(res.Notes, "Counted from raw contacts ("+q.RawFile+"), not the rollups, which keep whole "+
			"quarters and financial years; the two give the same answer for those.")
	}
	return res, nil
}

// derive adds NAME, NAME_lower and NAME_upper for each rate or proportion in the header.
func derive(res *queries.Result) error {
	for _, d := range res.Query.Derived {
		ci, di := res.Col(d.Count), res.Col(d.Denominator)
		if ci < 0 || di < 0 {
			return fmt.Errorf("%s: %s needs columns %s and %s", res.Query.File, d.Name, d.Count, d.Denominator)
		}
		res.Columns = append(res.Columns, d.Name, d.Name+"_lower", d.Name+"_upper")
		for i, row := range res.Rows {
			x, okX := Number(row[ci])
			n, okN := Number(row[di])
			var iv stats.Interval
			var err error
			if okX && okN && n > 0 {
				if d.Kind == "rate" {
					iv, err = stats.Rate(x, n, d.Per, Confidence)
				} else {
					iv, err = stats.Wilson(x, n, Confidence)
					iv.Value, iv.Lower, iv.Upper = iv.Value*d.Per, iv.Lower*d.Per, iv.Upper*d.Per
				}
			}
			if err != nil || !okX || !okN || n <= 0 {
				res.Rows[i] = append(row, nil, nil, nil)
				continue
			}
			res.Rows[i] = append(row, Round(iv.Value, 3), Round(iv.Lower, 3), Round(iv.Upper, 3))
		}
		method := "Byar's method, exact Poisson under 10 events"
		if d.Kind == "proportion" {
			method = "Wilson score method"
		}
		res.Notes = append(res.Notes, fmt.Sprintf("%s = %s / %s x %s, with %g%% confidence limits by %s.",
			d.Name, d.Count, d.Denominator, trimFloat(d.Per), Confidence*100, method))
	}
	return nil
}

// protect applies the policy to every count column, and suppresses a derived figure whose count
// is suppressed.
func protect(res *queries.Result, p stats.Policy) error {
	q := res.Query
	for _, col := range q.Counts {
		ci := res.Col(col)
		if ci < 0 {
			return fmt.Errorf("%s: counts names %s, which the result lacks", q.File, col)
		}
		counts := make([]float64, len(res.Rows))
		for i, row := range res.Rows {
			counts[i], _ = Number(row[ci])
		}
		var groups [][]int
		for _, g := range q.Totals {
			keys := make([]string, len(res.Rows))
			for i, row := range res.Rows {
				if len(g) == 1 && g[0] == "*" {
					keys[i] = "*"
					continue
				}
				var parts []string
				for _, k := range g {
					ki := res.Col(k)
					if ki < 0 {
						return fmt.Errorf("%s: totals names %s, which the result lacks", q.File, k)
					}
					parts = append(parts, queries.Text(row[ki]))
				}
				keys[i] = strings.Join(parts, "\x00")
			}
			groups = append(groups, stats.GroupsBy(keys)...)
		}
		cells := p.Protect(counts, groups)
		for i, row := range res.Rows {
			if row[ci] == nil {
				continue
			}
			row[ci] = asCount(p.Show(cells[i]))
			if !cells[i].Suppressed {
				continue
			}
			for _, d := range q.Derived {
				if d.Count != col {
					continue
				}
				hidden := stats.Suppressed{Symbol: p.Symbol, Reason: "built on a suppressed count"}
				for _, name := range []string{d.Name, d.Name + "_lower", d.Name + "_upper"} {
					if j := res.Col(name); j >= 0 {
						row[j] = hidden
					}
				}
			}
		}
	}
	if len(q.Counts) > 0 {
		res.Notes = append(res.Notes, "Disclosure control: "+p.Description())
	}
	return nil
}

// asCount keeps whole numbers as integers so they print without a decimal point.
func asCount(v any) any {
	if f, ok := v.(float64); ok && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return int64(f)
	}
	return v
}

// Number reads a numeric cell; false for NULL, a suppressed value, or text.
func Number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case int:
		return float64(x), true
	case float64:
		return x, !math.IsNaN(x)
	case float32:
		return float64(x), true
	case uint64:
		return float64(x), true
	}
	return 0, false
}

// Round rounds to d decimal places.
func Round(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}

func trimFloat(f float64) string { return queries.Text(f) }
