package cin

import (
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
)

func readFile(t *testing.T, name string) *Return {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := Read(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// testdata/multiyear.xml, worked by hand. Reference date 31 March 2025; B2's no-further-action
// referral closed on 1 April 2022 is in the collection year to 31 March 2023, so the file covers
// 2023, 2024 and 2025 (a single year's return would hold no episode closed before April 2024).
//
//	A1  referred 10/05/2022, closed 30/06/2023; plan 01/07/2022 to 31/03/2023; assessed 20/06/2022: 3A 4B
//	B2  referred 01/04/2022 no further action, closed the same day; referred again 01/12/2022, open;
//	    plan from 15/01/2023, open; assessed 10/01/2023: 2B 3A
//	C3  referred 01/09/2023, closed 31/03/2024; assessed 15/10/2023: 2B
//	D4  referred 10/01/2024, closed 01/02/2024; referred again 01/06/2024, open; assessed 20/07/2024: 3A
//	E5  referred 31/03/2025, open
//	F6  referred 01/04/2024 no further action, closed the same day
//	G7  referred 04/01/2021 (before the years covered), open
//	H8  unborn, referred 01/02/2025, open
//
// 31 March 2023: in need A1 (closes in June), B2, G7 = 3; on a plan B2 = 1 (A1's ended on the
// day); referrals in the year A1, B2 twice = 3, one with no further action; re-referrals not
// counted (the file does not cover the year to March 2022); assessments A1, B2 = 2: 3A in 2
// episodes, 4B in 1, 2B in 1.
// 31 March 2024: in need B2, G7 = 2 (C3 closed on the day, D4 in February); on a plan B2; referrals
// C3, D4 = 2; re-referrals 0; assessments C3 = 1: 2B.
// 31 March 2025: in need B2, D4, E5 (referred on the day), G7, H8 = 5 (F6's referral had no further
// action); on a plan B2; referrals D4, E5, F6, H8 = 4, F6 with no further action; re-referrals D4
// (01/06/2024, within 12 months of 10/01/2024) = 1; assessments D4 = 1: 3A.
func TestMultiYearFile(t *testing.T) {
	r := readFile(t, "testdata/multiyear.xml")
	if len(r.Findings) != 0 {
		t.Errorf("a clean file has findings:\n%s", strings.Join(Summary(r.Findings, 10), "\n"))
	}
	if len(r.Children) != 8 || len(r.Episodes) != 10 || len(r.Plans) != 2 || r.LEA != "356" {
		t.Fatalf("%d children, %d episodes, %d plans, LEA %q", len(r.Children), len(r.Episodes), len(r.Plans), r.LEA)
	}
	if got := r.Years(); !slices.Equal(got, []int{2023, 2024, 2025}) {
		t.Fatalf("years %v, want 2023-2025", got)
	}
	want := []Count{
		{Year: 2023, InNeed: 3, InNeedEpisodes: 3, Protection: 1, Referrals: 3, NFA: 1, Assessments: 2, FactorEpisodes: 2,
			Factors: map[string]int{"3A": 2, "4B": 1, "2B": 1}},
		{Year: 2024, InNeed: 2, InNeedEpisodes: 2, Protection: 1, Referrals: 2, ReReferralsCounted: true, Assessments: 1, FactorEpisodes: 1,
			Factors: map[string]int{"2B": 1}},
		{Year: 2025, InNeed: 5, InNeedEpisodes: 5, Protection: 1, Referrals: 4, NFA: 1, ReReferrals: 1, ReReferralsCounted: true, Assessments: 1, FactorEpisodes: 1,
			Factors: map[string]int{"3A": 1}},
	}
	for _, w := range want {
		if got := r.CountAt(w.Year); !same(got, w) {
			t.Errorf("31 March %d:\n got %+v\nwant %+v", w.Year, got, w)
		}
	}
}

func same(a, b Count) bool {
	type plain struct {
		Year, InNeed, InNeedEpisodes, OpenNFA, Protection, Referrals, NFA, ReReferrals int
		ReReferralsCounted                                                             bool
		Assessments, FactorEpisodes                                                    int
	}
	p := func(c Count) plain {
		return plain{c.Year, c.InNeed, c.InNeedEpisodes, c.OpenNFA, c.Protection, c.Referrals, c.NFA, c.ReReferrals, c.ReReferralsCounted, c.Assessments, c.FactorEpisodes}
	}
	return p(a) == p(b) && maps.Equal(a.Factors, b.Factors)
}

// testdata/broken.xml breaks a rule or two in every child; each finding names the file, the line of
// its Child element, the element, the field and DfE's rule (each verified in Data to Insight's
// validator, csc-validator-be-cin, rules for 2022-23 and as changed to 2025-26), and counting goes on.
//
// Counted at 31 March 2025 (the only year: K4's episode closed in October 2024): episodes of
// Child 1 (no LAchildID: a child of its own), K3 (two, the second in a duplicate Child record),
// K4 (closed 01/10/2024) and K6; not K2's two (no referral date; closed before referred) nor K8's
// (a date as DD/MM/YYYY). In need: Child 1, K3, K6 = 3 children, 4 open episodes. Plans: K4's two
// are not counted (no start; ended before it started); K6's two open plans are one child = 1.
// Referrals in the year: Child 1, K3 twice, K4, K6 = 5. Assessments: K6's, authorised 01/06/2024:
// 3A (recorded twice, counted once) and 21, so 1 episode with a factor.
func TestFindingsAreWarnings(t *testing.T) {
	r := readFile(t, "testdata/broken.xml")
	var got []string
	rules := map[string]int{}
	for _, f := range r.Findings {
		got = append(got, f.String())
		rules[f.Rule]++
	}
	for _, w := range []string{
		"testdata/broken.xml:16: Child 1 (no LAchildID): LAchildID: DfE rule 8500: LA child ID missing (counted as a child of its own)",
		"testdata/broken.xml:16: Child 1 (no LAchildID): Sex: DfE rule 4180: sex must be provided and equal M, F or U, not \"X\"",
		"testdata/broken.xml:16: Child 1 (no LAchildID), CINdetails 1: ReferralSource: DfE rule 8866:",
		"testdata/broken.xml:16: Child 1 (no LAchildID), CINdetails 1: PrimaryNeedCode: DfE rule 8650: \"N12\"",
		"testdata/broken.xml:28: Child 2 (LAchildID K2), CINdetails 1: CINreferralDate: DfE rule 8600: child referral date missing (episode not counted)",
		"testdata/broken.xml:28: Child 2 (LAchildID K2), CINdetails 2: CINclosureDate: DfE rule 8630: the closure date 2024-05-01 is before the referral date 2024-06-01 (episode not counted)",
		"testdata/broken.xml:46: Child 3 (LAchildID K3), CINdetails 1: CINclosureDate: DfE rule 8810: reason for closure \"RC1\" without a CIN closure date (counted as open)",
		"testdata/broken.xml:46: Child 3 (LAchildID K3), CINdetails 1: ReferralNFA: DfE rule 8568:",
		"testdata/broken.xml:60: Child 4 (LAchildID K4), CINdetails 1: ReasonForClosure: DfE rule 8805: a CIN closure date without a reason for closure (counted as closed on that date)",
		"testdata/broken.xml:60: Child 4 (LAchildID K4), CINdetails 1, ChildProtectionPlans 1: CPPstartDate: DfE rule 8720: child protection plan start date missing (plan not counted)",
		"testdata/broken.xml:60: Child 4 (LAchildID K4), CINdetails 1, ChildProtectionPlans 2: CPPendDate: DfE rule 8925: the plan ended (2024-06-01) before it started (2024-07-01) (plan not counted)",
		"testdata/broken.xml:86: Child 5 (LAchildID K3): LAchildID: DfE rule 8510: more than one child record with the same LA child ID (Child 3 has it too) (counted as one child with it)",
		"testdata/broken.xml:86: Child 5 (LAchildID K3), CINdetails 1: CINclosureDate: DfE rule 8815:",
		"testdata/broken.xml:86: Child 5 (LAchildID K3), CINdetails 1: CINreferralDate: DfE rule 8820: the referral (2024-09-01) falls within the child's episode from 2024-04-10 (the child counted once)",
		"testdata/broken.xml:99: Child 6 (LAchildID K6), CINdetails 1, Assessments 1: AssessmentAuthorisationDate: DfE rule 8608:",
		"testdata/broken.xml:99: Child 6 (LAchildID K6), CINdetails 1, Assessments 1: AssessmentFactors: DfE rule 8898: factor \"3A\" is recorded more than once for the assessment (counted once)",
		"testdata/broken.xml:99: Child 6 (LAchildID K6), CINdetails 1, Assessments 1: AssessmentFactors: DfE rule 8869:",
		"testdata/broken.xml:99: Child 6 (LAchildID K6), CINdetails 1, ChildProtectionPlans 1: InitialCategoryOfAbuse: DfE rule 8905: initial category of abuse missing or invalid (\"XYZ\"",
		"testdata/broken.xml:99: Child 6 (LAchildID K6), CINdetails 1, ChildProtectionPlans 1: LatestCategoryOfAbuse: DfE rule 8910:",
		"testdata/broken.xml:99: Child 6 (LAchildID K6), CINdetails 1, ChildProtectionPlans 1: NumberOfPreviousCPP: DfE rule 8730:",
		"testdata/broken.xml:99: Child 6 (LAchildID K6), CINdetails 1, ChildProtectionPlans 2: CPPendDate: DfE rule 8935:",
		"testdata/broken.xml:99: Child 6 (LAchildID K6), CINdetails 1, ChildProtectionPlans 2: CPPstartDate: DfE rule 8940: the plan's start (2024-08-01) falls within the child's plan from 2024-05-01 (the child counted once)",
		"testdata/broken.xml:131: Child 7 (LAchildID K7): PersonBirthDate: DfE rule 8520: date of birth 2025-05-01 is after the reference date 2025-03-31",
		"testdata/broken.xml:131: Child 7 (LAchildID K7): CINdetails: DfE rule 8590:",
		"testdata/broken.xml:138: Child 8 (LAchildID K8), CINdetails 1: CINreferralDate: \"01/06/2024\" is not a date as YYYY-MM-DD (episode not counted)",
	} {
		found := false
		for _, g := range got {
			found = found || strings.HasPrefix(g, w)
		}
		if !found {
			t.Errorf("missing finding %q in:\n%s", w, strings.Join(got, "\n"))
		}
	}
	// every finding above, and nothing else
	if len(r.Findings) != 25 || rules[""] != 1 {
		t.Errorf("%d findings (%d without a rule), want 25 (1):\n%s", len(r.Findings), rules[""], strings.Join(got, "\n"))
	}
	if r.SkippedEpisodes != 3 || r.SkippedPlans != 2 || len(r.Episodes) != 5 || len(r.Plans) != 2 {
		t.Errorf("%d episodes counted, %d skipped; %d plans counted, %d skipped; want 5, 3, 2, 2", len(r.Episodes), r.SkippedEpisodes, len(r.Plans), r.SkippedPlans)
	}
	if got := r.Years(); !slices.Equal(got, []int{2025}) {
		t.Fatalf("years %v, want [2025]", got)
	}
	w := Count{Year: 2025, InNeed: 3, InNeedEpisodes: 4, Protection: 1, Referrals: 5, Assessments: 1, FactorEpisodes: 1, Factors: map[string]int{"3A": 1, "21": 1}}
	if got := r.CountAt(2025); !same(got, w) {
		t.Errorf("31 March 2025:\n got %+v\nwant %+v", got, w)
	}
	sum := Summary(r.Findings, 2)
	// 24 rules and one kind without a rule, each with its one finding
	if len(sum) != 2*25 || sum[0] != "DfE rule 8500: 1 finding(s)" || sum[40] != `CINreferralDate: "…" is not a date as YYYY-MM-DD: 1 finding(s)` {
		t.Errorf("summary:\n%s", strings.Join(sum, "\n"))
	}
}

// The header: a reference date that is not 31 March of the collection year is DfE's rule 100; a
// file without a reference date takes its years from its dates.
func TestReferenceDate(t *testing.T) {
	const child = `<Children><Child><ChildIdentifiers><LAchildID>A</LAchildID><PersonBirthDate>2010-01-01</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>` +
		`<CINdetails><CINreferralDate>2023-05-01</CINreferralDate><ReferralSource>1A</ReferralSource><CINclosureDate>2024-06-01</CINclosureDate><ReasonForClosure>RC1</ReasonForClosure><ReferralNFA>0</ReferralNFA></CINdetails></Child></Children></Message>`
	r, err := Read(strings.NewReader(`<Message><Header><CollectionDetails><Year>2025</Year><ReferenceDate>2024-03-31</ReferenceDate></CollectionDetails></Header>`+child), "h.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 1 || !strings.HasPrefix(r.Findings[0].String(), "h.xml:1: Header: ReferenceDate: DfE rule 100: the reference date 2024-03-31 is not 31 March of the collection year 2025") {
		t.Errorf("findings %v", r.Findings)
	}
	r, err = Read(strings.NewReader("<Message>"+child), "n.xml")
	if err != nil {
		t.Fatal(err)
	}
	// no header: from the year the episode was closed in (2025) to the latest date's (also 2025)
	if got := r.Years(); !slices.Equal(got, []int{2025}) || len(r.Findings) != 1 || r.Findings[0].Rule != "100" {
		t.Errorf("years %v, findings %v", got, r.Findings)
	}
	if c := r.CountAt(2024); c.InNeed != 1 {
		t.Errorf("in need at 31 March 2024: %d, want 1", c.InNeed)
	}
}

// Only a file that cannot be read is an error: empty, not XML, another root, cut short.
func TestUnreadableFilesAreErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "e.xml:1:0: the file is empty"},
		{"CHILD,DECOM\nA1,01/05/2024\n", "e.xml:1:0: the file is empty"},
		{"<EXPSSDA903><CHILD/></EXPSSDA903>", "e.xml:1:0: the root element is EXPSSDA903: a CIN census XML file is a Message"},
		{"<Message><Children><Child><ChildIdentifiers>", "e.xml:1:0: not readable as XML"},
		{"<Message>\n<Header></Head>", "e.xml:2:0: not readable as XML"},
		{`<?xml version="1.0" encoding="UTF-16"?><Message/>`, "save it as UTF-8"},
	} {
		_, err := Read(strings.NewReader(c.in), "e.xml")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}
}

