package load

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/duckdb/duckdb-go/v2"

	"familyhubs/fault"
)

// The Go reader: every file read line by line, each line checked as it is read and appended to
// its staging table, so nothing is held but the ids later files refer to (sites, localities,
// families, people: tens of bytes each) and, for each kind of problem, a count and the first few.

// reading is one pass of the Go reader over a folder.
type reading struct {
	k    known
	opt  Options
	p    *problems
	bulk bool // the bulk files are only vetted and hashed (bulk.go); DuckDB reads them
	dc   driver.Conn
	h    hash.Hash
	// ready is false when a bulk file is not fit for DuckDB to read (bulkReady)
	ready bool

	councils   map[string]bool   // councils named, valid ones only
	sites      map[string]string // site id -> council
	localities map[string]bool   // council|locality
	families   map[int64]family
	people     map[int64]person
	// progress
	read, total int64
	lines       int
}

type family struct {
	council, lsoa string // as the reference data writes them (not held by any line read)
	line          int32
}

// person is what contacts are checked against: kept small, there may be millions.
type person struct {
	family int64
	birth  int32 // days since 1970-01-01
	role   uint8 // roleChild, roleCarer, or 0 for neither
	line   int32
	born   bool // a birth date is given
	send   bool
}

const (
	roleChild = 1 + iota
	roleCarer
)

func (p person) birthDate() time.Time { return time.Unix(int64(p.birth)*86400, 0).UTC() }

func newReading(k known, opt Options, p *problems, bulk bool, dc driver.Conn, h hash.Hash) *reading {
	return &reading{k: k, opt: opt, p: p, bulk: bulk, dc: dc, h: h, ready: true,
		councils: map[string]bool{}, sites: map[string]string{}, localities: map[string]bool{},
		families: map[int64]family{}, people: map[int64]person{}}
}

// all reads every file of dir in load order, then stages the councils named.
func (rd *reading) all(ctx context.Context, dir string) error {
	for _, f := range files {
		if st, err := os.Stat(filepath.Join(dir, f.name)); err == nil {
			rd.total += st.Size()
		}
	}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		path := filepath.Join(dir, f.name)
		if _, isBulk := bulkFiles[f.name]; rd.bulk && isBulk {
			// streamed, never held: DuckDB reads it
			rd.h.Write([]byte(f.name))
			ready, err := bulkReady(f, path, rd.h)
			if err != nil {
				rd.p.add("cannot read the file", fault.In(f.name, 0, 0, "cannot read the file: "+err.Error()))
			}
			rd.ready = rd.ready && ready
			continue
		}
		if err := rd.file(ctx, f, path); err != nil {
			return err
		}
	}
	if !rd.p.empty() {
		return nil
	}
	app, err := duckdb.NewAppenderFromConn(rd.dc, "", "load_councils")
	if err != nil {
		return err
	}
	for c := range rd.councils {
		if err := app.AppendRow(c); err != nil {
			app.Close()
			return err
		}
	}
	return app.Close()
}

// counting passes a file to the hash of the load as it is read.
type counting struct {
	f *os.File
	h hash.Hash
	n *int64
}

func (c counting) Read(b []byte) (int, error) {
	n, err := c.f.Read(b)
	c.h.Write(b[:n])
	*c.n += int64(n)
	return n, err
}

func (c counting) Seek(off int64, whence int) (int64, error) { return c.f.Seek(off, whence) }

