package load_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"familyhubs/internal/testdata"
	. "familyhubs/load"
	"familyhubs/queries"
	"familyhubs/warehouse"
)

// A council's export in the style of its case system (EHM-like column names in an order of its
// own, columns we do not read, D/M/YYYY dates, dates with times, codes written as words, a note
// running over two lines) for two Stockport families, and the mapping that reads it.
const (
	testMapping = `# Stockport's early help export
council_code = "E08000007"

[families]
file = "EHM_Families.csv"
[families.columns]
family_id = "Family ID"
lsoa21_code = "LSOA 2021"

[people]
file = "EHM_Family_Members.csv"
dates = "D/M/YYYY"
[people.columns]
person_id = "Person ID"
family_id = "Family ID"
role = "Member Type"
sex = "Gender"
birth_date = "Date of Birth"
send = "SEND"
relation = "Relationship"
[people.codes.role]
"Child" = "child"
"Parent/Carer" = "carer"
[people.codes.sex]
Female = "F"
Male = "M"
[people.codes.send]
Y = true
N = false
[people.codes.relation]
"Mother" = "mother"
"Father" = "father"

[contacts]
file = "EHM_Attendance.csv"
dates = "DD/MM/YYYY HH:MM"
[contacts.columns]
contact_id = "Attendance ID"
contact_date = "Session Date"
site_id = "Venue Code"
service_code = "Session Type"
channel = "Delivery Method"
family_id = "Family ID"
child_id = "Child Person ID"
carer_id = "Carer Person ID"
age_band = "Age Group"
lsoa21_code = "LSOA 2021"
[contacts.codes.service_code]
"Stay and Play" = "early_learning"
"Health Visiting" = "health_visiting"
"Youth Club" = "youth_work"
"Emotional Wellbeing" = "children_mental_health"
[contacts.codes.channel]
"Family Hub" = "hub"
"Home Visit" = "home visit"
"Virtual" = "online"
[contacts.codes.age_band]
"0-2 years" = "0-2"
"5-11 years" = "5-11"
`
	testFamilies = "Family Name,Family ID,LSOA 2021\r\n" +
		"Smith,3000000001,E01005743\r\n" +
		"Jones,3000000002,E01005756\r\n"
	testPeople = "Person ID,Family ID,Forename,Member Type,Gender,Date of Birth,SEND,Relationship,Notes\n" +
		"3000000011,3000000001,Amy,Child,Female,05/06/2023,N,,\n" +
		"3000000012,3000000001,Sarah,Parent/Carer,Female,14/2/1994,,Mother,\n" +
		"3000000021,3000000002,\"Lee, Jr\",Child,Male,1/9/2014,Y,,\n" +
		"3000000022,3000000002,Dan,Parent/Carer,Male,20/11/1988,,Father,\"moved in\nin 2024\"\n" +
		"3000000023,3000000002,Mia,Child,Female,28/02/2020,N,,\n"
	testContacts = "Attendance ID,Session Date,Venue Code,Session Type,Delivery Method,Family ID,Child Person ID,Carer Person ID,Age Group,LSOA 2021\n" +
		"3000000101,03/04/2024 10:30,STK-H01,Stay and play,Family Hub,3000000001,3000000011,3000000012,0-2 years,E01005743\n" +
		"3000000102,17/10/2024 14:00,,Health Visiting,Home Visit,3000000001,3000000011,,0-2 years,E01005743\n" +
		"\n" +
		"3000000103,02/12/2024 16:15,STK-H01,Youth Club,Family Hub,3000000002,3000000021,,5-11 years,E01005756\n" +
		"3000000104,31/01/2025 09:00,,Emotional Wellbeing,Virtual,3000000002,3000000021,3000000022,5-11 years,E01005756\n"
)

