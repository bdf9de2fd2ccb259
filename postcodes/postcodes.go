// Package postcodes places a home postcode in its 2021 LSOA, as councils' case systems and
// every standard extract (Data to Insight's Standard Safeguarding Dataset, SSDA903 HOME_POST)
// hold postcodes, not LSOA codes. The look-up is ONS's own postcode directory as the council
// downloads it (NSPL or ONSPD CSV: pcds, lsoa21cd, doterm, laua ...), or, for the five demo
// councils, a derived look-up shipped with the tool (its LSOAs assigned by point in polygon, not
// ONS's table: see datasets/PROVENANCE.md).
//
// Geocode rewrites a load file's postcode column as lsoa21_code and reports the match rate and
// every postcode it could not place, by reason, so no record is dropped without a word. The
// postcode itself is not kept.
package postcodes

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"familyhubs/fault"
)

// Entry is what the look-up holds for one postcode.
type Entry struct {
	LSOA       string // 2021 LSOA code; empty for a postcode ONS places in none (e.g. non-geographic)
	Council    string // local authority district code, when the look-up has one
	Terminated bool   // ONS's doterm is set: the postcode is no longer in use (it keeps its last LSOA)
}

// Lookup maps a normalised postcode (capitals, no spaces) to its entry.
type Lookup struct {
	Source  string // what it was read from, said in every report
	Derived bool   // not ONS's own assignment (the demo look-up)
	entries map[string]Entry
}

// New makes a look-up from entries keyed by postcode (normalised here).
func New(source string, derived bool, entries map[string]Entry) *Lookup {
	l := &Lookup{Source: source, Derived: derived, entries: make(map[string]Entry, len(entries))}
	for p, e := range entries {
		n, _ := Normalise(p)
		l.entries[n] = e
	}
	return l
}

// InLSOA lists the postcodes placed in each 2021 LSOA (capitals, no spaces, sorted), for
// writing records with real postcodes of a neighbourhood (the demo's standard-shape files).
func (l *Lookup) InLSOA() map[string][]string {
	out := map[string][]string{}
	for p, e := range l.entries {
		if e.LSOA != "" && !e.Terminated {
			out[e.LSOA] = append(out[e.LSOA], p)
		}
	}
	for _, ps := range out {
		sort.Strings(ps)
	}
	return out
}

// Len is the number of postcodes held.
func (l *Lookup) Len() int { return len(l.entries) }

// Normalise returns the postcode in capitals without spaces, and whether it has the shape of a
// UK postcode (outward code of 2-4 characters, inward code of a digit and two letters).
func Normalise(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '\t' || r == '\u00a0':
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		default:
			b.WriteRune(r)
		}
	}
	p := b.String()
	return p, wellFormed(p)
}

func wellFormed(p string) bool {
	if len(p) < 5 || len(p) > 7 {
		return false
	}
	in := p[len(p)-3:]
	if !digit(in[0]) || !letter(in[1]) || !letter(in[2]) {
		return false
	}
	out := p[:len(p)-3]
	if !letter(out[0]) {
		return false
	}
	for i := 1; i < len(out); i++ {
		if !letter(out[i]) && !digit(out[i]) {
			return false
		}
	}
	// the outward code holds a digit after its area letters
	return strings.IndexFunc(out, func(r rune) bool { return r >= '0' && r <= '9' }) > 0
}

func digit(c byte) bool  { return c >= '0' && c <= '9' }
func letter(c byte) bool { return c >= 'A' && c <= 'Z' }

// Column names ONS's directories (and the derived demo file) use, in order of preference.
var (
	postcodeNames   = []string{"pcds", "pcd", "pcd7", "pcd8", "pcd2", "postcode"}
	lsoaNames       = []string{"lsoa21cd", "lsoa21", "lsoa21cd_derived"}
	terminatedNames = []string{"doterm"}
	councilNames    = []string{"laua", "oslaua", "lad25cd", "lad24cd", "lad23cd", "lad22cd", "ladcd"}
)

