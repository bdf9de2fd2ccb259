package briefings

import (
	"bytes"
	"html"
	"strings"
	"testing"

	"familyhubs/answers"
)

// The briefing's Access and Best Start section is in the HTML briefing of every demo council,
// with the sentences a cabinet reads worked from the section's own figures; Stockport's by hand
// from the questions' rows for 2024-25 (access_coverage: 2,451 of 2,689 children 0-4 in IDACI
// deciles 1-2 within 2 km of a hub, 11,054 of 14,277 others; access_next_hub: Stockport 001A
// brings the other 238; early_years: GLD 68 in 2024/25, England 68.3, 2.33 points a year to 75).
// The fpdf PDF prints the same section (Stockport).
func TestAccessInTheBriefing(t *testing.T) {
	for _, council := range demoCouncils {
		fig, err := Gather(ctx, service(t), filters(t, council, "2024-25"))
		if err != nil {
			t.Fatal(err)
		}
		var page bytes.Buffer
		if err := fig.HTML(date, &page); err != nil {
			t.Fatal(err)
		}
		text := flat(html.UnescapeString(page.String()))
		if !strings.Contains(text, `id="access-and-best-start">Access and Best Start</h2>`) {
			t.Errorf("%s: no Access and Best Start section", council)
		}
		var section []*answers.Drawn
		for i, sec := range answers.Briefing {
			if sec.Heading == answers.AccessHeading {
				section = fig.Sections[i]
			}
		}
		for _, s := range answers.AccessMessages(section) {
			if !strings.Contains(text, s) {
				t.Errorf("%s: %q not in the HTML briefing", council, s)
			}
		}
		if council != "stockport" {
			continue
		}
		pdf := flat(render2(t, fig))
		for _, s := range []string{
			"91.1% of children aged 0-4 in the most deprived neighbourhoods live within 2 km of a family hub (77.4% of other children); one more hub at Stockport 001A would raise it to 100.0%.",
			"68.0% of children reached a good level of development in 2024/25 (England 68.3%); reaching 75% by 2028 needs 2.3 points a year.",
		} {
			if !strings.Contains(text, s) {
				t.Errorf("stockport: %q not in the HTML briefing", s)
			}
			if !strings.Contains(pdf, flat(s)) {
				t.Errorf("stockport: %q not in the PDF briefing", s)
			}
		}
	}
}
