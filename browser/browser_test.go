package browser

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

func TestOffsite(t *testing.T) {
	v := &Visit{Requests: []string{
		"http://127.0.0.1:8080/reach", "http://localhost/static/app.css", "data:image/png;base64,xx",
		"https://cdn.jsdelivr.net/npm/echarts@5/dist/echarts.min.js", "https://go-echarts.github.io/go-echarts-assets/assets/echarts.min.js",
	}}
	off := v.Offsite()
	if len(off) != 2 || !strings.Contains(off[0], "jsdelivr") || !strings.Contains(off[1], "go-echarts.github.io") {
		t.Errorf("offsite %v", off)
	}
}

// The recorder really sees what goes wrong on a page, so a clean report means a clean page.
func TestLoadReportsErrors(t *testing.T) {
	ctx, cancel, err := Start(context.Background(), 800, 600)
	if errors.Is(err, ErrNoChromium) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI needs Chromium: %v", err)
		}
		t.Skipf("no Chromium on this machine: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
			<script src="/missing.js"></script>
			<script>console.error("deliberate console error"); undefinedFunction();</script>
			<footer>end</footer></body></html>`))
	}))
	defer srv.Close()
	v, err := Load(ctx, srv.URL+"/")
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(v.Errors, "\n")
	for _, want := range []string{"deliberate console error", "undefinedFunction", "404"} {
		if !strings.Contains(all, want) {
			t.Errorf("the report missed %q:\n%s", want, all)
		}
	}
	if len(v.Requests) < 2 {
		t.Errorf("requests seen: %v", v.Requests)
	}
	if v.Charts != 0 {
		t.Errorf("%d charts on a page with none", v.Charts)
	}
}