func TestReconcile(t *testing.T) {
	for _, c := range []struct {
		counted, published int
		want               string
	}{{2587, 2587, "reconciles"}, {2600, 2587, "within 1%"}, {2500, 2587, "does not reconcile (-87): check open episodes"}} {
		if got := Reconcile(2025, c.counted, c.published, "open episodes"); !strings.Contains(got.Verdict, c.want) {
			t.Errorf("%d vs %d: %s", c.counted, c.published, got.Verdict)
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"testdata/multiyear.xml", "testdata/broken.xml"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("<Message><Children><Child><CINdetails><CINreferralDate>2024-01-01</CINreferralDate><CINclosureDate>x</CINclosureDate></CINdetails></Child>")
	f.Add("<Message><Header><CollectionDetails><ReferenceDate>0001-01-01</ReferenceDate></CollectionDetails></Header></Message>")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Read(strings.NewReader(s), "f.xml")
		if err != nil {
			return
		}
		years := r.Years()
		if len(years) > 200 {
			t.Skip("dates centuries apart")
		}
		for _, y := range years {
			c := r.CountAt(y)
			if c.InNeed > c.InNeedEpisodes || c.NFA > c.Referrals || c.ReReferrals > c.Referrals || c.FactorEpisodes > c.Assessments {
				t.Errorf("inconsistent count %+v", c)
			}
		}
		Summary(r.Findings, 3)
	})
}

