package dashboards_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/duckdb/duckdb-go/v2"

	"familyhubs/answers"
	"familyhubs/browser"
	"familyhubs/dashboards"
	"familyhubs/internal/testdata"
	"familyhubs/server"
	"familyhubs/warehouse"
)

// Names a council loads with its own records (issue 13): each tries to close the script block it
// lands in and run its own. The site's name also opens an HTML comment, which inside a script
// element changes how the parser looks for its end.
const (
	hostileLocality = `Furness</script><script>document.title='x'</script>`
	hostileSite     = `Barrow hub <!--<script></script><script>document.title='y'</script>`
)

// alteredWarehouse is a copy of the demo warehouse changed by SQL statements (as a council's load
// or a damaged file would change it), with a new data version so nothing cached is reused.
func alteredWarehouse(t *testing.T, statements ...string) *warehouse.DB {
	t.Helper()
	demo := testdata.Warehouse(t)
	file := filepath.Join(t.TempDir(), "altered.duckdb")
	src, err := os.ReadFile(demo.Path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, src, 0o600); err != nil {
		t.Fatal(err)
	}
	connector, err := duckdb.NewConnector(warehouse.WritableDSN(file), nil)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(connector)
	ctx := context.Background()
	for _, s := range append(statements, `UPDATE metadata SET value = value || '-altered' WHERE key = 'data_version'`) {
		if _, err := db.ExecContext(ctx, s); err != nil {
			db.Close()
			t.Fatalf("%s: %v", s, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	w, err := warehouse.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// hostileWarehouse renames Westmorland and Furness's locality Furness, in every table that holds
// localities, and its Barrow hub, to the hostile names above.
func hostileWarehouse(t *testing.T) *warehouse.DB {
	t.Helper()
	demo := testdata.Warehouse(t)
	rows, err := demo.QueryContext(context.Background(), `SELECT c.table_name FROM information_schema.columns c
		JOIN information_schema.tables t USING (table_schema, table_name)
		WHERE c.column_name = 'locality' AND t.table_type = 'BASE TABLE' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	quote := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	var stmts []string
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			t.Fatal(err)
		}
		stmts = append(stmts, "UPDATE "+table+" SET locality = "+quote(hostileLocality)+" WHERE locality = 'Furness'")
	}
	if len(stmts) < 3 {
		t.Fatalf("only %d tables hold localities", len(stmts))
	}
	stmts = append(stmts, "UPDATE sites SET name = "+quote(hostileSite)+" WHERE site_id = 'WAF-H02'")
	return alteredWarehouse(t, stmts...)
}

var (
	scriptElement = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script\s*>`)
	typeJSON      = regexp.MustCompile(`(?i)\btype="application/json"`)
)

// dataBlocks checks a page's scripts: every script element either loads a file of the binary's
// (no code inline) or is a JSON data block, whose text must parse. It returns the data blocks,
// decoded.
func dataBlocks(t *testing.T, page, body string) []any {
	t.Helper()
	var out []any
	for _, m := range scriptElement.FindAllStringSubmatch(body, -1) {
		attrs, text := m[1], m[2]
		if typeJSON.MatchString(attrs) {
			var v any
			if err := json.Unmarshal([]byte(text), &v); err != nil {
				t.Errorf("%s: a data block is not JSON (%v): %.200s", page, err, text)
			}
			out = append(out, v)
			continue
		}
		if strings.TrimSpace(text) != "" {
			t.Errorf("%s: an executable inline script: <script%s>%.300s", page, attrs, text)
		}
		if !strings.Contains(attrs, `src="/static/`) {
			t.Errorf("%s: a script that is not one of the binary's files: <script%s>", page, attrs)
		}
	}
	return out
}

// holds reports whether a decoded JSON value has a string equal to or containing s.
func holds(v any, s string) bool {
	switch x := v.(type) {
	case string:
		return strings.Contains(x, s)
	case []any:
		for _, e := range x {
			if holds(e, s) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if holds(e, s) {
				return true
			}
		}
	}
	return false
}

// hostilePages are the pages where the hostile names are drawn, and a name each must show.
var hostilePages = []struct{ path, name string }{
	{"/reach?council=westmorland-furness&period=2024-25", hostileLocality},
	{"/services?council=westmorland-furness&period=2024-25", hostileSite},
	{"/services?council=westmorland-furness&period=2024-25", hostileLocality},
	{"/map?council=westmorland-furness&period=2024-25", hostileLocality},
	{"/overview?council=westmorland-furness&period=2024-25&locality=" + url.QueryEscape(hostileLocality), hostileLocality},
	{"/reach?council=westmorland-furness&period=2024-25&locality=" + url.QueryEscape(hostileLocality), hostileLocality},
}

// Issue 13, stored XSS: a name loaded into the warehouse is data on the page, never code. No
// script element holds code inline, every chart's options are JSON in a data block, and the
// names are in that JSON, escaped so that they cannot end the block.
func TestNamesAreNeverCode(t *testing.T) {
	db := hostileWarehouse(t)
	srv := httptest.NewServer(server.Harden(server.New(db, log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	for _, p := range hostilePages {
		code, body := get(t, srv.URL+p.path)
		if code != 200 {
			t.Fatalf("%s: %d %.300s", p.path, code, body)
		}
		blocks := dataBlocks(t, p.path, body)
		found := false
		for _, b := range blocks {
			found = found || holds(b, p.name)
			if holds(b, "__f__") {
				t.Errorf("%s: a chart's options hold a JavaScript function", p.path)
			}
		}
		if !found {
			t.Errorf("%s: no data block holds the name %q: the test no longer tests it", p.path, p.name)
		}
		for _, raw := range []string{"</script><script>", "<!--<script>", "document.title='x'</script>"} {
			if strings.Contains(body, raw) {
				t.Errorf("%s: %q is in the page unescaped", p.path, raw)
			}
		}
		if len(chartDiv.FindAllString(body, -1)) == 0 {
			t.Errorf("%s: no charts", p.path)
		}
	}
}

// In Chromium, under the server's policy, the hostile names run nothing (the title is the page's
// own), the page logs no error (an inline script the policy refused would be one), every chart
// draws, and the localities chart names the locality as given.
func TestNamesAreNeverCodeInBrowser(t *testing.T) {
	db := hostileWarehouse(t)
	srv := httptest.NewServer(server.Harden(server.New(db, log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	ctx := startBrowser(t)
	titles := map[string]string{"reach": "Reach and inequality", "services": "Services", "map": "Neighbourhood map", "overview": "Overview"}
	for _, p := range hostilePages {
		v, err := browser.Load(ctx, srv.URL+p.path)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range v.Errors {
			t.Errorf("%s: %s", p.path, e)
		}
		if v.Charts == 0 || len(v.Blank) > 0 {
			t.Errorf("%s: %d charts, blank %v", p.path, v.Charts, v.Blank)
		}
		slug := strings.TrimPrefix(strings.SplitN(p.path, "?", 2)[0], "/")
		title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`))
		if err != nil {
			t.Fatal(err)
		}
		if want := titles[slug] + " · Westmorland and Furness · familyhubs"; title != want {
			t.Errorf("%s: the title is %q, not %q: a name ran as code", p.path, title, want)
		}
	}
	// the localities chart names the locality as loaded
	if _, err := browser.Load(ctx, srv.URL+hostilePages[0].path); err != nil {
		t.Fatal(err)
	}
	names, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(function () {
		var o = echarts.getInstanceByDom(document.getElementById('localities')).getOption();
		return o.yAxis[0].data.concat(o.xAxis[0].data || []).map(function (d) { return typeof d === 'object' ? d.value : d; }); })()`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(names, "\n"), hostileLocality) {
		t.Errorf("the localities chart names %q, not the locality as loaded", names)
	}
}

// Issue 13: a page that cannot be built says so in a short plain message with a reference; what
// went wrong (DuckDB's own words, table names) goes to the log under that reference only.
func TestFailedPageIsPlain(t *testing.T) {
	for _, tc := range []struct {
		name, drop, path string
	}{
		// a table one chart needs: the page fails while drawing
		{"a chart's question fails", "decile_rollup", "/reach?council=stockport"},
		// a table the filter form's choices need: the page fails before drawing
		{"the filter form's question fails", "service_rollup", "/services?council=stockport"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// (emptied of its columns, not dropped: a warehouse missing a table is refused at open)
			db := alteredWarehouse(t, "DROP TABLE "+tc.drop+"; CREATE TABLE "+tc.drop+" (broken INTEGER)")
			var logged bytes.Buffer
			site := dashboards.New(db, answers.New(db, db.Version, db.DataEnd))
			site.Log = log.New(&logged, "", 0)
			rec := httptest.NewRecorder()
			r := httptest.NewRequest(http.MethodGet, tc.path, nil)
			site.ServePage(rec, r, strings.TrimPrefix(strings.SplitN(tc.path, "?", 2)[0], "/"))
			body := rec.Body.String()
			if rec.Code != http.StatusInternalServerError {
				t.Errorf("status %d, want 500", rec.Code)
			}
			for _, leak := range []string{tc.drop, "broken", "Binder", "Catalog", "Error:", "does not exist", "SELECT", "duckdb"} {
				if strings.Contains(body, leak) {
					t.Errorf("the page shows %q: %s", leak, body)
				}
			}
			ref := regexp.MustCompile(`reference ([0-9a-f]{8,})`).FindStringSubmatch(body)
			if ref == nil || len(body) > 400 {
				t.Fatalf("no short message with a reference: %q", body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
				t.Errorf("Content-Type %q", ct)
			}
			line := logged.String()
			if !strings.Contains(line, ref[1]) || !strings.Contains(line, `Candidate bindings: "broken"`) || !strings.Contains(line, tc.path) {
				t.Errorf("the log does not hold the reference, the request and the detail: %q", line)
			}
		})
	}
	// a request's own mistake is said on the page's form, as a 400: the error summary links to the
	// field, which says what is wrong; no figures; and nothing is logged
	db := testdata.Warehouse(t)
	var logged bytes.Buffer
	site := dashboards.New(db, answers.New(db, db.Version, db.DataEnd))
	site.Log = log.New(&logged, "", 0)
	for path, want := range map[string][2]string{
		"/reach?council=nowhere":                     {"council", `no council "nowhere"`},
		"/reach?council=stockport&locality=Atlantis": {"locality", `no locality "Atlantis"`},
		"/reach?council=stockport&period=2024-13":    {"period", `period "2024-13"`},
		"/reach?council=stockport&service=juggling":  {"service", `no service "juggling"`},
		"/reach?council=stockport&limits=90":         {"limits", `"90" is neither`},
	} {
		rec := httptest.NewRecorder()
		site.ServePage(rec, httptest.NewRequest(http.MethodGet, path, nil), "reach")
		body := unescape(rec.Body.String())
		if rec.Code != http.StatusBadRequest || !strings.Contains(body, want[1]) {
			t.Errorf("%s: %d %.300q", path, rec.Code, body)
		}
		summary := regexp.MustCompile(`(?s)<div class="govuk-error-summary".*?</ul>`).FindString(body)
		if !strings.Contains(summary, `<a href="#`+want[0]+`">`) || !strings.Contains(summary, want[1]) {
			t.Errorf("%s: the error summary does not link to the %s field: %q", path, want[0], summary)
		}
		if !strings.Contains(body, `id="`+want[0]+`-error" class="govuk-error-message"`) ||
			!strings.Contains(body, `aria-describedby="`+want[0]+`-error"`) || !strings.Contains(body, `<title>Error: `) {
			t.Errorf("%s: no error message by the %s field", path, want[0])
		}
		if strings.Contains(body, `<section class="chart"`) || strings.Contains(body, `class="tiles"`) {
			t.Errorf("%s: figures are shown beside the error", path)
		}
	}
	// and a request outside the asker's scope is refused as such, not as a failure
	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/reach?council=stockport", nil)
	r = r.WithContext(answers.WithScope(r.Context(), &answers.Scope{Councils: []string{"kirklees"}}))
	site.ServePage(rec, r, "reach")
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "Stockport") {
		t.Errorf("outside the scope: %d %q", rec.Code, rec.Body.String())
	}
	if logged.Len() > 0 {
		t.Errorf("a request's own mistake was logged as a failure: %s", logged.String())
	}
}

// Issue 13: the assets path serves files, never a listing of its folders.
func TestNoDirectoryListings(t *testing.T) {
	base := startServer(t)
	for _, path := range []string{"/static/", "/static/maps/", "/static/maps", "/static/.", "/static/%2e/", "/static/govuk/", "/static/govuk/images/govuk-crest.svg"} {
		code, body := get(t, base+path)
		if code != http.StatusNotFound || strings.Contains(body, "echarts-5.6.0.min.js") || strings.Contains(body, "<a href") {
			t.Errorf("%s: %d %.200s", path, code, body)
		}
	}
	for _, path := range []string{"/static/app.js", "/static/charts.js", "/static/app.css", "/static/ECHARTS-LICENSE.txt", "/static/govuk-init.js",
		"/static/govuk/govuk-frontend-6.6.0.min.css", "/static/govuk/govuk-frontend-6.6.0.min.js", "/static/govuk/LICENCE-govuk-frontend.txt"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
		if strings.HasSuffix(path, ".css") && !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
			t.Errorf("%s is served as %q: with nosniff a browser would refuse its styles", path, resp.Header.Get("Content-Type"))
		}
		if strings.HasSuffix(path, ".js") && !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
			t.Errorf("%s is served as %q: with nosniff a browser would refuse to run it", path, resp.Header.Get("Content-Type"))
		}
	}
}
