package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"familyhubs/dashboards"
	"familyhubs/internal/testdata"
	"familyhubs/queries"
	"familyhubs/server"
)

var outputs sync.Mutex

// hubs runs the command line in-process and returns what it printed.
func hubs(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	outputs.Lock()
	defer outputs.Unlock()
	var out, errb bytes.Buffer
	stdout, stderr = &out, &errb
	defer func() { stdout, stderr = io.Discard, io.Discard }()
	err := run(context.Background(), args)
	return out.String(), errb.String(), err
}

func TestMain(m *testing.M) {
	stdout, stderr = io.Discard, io.Discard
	m.Run()
}

// The issue's checks, answered by `hubs sql` from the built warehouse.
func TestSQLAnswersTheIssueQuestions(t *testing.T) {
	testdata.Warehouse(t) // build once, before timing anything
	cases := map[string]string{
		"SELECT count(*) AS n FROM neighbourhoods WHERE council_code = 'E08000007'":                                                                                                                   "191",
		"SELECT count(DISTINCT lsoa11_code) AS n FROM lsoa11_lsoa21 JOIN neighbourhoods USING (lsoa21_code) WHERE council_code = 'E08000007'":                                                         "190",
		"SELECT imd_rank AS n FROM deprivation WHERE lsoa21_code = 'E01005918' AND edition = 'IoD2025'":                                                                                               "21",
		"SELECT number AS n FROM care WHERE measure = 'looked_after' AND area_code = 'E08000007' AND year = 2025":                                                                                     "485",
		"SELECT count(*) AS n FROM (SELECT measure, year, area_code FROM care c JOIN care_neighbourhood m USING (measure, year, area_code) GROUP BY ALL HAVING any_value(c.number) <> sum(m.number))": "0",
	}
	for q, want := range cases {
		out, _, err := hubs(t, "sql", q, "--format", "csv")
		if err != nil {
			t.Errorf("%s: %v", q, err)
			continue
		}
		if got := strings.TrimSpace(out); got != "n\n"+want {
			t.Errorf("%s:\n%s\nwant n\\n%s", q, got, want)
		}
	}
	_, _, err := hubs(t, "sql", "DELETE FROM care")
	if err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("a write was not refused clearly: %v", err)
	}
	out, _, err := hubs(t, "sql", "SELECT table_name FROM duckdb_tables() WHERE comment IS NOT NULL ORDER BY 1", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"councils", "neighbourhoods", "deprivation", "population", "sites", "contacts", "care", "care_neighbourhood"} {
		if !strings.Contains(out, `"`+table+`"`) {
			t.Errorf("table %s is missing or undocumented", table)
		}
	}
}

