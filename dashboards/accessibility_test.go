package dashboards_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"familyhubs/browser"
	"familyhubs/dashboards"
	"familyhubs/internal/axe"
	"familyhubs/internal/browsertest"
)

// a11yBrowser gives a headless Chromium of the given window size, or skips on a developer machine
// without one; in CI (CI=true) a missing Chromium fails the test (.ci/run installs it).
func a11yBrowser(t *testing.T, width, height int) context.Context {
	return browsertest.Start(t, width, height)
}

// a11yViews are the addresses every accessibility check covers: every page for two councils (one
// a metropolitan borough, one a unitary county), the pages about the service, and the states a
// reader meets: filters set (a quarter, a service, 99.8% limits), a locality, a mistake in a filter
// and each layer of the map.
func a11yViews() []string {
	out := []string{"/", "/about", "/accessibility"}
	for _, council := range []string{"stockport", "cumberland"} {
		for _, p := range dashboards.Pages {
			out = append(out, "/"+p.Slug+"?council="+council)
		}
	}
	return append(out,
		"/reach?council=stockport&period=2024-25Q3&service=parenting&limits=99.8",
		"/services?council=cumberland&period=2024-25Q3&service=parenting&limits=99.8",
		"/overview?council=stockport&period=2024-25&locality=Marple",
		"/reach?council=stockport&period=2024-13",
		"/map?council=stockport&layer=reach",
		"/map?council=stockport&layer=idaci",
		"/map?council=cumberland&layer=idaci",
		"/map?council=stockport&layer=access",
	)
}

// Every page, in every state above, passes axe-core at WCAG 2.2 A and AA with no violation, axe
// having run its rules.
func TestAccessibilityAxe(t *testing.T) {
	base := startServer(t)
	ctx := a11yBrowser(t, 1366, 768)
	for _, path := range a11yViews() {
		v, err := browser.Load(ctx, base+path)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range v.Errors {
			if !strings.Contains(e, "400 (Bad Request)") || !strings.Contains(path, "2024-13") {
				t.Errorf("%s: %s", path, e)
			}
		}
		wantCode := 200
		if strings.Contains(path, "2024-13") {
			wantCode = 400
		}
		if code, _ := get(t, base+path); code != wantCode {
			t.Errorf("%s: %d, want %d", path, code, wantCode)
		}
		// with every data table shown: axe checks only what is rendered, and the page with its
		// details open holds all it shows with them closed
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
			`document.querySelectorAll('details').forEach(function (d) { d.open = true; }); true`)); err != nil {
			t.Fatal(err)
		}
		res, err := axe.Run(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.Passes < 10 {
			t.Errorf("%s: only %d axe rules passed: axe did not run", path, res.Passes)
		}
		t.Logf("%s: %d rules passed, %d violations", path, res.Passes, len(res.Violations))
		for _, viol := range res.Violations {
			t.Errorf("%s: %s", path, viol)
		}
	}
}

// focused describes the element that has focus, and whether its focus style differs visibly from
// its style without focus (outline, box shadow, background, colour or underline).
const focusedJS = `(function () {
  var el = document.activeElement;
  if (!el || el === document.body) { return {what: "body"}; }
  var what = el.tagName.toLowerCase();
  if (el.id) { what += "#" + el.id; }
  if (el.dataset && el.dataset.table) { what = "table-link:" + el.dataset.table; }
  else if (el.classList.contains("govuk-skip-link")) { what = "skip-link"; }
  else if (el.tagName === "BUTTON") { what = "button:" + el.textContent.trim(); }
  function look(e) {
    var s = getComputedStyle(e);
    return [s.outlineStyle === "none" ? "none" : s.outlineStyle + " " + s.outlineWidth + " " + s.outlineColor,
      s.boxShadow, s.backgroundColor, s.color, s.textDecorationLine, s.textDecorationThickness].join("|");
  }
  var on = look(el);
  el.blur();
  var off = look(el);
  el.focus();
  return {what: what, styled: on !== off, on: on, off: off, html: el.outerHTML.slice(0, 120)};
})()`

type focusState struct {
	What    string `json:"what"`
	Styled  bool   `json:"styled"`
	On, Off string
	HTML    string `json:"html"`
}

func pressKey(t *testing.T, ctx context.Context, key string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(key)); err != nil {
		t.Fatal(err)
	}
}

