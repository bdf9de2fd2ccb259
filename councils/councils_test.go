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
