package load_test

import (
	"strings"
	"testing"

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
