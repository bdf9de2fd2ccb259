package load

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// contactLines is n clean contacts.csv lines for the clean folder's family, from contact id from.
func contactLines(from, n int) string {
	var b strings.Builder
	for i := from; i < from+n; i++ {
		fmt.Fprintf(&b, "%d,2024-06-03,E08000007,E01005918,S1,parenting,hub,1,10,11,3-4\n", i)
	}
	return b.String()
}

const contactsHeader = "contact_id,contact_date,council_code,lsoa21_code,site_id,service_code,channel,family_id,child_id,carer_id,age_band\n"

// A stray quote, a line of megabytes and a value too long are each one problem at their place;
// the reader goes on at the next line, and never holds much more than maxRecord bytes.
func TestCSVReaderCapsWhatItHolds(t *testing.T) {
	var b strings.Builder
	b.WriteString(contactsHeader)
	b.WriteString("1,2024-06-03,E08000007,E01005918,S1,parenting,hub,1,10,11,\"3-4\n") // line 2: never closed
	b.WriteString(contactLines(2, 100000))                                             // lines 3-100002, 6 MB
	b.WriteString(strings.Repeat("x", 3*maxRecord) + "\n")                             // line 100003
	b.WriteString("7,\"" + strings.Repeat("y", maxField+1) + "\",3\n")                 // line 100004
	b.WriteString("8,9\n")                                                             // line 100005
	b.WriteString(contactLines(200000, 10))                                            // lines 100006-100015
	b.WriteString("9,\"the end")                                                       // line 100016: never closed
	recs, pos, probs, peak := readAllCSV(t, []byte(b.String()))
	var got []string
	for _, p := range probs {
		got = append(got, fmt.Sprintf("%d:%d %s", p.line, p.col, p.kind))
	}
	want := []string{"2:59 over-long field", "100003:1 over-long line", "100004:3 over-long field", "100016:3 unclosed quote"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("problems %v, want %v", got, want)
	}
	// every line but those is read, at its own line
	if len(recs) != 1+100000+1+10 || pos[1][0].line != 3 || recs[1][0] != "2" || pos[len(pos)-1][0].line != 100015 {
		t.Errorf("read %d records; the second %v at %v, the last at %v", len(recs), recs[1], pos[1], pos[len(pos)-1])
	}
	if peak > maxRecord+64<<10 {
		t.Errorf("held %d bytes at once, more than %d", peak, maxRecord)
	}

	// a value spanning lines in quotes is read as one, where encoding/csv reads it
	recs, pos, probs, _ = readAllCSV(t, []byte("a,b\r\n\"one\r\ntwo \"\"2\"\"\",3\r\n\r\n4,5"))
	if len(probs) > 0 || fmt.Sprintf("%q %v", recs, pos) != `[["a" "b"] ["one\ntwo \"2\"" "3"] ["4" "5"]] [[{1 1} {1 3}] [{2 1} {3 12}] [{5 1} {5 3}]]` {
		t.Errorf("%q %v %v", recs, pos, probs)
	}
}

// The load's reader checks the number of values against the header.
func TestCSVReaderCountsValues(t *testing.T) {
	r := newCSVReader(bytes.NewReader([]byte("a,b,c\n1,2\n1,2,3\n")))
	if _, err := r.Read(); err != nil {
		t.Fatal(err)
	}
	r.fields = 3
	_, err := r.Read()
	if p, ok := err.(*csvProblem); !ok || p.kind != "wrong number of fields" || p.line != 2 {
		t.Errorf("got %v", err)
	}
	if rec, err := r.Read(); err != nil || len(rec) != 3 {
		t.Errorf("got %v, %v", rec, err)
	}
}
