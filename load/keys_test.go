package load_test

import (
	"strings"
	"testing"
	"time"

	. "familyhubs/load"
	"familyhubs/warehouse"
)

const (
	keyA = "3be1687997f19a03ea9fce5a6bf8e54987af2da831af2afc19bc49910ee0dd9c"
	keyB = "9d0669f77145a816dfe97f16d82f3715743e9f47a4c36f9d1cb180f55a49eb4b"
)

// people.csv's optional linkage_key column is stored in person_keys (lower case), replaced with
// the council's people; a key that is not 64 hex characters, or one given to two people of the
// council, is refused, named by file, line and column, and nothing is loaded.
func TestLinkageKeys(t *testing.T) {
	base, target := copyOfDemo(t)
	files := CleanFolder()
	files["people.csv"] = "person_id,family_id,role,sex,birth_date,send,relation,linkage_key\n" +
		"10,1,child,F,2020-05-01,false,," + keyA + "\n11,1,carer,F,,,mother,\n" +
		"20,2,child,M,2001-03-01,true,," + strings.ToUpper(keyB) + "\n21,2,carer,M,,,father,\n"
	sum, err := Folder(ctx, target, base, writeFolder(t, files), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Bulk {
		t.Error("a people file with linkage keys took the bulk path, which does not read them")
	}
	w, err := warehouse.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	var got string
	err = w.QueryRowContext(ctx, "SELECT string_agg(council_code || ' ' || person_id || ' ' || linkage_key, '; ' ORDER BY person_id) FROM person_keys").Scan(&got)
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	if want := "E08000007 10 " + keyA + "; E08000007 20 " + keyB; got != want {
		t.Errorf("person_keys %s\nwant %s", got, want)
	}

	before := fileHash(t, target)
	files["people.csv"] = "person_id,family_id,role,sex,birth_date,send,relation,linkage_key\n" +
		"10,1,child,F,2020-05-01,false,," + keyA + "\n11,1,carer,F,,,mother,9434765919\n" +
		"20,2,child,M,2001-03-01,true,," + keyA + "\n21,2,carer,M,,,father,\n"
	_, err = Folder(ctx, target, base, writeFolder(t, files), Options{})
	for _, want := range []string{
		`people.csv:3:23: linkage_key: "9434765919" is not a linkage key: 64 hexadecimal characters`,
		"people.csv:4:31: linkage_key: person 10 on line 2 has the same key: a key names one person of a council",
		"nothing was loaded",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in: %v", want, err)
		}
	}
	if after := fileHash(t, target); after != before {
		t.Error("a refused load changed the warehouse")
	}
	noCopies(t, target)
}

// A load of one span replaces the keys of the people in its files (none, when people.csv gives no
// linkage_key column) and keeps the others; a key another person of the council already holds is
// refused, named where the file gives it.
func TestLinkageKeysInASpan(t *testing.T) {
	base, target := copyOfDemo(t)
	files := CleanFolder()
	files["people.csv"] = "person_id,family_id,role,sex,birth_date,send,relation,linkage_key\n" +
		"10,1,child,F,2020-05-01,false,," + keyA + "\n11,1,carer,F,,,mother,\n" +
		"20,2,child,M,2001-03-01,true,," + keyB + "\n21,2,carer,M,,,father,\n"
	if _, err := Folder(ctx, target, base, writeFolder(t, files), Options{}); err != nil {
		t.Fatal(err)
	}
	span := warehouse.Span{Start: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)}
	files["families.csv"] = "family_id,council_code,lsoa21_code\n2,E08000007,E01005918\n"
	files["contacts.csv"] = "contact_id,contact_date,council_code,lsoa21_code,site_id,service_code,channel,family_id,child_id,carer_id,age_band\n" +
		"101,2024-06-04,E08000007,E01005918,,send_support,home visit,2,20,,20-25\n"
	files["people.csv"] = "person_id,family_id,role,sex,birth_date,send,relation,linkage_key\n" +
		"20,2,child,M,2001-03-01,true,," + keyA + "\n21,2,carer,M,,,father,\n"
	before := fileHash(t, target)
	_, err := Folder(ctx, target, base, writeFolder(t, files), Options{Span: &span})
	if want := "people.csv:2:31: linkage_key: person 20 has the key of person 10 of the same council: a key names one person"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("missing %q in: %v", want, err)
	}
	if after := fileHash(t, target); after != before {
		t.Error("a refused load changed the warehouse")
	}
	files["people.csv"] = "person_id,family_id,role,sex,birth_date,send,relation\n20,2,child,M,2001-03-01,true,\n21,2,carer,M,,,father\n"
	if _, err := Folder(ctx, target, base, writeFolder(t, files), Options{Span: &span}); err != nil {
		t.Fatal(err)
	}
	w, err := warehouse.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var got string
	if err := w.QueryRowContext(ctx, "SELECT string_agg(person_id || ' ' || linkage_key, '; ' ORDER BY person_id) FROM person_keys").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if want := "10 " + keyA; got != want {
		t.Errorf("person_keys %s, want %s", got, want)
	}
}

// A council's own export gives the linkage key through its mapping like any column.
func TestMappedLinkageKey(t *testing.T) {
	demo, target := copyOfDemo(t)
	dir, mapping := councilFolder(t, map[string][2]string{
		"mapping.toml":           {`person_id = "Person ID"`, "person_id = \"Person ID\"\nlinkage_key = \"Notes\""},
		"EHM_Family_Members.csv": {"\"moved in\nin 2024\"", strings.ToUpper(keyA)},
	})
	if _, err := Folder(ctx, target, demo, dir, Options{Mapping: readMapping(t, mapping)}); err != nil {
		t.Fatal(err)
	}
	db, err := warehouse.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, want := rowsOf(t, db, "SELECT council_code, person_id, linkage_key FROM person_keys"), "E08000007,3000000022,"+keyA; got != want {
		t.Errorf("person_keys %s, want %s", got, want)
	}
}
