package dashboards_test

import (
	"context"
	"encoding/json"
	"math"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"familyhubs/answers"
	"familyhubs/browser"
	"familyhubs/dashboards"
	"familyhubs/internal/testdata"
)

// matrixView is one cell of the matrix: a council, a period, a locality (or the whole council)
// and a service (or all).
type matrixView struct {
	council, period, locality, service string
	// pi and li are the period's and the locality's places in the council's lists
	pi, li int
}

// pairwise is the matrix cut to a covering array of strength two: every period with every
// locality once, the service alternating, so each period still meets both services and each
// locality both services (over four periods), and every council every period and locality, at
// half the renders of the full product. A fault that needs a particular locality, period and
// service together all three is the one thing it can miss; the browser matrix and the access
// tests hold their own views.
func pairwise(views []matrixView) []matrixView {
	var out []matrixView
	for _, m := range views {
		si := 0
		if m.service != "" {
			si = 1
		}
		if (m.pi+m.li)%2 == si {
			out = append(out, m)
		}
	}
	return out
}

func (m matrixView) query() string {
	q := url.Values{}
	q.Set("council", m.council)
	q.Set("period", m.period)
	if m.locality != "" {
		q.Set("locality", m.locality)
	}
	if m.service != "" {
		q.Set("service", m.service)
	}
	return q.Encode()
}