// councilFolder writes the test export, the mapping, and Stockport's network files in the load
// formats (from the demo's export), and returns the folder and the mapping's path.
func councilFolder(t *testing.T, replace map[string][2]string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"localities.csv", "sites.csv", "plan.csv"} {
		// as Export writes them
		q := &queries.Query{Name: "export " + name, SQL: SQLText("export_" + strings.TrimSuffix(name, ".csv") + ".sql")}
		res, err := q.Run(ctx, testdata.Warehouse(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := queries.WriteCSV(&b, res); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(b.String(), "\n")
		keep := []string{lines[0]}
		for _, l := range lines[1:] {
			if strings.Contains(l, "E08000007") {
				keep = append(keep, l)
			}
		}
		write(t, filepath.Join(dir, name), strings.Join(keep, "\n")+"\n")
	}
	texts := map[string]string{"EHM_Families.csv": testFamilies, "EHM_Family_Members.csv": testPeople, "EHM_Attendance.csv": testContacts,
		"mapping.toml": testMapping}
	for name, text := range texts {
		if r, ok := replace[name]; ok {
			if !strings.Contains(text, r[0]) {
				t.Fatalf("%s holds no %q", name, r[0])
			}
			text = strings.Replace(text, r[0], r[1], 1)
		}
		write(t, filepath.Join(dir, name), text)
	}
	return dir, filepath.Join(dir, "mapping.toml")
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readMapping(t *testing.T, path string) *Mapping {
	t.Helper()
	m, err := ReadMapping(path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The council's export loads through its mapping: the rows in the warehouse are the export's,
// worked by hand (codes to ours, D/M/YYYY and DD/MM/YYYY HH:MM to days, the council's code for
// every family, columns we do not read left behind).
func TestMappedLoad(t *testing.T) {
	demo, target := copyOfDemo(t)
	dir, mapping := councilFolder(t, nil)
	sum, err := Folder(ctx, target, demo, dir, Options{Mapping: readMapping(t, mapping)})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Mapping == nil || !strings.HasPrefix(sum.Mapping.String(), "mapped by mapping.toml in ") ||
		!strings.HasSuffix(sum.Mapping.String(), ": EHM_Families.csv as families.csv (2 records), EHM_Family_Members.csv as people.csv (5 records), "+
			"EHM_Attendance.csv as contacts.csv (4 records)") {
		t.Errorf("report: %v", sum.Mapping)
	}
	if strings.Join(sum.Councils, ",") != "E08000007" {
		t.Errorf("councils %v", sum.Councils)
	}
	db, err := warehouse.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct{ sql, want string }{
		{"SELECT family_id, council_code, lsoa21_code FROM families WHERE council_code = 'E08000007' ORDER BY 1",
			"3000000001,E08000007,E01005743|3000000002,E08000007,E01005756"},
		{"SELECT p.person_id, p.family_id, p.role, p.sex, coalesce(p.birth_date::VARCHAR, '-'), coalesce(p.send::VARCHAR, '-'), coalesce(p.relation, '-') " +
			"FROM people p JOIN families f USING (family_id) WHERE f.council_code = 'E08000007' ORDER BY 1",
			"3000000011,3000000001,child,F,2023-06-05,false,-|" +
				"3000000012,3000000001,carer,F,1994-02-14,-,mother|" +
				"3000000021,3000000002,child,M,2014-09-01,true,-|" +
				"3000000022,3000000002,carer,M,1988-11-20,-,father|" +
				"3000000023,3000000002,child,F,2020-02-28,false,-"},
		{"SELECT contact_id, contact_date, council_code, lsoa21_code, coalesce(site_id, '-'), service_code, channel, family_id, child_id, " +
			"coalesce(carer_id::VARCHAR, '-'), age_band FROM contacts WHERE council_code = 'E08000007' ORDER BY 1",
			"3000000101,2024-04-03,E08000007,E01005743,STK-H01,early_learning,hub,3000000001,3000000011,3000000012,0-2|" +
				"3000000102,2024-10-17,E08000007,E01005743,-,health_visiting,home visit,3000000001,3000000011,-,0-2|" +
				"3000000103,2024-12-02,E08000007,E01005756,STK-H01,youth_work,hub,3000000002,3000000021,-,5-11|" +
				"3000000104,2025-01-31,E08000007,E01005756,-,children_mental_health,online,3000000002,3000000021,3000000022,5-11"},
	} {
		if got := rowsOf(t, db, c.sql); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.sql, got, c.want)
		}
	}
	// the other councils are as they were
	if got := rowsOf(t, db, "SELECT count(*) FROM contacts WHERE council_code = 'E08000034'"); got != rowsOf(t, testdata.Warehouse(t), "SELECT count(*) FROM contacts WHERE council_code = 'E08000034'") {
		t.Errorf("Kirklees has %s contacts after the load", got)
	}
	leftBehind(t, target)
}

func rowsOf(t *testing.T, db *warehouse.DB, q string) string {
	t.Helper()
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, v := range vals {
			switch x := v.(type) {
			case interface{ Format(string) string }:
				s = append(s, x.Format("2006-01-02"))
			default:
				s = append(s, strings.TrimSpace(strings.ReplaceAll(fmt.Sprint(x), "\n", " ")))
			}
		}
		out = append(out, strings.Join(s, ","))
	}
	return strings.Join(out, "|")
}

func leftBehind(t *testing.T, target string) {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Dir(target))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".load-") || strings.HasPrefix(e.Name(), ".hubs-") {
			t.Errorf("left behind %s", e.Name())
		}
	}
}

