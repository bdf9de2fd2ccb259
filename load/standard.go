package load

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"time"

	"familyhubs/postcodes"
	"familyhubs/queries"
)

// ExportSSDA903 writes, for each council with a network, a SYNTHETIC children looked after return
// in DfE's SSDA903 shape (header.csv and episodes.csv, DD/MM/YYYY) in DIR/ssda903-SLUG/: one child
// for each child the warehouse places in a neighbourhood at 31 March (care_neighbourhood: DfE's
// published council total shared among LSOAs), with an episode open on that 31 March only and a
// real home postcode of that LSOA (from the look-up given: the demo's derived one). So the return
// counts DfE's published figure at every 31 March, and placing its postcodes gives the
// warehouse's neighbourhood figures back: the demo's care records can come through the same door
// as a council's. Children, dates and codes are invented, deterministically. It returns the
// folders written.
func ExportSSDA903(ctx context.Context, db queries.Querier, dir string, l *postcodes.Lookup) ([]string, error) {
	q := &queries.Query{Name: "export looked after", SQL: sqlText("export_looked_after.sql")}
	res, err := q.Run(ctx, db, nil)
	if err != nil {
		return nil, err
	}
	inLSOA := l.InLSOA()
	type out struct {
		header, episodes *csv.Writer
		files            []*os.File
		bufs             []*bufio.Writer
	}
	open := map[string]*out{}
	var folders []string
	closeAll := func() error {
		var first error
		for _, o := range open {
			o.header.Flush()
			o.episodes.Flush()
			for i, b := range o.bufs {
				if err := b.Flush(); err != nil && first == nil {
					first = err
				}
				if err := o.files[i].Close(); err != nil && first == nil {
					first = err
				}
			}
		}
		return first
	}
	create := func(path string) (*os.File, error) {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err == nil {
			err = f.Chmod(0o600)
		}
		return f, err
	}
	day := func(t time.Time) string { return t.Format("02/01/2006") }
	child := 0
	for _, row := range res.Rows {
		council, slug, lsoa := res.Str(row, "council_code"), res.Str(row, "slug"), res.Str(row, "lsoa21_code")
		year, _ := res.Float(row, "year")
		n, _ := res.Float(row, "number")
		last, _ := res.Float(row, "last_year")
		o := open[council]
		if o == nil {
			folder := filepath.Join(dir, "ssda903-"+slug)
			if err := os.MkdirAll(folder, 0o700); err != nil {
				closeAll()
				return nil, err
			}
			o = &out{}
			for _, name := range []string{"header.csv", "episodes.csv"} {
				f, err := create(filepath.Join(folder, name))
				if err != nil {
					closeAll()
					return nil, err
				}
				b := bufio.NewWriter(f)
				o.files, o.bufs = append(o.files, f), append(o.bufs, b)
			}
			o.header, o.episodes = csv.NewWriter(o.bufs[0]), csv.NewWriter(o.bufs[1])
			o.header.Write([]string{"CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"})
			o.episodes.Write([]string{"CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"})
			open[council] = o
			folders = append(folders, folder)
		}
		pcs := inLSOA[lsoa]
		if len(pcs) == 0 {
			closeAll()
			return nil, fmt.Errorf("no postcode in %s's look-up for LSOA %s", l.Source, lsoa)
		}
		march := time.Date(int(year), 3, 31, 0, 0, 0, 0, time.UTC)
		for i := 0; i < int(n); i++ {
			child++
			h := hash64(fmt.Sprintf("%s|%d|%s|%d", council, int(year), lsoa, i))
			age := int(h % 18)
			dob := march.AddDate(-age-1, 0, 1+int(h>>8%364)) // aged `age` on the day
			start := march.AddDate(0, 0, -int(h>>20%365))    // within the year to the day
			if start.Before(dob) {
				start = dob
			}
			end, reason := "", ""
			if int(year) < int(last) { // ceases within the next year, before its 31 March
				end, reason = day(march.AddDate(0, 0, 1+int(h>>32%364))), "E4A"
			}
			sex := "1"
			if h>>44%2 == 1 {
				sex = "2"
			}
			id := fmt.Sprintf("%d", 100000+child)
			pc := pcs[int(h>>48)%len(pcs)]
			pc = pc[:len(pc)-3] + " " + pc[len(pc)-3:]
			o.header.Write([]string{id, sex, day(dob), "WBRI", "", "", ""})
			o.episodes.Write([]string{id, day(start), "S", "C2", "N1", "U1", "PR1", end, reason, "", pc, "", ""})
		}
	}
	if err := closeAll(); err != nil {
		return nil, err
	}
	return folders, nil
}

func hash64(s string) uint64 {
	h := fnv.New64a()
	io.WriteString(h, s)
	return h.Sum64()
}

// ExportStandard writes the demo as a council's systems would hold it: the load files with each
// family's home postcode (a real postcode of its LSOA from the look-up) in place of its LSOA code,
// in families.csv and contacts.csv, as case systems and the Standard Safeguarding Dataset give
// them; and each council's children looked after as an SSDA903 return (ExportSSDA903). hubs load
// --postcodes demo places the postcodes and gives the demo's figures back.
func ExportStandard(ctx context.Context, db queries.Querier, dir string, l *postcodes.Lookup) error {
	if err := Export(ctx, db, dir); err != nil {
		return err
	}
	homes := NewHomes(l)
	place := homes.Postcode
	// the LSOA column of each file, and the column naming the family
	for _, f := range []struct {
		name         string
		lsoa, family int
	}{{"families.csv", 2, 0}, {"contacts.csv", 3, 7}} {
		if err := rewriteColumn(filepath.Join(dir, f.name), f.lsoa, "postcode", func(rec []string) (string, error) {
			return place(rec[f.family], rec[f.lsoa])
		}); err != nil {
			return err
		}
	}
	_, err := ExportSSDA903(ctx, db, dir, l)
	return err
}

// Homes gives the demo's families home postcodes: a real postcode of the family's LSOA, the
// same one for the same family and LSOA on every export.
type Homes struct {
	inLSOA map[string][]string
	source string
}

// NewHomes gives homes from the postcodes of look-up l.
func NewHomes(l *postcodes.Lookup) *Homes { return &Homes{inLSOA: l.InLSOA(), source: l.Source} }

// Postcode is the home postcode, spaced as ONS writes it, of family (its id) living in lsoa.
func (h *Homes) Postcode(family, lsoa string) (string, error) {
	pcs := h.inLSOA[lsoa]
	if len(pcs) == 0 {
		return "", fmt.Errorf("no postcode in %s's look-up for LSOA %s", h.source, lsoa)
	}
	pc := pcs[int(hash64("family|"+family)%uint64(len(pcs)))]
	return pc[:len(pc)-3] + " " + pc[len(pc)-3:], nil
}

// rewriteColumn replaces one column of a CSV file (header renamed, each value from value), in
// place and readable by its owner alone.
func rewriteColumn(path string, col int, name string, value func(rec []string) (string, error)) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := path + ".new"
	err = writePrivate(tmp, func(w io.Writer) error {
		cr := csv.NewReader(bufio.NewReaderSize(in, 1<<20))
		cr.ReuseRecord = true
		cw := csv.NewWriter(w)
		header, err := cr.Read()
		if err != nil {
			return err
		}
		header[col] = name
		cw.Write(header)
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			v, err := value(rec)
			if err != nil {
				return err
			}
			rec[col] = v
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
