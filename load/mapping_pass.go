package load

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"familyhubs/fault"
	"familyhubs/postcodes"
)

// The mapping pass: before anything else reads them, the files a mapping names are rewritten in
// the load format into a private folder beside the warehouse (0700, its files 0600, removed when
// the load ends; a killed load's folder is removed by the next, as its copy is), and the load
// reads that folder. Each record is written on the line it had in the council's file (blank lines
// keep the count), so a later check's line is the council's, and its fault is placed back in the
// council's file, column and column name (place). Faults of the pass itself (a date not in the
// declared format, a code not in the map, a column not in the file) stop the load, summarised by
// kind with the first few of each.

// MappingReport says what a load's mapping pass did.
type MappingReport struct {
	File  string // the mapping file
	Files []MappedFile
	Took  time.Duration // part of the load's Checked and Took
}

// MappedFile is one file the pass rewrote: the council's file, ours, and its records.
type MappedFile struct {
	From, To string
	Rows     int
}

func (r *MappingReport) String() string {
	var parts []string
	for _, f := range r.Files {
		parts = append(parts, fmt.Sprintf("%s as %s (%s)", f.From, f.To, count(f.Rows, "record")))
	}
	return fmt.Sprintf("mapped by %s in %.1fs: %s", r.File, r.Took.Seconds(), strings.Join(parts, ", "))
}

// mapped is one load's mapping pass: where each of our files came from.
type mapped struct {
	m      *Mapping
	files  map[string]*mappedFile // by our file name
	report *MappingReport
}

type mappedFile struct {
	fm     *fileMapping
	header []string // the council's header row
	index  []int    // for each of fm.cols, its column in the council's file (-1: none)
	rows   int
}

// mapFolder rewrites the files m names from dir into a private folder beside dbFile and links
// the others there; it returns the folder to read (dir itself without a mapping), the pass, and a
// function removing the folder.
func mapFolder(dir, dbFile string, m *Mapping) (string, *mapped, func(), error) {
	if m == nil {
		return dir, nil, func() {}, nil
	}
	start := time.Now()
	work, err := os.MkdirTemp(filepath.Dir(dbFile), filepath.Base(dbFile)+".load-"+strconv.Itoa(os.Getpid())+"-mapped-*")
	if err != nil {
		return "", nil, nil, fmt.Errorf("making a private folder beside %s for the mapped files: %w", dbFile, err)
	}
	cleanup := func() { os.RemoveAll(work) }
	mp := &mapped{m: m, files: map[string]*mappedFile{}, report: &MappingReport{File: m.File}}
	// each file on its own: the largest (contacts) sets the time
	probs := make([]*problems, len(m.files))
	errs := make([]error, len(m.files))
	var wg sync.WaitGroup
	for i, fm := range m.files {
		mf := &mappedFile{fm: fm}
		mp.files[fm.spec.name] = mf
		probs[i] = newProblems()
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = mf.rewrite(m, dir, filepath.Join(work, fm.spec.name), probs[i])
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		cleanup()
		return "", nil, nil, err
	}
	p := newProblems()
	for _, q := range probs {
		for _, k := range q.kinds {
			p.addMany(k.file, k.kind, k.n, k.first)
		}
	}
	if err := p.err(); err != nil {
		cleanup()
		return "", nil, nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		cleanup()
		return "", nil, nil, err
	}
	for _, f := range files {
		if mp.files[f.name] != nil {
			mf := mp.files[f.name]
			mp.report.Files = append(mp.report.Files, MappedFile{From: mf.fm.from, To: f.name, Rows: mf.rows})
			continue
		}
		src := filepath.Join(abs, f.name)
		if _, err := os.Stat(src); err != nil {
			continue // the load reports it missing, in dir
		}
		if err := os.Symlink(src, filepath.Join(work, f.name)); err != nil {
			cleanup()
			return "", nil, nil, err
		}
	}
	mp.report.Took = time.Since(start)
	return work, mp, cleanup, nil
}

