package dashboards_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"familyhubs/answers"
	"familyhubs/browser"
	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

// chartSection is a chart's section of a page, by its chart id.
func chartSection(t *testing.T, body, id string) string {
	t.Helper()
	secs := strings.Split(body, `<section class="chart"`)
	i := slices.IndexFunc(secs, func(s string) bool { return strings.HasPrefix(s, ` id="block-`+id+`"`) })
	if i < 0 {
		t.Fatalf("no chart %s on the page", id)
	}
	return strings.SplitN(secs[i], "</section>", 2)[0]
}

// The What happened next page (issue 16) renders for every demo council and shows each of its
// figures (step-up, reached before crisis, re-referral, link rates, the looked-after trend) cell
// for cell in its table as measures.Run answers under the pages' disclosure control, the counts
// protected, never exact; the link rate and the council's reached-before-crisis shares in words;
// and the step-up with its words in full view, the synthetic label, whiskers for the limits, and
// a CSV of exactly its rows.
func TestWhatHappenedNext(t *testing.T) {
	base := startServer(t)
	a := answersService(t)
	db := testdata.Warehouse(t)
	ctx := context.Background()
	changed := 0
	for _, council := range []string{"stockport", "kirklees", "wolverhampton", "cumberland", "westmorland-furness"} {
		q := "council=" + council + "&period=2023-24"
		code, body := get(t, base+"/next?"+q)
		if code != 200 {
			t.Fatalf("%s: %d %.300s", q, code, body)
		}
		sec := chartSection(t, body, "step_up")
		v, err := a.Parse(ctx, mustQuery(q))
		if err != nil {
			t.Fatal(err)
		}
		// every figure on the page, its table cell for cell as measures.Run answers under DfE's rule
		for _, f := range answers.Layout["next"] {
			res, err := measures.Run(ctx, db, f.Question, v.Args(), stats.DfE)
			if err != nil {
				t.Fatal(err)
			}
			rows := answers.Only(res, f.Only)
			table := tableRows(chartSection(t, body, strings.ReplaceAll(f.ID, "-", "_")))
			if len(table) != 1+len(rows) || len(rows) == 0 {
				t.Fatalf("%s %s: %d table rows for %d answer rows", q, f.ID, len(table), len(rows))
			}
			for i, row := range rows {
				for j, col := range res.Columns {
					if want := answers.Cell(col, row[j]); table[i+1][j] != want {
						t.Errorf("%s %s: row %d, %s: page %q, answer %q", q, f.ID, i+1, col, table[i+1][j], want)
					}
				}
			}
			if f.Question == "care_trend" {
				continue // DfE's published figures, not counts of children from records
			}
			exact, err := measures.Run(ctx, db, f.Question, v.Args(), stats.Exact)
			if err != nil {
				t.Fatal(err)
			}
			exactRows := answers.Only(exact, f.Only)
			for i, row := range rows {
				for _, col := range res.Query.Counts {
					if row[res.Col(col)] != exactRows[i][exact.Col(col)] {
						changed++
					}
				}
			}
		}
		res, err := measures.Run(ctx, db, "step_up", v.Args(), stats.DfE)
		if err != nil {
			t.Fatal(err)
		}
		table := tableRows(sec)
		// 6 months is followed in full in every council: an estimate with its limits, plotted
		est := answers.Cell("cumulative_incidence", res.Rows[0][res.Col("cumulative_incidence")])
		if _, ok := measures.Number(res.Rows[0][res.Col("cumulative_incidence")]); !ok {
			t.Errorf("%s: no estimate at 6 months (%s)", q, est)
		}
		lo, _ := measures.Number(res.Rows[0][res.Col("cumulative_incidence_lower")])
		if !strings.Contains(sec, `"data":[{"value":`+strings.TrimSuffix(strings.TrimSuffix(est, "0"), ".")) ||
			!regexp.MustCompile(`\["6 months",`+regexp.QuoteMeta(strings.TrimSuffix(strings.TrimSuffix(answers.Number(lo, 1), "0"), "."))+`\]`).MatchString(sec) {
			t.Errorf("%s: the chart does not plot %s%% at 6 months with its lower limit %g", q, est, lo)
		}
		// the link rate, in words
		links, err := measures.Run(ctx, db, "link_rates", v.Args(), stats.DfE)
		if err != nil {
			t.Fatal(err)
		}
		all := answers.Only(links, map[string]string{"link_method": "all"})[0]
		rate := answers.Cell("share_linked", all[links.Col("share_linked")])
		if _, ok := measures.Number(all[links.Col("share_linked")]); !ok ||
			!strings.Contains(unescape(body), rate+"% of children with a referral could be linked to family hub records ("+
				answers.Cell("children_linked", all[links.Col("children_linked")])+" of "+answers.Cell("children_referred", all[links.Col("children_referred")])) {
			t.Errorf("%s: no link rate %s%% in words", q, rate)
		}
		// the council's reached-before-crisis shares, in words, with the lower bound said
		reached, err := measures.Run(ctx, db, "reached_before_crisis", v.Args(), stats.DfE)
		if err != nil {
			t.Fatal(err)
		}
		la := answers.Only(reached, map[string]string{"kind": "looked_after", "breakdown": "all"})[0]
		cell := func(c string) string { return answers.Cell(c, la[reached.Col(c)]) }
		if want := "Of the " + cell("children") + " children who started to be looked after in 2023-24, " + cell("reached_12m") +
			" were seen by the family hubs in the 12 months before (" + cell("share_reached_12m") + "%"; !strings.Contains(unescape(body), want) ||
			!strings.Contains(unescape(body), "A lower bound: a child whose social care record is not linked") {
			t.Errorf("%s: the looked-after shares are not said: want %q", q, want)
		}
		// the journeys' Sankey draws each flow shown as a number above zero, and no other
		journeys, err := measures.Run(ctx, db, "journeys", v.Args(), stats.DfE)
		if err != nil {
			t.Fatal(err)
		}
		flows := 0
		for _, row := range journeys.Rows {
			if n, ok := measures.Number(row[journeys.Col("children")]); ok && n > 0 {
				flows++
				link := fmt.Sprintf(`{"source":%q,"target":%q,"value":%s}`, journeys.Str(row, "source"), journeys.Str(row, "target"), queries.Text(row[journeys.Col("children")]))
				if !strings.Contains(chartSection(t, body, "journeys"), link) {
					t.Errorf("%s: the Sankey lacks %s", q, link)
				}
			}
		}
		if got := strings.Count(chartSection(t, body, "journeys"), `{"source":`); flows == 0 || got != flows {
			t.Errorf("%s: %d flows drawn, %d shown above zero", q, got, flows)
		}
		text := unescape(sec)
		for _, s := range []string{measures.StepUpCaution, "Method: " + measures.StepUpMethod,
			"where the children's social care records end", `class="label-synthetic"`, "95% confidence interval"} {
			if !strings.Contains(text, s) {
				t.Errorf("%s: %.60q not with the chart", q, s)
			}
		}
		link := strings.ReplaceAll(regexp.MustCompile(`<a class="csv" href="([^"]+)"`).FindStringSubmatch(sec)[1], "&amp;", "&")
		_, csvBody := get(t, base+link)
		recs, err := csv.NewReader(strings.NewReader(csvBody)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if msg := sameRows(recs, table); msg != "" {
			t.Errorf("%s: CSV differs from the table: %s", link, msg)
		}
	}
	if changed == 0 {
		t.Error("no count on the pages differs from the exact one: the test needs the protection to act")
	}
	// a period the care records do not reach says so in words; one outside the data, plainly
	_, body := get(t, base+"/next?council=stockport&period=2025-26Q2")
	if !strings.Contains(unescape(body), "cannot be followed yet: the children's social care records run to 31 March 2025") {
		t.Error("2025-26Q2: the page does not say its children cannot be followed yet")
	}
	if sec := chartSection(t, body, "journeys"); strings.Contains(sec, `"type":"sankey"`) || !strings.Contains(unescape(sec), "No path can be drawn") {
		t.Error("2025-26Q2: an empty Sankey is drawn, or the page does not say why there is none")
	}
	_, body = get(t, base+"/next?"+url.Values{"council": {"kirklees"}, "period": {"2027-28"}}.Encode())
	if !strings.Contains(body, `class="problem"`) || strings.Contains(body, "block-step_up") {
		t.Error("2027-28: the page does not say there is no data")
	}
	// the menu of every page leads here
	_, body = get(t, base+"/overview?council=stockport&period=2023-24")
	if !strings.Contains(unescape(body), `<a href="/next?council=stockport&period=2023-24">What happened next</a>`) {
		t.Error("the overview's menu has no link to What happened next")
	}
}

// In Chromium, What happened next draws every chart without a console error, and each plots
// exactly its declared question's cells as the API answers them (the limits' whiskers apart).
func TestWhatHappenedNextInBrowser(t *testing.T) {
	base := startServer(t)
	ctx := startBrowser(t)
	a := answersService(t)
	for _, q := range []string{"council=stockport&period=2023-24", "council=westmorland-furness&period=2024-25Q1"} {
		href := base + "/next?" + q
		visit, err := browser.Load(ctx, href)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range visit.Errors {
			t.Errorf("%s: %s", href, e)
		}
		if len(visit.Blank) > 0 {
			t.Errorf("%s: blank charts %v", href, visit.Blank)
		}
		if n := plottedEqualsAnswers(t, ctx, a, base, href); n < 20 {
			t.Errorf("%s: only %d plotted values checked", href, n)
		}
	}
}
