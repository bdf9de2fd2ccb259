package measures

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"time"

	"familyhubs/queries"
	"familyhubs/stats"
)

// SII simulation settings, fixed and reported so anyone can reproduce the limits.
const (
	SIIRepetitions = 10000
	SIISeed        = 2004 // the year of Low and Low's paper
)

// finishInequality turns rows of (year, IDACI decile, children resident, children reached) into
// one row per year: the reach rate, SII and RII across deciles with simulated limits, and the
// share of children reached who live in deciles 1-2 against their share of the children.
//
// Every count it reads is already protected: each decile's children reached (the SII's inputs),
// and the year's children reached and those in deciles 1-2, which are cells of their own (the same
// cells reach_total shows for the year), not sums of the deciles.
func finishInequality(ctx context.Context, res *queries.Result, p stats.Policy) (*queries.Result, error) {
	yi, di, pi, ri := res.Col("year"), res.Col("idaci_decile"), res.Col("children_resident"), res.Col("children_reached")
	ti, ti12 := res.MustCol("year_children_reached"), res.MustCol("year_children_1_2")
	type year struct {
		label               string
		qs                  []stats.Quantile
		resident, reached   float64
		resident12, reach12 float64
		anyZero, hidden     bool
		totalHidden         bool
		denominator         string // which children the year is set against (denominator_years)
	}
	var years []*year
	for _, row := range res.Rows {
		label := queries.Text(row[yi])
		if len(years) == 0 || years[len(years)-1].label != label {
			years = append(years, &year{label: label})
		}
		y := years[len(years)-1]
		if i := res.Col("denominator"); i >= 0 {
			y.denominator = queries.Text(row[i])
		}
		pop, _ := Number(row[pi])
		n, _ := Number(row[ri])
		if _, h := row[ri].(stats.Suppressed); h {
			y.hidden = true // the NHS rule hides small counts: no SII on a hidden decile
		}
		decile, _ := Number(row[di])
		y.resident += pop
		y.reached, _ = Number(row[ti])
		y.reach12, _ = Number(row[ti12])
		_, h1 := row[ti].(stats.Suppressed)
		_, h2 := row[ti12].(stats.Suppressed)
		y.totalHidden = h1 || h2
		if decile <= 2 {
			y.resident12 += pop
		}
		// reach is a proportion (each child is reached or not): the decile's share reached with
		// its 95% Wilson limits, simulated on the logit scale as PHEindicatormethods phe_sii does
		// for proportions; the SII is then scaled to per 1,000
		q := stats.Quantile{Population: pop}
		if pop > 0 {
			iv, err := stats.Wilson(min(n, pop), pop, 0.95)
			if err != nil {
				return nil, err
			}
			q.Value, q.Lower, q.Upper = iv.Value, iv.Lower, iv.Upper
			if n == 0 || n >= pop {
				y.anyZero = true // no logit of 0 or 1
			}
		}
		y.qs = append(y.qs, q)
	}
	out := &queries.Result{Query: res.Query, Args: res.Args, Notes: res.Notes, Columns: []string{
		"year", "children_reached", "children_resident", "reach_per_1000",
		"sii", "sii_lower", "sii_upper", "rii", "rii_lower", "rii_upper",
		"share_reached_idaci_1_2", "share_children_idaci_1_2", "deciles_used", "sii_method", "denominator"}}
	// each year's simulation (10,000 repetitions, its own seeded generator) is independent of the
	// others: run them side by side, one per core, for the same answer sooner
	type fit struct {
		in  stats.Inequality
		err error
	}
	fits := make([]fit, len(years))
	var wg sync.WaitGroup
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, y := range years {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			vt := stats.Proportion
			if y.anyZero {
				vt = stats.Normal
			}
			if y.hidden {
				fits[i].err = errors.New("a decile's count is hidden under the disclosure policy")
				return
			}
			if used := usedQuantiles(y.qs); used < 5 {
				fits[i].err = fmt.Errorf("only %d deciles hold children here; the SII needs at least 5 for a slope worth reading", used)
				return
			}
			fits[i].in, fits[i].err = stats.SII(y.qs, stats.SIIOptions{Type: vt, Confidence: Confidence, Repetitions: SIIRepetitions, Seed: SIISeed})
		}()
	}
	wg.Wait()
	for i, y := range years {
		scale := "logit"
		if y.anyZero {
			scale = "natural" // a decile with no one reached (or all) has no logit
		}
		row := []any{y.label, int64(y.reached), int64(y.resident), nil, nil, nil, nil, nil, nil, nil, nil, nil, int64(0), nil, y.denominator}
		if y.resident > 0 {
			row[3] = Round(y.reached/y.resident*1000, 3)
			row[11] = Round(y.resident12/y.resident, 4)
		}
		if y.reached > 0 {
			row[10] = Round(y.reach12/y.reached, 4)
		}
		if y.totalHidden {
			h := stats.Suppressed{Symbol: p.Symbol, Reason: p.Reason}
			row[1], row[3], row[10] = h, h, h
		}
		in, err := fits[i].in, fits[i].err
		if err == nil {
			row[4], row[5], row[6] = Round(in.SII*1000, 3), Round(in.SIILower*1000, 3), Round(in.SIIUpper*1000, 3)
			row[7], row[8], row[9] = Round(in.RII, 4), Round(in.RIILower, 4), Round(in.RIIUpper, 4)
			row[12] = int64(in.Quantiles)
			if in.RII < 0 || in.Intercept <= 0 {
				// the fitted line crosses zero within the range: a ratio of its ends means nothing
				row[7], row[8], row[9] = nil, nil, nil
				row[13] = fmt.Sprint(row[13]) + "; RII not shown: the fitted reach at the most deprived end is zero or below, so the ratio of the ends cannot be read"
			}
			row[13] = fmt.Sprintf("Low and Low (2004) as PHEindicatormethods phe_sii; the proportion reached (per 1,000) simulated on the %s scale; %d repetitions, seed %d",
				scale, SIIRepetitions, SIISeed)
		} else {
			row[13] = "not calculated: " + err.Error()
		}
		out.Rows = append(out.Rows, row)
	}
	out.Notes = append(out.Notes,
		"SII and RII are computed across the IDACI deciles present among the council's neighbourhoods, each decile's reach rate per 1,000 "+
			"with its 95% Wilson limits (reach is a proportion); reproduce them from `hubs query reach_by_decile` (the IDACI rows) for the same financial year. "+
			"IDACI ranks neighbourhoods by the share of children aged 0-15 in income-deprived families; reach here counts children aged 0-19 "+
			"(children of 20-25 with SEND are left out, having no resident count).",
		"A negative SII (RII below 1) means more reach where deprivation is higher; a narrowing gap shows as an SII moving towards 0.")
	return out, nil
}