// file reads, checks and stages one file.
func (rd *reading) file(ctx context.Context, f fileSpec, path string) error {
	in, err := os.Open(path)
	if err != nil {
		rd.p.add("cannot read the file", fault.In(f.name, 0, 0, "cannot read the file: "+err.Error()))
		rd.p.dropped[f.name]++
		return nil
	}
	defer in.Close()
	rd.h.Write([]byte(f.name))
	cr := newCSVReader(counting{in, rd.h, &rd.read})
	header, err := cr.Read()
	var bad *csvProblem
	switch {
	case errors.Is(err, io.EOF):
		rd.p.add("no header row", fault.In(f.name, 1, 1, "the file is empty: its first line names the columns "+names(f)))
		rd.p.dropped[f.name]++
		return nil
	case errors.As(err, &bad):
		rd.p.add("no header row", fault.In(f.name, bad.line, bad.col, "the header row cannot be read ("+bad.msg+"): the first line names the columns "+names(f)))
		rd.p.dropped[f.name]++
		return nil
	case err != nil:
		return fmt.Errorf("%s: %w", f.name, err)
	}
	index := map[string]int{}
	for i, h := range header {
		index[strings.TrimSpace(h)] = i
	}
	missing := false
	for _, c := range f.columns {
		if _, ok := index[c.name]; !ok {
			rd.p.add("missing column", fault.In(f.name, 1, len(header)+1, fmt.Sprintf("missing column %s: the header must name %s", c.name, names(f))))
			missing = true
		}
	}
	if missing {
		rd.p.dropped[f.name]++
		return nil
	}
	cr.fields = len(header)
	// people.csv's linkage_key, when the header names it (optionalColumns)
	keyAt := -1
	for _, o := range optionalColumns[f.name] {
		if i, ok := index[o.name]; ok && o.name == "linkage_key" {
			keyAt = i
		}
	}

	var app, ids, keys *duckdb.Appender
	closeAll := func() error {
		var errs []error
		for _, a := range []*duckdb.Appender{app, ids, keys} {
			if a != nil {
				errs = append(errs, a.Close())
			}
		}
		app, ids, keys = nil, nil, nil
		return errors.Join(errs...)
	}
	defer closeAll()
	if app, err = duckdb.NewAppenderFromConn(rd.dc, "", "load_"+f.table); err != nil {
		return err
	}
	if f.name == "contacts.csv" {
		if ids, err = duckdb.NewAppenderFromConn(rd.dc, "", "load_contact_ids"); err != nil {
			return err
		}
	}
	if keyAt >= 0 {
		if keys, err = duckdb.NewAppenderFromConn(rd.dc, "", "load_person_keys"); err != nil {
			return err
		}
	}
	c := &checker{reading: rd, f: f, pos: f.position(), seenText: map[string]int{},
		cols: make([]int, len(f.columns)), values: make([]any, len(f.columns)), row: make([]driver.Value, len(f.columns))}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.As(err, &bad) {
			rd.p.add(bad.kind, fault.In(f.name, bad.line, bad.col, bad.msg))
			rd.p.dropped[f.name]++
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		if rd.lines++; rd.lines%50000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			rd.progress(f)
		}
		if !c.read(cr, rec, index) {
			rd.p.dropped[f.name]++
			continue
		}
		c.check()
		var key string
		if keyAt >= 0 {
			key = c.linkageKey(cr, rec, keyAt)
		}
		if ids != nil {
			if err := ids.AppendRow(c.values[c.pos["contact_id"]], int64(c.line), int32(c.cols[c.pos["contact_id"]])); err != nil {
				return err
			}
		}
		if rd.p.empty() { // once the load is refused, nothing more need be staged
			for i := range c.row {
				c.row[i] = c.values[i]
			}
			if err := app.AppendRow(c.row...); err != nil {
				return fmt.Errorf("%s line %d: %w", f.name, c.line, err)
			}
			if key != "" {
				line, col := cr.FieldPos(keyAt)
				if err := keys.AppendRow(c.values[c.pos["person_id"]], key, int64(line), int32(col)); err != nil {
					return fmt.Errorf("%s line %d: %w", f.name, c.line, err)
				}
			}
		}
	}
	return closeAll()
}

func (rd *reading) progress(f fileSpec) {
	if !rd.opt.Terminal || rd.opt.Progress == nil || rd.total == 0 {
		return
	}
	done := min(rd.read, rd.total)
	bar := strings.Repeat("#", int(done*30/rd.total))
	fmt.Fprintf(rd.opt.Progress, "\rchecking [%-30s] %3d%% %s", bar, done*100/rd.total, f.name)
}

// checker checks the lines of one file.
type checker struct {
	*reading
	f        fileSpec
	pos      map[string]int // column name -> place in values
	line     int
	cols     []int // each value's column in the file
	values   []any // typed, nil when empty
	row      []driver.Value
	seenText map[string]int
	keys     map[string]personLine // council|linkage key -> the person who has it
}

// read reads one record's values by type, reporting bad encoding, missing and mistyped
// values; false if any is bad (the line is then not checked further).
func (c *checker) read(cr *csvReader, rec []string, index map[string]int) bool {
	c.line, _ = cr.FieldPos(0)
	for i, v := range rec {
		if !utf8.ValidString(v) {
			line, col := cr.FieldPos(i)
			c.p.add("not UTF-8", fault.In(c.f.name, line, col, "the file is not UTF-8 here: save it as UTF-8 (CSV UTF-8 in Excel)"))
			return false
		}
	}
	ok := true
	for k, col := range c.f.columns {
		i := index[col.name]
		line, at := cr.FieldPos(i)
		c.cols[k] = at
		c.values[k] = nil
		raw := strings.TrimSpace(rec[i])
		if len(raw) > 1 && raw[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(raw[1])) {
			raw = raw[1:] // written formula-safe by export: read back as it was
		}
		if raw == "" {
			if col.required {
				c.p.add("missing value", fault.In(c.f.name, line, at, col.name+": a value is required"))
				ok = false
			}
			continue
		}
		v, kind, err := convert(col.kind, raw)
		if err != nil {
			c.p.add(kind, fault.In(c.f.name, line, at, fmt.Sprintf("%s: %q %s", col.name, short(raw), err)))
			ok = false
			continue
		}
		c.values[k] = v
	}
	return ok
}