// rewrite writes the council's file in our layout to out, noting its faults in p.
func (mf *mappedFile) rewrite(m *Mapping, dir, out string, p *problems) error {
	fm := mf.fm
	in, err := os.Open(filepath.Join(dir, fm.from))
	if errors.Is(err, os.ErrNotExist) {
		p.add("missing file", fault.In(fm.from, 0, 0, fmt.Sprintf("not found in %s (%s line %d names it for %s)", dir, m.File, fm.line, fm.spec.name)))
		return nil
	}
	if err != nil {
		p.add("cannot read the file", fault.In(fm.from, 0, 0, "cannot read the file: "+err.Error()))
		return nil
	}
	defer in.Close()
	cr := newCSVReader(in)
	header, err := cr.Read()
	var bad *csvProblem
	switch {
	case errors.Is(err, io.EOF):
		p.add("no header row", fault.In(fm.from, 1, 1, "the file is empty: its first line names its columns"))
		return nil
	case errors.As(err, &bad):
		p.add("no header row", fault.In(fm.from, bad.line, bad.col, "the header row cannot be read ("+bad.msg+")"))
		return nil
	case err != nil:
		return fmt.Errorf("%s: %w", fm.from, err)
	}
	mf.header = append([]string(nil), header...)
	headerLine, _ := cr.FieldPos(0)
	at := map[string]int{}
	folded := map[string]int{}
	for i, h := range mf.header {
		h = strings.TrimSpace(h)
		mf.header[i] = h
		if _, dup := at[h]; !dup {
			at[h] = i
		}
		if _, dup := folded[strings.ToLower(h)]; !dup {
			folded[strings.ToLower(h)] = i
		}
	}
	mf.index = make([]int, len(fm.cols))
	for j, c := range fm.cols {
		mf.index[j] = -1
		if c.from == "" {
			continue
		}
		i, ok := at[c.from]
		if !ok {
			i, ok = folded[strings.ToLower(c.from)]
		}
		if !ok {
			p.add("column not in the file", fault.In(fm.from, headerLine, len(header)+1, fmt.Sprintf("%q, which %s line %d names for %s, is not a column of the file: its columns are %s",
				c.from, m.File, c.line, c.ours, shortList(mf.header))))
			continue
		}
		mf.index[j] = i
	}
	if !p.empty() {
		return nil
	}
	cr.fields = len(header)
	dateLine := fm.dateLine()
	return writePrivate(out, func(w io.Writer) error {
		written := 0 // lines written
		pad := func(to int) error {
			for ; written < to; written++ {
				if _, err := w.Write([]byte{'\n'}); err != nil {
					return err
				}
			}
			return nil
		}
		var line []byte
		newlines := 0
		field := func(v string) {
			if needsQuotes(v) {
				line = append(line, '"')
				line = append(line, strings.ReplaceAll(v, `"`, `""`)...)
				line = append(line, '"')
				newlines += strings.Count(v, "\n")
				return
			}
			line = append(line, v...)
		}
		// the header, on the council's header line
		if err := pad(headerLine - 1); err != nil {
			return err
		}
		for j, c := range fm.cols {
			if j > 0 {
				line = append(line, ',')
			}
			line = append(line, c.ours...)
		}
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
		written++
		for {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if errors.As(err, &bad) {
				p.add(bad.kind, fault.In(fm.from, bad.line, bad.col, bad.msg))
				continue
			}
			if err != nil {
				return fmt.Errorf("%s: %w", fm.from, err)
			}
			recLine, _ := cr.FieldPos(0)
			if err := pad(recLine - 1); err != nil {
				return err
			}
			line, newlines = line[:0], 0
			for j, c := range fm.cols {
				if j > 0 {
					line = append(line, ',')
				}
				i := mf.index[j]
				switch {
				case c.isFixed:
					field(c.fixed)
					continue
				case i < 0:
					continue
				}
				raw := strings.TrimSpace(rec[i])
				if !utf8.ValidString(raw) {
					l, _ := cr.FieldPos(i)
					p.add("not UTF-8", fault.In(fm.from, l, i+1, fmt.Sprintf("%s: the file is not UTF-8 here: save it as UTF-8 (CSV UTF-8 in Excel)", mf.named(j))))
					continue
				}
				if c.codes != nil && (raw != "" || hasBlank(c)) {
					to, ok := c.codes[raw]
					if !ok {
						to, ok = c.folded[strings.ToLower(raw)]
					}
					if !ok {
						l, _ := cr.FieldPos(i)
						p.add("code not in the map", fault.In(fm.from, l, i+1, fmt.Sprintf("%s: %q is not among the codes %s maps for it (line %d): add it there",
							mf.named(j), short(raw), m.File, c.codesAt)))
						continue
					}
					raw = to
				}
				if c.kind == "date" && raw != "" {
					var ok bool
					if line, ok = fm.dates.parse(raw, line); !ok {
						l, _ := cr.FieldPos(i)
						p.add("date not in the declared format", fault.In(fm.from, l, i+1, fmt.Sprintf("%s: %q is not a date as %s, the format %s gives at line %d",
							mf.named(j), short(raw), fm.dates.text, m.File, dateLine)))
					}
					continue
				}
				field(raw)
			}
			line = append(line, '\n')
			if _, err := w.Write(line); err != nil {
				return err
			}
			written += 1 + newlines
			mf.rows++
		}
	})
}

// needsQuotes says whether a value must be quoted in CSV (strings.ContainsAny, without building
// its set for each of millions of values).
func needsQuotes(v string) bool {
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case ',', '"', '\n', '\r':
			return true
		}
	}
	return false
}

func hasBlank(c *colMapping) bool { _, ok := c.codes[""]; return ok }