// finishLocalities compares each locality's reach with the whole council's: better, similar or
// worse, higher reach being better, by whether the locality's 95% interval holds the council rate.
func finishLocalities(ctx context.Context, res *queries.Result, _ stats.Policy) (*queries.Result, error) {
	ri, pi := res.Col("children_reached"), res.Col("children_resident")
	var reached, resident float64
	for _, row := range res.Rows {
		n, _ := Number(row[ri])
		p, _ := Number(row[pi])
		reached, resident = reached+n, resident+p
	}
	council := math.NaN()
	if resident > 0 {
		council = reached / resident * 1000
	}
	res.Columns = append(res.Columns, "council_reach_per_1000", "vs_council")
	for i, row := range res.Rows {
		iv := stats.Interval{Value: math.NaN()}
		if v, ok := Number(row[res.Col("reach_per_1000")]); ok {
			// 99.8%: seven localities compared at 95% would show a chance "better" or "worse"
			// about one time in three
			lo, _ := Number(row[res.MustCol("reach_per_1000_lower"+Wide)])
			hi, _ := Number(row[res.MustCol("reach_per_1000_upper"+Wide)])
			iv = stats.Interval{Value: v, Lower: lo, Upper: hi}
		}
		res.Rows[i] = append(row, Round(council, 3), stats.Compare(iv, stats.Interval{Value: council}, stats.HigherIsBetter))
	}
	res.Notes = append(res.Notes, "vs_council: better or worse where the locality's 99.8% interval excludes the council's own rate, else similar; higher reach is better (99.8%, as Fingertips compares many areas, to hold down chance findings).")
	return res, nil
}