// A keyboard-only walk of a page: Tab from the top reaches the skip link first, then each filter in
// order, the Apply button and each chart's "Data table for this chart" link, every element showing
// a visible focus style; following a table link opens the table; choosing a period and pressing
// Enter on Apply loads that view.
func TestAccessibilityKeyboard(t *testing.T) {
	base := startServer(t)
	ctx := a11yBrowser(t, 1366, 768)
	page := base + "/reach?council=stockport&period=2024-25"
	if _, err := browser.Load(ctx, page); err != nil {
		t.Fatal(err)
	}
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`Array.prototype.map.call(document.querySelectorAll('section.chart'), function (s) { return s.id.replace('block-', ''); })`))
	if err != nil || len(charts) == 0 {
		t.Fatalf("no charts on the page: %v", err)
	}
	want := []string{"skip-link", "select#council", "select#locality", "select#period", "select#service", "select#limits", "button:Apply"}
	for _, id := range charts {
		want = append(want, "table-link:"+id)
	}
	var walk []focusState
	for i := 0; i < 400 && len(walk) < 400; i++ {
		pressKey(t, ctx, kb.Tab)
		f, err := chromedp.Run(ctx, chromedp.Evaluate[focusState](focusedJS))
		if err != nil {
			t.Fatal(err)
		}
		if f.What == "body" || (len(walk) > 0 && f.What == "skip-link") {
			break // round to the top again
		}
		walk = append(walk, f)
		if f.What == want[len(want)-1] {
			break
		}
	}
	if len(walk) == 0 || walk[0].What != "skip-link" {
		t.Fatalf("the first Tab reaches %v, not the skip link", walk)
	}
	var seen []string
	for _, f := range walk {
		seen = append(seen, f.What)
	}
	t.Logf("Tab went %v", seen)
	next := 0
	for _, f := range walk {
		if !f.Styled {
			t.Errorf("%s (%s) shows no focus style: focused %q, not %q", f.What, f.HTML, f.On, f.Off)
		}
		if next < len(want) && f.What == want[next] {
			next++
		}
	}
	if next < len(want) {
		t.Errorf("Tab never reached %s in order; it went %v", want[next], seen)
	}

	// the last table link is focused: Enter follows it, the details open and the table shows
	last := charts[len(charts)-1]
	pressKey(t, ctx, kb.Enter)
	time.Sleep(300 * time.Millisecond)
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function () {
	  var t = document.getElementById('table-`+last+`');
	  return location.hash + ' ' + t.closest('details').open + ' ' + (t.getBoundingClientRect().height > 0); })()`))
	if err != nil || shown != "#table-"+last+" true true" {
		t.Errorf("following the table link: %q %v", shown, err)
	}
	// Chromium itself opens a closed details when the address names an element inside it
	if _, err := browser.Load(ctx, page+"#table-"+charts[0]); err != nil {
		t.Fatal(err)
	}
	open, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('table-`+charts[0]+`').closest('details').open`))
	if err != nil || !open {
		t.Errorf("loading the page at #table-%s leaves the table's details closed (%v)", charts[0], err)
	}

	// choose a period, then Tab to Apply and press Enter: the chosen view loads
	if _, err := browser.Load(ctx, page); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function () {
	  var s = document.getElementById('period'); s.focus(); s.value = '2023-24'; return true; })()`)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		f, err := chromedp.Run(ctx, chromedp.Evaluate[focusState](focusedJS))
		if err != nil {
			t.Fatal(err)
		}
		if f.What == "button:Apply" {
			break
		}
		pressKey(t, ctx, kb.Tab)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	href := ""
	for time.Now().Before(deadline) {
		href, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === 'complete' ? location.href : ''`))
		if strings.Contains(href, "period=2023-24") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(href, "period=2023-24") || !strings.Contains(href, "council=stockport") || strings.Contains(href, "from=") {
		t.Fatalf("pressing Enter on Apply loaded %q", href)
	}
	sub, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.chart .subtitle').textContent`))
	if !strings.Contains(sub, "2023-24") {
		t.Errorf("after Apply the first chart says %q", sub)
	}
}

