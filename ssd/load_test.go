package ssd

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"familyhubs/internal/testdata"
	"familyhubs/load"
	"familyhubs/warehouse"
)

var ctx = context.Background()

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The load files, worked by hand from the extract: F1 (101, 102) lives at SK1 1AA on its latest
// contact (E1, 10 May 2024: 101 moved there on 30 June 2023), F2 (103) at SK3 0AA (his placement
// is not a home), F3 (104, 105) at SK4 1AA; 106, unborn and in no family, is a family of her own
// at SK7 1AA, written with her expected date of birth. 104 is in F3 (her first row); 105's sex U
// is her gender's F; 107 (no date of birth) and 108 (no sex) are not written. Eight contacts in
// date order: four from ssd_contacts and four early help episodes, the reasons Parenting support,
// Domestic Abuse and Family Conflict naming a service and Other not; C8 (30 November 2022) is
// before the period this load takes.
func TestWriteLoad(t *testing.T) {
	x := readExtract(t)
	dir := t.TempDir()
	w, err := x.WriteLoad(dir, Options{Council: "E08000007", Earliest: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), Latest: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"families.csv": `family_id,council_code,postcode
1,E08000007,SK11AA
2,E08000007,SK30AA
3,E08000007,SK41AA
4,E08000007,SK71AA
`,
		"people.csv": `person_id,family_id,role,sex,birth_date,send,relation
101,1,child,F,2015-06-01,false,
102,1,child,M,2012-09-12,false,
103,2,child,M,2007-02-10,false,
104,3,child,F,2019-11-20,true,
105,3,child,F,2021-04-05,false,
106,4,child,F,2025-05-01,false,
`,
		"contacts.csv": `contact_id,contact_date,council_code,postcode,site_id,service_code,channel,family_id,child_id,carer_id,age_band
1,2023-01-15,E08000007,SK11AA,,parenting,home visit,1,101,,5-11
2,2023-09-01,E08000007,SK41AA,,domestic_abuse,home visit,3,104,,3-4
3,2024-02-01,E08000007,SK30AA,,parenting,home visit,2,103,,12-19
4,2024-03-01,E08000007,SK41AA,,relationship_support,home visit,3,105,,0-2
5,2024-03-12,E08000007,SK11AA,,parenting,home visit,1,102,,5-11
6,2024-05-10,E08000007,SK11AA,,parenting,home visit,1,101,,5-11
7,2024-09-01,E08000007,SK71AA,,parenting,home visit,4,106,,0-2
8,2025-04-01,E08000007,SK30AA,,parenting,home visit,2,103,,12-19
`,
	}
	for name, body := range want {
		if got := readFile(t, filepath.Join(dir, name)); got != body {
			t.Errorf("%s:\n%s\nwant:\n%s", name, got, body)
		}
		if st, _ := os.Stat(filepath.Join(dir, name)); st.Mode().Perm() != 0o600 {
			t.Errorf("%s is %v: personal-level records are written 0600", name, st.Mode().Perm())
		}
	}
	ids := readFile(t, filepath.Join(dir, "ssd_ids.csv"))
	for _, line := range []string{"family,ssd_family,F1,1\n", "family,ssd_person,106,4\n", "person,ssd_person,105,105\n", "contact,ssd_early_help_episodes,E2,2\n", "contact,ssd_contacts,C4,7\n"} {
		if !strings.Contains(ids, line) {
			t.Errorf("ssd_ids.csv lacks %q:\n%s", line, ids)
		}
	}
	if w.Families != 4 || w.People != 6 || w.Contacts != 8 || w.OwnFamily != 3 {
		t.Errorf("wrote %+v", w)
	}
	if w.Defaulted["service_code parenting"] != 5 || w.Defaulted["channel home visit"] != 8 || w.Mapped["service_code parenting"] != 1 ||
		w.Mapped["service_code domestic_abuse"] != 1 || w.Mapped["service_code relationship_support"] != 1 {
		t.Errorf("defaulted %v, mapped %v", w.Defaulted, w.Mapped)
	}
	var got []string
	for _, f := range w.Findings {
		got = append(got, f.String())
	}
	wantFindings := []string{
		`ssd_family.csv:8: column 2 fami_family_id (FAMI001A): person 104 is already in family F3 on line 5: a load keeps one family a person (written in family F3)`,
		`ssd_person.csv:6: column 4 pers_sex (PERS002A): sex "U": the gender recorded (pers_gender 02) is used (written as F)`,
		`ssd_person.csv:8: column 7 pers_dob (PERS005A): no date of birth or expected date of birth: a child needs one (person and their contacts not written)`,
		`ssd_person.csv:9: column 4 pers_sex (PERS002A): sex "U" and no gender of 01 or 02: the warehouse records F or M (person and their contacts not written)`,
		`ssd_contacts.csv:9: column 3 cont_contact_date (CONT003A): 2022-11-30 is outside the period a load takes, 2023-01-01 to 2026-03-31 (contact not written)`,
	}
	if !slices.Equal(got, wantFindings) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantFindings, "\n"))
	}
	if _, err := x.WriteLoad(dir, Options{}); err == nil {
		t.Error("written without a council")
	}
}

