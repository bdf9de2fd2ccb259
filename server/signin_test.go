package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/oauth2-proxy/mockoidc"

	"familyhubs/audit"
	"familyhubs/auth"
	"familyhubs/browser"
	"familyhubs/internal/browsertest"
	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/server"
	"familyhubs/stats"
)

// signedIn is a server behind sign-in with a provider the test starts itself, and a way to sign
// in as anyone.
type signedIn struct {
	base  string
	oidc  *mockoidc.MockOIDC
	trail string
}

const managerLocality = "Brinnington, Reddish and Central"

func startSignedIn(t *testing.T) *signedIn {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	db := testdata.Warehouse(t)
	ts := httptest.NewUnstartedServer(nil)
	ts.Start()
	t.Cleanup(ts.Close)
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	os.WriteFile(secret, []byte(m.Config().ClientSecret), 0o600)
	cfgFile := filepath.Join(dir, "sign-in.toml")
	os.WriteFile(cfgFile, []byte(fmt.Sprintf(`issuer = %q
client_id = %q
client_secret_file = %q
redirect_url = %q
scopes = ["profile", "email", "groups"]
idle_timeout = "20m"
lifetime = "8h"

[[group]]
name = "hub-viewers"
role = "viewer"

[[group]]
name = "brinnington-managers"
role = "manager"
localities = ["stockport/%s"]

[[group]]
name = "kirklees-managers"
role = "manager"
councils = ["kirklees"]

[[group]]
name = "analysts"
role = "analyst"
`, m.Issuer(), m.Config().ClientID, secret, ts.URL+"/auth/callback", managerLocality)), 0o600)
	cfg, err := auth.LoadConfig(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	trail := filepath.Join(dir, "audit.jsonl")
	al, err := audit.Open(trail)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { al.Close() })
	ts.Config.Handler = server.NewWith(db, log.New(io.Discard, "", 0), server.Options{Auth: a, Audit: al})
	return &signedIn{base: ts.URL, oidc: m, trail: trail}
}

// client signs in as a user with the given groups, through the provider's real authorisation
// code flow (PKCE, state, nonce), and returns a browser-like client holding the session.
func (s *signedIn) client(t *testing.T, subject string, groups ...string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	s.oidc.QueueUser(&mockoidc.MockUser{Subject: subject, PreferredUsername: subject, Email: subject + "@council.example", Groups: groups})
	resp, err := c.Get(s.base + "/overview")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if len(groups) > 0 && groups[0] != "nobody" && resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("signing in as %s: %d %s", subject, resp.StatusCode, b)
	}
	return c
}

