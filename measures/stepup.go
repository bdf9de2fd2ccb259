package measures

import (
	"context"
	"fmt"
	"math"

	"familyhubs/queries"
	"familyhubs/stats"
)

// StepUpMethod is what the step-up answer's notes say of its method, and the README.
const StepUpMethod = "Kaplan-Meier cumulative incidence (1 - S(t), Kaplan and Meier 1958) of a first referral to children's social care on or after " +
	"the first hub contact, with 95% limits on the log(-log) scale from Greenwood's variance (as R's survfit, conf.type = \"log-log\"; " +
	"99.8% in the _998 columns). A child is followed from their first contact to the earlier of the end of follow-up (follow_up_end) and " +
	"the day before their 18th birthday, and a child not referred by then is censored there: they count for as long as they were " +
	"followed, neither as referred nor as never referred. A referral before the first contact is not an event of this cohort."

// StepUpCaution is said with every step-up answer: the figure describes, it does not judge.
const StepUpCaution = "Descriptive, not causal: these children are not compared with children the hubs did not help, and the share " +
	"referred is not the hubs' effect, good or bad (children come to hubs because of the needs that also lead to referrals, and hubs " +
	"also refer children who need it)."

// finishStepUp turns the step_up question's counts per day of follow-up (curve_days,
// curve_events, curve_censored: how many children were referred, and how many censored, on each
// day after their first contact; step_up_by_group's, each row its own group's) into the Kaplan-Meier cumulative incidence at each row's day
// (stats.CumulativeIncidence), with its 95% and 99.8% limits, and drops the counts per day: only
// the cohort, the children still followed and those referred, each a cell with its own cell key
// (protected before this step like every count), leave the answer.
//
// Protection. The estimate and its limits are built from the protected counts, as a rate is:
// with n the cohort, d the children referred by the day, F the estimate and V Greenwood's
// variance of log S (S = 1 - F), and n*, d* the counts as published, the published estimate is
// F* = (F n / d) x d* / n*, and V is scaled by the ratio of the variances an uncensored cohort
// would have at the published and the exact counts, d*/(n*(n* - d*)) over d/(n(n - d)); the
// limits are then set on the log(-log) scale from F* and that variance. F n / d and the variance
// ratio describe the censoring only: both are exactly 1 when no child was censored by the day,
// so that there the estimate is d*/n* and its limits those of d* children of n*, nothing an
// attacker could not work out from the published counts themselves; and with exact counts (n* =
// n, d* = d) the estimate and limits are Kaplan-Meier's own. Where the protected cohort, the
// children still followed or the children referred (other than none) are small (the policy's
// High: 5 under DfE's rule, 7 under NHS's) or hidden, the estimate and its limits are shown as
// the policy's symbol: a curve on a handful of children is neither safe nor worth reading.
func finishStepUp(ctx context.Context, res *queries.Result, p stats.Policy) (*queries.Result, error) {
	di := res.MustCol("days")
	ni, fi, ei := res.MustCol("cohort"), res.MustCol("followed"), res.MustCol("events")
	cd, ce, cc := res.MustCol("curve_days"), res.MustCol("curve_events"), res.MustCol("curve_censored")
	// each row carries the counts per day of its own group (step_up: the council's, in every
	// row; step_up_by_group: its breakdown and category's)
	observations := func(row []any) ([]stats.Observation, error) {
		var obs []stats.Observation
		days, _ := row[cd].([]any)
		events, _ := row[ce].([]any)
		censored, _ := row[cc].([]any)
		if len(days) != len(events) || len(days) != len(censored) {
			return nil, fmt.Errorf("curve lists of %d days, %d events and %d censorings", len(days), len(events), len(censored))
		}
		for k := range days {
			t, ok1 := Number(days[k])
			e, ok2 := Number(events[k])
			c, ok3 := Number(censored[k])
			if !ok1 || !ok2 || !ok3 {
				return nil, fmt.Errorf("curve: day %v, %v events, %v censored is not three numbers", days[k], events[k], censored[k])
			}
			for range int(e) {
				obs = append(obs, stats.Observation{Time: t, Event: true})
			}
			for range int(c) {
				obs = append(obs, stats.Observation{Time: t})
			}
		}
		return obs, nil
	}
	bi := res.Col("breakdown")
	council := func(row []any) bool { return bi < 0 || queries.Text(row[bi]) == "council" }
	res.Columns = append(res.Columns, "cumulative_incidence", "cumulative_incidence_lower", "cumulative_incidence_upper",
		"cumulative_incidence_lower"+Wide, "cumulative_incidence_upper"+Wide)
	var notFollowed []string
	for i, row := range res.Rows {
		obs, err := observations(row)
		if err != nil {
			return nil, err
		}
		at, _ := Number(row[di])
		in := stats.CumulativeIncidence(obs, []float64{at}, Confidence)[0]
		out := []any{nil, nil, nil, nil, nil}
		if !in.Defined {
			if council(row) {
				notFollowed = append(notFollowed, queries.Text(row[res.MustCol("months")]))
			}
		} else if why := stepUpHidden(p, row[ni], row[fi], row[ei]); why != "" {
			h := stats.Suppressed{Symbol: p.Symbol, Reason: why}
			out = []any{h, h, h, h, h}
		} else {
			nStar, _ := Number(row[ni])
			dStar, _ := Number(row[ei])
			est, ok := stepUpEstimate(in, float64(len(obs)), nStar, dStar)
			if ok {
				out = []any{Round(100*est.Value, 1), Round(100*est.Lower, 1), Round(100*est.Upper, 1), Round(100*est.Lower998, 1), Round(100*est.Upper998, 1)}
			}
		}
		res.Rows[i] = append(row, out...)
	}
	dropColumns(res, "curve_days", "curve_events", "curve_censored")
	res.Notes = append(res.Notes, StepUpMethod, StepUpCaution)
	if p.Name != stats.Exact.Name {
		res.Notes = append(res.Notes, "The estimates are worked out from the counts shown, adjusted as every count is: where no child was "+
			"censored by the day the estimate is events / cohort exactly. An estimate on a small cohort, few children still followed or a "+
			"few referrals is shown as "+p.Symbol+".")
	}
	if len(res.Rows) > 0 && res.Rows[0][res.MustCol("follow_up_end")] == nil {
		res.Notes = append(res.Notes, "The warehouse holds none of the council's referrals to children's social care child by child "+
			"(hubs load-care with a children's social care extract): no child can be followed, and no share referred is given.")
		notFollowed = nil
	}
	if len(notFollowed) > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("No estimate at %s months: no child of the cohort was followed that long by the end of follow-up (the curve is not extended).",
			joinAnd(notFollowed)))
	}
	return res, nil
}

