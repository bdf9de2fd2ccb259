// Package measures turns a named query's counts into the figures people read: it adds rates and
// proportions with confidence intervals where the query's header asks for them, runs the query's
// finishing step (SII and RII, benchmarks and trends, plan status), and applies a disclosure
// policy. Pages, briefings, returns, the API and `hubs query` all answer through Run, so a number
// is the same wherever it appears.
package measures

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"familyhubs/queries"
	"familyhubs/stats"
)

// Confidence is the level of the intervals the tool shows by default; every derived figure also
// carries 99.8% limits (NAME_lower_998, NAME_upper_998), as Fingertips shows both, and the
// locality-against-council comparison uses them to hold down chance findings.
const (
	Confidence     = 0.95
	WideConfidence = 0.998
)

// Wide is the suffix of a 99.8% limit's column: NAME_lower_998.
const Wide = "_998"

// A finisher completes a query's answer in Go (what SQL cannot do: simulation, tests). It reads
// counts already protected under the policy; a count it makes up must be a cell of the query,
// with its own cell key, so that it is protected like the rest.
type finisher func(ctx context.Context, res *queries.Result, p stats.Policy) (*queries.Result, error)

var finishers = map[string]finisher{
	"inequality": finishInequality,
	"localities": finishLocalities,
	"care":       finishCare,
	"fund":       finishFund,
	"benchmark":  finishBenchmark,
	"symbols":    finishDfESymbols,
	"step_up":    finishStepUp,
	"journeys":   finishJourneys,
	"next_hub":   finishNextHub,
}

// ErrExactOnly is returned for a question meant for the return and analysts (header "output:
// exact") asked under a protective policy.
var ErrExactOnly = errors.New("exact output only: this question is for the return and for analysts (hubs query --disclosure none), not for pages, the API or briefings")

// ErrSpan is returned for a period that is not a whole month, quarter or financial year asked
// under a protective policy: spans and single days multiply overlapping tables.
var ErrSpan = errors.New("protected outputs show whole months, quarters and financial years only: a span or a single day is exact output, for analysts (hubs query --disclosure none)")

// Run answers a named query: counts from SQL, protected under the policy (the cell key method
// first, for counts that carry a cell key), then rates and shares derived from the protected
// counts, then its finishing step. Cell keys never leave: their columns are dropped.
func Run(ctx context.Context, db queries.Querier, name string, args queries.Args, policy stats.Policy) (*queries.Result, error) {
	q, err := queries.Get(name)
	if err != nil {
		return nil, err
	}
	if policy.Name != stats.Exact.Name {
		if q.ExactOnly {
			return nil, fmt.Errorf("%s: %w", q.Name, ErrExactOnly)
		}
		if start, end, ok := args.Period(); ok && !queries.PublishablePeriod(start, end) {
			return nil, fmt.Errorf("%s to %s: %w", start.Format(time.DateOnly), end.Format(time.DateOnly), ErrSpan)
		}
	}
	res, err := q.Run(ctx, db, args)
	if err != nil {
		return nil, err
	}
	raw := res.Raw
	if err := protect(res, policy); err != nil {
		return nil, err
	}
	if err := derive(res, policy); err != nil {
		return nil, err
	}
	if q.Finish != "" {
		f, ok := finishers[q.Finish]
		if !ok {
			return nil, fmt.Errorf("%s: no finishing step %q", q.File, q.Finish)
		}
		if res, err = f(ctx, res, policy); err != nil {
			return nil, fmt.Errorf("%s: %w", q.Name, err)
		}
	}
	if err := councilRecordsNotes(ctx, db, res, args, policy); err != nil {
		return nil, fmt.Errorf("%s: %w", q.Name, err)
	}
	dropKeys(res)
	if len(q.Counts) > 0 {
		res.Notes = append(res.Notes, "Disclosure control: "+policy.Description())
	}
	if raw {
		res.Raw = true
		res.Notes = append(res.Notes, "Counted from raw contacts ("+q.RawFile+"), not the rollups, which keep whole "+
			"quarters and financial years; the two give the same answer for those.")
	}
	return res, nil
}

// KeySuffix names a count's cell key column: NAME_ckey beside NAME.
const KeySuffix = "_ckey"

// dropKeys removes the cell key columns: they are for perturbing counts, never published.
func dropKeys(res *queries.Result) {
	var keys []string
	for _, c := range res.Columns {
		if strings.HasSuffix(c, KeySuffix) {
			keys = append(keys, c)
		}
	}
	dropColumns(res, keys...)
}