// finishCare adds, to each council and year, its rate per 10,000 with limits, England's rate,
// the comparison with England and with the statistical neighbours' average, and the trend over
// the five years to that one (the council's own series only: no trend across a reorganisation).
func finishCare(ctx context.Context, res *queries.Result, _ stats.Policy) (*queries.Result, error) {
	col := func(name string) int { return res.Col(name) }
	mi, yi, si, ni, ci := col("measure"), col("year"), col("series"), col("number"), col("children_0_17")
	eni, eci, nri := col("england_number"), col("england_children_0_17"), col("neighbours_rate_per_10000")
	res.Columns = append(res.Columns, "rate_per_10000", "rate_per_10000_lower", "rate_per_10000_upper",
		"england_rate_per_10000", "vs_england", "vs_neighbours", "trend")
	history := map[string][]stats.Point{}
	for i, row := range res.Rows {
		rate, lo, hi := any(nil), any(nil), any(nil)
		england := any(nil)
		vsEngland, vsNeighbours, trend := stats.NotCompared, stats.NotCompared, stats.TooFewPoints
		x, okX := Number(row[ni])
		n, okN := Number(row[ci])
		var iv stats.Interval
		if okX && okN && n > 0 {
			iv, _ = stats.Rate(x, n, 10000, Confidence)
			rate, lo, hi = Round(iv.Value, 1), Round(iv.Lower, 1), Round(iv.Upper, 1)
		} else {
			iv.Value = math.NaN()
		}
		if ex, ok := Number(row[eni]); ok {
			if en, ok := Number(row[eci]); ok && en > 0 {
				e, _ := stats.Rate(ex, en, 10000, Confidence)
				england = Round(e.Value, 1)
				// England's interval is negligible at this size: compare with its value
				vsEngland = stats.Compare(iv, stats.Interval{Value: e.Value}, stats.NoJudgement)
			}
		}
		if nr, ok := Number(row[nri]); ok {
			vsNeighbours = stats.Compare(iv, stats.Interval{Value: nr}, stats.NoJudgement)
		}
		key := queries.Text(row[mi]) + "|" + queries.Text(row[si])
		year, _ := Number(row[yi])
		if okX && okN && n > 0 {
			history[key] = append(history[key], stats.Point{Year: int(year), Events: x, Populace: n})
			t, err := stats.Trend(history[key])
			if err != nil {
				return nil, err
			}
			trend = t
		} else {
			history[key] = nil // a missing year breaks the run of consecutive points
		}
		res.Rows[i] = append(row, rate, lo, hi, england, vsEngland, vsNeighbours, trend)
	}
	res.Notes = append(res.Notes,
		"Rates per 10,000 children aged 0-17 (the previous mid-year estimate, as DfE uses) with 95% limits by Byar's method; "+
			"DfE's own published rate is rounded to whole numbers.",
		"vs_england, vs_neighbours: higher or lower where the 95% interval excludes the benchmark, else similar. "+
			"No judgement of better or worse: fewer children in care is not by itself better.",
		"trend: OHID Fingertips' recent trend marker (Fingertips trend markers, Public Health Technical Guidance; PHEindicatormethods' assign_trend_markers). "+
			"Over the latest five consecutive years of one series (a council's own figures, never joined to a predecessor's across a reorganisation, nor across a year without a figure), "+
			"the chi-squared test for linear trend in the proportion of children (Armitage) at 99.8% (chi-squared above 9.5495): "+
			"increasing or decreasing only if significant and the direction holds with each of the five years left out in turn, so no single year makes a trend; "+
			"otherwise no significant change; cannot be calculated with fewer than five consecutive years. It says which way the figure has moved, not whether that is better or worse.",
		"Figures DfE did not publish keep DfE's symbol (c confidential, x not available, u low reliability) and are never shown as zero.")
	return res, nil
}