// dateLine is the mapping file's line that declares the file's date format (its table's line
// when it gives none).
func (fm *fileMapping) dateLine() int {
	if fm.datesAt > 0 {
		return fm.datesAt
	}
	return fm.line
}

// named is a column as faults name it: the council's column, then ours.
func (mf *mappedFile) named(j int) string {
	c := mf.fm.cols[j]
	if mf.index[j] >= 0 {
		return fmt.Sprintf("%q (%s)", mf.header[mf.index[j]], c.ours)
	}
	return c.ours
}

func shortList(names []string) string {
	var q []string
	for i, n := range names {
		if i == 30 {
			q = append(q, fmt.Sprintf("and %d more", len(names)-30))
			break
		}
		q = append(q, strconv.Quote(n))
	}
	return strings.Join(q, ", ")
}

// place puts the faults a later check found in a mapped file back in the council's file: its
// name, the same line, the council's column (by number) and its name beside ours. A check names
// the column it faults first in its message ("contact_date: ..."), which says which it is.
func (mp *mapped) place(err error) error {
	var pr *Problems
	if mp == nil || err == nil || !errors.As(err, &pr) {
		return err
	}
	for _, list := range [][]*kindOf{pr.kinds, pr.knock} {
		for _, k := range list {
			mf := mp.files[k.file]
			if mf == nil {
				continue
			}
			k.file = mf.fm.from
			for i, f := range k.first {
				k.first[i] = mf.placeAt(f, k.kind)
			}
			if strings.HasPrefix(k.kind, "name a ") { // a knock-on: "name a family_id not found in families.csv"
				for name, other := range mp.files {
					k.kind = strings.Replace(k.kind, " in "+name, " in "+other.fm.from, 1)
				}
			}
		}
	}
	return pr
}

// placeAt places one fault of a mapped file.
func (mf *mappedFile) placeAt(f fault.At, kind string) fault.At {
	f.File = mf.fm.from
	col, rest, ok := strings.Cut(f.Message, ": ")
	if strings.HasPrefix(kind, "name a ") {
		col, rest, ok = strings.SplitN(kind, " ", 4)[2], "", true
	}
	j := -1
	if ok {
		for i, c := range mf.fm.cols {
			if c.ours == col {
				j = i
			}
		}
	}
	f.Column = 0
	if j < 0 {
		return f
	}
	c := mf.fm.cols[j]
	switch {
	case mf.index[j] >= 0:
		f.Column = mf.index[j] + 1
		f.Message = mf.named(j) + ": " + rest
	case c.isFixed:
		f.Message = fmt.Sprintf("%s (%q, fixed by the mapping at line %d): %s", c.ours, c.fixed, c.line, rest)
	}
	if rest == "" {
		f.Message = strings.TrimSuffix(f.Message, ": ")
	}
	return f
}

// postcodes puts the postcode pass's reports of mapped files in the council's files and columns.
func (mp *mapped) postcodes(reps []postcodes.Report) []postcodes.Report {
	if mp == nil {
		return reps
	}
	out := make([]postcodes.Report, len(reps))
	for i, r := range reps {
		out[i] = r
		mf := mp.files[r.File]
		if mf == nil {
			continue
		}
		out[i].File = mf.fm.from
		out[i].First = map[string][]postcodes.Place{}
		for reason, places := range r.First {
			for _, pl := range places {
				out[i].First[reason] = append(out[i].First[reason], postcodes.Place{Line: pl.Line, Column: mf.column(pl.Column)})
			}
		}
	}
	return out
}

// column is the council's column number for a column number of the file the pass wrote.
func (mf *mappedFile) column(n int) int {
	if n < 1 || n > len(mf.index) || mf.index[n-1] < 0 {
		return 0
	}
	return mf.index[n-1] + 1
}

// postcodeErr puts the postcode pass's refusal in the council's files: its reports and each
// postcode it could not place, worded as that pass words them (geocode).
func (mp *mapped) postcodeErr(err error, reps []postcodes.Report) error {
	var list fault.List
	if mp == nil || !errors.As(err, &list) {
		return err
	}
	if len(reps) > 0 {
		var b strings.Builder
		var faults fault.List
		for _, r := range mp.postcodes(reps) {
			b.WriteString(r.String() + "\n")
			faults = append(faults, r.Faults()...)
		}
		return fmt.Errorf("%severy record must be placed: nothing was loaded\n%w", b.String(), faults)
	}
	out := make(fault.List, len(list))
	for i, f := range list {
		out[i] = f
		if mf := mp.files[f.File]; mf != nil {
			out[i].File = mf.fm.from
		}
	}
	return out
}

// summary is the pass's report for the load's Summary (nil without a mapping).
func (mp *mapped) summary() *MappingReport {
	if mp == nil {
		return nil
	}
	return mp.report
}
