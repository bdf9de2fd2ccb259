package dashboards_test

import (
	"html"
	"strings"
	"testing"
)

// The Access and Best Start page renders for every demo council with its figures and its key
// messages. Stockport's sentences are worked by hand from the questions' rows for 2024-25:
// access_coverage has 2,451 of 2,689 children 0-4 in IDACI deciles 1-2 within 2 km of a hub
// (91.1%) and 11,054 of 14,277 others (77.4%); access_next_hub's first pick, Stockport 001A,
// brings the other 238 (share after 1); early_years has GLD 68 in 2024/25, England 68.3, and a
// gain of 2.33 points a year to 75 in 2027/28.
func TestAccessPage(t *testing.T) {
	base := startServer(t)
	for _, council := range []string{"stockport", "kirklees", "wolverhampton", "cumberland", "westmorland-furness"} {
		code, body := get(t, base+"/access?council="+council+"&period=2024-25")
		if code != 200 {
			t.Fatalf("%s: %d %.300s", council, code, body)
		}
		for _, id := range []string{"access_coverage", "access_candidates", "next_hub", "next_hub_buildings", "gld", "early_years_other"} {
			if !strings.Contains(body, `id="block-`+id+`"`) {
				t.Errorf("%s: no %s block", council, id)
			}
		}
		if !strings.Contains(body, "Key messages") || !strings.Contains(body, "reached a good level of development") {
			t.Errorf("%s: no key messages", council)
		}
		if council == "stockport" {
			text := html.UnescapeString(body)
			for _, want := range []string{
				"91.1% of children aged 0-4 in the most deprived neighbourhoods live within 2 km of a family hub (77.4% of other children); one more hub at Stockport 001A would raise it to 100.0%.",
				"68.0% of children reached a good level of development in 2024/25 (England 68.3%); reaching 75% by 2028 needs 2.3 points a year.",
				"sites open on 31 March 2025",
				"Nothing is drawn for 2019/20 and 2020/21",
				"Chosen, in order: Reddish Library, Gorton Road.",
			} {
				if !strings.Contains(text, want) {
					t.Errorf("stockport: the page does not say %q", want)
				}
			}
		}
	}
}

// The fund page, at its old address, is the Programmes page: Stockport's Transformation Fund
// lines as tiles, then its Best Start lines, each tile named by its programme, and a chart for
// each programme of that programme's lines alone (fund_progress's programme column).
func TestProgrammesPage(t *testing.T) {
	base := startServer(t)
	code, body := get(t, base+"/fund?council=stockport&period=2024-25")
	if code != 200 {
		t.Fatalf("%d %.300s", code, body)
	}
	text := html.UnescapeString(body)
	if !strings.Contains(text, "<h1 class=\"govuk-heading-l\">Programmes: Transformation Fund and Best Start</h1>") {
		t.Error("the page is not headed Programmes: Transformation Fund and Best Start")
	}
	tf, bs := strings.Index(text, "Family Hubs Transformation Fund · TF1:"), strings.Index(text, "Best Start Family Hubs · BS1:")
	if tf < 0 || bs < tf {
		t.Errorf("tiles not grouped by programme (TF1 at %d, BS1 at %d)", tf, bs)
	}
	for _, id := range []string{"fund_transformation_fund", "fund_best_start"} {
		if !strings.Contains(body, `id="block-`+id+`"`) {
			t.Errorf("no %s chart", id)
		}
	}
	if !strings.Contains(text, "only.programme=best_start") {
		t.Error("the Best Start chart's CSV is not its programme's rows")
	}
}
