package councils

import (
	"os"
	"strings"
	"testing"
)

// Candidate buildings for the next hub ([[candidate]]): every demo council lists a few, each
// marked illustrative, and a file's candidate is held to the rules: an id no site or other
// candidate has, a name and kind, a place in England.
func TestCandidates(t *testing.T) {
	cs, err := LoadAll(os.DirFS("../datasets"), "councils")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if len(c.Candidates) < 3 {
			t.Errorf("%s lists %d candidate buildings, want a few", c.Slug, len(c.Candidates))
		}
		for _, k := range c.Candidates {
			if !k.Illustrative || k.Kind == "" || k.Note == "" {
				t.Errorf("%s %s: illustrative %v, kind %q, note %q", c.Slug, k.ID, k.Illustrative, k.Kind, k.Note)
			}
		}
	}
	file := "code = \"E1\"\nname = \"X\"\nslug = \"x\"\n[[locality]]\nname = \"L\"\nwards = [\"W\"]\n" +
		"[[site]]\nid = \"S1\"\nname = \"Hub\"\nkind = \"hub\"\nlocality = \"L\"\nlat = 53.4\nlon = -2.1\nopened = 2020-01-01\ndesignated = 2020-01-01\n"
	ok := file + "[[candidate]]\nid = \"C1\"\nname = \"Library\"\nkind = \"library\"\nlat = 53.41\nlon = -2.15\nillustrative = true\n"
	c, err := Parse("ok.toml", []byte(ok))
	if err != nil || len(c.Candidates) != 1 || c.Candidates[0].Kind != "library" || c.Candidates[0].Lat != 53.41 {
		t.Fatalf("a good candidate: %+v, %v", c.Candidates, err)
	}
	bad := file + "[[candidate]]\nid = \"S1\"\nname = \"Library\"\nkind = \"library\"\nlat = 53.41\nlon = -2.15\n" +
		"[[candidate]]\nid = \"C2\"\nname = \"School\"\nlat = 40.0\nlon = -2.15\nfloor = 2\n"
	_, err = Parse("bad.toml", []byte(bad))
	for _, want := range []string{`candidate "S1": id used twice`, `candidate "C2": name and kind`, `candidate "C2": lat 40.0000`, `unknown field "candidate.floor"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in %v", want, err)
		}
	}
}