// short is a value as a message quotes it: at most 60 bytes of it.
func short(s string) string {
	if len(s) <= 60 {
		return s
	}
	cut := 60
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

func (c *checker) v(col string) any { return c.values[c.pos[col]] }

// linkageKey checks a person's linkage key (people.csv's optional linkage_key, at rec[at]): blank,
// or 64 hexadecimal characters (HMAC-SHA256 of the NHS number or UPN), held by no other person of
// the same council in the file. It returns the key in lower case, "" when blank or bad.
func (c *checker) linkageKey(cr *csvReader, rec []string, at int) string {
	line, col := cr.FieldPos(at)
	raw := strings.TrimSpace(rec[at])
	if raw == "" {
		return ""
	}
	key, ok := LinkageKey(raw)
	if !ok {
		c.p.add("bad linkage key", fault.In(c.f.name, line, col, fmt.Sprintf("linkage_key: %q is not a linkage key: 64 hexadecimal characters, the HMAC-SHA256 of the child's NHS number or UPN (README: Children's social care child by child)", short(raw))))
		return ""
	}
	id, _ := c.v("person_id").(int64)
	fam, _ := c.v("family_id").(int64)
	f, known := c.families[fam]
	if !known || f.council == "" {
		return key // the unknown family is reported on its own
	}
	if c.keys == nil {
		c.keys = map[string]personLine{}
	}
	k := f.council + "|" + key
	if prev, dup := c.keys[k]; dup && prev.id != id {
		c.p.add("repeated linkage key", fault.In(c.f.name, line, col, fmt.Sprintf("linkage_key: person %d on line %d has the same key: a key names one person of a council (the same NHS number or UPN given to two people?)", prev.id, prev.line)))
		return ""
	}
	c.keys[k] = personLine{id, c.line}
	return key
}

type personLine struct {
	id   int64
	line int
}

// LinkageKey reads a linkage key: 64 hexadecimal characters (a keyed hash, HMAC-SHA256, of a
// child's NHS number or UPN), returned in lower case; false if it is not one.
func LinkageKey(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 64 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b >= '0' && b <= '9', b >= 'a' && b <= 'f', b >= 'A' && b <= 'F':
		default:
			return "", false
		}
	}
	return strings.ToLower(s), true
}

func (c *checker) text(col string) string { s, _ := c.v(col).(string); return s }

// bad reports a problem of a kind in a column of this line.
func (c *checker) bad(kind, col, format string, a ...any) {
	c.p.add(kind, fault.In(c.f.name, c.line, c.cols[c.pos[col]], col+": "+fmt.Sprintf(format, a...)))
}

// missingRef reports a reference to an id that the file it names does not hold, unless lines of
// that file could not be read: the id may be on one of them, so it is reported once, as not yet
// checked, instead of on every line that refers to it.
func (c *checker) missingRef(target, kind, col, format string, a ...any) {
	if c.p.dropped[target] > 0 {
		c.p.knockOn(fmt.Sprintf("name a %s not found in %s", col, target), fault.In(c.f.name, c.line, c.cols[c.pos[col]], ""))
		return
	}
	c.bad(kind, col, format, a...)
}

func (c *checker) council(col string) string {
	code := c.text(col)
	canon, ok := c.k.councils[code]
	if !ok {
		c.bad("unknown council", col, "%q is not an English council code (ONS, e.g. E08000007)", short(code))
		return ""
	}
	c.councils[canon.code] = true
	return canon.code
}

// lsoaIn checks an LSOA is in a council, and returns its code as the reference data holds it.
func (c *checker) lsoaIn(col, council string) string {
	code := c.text(col)
	l, ok := c.k.lsoas[code]
	switch {
	case !ok:
		c.bad("unknown LSOA", col, "%q is not a 2021 LSOA code in England", short(code))
		return ""
	case l.council != council && council != "":
		c.bad("LSOA of another council", col, "LSOA %s belongs to %s, not %s", code, l.council, council)
	}
	return l.code
}

