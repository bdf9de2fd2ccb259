package briefings

import (
	"strings"
	"testing"

	"familyhubs/answers"
)

// The briefing draws expectant families beside reach from the same declaration as the reach page,
// and its methods say how unborn children are counted and which ages IDACI describes.
func TestExpectantFamiliesInTheBriefing(t *testing.T) {
	_, text := render(t, "stockport", "2024-25")
	flat := strings.Join(strings.Fields(text), " ")
	for _, s := range []string{answers.Expectant.Title, answers.Expectant.Shows,
		"counts its family as an expectant family, not the unborn child as a child reached",
		"IDACI ranks neighbourhoods by children aged 0-15 in income-deprived families; reach counts children aged 0-19."} {
		if !strings.Contains(flat, strings.Join(strings.Fields(s), " ")) {
			t.Errorf("%q not in the briefing", s)
		}
	}
	if strings.Contains(flat, "including unborn children") {
		t.Error("the briefing still says children reached include unborn children")
	}
}
