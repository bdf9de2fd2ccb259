package load

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"testing"
)

// readAllCSV reads every record the load's CSV reader finds, its problems, and the largest
// buffer it held.
func readAllCSV(t *testing.T, data []byte) (recs [][]string, pos [][]position, probs []*csvProblem, peak int) {
	r := newCSVReader(bytes.NewReader(data))
	for n := 0; ; n++ {
		if n > len(data)+1 {
			t.Fatalf("more reads than bytes: the reader is not moving on")
		}
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return recs, pos, probs, r.peak
		}
		var p *csvProblem
		if errors.As(err, &p) {
			probs = append(probs, p)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		var ps []position
		for i := range rec {
			l, c := r.FieldPos(i)
			ps = append(ps, position{l, c})
		}
		recs = append(recs, append([]string(nil), rec...))
		pos = append(pos, ps)
	}
}

// FuzzParse: no file may panic or stall the loader's CSV reader, and where encoding/csv reads a
// file without fault, the reader reads the same values at the same places (and finds no fault
// where encoding/csv finds none).
func FuzzParse(f *testing.F) {
	for _, body := range BrokenFiles {
		f.Add([]byte(body))
	}
	for _, body := range CleanFolder() {
		f.Add([]byte(body))
	}
	f.Add([]byte("\ufeffcontact_id,contact_date\n1,\"2024"))
	f.Add([]byte{0xff, 0xfe, 'a', '\n'})
	f.Add([]byte("a,\"b\nc\"\"d\",e\r\n\r\n1,2,3\r"))
	f.Add([]byte("a,b\n\"x\"y,1\n2,\"3\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, pos, probs, peak := readAllCSV(t, data)
		if peak > maxRecord+64<<10 {
			t.Fatalf("held %d bytes", peak)
		}
		if bytes.HasPrefix(data, []byte("\ufeff")) {
			return
		}
		cr := csv.NewReader(bytes.NewReader(data))
		cr.FieldsPerRecord = -1
		var want [][]string
		var wantPos [][]position
		for {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				if len(probs) == 0 {
					t.Fatalf("encoding/csv: %v, the load's reader: no problem", err)
				}
				return
			}
			var ps []position
			for i := range rec {
				l, c := cr.FieldPos(i)
				ps = append(ps, position{l, c})
			}
			want, wantPos = append(want, rec), append(wantPos, ps)
		}
		if len(probs) > 0 {
			t.Fatalf("encoding/csv reads it, the load's reader finds %v", probs[0])
		}
		if fmt.Sprintf("%q %v", recs, pos) != fmt.Sprintf("%q %v", want, wantPos) {
			t.Fatalf("read %q at %v, encoding/csv %q at %v", recs, pos, want, wantPos)
		}
	})
}
