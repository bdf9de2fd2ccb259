package dashboards_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"familyhubs/browser"
	"familyhubs/dashboards"
	"familyhubs/internal/browsertest"
	"familyhubs/internal/testdata"
	"familyhubs/server"
)

func startServer(t testing.TB) string {
	db := testdata.Warehouse(t)
	srv := httptest.NewServer(server.New(db, log.New(io.Discard, "", 0)))
	t.Cleanup(srv.Close)
	return srv.URL
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var chartDiv = regexp.MustCompile(`<div class="item" id="([A-Za-z0-9_]+)"`)

// Every page renders for every council, names only the binary's own scripts, and gives each
// chart an id of its own.
func TestPagesRender(t *testing.T) {
	base := startServer(t)
	for _, council := range []string{"stockport", "kirklees", "wolverhampton", "cumberland", "westmorland-furness"} {
		for _, p := range dashboards.Pages {
			code, body := get(t, base+"/"+p.Slug+"?council="+council)
			if code != 200 {
				t.Fatalf("%s %s: %d %.300s", council, p.Slug, code, body)
			}
			for _, src := range regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(body, -1) {
				if strings.Contains(src[1], "://") {
					t.Errorf("%s %s refers to %s: every asset must come from the binary", council, p.Slug, src[1])
				}
			}
			ids := map[string]bool{}
			for _, m := range chartDiv.FindAllStringSubmatch(body, -1) {
				if ids[m[1]] {
					t.Errorf("%s %s: chart id %s used twice", council, p.Slug, m[1])
				}
				ids[m[1]] = true
			}
			if p.Slug != "fund" && len(ids) == 0 {
				t.Errorf("%s %s: no charts", council, p.Slug)
			}
			if !strings.Contains(body, "Disclosure control") || !strings.Contains(body, "Open Government Licence") {
				t.Errorf("%s %s: no disclosure note or attribution", council, p.Slug)
			}
		}
	}
	code, body := get(t, base+"/static/echarts-5.6.0.min.js")
	if code != 200 || !strings.Contains(body[:2000], "Apache") || len(body) < 1_000_000 {
		t.Errorf("ECharts not served: %d, %d bytes", code, len(body))
	}
	code, body = get(t, base+"/static/maps/lsoa21-E08000007.js")
	if code != 200 || !strings.HasPrefix(body, `echarts.registerMap("lsoa21-E08000007", {"type":"FeatureCollection"`) ||
		strings.Count(body, `"name":"E01`) != 191 {
		t.Errorf("Stockport map script: %d, %.120s", code, body)
	}
	// a council with no contacts in this warehouse (every council but five, in the demo) gets a
	// page that says so in words, not a map of zeros nor a map script that is not there
	code, body = get(t, base+"/map?council=barnsley")
	if code != 200 || !strings.Contains(body, "holds no service contacts for Barnsley") || strings.Contains(body, "/static/maps/") {
		t.Errorf("Barnsley's map page: %d", code)
	}
	if code, _ := get(t, base+"/reach?council=nowhere"); code != 400 {
		t.Errorf("unknown council: %d", code)
	}
	if code, _ := get(t, base+"/reach?council=stockport&locality=Atlantis"); code != 400 {
		t.Errorf("unknown locality: %d", code)
	}
	if code, _ := get(t, base+"/reach?council=stockport&disclosure=none"); code != 400 {
		t.Errorf("exact counts were offered to a page: %d", code)
	}
	if code, _ := get(t, base+"/nosuchpage"); code != 404 {
		t.Errorf("unknown page: %d", code)
	}
}

// The CSV link under a chart gives exactly the rows in its table (checked without a browser
// here, in the browser below).
func TestCSVLinkMatchesTable(t *testing.T) {
	base := startServer(t)
	_, body := get(t, base+"/care?council=stockport")
	sections := strings.Split(body, `<section class="chart"`)[1:]
	if len(sections) != 12 { // three trends, three benchmark tables, four other measures, assessment factors, the modelled chart
		t.Fatalf("%d charts on the care page", len(sections))
	}
	for _, sec := range sections {
		link := regexp.MustCompile(`<a class="csv govuk-link" href="([^"]+)"`).FindStringSubmatch(sec)[1]
		link = strings.ReplaceAll(link, "&amp;", "&")
		table := tableRows(sec)
		_, csvBody := get(t, base+link)
		recs, err := csv.NewReader(strings.NewReader(csvBody)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if msg := sameRows(recs, table); msg != "" {
			t.Errorf("%s: CSV differs from the table: %s", link, msg)
		}
	}
}

var cell = regexp.MustCompile(`<t[hd][^>]*>(.*?)</t[hd]>`)

func tableRows(html string) [][]string {
	var out [][]string
	for _, tr := range regexp.MustCompile(`(?s)<tr[^>]*>(.*?)</tr>`).FindAllStringSubmatch(html, -1) {
		var row []string
		for _, c := range cell.FindAllStringSubmatch(tr[1], -1) {
			row = append(row, unescape(c[1]))
		}
		out = append(out, row)
	}
	return out
}

func unescape(s string) string {
	return strings.NewReplacer("&#43;", "+", "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`).Replace(s)
}

// sameRows compares a download (raw values, with the council, period, filters, policy and data
// status in front) with the table on the page (formatted values): the same rows, the same cells
// once the table's formatting is undone.
func sameRows(csvRows, table [][]string) string {
	if len(csvRows) != len(table) {
		return fmt.Sprintf("%d rows against %d", len(csvRows), len(table))
	}
	lead := len(csvRows[0]) - len(table[0])
	if lead != 9 || csvRows[0][0] != "council_code" || csvRows[0][8] != "data_status" {
		return fmt.Sprintf("the download does not lead with its context: %v", csvRows[0])
	}
	for i := 1; i < len(table); i++ {
		for j, cell := range table[i] {
			raw := csvRows[i][lead+j]
			if !sameCell(raw, cell) {
				return fmt.Sprintf("row %d column %s: CSV %q, table %q", i, csvRows[0][lead+j], raw, cell)
			}
		}
	}
	return ""
}

func sameCell(raw, shown string) bool {
	if raw == shown || (raw == "true" && shown == "yes") || (raw == "false" && shown == "no") {
		return true
	}
	want, err1 := strconv.ParseFloat(strings.ReplaceAll(shown, ",", ""), 64)
	got, err2 := strconv.ParseFloat(raw, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	decimals := 0
	if _, frac, ok := strings.Cut(shown, "."); ok {
		decimals = len(frac)
	}
	return math.Abs(got-want) <= 0.5*math.Pow(10, -float64(decimals))+1e-9
}

// startBrowser gives a headless Chromium, or skips on a developer machine without one. In CI
// (CI=true) a missing Chromium fails the test: .ci/run installs it.
func startBrowser(t *testing.T) context.Context {
	return browsertest.Start(t, 1366, 768)
}

// In a real browser every page loads with no console errors, asks nothing of any other host,
// and draws every chart.
func TestPagesInBrowser(t *testing.T) {
	base := startServer(t)
	ctx := startBrowser(t)
	for _, p := range dashboards.Pages {
		for _, q := range []string{"council=stockport", "council=cumberland&period=2024-25Q3"} {
			v, err := browser.Load(ctx, base+"/"+p.Slug+"?"+q)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range v.Errors {
				t.Errorf("%s?%s: %s", p.Slug, q, e)
			}
			if off := v.Offsite(); len(off) > 0 {
				t.Errorf("%s?%s asked other hosts for %v", p.Slug, q, off)
			}
			if len(v.Requests) < 4 {
				t.Errorf("%s?%s: only %d requests seen: the recorder is not working", p.Slug, q, len(v.Requests))
			}
			if v.Charts == 0 {
				t.Errorf("%s?%s: no charts drew", p.Slug, q)
			}
			if len(v.Blank) > 0 {
				t.Errorf("%s?%s: blank charts %v", p.Slug, q, v.Blank)
			}
		}
	}
}

// Choosing a filter and pressing Apply updates the URL (so the view can be bookmarked) and the
// charts; choosing alone sends nothing (WCAG 3.2.2).
func TestFilterChangeInBrowser(t *testing.T) {
	base := startServer(t)
	ctx := startBrowser(t)
	if _, err := browser.Load(ctx, base+"/reach?council=stockport"); err != nil {
		t.Fatal(err)
	}
	change := func(name, value string) string {
		t.Helper()
		_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function () {
			var s = document.querySelector('select[name=`+name+`]');
			s.value = '`+value+`'; s.dispatchEvent(new Event('change')); return true; })()`))
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
		if href, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`)); strings.Contains(href, name+"="+value) {
			t.Errorf("choosing %s=%s sent the form before Apply was pressed", name, value)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('#filters button[type=submit]').click(), true`)); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === 'complete' ? location.href : ''`))
			if err == nil && strings.Contains(href, name+"="+value) {
				return href
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("the URL never showed %s=%s", name, value)
		return ""
	}
	if _, err := browser.Load(ctx, base+"/reach?council=stockport&locality=Marple"); err != nil {
		t.Fatal(err)
	}
	href := change("council", "kirklees")
	if strings.Contains(href, "locality=") || strings.Contains(href, "from=") {
		t.Errorf("a locality from another council stayed in the URL: %s", href)
	}
	v, err := browser.Load(ctx, href)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Errors) > 0 || len(v.Blank) > 0 || v.Charts < 4 {
		t.Errorf("after the change: errors %v, blank %v, %d charts", v.Errors, v.Blank, v.Charts)
	}
	subtitle, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.chart .subtitle').textContent`))
	if err != nil || !strings.HasPrefix(subtitle, "Kirklees") {
		t.Errorf("the first chart now says %q", subtitle)
	}
	href = change("period", "2023-24")
	if !strings.Contains(href, "council=kirklees") {
		t.Errorf("changing the period lost the council: %s", href)
	}
	subtitle, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.chart .subtitle').textContent`))
	if !strings.Contains(subtitle, "2023-24") {
		t.Errorf("the first chart now says %q", subtitle)
	}
	// what the chart plots is what its table holds: the bars' values equal the table's column
	plotted, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(function () {
		var el = document.querySelector('[_echarts_instance_]');
		return echarts.getInstanceByDom(el).getOption().series[0].data.map(function (d) { return d.value; }); })()`))
	if err != nil {
		t.Fatal(err)
	}
	column, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(function () {
		var t = document.querySelector('table.data'); var i = Array.prototype.map.call(t.querySelectorAll('th'), function (h) { return h.dataset.column; }).indexOf('reach_per_1000');
		return Array.prototype.map.call(t.querySelectorAll('tbody tr'), function (r) { return r.children[i].textContent; }); })()`))
	if err != nil || len(column) != len(plotted) || len(plotted) != 10 {
		t.Fatalf("plotted %v, table %v, %v", plotted, column, err)
	}
	for i := range plotted {
		if !sameCell(strconv.FormatFloat(plotted[i], 'f', -1, 64), strings.TrimSpace(column[i])) {
			t.Errorf("bar %d plots %v, the table says %s", i+1, plotted[i], column[i])
		}
	}
}

