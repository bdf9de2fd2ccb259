package ssda903

import (
	"os"
	"strings"
	"testing"
	"time"
)

func read(t *testing.T) ([]Child, []Episode) {
	t.Helper()
	h, err := os.Open("testdata/header.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	children, err := ReadHeader(h, "header.csv")
	if err != nil {
		t.Fatal(err)
	}
	e, err := os.Open("testdata/episodes.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	episodes, err := ReadEpisodes(e, "episodes.csv", children)
	if err != nil {
		t.Fatal(err)
	}
	return children, episodes
}

// Hand-counted: at 31 March 2025 A1 (open), C3 (ends 1 April) and E5 (two open episodes, one
// child) are looked after; B2 ceased on 31 March, D4 is on short breaks (V3), F6 starts on 1 April,
// G7 left in December.
func TestLookedAfterAt31March(t *testing.T) {
	children, episodes := read(t)
	if len(children) != 7 || len(episodes) != 8 {
		t.Fatalf("%d children, %d episodes", len(children), len(episodes))
	}
	day := time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)
	if got := LookedAfterAt(episodes, day); got != 3 {
		t.Errorf("looked after at 31 March 2025: %d, want 3", got)
	}
	// a year earlier: B2 (from October 2023), E5, G7
	if got := LookedAfterAt(episodes, day.AddDate(-1, 0, 0)); got != 3 {
		t.Errorf("looked after at 31 March 2024: %d, want 3", got)
	}
	if got := LookedAfterAt(episodes, day.AddDate(1, 0, 0)); got != 3 { // A1, D4 excluded, E5, F6
		t.Errorf("looked after at 31 March 2026: %d, want 3", got)
	}
}

func TestReconcile(t *testing.T) {
	for _, c := range []struct {
		counted, published int
		want               string
	}{{485, 485, "reconciles"}, {488, 485, "within 1%"}, {470, 485, "does not reconcile (-15)"}} {
		if got := Reconcile(2025, c.counted, c.published); !strings.Contains(got.Verdict, c.want) {
			t.Errorf("%d vs %d: %s", c.counted, c.published, got.Verdict)
		}
	}
}

// A broken file gets every fault reported at once, each with file, line and column.
func TestEveryFaultIsReported(t *testing.T) {
	header := "CHILD,SEX,DOB\nA1,1,14/02/2012\nA1,2,01/01/2010\nB2,3,31/02/2011\n,1,01/01/2012\n"
	children, err := ReadHeader(strings.NewReader(header), "header.csv")
	want := []string{
		"header.csv:3:1: CHILD: child A1 is already on line 2",
		"header.csv:4:4: SEX: \"3\": use 1 (male) or 2 (female)",
		"header.csv:4:6: DOB: \"31/02/2011\" is not a date as DD/MM/YYYY",
		"header.csv:5:1: CHILD: the child's id is blank",
	}
	checkErrors(t, err, want)
	episodes := "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n" +
		"A1,2024-05-01,S,C2,N1,U1,PR1,,,,,,\n" + // wrong date format
		"A1,01/05/2024,S,Z9,N1,U1,PR1,,,,,,\n" + // unknown legal status
		"A1,01/05/2024,S,C2,N1,U1,PR1,01/04/2024,E3,,,,\n" + // ends before it starts
		"A1,01/05/2024,S,C2,N1,U1,PR1,,E3,,,,\n" + // reason ended with no end
		"A1,01/05/2024,S,C2,N1,U1,PR1,02/05/2024,,,,,\n" + // ended with no reason
		"Q9,01/05/2024,S,C2,N1,U1,PR1,,,,,,\n" + // child not in the header
		"A1,\"01/05/2024,S,C2\n" // unterminated quote
	_, err = ReadEpisodes(strings.NewReader(episodes), "episodes.csv", children)
	checkErrors(t, err, []string{
		"episodes.csv:2:4: DECOM: \"2024-05-01\" is not a date as DD/MM/YYYY",
		"episodes.csv:3:17: LS: \"Z9\" is not an SSDA903 legal status",
		"episodes.csv:4:30: DEC: the episode ends (01/04/2024) before it starts (01/05/2024)",
		"episodes.csv:5:31: REC: \"E3\" given, but the episode has no end date",
		"episodes.csv:6:41: REC: an episode with an end date needs the reason it ended",
		"episodes.csv:7:1: CHILD: child Q9 has no row in the header table",
		"episodes.csv:8:21: malformed CSV",
	})
	_, err = ReadEpisodes(strings.NewReader("CHILD,DECOM\nA1,01/05/2024\n"), "short.csv", nil)
	checkErrors(t, err, []string{"short.csv:1:3: missing column RNE", "short.csv:1:3: missing column URN"})
	_, err = ReadHeader(strings.NewReader(""), "empty.csv")
	checkErrors(t, err, []string{"empty.csv:1:1: the file is empty"})
}

func checkErrors(t *testing.T, err error, want []string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want %v", want)
	}
	got := err.Error()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
}

func FuzzReadEpisodes(f *testing.F) {
	seed, _ := os.ReadFile("testdata/episodes.csv")
	f.Add(string(seed))
	f.Add("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\nA,\"1")
	f.Add("\ufeffCHILD\n\"")
	f.Fuzz(func(t *testing.T, s string) {
		eps, err := ReadEpisodes(strings.NewReader(s), "f.csv", nil)
		if err == nil {
			LookedAfterAt(eps, time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC))
			Years(eps)
		}
	})
}

func FuzzReadHeader(f *testing.F) {
	seed, _ := os.ReadFile("testdata/header.csv")
	f.Add(string(seed))
	f.Add("CHILD,SEX,DOB\n,,\n\"")
	f.Fuzz(func(t *testing.T, s string) {
		ReadHeader(strings.NewReader(s), "f.csv")
	})
}
