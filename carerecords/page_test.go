package carerecords

import (
	"html"
	"io"
	"log"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"familyhubs/answers"
	"familyhubs/briefings"
	"familyhubs/load"
	"familyhubs/server"
	"familyhubs/warehouse"
)

// loaded is a copy of the demo warehouse with the hand-worked SSDA903 pair loaded for Stockport.
func loaded(t *testing.T) *warehouse.DB {
	t.Helper()
	base, db := copyOfDemo(t)
	look, err := load.DemoPostcodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := Read([]string{"testdata/header.csv", "testdata/episodes.csv"}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Load(ctx, db, base, stockport, recs, look, false, nil); err != nil {
		t.Fatal(err)
	}
	w, err := warehouse.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// The care page, its download and the briefing say council records for 2024-25 (31 March 2025),
// with the reconciliation line, and modelled for 2022-23.
func TestPageAndBriefingSayCouncilRecords(t *testing.T) {
	w := loaded(t)
	srv := httptest.NewServer(server.New(w, log.New(io.Discard, "", 0)))
	defer srv.Close()
	get := func(path string) string {
		t.Helper()
		res, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, res.StatusCode, b)
		}
		return html.UnescapeString(string(b))
	}
	page := get("/care?council=stockport&period=2024-25")
	for _, want := range []string{"Council records: counted from the council's own records", "COUNCIL RECORDS, looked_after at 31 March 2025",
		"COUNCIL RECORDS: counted from the council's own records at each child's home postcode", "DfE published 485"} {
		if !strings.Contains(page, want) {
			t.Errorf("the care page for 2024-25 lacks %q", want)
		}
	}
	if strings.Contains(page, "Modelled, not published: neighbourhood figures") {
		t.Error("the care page for 2024-25 still says modelled")
	}
	old := get("/care?council=stockport&period=2022-23")
	if !strings.Contains(old, "Modelled, not published: neighbourhood figures") || strings.Contains(old, "Council records: counted") {
		t.Error("the care page for 2022-23 does not say modelled, or says council records")
	}
	csv := get("/api/queries/care_by_decile.csv?council=stockport&period=2024-25&only.measure=looked_after")
	if !strings.Contains(csv, "\"council records, real\"") && !strings.Contains(csv, "council records, real") {
		t.Errorf("the download's data status does not say council records:\n%s", csv)
	}
	if strings.Contains(csv, "modelled,") {
		t.Errorf("the download of council records says modelled:\n%s", csv)
	}

	// the briefing
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) not installed: the briefing's text is not checked")
	}
	a := answers.New(w, w.Version, w.DataEnd)
	v, err := a.Parse(ctx, url.Values{"council": {"stockport"}, "period": {"2024-25"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := briefings.Bytes(ctx, a, briefings.Request{Filters: v.Filters, Date: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "b.pdf")
	os.WriteFile(file, b, 0o600)
	out, err := exec.Command(pdftotext, file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"COUNCIL RECORDS, looked_after at 31 March 2025", "· COUNCIL RECORDS", "COUNCIL RECORDS: counted from the council's own records"} {
		if !strings.Contains(text, want) {
			t.Errorf("the briefing lacks %q", want)
		}
	}
}