// Read reads a postcode look-up as ONS publishes it (NSPL or ONSPD CSV with a header row), or
// the derived demo file. It needs a postcode column and a 2021 LSOA column.
func Read(r io.Reader, name string, derived bool) (*Lookup, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fault.List{fault.In(name, 1, 1, "cannot read the header row of the postcode look-up: "+errText(err))}
	}
	index := map[string]int{}
	for i, h := range header {
		index[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	find := func(names []string) int {
		for _, n := range names {
			if i, ok := index[n]; ok {
				return i
			}
		}
		return -1
	}
	pc, lsoa, term, council := find(postcodeNames), find(lsoaNames), find(terminatedNames), find(councilNames)
	var errs fault.List
	if pc < 0 {
		errs = append(errs, fault.In(name, 1, 1, "no postcode column: ONS's postcode directories call it pcds (or pcd, pcd7, pcd8)"))
	}
	if lsoa < 0 {
		errs = append(errs, fault.In(name, 1, 1, "no 2021 LSOA column: ONS's postcode directories call it lsoa21cd (the November 2021 and later editions have it)"))
	}
	if errs != nil {
		return nil, errs
	}
	l := &Lookup{Source: name, Derived: derived, entries: map[string]Entry{}}
	get := func(rec []string, i int) string {
		if i < 0 || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, col := 0, 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line, col = pe.Line, pe.Column
			}
			return nil, fault.List{fault.In(name, line, col, "the postcode look-up is not readable CSV: "+errText(err))}
		}
		p, _ := Normalise(get(rec, pc))
		if p == "" {
			continue
		}
		l.entries[p] = Entry{LSOA: get(rec, lsoa), Council: get(rec, council), Terminated: get(rec, term) != ""}
	}
	if len(l.entries) == 0 {
		return nil, fault.List{fault.In(name, 2, 1, "the postcode look-up holds no postcodes")}
	}
	return l, nil
}

func errText(err error) string {
	if errors.Is(err, io.EOF) {
		return "the file is empty"
	}
	return err.Error()
}

// Reasons a postcode is not placed.
const (
	Blank     = "blank"
	Malformed = "not a postcode"
	Unknown   = "not in the look-up"
	NoLSOA    = "in the look-up without a 2021 LSOA (e.g. a non-geographic postcode)"
	Elsewhere = "placed in another council's LSOA"
)

// Place is a line and column in a file.
type Place struct{ Line, Column int }

// Report is what geocoding one file found.
type Report struct {
	File       string
	Source     string // the look-up
	Derived    bool
	Rows       int // rows with a postcode to place (rows that gave an LSOA are not counted)
	Matched    int
	Terminated int // matched, but the postcode is terminated: placed in its last LSOA
	Given      int // rows that gave their own lsoa21_code, used as given
	// Unplaced counts the postcodes not placed by reason, with the first few places of each.
	Unplaced map[string]int
	First    map[string][]Place
	Examples map[string][]string // the first few postcodes of each reason (OFFICIAL-SENSITIVE)
}

// Rate is the share of postcodes placed.
func (r Report) Rate() float64 {
	if r.Rows == 0 {
		return 1
	}
	return float64(r.Matched) / float64(r.Rows)
}

// Unmatched is the number of postcodes not placed.
func (r Report) Unmatched() int {
	n := 0
	for _, c := range r.Unplaced {
		n += c
	}
	return n
}

// String is the report in a few lines: the match rate, then each reason with its count.
func (r Report) String() string {
	var b strings.Builder
	derived := ""
	if r.Derived {
		derived = ", a derived look-up (LSOAs by point in polygon, not ONS's assignment)"
	}
	fmt.Fprintf(&b, "%s: %d of %d postcodes placed in a 2021 LSOA (%.1f%%) using %s%s", r.File, r.Matched, r.Rows, 100*r.Rate(), r.Source, derived)
	if r.Given > 0 {
		fmt.Fprintf(&b, "; %d rows gave their LSOA", r.Given)
	}
	if r.Terminated > 0 {
		fmt.Fprintf(&b, "\n  %d terminated postcode(s) placed in their last LSOA", r.Terminated)
	}
	var reasons []string
	for k := range r.Unplaced {
		reasons = append(reasons, k)
	}
	sort.Slice(reasons, func(a, b int) bool { return r.Unplaced[reasons[a]] > r.Unplaced[reasons[b]] })
	for _, k := range reasons {
		var at []string
		for _, p := range r.First[k] {
			at = append(at, fmt.Sprintf("line %d", p.Line))
		}
		fmt.Fprintf(&b, "\n  %d not placed: %s (first at %s)", r.Unplaced[k], k, strings.Join(at, ", "))
	}
	return b.String()
}

const firstFew = 5

