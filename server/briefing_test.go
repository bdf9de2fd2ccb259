package server_test

import (
	"bytes"
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"familyhubs/answers"
	"familyhubs/briefings"
	"familyhubs/internal/testdata"
	"familyhubs/queries"
	"familyhubs/server"
)

func pdfToText(t *testing.T, pdf []byte) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "b.pdf")
	os.WriteFile(file, pdf, 0o600)
	text, err := exec.Command("pdftotext", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (poppler-utils): %v", err)
	}
	return strings.Join(strings.Fields(string(text)), " ")
}

// GET /briefings/{council}/{period} serves the HTML briefing: the very page `hubs brief --html`
// writes for today, under a policy allowing only its own stylesheet by hash, with the same
// headline figures as the PDF at the same address with .pdf; the PDF is the untagged one, so
// labelled. A bad period or council is a 400, as for the PDF.
func TestBriefingHTMLRoute(t *testing.T) {
	db := testdata.Warehouse(t)
	srv := httptest.NewServer(server.New(db, log.New(io.Discard, "", 0)))
	t.Cleanup(srv.Close)
	fetch := func(path string) (*http.Response, []byte) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	resp, page := fetch("/briefings/stockport/2024-25")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("%d %s: %.200s", resp.StatusCode, resp.Header.Get("Content-Type"), page)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if csp != briefings.ContentSecurityPolicy || !strings.Contains(csp, "style-src 'sha256-") || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "script-src") {
		t.Errorf("policy %q", csp)
	}
	if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("the briefing lost the hardened headers: %v", resp.Header)
	}
	c, err := queries.FindCouncil(context.Background(), db, "stockport")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := queries.ParsePeriod("2024-25")
	a := answers.New(db, db.Version, db.DataEnd)
	standalone, err := briefings.HTMLBytes(context.Background(), a, briefings.Request{Filters: queries.Filters{Council: c, Period: p}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(page, standalone) {
		t.Error("the served HTML briefing is not the page hubs brief --html writes")
	}
	resp, pdf := fetch("/briefings/stockport/2024-25.pdf")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("PDF: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	text := pdfToText(t, pdf)
	v, err := a.NewView(context.Background(), queries.Filters{Council: c, Period: p}, briefings.Policy, "")
	if err != nil {
		t.Fatal(err)
	}
	h, err := a.Headlines(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	for _, tile := range h.Tiles {
		if !bytes.Contains(page, []byte(tile.Value)) || !strings.Contains(text, tile.Value) {
			t.Errorf("the headline %s %q is not in both the HTML and the PDF", tile.Label, tile.Value)
		}
	}
	if !strings.Contains(text, "Untagged PDF") {
		t.Error("the served PDF does not say it is untagged")
	}
	for path, want := range map[string]int{
		"/briefings/stockport/2025-06-03..2025-06-03": 400,
		"/briefings/nowhere/2024-25":                  400,
		"/briefings/stockport/2027-28":                404,
	} {
		if resp, body := fetch(path); resp.StatusCode != want {
			t.Errorf("%s: %d, want %d (%.100s)", path, resp.StatusCode, want, body)
		}
	}
}

// The HTML briefing keeps the PDF's access rules and scope: signed out 401; a viewer sees any
// council; a locality manager only their council and locality, their briefing naming no other
// locality; a Kirklees manager not Stockport; someone with no role nothing.
func TestBriefingHTMLAccess(t *testing.T) {
	s := startSignedIn(t)
	anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if code, _ := get(t, anon, s.base+"/briefings/stockport/2024-25"); code != http.StatusUnauthorized {
		t.Errorf("signed out: %d, want 401", code)
	}
	clients := map[string]*http.Client{
		"viewer":   s.client(t, "vera", "hub-viewers"),
		"manager":  s.client(t, "mo", "brinnington-managers"),
		"kirklees": s.client(t, "kim", "kirklees-managers"),
		"nobody":   s.client(t, "nina", "nobody"),
	}
	for _, c := range []struct {
		who, url string
		code     int
	}{
		{"viewer", "/briefings/stockport/2024-25", 200},
		{"viewer", "/briefings/kirklees/2024-25Q3", 200},
		{"manager", "/briefings/stockport/2024-25", 200},
		{"manager", "/briefings/kirklees/2024-25", 403},
		{"manager", "/briefings/stockport/2024-25?locality=Marple", 403},
		{"kirklees", "/briefings/kirklees/2024-25", 200},
		{"kirklees", "/briefings/stockport/2024-25", 403},
		{"nobody", "/briefings/stockport/2024-25", 403},
	} {
		code, body := get(t, clients[c.who], s.base+c.url)
		if code != c.code {
			t.Errorf("%s %s: %d, want %d (%.120s)", c.who, c.url, code, c.code, body)
		}
	}
	_, page := get(t, clients["manager"], s.base+"/briefings/stockport/2024-25")
	if !strings.Contains(page, managerLocality) {
		t.Errorf("the manager's HTML briefing does not say it is about %s", managerLocality)
	}
	for _, other := range []string{"Marple", "Cheadle and Bramhall", "Werneth", "Stepping Hill"} {
		if strings.Contains(page, other) {
			t.Errorf("the manager's HTML briefing names %s", other)
		}
	}
}