// Plan status rule, written down so a reader can check every colour:
//   - each line is measured over the period its target is set for, ending on or before the last
//     day of the period viewed (capped at the end of the data): a financial-year or quarterly
//     target against the latest complete financial year or quarter by then (not yet measurable,
//     and no colour, if the data hold none since the plan began), a "to date" target from plan
//     start to that day, sites and entered milestones on that day (sites at their due date if
//     earlier; an entered value counts from the day it was entered);
//   - progress = (achieved - baseline) / (target - baseline), the share of the way to target;
//   - expected = the share of the time from plan start to due date that has passed by the last
//     day measured (1 once due);
//   - green: progress >= expected (on or ahead of a straight line to the target, or met once due);
//   - amber: progress >= 0.75 x expected (a little behind);
//   - red: anything less, or no value achieved.
//
// For an entered milestone (target 1 = done): green once done; before the due date amber if not
// yet done; red if not done by the due date.
const FundRule = "Status rule: each indicator is measured over the period its target is set for, ending by the last day of the period viewed " +
	"(capped at the end of the data): a financial-year or quarterly target against the latest complete financial year or quarter by then " +
	"(not yet measurable, with no colour, if there is none since the plan began), a target to date from plan start to that day, and sites " +
	"and entered milestones on that day (sites at their due date if earlier; an entered value counts from the day it was entered). " +
	"progress = (achieved - baseline) / (target - baseline); expected = share of the time from plan start to " +
	"due date that has passed by the last day measured (1 once due). Green when progress >= expected; amber when progress >= 0.75 x expected; otherwise red. " +
	"A yes/no milestone entered by the council is green once done, amber while not done before its due date, red if not done by then."

// NotShown is the status of a plan line whose count the disclosure policy hides (NHS: 1 to 7).
const NotShown = "not shown: a small number"

// NotYetMeasurable is the status of a plan line with nothing to measure yet: no complete
// financial year or quarter (or no span to date) since the plan began, within the data.
const NotYetMeasurable = "not yet measurable"

func finishFund(ctx context.Context, res *queries.Result, p stats.Policy) (*queries.Result, error) {
	bi, ti, di, si, ai, oi, mi := res.Col("baseline"), res.Col("target"), res.Col("due"), res.Col("plan_start"),
		res.Col("achieved"), res.Col("as_of"), res.Col("measure")
	ii, li := res.Col("id"), res.Col("illustrative")
	ci, bci, ri := res.MustCol("achieved_count"), res.MustCol("achieved_base"), res.MustCol("resident_1_2")
	// a line about children, families or fathers is achieved by its protected count, and a rate or
	// share by protected counts: what the plan shows is what every other page shows of the same cells
	for _, row := range res.Rows {
		if row[ci] == nil {
			continue
		}
		if h, hidden := row[ci].(stats.Suppressed); hidden {
			row[ai] = h
			continue
		}
		n, _ := Number(row[ci])
		switch queries.Text(row[mi]) {
		case "children_reached", "families_reached", "fathers_reached":
			row[ai] = n
		case "reach_idaci_1_2_per_1000":
			if r, ok := Number(row[ri]); ok && r > 0 {
				row[ai] = Round(n*1000/r, 1)
			}
		case "share_reach_idaci_1_2":
			if h, hidden := row[bci].(stats.Suppressed); hidden {
				row[ai] = h
			} else if b, ok := Number(row[bci]); ok && b > 0 {
				row[ai] = Round(100*n/b, 1)
			} else {
				row[ai] = nil
			}
		}
	}
	res.Columns = append(res.Columns, "progress", "expected", "status")
	var illustrative []string
	for i, row := range res.Rows {
		baseline, _ := Number(row[bi])
		target, _ := Number(row[ti])
		due, _ := row[di].(time.Time)
		start, _ := row[si].(time.Time)
		asOf, measured := row[oi].(time.Time)
		achieved, ok := Number(row[ai])
		_, hidden := row[ai].(stats.Suppressed)
		progress, expected, status := any(nil), any(nil), "red"
		switch {
		case !measured:
			// no span of the line's period to measure (see the SQL's measured_for)
			status = NotYetMeasurable
		case hidden:
			status = NotShown
		case ok:
			status = FundStatus(queries.Text(row[mi]), baseline, target, achieved, start, due, asOf)
			if target != baseline {
				progress = Round((achieved-baseline)/(target-baseline), 3)
			}
			expected = Round(expectedShare(start, due, asOf), 3)
		}
		if b, _ := row[li].(bool); b {
			illustrative = append(illustrative, queries.Text(row[ii]))
		}
		res.Rows[i] = append(row, progress, expected, status)
	}
	dropColumns(res, "achieved_count", "achieved_base", "resident_1_2")
	res.Notes = append(res.Notes, FundRule)
	if len(illustrative) > 0 {
		res.Notes = append(res.Notes, "Illustrative plan lines (targets or dates the council has not published, set for illustration): "+
			strings.Join(illustrative, ", ")+".")
	}
	return res, nil
}

