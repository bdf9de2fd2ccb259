package postcodes

import (
	"bytes"
	"strings"
	"testing"
)

// An NSPL-shaped look-up (ONS's column names, a terminated postcode, a non-geographic one with
// no LSOA, and one in another council).
const nspl = `pcd,pcd2,pcds,dointr,doterm,usertype,oseast1m,osnrth1m,laua,lsoa21cd
SK1 1AA,SK1  1AA,SK1 1AA,198001,,0,389800,390400,E08000007,E01005822
SK4 2BB,SK4  2BB,SK4 2BB,198001,,0,389000,391000,E08000007,E01005900
SK5 6SZ,SK5  6SZ,SK5 6SZ,198001,201606,0,390000,392000,E08000007,E01005950
SK1 9ZZ,SK1  9ZZ,SK1 9ZZ,200001,,1,,,E08000007,
WV1 1AA,WV1  1AA,WV1 1AA,198001,,0,391000,298000,E08000031,E01010400
`

func lookup(t *testing.T) *Lookup {
	t.Helper()
	l, err := Read(strings.NewReader(nspl), "NSPL_NOV_2025_UK.csv", false)
	if err != nil {
		t.Fatal(err)
	}
	if l.Len() != 5 {
		t.Fatalf("%d postcodes", l.Len())
	}
	return l
}

func TestNormalise(t *testing.T) {
	for in, want := range map[string]string{"sk1 1aa": "SK11AA", " SK1  1AA ": "SK11AA", "WF127JF": "WF127JF", "m1 1ae": "M11AE", "EC1A 1BB": "EC1A1BB"} {
		if got, ok := Normalise(in); got != want || !ok {
			t.Errorf("%q: %q %v, want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"SK1", "12345", "SK1 1A", "SK11 AAA", "NOT KNOWN", "SK1-1AA"} {
		if _, ok := Normalise(bad); ok {
			t.Errorf("%q taken for a postcode", bad)
		}
	}
}

// Every row is accounted for: placed (however it is spaced or cased), terminated (placed in its
// last LSOA and counted), or not placed with its reason, line and column.
func TestGeocodeReportsEveryPostcode(t *testing.T) {
	in := "family_id,council_code,postcode\n" +
		"1,E08000007,SK1 1AA\n" + // placed
		"2,E08000007,sk42bb\n" + // placed: case and spacing normalised
		"3,E08000007,SK5 6SZ\n" + // terminated in 2016: placed in its last LSOA
		"4,E08000007,SK9 9XX\n" + // well-formed, not in the look-up
		"5,E08000007,NOT KNOWN\n" + // not a postcode
		"6,E08000007,\n" + // blank
		"7,E08000007,SK1 9ZZ\n" + // non-geographic: no LSOA
		"8,E08000007,WV1 1AA\n" // Wolverhampton's, for a Stockport family
	councils := map[string]string{"E01005822": "E08000007", "E01005900": "E08000007", "E01005950": "E08000007", "E01010400": "E08000031"}
	var out bytes.Buffer
	rep, err := Geocode(strings.NewReader(in), "families.csv", &out, lookup(t), func(l string) string { return councils[l] })
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 8 || rep.Matched != 3 || rep.Terminated != 1 || rep.Unmatched() != 5 {
		t.Errorf("rows %d, matched %d, terminated %d, unmatched %d", rep.Rows, rep.Matched, rep.Terminated, rep.Unmatched())
	}
	for reason, n := range map[string]int{Unknown: 1, Malformed: 1, Blank: 1, NoLSOA: 1, Elsewhere: 1} {
		if rep.Unplaced[reason] != n {
			t.Errorf("%s: %d, want %d", reason, rep.Unplaced[reason], n)
		}
	}
	if p := rep.First[Unknown]; len(p) != 1 || p[0] != (Place{5, 3}) {
		t.Errorf("the unknown postcode is at %v, want line 5 column 3", p)
	}
	want := "family_id,council_code,lsoa21_code\n1,E08000007,E01005822\n2,E08000007,E01005900\n3,E08000007,E01005950\n" +
		"4,E08000007,\n5,E08000007,\n6,E08000007,\n7,E08000007,\n8,E08000007,E01010400\n"
	if out.String() != want {
		t.Errorf("rewritten file:\n%s\nwant\n%s", out.String(), want)
	}
	if strings.Contains(out.String(), "SK1") {
		t.Error("a postcode was written out")
	}
	s := rep.String()
	for _, w := range []string{"families.csv: 3 of 8 postcodes placed in a 2021 LSOA (37.5%) using NSPL_NOV_2025_UK.csv", "1 terminated postcode(s) placed in their last LSOA",
		"1 not placed: not in the look-up (first at line 5)", "1 not placed: placed in another council's LSOA (first at line 9)"} {
		if !strings.Contains(s, w) {
			t.Errorf("report lacks %q:\n%s", w, s)
		}
	}
	faults := rep.Faults().Error()
	if !strings.Contains(faults, `families.csv:5:3: postcode "SK99XX" not in the look-up: correct it, or give the row's LSOA in an lsoa21_code column`) {
		t.Errorf("faults:\n%s", faults)
	}
}

// A row that gives its own LSOA keeps it; the postcode column is not written out.
func TestGivenLSOAIsKept(t *testing.T) {
	in := "contact_id,lsoa21_code,postcode,council_code\n1,E01005999,,E08000007\n2,,SK1 1AA,E08000007\n"
	var out bytes.Buffer
	rep, err := Geocode(strings.NewReader(in), "contacts.csv", &out, lookup(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Given != 1 || rep.Matched != 1 || rep.Rows != 1 {
		t.Errorf("given %d, matched %d of %d", rep.Given, rep.Matched, rep.Rows)
	}
	if want := "contact_id,lsoa21_code,council_code\n1,E01005999,E08000007\n2,E01005822,E08000007\n"; out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

func TestLookupNeedsItsColumns(t *testing.T) {
	_, err := Read(strings.NewReader("pcds,lsoa11cd\nSK1 1AA,E01000001\n"), "old.csv", false)
	if err == nil || !strings.Contains(err.Error(), "no 2021 LSOA column: ONS's postcode directories call it lsoa21cd") {
		t.Errorf("a look-up without 2021 LSOAs: %v", err)
	}
	_, err = Read(strings.NewReader(""), "empty.csv", false)
	if err == nil || !strings.Contains(err.Error(), "empty.csv:1:1: cannot read the header row of the postcode look-up: the file is empty") {
		t.Errorf("empty: %v", err)
	}
}

func FuzzGeocode(f *testing.F) {
	f.Add("family_id,council_code,postcode\n1,E08000007,SK1 1AA\n2,E08000007,sk4 2bb\n")
	f.Add("postcode,lsoa21_code\n\"SK1\n")
	l, _ := Read(strings.NewReader(nspl), "nspl.csv", false)
	f.Fuzz(func(t *testing.T, s string) {
		var out bytes.Buffer
		rep, err := Geocode(strings.NewReader(s), "f.csv", &out, l, func(string) string { return "E08000007" })
		if err == nil && rep.Matched+rep.Unmatched() != rep.Rows {
			t.Errorf("%d matched and %d not placed of %d rows", rep.Matched, rep.Unmatched(), rep.Rows)
		}
		_ = rep.String()
		rep.Faults()
	})
}