// The pass writes our layout into a private folder, each record on the council's line (the blank
// line and the note over two lines keep their count), and removes it.
func TestMappingKeepsLines(t *testing.T) {
	dir, mapping := councilFolder(t, nil)
	db := filepath.Join(t.TempDir(), "council.duckdb")
	work, mp, cleanup, err := MapFolder(dir, db, readMapping(t, mapping))
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(work)
	if err != nil || st.Mode().Perm() != 0o700 || !strings.HasPrefix(filepath.Base(work), "council.duckdb.load-") {
		t.Errorf("folder %s: %v %v", work, st.Mode(), err)
	}
	for name, want := range map[string]string{
		"families.csv": "family_id,council_code,lsoa21_code\n3000000001,E08000007,E01005743\n3000000002,E08000007,E01005756\n",
		"people.csv": "person_id,family_id,role,sex,birth_date,send,relation\n" +
			"3000000011,3000000001,child,F,2023-06-05,false,\n" +
			"3000000012,3000000001,carer,F,1994-02-14,,mother\n" +
			"3000000021,3000000002,child,M,2014-09-01,true,\n" +
			"3000000022,3000000002,carer,M,1988-11-20,,father\n" +
			"\n" +
			"3000000023,3000000002,child,F,2020-02-28,false,\n",
		"contacts.csv": "contact_id,contact_date,council_code,lsoa21_code,site_id,service_code,channel,family_id,child_id,carer_id,age_band\n" +
			"3000000101,2024-04-03,E08000007,E01005743,STK-H01,early_learning,hub,3000000001,3000000011,3000000012,0-2\n" +
			"3000000102,2024-10-17,E08000007,E01005743,,health_visiting,home visit,3000000001,3000000011,,0-2\n" +
			"\n" +
			"3000000103,2024-12-02,E08000007,E01005756,STK-H01,youth_work,hub,3000000002,3000000021,,5-11\n" +
			"3000000104,2025-01-31,E08000007,E01005756,,children_mental_health,online,3000000002,3000000021,3000000022,5-11\n",
	} {
		b, err := os.ReadFile(filepath.Join(work, name))
		if err != nil || string(b) != want {
			t.Errorf("%s:\n%s\nwant\n%s (%v)", name, b, want, err)
		}
		st, _ := os.Stat(filepath.Join(work, name))
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s is %v", name, st.Mode())
		}
	}
	if l, err := os.Readlink(filepath.Join(work, "sites.csv")); err != nil || l != filepath.Join(dir, "sites.csv") {
		t.Errorf("sites.csv links to %q (%v)", l, err)
	}
	if n := MappedRows(mp, "people.csv"); n != 5 {
		t.Errorf("%d people", n)
	}
	cleanup()
	if _, err := os.Stat(work); !os.IsNotExist(err) {
		t.Errorf("the folder is still there: %v", err)
	}
}