// Every page reflows: 320 CSS pixels wide, and a 1280 pixel window at 200% zoom (640 CSS pixels
// at two device pixels each), with nothing scrolling sideways.
func TestAccessibilityReflow(t *testing.T) {
	base := startServer(t)
	ctx := a11yBrowser(t, 1366, 768)
	paths := []string{"/", "/about", "/accessibility", "/reach?council=stockport&period=2024-13", "/overview?council=stockport&locality=Marple"}
	for _, p := range dashboards.Pages {
		paths = append(paths, "/"+p.Slug+"?council=stockport")
	}
	for _, size := range []struct {
		name          string
		width, height int64
		scale         float64
	}{{"320px", 320, 640, 1}, {"1280px at 200%", 640, 400, 2}} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(size.width, size.height, chromedp.EmulateScale(size.scale))); err != nil {
			t.Fatal(err)
		}
		for _, path := range paths {
			if _, err := browser.Load(ctx, base+path); err != nil {
				t.Fatal(err)
			}
			w, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(function () {
			  var d = document.documentElement; return [d.scrollWidth, d.clientWidth, window.innerWidth]; })()`))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s %s: %v wide in %v (window %v)", size.name, path, w[0], w[1], w[2])
			if w[0] > w[1] {
				wide, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(function () {
				  var out = [], cw = document.documentElement.clientWidth;
				  document.querySelectorAll('body *').forEach(function (el) {
				    var r = el.getBoundingClientRect();
				    if (r.right > cw + 1 && out.length < 5 && !el.closest('.table-wrap')) { out.push(el.tagName + '.' + el.className + '#' + el.id + ' ' + Math.round(r.right)); } });
				  return out; })()`))
				t.Errorf("%s %s: the page scrolls sideways (%v wide in %v): %v", size.name, path, w[0], w[1], wide)
			}
		}
	}
}

// Every chart section has its title as a heading, its one-line summary, and a link to its data
// table, which has that id and a caption; table headers are plain English (no snake_case name,
// limits named by their level), numbers right-aligned by GOV.UK's numeric classes.
func TestChartSectionsAndTables(t *testing.T) {
	base := startServer(t)
	for _, council := range []string{"stockport", "cumberland"} {
		for _, p := range dashboards.Pages {
			_, body := get(t, base+"/"+p.Slug+"?council="+council+"&limits=99.8")
			for _, sec := range strings.Split(body, `<section class="chart" id="block-`)[1:] {
				id := sec[:strings.Index(sec, `"`)]
				sec = strings.SplitN(sec, "</section>", 2)[0]
				where := council + " " + p.Slug + " " + id
				if !regexp.MustCompile(`<h2 class="govuk-heading-m" id="title-` + id + `">[^<]+</h2>`).MatchString(sec) {
					t.Errorf("%s: no title heading", where)
				}
				if !regexp.MustCompile(`<p class="govuk-body shows">[^<]+</p>`).MatchString(sec) {
					t.Errorf("%s: no one-line summary of what the chart shows", where)
				}
				if !strings.Contains(sec, `<a class="govuk-link" href="#table-`+id+`"`) || !strings.Contains(sec, `Data table for this chart`) {
					t.Errorf("%s: no link to its data table", where)
				}
				if !strings.Contains(sec, `<table class="govuk-table data" id="table-`+id+`"`) ||
					!regexp.MustCompile(`<caption class="govuk-table__caption[^"]*" id="caption-`+id+`">Data table: [^<]+</caption>`).MatchString(sec) {
					t.Errorf("%s: no table with id table-%s and a caption", where, id)
				}
				for _, m := range regexp.MustCompile(`<th scope="col" data-column="([^"]+)"[^>]*>([^<]*)</th>`).FindAllStringSubmatch(sec, -1) {
					if strings.Contains(m[2], "_") || strings.Contains(m[2], "998") || strings.EqualFold(m[2], m[1]) && strings.Contains(m[1], "_") {
						t.Errorf("%s: column %s is headed %q", where, m[1], m[2])
					}
				}
			}
		}
	}
}

// The form sent by Apply is answered at the view's own address: without "from" or empty filters,
// and, when the council changed, without the old council's locality; a locality the council
// really lacks is still a mistake said on the form.
func TestApplyKeepsOneAddressPerView(t *testing.T) {
	base := startServer(t)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for sent, want := range map[string]string{
		"/reach?council=kirklees&from=stockport&locality=Marple&period=2024-25&service=&limits=95": "/reach?council=kirklees&limits=95&period=2024-25",
		"/reach?council=stockport&from=stockport&locality=Marple&period=2024-25&service=":          "/reach?council=stockport&locality=Marple&period=2024-25",
		"/map?council=stockport&from=stockport&locality=&layer=idaci":                              "/map?council=stockport&layer=idaci",
	} {
		resp, err := c.Get(base + sent)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("%s: %d to %q, want %q", sent, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
	if code, body := get(t, base+"/reach?council=kirklees&locality=Marple"); code != 400 || !strings.Contains(body, `<a href="#locality">`) {
		t.Errorf("Kirklees with Marple: %d", code)
	}
}
