package measures

import (
	"context"
	"testing"
	"time"

	"familyhubs/queries"
	"familyhubs/stats"
)

// stepUpResult is what the step_up question returns: a row per day asked (182, 365, 730), with
// the counts as protected and the counts per day of follow-up beside them.
func stepUpResult(days, events, censored []any, counts [3][3]any) *queries.Result {
	res := &queries.Result{Query: &queries.Query{Name: "step_up", Finish: "step_up"}, Columns: []string{"months", "days",
		"cohort", "followed", "events", "curve_days", "curve_events", "curve_censored", "follow_up_end"}}
	end := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	for i, h := range [][2]int64{{6, 182}, {12, 365}, {24, 730}} {
		res.Rows = append(res.Rows, []any{h[0], h[1], counts[i][0], counts[i][1], counts[i][2], days, events, censored, end})
	}
	return res
}

// The finishing step on six children worked by hand (the same cohort as TestStepUp's, whose
// table of children and arithmetic are in measures/stepup_test.go): referred on days 30, 30 and
// 366, censored on days 130, 912 and 1004. Kaplan-Meier: S = 4/6 from day 30, 4/9 from day 366;
// Greenwood 1/12, then 1/4. 6 and 12 months: 33.3% (9.6% to 80.5%; 99.8%: 4.4% to 97.4%);
// 24 months: 55.6% (21.5% to 93.4%; 99.8%: 11.4% to 99.6%), where counting the child censored on
// day 130 as never referred would give 3/6 = 50%.
func TestFinishStepUpByHand(t *testing.T) {
	res := stepUpResult([]any{int32(30), int32(130), int32(366), int32(912), int32(1004)},
		[]any{int64(2), int64(0), int64(1), int64(0), int64(0)}, []any{int64(0), int64(1), int64(0), int64(1), int64(1)},
		[3][3]any{{int64(6), int64(3), int64(2)}, {int64(6), int64(3), int64(2)}, {int64(6), int64(2), int64(3)}})
	res, err := finishStepUp(context.Background(), res, stats.Exact)
	if err != nil {
		t.Fatal(err)
	}
	want := [][5]float64{{33.3, 9.6, 80.5, 4.4, 97.4}, {33.3, 9.6, 80.5, 4.4, 97.4}, {55.6, 21.5, 93.4, 11.4, 99.6}}
	for i, w := range want {
		for j, col := range []string{"cumulative_incidence", "cumulative_incidence_lower", "cumulative_incidence_upper",
			"cumulative_incidence_lower_998", "cumulative_incidence_upper_998"} {
			if got, _ := Number(res.Rows[i][res.MustCol(col)]); got != w[j] {
				t.Errorf("row %d: %s %v, by hand %v", i, col, res.Rows[i][res.MustCol(col)], w[j])
			}
		}
	}
	for _, c := range []string{"curve_days", "curve_events", "curve_censored"} {
		if res.Col(c) >= 0 {
			t.Errorf("the answer still has %s", c)
		}
	}
	// six children are too few to show under DfE's rule or NHS's, whatever the counts shown
	for _, p := range []stats.Policy{stats.DfE, stats.NHS} {
		res := stepUpResult([]any{int32(30), int32(130), int32(366), int32(912), int32(1004)},
			[]any{int64(2), int64(0), int64(1), int64(0), int64(0)}, []any{int64(0), int64(1), int64(0), int64(1), int64(1)},
			[3][3]any{{int64(6), int64(3), int64(3)}, {int64(6), int64(3), int64(3)}, {int64(6), int64(0), int64(3)}})
		res, err := finishStepUp(context.Background(), res, p)
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range res.Rows {
			if s, ok := row[res.MustCol("cumulative_incidence")].(stats.Suppressed); !ok || s.Symbol != p.Symbol {
				t.Errorf("%s row %d: %v, want %s", p.Name, i, row[res.MustCol("cumulative_incidence")], p.Symbol)
			}
		}
	}
}