// The pass's own faults stop the load, by kind, each with the council's file, line, column
// number and name: dates not in the declared format, codes not in the map, a column the mapping
// names that the file does not have.
func TestMappingFaults(t *testing.T) {
	demo, target := copyOfDemo(t)
	before := fileHash(t, target)
	dir, mapping := councilFolder(t, map[string][2]string{
		"EHM_Family_Members.csv": {"Female,05/06/2023", "Female,31/02/2023"},
		"EHM_Attendance.csv":     {"17/10/2024 14:00,,Health Visiting", "2024-10-17,,Baby Massage"},
		"EHM_Families.csv":       {"LSOA 2021", "LSOA"},
	})
	// and a second wrong date in the people's file
	b, _ := os.ReadFile(filepath.Join(dir, "EHM_Family_Members.csv"))
	write(t, filepath.Join(dir, "EHM_Family_Members.csv"), strings.Replace(string(b), "Male,1/9/2014", "Male,2014-09-01", 1))
	_, err := Folder(ctx, target, demo, dir, Options{Mapping: readMapping(t, mapping)})
	if err == nil {
		t.Fatal("the load went through")
	}
	var pr *Problems
	if !errors.As(err, &pr) || pr.Total() != 5 {
		t.Fatalf("want 5 problems, got %v", err)
	}
	for _, want := range []string{
		"5 problems in the files; nothing was loaded.",
		`EHM_Families.csv:1:4: "LSOA 2021", which mapping.toml line 8 names for lsoa21_code, is not a column of the file: its columns are "Family Name", "Family ID", "LSOA"`,
		`EHM_Family_Members.csv:2:6: "Date of Birth" (birth_date): "31/02/2023" is not a date as D/M/YYYY, the format mapping.toml gives at line 12`,
		`EHM_Family_Members.csv:4:6: "Date of Birth" (birth_date): "2014-09-01" is not a date as D/M/YYYY, the format mapping.toml gives at line 12`,
		`EHM_Attendance.csv:3:2: "Session Date" (contact_date): "2024-10-17" is not a date as DD/MM/YYYY HH:MM, the format mapping.toml gives at line 36`,
		`EHM_Attendance.csv:3:4: "Session Type" (service_code): "Baby Massage" is not among the codes mapping.toml maps for it (line 48): add it there`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%s", want, err)
		}
	}
	if fileHash(t, target) != before {
		t.Error("the warehouse changed")
	}
	leftBehind(t, target)

	// more than a few of a kind: counted, the first five shown
	var many strings.Builder
	many.WriteString(strings.SplitN(testContacts, "\n", 2)[0] + "\n")
	for i := range 600 {
		many.WriteString(strings.Replace(strings.Split(testContacts, "\n")[1], "03/04/2024", "2024-04-03", 1) + "\n")
		_ = i
	}
	write(t, filepath.Join(dir, "EHM_Attendance.csv"), many.String())
	write(t, filepath.Join(dir, "EHM_Families.csv"), testFamilies)
	write(t, filepath.Join(dir, "EHM_Family_Members.csv"), testPeople)
	_, err = Folder(ctx, target, demo, dir, Options{Mapping: readMapping(t, mapping)})
	for _, want := range []string{
		"600 problems in the files; nothing was loaded. By file and kind, with the first 5 of each:\n" +
			"EHM_Attendance.csv: date not in the declared format: 600\n" +
			`  EHM_Attendance.csv:2:2: "Session Date" (contact_date): "2024-04-03 10:30" is not a date as DD/MM/YYYY HH:MM, the format mapping.toml gives at line 36`,
		`  EHM_Attendance.csv:6:2: "Session Date"`,
		"  ... and 595 more",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
}