// Converted, then loaded with the demo councils' postcode look-up into a copy of the demo
// warehouse: every postcode is placed, the families land in their LSOAs (SK1 1AA E01005822, SK3
// 0AA E01005781, SK4 1AA E01033947, SK7 1AA E01005924), Stockport's network is kept, and the
// counts at 31 March place each child at home on the day.
func TestLoadIntoDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and loads a copy of the demo warehouse; -short skips it")
	}
	demo := testdata.Warehouse(t)
	x := readExtract(t)
	dir := t.TempDir()
	if _, err := x.WriteLoad(dir, Options{Council: "E08000007"}); err != nil {
		t.Fatal(err)
	}
	if err := WriteNetwork(ctx, demo, "E08000007", dir); err != nil {
		t.Fatal(err)
	}
	l, err := load.DemoPostcodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "loaded.duckdb")
	sum, err := load.Folder(ctx, target, demo.Path, dir, load.Options{Postcodes: l})
	if err != nil {
		t.Fatal(err)
	}
	var reports []string
	for _, r := range sum.Postcodes {
		reports = append(reports, r.String())
	}
	if strings.Join(sum.Councils, ",") != "E08000007" || len(reports) != 2 ||
		!strings.HasPrefix(reports[0], "families.csv: 4 of 4 postcodes placed") || !strings.HasPrefix(reports[1], "contacts.csv: 9 of 9 postcodes placed") {
		t.Fatalf("councils %v, postcodes:\n%s", sum.Councils, strings.Join(reports, "\n"))
	}
	w, err := warehouse.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rows, err := w.QueryContext(ctx, "SELECT family_id, lsoa21_code FROM families WHERE council_code = 'E08000007' ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var id int64
		var lsoa string
		rows.Scan(&id, &lsoa)
		got = append(got, lsoa)
	}
	rows.Close()
	if want := []string{"E01005822", "E01005781", "E01033947", "E01005924"}; !slices.Equal(got, want) {
		t.Errorf("families' LSOAs %v, want %v", got, want)
	}
	var people, contacts, sites, localities, demoSites, demoLocalities int
	w.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM people JOIN families USING (family_id) WHERE council_code = 'E08000007'), "+
		"(SELECT count(*) FROM contacts WHERE council_code = 'E08000007'), (SELECT count(*) FROM sites WHERE council_code = 'E08000007'), "+
		"(SELECT count(*) FROM localities WHERE council_code = 'E08000007')").Scan(&people, &contacts, &sites, &localities)
	demo.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM sites WHERE council_code = 'E08000007'), (SELECT count(*) FROM localities WHERE council_code = 'E08000007')").Scan(&demoSites, &demoLocalities)
	if people != 6 || contacts != 9 || sites != demoSites || localities != demoLocalities || sites == 0 {
		t.Errorf("Stockport: %d people, %d contacts (want 6, 9: C8 is in the default period), %d sites, %d localities (demo %d, %d)", people, contacts, sites, localities, demoSites, demoLocalities)
	}

	// the counts by neighbourhood, with the same look-up
	c := x.CountAt(2025, l)
	if by := c.ByLSOA(); !slices.Equal(by, []Neighbourhood{{"E01005781", 1, 1, 0}, {"E01005822", 1, 0, 0}, {"E01033947", 0, 0, 1}}) {
		t.Errorf("31 March 2025 by LSOA: %+v", by)
	}
	c = x.CountAt(2022, l)
	if by := c.ByLSOA(); !slices.Equal(by, []Neighbourhood{{"E01005781", 1, 0, 1}, {"E01005875", 1, 1, 0}}) {
		t.Errorf("31 March 2022 by LSOA (101 at SK2 5AA then): %+v", by)
	}
}
