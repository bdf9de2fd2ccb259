package dashboards_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"familyhubs/browser"
	"familyhubs/internal/axe"
	"familyhubs/internal/browsertest"
)

// startBrowserAt is startBrowser with the window a given size: a headless Chromium, or a skip on a
// developer machine without one (a failure in CI, where .ci/run installs it).
func startBrowserAt(t *testing.T, width, height int) context.Context {
	return browsertest.Start(t, width, height)
}

// chartFacts is what the page says of each of its charts.
type chartFacts struct {
	ID, Role, Label, Title string
	SVG, Canvas            bool
	Width, PageWidth       float64
	Horizontal             bool
	Categories             int
	PlotWidth, PlotHeight  float64 // the bars' grid, for charts with bars lying down
}

const chartFactsJS = `Array.prototype.map.call(document.querySelectorAll('[_echarts_instance_]'), function (el) {
  var c = echarts.getInstanceByDom(el), o = c.getOption(), f = {
    ID: el.id, Role: el.getAttribute('role') || '', Label: el.getAttribute('aria-label') || '',
    Title: ((document.getElementById('title-' + el.id) || {}).textContent || '').trim(),
    SVG: !!el.querySelector('svg'), Canvas: !!el.querySelector('canvas'),
    Width: el.getBoundingClientRect().right, PageWidth: document.documentElement.clientWidth,
    Horizontal: false, Categories: 0, PlotWidth: 0, PlotHeight: 0};
  if (o.yAxis && o.yAxis[0] && o.yAxis[0].type === 'category' && o.series.some(function (s) { return s.type === 'bar'; })) {
    var grid = c.getModel().getComponent('grid').coordinateSystem.getRect();
    f.Horizontal = true; f.Categories = (o.yAxis[0].data || []).length; f.PlotWidth = grid.width; f.PlotHeight = grid.height;
  }
  return f;
})`

// insideChartJS says whether the element an axe target names is a drawn chart or inside one.
const insideChartJS = `(function (sel) {
  var e = document.querySelector(sel);
  return !!(e && e.closest('[_echarts_instance_], .chart .container'));
})(%q)`

// chartFaults runs axe (WCAG 2.2 AA) on the page and gives the violations on a chart's element
// or inside it.
func chartFaults(t *testing.T, ctx context.Context) []string {
	t.Helper()
	res, err := axe.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, viol := range res.Violations {
		for _, n := range viol.Nodes {
			if len(n.Target) != 1 {
				continue // in a frame or shadow tree: the charts have neither
			}
			sel, _ := n.Target[0].(string)
			inside, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(insideChartJS, sel)))
			if err != nil {
				t.Fatal(err)
			}
			if inside {
				out = append(out, fmt.Sprintf("axe %s (%s) inside a chart: %s %.200s %s", viol.ID, viol.Impact, sel, n.HTML, n.Summary))
			}
		}
	}
	return out
}

// Every chart on the overview, services, what happened next and map pages, for two councils, on
// a desktop (1366 px) and a small phone (320 px): each is an SVG that drew, named for assistive
// technology (role="img", an aria-label with its title pointing to its table), no wider than
// the page, bars lying down keep room for each category, and axe (WCAG 2.2 AA) finds no fault
// inside a chart. (The rest of the page is checked by the page's own tests.)
//
// With CHART_SCREENSHOTS set to a folder, a PNG of each page at each width, and at 414 px, is
// saved there.
func TestChartsAccessible(t *testing.T) {
	base := startServer(t)
	shots := os.Getenv("CHART_SCREENSHOTS")
	widths := []int{1366, 320}
	if shots != "" {
		widths = append(widths, 414) // a large phone too, for the reviewer's eye
	}
	for _, width := range widths {
		ctx := startBrowserAt(t, width, 900)
		for _, council := range []string{"stockport", "kirklees"} {
			for _, page := range []string{"overview", "services", "next", "map"} {
				url := fmt.Sprintf("%s/%s?council=%s", base, page, council)
				where := fmt.Sprintf("%s %s at %d px", council, page, width)
				v, err := browser.Load(ctx, url)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range v.Errors {
					t.Errorf("%s: %s", where, e)
				}
				if v.Charts == 0 || len(v.Blank) > 0 {
					t.Errorf("%s: %d charts, blank %v", where, v.Charts, v.Blank)
				}
				facts, err := chromedp.Run(ctx, chromedp.Evaluate[[]chartFacts](chartFactsJS))
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range facts {
					if !f.SVG || f.Canvas {
						t.Errorf("%s: %s is not drawn as SVG (svg %v, canvas %v)", where, f.ID, f.SVG, f.Canvas)
					}
					if f.Role != "img" || f.Title == "" || !strings.Contains(f.Label, f.Title) || !strings.Contains(f.Label, "table") {
						t.Errorf("%s: %s is role %q, named %q (its title %q)", where, f.ID, f.Role, f.Label, f.Title)
					}
					if f.Width > f.PageWidth+0.5 {
						t.Errorf("%s: %s reaches %.0f px on a page %.0f px wide", where, f.ID, f.Width, f.PageWidth)
					}
					if f.Horizontal && f.Categories > 0 && (f.PlotWidth < 100 || f.PlotHeight/float64(f.Categories) < 24) {
						t.Errorf("%s: %s's bars are squeezed: %.0f px wide, %.0f px for each of %d categories",
							where, f.ID, f.PlotWidth, f.PlotHeight/float64(f.Categories), f.Categories)
					}
				}
				for _, f := range chartFaults(t, ctx) {
					t.Errorf("%s: %s", where, f)
				}
				if width == 1366 && council == "stockport" && page == "overview" {
					// the check itself: a chart whose name is taken away is caught
					if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('[_echarts_instance_]').removeAttribute('aria-label'), true`)); err != nil {
						t.Fatal(err)
					}
					if f := chartFaults(t, ctx); len(f) == 0 || !strings.Contains(strings.Join(f, "\n"), "role-img-alt") {
						t.Errorf("a chart with no name was not caught: %v", f)
					}
				}
				if shots != "" {
					file := filepath.Join(shots, fmt.Sprintf("%s-%s-%d.png", council, page, width))
					if err := browser.Screenshot(ctx, url, file); err != nil {
						t.Error(err)
					}
				}
			}
		}
	}
}