// A later check's fault in a mapped file is reported in the council's file, line, column number
// and name.
func TestMappedLaterChecks(t *testing.T) {
	demo, target := copyOfDemo(t)
	dir, mapping := councilFolder(t, map[string][2]string{
		"EHM_Attendance.csv": {"3000000101,03/04/2024 10:30,STK-H01", "3000000101,03/04/2009 10:30,STK-H99"},
	})
	_, err := Folder(ctx, target, demo, dir, Options{Mapping: readMapping(t, mapping)})
	if err == nil {
		t.Fatal("the load went through")
	}
	for _, want := range []string{
		`EHM_Attendance.csv:2:2: "Session Date" (contact_date): 2009-04-03 is outside the period 2010-04-01 to `,
		`EHM_Attendance.csv:2:3: "Venue Code" (site_id): "STK-H99" is not a site in sites.csv`,
		`EHM_Attendance.csv:2:9: "Age Group" (age_band): "0-2", but the child is not yet born on 2009-04-03`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%s", want, err)
		}
	}
	// a council code the mapping gives for every row is placed at its line in the mapping
	dir, mapping = councilFolder(t, map[string][2]string{"mapping.toml": {`council_code = "E08000007"`, `council_code = "E0800007"`}})
	_, err = Folder(ctx, target, demo, dir, Options{Mapping: readMapping(t, mapping)})
	if want := `EHM_Families.csv:2:0: council_code ("E0800007", fixed by the mapping at line 2): "E0800007" is not an English council code`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("missing %q in:\n%v", want, err)
	}
}

// The mapping file's own faults are refused with its name and line.
func TestMappingFileFaults(t *testing.T) {
	_, err := ParseMapping("mapping.toml", []byte(`council_code = "E08000007"
[contacts]
file = "EHM_Attendance.csv"
dates = "DD/MM/YYY"
colums = 3
[contacts.columns]
contact_dat = "Session Date"
channel = "Delivery Method"
[contacts.codes.channel]
"Family Hub" = "family hub"
[contact]
file = "x.csv"
`))
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{
		"mapping.toml:5:1: unknown key contacts.colums: a mapping file has council_code and the tables [localities], [sites], [families], [people], [contacts], [plan]",
		"mapping.toml:11:1: unknown key contact:",
		`mapping.toml:4:1: "DD/MM/YYY" is not a date format: "Y" at character 7 is none of YYYY, MM, M, DD, D, HH, H, MM (minutes), SS`,
		`mapping.toml:7:1: columns: "contact_dat" is not a column of contacts.csv: its columns are contact_id, contact_date,`,
		`mapping.toml:10:1: codes.channel: "Family Hub" = "family hub": use hub, hublet, bridge, outreach, home visit, online`,
		"mapping.toml:2:1: [contacts] gives no contact_date, which the load requires",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%s", want, err)
		}
	}
	// not TOML: its line and column
	_, err = ParseMapping("mapping.toml", []byte("[contacts]\nfile = EHM.csv\n"))
	if err == nil || !strings.Contains(err.Error(), "mapping.toml:2:") {
		t.Errorf("not TOML: %v", err)
	}
	// the example in the README is the one the bench loads, and it reads
	if _, err := ParseMapping("mapping.toml", []byte(ExampleMapping)); err != nil {
		t.Errorf("the example mapping: %v", err)
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil || !strings.Contains(string(readme), ExampleMapping) {
		t.Errorf("README.md does not show the example mapping (ExampleMapping) as it is (%v)", err)
	}
}

