package load

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"familyhubs/fault"
)

// A mapping file lets a council load the export its own system writes (its file names, its
// column names, its date format, its codes) without rewriting it: it says once, for each load
// file, which of the council's files holds it and the council's column for each of ours. The load
// first rewrites each mapped file in the load format (mapping_pass.go), keeping its line numbers,
// and every later check reports the council's own file, line and column.
//
//	council_code = "E08000007"          # optional: every mapped file's council_code, when no column gives it
//
//	[contacts]
//	file = "EHM_Attendance.csv"         # the council's file, in the folder loaded
//	dates = "DD/MM/YYYY"                # its date format (default YYYY-MM-DD)
//	[contacts.columns]                  # ours = the council's
//	contact_id = "Attendance ID"
//	contact_date = "Session Date"
//	postcode = "Home Postcode"          # a postcode instead of lsoa21_code (then --postcodes)
//	[contacts.fixed]                    # a value for every row
//	channel = "hub"
//	[contacts.codes.service_code]       # the council's code = ours; every code used must be here
//	"Stay and Play" = "early_learning"

// Mapping is a council's mapping file, read and checked.
type Mapping struct {
	File        string // as messages name it
	councilCode string
	councilLine int
	files       []*fileMapping // in load order
}

// fileMapping is how one of our files is read from one of the council's.
type fileMapping struct {
	spec    fileSpec
	from    string // the council's file, in the folder loaded
	line    int    // the mapping file's line that names it
	dates   *dateFormat
	datesAt int           // the line that declares dates (0: none does)
	cols    []*colMapping // our file's columns as the pass writes them, in order
}

// colMapping is where one of our columns comes from.
type colMapping struct {
	ours    string // as the written header names it (a column of the spec, or postcode)
	kind    string // text, int, float, date, bool
	from    string // the council's column; "" when fixed or not given
	fixed   string
	isFixed bool
	line    int // the mapping file's line that names it
	codesAt int // the line of its codes table
	codes   map[string]string
	folded  map[string]string // codes by lower case, when that is unambiguous
}

// the mapping file as TOML
type mappingTOML struct {
	CouncilCode string     `toml:"council_code"`
	Localities  *tableTOML `toml:"localities"`
	Sites       *tableTOML `toml:"sites"`
	Families    *tableTOML `toml:"families"`
	People      *tableTOML `toml:"people"`
	Contacts    *tableTOML `toml:"contacts"`
	Plan        *tableTOML `toml:"plan"`
}

type tableTOML struct {
	File    string                    `toml:"file"`
	Dates   string                    `toml:"dates"`
	Columns map[string]string         `toml:"columns"`
	Fixed   map[string]any            `toml:"fixed"`
	Codes   map[string]map[string]any `toml:"codes"`
}

// values a column may be given, where the load accepts only a few
var allowedValues = map[string][]string{
	"role": {"child", "carer"}, "sex": {"F", "M"}, "age_band": {"0-2", "3-4", "5-11", "12-19", "20-25"},
	"channel": {"hub", "hublet", "bridge", "outreach", "home visit", "online"},
	"kind":    {"hub", "hublet", "bridge", "outreach", "online"},
}

// ReadMapping reads and checks a mapping file. Its own faults (not TOML, an unknown key, a column
// that is not one of ours, a date format it cannot read, a code mapped to a value the load
// refuses, a required column given no source) are reported together, each with its line.
func ReadMapping(path string) (*Mapping, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseMapping(filepath.Base(path), b)
}