func TestQueryListAndRun(t *testing.T) {
	out, _, err := hubs(t, "query", "--list")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range queries.All() {
		if !strings.Contains(out, q.Name) || !strings.Contains(out, q.Answers) {
			t.Errorf("query --list lacks %s and its description", q.Name)
		}
	}
	out, _, err = hubs(t, "query", "care_at_31_march", "--council", "stockport", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^looked_after,2025,council,E08000007,Stockport,485,,64910,74\.7,75,`).MatchString(out) {
		t.Errorf("Stockport 2025 row not found in:\n%.600s", out)
	}
	out, _, err = hubs(t, "query", "site_activity", "--council", "E08000007", "--period", "2024-25")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# units:", "# source: SYNTHETIC", "# period_start = 2024-04-01", "# period_end = 2025-03-31", "Family Hub, Westmorland Drive"} {
		if !strings.Contains(out, want) {
			t.Errorf("table output lacks %q", want)
		}
	}
	if _, _, err := hubs(t, "query", "site_activity", "--period", "2024"); err == nil || !strings.Contains(err.Error(), "financial year") {
		t.Errorf("a bad period: %v", err)
	}
	if _, _, err := hubs(t, "query", "nonsense"); err == nil {
		t.Error("an unknown query ran")
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range commands {
		_, errOut, _ := hubs(t, c.name, "--help")
		if !strings.Contains(errOut, "usage: hubs "+c.name) {
			t.Errorf("hubs %s --help printed:\n%s", c.name, errOut)
		}
	}
	_, errOut, _ := hubs(t, "help")
	for _, c := range commands {
		if !strings.Contains(errOut, c.name) {
			t.Errorf("hubs help does not list %s", c.name)
		}
	}
	if _, _, err := hubs(t, "frobnicate"); err == nil {
		t.Error("an unknown command succeeded")
	}
}

// `hubs serve` says where it listens, answers /healthz and the API, and shuts down cleanly.
func TestServe(t *testing.T) {
	db := testdata.Warehouse(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	var errb syncBuffer
	outputs.Lock()
	stderr = &errb
	outputs.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	trail := filepath.Join(t.TempDir(), "audit.jsonl")
	go func() { done <- run(ctx, []string{"serve", "--addr", addr, "--audit", trail}) }()
	base := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(errb.String(), "listening on") {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not say where it listens:\n%s", errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(errb.String(), "http://"+addr) {
		t.Errorf("serve announced:\n%s", errb.String())
	}
	get := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/healthz"); code != 200 || body != "ok "+db.Version+"\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	code, body := get("/api/queries/care_at_31_march?council=stockport")
	var res struct{ Rows []map[string]any }
	if code != 200 || json.Unmarshal([]byte(body), &res) != nil {
		t.Fatalf("API: %d %.300s", code, body)
	}
	found := false
	for _, r := range res.Rows {
		if r["measure"] == "looked_after" && r["year"] == float64(2025) && r["series"] == "council" && r["number"] == float64(485) {
			found = true
		}
	}
	if !found {
		t.Error("the API does not give Stockport's 485 children looked after in 2025")
	}
	if code, body := get("/api/queries/care_at_31_march.csv?council=stockport"); code != 200 || !strings.Contains(body, "looked_after,2025,council,E08000007,Stockport,485") {
		t.Errorf("CSV API: %d %.200s", code, body)
	}
	if code, _ := get("/api/queries/nope"); code != 404 {
		t.Errorf("unknown query: %d", code)
	}
	if code, _ := get("/api/queries/site_activity?period=garbage"); code != 400 {
		t.Errorf("bad period: %d", code)
	}
	// an address with filters at the root is their overview (the client follows the redirect)
	if code, body := get("/?council=kirklees"); code != 200 || !strings.Contains(body, `<h1 class="govuk-heading-l">Overview</h1>`) || !strings.Contains(body, "Kirklees") ||
		!strings.Contains(body, "Local demo: no sign-in") {
		t.Errorf("home page: %d (and it must say it is the local demo)", code)
	}
	// the home page chooses a council
	if code, body := get("/"); code != 200 || !strings.Contains(body, "Choose a council") || !strings.Contains(body, `<option value="kirklees">Kirklees</option>`) {
		t.Errorf("landing page: %d", code)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Error("serve did not shut down")
	}
	if !strings.Contains(errb.String(), "GET /api/queries/care_at_31_march?council=stockport 200") {
		t.Errorf("requests are not logged:\n%s", errb.String())
	}
	// the local demo says so, and its visits are in the audit trail as the local user
	if !strings.Contains(errb.String(), "local demo: no sign-in") {
		t.Errorf("serve did not say it is the local demo:\n%s", errb.String())
	}
	out, _, err := hubs(t, "audit", "--file", trail, "--user", "local")
	if err != nil || !strings.Contains(out, "GET /api/queries/care_at_31_march") || !strings.Contains(out, "download") {
		t.Errorf("hubs audit: %v\n%s", err, out)
	}
}

// Without sign-in the server listens on loopback only: any other address is refused unless the
// loudly named flag is given.
func TestServeRefusesTheNetworkWithoutSignIn(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:8080"} {
		_, _, err := hubs(t, "serve", "--addr", addr)
		if err == nil || !strings.Contains(err.Error(), "--auth") {
			t.Errorf("serve --addr %s: %v, want a refusal naming --auth", addr, err)
		}
	}
	if _, _, err := hubs(t, "serve", "--addr", "127.0.0.1:0", "--tls-cert", "x.pem"); err == nil {
		t.Error("--tls-cert without --tls-key accepted")
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Warming renders every page of every council into this server's own cache: afterwards a page
// is answered from the cache.
func TestWarmFillsTheCache(t *testing.T) {
	db := testdata.Warehouse(t)
	s := server.New(db, log.New(io.Discard, "", 0))
	n, err := s.Warm(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != 5*len(dashboards.Pages) {
		t.Errorf("warmed %d pages", n)
	}
	start := time.Now()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/reach?council=kirklees", nil))
	if rec.Code != 200 {
		t.Fatalf("reach: %d", rec.Code)
	}
	t.Logf("a warmed page took %s", time.Since(start))
}

func TestSSDA903Command(t *testing.T) {
	out, _, err := hubs(t, "ssda903", "--council", "stockport", "--year", "2025", "../../ssda903/testdata/header.csv", "../../ssda903/testdata/episodes.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "31 March 2025: 3 looked after; does not reconcile (-482)") || !strings.Contains(out, "published 485") {
		t.Errorf("ssda903 printed:\n%s", out)
	}
	_, _, err = hubs(t, "ssda903", "--council", "stockport", "../../ssda903/testdata/episodes.csv", "../../ssda903/testdata/header.csv")
	if err == nil || !strings.Contains(err.Error(), "missing column") {
		t.Errorf("files the wrong way round: %v", err)
	}
	// Data to Insight's fake return: findings listed as warnings, every 31 March counted
	out, _, err = hubs(t, "ssda903", "--council", "wolverhampton", "../../ssda903/testdata/d2i/header.csv", "../../ssda903/testdata/d2i/episodes.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"1423 data-quality finding(s), as warnings",
		"DfE rule 148: 1413 finding(s)",
		"episodes.csv:3: column 9 REC: DfE rule 148",
		"31 March 2015: 74 looked after",
		"31 March 2017: 1764 looked after",
		"31 March 2018: 1201 looked after; does not reconcile (+552)",
		"31 March 2019: 1175 looked after",
		"16 child(ren) left out as 18 or over",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	out, _, err = hubs(t, "ssda903", "--council", "wolverhampton", "../../ssda903/testdata/d2i/fake_903.xml")
	if err != nil || !strings.Contains(out, "31 March 2017: 162 looked after") || !strings.Contains(out, "CHILD 4 (CHILDID 924249), EPISODE 2: REC: DfE rule 148") {
		t.Errorf("XML return: %v\n%s", err, out)
	}
}

func TestReturnCommand(t *testing.T) {
	base := t.TempDir() + "/q"
	out, _, err := hubs(t, "return", "--council", "kirklees", "--period", "2025-26Q3", "-o", base)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "OFFICIAL-SENSITIVE") || !strings.Contains(out, "Kirklees, 2025-26Q3") {
		t.Errorf("return printed:\n%s", out)
	}
	for _, f := range []string{base + ".csv", base + ".xlsx", base + "-validation.txt"} {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	if _, _, err := hubs(t, "return", "--council", "kirklees", "--period", "2026-27Q4", "-o", base); err == nil {
		t.Error("a return for a quarter beyond the data passed validation")
	}
}

// hubs bench prints one row per question and page and a clean loopback load test.
func TestBenchPrintsOneTable(t *testing.T) {
	out, _, err := hubs(t, "bench", "--reps", "1", "--seconds", "1", "--clients", "2", "--build=false", "--load=false")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range queries.All() {
		if !strings.Contains(out, "query "+q.Name+" ") {
			t.Errorf("no row for query %s", q.Name)
		}
	}
	for _, p := range dashboards.Pages {
		if !strings.Contains(out, "page "+p.Slug+" (page cached)") {
			t.Errorf("no row for page %s", p.Slug)
		}
	}
	// each question that reads contacts is timed both ways, with the ratio
	if !regexp.MustCompile(`query reach_by_decile +[0-9.]+ ms +[0-9.]+ ms +[0-9.]+ ms +[0-9.]+ ms +[0-9.]+x`).MatchString(out) {
		t.Errorf("no raw timing and ratio for reach_by_decile:\n%s", out)
	}
	if !regexp.MustCompile(`load test, 2 clients, 1s, .* 0 errors of [1-9]`).MatchString(out) || !strings.Contains(out, "peak memory") {
		t.Errorf("bench printed:\n%s", out)
	}
}

// `hubs cin` counts a census file at every 31 March it covers and compares each count with DfE's
// published figure (the counts are worked by hand in cin/cin_test.go; Stockport published 2,587
// children in need, 273 on plans, 3,676 referrals and 792 re-referrals for 2025).
func TestCINCommand(t *testing.T) {
	out, _, err := hubs(t, "cin", "--council", "stockport", "../../cin/testdata/multiyear.xml")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Stockport: 8 children, 10 CIN episodes, 2 child protection plans read from ../../cin/testdata/multiyear.xml",
		"31 March 2023:\n  children in need at 31 March: 3; does not reconcile (-2178)",
		"re-referrals within 12 months: not counted: the file does not cover the year before",
		"31 March 2024:\n  children in need at 31 March: 2;",
		"31 March 2025:\n  children in need at 31 March: 5; does not reconcile (-2582)",
		"on a child protection plan at 31 March: 1; does not reconcile (-272)",
		"referrals in the year: 4; does not reconcile (-3672)",
		"re-referrals within 12 months: 1; does not reconcile (-791)",
		"episodes by factor code: 3A 1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "finding(s)") {
		t.Errorf("a clean file has findings:\n%s", out)
	}
	// a broken file: findings listed by rule as warnings, counting goes on
	out, _, err = hubs(t, "cin", "--council", "stockport", "--year", "2025", "--findings", "1", "../../cin/testdata/broken.xml")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"25 data-quality finding(s), as warnings; 3 episode(s) and 2 plan(s) could not be counted",
		"DfE rule 8630: 1 finding(s)",
		"broken.xml:28: Child 2 (LAchildID K2), CINdetails 2: CINclosureDate: DfE rule 8630",
		"children in need at 31 March: 3;",
		"4 open episodes",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	// only an unreadable file is an error
	if _, _, err := hubs(t, "cin", "../../ssda903/testdata/d2i/fake_903.xml"); err == nil || !strings.Contains(err.Error(), "the root element is EXPSSDA903") {
		t.Errorf("an SSDA903 file read as a CIN census: %v", err)
	}
}

// `hubs ssd` reads the SSD extract of ssd/testdata/extract (its counts worked by hand in
// ssd/ssd_test.go), prints its findings and the counts at every 31 March, places the children at
// home with the demo look-up, and writes load files that hubs load takes.
func TestSSDCommand(t *testing.T) {
	out, _, err := hubs(t, "ssd", "../../ssd/testdata/extract", "--postcodes", "demo", "--findings", "1")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"8 people, 7 family rows, 8 addresses, 6 contacts, 4 early help episodes, 5 episodes of need, 4 protection plans, 6 episodes of care, 4 legal statuses",
		"10 data-quality finding(s), as warnings; 7 row(s) not used",
		"ssd_address.csv:10: column 5 addr_address_start_date (ADDR004A): address start date: \"yesterday\" is not a date",
		"31 March 2021: 1 in need, 0 on protection plans, 0 looked after",
		"31 March 2023: 3 in need, 1 on protection plans, 1 looked after",
		"31 March 2025: 2 in need, 1 on protection plans, 1 looked after\n  left out: 1 on short breaks only (V3, V4): 104; 1 aged 18 or over with an episode of care still open: 103; 1 protection plan(s) of other councils\n  3 of 3 children placed at home in 3 LSOA(s)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "31 March 2020") || strings.Contains(out, "31 March 2026") {
		t.Errorf("counted outside the years the extract covers:\n%s", out)
	}
	dir := t.TempDir()
	if _, _, err := hubs(t, "ssd", "../../ssd/testdata/extract", "--out", dir); err == nil || !strings.Contains(err.Error(), "--out needs --council") {
		t.Errorf("--out without --council: %v", err)
	}
	out, _, err = hubs(t, "ssd", "../../ssd/testdata/extract", "--out", dir, "--council", "stockport")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"families.csv 4 families (home postcodes), people.csv 6, contacts.csv 9",
		"localities.csv, sites.csv, plan.csv of Stockport",
		"channel home visit for 9 contact(s), service_code parenting for 6 contact(s); site_id and carer_id blank; service_code read from earl_episode_reason for 3 contact(s)",
		"4 conversion finding(s)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	db := filepath.Join(t.TempDir(), "council.duckdb")
	out, _, err = hubs(t, "load", "--db", db, "--postcodes", "demo", dir)
	if err != nil || !strings.Contains(out, "families.csv: 4 of 4 postcodes placed") || !strings.Contains(out, "councils [E08000007]") {
		t.Errorf("hubs load of the converted extract: %v\n%s", err, out)
	}
	// an extract without a table is an error, naming it
	bad := t.TempDir()
	_, _, err = hubs(t, "ssd", bad)
	if err == nil || !strings.Contains(err.Error(), "ssd_person.csv:0:0: not found in") {
		t.Errorf("an empty folder: %v", err)
	}
}
