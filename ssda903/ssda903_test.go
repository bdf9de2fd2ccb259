package ssda903

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func readCSVFiles(t *testing.T, header, episodes string) *Return {
	t.Helper()
	h, err := os.Open(header)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	e, err := os.Open(episodes)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	r, err := ReadCSV(h, header, e, episodes)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Hand-counted: at 31 March 2025 A1 (open), C3 (ends 1 April) and E5 (two open episodes, one
// child) are looked after; B2 ceased on 31 March, D4 is on short breaks (V3), F6 starts on 1 April,
// G7 left in December.
func TestLookedAfterAt31March(t *testing.T) {
	r := readCSVFiles(t, "testdata/header.csv", "testdata/episodes.csv")
	if len(r.Children) != 7 || len(r.Episodes) != 8 {
		t.Fatalf("%d children, %d episodes", len(r.Children), len(r.Episodes))
	}
	day := time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)
	if got := LookedAfterAt(r.Episodes, day); got != 3 {
		t.Errorf("looked after at 31 March 2025: %d, want 3", got)
	}
	// a year earlier: B2 (from October 2023), E5, G7
	if got := LookedAfterAt(r.Episodes, day.AddDate(-1, 0, 0)); got != 3 {
		t.Errorf("looked after at 31 March 2024: %d, want 3", got)
	}
	if got := LookedAfterAt(r.Episodes, day.AddDate(1, 0, 0)); got != 3 { // A1, D4 excluded, E5, F6
		t.Errorf("looked after at 31 March 2026: %d, want 3", got)
	}
}

// Data to Insight's public fake return (2,675 children, 5,050 episodes, made to break DfE's
// validation rules) is read, its findings are warnings, and children are counted at every 31
// March it covers. Expected counts were worked out with a separate script (testdata/d2i/NOTICE.md).
func TestDataToInsightFakeReturn(t *testing.T) {
	r := readCSVFiles(t, "testdata/d2i/header.csv", "testdata/d2i/episodes.csv")
	if len(r.Children) != 2675 || len(r.Episodes) != 5050 || r.Skipped != 0 {
		t.Fatalf("%d children, %d episodes, %d skipped", len(r.Children), len(r.Episodes), r.Skipped)
	}
	if got := Years(r.Episodes); !slices.Equal(got, []int{2015, 2016, 2017, 2018, 2019}) {
		t.Errorf("years %v: the episodes run from January 2015 to 1 April 2018 (collection year to 31 March 2019)", got)
	}
	want := map[int][2]int{2015: {74, 0}, 2016: {510, 0}, 2017: {1764, 0}, 2018: {1201, 0}, 2019: {1175, 16}}
	for y, w := range want {
		c := r.CountAt(y)
		if c.LookedAfter != w[0] || len(c.Aged18) != w[1] {
			t.Errorf("31 March %d: %d looked after, %d left out as 18 or over; want %d and %d", y, c.LookedAfter, len(c.Aged18), w[0], w[1])
		}
	}
	rules := map[string]int{}
	for _, f := range r.Findings {
		rules[f.Rule]++
	}
	// 1,413 open episodes carry a reason ceased (X1 and others); 10 children start a new episode
	// while the one before is open; nothing else in these two tables breaks a rule checked here
	if rules["148"] != 1413 || rules["142"] != 10 || len(r.Findings) != 1423 {
		t.Errorf("findings by rule %v (%d in all)", rules, len(r.Findings))
	}
	var first148 string
	for _, f := range r.Findings {
		if f.Rule == "148" {
			first148 = f.String()
			break
		}
	}
	// the place is a line, a column number and its name
	if want := "testdata/d2i/episodes.csv:3: column 9 REC: DfE rule 148: reason episode ceased \"X1\" given but no date it ceased (DEC)"; !strings.HasPrefix(first148, want) {
		t.Errorf("first rule 148 finding:\n%s\nwant it to start\n%s", first148, want)
	}
	sum := Summary(r.Findings, 2)
	if len(sum) != 6 || sum[0] != "DfE rule 148: 1413 finding(s)" || sum[3] != "DfE rule 142: 10 finding(s)" {
		t.Errorf("summary:\n%s", strings.Join(sum, "\n"))
	}
}

// The same fake return as XML (DfE's EXPSSDA903 shape, a smaller set of 253 children).
func TestDataToInsightFakeXML(t *testing.T) {
	f, err := os.Open("testdata/d2i/fake_903.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := ReadXML(f, "fake_903.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Children) != 253 || len(r.Episodes) != 459 {
		t.Fatalf("%d children, %d episodes", len(r.Children), len(r.Episodes))
	}
	want := map[int][2]int{2015: {8, 0}, 2016: {44, 0}, 2017: {162, 0}, 2018: {110, 0}, 2019: {107, 2}}
	if got := Years(r.Episodes); !slices.Equal(got, []int{2015, 2016, 2017, 2018, 2019}) {
		t.Errorf("years %v", got)
	}
	for y, w := range want {
		c := r.CountAt(y)
		if c.LookedAfter != w[0] || len(c.Aged18) != w[1] {
			t.Errorf("31 March %d: %d looked after, %d left out as 18 or over; want %d and %d", y, c.LookedAfter, len(c.Aged18), w[0], w[1])
		}
	}
	n148 := 0
	for _, f := range r.Findings {
		if f.Rule == "148" {
			if n148 == 0 && (!strings.Contains(f.String(), "CHILD 2 (CHILDID 228005), EPISODE 4: REC: DfE rule 148")) {
				t.Errorf("first rule 148 finding does not name its child and episode: %s", f)
			}
			n148++
		}
	}
	if n148 != 133 {
		t.Errorf("%d rule 148 findings, want 133", n148)
	}
}

// The years bug: a child looked after from September 2019 to December 2024 is counted at each
// of the five 31 Marches between, not only at the first two.
func TestEveryThirtyFirstMarchIsCounted(t *testing.T) {
	header := "CHILD,SEX,DOB\nA1,1,01/01/2012\n"
	episodes := "CHILD,DECOM,LS,DEC,REC\nA1,15/09/2019,C2,10/12/2024,E11\n"
	r, err := ReadCSV(strings.NewReader(header), "h.csv", strings.NewReader(episodes), "e.csv")
	if err != nil {
		t.Fatal(err)
	}
	years := Years(r.Episodes)
	if !slices.Equal(years, []int{2020, 2021, 2022, 2023, 2024, 2025}) {
		t.Fatalf("years %v", years)
	}
	for _, y := range years {
		want := 1
		if y == 2025 {
			want = 0 // ceased in December 2024
		}
		if got := r.CountAt(y).LookedAfter; got != want {
			t.Errorf("31 March %d: %d, want %d", y, got, want)
		}
	}
	// the missing columns DfE's specification has are findings, not errors
	missing := 0
	for _, f := range r.Findings {
		if strings.Contains(f.Message, "column missing") {
			missing++
		}
	}
	if missing != 4+8 { // header: ETHNIC, UPN, MOTHER, MC_DOB; episodes: RNE, CIN, PLACE, PLACE_PROVIDER, REASON_PLACE_CHANGE, HOME_POST, PL_POST, URN
		t.Errorf("%d missing-column findings: %v", missing, r.Findings)
	}
}

// A broken return gets every finding at once, each with file, line, column number and name and
// DfE's rule; counting goes on, leaving out only episodes whose dates cannot be placed.
func TestFindingsAreWarnings(t *testing.T) {
	header := "CHILD,SEX,DOB\nA1,1,14/02/2012\nA1,2,01/01/2010\nB2,3,31/02/2011\n,1,01/01/2012\n"
	episodes := "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n" +
		"A1,2024-05-01,S,C2,N1,U1,PR1,,,,,,\n" + // wrong date format: not counted
		"A1,01/05/2024,S,Z9,N1,U1,PR1,,,,,,\n" + // unknown legal status: counted
		"B2,01/05/2024,S,C2,N1,U1,PR1,01/04/2024,E3,,,,\n" + // ends before it starts: not counted
		"B2,01/06/2024,Q,C2,N9,XX,PR1,,E3,,,,\n" + // reason ended with no end; bad RNE, CIN, PLACE
		"C3,01/05/2024,S,C2,N1,U1,PR1,02/05/2024,,,,,\n" + // ended with no reason
		"Q9,01/05/2024,S,C2,N1,U1,PR1,,,,,,\n" + // child not in the header: counted
		"A1,\"01/05/2024,S,C2\n" // unterminated quote
	r, err := ReadCSV(strings.NewReader(header), "header.csv", strings.NewReader(episodes), "episodes.csv")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range r.Findings {
		got = append(got, f.String())
	}
	for _, w := range []string{
		"header.csv:3: column 1 CHILD: child A1 already has a header row (line 2)",
		"header.csv:4: column 2 SEX: DfE rule 101: \"3\" is not a valid sex code",
		"header.csv:4: column 3 DOB: DfE rule 102: \"31/02/2011\" is not a date as DD/MM/YYYY (counted, but the age at 31 March cannot be checked)",
		"header.csv:5: column 1 CHILD: the child's id is blank (header row not read)",
		"episodes.csv:2: column 2 DECOM: DfE rule 141: date episode began: \"2024-05-01\" is not a date as DD/MM/YYYY (episode not counted)",
		"episodes.csv:3: column 4 LS: DfE rule 144: \"Z9\" is not a valid legal status",
		"episodes.csv:4: column 8 DEC: DfE rule 356: the episode ceased (01/04/2024) before it began (01/05/2024) (episode not counted)",
		"episodes.csv:5: column 9 REC: DfE rule 148: reason episode ceased \"E3\" given but no date it ceased (DEC)",
		"episodes.csv:5: column 3 RNE: DfE rule 143:",
		"episodes.csv:5: column 5 CIN: DfE rule 145:",
		"episodes.csv:5: column 6 PLACE: DfE rule 146: \"XX\"",
		"episodes.csv:6: column 9 REC: DfE rule 148: the episode has a date it ceased but no reason",
		"episodes.csv:7: column 1 CHILD: child Q9 has no row in the header table",
		"episodes.csv:8: column 21: malformed CSV line",
	} {
		found := false
		for _, g := range got {
			found = found || strings.HasPrefix(g, w)
		}
		if !found {
			t.Errorf("missing finding %q in:\n%s", w, strings.Join(got, "\n"))
		}
	}
	if r.Skipped != 2 || len(r.Episodes) != 4 {
		t.Errorf("%d episodes counted, %d skipped; want 4 and 2", len(r.Episodes), r.Skipped)
	}
	// counting went on: at 31 March 2025, A1 (Z9 status), B2 (open, second episode), Q9; C3 ended
	if got := r.CountAt(2025).LookedAfter; got != 3 {
		t.Errorf("31 March 2025: %d, want 3", got)
	}
}

// Only a file that cannot be read is an error: empty, missing a column counting needs, not XML.
func TestUnreadableFilesAreErrors(t *testing.T) {
	_, err := ReadCSV(strings.NewReader("CHILD,SEX,DOB\n"), "h.csv", strings.NewReader("CHILD,DECOM\nA1,01/05/2024\n"), "short.csv")
	checkErrors(t, err, []string{"short.csv:1:3: missing column LS: counting needs it", "short.csv:1:3: missing column DEC"})
	_, err = ReadCSV(strings.NewReader(""), "empty.csv", strings.NewReader("CHILD,DECOM,LS\n"), "e.csv")
	// both files' faults at once
	checkErrors(t, err, []string{"empty.csv:1:1: the file is empty", "e.csv:1:4: missing column DEC"})
	_, err = ReadXML(strings.NewReader("<LA><CHILD/></LA>"), "x.xml")
	checkErrors(t, err, []string{"x.xml:1:0: the root element is LA"})
	_, err = ReadXML(strings.NewReader("<EXPSSDA903><CHILD><HEADER>"), "x.xml")
	checkErrors(t, err, []string{"x.xml:1:0: not readable as XML"})
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

func FuzzReadEpisodes(f *testing.F) {
	seed, _ := os.ReadFile("testdata/episodes.csv")
	f.Add(string(seed))
	f.Add("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\nA,\"1")
	f.Add("\ufeffCHILD\n\"")
	header, _ := os.ReadFile("testdata/header.csv")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ReadCSV(strings.NewReader(string(header)), "h.csv", strings.NewReader(s), "f.csv")
		if err == nil {
			for _, y := range Years(r.Episodes) {
				r.CountAt(y)
			}
			Summary(r.Findings, 3)
		}
	})
}

func FuzzReadXML(f *testing.F) {
	f.Add("<EXPSSDA903><CHILD><HEADER><CHILDID>1</CHILDID><SEX>1</SEX><DOB>01/01/2010</DOB></HEADER><EPISODE><DECOM>01/01/2020</DECOM><LS>C2</LS></EPISODE></CHILD></EXPSSDA903>")
	f.Add("<EXPSSDA903><CHILD><EPISODE><DEC>x</DEC></EPISODE></CHILD>")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ReadXML(strings.NewReader(s), "f.xml")
		if err == nil {
			for _, y := range Years(r.Episodes) {
				r.CountAt(y)
			}
		}
	})
}
