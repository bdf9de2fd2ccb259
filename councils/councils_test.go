package councils

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestDemoNetworksParse(t *testing.T) {
	cs, err := LoadAll(os.DirFS("../datasets"), "councils")
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 5 {
		t.Fatalf("%d council files, want 5", len(cs))
	}
	var stockport Council
	for _, c := range cs {
		if c.Slug == "stockport" {
			stockport = c
		}
	}
	if stockport.Code != "E08000007" || len(stockport.Localities) != 7 || stockport.ChildrenUnder19Stated != 65000 {
		t.Errorf("Stockport: code %s, %d localities, %d children stated", stockport.Code, len(stockport.Localities), stockport.ChildrenUnder19Stated)
	}
	kinds := map[string]int{}
	for _, s := range stockport.Sites {
		kinds[s.Kind]++
	}
	// the seeds: two first hubs (seven networks by September 2024), eleven named bridges, online
	if kinds[Hub] != 7 || kinds[Bridge] != 11 || kinds[Online] != 1 {
		t.Errorf("Stockport site kinds %v", kinds)
	}
	var westmorland Site
	for _, s := range stockport.Sites {
		if s.ID == "STK-H01" {
			westmorland = s
		}
	}
	if !westmorland.OpenOn(time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC)) || westmorland.DesignatedOn().Format(time.DateOnly) != "2023-03-01" {
		t.Errorf("Westmorland Drive: opened %s designated %s", westmorland.OpenedOn(), westmorland.DesignatedOn())
	}
}

