package load

import (
	"testing"
)

// FuzzParse: no file content may panic the loader's reader; whatever it accepts has every
// column it promised.
func FuzzParse(f *testing.F) {
	for _, body := range brokenFiles {
		f.Add([]byte(body))
	}
	f.Add([]byte("\ufeffcontact_id,contact_date\n1,\"2024"))
	f.Add([]byte{0xff, 0xfe, 'a', '\n'})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, spec := range files {
			recs, _ := parse(spec, data)
			for _, r := range recs {
				if len(r.row(spec)) != len(spec.columns) {
					t.Fatalf("%s: a record with %d of %d columns", spec.name, len(r.row(spec)), len(spec.columns))
				}
			}
		}
	})
}