func (c *checker) uniqueText(col, key, what string) {
	if prev, dup := c.seenText[key]; dup {
		c.bad("repeated id", col, "%s is already on line %d: %s", short(fmt.Sprint(c.v(col))), prev, what)
		return
	}
	c.seenText[strings.Clone(key)] = c.line
}

var (
	siteKinds = map[string]bool{"hub": true, "hublet": true, "bridge": true, "outreach": true, "online": true}
	channels  = map[string]bool{"hub": true, "hublet": true, "bridge": true, "outreach": true, "home visit": true, "online": true}
)

// check applies the rules of its file to one line whose values are all readable, and notes
// what later files refer to.
func (c *checker) check() {
	opt := c.opt
	switch c.f.name {
	case "localities.csv":
		cc := c.council("council_code")
		c.localities[cc+"|"+c.text("locality")] = true
		c.uniqueText("ward_name", cc+"|"+c.text("ward_name"), "a ward belongs to one locality")
	case "sites.csv":
		id := c.text("site_id")
		c.uniqueText("site_id", id, "ids must be unique")
		cc := c.council("council_code")
		kind := c.text("kind")
		if !siteKinds[kind] {
			c.bad("unknown site kind", "kind", "%q: use hub, hublet, bridge, outreach or online", short(kind))
		}
		if kind != "online" {
			if c.v("lsoa21_code") == nil {
				c.bad("missing value", "lsoa21_code", "a %s needs the LSOA it stands in", short(kind))
			} else {
				c.lsoaIn("lsoa21_code", cc)
			}
			if loc := c.text("locality"); !c.localities[cc+"|"+loc] {
				c.missingRef("localities.csv", "unknown locality", "locality", "%q is not a locality of %s in localities.csv", short(loc), cc)
			}
		}
		if d, o := c.v("designated").(time.Time), c.v("opened").(time.Time); d.Before(o) {
			c.bad("designated before opened", "designated", "before the site opened (%s)", o.Format(time.DateOnly))
		}
		c.sites[strings.Clone(id)] = cc
	case "families.csv":
		id := c.v("family_id").(int64)
		cc := c.council("council_code")
		lsoa := c.lsoaIn("lsoa21_code", cc)
		if prev, dup := c.families[id]; dup {
			c.bad("repeated id", "family_id", "%d is already on line %d: ids must be unique", id, prev.line)
			return
		}
		c.families[id] = family{council: cc, lsoa: lsoa, line: int32(c.line)}
	case "people.csv":
		id := c.v("person_id").(int64)
		fam := c.v("family_id").(int64)
		if _, ok := c.families[fam]; !ok {
			c.missingRef("families.csv", "unknown family", "family_id", "family %d is not in families.csv", fam)
		}
		p := person{family: fam}
		switch role := c.text("role"); role {
		case "child":
			p.role = roleChild
		case "carer":
			p.role = roleCarer
		default:
			c.bad("unknown role", "role", "%q: use child or carer", short(role))
		}
		if sex := c.text("sex"); sex != "F" && sex != "M" {
			c.bad("unknown sex", "sex", "%q: use F or M", short(sex))
		}
		if b, ok := c.v("birth_date").(time.Time); ok {
			p.birth, p.born = int32(b.Unix()/86400), true
			if b.After(opt.Latest.AddDate(1, 0, 0)) || b.Year() < 1900 {
				c.bad("impossible birth date", "birth_date", "%s is not a possible birth date", b.Format(time.DateOnly))
			}
		} else if p.role == roleChild {
			c.bad("missing value", "birth_date", "a child needs a birth date")
		}
		p.send, _ = c.v("send").(bool)
		if prev, dup := c.people[id]; dup {
			c.bad("repeated id", "person_id", "%d is already on line %d: ids must be unique", id, prev.line)
			return
		}
		p.line = int32(c.line)
		c.people[id] = p
	case "contacts.csv":
		// repeated contact ids are found by SQL (repeated.sql)
		cc := c.council("council_code")
		lsoa := c.lsoaIn("lsoa21_code", cc)
		d := c.v("contact_date").(time.Time)
		if d.Before(opt.Earliest) || d.After(opt.Latest) {
			c.bad("date outside the period", "contact_date", "%s is outside the period %s to %s", d.Format(time.DateOnly), opt.Earliest.Format(time.DateOnly), opt.Latest.Format(time.DateOnly))
		}
		if s, ok := c.v("site_id").(string); ok {
			if owner, known := c.sites[s]; !known {
				c.missingRef("sites.csv", "unknown site", "site_id", "%q is not a site in sites.csv", short(s))
			} else if owner != cc && owner != "" && cc != "" { // a bad code is reported on its own line
				c.bad("site of another council", "site_id", "site %s belongs to %s, not %s", s, owner, cc)
			}
		}
		if svc := c.text("service_code"); !c.k.services[svc] {
			c.bad("unknown service", "service_code", "%q is not a service code (see the services table)", short(svc))
		}
		if ch := c.text("channel"); !channels[ch] {
			c.bad("unknown channel", "channel", "%q: use hub, hublet, bridge, outreach, home visit or online", short(ch))
		}
		fam := c.v("family_id").(int64)
		if f, ok := c.families[fam]; !ok {
			c.missingRef("families.csv", "unknown family", "family_id", "family %d is not in families.csv", fam)
		} else if lsoa != "" && f.lsoa != "" && f.council != "" && (f.council != cc || f.lsoa != lsoa) {
			c.bad("family lives elsewhere", "lsoa21_code", "family %d lives in %s (%s)", fam, f.lsoa, f.council)
		}
		childID := c.v("child_id").(int64)
		child, ok := c.people[childID]
		switch {
		case !ok:
			c.missingRef("people.csv", "unknown child", "child_id", "person %d is not in people.csv", childID)
		case child.role != roleChild || child.family != fam:
			c.bad("not a child of the family", "child_id", "person %d is not a child of family %d", childID, fam)
		default:
			band := c.text("age_band")
			if want := ageBand(child, d); want != band {
				c.bad("age band does not fit", "age_band", "%q, but the child is %s on %s (band %s): an impossible age for the band",
					short(band), age(child.birthDate(), d), d.Format(time.DateOnly), orNone(want))
			}
		}
		if cid, ok := c.v("carer_id").(int64); ok {
			carer, known := c.people[cid]
			switch {
			case !known:
				c.missingRef("people.csv", "not a carer of the family", "carer_id", "person %d is not a carer of family %d", cid, fam)
			case carer.role != roleCarer || carer.family != fam:
				c.bad("not a carer of the family", "carer_id", "person %d is not a carer of family %d", cid, fam)
			}
		}
	case "plan.csv":
		cc := c.council("council_code")
		c.uniqueText("id", cc+"|"+c.text("id"), "plan ids must be unique within a council")
	}
}