// matrix is every council with a network × {a financial year, a quarter, a month, a period with
// no data} × {the whole council, each locality} × {all services, one service}.
func matrix(t *testing.T) []matrixView {
	a := answersService(t)
	councils, _, err := a.Councils(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []matrixView
	for _, c := range councils {
		if !c.HasNetwork {
			continue
		}
		v, err := a.Parse(context.Background(), url.Values{"council": {c.Slug}})
		if err != nil {
			t.Fatal(err)
		}
		locs, err := a.Run(context.Background(), v, "reach_by_locality")
		if err != nil {
			t.Fatal(err)
		}
		localities := []string{""}
		for _, row := range locs.Rows {
			localities = append(localities, locs.Str(row, "locality"))
		}
		for pi, period := range []string{"2024-25", "2025-26Q2", "2023-11", "2027-28"} {
			for li, loc := range localities {
				for _, svc := range []string{"", "parenting"} {
					out = append(out, matrixView{c.Slug, period, loc, svc, pi, li})
				}
			}
		}
	}
	return out
}

func answersService(t testing.TB) *answers.Service {
	db := testdata.Warehouse(t)
	return answers.New(db, db.Version, db.DataEnd)
}

var (
	navLink   = regexp.MustCompile(`<nav aria-label="Pages"[^>]*>(?s)(.*?)</nav>`)
	hrefRe    = regexp.MustCompile(`href="([^"]+)"`)
	tileValue = regexp.MustCompile(`(?s)<div class="label">(.*?)</div>\s*<div class="value">(.*?)(?: <span|</div>)`)
)

// TestMatrix renders every page of every view of the pairwise matrix on the server: each answers 200, keeps
// every filter in its navigation, names the locality only on charts whose question takes it,
// states a period without data in words rather than figures, and shows the tiles the answers
// layer computes, value for value.
func TestMatrix(t *testing.T) {
	base := startServer(t)
	a := answersService(t)
	views := pairwise(matrix(t))
	if len(views) < 75 {
		t.Fatalf("only %d views in the matrix", len(views))
	}
	for _, m := range views {
		q := m.query()
		v, err := a.Parse(context.Background(), mustQuery(q))
		if err != nil {
			t.Fatal(err)
		}
		h, err := a.Headlines(context.Background(), v)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range dashboards.Pages {
			if p.Slug == "access" && m.service != "" {
				continue // its questions take no service: covered by the views of all services, half the matrix
			}
			code, body := get(t, base+"/"+p.Slug+"?"+q)
			if code != 200 {
				t.Errorf("/%s?%s: %d %.200s", p.Slug, q, code, body)
				continue
			}
			for _, l := range hrefRe.FindAllStringSubmatch(navLink.FindStringSubmatch(body)[1], -1) {
				got := mustQuery(strings.SplitN(unescape(l[1]), "?", 2)[1])
				for k, want := range mustQuery(q) {
					if got.Get(k) != want[0] {
						t.Errorf("/%s?%s: nav link %s has %s=%q", p.Slug, q, l[1], k, got.Get(k))
					}
				}
			}
			if strings.Contains(body, "NaN") {
				t.Errorf("/%s?%s: NaN on the page", p.Slug, q)
			}
			problem := v.DataProblem()
			// care, the plan and access (populations and published outcomes) stand without service data
			if problem != "" && p.Slug != "care" && p.Slug != "fund" && p.Slug != "access" && !strings.Contains(unescape(body), problem) {
				t.Errorf("/%s?%s: no data, and the page does not say so", p.Slug, q)
			}
			for _, sub := range regexp.MustCompile(`<p class="subtitle">(.*?)</p>`).FindAllStringSubmatch(body, -1) {
				s := unescape(sub[1])
				if !strings.HasPrefix(s, v.Filters.Council.Name) && !strings.HasPrefix(s, "the ") {
					t.Errorf("/%s?%s: subtitle %q does not name the council", p.Slug, q, s)
				}
			}
			if p.Slug == "overview" {
				tiles := tileValue.FindAllStringSubmatch(body, -1)
				if len(tiles) != len(h.Tiles) {
					t.Errorf("/overview?%s: %d tiles, the answers layer gives %d", q, len(tiles), len(h.Tiles))
					continue
				}
				for i, tile := range tiles {
					if unescape(tile[1]) != h.Tiles[i].Label || strings.TrimSpace(unescape(tile[2])) != h.Tiles[i].Value {
						t.Errorf("/overview?%s: tile %q = %q, answers %q = %q", q, tile[1], tile[2], h.Tiles[i].Label, h.Tiles[i].Value)
					}
					if strings.Contains(tile[1], "reached") && strings.TrimSpace(tile[2]) == "0" {
						t.Errorf("/overview?%s: %s shows 0", q, tile[1])
					}
				}
			}
		}
	}
}

func mustQuery(q string) url.Values {
	v, err := url.ParseQuery(q)
	if err != nil {
		panic(err)
	}
	return v
}

// figureByID finds a declared figure by its chart id.
func figureByID(id string) *answers.Figure {
	for _, f := range answers.All() {
		if strings.NewReplacer("-", "_").Replace(f.ID) == id {
			return f
		}
	}
	return nil
}

// TestMatrixInBrowser takes, in Chromium, one view of each council for each kind of period (a
// locality and a service in turn), opens the overview and clicks through every page by its
// navigation link: the URL keeps every filter, the heading is the page's, no console error, every
// chart draws, and every bar and line plots exactly its declared question's cell as the API
// answers it.
func TestMatrixInBrowser(t *testing.T) {
	base := startServer(t)
	ctx := startBrowser(t)
	a := answersService(t)
	seen := map[string]int{}
	councils := map[string]int{}
	var views []matrixView
	for _, m := range matrix(t) {
		if _, ok := councils[m.council]; !ok {
			councils[m.council] = len(councils)
		}
		key := m.council + "|" + m.period
		n := seen[key]
		seen[key]++
		// per council and period one view, in turn the whole council with all services or one
		// locality with one service, turned by council too, so every council meets both over its
		// periods and every period both over the councils
		whole := (m.pi+councils[m.council])%2 == 0
		if (whole && n == 0) || (!whole && n == 3 && m.locality != "" && m.service != "") {
			views = append(views, m)
		}
		// the Access and Best Start page takes no locality or service: clicked through in the whole
		// council's views alone
	}
	checked := 0
	for _, m := range views {
		q := m.query()
		if _, err := browser.Load(ctx, base+"/overview?"+q); err != nil {
			t.Fatal(err)
		}
		for _, p := range dashboards.Pages {
			if p.Slug == "access" && (m.locality != "" || m.service != "") {
				continue
			}
			// click the page's link in the menu, as a person would
			_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function () {
				var a = Array.prototype.find.call(document.querySelectorAll('nav a'), function (x) { return x.textContent === `+jsString(p.Title)+`; });
				a.click(); return true; })()`))
			if err != nil {
				t.Fatal(err)
			}
			href := waitFor(t, ctx, "/"+p.Slug+"?")
			got := mustQuery(strings.SplitN(href, "?", 2)[1])
			for k, want := range mustQuery(q) {
				if got.Get(k) != want[0] {
					t.Errorf("%s after clicking %q: %s=%q, want %q", href, p.Title, k, got.Get(k), want[0])
				}
			}
			visit, err := browser.Load(ctx, href)
			if err != nil {
				t.Fatal(err)
			}
			heading, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('h1').textContent`))
			if heading != p.Title {
				t.Errorf("%s: heading %q", href, heading)
			}
			for _, e := range visit.Errors {
				t.Errorf("%s: %s", href, e)
			}
			if len(visit.Blank) > 0 {
				t.Errorf("%s: blank charts %v", href, visit.Blank)
			}
			checked += plottedEqualsAnswers(t, ctx, a, base, href)
		}
	}
	if checked < 100 {
		t.Errorf("only %d plotted values checked", checked)
	}
}

