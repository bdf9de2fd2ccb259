package load_test

import (
	. "familyhubs/load"
	"fmt"
	"strings"
	"testing"

	"familyhubs/warehouse"
)

// change replaces the first occurrence of old in one file of a clean folder.
func change(file, old, new string) map[string]string {
	f := CleanFolder()
	if !strings.Contains(f[file], old) {
		panic(file + " has no " + old)
	}
	f[file] = strings.Replace(f[file], old, new, 1)
	return f
}

// The bulk path must refuse everything the Go reader refuses: each rule the Go reader applies to
// families, people and contacts is broken once in an otherwise clean folder, and the load must
// fail with the Go reader's fault (had SQL let it through, the load would have succeeded).
func TestBulkPathRefusesWhatTheGoReaderRefuses(t *testing.T) {
	base, target := copyOfDemo(t)
	sum, err := Folder(ctx, target, base, writeFolder(t, CleanFolder()), Options{})
	if err != nil || !sum.Bulk || sum.Rows["contacts"] != 3 || sum.Rows["people"] != 4 {
		t.Fatalf("the clean folder: %v, %+v", err, sum)
	}
	cases := []struct {
		folder map[string]string
		want   string
	}{
		{change("families.csv", "2,E08000007", "1,E08000007"), "families.csv:3:1: family_id: 1 is already on line 2"},
		{change("families.csv", "2,E08000007,E01005918", "2,E08000099,E01005918"), `families.csv:3:3: council_code: "E08000099" is not an English council code`},
		{change("families.csv", "2,E08000007,E01005918", "2,E08000007,E01011111"), "families.csv:3:13: lsoa21_code: LSOA E01011111 belongs to"},
		{change("families.csv", "2,E08000007,E01005918", "2,E08000007,"), "families.csv:3:13: lsoa21_code: a value is required"},
		{change("people.csv", "20,2,child", "20,3,child"), "people.csv:4:4: family_id: family 3 is not in families.csv"},
		{change("people.csv", "21,2,carer,M", "21,2,uncle,M"), `people.csv:5:6: role: "uncle": use child or carer`},
		{change("people.csv", "21,2,carer,M", "21,2,carer,X"), `people.csv:5:12: sex: "X": use F or M`},
		{change("people.csv", "2001-03-01", ""), "people.csv:4:14: birth_date: a child needs a birth date"},
		{change("people.csv", "2001-03-01", "1899-12-31"), "people.csv:4:14: birth_date: 1899-12-31 is not a possible birth date"},
		{change("people.csv", "21,2,carer", "20,2,carer"), "people.csv:5:1: person_id: 20 is already on line 4"},
		{change("contacts.csv", "101,2024", "100,2024"), "contacts.csv:3:1: contact_id: 100 is already on line 2"},
		{change("contacts.csv", "100,2024-06-03,E08000007,E01005918", "100,2024-06-03,E08000007,E01011111"), "contacts.csv:2:26: lsoa21_code: LSOA E01011111 belongs to"},
		{change("contacts.csv", "2019-11-01", "2009-11-01"), "contacts.csv:4:5: contact_date: 2009-11-01 is outside the period"},
		{change("contacts.csv", ",S1,parenting", ",S7,parenting"), `contacts.csv:2:36: site_id: "S7" is not a site in sites.csv`},
		{change("contacts.csv", "parenting,hub", "parenting,castle"), `contacts.csv:2:49: channel: "castle": use hub`},
		{change("contacts.csv", "parenting,hub,1,10", "knitting,hub,1,10"), `contacts.csv:2:39: service_code: "knitting" is not a service code`},
		{change("families.csv", "2,E08000007,E01005918", "2,E08000007,E01005743"), "contacts.csv:3:26: lsoa21_code: family 2 lives in E01005743"},
		{change("contacts.csv", "hub,1,10,11,3-4", "hub,1,11,11,3-4"), "contacts.csv:2:55: child_id: person 11 is not a child of family 1"},
		{change("contacts.csv", "hub,1,10,11,3-4", "hub,1,99,11,3-4"), "contacts.csv:2:55: child_id: person 99 is not in people.csv"},
		{change("contacts.csv", "hub,1,10,11,3-4", "hub,1,10,11,5-11"), `contacts.csv:2:61: age_band: "5-11", but the child is 4`},
		{change("contacts.csv", "hub,1,10,11,0-2", "hub,1,10,11,3-4"), `contacts.csv:4:71: age_band: "3-4", but the child is not yet born`},
		{change("contacts.csv", "hub,1,10,11,3-4", "hub,1,10,10,3-4"), "contacts.csv:2:58: carer_id: person 10 is not a carer of family 1"},
		{change("contacts.csv", "hub,1,10,11,3-4", "hub,1,10,21,3-4"), "contacts.csv:2:58: carer_id: person 21 is not a carer of family 1"},
		{change("contacts.csv", "2,20,,20-25", "2,20,,12-19"), `contacts.csv:3:67: age_band: "12-19", but the child is 23`},
		{change("contacts.csv", "hub,1,10,11,3-4", "hub,1,10,11,"), "contacts.csv:2:61: age_band: a value is required"},
		{change("people.csv", "mother", "m\xa3ther"), "people.csv:3:16: the file is not UTF-8"},
	}
	for _, c := range cases {
		_, err := Folder(ctx, target, base, writeFolder(t, c.folder), Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("want %q, got %v", c.want, err)
		}
	}
}