// ParseMapping reads and checks a mapping file's text; name is the file as messages name it.
func ParseMapping(name string, data []byte) (*Mapping, error) {
	var raw mappingTOML
	md, err := toml.Decode(string(data), &raw)
	p := newProblems()
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			p.add("not TOML", fault.In(name, pe.Position.Line, pe.Position.Col, pe.Message))
		} else {
			p.add("not TOML", fault.In(name, 0, 0, err.Error()))
		}
		return nil, p.err()
	}
	at := keyPlaces(string(data))
	place := func(key ...string) (int, int) {
		for n := len(key); n > 0; n-- {
			if l, ok := at[strings.Join(key[:n], "\x00")]; ok {
				return l.line, l.col
			}
		}
		return 0, 0
	}
	bad := func(kind, message string, key ...string) {
		line, col := place(key...)
		p.add(kind, fault.In(name, line, col, message))
	}
	var reported []toml.Key
	for _, k := range md.Undecoded() {
		if under(k, reported) {
			continue
		}
		reported = append(reported, k)
		bad("unknown key", fmt.Sprintf("unknown key %s: a mapping file has council_code and the tables %s, each with file, dates, columns, fixed and codes",
			k.String(), tableNames()), k...)
	}
	m := &Mapping{File: name, councilCode: strings.TrimSpace(raw.CouncilCode)}
	m.councilLine, _ = place("council_code")
	tables := map[string]*tableTOML{"localities": raw.Localities, "sites": raw.Sites, "families": raw.Families,
		"people": raw.People, "contacts": raw.Contacts, "plan": raw.Plan}
	for _, spec := range files {
		table := strings.TrimSuffix(spec.name, ".csv")
		t := tables[table]
		if t == nil {
			continue
		}
		fm := &fileMapping{spec: spec, from: strings.TrimSpace(t.File)}
		fm.line, _ = place(table)
		switch {
		case fm.from == "":
			bad("no file", fmt.Sprintf("[%s] names no file: give file = the council's file that holds %s, in the folder loaded", table, spec.name), table)
		case filepath.Base(fm.from) != fm.from || fm.from == "." || fm.from == "..":
			bad("no file", fmt.Sprintf("file = %q: give the name of a file in the folder loaded, without a folder", fm.from), table, "file")
		}
		fm.dates, _ = compileDate("YYYY-MM-DD")
		if t.Dates != "" {
			d, err := compileDate(t.Dates)
			if err != nil {
				bad("bad date format", err.Error(), table, "dates")
			} else {
				fm.dates = d
				fm.datesAt, _ = place(table, "dates")
			}
		}
		byName := map[string]*colMapping{}
		kindOf := map[string]string{}
		for _, c := range append(append([]column(nil), spec.columns...), optionalColumns[spec.name]...) {
			kindOf[c.name] = c.kind
		}
		lsoa := kindOf["lsoa21_code"] != ""
		known := func(col, what string, key ...string) bool {
			if kindOf[col] != "" || (col == "postcode" && lsoa) {
				return true
			}
			also := ""
			if lsoa {
				also = ", or postcode"
			}
			bad("unknown column", fmt.Sprintf("%s %q is not a column of %s: its columns are %s%s", what, col, spec.name, names(spec), also), key...)
			return false
		}
		get := func(col string) *colMapping {
			if c := byName[col]; c != nil {
				return c
			}
			kind := kindOf[col]
			if col == "postcode" {
				kind = "text"
			}
			c := &colMapping{ours: col, kind: kind}
			byName[col] = c
			return c
		}
		for _, col := range sortedKeys(t.Columns) {
			if !known(col, "columns:", table, "columns", col) {
				continue
			}
			c := get(col)
			c.from = strings.TrimSpace(t.Columns[col])
			c.line, _ = place(table, "columns", col)
			if c.from == "" {
				bad("no column named", fmt.Sprintf("columns: %s = \"\": name the council's column for it, or leave it out", col), table, "columns", col)
			}
		}
		for _, col := range sortedKeys(t.Fixed) {
			if !known(col, "fixed:", table, "fixed", col) {
				continue
			}
			c := get(col)
			if c.from != "" {
				bad("given twice", fmt.Sprintf("fixed: %s is also in columns (line %d): give one or the other", col, c.line), table, "fixed", col)
				continue
			}
			v, ok := text(t.Fixed[col])
			if !ok {
				bad("not text", fmt.Sprintf("fixed: %s = %v: write the value in quotes", col, t.Fixed[col]), table, "fixed", col)
			}
			c.fixed, c.isFixed = v, true
			c.line, _ = place(table, "fixed", col)
			if !allowed(c, v) {
				bad("value the load refuses", fmt.Sprintf("fixed: %s = %q: %s", col, v, use(c)), table, "fixed", col)
			}
		}
		for _, col := range sortedKeys(t.Codes) {
			if !known(col, "codes:", table, "codes", col) {
				continue
			}
			c := byName[col]
			if c == nil || c.from == "" {
				bad("codes for no column", fmt.Sprintf("codes.%s: %s takes no council column (name one under [%s.columns])", col, col, table), table, "codes", col)
				continue
			}
			c.codes, c.folded = map[string]string{}, map[string]string{}
			c.codesAt, _ = place(table, "codes", col)
			ambiguous := map[string]bool{}
			for _, from := range sortedKeys(t.Codes[col]) {
				to, ok := text(t.Codes[col][from])
				if !ok {
					bad("not text", fmt.Sprintf("codes.%s: %q = %v: write our code in quotes", col, from, t.Codes[col][from]), table, "codes", col, from)
				}
				if !allowed(c, to) {
					bad("value the load refuses", fmt.Sprintf("codes.%s: %q = %q: %s", col, from, to, use(c)), table, "codes", col, from)
				}
				key := strings.TrimSpace(from)
				c.codes[key] = to
				low := strings.ToLower(key)
				if prev, dup := c.folded[low]; dup && prev != to {
					ambiguous[low] = true
				}
				c.folded[low] = to
			}
			for low := range ambiguous {
				delete(c.folded, low)
			}
		}
		// the council's code for every file that has the column and no source for it
		if m.councilCode != "" && kindOf["council_code"] != "" {
			if c := get("council_code"); !c.given() {
				c.fixed, c.isFixed, c.line = m.councilCode, true, m.councilLine
			}
		}
		for _, col := range spec.columns {
			given := byName[col.name].given()
			if col.name == "lsoa21_code" && byName["postcode"].given() {
				given = true
			}
			if col.required && !given {
				bad("required column not given", fmt.Sprintf("[%s] gives no %s, which the load requires: name the council's column for it under [%s.columns]"+
					" (or a value for every row under [%s.fixed])", table, col.name, table, table), table)
			}
		}
		// the written layout: ours in order, a postcode in lsoa21_code's place (the postcode pass
		// then writes the LSOA there), an LSOA given beside it at the end (which that pass drops)
		for _, col := range spec.columns {
			if col.name == "lsoa21_code" && byName["postcode"] != nil {
				fm.cols = append(fm.cols, byName["postcode"])
				continue
			}
			fm.cols = append(fm.cols, get(col.name))
		}
		// an optional column (people.csv's linkage_key) the mapping gives, after ours
		for _, col := range optionalColumns[spec.name] {
			if byName[col.name].given() {
				fm.cols = append(fm.cols, byName[col.name])
			}
		}
		if byName["postcode"] != nil && byName["lsoa21_code"].given() {
			fm.cols = append(fm.cols, byName["lsoa21_code"])
		}
		m.files = append(m.files, fm)
	}
	if len(m.files) == 0 && p.empty() {
		p.add("nothing mapped", fault.In(name, 0, 0, "the mapping maps no file: give at least one of the tables "+tableNames()))
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return m, nil
}

