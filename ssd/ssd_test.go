package ssd

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The extract the tests read: eight people in three families (and one with no ssd_family row),
// homes at real Stockport postcodes (ONS postcode directory, LSOAs of the derived demo look-up:
// SK1 1AA E01005822, SK2 5AA E01005875, SK3 0AA E01005781, SK4 1AA E01033947, SK7 1AA E01005924,
// SK8 1AA E01005769), episodes from 2020 to 2025, dates written both ways, and broken rows.
// Column and line numbers in the tests are those of these files.
var extract = map[string]string{
	"ssd_person.csv": `pers_person_id,pers_forename,pers_surname,pers_sex,pers_gender,pers_ethnicity,pers_dob,pers_send_flag,pers_expected_dob
101,Amy,A,F,02,WBRI,2015-06-01 00:00:00.000,N,
102,Ben,B,M,01,WBRI,12/09/2012,N,
103,Cal,C,M,01,MWBC,2007-02-10,N,
104,Dee,D,F,02,AIND,2019-11-20,Y,
105,Eve,D,U,02,AIND,2021-04-05,N,
106,,E,F,,NOBT,,,2025-05-01
107,Gus,G,M,01,WBRI,2016-13-40,N,
108,Hal,H,X,,WBRI,2014-01-01,N,
`,
	"ssd_family.csv": `fami_table_id,fami_family_id,fami_person_id
1,F1,101
2,F1,102
3,F2,103
4,F3,104
5,F3,105
6,F1,101
7,F4,104
8,F5,999
`,
	"ssd_address.csv": `addr_table_id,addr_address_json,addr_person_id,addr_address_type,addr_address_start_date,addr_address_end_date,addr_address_postcode
A1,"{""STREET"": ""High Street"", ""TOWN"": ""Stockport""}",101,HOME,2015-06-01 00:00:00.000,30/06/2023,SK25AA
A2,"{""STREET"": """", ""TOWN"": ""Stockport""}",101,HOME,30/06/2023,,SK11AA
A3,{},102,HOME,2020-01-01,,SK1 1AA
A4,{},103,HOME,2010-01-01,,SK30AA
A5,{},103,Placement,2023-01-01,,SK81AA
A6,{},104,HOME,2019-11-20,,SK41AA
A7,{},105,HOME,2021-04-05T00:00:00,,sk4 1aa
A8,{},106,HOME,01/08/2024,,SK71AA
A9,{},104,HOME,yesterday,,SK11AA
A10,{},102,HOME,2024-01-01,,
`,
	"ssd_contacts.csv": `cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code,cont_contact_source_desc,cont_contact_outcome_json
C1,101,2023-01-15,1A,School,{}
C2,102,12/03/2024,1B,Health,{}
C3,103,2024-02-01 00:00:00,1A,School,{}
C4,106,01/09/2024,1B,Health,{}
C5,107,2024-01-01,1A,School,{}
C6,555,2024-01-01,1A,School,{}
C7,101,31/02/2024,1A,School,{}
C8,102,2022-11-30,1A,School,{}
`,
	"ssd_early_help_episodes.csv": `earl_episode_id,earl_person_id,earl_episode_start_date,earl_episode_end_date,earl_episode_reason,earl_episode_end_reason,earl_episode_organisation,earl_episode_worker_id
E1,101,2024-05-10,2024-11-01,Parenting support,Outcomes met,Hub North,W1
E2,104,2023-09-01,,Domestic Abuse,,Hub South,W2
E3,105,2024-03-01,,Family Conflict,,Hub South,W2
E4,102,2022-06-01,2022-01-01,Other,NFA,Hub North,W1
E5,103,2025-04-01,,Other,,Hub North,W3
`,
	"ssd_cin_episodes.csv": `cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,cine_referral_nfa,cine_close_reason,cine_close_date
R1,101,2021-05-01,N1,N,RC8,2023-02-01
R2,102,2022-10-01,N4,N,,
R3,103,2020-01-01,N5,N,,
R4,104,2023-03-31,N1,N,RC8,2024-03-31
R5,102,2023-01-01,N4,N,,
R6,105,2024-02-30,N1,N,,
`,
	"ssd_cp_plans.csv": `cppl_cp_plan_id,cppl_referral_id,cppl_icpc_id,cppl_person_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date,cppl_cp_plan_ola,cppl_cp_plan_initial_category,cppl_cp_plan_latest_category
P1,R1,I1,101,2021-06-01,2022-06-01,N,Neglect,Neglect
P2,R2,I2,102,2022-12-01,15/04/2024,N,Emotional abuse,Emotional abuse
P3,R4,I3,104,2023-05-01,,Y,Neglect,Neglect
P4,R3,I4,103,2024-01-10,,maybe,Physical abuse,Physical abuse
`,
	"ssd_cla_episodes.csv": `clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,clae_cla_episode_start_reason,clae_cla_primary_need_code,clae_cla_episode_ceased_date,clae_cla_episode_ceased_reason,clae_cla_id
L1,103,2022-01-01,S,N1,2023-06-01,X1,CLA1
L2,103,2023-06-01,P,N1,,,CLA1
L3,104,2024-01-01,S,N2,,,CLA2
L4,102,2024-06-01,S,N4,31/03/2025,E4A,CLA3
L5,105,2024-02-01,S,N1,,,CLA4
L6,101,2020-01-01,S,N1,2021-01-01,E4A,CLA5
`,
	"ssd_legal_status.csv": `lega_legal_status_id,lega_person_id,lega_legal_status,lega_legal_status_start_date,lega_legal_status_end_date
S1,103,C2,2022-01-01,
S2,104,V3 - Accommodated under an agreement for a series of short-term breaks,2024-01-01,
S3,105,C1: Interim care order,2024-02-01,
S4,102,V2,2024-06-01,2025-03-31
`,
}

