package dashboards_test

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"familyhubs/answers"
	"familyhubs/browser"
	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
	"familyhubs/warehouse"
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
		// the reached-before-crisis shares year by year: for 2023-24, the same children as
		// reached_before_crisis's council row, so the same protected cells; the latest year's in
		// words, with the lower bound, descriptive not causal, and the looked-after rate beside it
		trend, err := measures.Run(ctx, db, "reached_before_crisis_trend", v.Args(), stats.DfE)
		if err != nil {
			t.Fatal(err)
		}
		ts := chartSection(t, body, "reached_trend")
		yr := answers.Only(trend, map[string]string{"kind": "looked_after", "year": "2023-24"})
		if len(yr) != 1 {
			t.Fatalf("%s: the trend has no 2023-24 for children looked after", q)
		}
		for _, c := range []string{"children", "linked", "reached_12m", "share_reached_12m", "share_reached_12m_lower", "share_reached_12m_upper"} {
			if g, w := answers.Cell(c, yr[0][trend.Col(c)]), answers.Cell(c, la[reached.Col(c)]); g != w {
				t.Errorf("%s: the trend's 2023-24 %s %s, reached_before_crisis's %s", q, c, g, w)
			}
		}
		if f, ok := measures.Number(yr[0][trend.Col("share_reached_12m")]); !ok || !strings.Contains(ts, fmt.Sprintf(`{"value":%v}`, f)) {
			t.Errorf("%s: the trend does not plot %v for 2023-24", q, yr[0][trend.Col("share_reached_12m")])
		}
		latest := answers.Only(trend, map[string]string{"kind": "looked_after"})
		lr := latest[len(latest)-1]
		tc := func(c string) string { return answers.Cell(c, lr[trend.Col(c)]) }
		for _, s := range []string{"In " + trend.Str(lr, "year") + ", of the " + tc("children") + " children who started to be looked after, " + tc("reached_12m") +
			" had been seen by the family hubs in the 12 months before (" + tc("share_reached_12m") + "%, " + tc("share_reached_12m_lower") + " to " + tc("share_reached_12m_upper") + ")",
			"A lower bound: a child whose social care record is not linked", "rises and falls with the link rate", "Descriptive, not causal",
			"Read it beside the council's rate of children looked after per 10,000", "Started to be looked after", "Started a child protection plan"} {
			if !strings.Contains(unescape(ts), s) {
				t.Errorf("%s: %q not with the trend", q, s)
			}
		}
		// the figure follows the looked-after rate, which follows the looked-after shares
		if i, j, k := strings.Index(body, `id="block-reached_looked_after"`), strings.Index(body, `id="block-care_looked_after"`), strings.Index(body, `id="block-reached_trend"`); !(i >= 0 && i < j && j < k) {
			t.Errorf("%s: the trend is not after the looked-after shares and rate (%d, %d, %d)", q, i, j, k)
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
		link := strings.ReplaceAll(regexp.MustCompile(`<a class="csv[^"]*" href="([^"]+)"`).FindStringSubmatch(sec)[1], "&amp;", "&")
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
	stockportReachedTrend(t, base, db)
	// a period the care records do not reach says so in words; one outside the data, plainly
	_, body := get(t, base+"/next?council=stockport&period=2025-26Q2")
	if !strings.Contains(unescape(body), "cannot be followed yet: the children's social care records run to 31 March 2025") {
		t.Error("2025-26Q2: the page does not say its children cannot be followed yet")
	}
	if sec := chartSection(t, body, "journeys"); strings.Contains(sec, `"type":"sankey"`) || !strings.Contains(unescape(sec), "No path can be drawn") {
		t.Error("2025-26Q2: an empty Sankey is drawn, or the page does not say why there is none")
	}
	_, body = get(t, base+"/next?"+url.Values{"council": {"kirklees"}, "period": {"2027-28"}}.Encode())
	if !regexp.MustCompile(`class="[^"]*\bproblem"`).MatchString(body) || strings.Contains(body, "block-step_up") {
		t.Error("2027-28: the page does not say there is no data")
	}
	// the menu of every page leads here
	_, body = get(t, base+"/overview?council=stockport&period=2023-24")
	if !regexp.MustCompile(`<a [^>]*href="/next\?council=stockport&period=2023-24"[^>]*>What happened next</a>`).MatchString(unescape(body)) {
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

// stockportReachedTrend checks Stockport's reached-before-crisis trend on the page against a
// plain computation from the raw episodes and contacts: the children who started to be looked
// after in 2024-25 (each once, at their first start in the year) and those with a contact with
// Stockport's hubs in the 12 months before, each shown perturbed by its cell key as DfE's rule
// does, never exact.
func stockportReachedTrend(t *testing.T, base string, db *warehouse.DB) {
	t.Helper()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `SELECT care_id, start_date, person_id FROM care_episodes
		WHERE council_code = 'E08000007' AND kind = 'looked_after' AND start_date BETWEEN DATE '2024-04-01' AND DATE '2025-03-31'`)
	if err != nil {
		t.Fatal(err)
	}
	type start struct {
		day    time.Time
		person sql.NullInt64
	}
	firsts := map[string]start{}
	for rows.Next() {
		var id string
		var s start
		if err := rows.Scan(&id, &s.day, &s.person); err != nil {
			t.Fatal(err)
		}
		if f, ok := firsts[id]; !ok || s.day.Before(f.day) {
			firsts[id] = s
		}
	}
	rows.Close()
	var children, reached int64
	for _, s := range firsts {
		children++
		if !s.person.Valid {
			continue
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM contacts WHERE council_code = 'E08000007' AND child_id = ? AND contact_date < ? AND contact_date >= ?`,
			s.person.Int64, s.day, s.day.AddDate(-1, 0, 0)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			reached++
		}
	}
	q, _ := queries.Get("reached_before_crisis_trend")
	exact, err := q.Run(ctx, db, queries.Args{"council": "E08000007"})
	if err != nil {
		t.Fatal(err)
	}
	row := answers.Only(exact, map[string]string{"kind": "looked_after", "year": "2024-25"})
	if len(row) != 1 {
		t.Fatal("Stockport's trend has no 2024-25 for children looked after")
	}
	_, body := get(t, base+"/next?council=stockport&period=2024-25")
	table := tableRows(chartSection(t, body, "reached_trend"))
	var shown []string
	for _, r := range table[1:] {
		if r[exact.MustCol("kind")] == "looked_after" && r[exact.MustCol("year")] == "2024-25" {
			shown = r
		}
	}
	if shown == nil {
		t.Fatal("the page's trend table has no 2024-25 for children looked after")
	}
	for c, n := range map[string]int64{"children": children, "reached_12m": reached} {
		if e, _ := measures.Number(row[0][exact.MustCol(c)]); int64(e) != n {
			t.Errorf("Stockport 2024-25 looked after: %s %v, worked here %d", c, e, n)
		}
		key, _ := stats.CellKey(row[0][exact.MustCol(c+"_ckey")])
		if want := fmt.Sprint(stats.DefaultPTable.Perturb(n, key)); answers.Cell(c, stats.DefaultPTable.Perturb(n, key)) != shown[slices.Index(trendColumns(t, db), c)] {
			t.Errorf("Stockport 2024-25 looked after: %s shown %q, %d perturbed by its cell key gives %s", c, shown[slices.Index(trendColumns(t, db), c)], n, want)
		}
	}
	t.Logf("Stockport 2024-25: %d children started to be looked after, %d seen by the hubs in the 12 months before (exact); shown %v", children, reached, shown)
}

// trendColumns are the columns of reached_before_crisis_trend as the page's table gives them.
func trendColumns(t *testing.T, db *warehouse.DB) []string {
	t.Helper()
	res, err := measures.Run(context.Background(), db, "reached_before_crisis_trend", queries.Args{"council": "E08000007"}, stats.DfE)
	if err != nil {
		t.Fatal(err)
	}
	return res.Columns
}