// What the bulk path is too strict for (a value written another way than the canonical one) still
// loads, through the Go reader, to the same records.
func TestBulkPathDeclinesToTheGoReader(t *testing.T) {
	base, target := copyOfDemo(t)
	for _, f := range []map[string]string{
		change("people.csv", "2001-03-01,true", "2001-03-01,yes"),
		change("families.csv", "2,E08000007", "002,E08000007"),
		change("contacts.csv", "parenting,hub", "parenting, hub"),
		change("contacts.csv", "100,2024", "\"100\",2024"),
	} {
		sum, err := Folder(ctx, target, base, writeFolder(t, f), Options{})
		if err != nil || sum.Bulk || sum.Rows["contacts"] != 3 {
			t.Errorf("%v, %+v", err, sum)
		}
	}
}

// The bulk path stages exactly what the Go reader stages: the same folder loaded both ways gives
// the same families, people and contacts, value for value (NULLs, booleans and dates included).
func TestBulkPathStagesWhatTheGoReaderStages(t *testing.T) {
	base, viaBulk := copyOfDemo(t)
	_, viaGo := copyOfDemo(t)
	dir := writeFolder(t, CleanFolder())
	a, err := Folder(ctx, viaBulk, base, dir, Options{})
	if err != nil || !a.Bulk {
		t.Fatalf("bulk: %v, %+v", err, a)
	}
	b, err := Folder(ctx, viaGo, base, dir, Options{}.WithGoReader())
	if err != nil || b.Bulk {
		t.Fatalf("Go reader: %v, %+v", err, b)
	}
	if a.Version != b.Version || fmt.Sprint(a.Rows) != fmt.Sprint(b.Rows) || fmt.Sprint(a.Councils) != fmt.Sprint(b.Councils) {
		t.Errorf("summaries differ: %+v and %+v", a, b)
	}
	// what Stockport's folder put in each warehouse, every column, in one order
	dump := func(file string) string {
		w, err := warehouse.Open(ctx, file)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		rows, err := w.QueryContext(ctx, `
			SELECT 'family', f::VARCHAR FROM families f WHERE council_code = 'E08000007'
			UNION ALL SELECT 'person', p::VARCHAR FROM people p
			    WHERE family_id IN (SELECT family_id FROM families WHERE council_code = 'E08000007')
			UNION ALL SELECT 'contact', c::VARCHAR FROM contacts c WHERE council_code = 'E08000007'
			ORDER BY ALL`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var kind, row string
			if err := rows.Scan(&kind, &row); err != nil {
				t.Fatal(err)
			}
			out = append(out, kind+" "+row)
		}
		return strings.Join(out, "\n")
	}
	got, want := dump(viaBulk), dump(viaGo)
	if strings.Count(want, "\n") != 2+4+3-1 {
		t.Fatalf("the Go reader loaded:\n%s", want)
	}
	if got != want {
		t.Errorf("the two paths staged different records; bulk:\n%s\nGo reader:\n%s", got, want)
	}
}