func jsString(s string) string { b, _ := json.Marshal(s); return string(b) }

func waitFor(t *testing.T, ctx context.Context, part string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === 'complete' ? location.href : ''`))
		if err == nil && strings.Contains(href, part) {
			return href
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the browser never reached %s", part)
	return ""
}

// plottedEqualsAnswers compares, for every declared bar or line chart on the page, the values
// ECharts holds with the declared question's cells from the JSON API.
func plottedEqualsAnswers(t *testing.T, ctx context.Context, a *answers.Service, base, href string) int {
	t.Helper()
	type chart struct {
		ID     string   `json:"id"`
		CSV    string   `json:"csv"`
		Series [][]any  `json:"series"`
		Names  []string `json:"names"`
		Axis   []string `json:"axis"`
	}
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[[]chart](`Array.prototype.map.call(document.querySelectorAll('section.chart'), function (s) {
		var el = s.querySelector('[_echarts_instance_]'); var o = el ? echarts.getInstanceByDom(el).getOption() : null;
		return {id: s.id.replace('block-', ''), csv: s.querySelector('a.csv').getAttribute('href'),
		  series: o ? o.series.filter(function (x) { return x.type === 'bar' || (x.type === 'line' && x.name !== '95% confidence interval'); }).map(function (x) { return x.data.map(function (d) { return d === null || typeof d !== 'object' ? d : d.value; }); }) : [],
		  names: o ? o.series.filter(function (x) { return x.type === 'bar' || (x.type === 'line' && x.name !== '95% confidence interval'); }).map(function (x) { return x.name; }) : [],
		  axis: []};
	})`))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range charts {
		f := figureByID(c.ID)
		if f == nil || f.Kind == answers.Map || f.Kind == answers.Sankey || f.SeriesBy != "" {
			continue
		}
		api := strings.Replace(strings.Replace(c.CSV, ".csv?", "?", 1), "&amp;", "&", -1)
		_, body := get(t, base+api)
		var res struct {
			Columns []string         `json:"columns"`
			Rows    []map[string]any `json:"rows"`
		}
		if err := json.Unmarshal([]byte(body), &res); err != nil {
			t.Fatalf("%s: %v: %.200s", api, err, body)
		}
		var columns []string
		if len(f.Series) > 0 {
			for _, s := range f.Series {
				columns = append(columns, s.Column)
			}
		} else {
			columns = []string{f.Value}
		}
		for k, name := range columns {
			if k >= len(c.Series) {
				t.Errorf("%s %s: no series for %s", href, c.ID, name)
				continue
			}
			plotted := c.Series[k]
			var want []any
			for _, row := range res.Rows {
				want = append(want, row[name])
			}
			if f == answers.AccessCandidates && len(want) > 10 {
				want = want[:10] // the ten best candidates are drawn; the CSV ranks them all
			}
			if f.TrimEmpty {
				// leading and trailing years with no value are not drawn
				if len(plotted) > len(want) {
					t.Errorf("%s %s: %d points for %d rows", href, c.ID, len(plotted), len(want))
				}
				continue
			}
			if len(plotted) != len(want) {
				t.Errorf("%s %s %s: %d plotted, %d rows", href, c.ID, name, len(plotted), len(want))
				continue
			}
			for i := range want {
				n++
				if !samePlotted(plotted[i], want[i]) {
					t.Errorf("%s %s %s[%d]: plotted %v, the question says %v", href, c.ID, name, i, plotted[i], want[i])
				}
			}
		}
	}
	return n
}

// samePlotted: a number plots as itself; a suppressed or missing cell plots as "-" (no bar).
func samePlotted(plotted, cell any) bool {
	f, isNum := cell.(float64)
	if !isNum {
		return plotted == "-" || plotted == nil
	}
	p, ok := plotted.(float64)
	return ok && math.Abs(p-f) < 1e-9
}
