// Package browser drives Debian's Chromium (headless, through chromedp) against the tool's own
// server: for the browser tests, which check that pages load offline with no errors and that
// their charts draw, and for `hubs screenshot`, which shows a reviewer what a person sees.
package browser

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// ErrNoChromium means no Chromium binary was found.
var ErrNoChromium = errors.New("chromium not found: install Debian's chromium package (apt-get install chromium) or set CHROMIUM")

// Find returns the Chromium binary: $CHROMIUM, else /usr/bin/chromium, else chromium on PATH.
func Find() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p, nil
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p, nil
	}
	return "", ErrNoChromium
}

// Start launches a headless Chromium with a fresh profile and background networking off, so the
// only requests it makes are the pages' own. Cancel the context to close it.
func Start(parent context.Context, width, height int) (context.Context, context.CancelFunc, error) {
	bin, err := Find()
	if err != nil {
		return nil, nil, err
	}
	profile, err := os.MkdirTemp("", "familyhubs-chromium-")
	if err != nil {
		return nil, nil, err
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(width, height),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
	}
	actx, acancel := chromedp.NewExecAllocator(parent, opts...)
	ctx, cancel := chromedp.NewContext(actx)
	// the viewport is set as well as the window: headless Chromium's windows are at least 500
	// px wide, and a small phone's screen (320 px) is narrower
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		cancel()
		acancel()
		os.RemoveAll(profile)
		return nil, nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	return ctx, func() { cancel(); acancel(); os.RemoveAll(profile) }, nil
}

// Visit is what happened when a page was loaded.
type Visit struct {
	URL      string
	Errors   []string // console errors, uncaught exceptions, failed loads
	Requests []string // every URL the page asked for
	Charts   int      // ECharts instances on the page
	Blank    []string // ids of charts that drew no SVG, or an SVG with nothing in it
}

// Offsite lists the requests that left this machine (anything but loopback and data: URLs).
func (v *Visit) Offsite() []string {
	var out []string
	for _, r := range v.Requests {
		u, err := url.Parse(r)
		if err != nil {
			out = append(out, r)
			continue
		}
		switch {
		case u.Scheme == "data" || u.Scheme == "blob" || u.Scheme == "about":
		case u.Hostname() == "127.0.0.1" || u.Hostname() == "localhost" || u.Hostname() == "::1":
		default:
			out = append(out, r)
		}
	}
	return out
}

// recorder collects what a tab does.
type recorder struct {
	mu       sync.Mutex
	errors   []string
	requests []string
}

func (r *recorder) listen(ctx context.Context) error {
	return chromedp.Listen(ctx, func(ev any) {
		r.mu.Lock()
		defer r.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
				}
				r.errors = append(r.errors, "console: "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			r.errors = append(r.errors, "exception: "+msg)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				r.errors = append(r.errors, "log: "+e.Entry.Text+" "+e.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			r.requests = append(r.requests, e.Request.URL)
		case *network.EventLoadingFailed:
			if !e.Canceled {
				r.errors = append(r.errors, "load failed: "+e.ErrorText)
			}
		}
	})
}

// chartsDrawn reports, for every ECharts instance on the page, whether it drew: the charts are
// drawn as SVG, so a chart drew when its element holds an <svg> of some size with marks in it
// (paths, shapes or text) painted in at least two colours. A chart with no <svg> (drawn on a
// canvas, or not at all), an empty one, or one painted in a single colour is blank.
const chartsDrawn = `(function () {
  var els = Array.prototype.slice.call(document.querySelectorAll('[_echarts_instance_]'));
  var blank = [];
  els.forEach(function (el) {
    var svg = el.querySelector('svg');
    var box = svg && svg.getBoundingClientRect();
    if (!svg || box.width === 0 || box.height === 0) { blank.push(el.id); return; }
    var paints = {}, marks = 0;
    svg.querySelectorAll('path, rect, circle, ellipse, line, polyline, polygon, text, image').forEach(function (m) {
      if (m.closest('defs, pattern, clipPath, mask')) { return; }
      var st = getComputedStyle(m), seen = false;
      if (st.display === 'none' || st.visibility === 'hidden' || st.opacity === '0') { return; }
      if (m.tagName === 'text' && m.textContent.trim() !== '') { seen = true; paints['text ' + st.fill] = true; }
      ['fill', 'stroke'].forEach(function (p) {
        var v = st[p];
        if (v && v !== 'none' && v !== 'transparent' && !/rgba\([^)]*,\s*0\)$/.test(v)) { paints[v] = true; seen = true; }
      });
      if (m.tagName === 'path' && !(m.getAttribute('d') || '').trim()) { seen = false; }
      if (seen) { marks++; }
    });
    if (marks < 2 || Object.keys(paints).length < 2) { blank.push(el.id); }
  });
  return {charts: els.length, blank: blank};
})()`

// Load opens url in the browser context, waits for the page and its charts, and reports.
func Load(ctx context.Context, pageURL string) (*Visit, error) {
	rec := &recorder{}
	if err := rec.listen(ctx); err != nil {
		return nil, err
	}
	type drawnCharts struct {
		Charts int      `json:"charts"`
		Blank  []string `json:"blank"`
	}
	tctx, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	err := chromedp.Do(tctx,
		chromedp.Navigate(pageURL),
		chromedp.WaitReady(chromedp.CSS("footer")),
		chromedp.Sleep(300*time.Millisecond), // ECharts draws on the next animation frame
	)
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", pageURL, err)
	}
	drawn, err := chromedp.Run(tctx, chromedp.Evaluate[drawnCharts](chartsDrawn))
	if err != nil {
		return nil, fmt.Errorf("reading the charts of %s: %w", pageURL, err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return &Visit{URL: pageURL, Errors: append([]string(nil), rec.errors...), Requests: append([]string(nil), rec.requests...),
		Charts: drawn.Charts, Blank: drawn.Blank}, nil
}

// Screenshot saves a PNG of the whole page at url (the viewport's width, the page's height).
func Screenshot(ctx context.Context, pageURL, file string) error {
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	err := chromedp.Do(tctx,
		chromedp.Navigate(pageURL),
		chromedp.WaitReady(chromedp.CSS("footer")),
		chromedp.Sleep(500*time.Millisecond),
	)
	if err != nil {
		return fmt.Errorf("screenshot of %s: %w", pageURL, err)
	}
	// quality 100 gives PNG; below 100 chromedp writes JPEG
	png, err := chromedp.Run(tctx, chromedp.FullScreenshot(100))
	if err != nil {
		return fmt.Errorf("screenshot of %s: %w", pageURL, err)
	}
	return os.WriteFile(file, png, 0o644)
}