func TestDateFormats(t *testing.T) {
	for _, c := range []struct{ format, value, want string }{
		{"DD/MM/YYYY", "03/04/2024", "2024-04-03"},
		{"DD/MM/YYYY", "3/4/2024", ""},
		{"D/M/YYYY", "3/4/2024", "2024-04-03"},
		{"D/M/YYYY", "03/04/2024", "2024-04-03"},
		{"D/M/YYYY", "29/02/2023", ""},
		{"D/M/YYYY", "29/02/2024", "2024-02-29"},
		{"YYYY-MM-DD", "2024-04-03", "2024-04-03"},
		{"YYYY-MM-DD", "2024-04-03 00:00", ""},
		{"DD/MM/YYYY HH:MM", "03/04/2024 23:59", "2024-04-03"},
		{"DD/MM/YYYY HH:MM", "03/04/2024 24:00", ""},
		{"DD/MM/YYYY HH:MM", "03/04/2024", ""},
		{"YYYY-MM-DDTHH:MM:SS", "2024-04-03T09:05:00", "2024-04-03"},
		{"DD-MM-YYYY H:mm", "13-12-2024 9:05", "2024-12-13"},
		{"DD.MM.YYYY", "13.12.2024", "2024-12-13"},
		{"DD.MM.YYYY", "13/12/2024", ""},
	} {
		got, ok, err := ParseDate(c.format, c.value)
		if err != nil {
			t.Fatalf("%s: %v", c.format, err)
		}
		if got != c.want || ok != (c.want != "") {
			t.Errorf("%s %q: %q %v, want %q", c.format, c.value, got, ok, c.want)
		}
	}
	for _, bad := range []string{"DD/MM/YY", "MM/YYYY", "DD/MM/YYYY hh", "DD/MM/YYYY HH:MM:SS:SS", "DD/MMM/YYYY"} {
		if _, _, err := ParseDate(bad, ""); err == nil {
			t.Errorf("%q accepted as a date format", bad)
		}
	}
}

// A mapped file may give home postcodes: the postcode pass places them after the mapping pass,
// and reports them, placed or not, in the council's file and column.
func TestMappedPostcodes(t *testing.T) {
	demo, target := copyOfDemo(t)
	look, err := DemoPostcodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	families := "Family Name,Family ID,Home Postcode\nSmith,3000000001,PC1\nJones,3000000002,sk5 8ag\n"
	for _, c := range []struct{ postcode, want string }{
		{"SK6 2BF", ""},
		{"SK99 9ZZ", `EHM_Families.csv:2:3: postcode "SK999ZZ" not in the look-up`},
	} {
		dir, mapping := councilFolder(t, map[string][2]string{"mapping.toml": {`lsoa21_code = "LSOA 2021"`, `postcode = "Home Postcode"`}})
		write(t, filepath.Join(dir, "EHM_Families.csv"), strings.Replace(families, "PC1", c.postcode, 1))
		sum, err := Folder(ctx, target, demo, dir, Options{Mapping: readMapping(t, mapping), Postcodes: look})
		if c.want != "" {
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "EHM_Families.csv: 1 of 2 postcodes placed") {
				t.Errorf("missing %q in:\n%v", c.want, err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(sum.Postcodes) != 1 || sum.Postcodes[0].File != "EHM_Families.csv" || sum.Postcodes[0].Matched != 2 {
			t.Errorf("postcodes: %+v", sum.Postcodes)
		}
		db, err := warehouse.Open(ctx, target)
		if err != nil {
			t.Fatal(err)
		}
		if got := rowsOf(t, db, "SELECT family_id, lsoa21_code FROM families WHERE council_code = 'E08000007' ORDER BY 1"); got != "3000000001,E01005743|3000000002,E01005756" {
			t.Errorf("families placed in %s", got)
		}
		db.Close()
	}
	leftBehind(t, target)
}
