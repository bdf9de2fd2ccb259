package axe_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"familyhubs/internal/axe"
	"familyhubs/internal/browsertest"
)

// page is a small document: clean, or with two faults axe must find (an image without a text
// alternative, WCAG 1.1.1, and grey text on white below 4.5:1, WCAG 1.4.3).
func page(faults bool) string {
	body := `<main><h1>Reach</h1><p>Plain text, black on white.</p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="A dot"></main>`
	if faults {
		body = `<main><h1>Reach</h1><p style="color:#aaa;background:#fff">Pale text.</p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main>`
	}
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test</title></head><body>` + body + `</body></html>`
}

// The embedded checker finds the two faults of the faulty page by their WCAG rules, and none on
// the clean page, having run rules on both.
func TestAxeFindsKnownFaults(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page(r.URL.Query().Get("faults") == "1"))
	}))
	defer srv.Close()
	ctx := browsertest.Start(t, 1024, 768)
	for _, c := range []struct {
		faults bool
		want   []string
	}{{false, nil}, {true, []string{"color-contrast", "image-alt"}}} {
		if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/?faults=%v", srv.URL, map[bool]int{false: 0, true: 1}[c.faults]))); err != nil {
			t.Fatal(err)
		}
		res, err := axe.Run(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.Passes < 5 {
			t.Errorf("faults=%v: only %d rules passed: axe did not run", c.faults, res.Passes)
		}
		var got []string
		for _, v := range res.Violations {
			got = append(got, v.ID)
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("faults=%v: violations %v, want %v", c.faults, res.Violations, c.want)
		}
	}
}