func writeExtract(t *testing.T, change map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range extract {
		if c, ok := change[name]; ok {
			body = c
			if c == "-" {
				continue
			}
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func readExtract(t *testing.T) *Extract {
	t.Helper()
	x, err := Read(writeExtract(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestDates(t *testing.T) {
	want := time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"2024-03-31", "2024-03-31 00:00:00", "2024-03-31 00:00:00.000", "2024-03-31T00:00:00", "2024-03-31T13:45:00Z",
		"31/03/2024", "31/03/2024 00:00:00", "31/03/2024 09:30"} {
		if d, err := Date(s); err != nil || !d.Equal(want) {
			t.Errorf("%q: %v %v", s, d, err)
		}
	}
	for _, s := range []string{"", "2024-02-30", "31/02/2024", "03/31/2024", "yesterday", "2024"} {
		if _, err := Date(s); err == nil {
			t.Errorf("%q read as a date", s)
		}
	}
}

// Every broken row is a warning with its file, line, column number and name, SSD item and
// effect; the rest is read.
func TestFindings(t *testing.T) {
	x := readExtract(t)
	if len(x.People) != 8 || len(x.Members) != 7 || len(x.Addresses) != 8 || len(x.Contacts) != 6 || len(x.EarlyHelp) != 4 ||
		len(x.InNeed) != 5 || len(x.Plans) != 4 || len(x.LookedAfter) != 6 || len(x.LegalStatuses) != 4 {
		t.Fatalf("read %d people, %d members, %d addresses, %d contacts, %d early help, %d in need, %d plans, %d looked after, %d legal statuses",
			len(x.People), len(x.Members), len(x.Addresses), len(x.Contacts), len(x.EarlyHelp), len(x.InNeed), len(x.Plans), len(x.LookedAfter), len(x.LegalStatuses))
	}
	want := []string{
		`ssd_person.csv:8: column 7 pers_dob (PERS005A): date of birth: "2016-13-40" is not a date (YYYY-MM-DD or DD/MM/YYYY) (age not known)`,
		`ssd_person.csv:9: column 4 pers_sex (PERS002A): "X" is not a sex code (F, M or U) (read as unknown)`,
		`ssd_family.csv:9: column 3 fami_person_id (FAMI002A): person 999 is not in ssd_person (row not read)`,
		`ssd_address.csv:10: column 5 addr_address_start_date (ADDR004A): address start date: "yesterday" is not a date (YYYY-MM-DD or DD/MM/YYYY) (address not used)`,
		`ssd_address.csv:11: column 7 addr_address_postcode (ADDR006A): the postcode is blank (address not used)`,
		`ssd_contacts.csv:7: column 2 cont_person_id (CONT002A): person 555 is not in ssd_person (contact not used)`,
		`ssd_contacts.csv:8: column 3 cont_contact_date (CONT003A): "31/02/2024" is not a date (YYYY-MM-DD or DD/MM/YYYY) (contact not used)`,
		`ssd_early_help_episodes.csv:5: column 4 earl_episode_end_date (EARL004A): the early help episode ended (2022-01-01) before it started (2022-06-01) (early help episode not used)`,
		`ssd_cin_episodes.csv:7: column 3 cine_referral_date (CINE003A): "2024-02-30" is not a date (YYYY-MM-DD or DD/MM/YYYY) (episode of need not used)`,
		`ssd_cp_plans.csv:5: column 7 cppl_cp_plan_ola (CPPL011A): "MAYBE" is not Y or N (read as N: the council's own plan)`,
	}
	var got []string
	for _, f := range x.Findings {
		got = append(got, f.String())
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if x.Skipped != 7 {
		t.Errorf("%d rows skipped, want 7 (family 1, addresses 2, contacts 2, early help 1, in need 1)", x.Skipped)
	}
	sum := strings.Join(Summary(x.Findings, 1), "\n")
	if !strings.Contains(sum, "ssd_address.addr_address_start_date: address start date: 1 finding(s)") {
		t.Errorf("summary:\n%s", sum)
	}
}

// A folder that cannot be read is an error naming every table at fault; a missing optional
// column is a finding.
func TestUnreadable(t *testing.T) {
	dir := writeExtract(t, map[string]string{
		"ssd_cp_plans.csv":     "-",
		"ssd_legal_status.csv": "",
		"ssd_cla_episodes.csv": "clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date\nL1,103,2022-01-01\n",
	})
	_, err := Read(dir)
	if err == nil {
		t.Fatal("an extract without ssd_cp_plans read")
	}
	for _, want := range []string{
		"ssd_cp_plans.csv:0:0: not found in ",
		"ssd_cla_episodes.csv:1:4: missing column clae_cla_episode_ceased_date (SSD item CLAE005A)",
		"ssd_legal_status.csv:1:1: the file is empty: it needs a header row naming the SSD columns lega_person_id (LEGA002A)",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%s", want, err)
		}
	}
	dir = writeExtract(t, map[string]string{"ssd_cp_plans.csv": "cppl_person_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date\n101,2021-06-01,2022-06-01\n"})
	x, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if f := x.Findings[len(x.Findings)-1].String(); f != "ssd_cp_plans.csv:1: cppl_cp_plan_ola (CPPL011A): column missing from the header row (the SSD specification has it; this tool can do without it) (read as blank)" {
		t.Errorf("last finding %s", f)
	}
}

// Counts worked by hand from the extract above, at each 31 March it covers (2021: the earliest
// date an episode ended is L6's, 1 January 2021; 2025: the latest date is E5's start, 1 April
// 2025).
//
//	2021: in need 103 (R3)                        1; plans 0; looked after 0 (L6 ended in January)
//	2022: in need 101 (R1), 103                   2; plans 101 (P1) 1; looked after 103 (L1, C2) 1
//	2023: in need 102 (R2 and R5: once), 103,
//	      104 (R4 starts that day)                3; plans 102 (P2) 1; looked after 103 (L1) 1
//	2024: in need 102, 103 (R4 ended that day)    2; plans 102, 103 (P4; its OLA "maybe" read as N),
//	      P3 is another council's                 2; looked after 103 (L2, aged 17), 105 (L5, C1) 2,
//	      104 on short breaks only (V3)
//	2025: in need 102, 103                        2; plans 103 1 (P2 ended April 2024);
//	      looked after 105 1: 103 is 18 (born 10 February 2007), 104 on short breaks, 102's L4
//	      ceased that day
func TestCounts(t *testing.T) {
	x := readExtract(t)
	if got := x.Years(); !slices.Equal(got, []int{2021, 2022, 2023, 2024, 2025}) {
		t.Fatalf("years %v", got)
	}
	want := map[int][3]int{2021: {1, 0, 0}, 2022: {2, 1, 1}, 2023: {3, 1, 1}, 2024: {2, 2, 2}, 2025: {2, 1, 1}}
	for y, w := range want {
		c := x.CountAt(y, nil)
		if got := [3]int{c.InNeed, c.Protection, c.LookedAfter}; got != w {
			t.Errorf("31 March %d: in need, plans, looked after %v, want %v", y, got, w)
		}
	}
	c := x.CountAt(2025, nil)
	if !slices.Equal(c.Aged18, []string{"103"}) || !slices.Equal(c.ShortBreaks, []string{"104"}) || c.OtherCouncils != 1 {
		t.Errorf("2025 left out: aged 18 %v, short breaks %v, other councils %d", c.Aged18, c.ShortBreaks, c.OtherCouncils)
	}
	if c := x.CountAt(2024, nil); len(c.Aged18) != 0 || !slices.Equal(c.ShortBreaks, []string{"104"}) {
		t.Errorf("2024 left out: aged 18 %v, short breaks %v", c.Aged18, c.ShortBreaks)
	}
	for _, s := range []string{"V3", "v4", "V3 - Accommodated under an agreement for a series of short-term breaks", "Short break (series)"} {
		if !ShortBreak(s) {
			t.Errorf("%q is a short break", s)
		}
	}
	for _, s := range []string{"V2", "C2", "V31", "", "Interim care order"} {
		if ShortBreak(s) {
			t.Errorf("%q is not a short break", s)
		}
	}
}

// Each child's home on the day: 101 lived at SK2 5AA until 30 June 2023, then at SK1 1AA; 103's
// placement (SK8 1AA) is not a home; 102's second address has no postcode and is not used.
func TestHomes(t *testing.T) {
	x := readExtract(t)
	for _, c := range []struct {
		person, day, postcode string
	}{
		{"101", "2022-03-31", "SK25AA"}, {"101", "2023-06-29", "SK25AA"}, {"101", "2023-06-30", "SK11AA"},
		{"103", "2025-03-31", "SK30AA"}, {"102", "2025-03-31", "SK1 1AA"}, {"106", "2024-07-31", ""},
	} {
		d, _ := time.Parse(time.DateOnly, c.day)
		a, _ := x.Home(c.person, d)
		if a.Postcode != c.postcode {
			t.Errorf("%s on %s: home %q, want %q", c.person, c.day, a.Postcode, c.postcode)
		}
	}
	c := x.CountAt(2022, nil)
	if len(c.Children) != 2 || c.Children[0].Postcode != "SK25AA" || c.Children[0].Unplaced != "no postcode look-up given" {
		t.Errorf("2022 children %+v", c.Children)
	}
}

func TestServiceWords(t *testing.T) {
	for reason, want := range map[string]string{
		"Parenting support": "parenting", "Domestic Abuse": "domestic_abuse", "Family Conflict": "relationship_support",
		"Substance misuse (parent)": "drug_alcohol", "Other": "", "Sending home": "", "SEND": "send_support", "Homelessness": "housing",
		"Homeless": "housing", "Debt/benefits": "benefits_debt",
	} {
		if got := serviceOf(reason); got != want {
			t.Errorf("%q: %q, want %q", reason, got, want)
		}
	}
}

// testdata/extract is the same extract as files, for `hubs ssd` (cmd/hubs) and as an example of
// an extract folder. SSD_UPDATE=1 rewrites it.
func TestTestdataIsTheExtract(t *testing.T) {
	for name, body := range extract {
		path := filepath.Join("testdata", "extract", name)
		if os.Getenv("SSD_UPDATE") != "" {
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if b, err := os.ReadFile(path); err != nil || string(b) != body {
			t.Errorf("%s differs from the extract in ssd_test.go (%v): SSD_UPDATE=1 go test ./ssd rewrites it", path, err)
		}
	}
}

// The README names every table and column read.
func TestREADMENamesEveryColumn(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, tb := range tables {
		for _, c := range append(append([]column(nil), tb.needs...), tb.uses...) {
			if !strings.Contains(readme, "`"+tb.name+"`") || !strings.Contains(readme, "`"+c.name+"`") {
				t.Errorf("README does not name %s.%s", tb.name, c.name)
			}
		}
	}
}