// derive adds NAME, NAME_lower and NAME_upper for each rate or proportion in the header, from the
// counts as protected: a rate on a suppressed count is suppressed too.
func derive(res *queries.Result, p stats.Policy) error {
	for _, d := range res.Query.Derived {
		ci, di := res.Col(d.Count), res.Col(d.Denominator)
		if ci < 0 || di < 0 {
			return fmt.Errorf("%s: %s needs columns %s and %s", res.Query.File, d.Name, d.Count, d.Denominator)
		}
		res.Columns = append(res.Columns, d.Name, d.Name+"_lower", d.Name+"_upper", d.Name+"_lower"+Wide, d.Name+"_upper"+Wide)
		// a modelled count has no sampling error a confidence interval could describe, and the
		// model's own uncertainty is not measured: no limits, rather than limits that claim a
		// precision the model does not have
		modelled := slices.Contains(res.Query.Status, "modelled")
		for i, row := range res.Rows {
			if _, hidden := row[ci].(stats.Suppressed); hidden {
				h := stats.Suppressed{Symbol: p.Symbol, Reason: "built on a suppressed count"}
				res.Rows[i] = append(row, h, h, h, h, h)
				continue
			}
			x, okX := Number(row[ci])
			n, okN := Number(row[di])
			var iv, wide stats.Interval
			var err, err2 error
			if okX && okN && n > 0 {
				if d.Kind == "rate" {
					iv, err = stats.Rate(x, n, d.Per, Confidence)
					wide, err2 = stats.Rate(x, n, d.Per, WideConfidence)
				} else {
					iv, err = stats.Wilson(x, n, Confidence)
					wide, err2 = stats.Wilson(x, n, WideConfidence)
					iv.Value, iv.Lower, iv.Upper = iv.Value*d.Per, iv.Lower*d.Per, iv.Upper*d.Per
					wide.Lower, wide.Upper = wide.Lower*d.Per, wide.Upper*d.Per
				}
			}
			if err != nil || err2 != nil || !okX || !okN || n <= 0 {
				res.Rows[i] = append(row, nil, nil, nil, nil, nil)
				continue
			}
			if modelled {
				res.Rows[i] = append(row, Round(iv.Value, 3), nil, nil, nil, nil)
				continue
			}
			res.Rows[i] = append(row, Round(iv.Value, 3), Round(iv.Lower, 3), Round(iv.Upper, 3), Round(wide.Lower, 3), Round(wide.Upper, 3))
		}
		if modelled {
			res.Notes = append(res.Notes, fmt.Sprintf("%s = %s / %s x %s, from the %s shown. No confidence limits: the counts are modelled, "+
				"and a model's uncertainty is not the chance variation a confidence interval measures.", d.Name, d.Count, d.Denominator, trimFloat(d.Per), d.Count))
			continue
		}
		method := "Byar's method, exact Poisson under 10 events"
		if d.Kind == "proportion" {
			method = "Wilson score method"
		}
		res.Notes = append(res.Notes, fmt.Sprintf("%s = %s / %s x %s, with %g%% confidence limits (and %g%% in %s_lower%s, %s_upper%s) by %s, from the %s shown.",
			d.Name, d.Count, d.Denominator, trimFloat(d.Per), Confidence*100, WideConfidence*100, d.Name, Wide, d.Name, Wide, method, d.Count))
	}
	return nil
}

// shown is what a count with a cell key looks like under a cell key policy: perturbed by the
// cell key method, then presented as the policy presents counts (NHS: 1-7 hidden, the rest
// rounded to 5).
func shown(p stats.Policy, n float64, key any) any {
	k, _ := stats.CellKey(key) // no key (an empty cell) reads as 0: a zero count stays zero anyway
	n = float64(p.CellKey.Perturb(int64(n), k))
	hide := p.RoundTo > 0 && n >= p.Low && n <= p.High
	return asCount(p.Show(stats.Cell{Count: n, Suppressed: hide, Reason: p.Reason}))
}

// protect applies the policy to every count column. A count with a cell key column (NAME_ckey)
// is perturbed by the cell key method where the policy uses it, then presented (NHS: 1-7 hidden,
// the rest rounded to 5); no secondary suppression is needed, as a total and its parts are
// perturbed independently. A count without one (DfE's own figures) gets the policy's table rule:
// primary and secondary suppression within the table.
func protect(res *queries.Result, p stats.Policy) error {
	q := res.Query
	for _, col := range q.Counts {
		ci := res.Col(col)
		if ci < 0 {
			return fmt.Errorf("%s: counts names %s, which the result lacks", q.File, col)
		}
		// rows with a key are children's records: the cell key method; in a question that may
		// answer from a model, a count whose key is NULL (the care model beside council records)
		// keeps the table rule, among such rows
		rows := res.Rows
		if ki := res.Col(col + KeySuffix); ki >= 0 && p.CellKey != nil {
			rows = nil
			for _, row := range res.Rows {
				if n, _ := Number(row[ci]); row[ki] == nil && n > 0 && slices.Contains(q.Status, "modelled") {
					rows = append(rows, row)
					continue
				}
				if n, ok := Number(row[ci]); ok {
					row[ci] = shown(p, n, row[ki])
				}
			}
			if len(rows) == 0 {
				continue
			}
		}
		counts := make([]float64, len(rows))
		for i, row := range rows {
			counts[i], _ = Number(row[ci])
		}
		var groups [][]int
		for _, g := range q.Totals {
			keys := make([]string, len(rows))
			for i, row := range rows {
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
		for i, row := range rows {
			if row[ci] == nil {
				continue
			}
			row[ci] = asCount(p.Show(cells[i]))
		}
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