// given says whether a column has a source: the council's column or a fixed value.
func (c *colMapping) given() bool { return c != nil && (c.from != "" || c.isFixed) }

func tableNames() string {
	var n []string
	for _, f := range files {
		n = append(n, "["+strings.TrimSuffix(f.name, ".csv")+"]")
	}
	return strings.Join(n, ", ")
}

func under(k toml.Key, reported []toml.Key) bool {
	for _, r := range reported {
		if len(r) <= len(k) && strings.Join(k[:len(r)], "\x00") == strings.Join(r, "\x00") {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// text is a TOML value as the load writes it: a string, or a bare true/false or number.
func text(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x), true
	case bool, int64, float64:
		return fmt.Sprint(x), true
	}
	return fmt.Sprint(v), false
}

// allowed says whether the load accepts a value for a column (an empty one is left to it).
func allowed(c *colMapping, v string) bool {
	if v == "" {
		return true
	}
	if c.kind == "bool" {
		return v == "true" || v == "false"
	}
	if vs, ok := allowedValues[c.ours]; ok {
		for _, a := range vs {
			if a == v {
				return true
			}
		}
		return false
	}
	return true
}

func use(c *colMapping) string {
	if c.kind == "bool" {
		return "use true or false"
	}
	return "use " + strings.Join(allowedValues[c.ours], ", ")
}

// keyPlace is where a key is written in a TOML file.
type keyPlace struct{ line, col int }

// keyPlaces finds the line and column of every table header and key in a TOML file, by its full
// dotted path (parts joined by \x00): BurntSushi's decoder keeps them to itself. It reads what
// mapping files hold ([table] headers, key = value lines, quoted and dotted keys); a key it
// cannot place is reported without a line.
func keyPlaces(text string) map[string]keyPlace {
	out := map[string]keyPlace{}
	var table []string
	note := func(path []string, line, col int) {
		for n := 1; n <= len(path); n++ {
			k := strings.Join(path[:n], "\x00")
			if _, ok := out[k]; !ok {
				out[k] = keyPlace{line, col}
			}
		}
	}
	for i, l := range strings.Split(text, "\n") {
		s := strings.TrimSpace(l)
		col := len(l) - len(strings.TrimLeft(l, " \t")) + 1
		switch {
		case s == "" || s[0] == '#':
		case strings.HasPrefix(s, "["):
			inner := strings.Trim(cutComment(s), "[] \t")
			table = splitKey(inner)
			note(table, i+1, col)
		default:
			eq := indexOutsideQuotes(s, '=')
			if eq < 0 {
				continue
			}
			note(append(append([]string(nil), table...), splitKey(s[:eq])...), i+1, col)
		}
	}
	return out
}

func cutComment(s string) string {
	if i := indexOutsideQuotes(s, '#'); i >= 0 {
		return s[:i]
	}
	return s
}

// indexOutsideQuotes is the first c in s not inside "..." or '...'.
func indexOutsideQuotes(s string, c byte) int {
	var q byte
	for i := 0; i < len(s); i++ {
		switch {
		case q != 0 && s[i] == '\\' && q == '"':
			i++
		case q != 0 && s[i] == q:
			q = 0
		case q == 0 && (s[i] == '"' || s[i] == '\''):
			q = s[i]
		case q == 0 && s[i] == c:
			return i
		}
	}
	return -1
}

// splitKey splits a dotted key into its parts, unquoted.
func splitKey(s string) []string {
	var parts []string
	for {
		s = strings.TrimSpace(s)
		i := indexOutsideQuotes(s, '.')
		part := s
		if i >= 0 {
			part = s[:i]
		}
		part = strings.TrimSpace(part)
		if len(part) >= 2 && (part[0] == '"' || part[0] == '\'') && part[len(part)-1] == part[0] {
			part = part[1 : len(part)-1]
			if s[0] == '"' {
				part = strings.ReplaceAll(part, `\"`, `"`)
			}
		}
		parts = append(parts, part)
		if i < 0 {
			return parts
		}
		s = s[i+1:]
	}
}