// Geocode copies a load file (CSV with a header row) from in to out with its postcode column
// (named postcode, home_postcode or pcds) in place of lsoa21_code: each postcode is replaced by
// its 2021 LSOA, so line and column numbers stay those of the council's own file. A row that
// also has an lsoa21_code column keeps a code it gives. councilOf, when not nil, names the
// council of a row (from its council_code column) so an LSOA in another council is reported.
// Postcodes that cannot be placed are left with an empty LSOA and reported by reason, with the
// first few places of each. The postcode column is not written out: the warehouse keeps no
// postcode.
func Geocode(in io.Reader, file string, out io.Writer, l *Lookup, lsoaCouncil func(lsoa string) string) (Report, error) {
	rep := Report{File: file, Source: l.Source, Derived: l.Derived, Unplaced: map[string]int{}, First: map[string][]Place{}, Examples: map[string][]string{}}
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1
	cw := csv.NewWriter(out)
	header, err := cr.Read()
	if err != nil {
		return rep, fault.List{fault.In(file, 1, 1, "cannot read the header row: "+errText(err))}
	}
	pc, lsoa, council := -1, -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		case "postcode", "home_postcode", "pcds":
			pc = i
		case "lsoa21_code":
			lsoa = i
		case "council_code":
			council = i
		}
	}
	if pc < 0 {
		return rep, fault.List{fault.In(file, 1, 1, "no postcode column to place (postcode, home_postcode or pcds)")}
	}
	outHeader := append([]string(nil), header...)
	outHeader[pc] = "lsoa21_code"
	if lsoa >= 0 {
		outHeader = append(outHeader[:lsoa], outHeader[lsoa+1:]...)
	}
	if err := cw.Write(outHeader); err != nil {
		return rep, err
	}
	note := func(reason string, line, col int, postcode string) {
		rep.Unplaced[reason]++
		if len(rep.First[reason]) < firstFew {
			rep.First[reason] = append(rep.First[reason], Place{line, col})
			rep.Examples[reason] = append(rep.Examples[reason], postcode)
		}
	}
	row := make([]string, 0, len(outHeader))
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return rep, fault.List{fault.In(file, pe.Line, pe.Column, "malformed CSV line: "+pe.Err.Error()+": check the quotes on this line")}
			}
			return rep, err
		}
		line, _ := cr.FieldPos(0)
		cell := func(i int) string {
			if i < 0 || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		placed := ""
		if given := cell(lsoa); given != "" {
			rep.Given++
			placed = given
		} else {
			rep.Rows++
			raw := cell(pc)
			p, ok := Normalise(raw)
			e, known := l.entries[p]
			switch {
			case raw == "":
				note(Blank, line, pc+1, "")
			case !ok:
				note(Malformed, line, pc+1, raw)
			case !known:
				note(Unknown, line, pc+1, p)
			case e.LSOA == "":
				note(NoLSOA, line, pc+1, p)
			case lsoaCouncil != nil && council >= 0 && cell(council) != "" && lsoaCouncil(e.LSOA) != "" && !sameCouncil(lsoaCouncil(e.LSOA), cell(council)):
				note(Elsewhere, line, pc+1, p)
				placed = e.LSOA // kept: the loader reports the LSOA outside the council with its line
			default:
				rep.Matched++
				if e.Terminated {
					rep.Terminated++
				}
				placed = e.LSOA
			}
		}
		row = row[:0]
		for i := range rec {
			switch i {
			case pc:
				row = append(row, placed)
			case lsoa:
			default:
				row = append(row, rec[i])
			}
		}
		for len(row) < len(outHeader) {
			row = append(row, "")
		}
		if err := cw.Write(row); err != nil {
			return rep, err
		}
	}
	cw.Flush()
	return rep, cw.Error()
}

func sameCouncil(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// Faults turns the postcodes a report could not place into load faults, one per place listed,
// each saying why and what to do, so a load that needs every record placed says so.
func (r Report) Faults() fault.List {
	var out fault.List
	for reason, places := range r.First {
		for i, p := range places {
			out = append(out, fault.In(r.File, p.Line, p.Column, fmt.Sprintf("postcode %q %s: correct it, or give the row's LSOA in an lsoa21_code column", r.Examples[reason][i], reason)))
		}
		if n := r.Unplaced[reason] - len(places); n > 0 {
			out = append(out, fault.In(r.File, 0, 0, fmt.Sprintf("and %d more postcode(s) %s", n, reason)))
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Line != 0 && (out[b].Line == 0 || out[a].Line < out[b].Line) })
	return out
}