func TestParseErrorsNameLineAndColumn(t *testing.T) {
	_, err := Parse("x.toml", []byte("code = \"E1\"\nname = \"X\"\nslug = \"x\"\n[[site]]\nid = \"A\nkind = \"hub\"\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "x.toml:5:") {
		t.Errorf("unterminated string: got %v, want x.toml:5:col", err)
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	bad := `code = "E08000007"
name = "Stockport"
slug = "stockport"
colour = "blue"

[[locality]]
name = "North"
wards = ["A", "B"]

[[locality]]
name = "South"
wards = ["B"]

[[site]]
id = "S1"
name = "Hub"
kind = "castle"
locality = "Nowhere"
lat = 10.0
lon = 10.0
opened = 2024-01-01
designated = 2023-01-01

[[site]]
id = "S1"
name = "Online"
kind = "online"
opened = 2024-01-01
designated = 2024-01-01
closed = 2023-01-01
`
	_, err := Parse("bad.toml", []byte(bad))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`bad.toml:`, `unknown field "colour"`, `ward "B" is in both "North" and "South"`,
		`kind "castle"`, `locality "Nowhere"`, `not in England`, `designated before it opened`,
		`id used twice`, `closed on or before it opened`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
}

// planFile is a minimal council file with one plan line of the measure, plus extra lines.
func planFile(measure, extra string) []byte {
	return []byte(`code = "E08000007"
name = "Stockport"
slug = "stockport"
plan_start = 2022-04-01

[[plan]]
id = "P1"
indicator = "An indicator"
measure = "` + measure + `"
baseline = 0
target = 10
due = 2026-03-31
entered = 1
entered_on = 2024-01-01
` + extra)
}

// Each plan line says over which period it is measured; a line that does not takes its
// measure's default: reach over a financial year, sites and entered milestones on the day.
func TestPlanPeriods(t *testing.T) {
	for measure, want := range map[string]string{
		"children_reached": "financial year", "families_reached": "financial year", "fathers_reached": "financial year",
		"reach_idaci_1_2_per_1000": "financial year", "share_reach_idaci_1_2": "financial year",
		"family_hubs_designated": "on the day", "hub_networks": "on the day", "bridges_designated": "on the day",
		"entered": "on the day", "share_0_4_idaci_1_2_near_hub": "on the day", "gld_percent": "academic year",
	} {
		c, err := Parse("p.toml", planFile(measure, ""))
		if err != nil {
			t.Fatalf("%s: %v", measure, err)
		}
		if got := c.Plan[0].Period; got != want {
			t.Errorf("%s: period %q by default, want %q", measure, got, want)
		}
	}
	for _, ok := range []struct{ measure, period string }{
		{"fathers_reached", "quarter"}, {"children_reached", "to date"}, {"share_reach_idaci_1_2", "financial year"},
		{"hub_networks", "on the day"}, {"entered", "on the day"}, {"gld_percent", "academic year"},
	} {
		c, err := Parse("p.toml", planFile(ok.measure, `period = "`+ok.period+`"`))
		if err != nil {
			t.Errorf("%s over %q: %v", ok.measure, ok.period, err)
		} else if c.Plan[0].Period != ok.period {
			t.Errorf("%s: period %q, want %q", ok.measure, c.Plan[0].Period, ok.period)
		}
	}
	for _, bad := range []struct{ measure, period, want string }{
		{"fathers_reached", "fortnight", `period "fortnight" is not one of "financial year", "quarter", "to date", "on the day", "academic year"`},
		{"gld_percent", "on the day", `gld_percent is published by academic year`},
		{"children_reached", "academic year", `children_reached is counted over a span`},
		{"share_0_4_idaci_1_2_near_hub", "academic year", `share_0_4_idaci_1_2_near_hub is measured "on the day"`},
		{"fathers_reached", "on the day", `fathers_reached is counted over a span`},
		{"entered", "financial year", `entered is measured "on the day"`},
		{"bridges_designated", "quarter", `bridges_designated is measured "on the day"`},
	} {
		_, err := Parse("p.toml", planFile(bad.measure, `period = "`+bad.period+`"`))
		if err == nil || !strings.Contains(err.Error(), bad.want) || !strings.Contains(err.Error(), `plan "P1"`) {
			t.Errorf("%s over %q: error %v, want one naming plan \"P1\" and saying %s", bad.measure, bad.period, err, bad.want)
		}
	}
	// every line of the demo files states its period
	cs, err := LoadAll(os.DirFS("../datasets"), "councils")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		b, err := os.ReadFile("../datasets/" + c.File)
		if err != nil {
			t.Fatal(err)
		}
		if n, m := strings.Count(string(b), "\n[[plan]]"), strings.Count(string(b), "\nperiod = "); n != m {
			t.Errorf("%s: %d plan lines, %d state a period", c.File, n, m)
		}
	}
}

// A plan line belongs to the Transformation Fund plan unless it says it is a Best Start line; a
// line may start on its own day; anything else is refused.
func TestPlanProgrammes(t *testing.T) {
	c, err := Parse("p.toml", planFile("entered", ""))
	if err != nil {
		t.Fatal(err)
	}
	if c.Plan[0].Programme != TransformationFund || !c.Plan[0].Start.IsZero() {
		t.Errorf("a line naming no programme: %q, start %v", c.Plan[0].Programme, c.Plan[0].Start)
	}
	c, err = Parse("p.toml", planFile("gld_percent", "programme = \"best_start\"\nstart = 2025-04-01\nperiod = \"academic year\""))
	if err != nil {
		t.Fatal(err)
	}
	if m := c.Plan[0]; m.Programme != BestStart || !m.Start.Equal(time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("a Best Start line: %q from %v", m.Programme, m.Start)
	}
	for extra, want := range map[string]string{
		`programme = "sure_start"`: `programme "sure_start" is not "transformation_fund" or "best_start"`,
		`start = 2026-04-01`:       `due on or before its start`,
	} {
		if _, err := Parse("p.toml", planFile("entered", extra)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %s", extra, err, want)
		}
	}
	// every demo council has Best Start lines, all illustrative (no council has published them)
	cs, err := LoadAll(os.DirFS("../datasets"), "councils")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		n := 0
		for _, m := range c.Plan {
			if m.Programme == BestStart {
				n++
				if !m.Illustrative {
					t.Errorf("%s %s: a Best Start line not marked illustrative", c.Name, m.ID)
				}
			}
		}
		if n < 3 {
			t.Errorf("%s: %d Best Start lines", c.Name, n)
		}
	}
}
