package ssda903

import (
	"fmt"
	"strings"
	"testing"
)

// Episodes join into periods looked after, by hand (../carerecords/testdata/linked/episodes.csv):
// C1's placement change the day its first episode ceased carries the period on, its episode after
// a gap starts another (though its RNE is P); C2's change of legal status carries its period on; C4
// comes back into care (RNE S) the day it left: two periods; C5's short breaks (V3) are none.
func TestPeriods(t *testing.T) {
	r := readCSVFiles(t, "../carerecords/testdata/linked/header.csv", "../carerecords/testdata/linked/episodes.csv")
	var got []string
	for _, p := range Periods(r.Episodes) {
		end := "open"
		if !p.End.IsZero() {
			end = p.End.Format("2006-01-02")
		}
		got = append(got, fmt.Sprintf("%s %s %s %d", p.Child, p.Start.Format("2006-01-02"), end, p.Episodes))
	}
	want := []string{
		"C1 2023-06-01 2024-01-15 2",
		"C1 2024-03-01 open 1",
		"C2 2023-09-01 2024-12-20 2",
		"C3 2024-01-01 open 1",
		"C4 2024-02-01 2024-05-01 1",
		"C4 2024-05-01 open 1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("periods:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