// FundStatus is the red / amber / green status of one plan line (see FundRule).
func FundStatus(measure string, baseline, target, achieved float64, start, due, asOf time.Time) string {
	if measure == "entered" {
		switch {
		case achieved >= target:
			return "green"
		case asOf.Before(due):
			return "amber"
		}
		return "red"
	}
	if target == baseline {
		return "red"
	}
	progress := (achieved - baseline) / (target - baseline)
	expected := expectedShare(start, due, asOf)
	switch {
	case progress >= expected:
		return "green"
	case progress >= 0.75*expected:
		return "amber"
	}
	return "red"
}

func expectedShare(start, due, asOf time.Time) float64 {
	if !asOf.Before(due) {
		return 1
	}
	if !asOf.After(start) || !due.After(start) {
		return 0
	}
	return asOf.Sub(start).Hours() / due.Sub(start).Hours()
}

// dropColumns removes columns a finishing step used and nobody reads.
func dropColumns(res *queries.Result, names ...string) {
	drop := map[int]bool{}
	for _, n := range names {
		if i := res.Col(n); i >= 0 {
			drop[i] = true
		}
	}
	var cols []string
	for i, c := range res.Columns {
		if !drop[i] {
			cols = append(cols, c)
		}
	}
	for r, row := range res.Rows {
		var out []any
		for i, v := range row {
			if !drop[i] {
				out = append(out, v)
			}
		}
		res.Rows[r] = out
	}
	res.Columns = cols
}

// usedQuantiles counts the quantiles with a population (those the SII uses).
func usedQuantiles(qs []stats.Quantile) int {
	n := 0
	for _, q := range qs {
		if q.Population > 0 {
			n++
		}
	}
	return n
}

// finishBenchmark adds the council's five-year trend marker (OHID Fingertips' rule, over its own
// consecutive years: the years are listed with the figures, so a gap shows) to its rows, and
// drops the history it was worked from.
func finishBenchmark(ctx context.Context, res *queries.Result, _ stats.Policy) (*queries.Result, error) {
	yi, ni, ci := res.MustCol("history_years"), res.MustCol("history_numbers"), res.MustCol("history_children")
	res.Columns = append(res.Columns, "trend")
	for i, row := range res.Rows {
		trend := any(nil)
		years, _ := row[yi].([]any)
		numbers, _ := row[ni].([]any)
		children, _ := row[ci].([]any)
		if len(years) > 0 && len(years) == len(numbers) && len(numbers) == len(children) {
			var pts []stats.Point
			for k := range years {
				y, _ := Number(years[k])
				n, okN := Number(numbers[k])
				c, okC := Number(children[k])
				if okN && okC && c > 0 {
					pts = append(pts, stats.Point{Year: int(y), Events: n, Populace: c})
				}
			}
			t, err := stats.Trend(pts)
			if err != nil {
				return nil, err
			}
			trend = t
		}
		res.Rows[i] = append(row, trend)
	}
	dropColumns(res, "history_years", "history_numbers", "history_children")
	res.Notes = append(res.Notes,
		"rank: 1 is the lowest rate among English councils with a published figure that year; quartile 1 the lowest quarter. "+
			"No judgement of better or worse: fewer children in care is not by itself better.",
		"trend: the council's own five-year trend marker, as OHID Fingertips assigns it (chi-squared test for trend at 99.8%, "+
			"called only if its direction holds with each year left out); cannot be calculated without five consecutive years.",
		"Statistical neighbours: DfE's children's services statistical neighbour benchmarking tool, ten closest councils; "+
			"their average is the unweighted mean of the rates of those with a published figure, as DfE's Local Authority Interactive Tool.")
	return res, nil
}
