package briefings

import (
	"regexp"
	"strings"
	"testing"

	"familyhubs/answers"
)

// The briefing prints the assessment factors (DfE table C3) as a compact table drawn from the same
// declaration as the care page's chart: the council, its neighbours' average, its region and
// England, to one decimal place, with DfE's symbols where it published no figure.
func TestCareFactorsInTheBriefing(t *testing.T) {
	_, text := render(t, "stockport", "2024-25")
	flat := strings.Join(strings.Fields(text), " ")
	for _, s := range []string{answers.CareFactors.Title, answers.CareFactors.Shows,
		"Stockport · year to 31 March 2025 · region: North West · DfE table C3, real figures · query care_factors"} {
		if !strings.Contains(flat, strings.Join(strings.Fields(s), " ")) {
			t.Errorf("%q not in the briefing", s)
		}
	}
	// Stockport 2024-25, read by hand from the CSV: domestic abuse concerning the parent in 1,052 of
	// 2,892 episodes (36.4%); neighbours' average 32.9; North West 33.9; England 31.7
	for _, row := range []string{
		`Domestic abuse: concerns about the parent or carer\s+36\.4\s+32\.9\s+33\.9\s+31\.7\s*\n`,
		`Domestic abuse: concerns about the child\s+12\.1\s+13\.5\s+11\.4\s+11\.3\s*\n`,
	} {
		if !regexp.MustCompile(row).MatchString(text) {
			t.Errorf("no row matching %s in the briefing", row)
		}
	}
	// 2019-20: child criminal exploitation was not yet collected, so DfE's x everywhere, not 0
	_, text = render(t, "stockport", "2019-20")
	if !regexp.MustCompile(`Child criminal exploitation\s+x\s+x\s+x\s+x\s*\n`).MatchString(text) {
		t.Error("2019-20: child criminal exploitation is not printed as DfE's x")
	}
}
