package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"familyhubs/internal/testdata"
	"familyhubs/returns"
)

// A period that is not one whole quarter within the data is refused before anything is written,
// with one message saying which periods are accepted and the latest quarter there is.
func TestReturnRefusesAPeriodThatIsNotAQuarterWithinTheData(t *testing.T) {
	latest := returns.LatestQuarter(testdata.Warehouse(t).DataEnd).Label
	for _, period := range []string{"2024-25", "2024-06", "2024-04-01..2024-05-31", "2024", "2024-25Q5", "2026-27Q4", "2012-13Q1"} {
		dir := t.TempDir()
		out, errOut, err := hubs(t, "return", "--council", "stockport", "--period", period, "-o", dir+"/q")
		if err == nil {
			t.Errorf("--period %s: accepted", period)
			continue
		}
		msg := err.Error()
		if !regexp.MustCompile(`\b\d{4}-\d{2}Q[1-4]\b`).MatchString(strings.ReplaceAll(msg, latest, "")) ||
			!strings.Contains(msg, "latest quarter available is "+latest) || strings.Count(msg, "\n") > 0 {
			t.Errorf("--period %s: %q", period, msg)
		}
		if out != "" || errOut != "" {
			t.Errorf("--period %s printed:\n%s%s", period, out, errOut)
		}
		if files, _ := os.ReadDir(dir); len(files) != 0 {
			t.Errorf("--period %s: wrote %d file(s)", period, len(files))
		}
	}
}

// The demo's return says it is synthetic, and the command calls the return the tool's own
// specification, never the DfE return.
func TestReturnCommandSaysWhatItIs(t *testing.T) {
	base := t.TempDir() + "/q"
	out, _, err := hubs(t, "return", "--council", "kirklees", "--period", "2025-26Q3", "-o", base)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	_, help, _ := hubs(t, "return", "--help")
	dfe := regexp.MustCompile(`(?i)DfE('s)? (quarterly )?returns?\b|returns? (to|for|of) (the )?(DfE|Department for Education)`)
	for name, text := range map[string]string{"output": out, "help": help} {
		if m := dfe.FindString(text); m != "" {
			t.Errorf("the %s says %q", name, m)
		}
		if !strings.Contains(text, "own specification of the Family Hubs and Start for Life quarterly return") {
			t.Errorf("the %s does not say whose specification the return is:\n%s", name, text)
		}
	}
	if !strings.Contains(out, "SYNTHETIC demo data: not for submission") || !strings.Contains(out, "(OFFICIAL-SENSITIVE") {
		t.Errorf("the output does not say the demo's return is synthetic:\n%s", out)
	}
}