func get(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Every route, as each role: what each may see, what each is refused, and that the refusals are
// in the audit trail.
func TestSignInAccessMatrix(t *testing.T) {
	s := startSignedIn(t)
	anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	// not signed in: pages send you to sign in, the API and briefings say 401
	for url, want := range map[string]int{
		"/overview?council=stockport":                    http.StatusFound,
		"/api/queries/reach_total?council=stockport":     http.StatusUnauthorized,
		"/api/queries/reach_total.csv?council=stockport": http.StatusUnauthorized,
		"/briefings/stockport/2024-25.pdf":               http.StatusUnauthorized,
		"/briefings/stockport/2024-25":                   http.StatusUnauthorized,
		"/api/queries":                                   http.StatusUnauthorized,
		"/healthz":                                       http.StatusOK,
		"/":                                              http.StatusFound,
		// about the service, with no figure: public
		"/about":         http.StatusOK,
		"/accessibility": http.StatusOK,
	} {
		if code, _ := get(t, anon, s.base+url); code != want {
			t.Errorf("signed out %s: %d, want %d", url, code, want)
		}
	}

	viewer := s.client(t, "vera", "hub-viewers")
	manager := s.client(t, "mo", "brinnington-managers")
	kirklees := s.client(t, "kim", "kirklees-managers")
	analyst := s.client(t, "ana", "analysts")
	nobody := s.client(t, "nina", "nobody")

	pages := []string{"overview", "reach", "map", "services", "care", "fund"}
	type want struct {
		url  string
		code int
	}
	matrix := map[string][]want{}
	for _, p := range pages {
		for _, who := range []string{"viewer", "analyst"} {
			matrix[who] = append(matrix[who], want{"/" + p + "?council=kirklees", 200}, want{"/" + p + "?council=stockport", 200})
		}
		matrix["manager"] = append(matrix["manager"], want{"/" + p + "?council=stockport", 200},
			want{"/" + p + "?council=stockport&locality=" + strings.ReplaceAll("Marple", " ", "+"), 403},
			want{"/" + p + "?council=kirklees", 403})
		matrix["kirklees"] = append(matrix["kirklees"], want{"/" + p + "?council=kirklees", 200}, want{"/" + p + "?council=stockport", 403})
		matrix["nobody"] = append(matrix["nobody"], want{"/" + p + "?council=stockport", 403})
	}
	api := "/api/queries/reach_by_locality?council=stockport"
	for who, ws := range map[string][]want{
		"viewer": {{"/api/sql?q=" + url.QueryEscape("SELECT 1"), 403}, {api, 200},
			// protected outputs show whole months, quarters and financial years only
			{"/api/queries/reach_total?council=stockport&period=2025-06-03..2025-06-03", 400},
			{"/api/queries/reach_total.csv?council=stockport&period=2025-06-01..2025-07-15", 400},
			{"/overview?council=stockport&period=2025-06-03..2025-06-03", 400},
			{"/briefings/stockport/2025-06-03..2025-06-03.pdf", 400},
			{"/api/queries/reach_total?council=stockport&period=2025-06", 200},
			{"/api/queries/reach_total?council=stockport&period=2025-26Q1", 200}, {api + "&disclosure=none", 400}, {"/api/queries/return_people?council=stockport", 403}, {"/briefings/stockport/2024-25.pdf", 200}, {"/briefings/stockport/2024-25", 200}},
		"analyst": {{api + "&disclosure=none", 200}, {"/api/queries/return_people?council=stockport", 403},
			{"/api/queries/reach_total?council=stockport&period=2025-06-03..2025-06-03", 400},
			{"/api/queries/reach_total?council=stockport&period=2025-06-03..2025-06-03&disclosure=none", 200},
			{"/api/sql?q=" + url.QueryEscape("SELECT count(*) AS n FROM contacts"), 200},
			{"/api/sql?q=" + url.QueryEscape("SELECT * FROM read_csv('/etc/passwd')"), 400},
			{"/api/sql?q=" + url.QueryEscape("COPY (SELECT 1) TO '/tmp/x.csv'"), 400},
			{"/api/sql?q=" + url.QueryEscape("DELETE FROM contacts"), 400}},
		"manager":  {{"/api/sql?q=" + url.QueryEscape("SELECT 1"), 403}, {api, 200}, {api + "&disclosure=none", 400}, {"/api/queries/reach_by_locality.csv?council=stockport", 200}, {"/api/queries/reach_total?council=kirklees", 403}, {"/briefings/stockport/2024-25.pdf", 200}, {"/briefings/kirklees/2024-25.pdf", 403}, {"/briefings/stockport/2024-25", 200}, {"/briefings/kirklees/2024-25", 403}},
		"kirklees": {{"/api/queries/reach_total?council=kirklees", 200}, {"/api/queries/reach_total?council=stockport", 403}},
		"nobody":   {{api, 403}, {"/briefings/stockport/2024-25.pdf", 403}, {"/briefings/stockport/2024-25", 403}},
	} {
		matrix[who] = append(matrix[who], ws...)
	}
	clients := map[string]*http.Client{"viewer": viewer, "manager": manager, "kirklees": kirklees, "analyst": analyst, "nobody": nobody}
	denied := 0
	for who, ws := range matrix {
		for _, w := range ws {
			code, body := get(t, clients[who], s.base+w.url)
			if code != w.code {
				t.Errorf("%s %s: %d, want %d (%.120s)", who, w.url, code, w.code, body)
			}
			if code == 403 {
				denied++
				if !strings.Contains(body, "role") && !strings.Contains(body, "outside") && !strings.Contains(body, "exact output only") {
					t.Errorf("%s %s: the refusal does not say why: %.200s", who, w.url, body)
				}
			}
		}
	}

	// a manager sees only their locality, in the API and the CSV
	_, body := get(t, manager, s.base+api)
	var out struct {
		Rows []map[string]any `json:"rows"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("API answer: %v: %.200s", err, body)
	}
	if len(out.Rows) != 1 || out.Rows[0]["locality"] != managerLocality {
		t.Errorf("the manager's reach_by_locality: %v, want only %s", out.Rows, managerLocality)
	}
	// and the outcome questions' breakdowns by locality (breakdown, category) keep to it too
	for _, q := range []string{"reach_by_locality", "reached_before_crisis", "step_up_by_group"} {
		_, csv := get(t, manager, s.base+"/api/queries/"+q+".csv?council=stockport&period=2023-24")
		if !strings.Contains(csv, managerLocality) {
			t.Errorf("the manager's %s CSV does not give %s", q, managerLocality)
		}
		for _, other := range []string{"Marple", "Cheadle and Bramhall", "Werneth", "not known"} {
			if strings.Contains(csv, other) {
				t.Errorf("the manager's %s CSV names %s", q, other)
			}
		}
	}
	// a manager's briefing is about their locality and names no other
	_, pdf := get(t, manager, s.base+"/briefings/stockport/2024-25.pdf")
	pdfFile := filepath.Join(t.TempDir(), "m.pdf")
	os.WriteFile(pdfFile, []byte(pdf), 0o600)
	text, err := exec.Command("pdftotext", "-layout", pdfFile, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (poppler-utils): %v", err)
	}
	flat := strings.Join(strings.Fields(string(text)), " ")
	if !strings.Contains(flat, managerLocality) {
		t.Errorf("the manager's briefing does not say it is about %s", managerLocality)
	}
	for _, other := range []string{"Marple", "Cheadle and Bramhall", "Werneth", "Stepping Hill"} {
		if strings.Contains(flat, other) {
			t.Errorf("the manager's briefing names %s", other)
		}
	}
	// the landing page offers a manager only the council they may see
	_, landing := get(t, manager, s.base+"/")
	if !strings.Contains(landing, `<option value="stockport">Stockport</option>`) || strings.Contains(landing, `value="kirklees"`) {
		t.Errorf("the manager's landing page: %.300s", landing)
	}
	// a manager's page defaults to their locality, and offers no other
	_, page := get(t, manager, s.base+"/overview?council=stockport")
	if !strings.Contains(page, managerLocality) || strings.Contains(page, ">Marple<") || strings.Contains(page, "Whole council") {
		t.Errorf("the manager's overview does not keep to %s", managerLocality)
	}
	if !strings.Contains(page, `href="/auth/logout"`) || strings.Contains(page, "Local demo") {
		t.Error("a signed-in page has no sign-out link, or claims to be the local demo")
	}
	// a viewer gets no exact counts; an analyst does, and they are exact
	code, _ := get(t, viewer, s.base+"/api/queries/reach_total?council=stockport&disclosure=none")
	if code == 200 {
		t.Error("a viewer got exact counts")
	}
	_, exactBody := get(t, analyst, s.base+"/api/queries/reach_total?council=stockport&period=2024-25&disclosure=none")
	var ex struct {
		Rows []map[string]any `json:"rows"`
	}
	json.Unmarshal([]byte(exactBody), &ex)
	db := testdata.Warehouse(t)
	c, _ := queries.FindCouncil(context.Background(), db, "stockport")
	p, _ := queries.ParsePeriod("2024-25")
	truth, err := measures.Run(context.Background(), db, "reach_total", queries.Filters{Council: c, Period: p}.Args(), stats.Exact)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Rows) == 0 || fmt.Sprint(ex.Rows[0]["children_reached"]) != queries.Text(truth.Rows[0][truth.MustCol("children_reached")]) {
		t.Errorf("the analyst's exact count %v, the warehouse's %v", ex.Rows, truth.Rows[0])
	}

	// signing out ends the session
	get(t, viewer, s.base+"/auth/logout")
	noFollow := *viewer
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if code, _ := get(t, &noFollow, s.base+"/overview?council=stockport"); code != http.StatusFound {
		t.Errorf("after signing out: %d, want a redirect to sign in", code)
	}

	// every refusal is in the audit trail, with who and what, and no figure
	f, err := os.Open(s.trail)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := audit.Read(f, audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	deniedAudited, sawManager, sawPolicyNone := 0, false, false
	for _, r := range recs {
		if r.Outcome == "denied" && r.User != "" && r.Status == 403 {
			deniedAudited++
		}
		sawManager = sawManager || (strings.HasPrefix(r.User, "mo") && r.Roles == "manager")
		sawPolicyNone = sawPolicyNone || (strings.HasPrefix(r.User, "ana") && r.Policy == "none" && r.Outcome == "ok")
	}
	if deniedAudited < denied {
		t.Errorf("%d refusals, %d in the audit trail", denied, deniedAudited)
	}
	if !sawManager || !sawPolicyNone {
		t.Errorf("the trail misses who or what: manager %v, analyst's exact request %v", sawManager, sawPolicyNone)
	}
	raw, _ := os.ReadFile(s.trail)
	if strings.Contains(string(raw), "children_reached") {
		t.Error("the audit trail holds figures")
	}
	if info, _ := os.Stat(s.trail); info.Mode().Perm() != 0o600 {
		t.Errorf("the audit trail is %v, want 0600", info.Mode().Perm())
	}
}

// In Chromium: a manager signs in through the provider's real redirects, lands on the page they
// asked for, limited to their locality, with every chart drawn, no console error (the content
// security policy holds with sign-in) and no request leaving this machine; signing out ends it.
func TestSignInInBrowser(t *testing.T) {
	s := startSignedIn(t)
	ctx := browsertest.Start(t, 1366, 768)
	s.oidc.QueueUser(&mockoidc.MockUser{Subject: "mo", PreferredUsername: "mo", Groups: []string{"brinnington-managers"}})
	v, err := browser.Load(ctx, s.base+"/reach?council=stockport")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range v.Errors {
		t.Errorf("console: %s", e)
	}
	if off := v.Offsite(); len(off) > 0 {
		t.Errorf("requests left this machine: %v", off)
	}
	if v.Charts == 0 || len(v.Blank) > 0 {
		t.Errorf("%d charts, blank %v", v.Charts, v.Blank)
	}
	type place struct {
		Path       string   `json:"path"`
		Localities []string `json:"localities"`
	}
	where, err := chromedp.Run(ctx, chromedp.Evaluate[place](`({path: location.pathname + location.search,
		localities: Array.from(document.querySelectorAll('select[name=locality] option')).map(o => o.textContent)})`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(where.Path, "/reach") || len(where.Localities) != 1 || where.Localities[0] != managerLocality {
		t.Errorf("after signing in: at %s, offered localities %v; want /reach and only %s", where.Path, where.Localities, managerLocality)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(s.base+"/auth/logout")); err != nil {
		t.Fatal(err)
	}
	// signed out, the browser is sent to the provider, which (a test provider) signs the next
	// queued user in: with none queued it is the provider's default user, who has no role here
	if err := chromedp.Do(ctx, chromedp.Navigate(s.base+"/overview?council=stockport")); err != nil {
		t.Fatal(err)
	}
	body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "none of your groups gives a role") {
		t.Errorf("after signing out, a fresh sign-in as a user with no role should be refused: %.200s", body)
	}
}
