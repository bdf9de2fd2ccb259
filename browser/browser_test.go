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

// A chart counts as drawn only when it is an SVG with marks in it: an element ECharts took but
// drew nothing in, an empty SVG, an SVG of one bare shape and a chart drawn on a canvas are all
// reported blank, so the browser tests catch a blank chart.
func TestLoadFindsBlankCharts(t *testing.T) {
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
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200">`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
			<div _echarts_instance_="1" id="nothing" style="width:300px;height:200px"></div>
			<div _echarts_instance_="2" id="empty" style="width:300px;height:200px">` + svg + `</svg></div>
			<div _echarts_instance_="3" id="background" style="width:300px;height:200px">` + svg + `<rect width="300" height="200" fill="#fff"/></svg></div>
			<div _echarts_instance_="4" id="canvas" style="width:300px;height:200px"><canvas width="300" height="200"></canvas></div>
			<div _echarts_instance_="5" id="zero" style="width:0;height:0"><svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"><path d="M0 0L10 10" stroke="#000"/><text fill="#333">x</text></svg></div>
			<div _echarts_instance_="6" id="drawn" style="width:300px;height:200px">` + svg + `<rect width="300" height="200" fill="#fff"/>
				<path d="M10 190L10 10" stroke="#6e7079"/><path d="M20 190h40v-120h-40z" fill="#12436D"/><text x="20" y="60" fill="#0b0c0c">12.3</text></svg></div>
			<footer>end</footer></body></html>`))
	}))
	defer srv.Close()
	v, err := Load(ctx, srv.URL+"/")
	if err != nil {
		t.Fatal(err)
	}
	if v.Charts != 6 || strings.Join(v.Blank, ",") != "nothing,empty,background,canvas,zero" {
		t.Errorf("%d charts, blank %v: want 6, all blank but drawn", v.Charts, v.Blank)
	}
}
