package ssda903

import (
	"testing"
	"time"
)

// HomesAt lists exactly the children LookedAfterAt counts, at every 31 March of Data to Insight's
// fake return (74, 510, 1,764, 1,201 and 1,175 at 2015 to 2019), each once.
func TestHomesAtMatchesTheCount(t *testing.T) {
	r := readCSVFiles(t, "testdata/d2i/header.csv", "testdata/d2i/episodes.csv")
	for _, y := range Years(r.Episodes) {
		day := time.Date(y, 3, 31, 0, 0, 0, 0, time.UTC)
		homes := HomesAt(r.Episodes, day)
		seen := map[string]bool{}
		for _, h := range homes {
			if seen[h.Child] {
				t.Fatalf("%d: child %s listed twice", y, h.Child)
			}
			seen[h.Child] = true
		}
		if n := LookedAfterAt(r.Episodes, day); len(homes) != n {
			t.Errorf("31 March %d: %d homes, %d looked after", y, len(homes), n)
		}
	}
}