// Under protection the estimate is worked from the counts shown: 400 children, 40 referred on day
// 100 and none censored before day 800, shown (by their cell keys) as a cohort of 402 with 41
// referred, give exactly the Kaplan-Meier estimate and limits of 41 referred of 402 (10.2%), as a
// rate is worked from the count shown; with censoring the censoring's own inflation is kept. Here 20
// of the 400 are censored on day 50, so the exact estimate at 182 days is 40/380 = 10.5%, and shown
// as 402 and 41 it is 10.5% x (41/40) x (400/402) = 10.7%, against 41/402 = 10.2%.
func TestFinishStepUpFromCountsShown(t *testing.T) {
	shown := func(cohort, referred float64) stats.Incidence {
		var obs []stats.Observation
		for i := range int(cohort) {
			obs = append(obs, stats.Observation{Time: 800, Event: i < int(referred)})
			if i < int(referred) {
				obs[i].Time = 100
			}
		}
		return stats.CumulativeIncidence(obs, []float64{182}, Confidence)[0]
	}
	counts := [3][3]any{{int64(402), int64(361), int64(41)}, {int64(402), int64(361), int64(41)}, {int64(402), int64(361), int64(41)}}
	res := stepUpResult([]any{int64(100), int64(800)}, []any{int64(40), int64(0)}, []any{int64(0), int64(360)}, counts)
	res, err := finishStepUp(context.Background(), res, stats.DfE)
	if err != nil {
		t.Fatal(err)
	}
	want := shown(402, 41)
	row := res.Rows[0]
	for col, v := range map[string]float64{"cumulative_incidence": want.Estimate, "cumulative_incidence_lower": want.Lower, "cumulative_incidence_upper": want.Upper} {
		if got, _ := Number(row[res.MustCol(col)]); got != Round(100*v, 1) {
			t.Errorf("%s %v, 41 of 402 give %v", col, row[res.MustCol(col)], Round(100*v, 1))
		}
	}
	if got, _ := Number(row[res.MustCol("cumulative_incidence")]); got != 10.2 {
		t.Errorf("estimate %v, want 10.2", got)
	}
	// no referral after day 100: the same at 24 months
	if got, _ := Number(res.Rows[2][res.MustCol("cumulative_incidence")]); got != 10.2 {
		t.Errorf("24 months: %v, want 10.2", res.Rows[2][res.MustCol("cumulative_incidence")])
	}
	// a count hidden under NHS's rule hides the estimate built on it
	hidden := stats.Suppressed{Symbol: "*", Reason: "1 to 7"}
	nhs := stepUpResult([]any{int64(100), int64(800)}, []any{int64(40), int64(0)}, []any{int64(0), int64(360)},
		[3][3]any{{int64(400), int64(360), hidden}, {int64(400), int64(360), int64(40)}, {int64(400), int64(360), int64(40)}})
	if nhs, err = finishStepUp(context.Background(), nhs, stats.NHS); err != nil {
		t.Fatal(err)
	}
	if s, ok := nhs.Rows[0][nhs.MustCol("cumulative_incidence_upper")].(stats.Suppressed); !ok || s.Symbol != "*" {
		t.Errorf("NHS, referrals hidden: %v", nhs.Rows[0][nhs.MustCol("cumulative_incidence_upper")])
	}
	// with 20 censored on day 50
	res = stepUpResult([]any{int64(50), int64(100), int64(800)}, []any{int64(0), int64(40), int64(0)}, []any{int64(20), int64(0), int64(340)}, counts)
	if res, err = finishStepUp(context.Background(), res, stats.DfE); err != nil {
		t.Fatal(err)
	}
	if got, _ := Number(res.Rows[0][res.MustCol("cumulative_incidence")]); got != 10.7 {
		t.Errorf("with censoring: %v, want 10.7 (10.526%% x 41/40 x 400/402)", res.Rows[0][res.MustCol("cumulative_incidence")])
	}
	exact := stepUpResult([]any{int64(50), int64(100), int64(800)}, []any{int64(0), int64(40), int64(0)}, []any{int64(20), int64(0), int64(340)},
		[3][3]any{{int64(400), int64(340), int64(40)}, {int64(400), int64(340), int64(40)}, {int64(400), int64(0), int64(40)}})
	if exact, err = finishStepUp(context.Background(), exact, stats.Exact); err != nil {
		t.Fatal(err)
	}
	if got, _ := Number(exact.Rows[0][exact.MustCol("cumulative_incidence")]); got != 10.5 {
		t.Errorf("exact with censoring: %v, want 10.5 (40 of the 380 still followed on day 100)", got)
	}
}
