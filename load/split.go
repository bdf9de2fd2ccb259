package load

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"familyhubs/warehouse"
)

// SplitForSpan writes two load folders from an exported one (load formats, as Export writes
// them): before, with every contact outside the span and every family and person; and within,
// with the span's contacts and only the families and people they name, as a council's quarterly
// extract gives them. With council set, within holds that council's lines only (its network too).
// Both carry the network files. It returns the number of contacts within the span. hubs bench and
// the tests use it to time and check loads of one period against a whole load.
func SplitForSpan(all, before, within string, span warehouse.Span, council string) (int, error) {
	read := func(f string) ([]string, error) {
		b, err := os.ReadFile(filepath.Join(all, f))
		if err != nil {
			return nil, err
		}
		return strings.Split(strings.TrimRight(string(b), "\n"), "\n"), nil
	}
	write := func(dir, f string, lines []string) error {
		return writePrivate(filepath.Join(dir, f), func(w0 io.Writer) error {
			w := bufio.NewWriter(w0)
			for _, l := range lines {
				w.WriteString(l)
				w.WriteByte('\n')
			}
			return w.Flush()
		})
	}
	for _, d := range []string{before, within} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return 0, err
		}
	}
	// the council's column in each network file
	councilCol := map[string]int{"localities.csv": 0, "sites.csv": 1, "plan.csv": 0}
	for f, col := range councilCol {
		lines, err := read(f)
		if err != nil {
			return 0, err
		}
		if err := write(before, f, lines); err != nil {
			return 0, err
		}
		kept := lines[:1]
		for _, l := range lines[1:] {
			if council == "" || strings.Split(l, ",")[col] == council {
				kept = append(kept, l)
			}
		}
		if err := write(within, f, kept); err != nil {
			return 0, err
		}
	}
	contacts, err := read("contacts.csv")
	if err != nil {
		return 0, err
	}
	if !strings.HasPrefix(contacts[0], "contact_id,contact_date,council_code,lsoa21_code,site_id,service_code,channel,family_id,child_id,carer_id") {
		return 0, fmt.Errorf("contacts.csv: unexpected header %q", contacts[0])
	}
	out, in := contacts[:1:1], contacts[:1:1]
	fams, persons := map[string]bool{}, map[string]bool{}
	for _, l := range contacts[1:] {
		f := strings.Split(l, ",")
		d, err := time.Parse(time.DateOnly, f[1])
		if err != nil {
			return 0, fmt.Errorf("contacts.csv: contact date %q", f[1])
		}
		// another council's contacts in the span stay in before: a load of one council keeps them
		if d.Before(span.Start) || d.After(span.End) || (council != "" && f[2] != council) {
			out = append(out, l)
			continue
		}
		in = append(in, l)
		fams[f[7]] = true
		persons[f[8]] = true
		if f[9] != "" {
			persons[f[9]] = true
		}
	}
	if err := write(before, "contacts.csv", out); err != nil {
		return 0, err
	}
	if err := write(within, "contacts.csv", in); err != nil {
		return 0, err
	}
	for _, f := range []string{"families.csv", "people.csv"} {
		lines, err := read(f)
		if err != nil {
			return 0, err
		}
		if err := write(before, f, lines); err != nil {
			return 0, err
		}
		named := fams
		if f == "people.csv" {
			named = persons
		}
		kept := lines[:1:1]
		for _, l := range lines[1:] {
			if named[strings.SplitN(l, ",", 2)[0]] {
				kept = append(kept, l)
			}
		}
		if err := write(within, f, kept); err != nil {
			return 0, err
		}
	}
	return len(in) - 1, nil
}

// Inflate rewrites dir's contacts.csv with k copies of every contact (the copies with new contact
// ids, on the same day, for the same family and child): a quarter the size of a large council's
// from a demo council's, for hubs bench and the benchmarks. It returns the contacts written.
func Inflate(dir string, k int) (int, error) {
	path := filepath.Join(dir, "contacts.csv")
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	var out strings.Builder
	out.Grow(len(b) * k)
	out.WriteString(lines[0] + "\n")
	n := 0
	for i := range k {
		for no, line := range lines[1:] {
			id, rest, _ := strings.Cut(line, ",")
			v, err := strconv.ParseInt(id, 10, 64)
			if err != nil {
				return 0, fmt.Errorf("%s:%d: contact id %q: %w", path, no+2, id, err)
			}
			out.WriteString(strconv.FormatInt(v+int64(i)*100_000_000_000, 10))
			out.WriteString(",")
			out.WriteString(rest)
			out.WriteString("\n")
			n++
		}
	}
	return n, writePrivate(path, func(w io.Writer) error {
		_, err := io.WriteString(w, out.String())
		return err
	})
}
