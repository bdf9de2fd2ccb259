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
	if err := chromedp.Do(ctx); err != nil {
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
	Blank    []string // ids of charts whose canvas has nothing drawn
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

// chartsDrawn waits until every ECharts instance has rendered, then reports which canvases are
// blank (every pixel transparent or one colour).
const chartsDrawn = `(function () {
  var els = Array.prototype.slice.call(document.querySelectorAll('[_echarts_instance_]'));
  var blank = [];
  els.forEach(function (el) {
    var cv = el.querySelector('canvas');
    if (!cv || cv.width === 0 || cv.height === 0) { blank.push(el.id); return; }
    var d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
    var first = -1, varied = false;
    for (var i = 0; i < d.length; i += 4 * 16) {
      var px = (d[i] << 24) ^ (d[i + 1] << 16) ^ (d[i + 2] << 8) ^ d[i + 3];
      if (d[i + 3] === 0) { continue; }
      if (first === -1) { first = px; } else if (px !== first) { varied = true; break; }
    }
    if (!varied) { blank.push(el.id); }
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
