package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"familyhubs/browser"
	"familyhubs/internal/testdata"
)

// hubs brief writes the HTML briefing (byte-identical for a fixed date), the untagged PDF saying
// it is untagged, and by default the tagged PDF where Chromium is installed; one form at a time.
func TestBriefForms(t *testing.T) {
	testdata.Warehouse(t)
	dir := t.TempDir()
	brief := func(file string, flags ...string) (string, []byte) {
		t.Helper()
		out, _, err := hubs(t, append([]string{"brief", "--council", "kirklees", "--period", "2024-25Q3", "--date", "2026-11-22", "-o", filepath.Join(dir, file)}, flags...)...)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		return out, b
	}
	out, page := brief("a.html", "--html")
	if !strings.Contains(out, "Kirklees, 2024-25Q3: HTML briefing") || !bytes.HasPrefix(page, []byte("<!DOCTYPE html>")) {
		t.Errorf("--html: %s %.40q", out, page)
	}
	if _, again := brief("b.html", "--html"); !bytes.Equal(page, again) {
		t.Error("two HTML briefings with the same --date differ")
	}
	out, pdf := brief("u.pdf", "--untagged")
	if !strings.Contains(out, "untagged PDF (fpdf): not for publishing") || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("--untagged: %s", out)
	}
	if _, _, err := hubs(t, "brief", "--html", "--tagged", "-o", filepath.Join(dir, "x")); err == nil || !strings.Contains(err.Error(), "give one of") {
		t.Errorf("--html --tagged: %v", err)
	}
	if _, err := browser.Find(); errors.Is(err, browser.ErrNoChromium) {
		t.Skip("no Chromium: the tagged PDF is tested where it is installed")
	}
	out, pdf = brief("t.pdf")
	if !strings.Contains(out, "tagged PDF (Chromium)") || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("the default PDF where Chromium is installed: %s", out)
	}
}