// stepUpHidden says why a step-up estimate is not shown under the policy ("" if it is): a hidden
// count, or a small cohort, few still followed, or a few referrals (none is shown: an estimate of 0).
func stepUpHidden(p stats.Policy, cohort, followed, events any) string {
	if p.Name == stats.Exact.Name {
		return ""
	}
	for _, v := range []any{cohort, followed, events} {
		if _, hidden := v.(stats.Suppressed); hidden {
			return "built on a suppressed count"
		}
	}
	small := p.High
	if small < 5 {
		small = 5
	}
	n, _ := Number(cohort)
	f, _ := Number(followed)
	d, _ := Number(events)
	switch {
	case n <= small:
		return fmt.Sprintf("not shown: a cohort of %g or fewer children", small)
	case f <= small:
		return fmt.Sprintf("not shown: %g or fewer children still followed", small)
	case d > 0 && d <= small:
		return fmt.Sprintf("not shown: 1 to %g children referred", small)
	}
	return ""
}

// stepUpInterval is an estimate with its 95% and 99.8% limits.
type stepUpInterval struct{ Value, Lower, Upper, Lower998, Upper998 float64 }

// stepUpEstimate is the published cumulative incidence at one time (see finishStepUp): the
// Kaplan-Meier estimate in, from n children of whom in.Events were referred, carried over to
// the published cohort nStar and referrals dStar. false when there is nothing to show.
func stepUpEstimate(in stats.Incidence, n, nStar, dStar float64) (stepUpInterval, bool) {
	d := float64(in.Events)
	switch {
	case in.Estimate == 0 || dStar == 0:
		// no one referred (or none shown): 0, with no width to give (stats.CumulativeIncidence)
		return stepUpInterval{}, true
	case in.Estimate >= 1 && dStar == d && nStar == n:
		// everyone still followed was referred, counted exactly: 1, as stats.CumulativeIncidence
		return stepUpInterval{1, 1, 1, 1, 1}, true
	case in.Estimate >= 1 || d >= n || dStar >= nStar || nStar <= 0 || d <= 0:
		return stepUpInterval{}, false
	}
	s := 1 - in.Estimate
	// Greenwood's variance of log S, from the 95% limits: Upper = 1 - S^k, k = exp(z se / |log S|)
	k := math.Log1p(-in.Upper) / math.Log(s)
	se := math.Log(k) * -math.Log(s) / stats.Z(Confidence)
	greenwood := se * se
	f := in.Estimate * n / d * dStar / nStar
	if f >= 1 {
		return stepUpInterval{}, false
	}
	v := greenwood * (dStar / (nStar * (nStar - dStar))) / (d / (n * (n - d)))
	logS := math.Log1p(-f)
	limits := func(level float64) (float64, float64) {
		k := math.Exp(stats.Z(level) * math.Sqrt(v) / -logS)
		return -math.Expm1(logS / k), -math.Expm1(logS * k)
	}
	out := stepUpInterval{Value: f}
	out.Lower, out.Upper = limits(Confidence)
	out.Lower998, out.Upper998 = limits(WideConfidence)
	return out, true
}

func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	out := xs[0]
	for _, x := range xs[1 : len(xs)-1] {
		out += ", " + x
	}
	return out + " and " + xs[len(xs)-1]
}