// Data to Insight's fake 2025-26 file (testdata/d2i, MIT), read by hand: Header Year 2023 with
// ReferenceDate 2024-03-31 (rule 100); Child 1 has Sex "1" (4180: M, F or U since 2024-25), an
// assessment starting 2028-04-28 but authorised 2020-09-19 (8608) and a plan from 2022-02-17, before
// its referral of 2022-10-06 (1105); Child 2 is referred on 2024-10-24, after the reference date
// (8600), and assessed from 2023-12-25, before that referral (1103). Child 1's episode closed on
// 2023-02-27, in the year to March 2023, so the file covers 2023 and 2024. 2023: one referral
// (Child 1), nobody in need or on a plan at 31 March (closed in February, plan ended 2023-03-14).
// 2024: Child 2's assessment authorised 2024-01-27 with no factors; Child 2's referral falls after
// the year, so no referral and nobody in need at 31 March 2024.
func TestDataToInsightFakeFile(t *testing.T) {
	r := readFile(t, "testdata/d2i/CIN_Census_2026.xml")
	var rules []string
	for _, f := range r.Findings {
		rules = append(rules, f.Rule)
	}
	if !slices.Equal(rules, []string{"100", "4180", "8608", "1105", "8600", "1103"}) {
		t.Errorf("rules %v in:\n%s", rules, strings.Join(Summary(r.Findings, 5), "\n"))
	}
	if got := r.Years(); !slices.Equal(got, []int{2023, 2024}) {
		t.Fatalf("years %v", got)
	}
	for _, w := range []Count{
		{Year: 2023, Referrals: 1, Factors: map[string]int{}},
		{Year: 2024, ReReferralsCounted: true, Assessments: 1, Factors: map[string]int{}},
	} {
		if got := r.CountAt(w.Year); !same(got, w) {
			t.Errorf("31 March %d:\n got %+v\nwant %+v", w.Year, got, w)
		}
	}
}