func age(birth, d time.Time) string {
	if d.Before(birth) {
		return "not yet born"
	}
	y := d.Year() - birth.Year()
	if d.Month() < birth.Month() || (d.Month() == birth.Month() && d.Day() < birth.Day()) {
		y--
	}
	return strconv.Itoa(y)
}

// ageBand is the band a contact on day d must carry for the child: 0-2 (from 9 months before
// birth), 3-4, 5-11, 12-19, and 20-25 only with SEND.
func ageBand(c person, d time.Time) string {
	birth := c.birthDate()
	if d.Before(birth) {
		if birth.Sub(d) <= 280*24*time.Hour {
			return "0-2"
		}
		return ""
	}
	a, _ := strconv.Atoi(age(birth, d))
	switch {
	case a <= 2:
		return "0-2"
	case a <= 4:
		return "3-4"
	case a <= 11:
		return "5-11"
	case a <= 19:
		return "12-19"
	case a <= 25 && c.send:
		return "20-25"
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "none: too old, or not yet expected"
	}
	return s
}

// position maps a spec's column names to their place in a record.
func (f fileSpec) position() map[string]int {
	m := make(map[string]int, len(f.columns))
	for i, c := range f.columns {
		m[c.name] = i
	}
	return m
}

// convert reads a value of a kind; on error, it says which kind of problem it is.
func convert(kind, raw string) (any, string, error) {
	switch kind {
	case "int":
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return nil, "not a whole number", errors.New("is not a whole number")
		}
		return n, "", nil
	case "float":
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return nil, "not a number", errors.New("is not a number")
		}
		return f, "", nil
	case "date":
		d, err := time.Parse(time.DateOnly, raw)
		if err != nil {
			return nil, "bad date", errors.New("is not a date as YYYY-MM-DD")
		}
		return d, "", nil
	case "bool":
		switch strings.ToLower(raw) {
		case "true", "yes", "1":
			return true, "", nil
		case "false", "no", "0":
			return false, "", nil
		}
		return nil, "not true or false", errors.New("is not true or false")
	}
	return raw, "", nil
}

func names(f fileSpec) string {
	var n []string
	for _, c := range f.columns {
		n = append(n, c.name)
	}
	return strings.Join(n, ", ")
}