// BenchmarkPages measures each page's server time and weight on the demo warehouse: cold (a new
// server, nothing cached) and warm (answers cached by data version, as a second visitor sees).
func BenchmarkPages(b *testing.B) {
	db := testdata.Warehouse(b)
	for _, p := range dashboards.Pages {
		url := "/" + p.Slug + "?council=stockport"
		b.Run(p.Slug+"/cold", func(b *testing.B) {
			var size int
			for b.Loop() {
				h := server.New(db, log.New(io.Discard, "", 0))
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, url, nil))
				if rec.Code != 200 {
					b.Fatalf("%s: %d", url, rec.Code)
				}
				size = rec.Body.Len()
			}
			b.ReportMetric(float64(size), "bytes/page")
		})
		b.Run(p.Slug+"/warm", func(b *testing.B) {
			h := server.New(db, log.New(io.Discard, "", 0))
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, url, nil))
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, url, nil))
				if rec.Code != 200 {
					b.Fatalf("%s: %d", url, rec.Code)
				}
			}
		})
	}
}

// Bars laid down (localities, sites, the benchmark tables) are drawn lying down: the categories on
// the y axis and the values on a value x axis, with each bar as long as its value. (The options
// are merged into the drawn chart, and the declared category x axis once stayed a category axis:
// every bar full length, the values drawn as categories.)
func TestHorizontalBarsLieDown(t *testing.T) {
	base := startServer(t)
	ctx := startBrowser(t)
	for _, c := range []struct{ page, chart string }{{"reach", "localities"}, {"care", "benchmark_looked_after"}, {"care", "care_factors"}} {
		v, err := browser.Load(ctx, base+"/"+c.page+"?council=stockport")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range v.Errors {
			t.Errorf("%s: %s", c.page, e)
		}
		axes, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(function () {
  var o = echarts.getInstanceByDom(document.getElementById('`+c.chart+`')).getOption();
  return [o.xAxis[0].type, o.yAxis[0].type];
})()`))
		if err != nil {
			t.Fatal(err)
		}
		if len(axes) != 2 || axes[0] != "value" || axes[1] != "category" {
			t.Errorf("%s %s: x axis %v", c.page, c.chart, axes)
		}
	}
}
