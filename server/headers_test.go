package server

import (
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"familyhubs/internal/testdata"
)

// directives reads a Content-Security-Policy into its directives' values.
func directives(csp string) map[string][]string {
	out := map[string][]string{}
	for _, d := range strings.Split(csp, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			out[f[0]] = f[1:]
		}
	}
	return out
}

// checkHardened checks the headers every response carries.
func checkHardened(t *testing.T, what string, h http.Header) {
	t.Helper()
	csp := directives(h.Get("Content-Security-Policy"))
	if got := strings.Join(csp["script-src"], " "); got != "'self'" {
		t.Errorf("%s: script-src %q, want 'self' alone", what, got)
	}
	if got := strings.Join(csp["frame-ancestors"], " "); got != "'none'" {
		t.Errorf("%s: frame-ancestors %q", what, got)
	}
	if got := strings.Join(csp["object-src"], " "); got != "'none'" {
		t.Errorf("%s: object-src %q", what, got)
	}
	for name, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"} {
		if got := h.Get(name); got != want {
			t.Errorf("%s: %s %q, want %q", what, name, got, want)
		}
	}
}

// Issue 13, item 5: every response carries the policy and the anti-framing, anti-sniffing and
// referrer headers; everything but the static assets is no-store.
func TestHardenHeaders(t *testing.T) {
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") {
			w.Header().Set("Cache-Control", "public, max-age=86400")
		}
		w.Write([]byte("ok"))
	})
	h := Harden(inner)
	for _, path := range []string{"/overview?council=stockport", "/api/queries", "/api/queries/reach_total?council=stockport",
		"/api/queries/reach_by_decile.csv?council=stockport", "/briefings/stockport/2024-25.pdf", "/returns/stockport/2024-25.csv",
		"/healthz", "/no/such/page"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		checkHardened(t, path, rec.Header())
		if got := rec.Header().Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", path, got)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/static/echarts-5.6.0.min.js", nil))
	checkHardened(t, "a static asset", rec.Header())
	if got := rec.Header().Get("Cache-Control"); got != "public, max-age=86400" {
		t.Errorf("a static asset: Cache-Control %q: the binary's own files may be cached", got)
	}
}

// A state-changing request from another origin is refused before any handler runs; the same
// request from the page's own origin, and any GET, passes.
func TestHardenCrossOriginProtection(t *testing.T) {
	var reached int
	h := Harden(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached++ }))
	for _, tc := range []struct {
		method  string
		headers map[string]string
		want    int
	}{
		{http.MethodPost, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{http.MethodPost, map[string]string{"Sec-Fetch-Site": "same-site"}, http.StatusForbidden},
		{http.MethodDelete, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{http.MethodPut, map[string]string{"Origin": "https://attacker.example"}, http.StatusForbidden},
		{http.MethodPost, map[string]string{"Origin": "https://attacker.example"}, http.StatusForbidden},
		{http.MethodPost, map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusOK},
		{http.MethodPost, map[string]string{"Origin": "http://hubs.council.example"}, http.StatusOK},
		{http.MethodPost, nil, http.StatusOK}, // not a browser: curl, the tool's own clients
		{http.MethodGet, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusOK},
		{http.MethodHead, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusOK},
	} {
		reached = 0
		r := httptest.NewRequest(tc.method, "http://hubs.council.example/admin/load", strings.NewReader("x=1"))
		for k, v := range tc.headers {
			r.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != tc.want {
			t.Errorf("%s with %v: %d, want %d", tc.method, tc.headers, rec.Code, tc.want)
		}
		if tc.want == http.StatusForbidden && reached != 0 {
			t.Errorf("%s with %v reached the handler", tc.method, tc.headers)
		}
	}
}

// A body over the limit is refused: at once when its length is declared, and as soon as the
// handler reads past the limit when it is not.
func TestHardenLimitsTheBody(t *testing.T) {
	var readErr error
	var reached bool
	h := Harden(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached = true
		_, readErr = io.ReadAll(r.Body)
	}))
	big := strings.Repeat("x", MaxRequestBody+1)

	r := httptest.NewRequest(http.MethodPost, "/api/sql", strings.NewReader(big))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if rec.Code != http.StatusRequestEntityTooLarge || reached {
		t.Errorf("a declared body of %d bytes: %d, handler reached %v", len(big), rec.Code, reached)
	}

	reached = false
	r = httptest.NewRequest(http.MethodPost, "/api/sql", io.MultiReader(strings.NewReader(big))) // length unknown
	r.ContentLength = -1
	h.ServeHTTP(httptest.NewRecorder(), r)
	var tooBig *http.MaxBytesError
	if !reached || !errors.As(readErr, &tooBig) {
		t.Errorf("an undeclared body of %d bytes was read whole: %v", len(big), readErr)
	}

	reached = false
	r = httptest.NewRequest(http.MethodPost, "/api/sql", strings.NewReader("SELECT 1"))
	h.ServeHTTP(httptest.NewRecorder(), r)
	if !reached || readErr != nil {
		t.Errorf("a small body: reached %v, %v", reached, readErr)
	}
}

// Wrapped round the real server, the headers reach pages, the API, downloads and assets, and a
// folder of the assets is not listed.
func TestHardenedServer(t *testing.T) {
	db := testdata.Warehouse(t)
	srv := httptest.NewServer(Harden(New(db, log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	for path, store := range map[string]bool{
		"/reach?council=stockport":                                          true,
		"/api/queries/reach_total?council=stockport&period=2024-25":         true,
		"/api/queries/reach_by_decile.csv?council=stockport&period=2024-25": true,
		"/static/app.js": false,
		"/static/":       true,
	} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		checkHardened(t, path, resp.Header)
		if got := resp.Header.Get("Cache-Control") == "no-store"; got != store {
			t.Errorf("%s: Cache-Control %q", path, resp.Header.Get("Cache-Control"))
		}
		want := http.StatusOK
		if path == "/static/" {
			want = http.StatusNotFound
		}
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
	}
}
