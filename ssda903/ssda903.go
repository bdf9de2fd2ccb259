// Package ssda903 reads the children looked after return (SSDA903) that councils already
// produce, as its header and episodes CSV tables or as the XML file DfE's specification allows,
// and counts children looked after at every 31 March the return covers, as DfE does, so an
// officer can see whether their return reconciles with the published figure.
//
// DfE's definition, as used here: a child is looked after at 31 March if an episode of care
// started on or before that day and had not ceased by it (DEC blank, or after 31 March), counting
// each child once however many episodes are open; children looked after under an agreed series
// of short-term breaks (legal status V3 or V4) are excluded ("Numbers ... exclude children looked
// after under an agreed series of short term placements", DfE, Children looked after in England,
// data guidance), and so is a child aged 18 or over on the day (care ends at 18: an episode still
// open then is a fault in the return). Dates are DD/MM/YYYY, as councils' SSDA903 extracts write
// them.
//
// Real returns are imperfect. A data-quality finding (a code that is not valid, a reason an
// episode ended without its end date, a new episode before the last one ended) is a warning that
// names the file, the line (or the XML element), the column by number and name, and DfE's
// validation rule where one applies (the rule numbers of DfE's SSDA903 validation, as Data to
// Insight's validator for the 2022-23 to 2025-26 collections names them); counting goes on. Only
// an episode whose dates cannot be read, or end before they start, is left out of the count, and
// each is reported. Only a file that cannot be read at all (empty, not CSV or XML, without a column
// counting needs) is an error.
package ssda903

import (
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"familyhubs/fault"
	"familyhubs/internal/files"
)

// Child is a row of the header table.
type Child struct {
	ID  string
	Sex string    // 1 male, 2 female
	DOB time.Time // zero when not given or not a date
}

// Episode is a row of the episodes table.
type Episode struct {
	Child         string
	Start         time.Time // DECOM
	Reason        string    // RNE
	LegalStatus   string    // LS
	Need          string    // CIN
	Placement     string    // PLACE (PL in the XML)
	Provider      string    // PLACE_PROVIDER
	End           time.Time // DEC; zero while open
	ReasonEnded   string    // REC
	ReasonChange  string    // REASON_PLACE_CHANGE
	HomePostcode  string    // HOME_POST
	PlacePostcode string    // PL_POST
	URN           string
	Line          int
	DOB           time.Time // the child's date of birth from the header, when given
}

// Finding is a data-quality finding in a return: a warning, not an error.
type Finding struct {
	File    string
	Line    int    // line in the file (the CHILD element's line in XML); 0 for the whole file
	Column  int    // column number in a CSV file (1 is the first); 0 for XML or a whole row
	Field   string // column or element name
	Element string // in XML: which child and episode, e.g. "CHILD 907440, EPISODE 2"
	Rule    string // DfE's validation rule, e.g. "148"; empty where none applies
	Message string
	Effect  string // what counting did about it; empty when the row is counted as given
}

func (f Finding) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d", f.File, f.Line)
	if f.Element != "" {
		fmt.Fprintf(&b, ": %s", f.Element)
	}
	if f.Field == "" && f.Column > 0 {
		fmt.Fprintf(&b, ": column %d", f.Column)
	}
	if f.Field != "" {
		if f.Column > 0 {
			fmt.Fprintf(&b, ": column %d %s", f.Column, f.Field)
		} else {
			fmt.Fprintf(&b, ": %s", f.Field)
		}
	}
	if f.Rule != "" {
		fmt.Fprintf(&b, ": DfE rule %s", f.Rule)
	}
	fmt.Fprintf(&b, ": %s", f.Message)
	if f.Effect != "" {
		fmt.Fprintf(&b, " (%s)", f.Effect)
	}
	return b.String()
}

// Return is what was read from one council's return.
type Return struct {
	Children []Child
	Episodes []Episode // the episodes that can be counted
	Findings []Finding
	Skipped  int // episodes left out of every count, each with a finding
}

const notCounted = "episode not counted"

var (
	// Columns counting cannot do without: a file without one is an error.
	headerNeeds  = []string{"CHILD", "DOB"}
	episodeNeeds = []string{"CHILD", "DECOM", "LS", "DEC"}
	// The rest of DfE's columns: a missing one is a finding.
	headerColumns  = []string{"CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"}
	episodeColumns = []string{"CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"}

	// Valid codes, as DfE's SSDA903 guidance lists them (placement types across the 2022-23 to
	// 2025-26 collections, which renamed some).
	legalStatuses = codes("C1 C2 D1 E1 J1 J2 J3 L1 L2 L3 V2 V3 V4")
	newReasons    = codes("S P L T U B")
	needs         = codes("N1 N2 N3 N4 N5 N6 N7 N8")
	placements    = codes("A3 A4 A5 A6 H5 K1 K2 K3 P1 P2 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z1 Z11 Z12 Z13 Z14")
	endReasons    = codes("E11 E12 E2 E3 E4A E4B E13 E41 E45 E46 E47 E48 E5 E6 E7 E8 E9 E14 E15 E16 E17 X1")
	// ShortBreaks are the legal statuses DfE leaves out of the count at 31 March.
	ShortBreaks = codes("V3 V4")
)

func codes(s string) map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(s) {
		m[c] = true
	}
	return m
}

func date(s string) (time.Time, error) {
	t, err := time.Parse("02/01/2006", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date as DD/MM/YYYY", s)
	}
	return t, nil
}

// row is one header or episode record, from CSV or XML: its fields and where each is.
type row struct {
	get  func(field string) string
	note func(field, rule, msg, effect string)
	line int
}

// readCSV reads a table with a header row: a file missing a column in needs is an error; a
// missing column in known is a finding; a malformed line is a finding and is not read.
func readCSV(r io.Reader, file string, needs, known []string, findings *[]Finding, each func(row)) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return fault.List{fault.In(file, 1, 1, "the file is empty: it needs a header row naming the columns "+strings.Join(known, ", "))}
		}
		return fault.List{fault.In(file, 1, 1, "cannot read the header row: "+err.Error())}
	}
	index := map[string]int{}
	for i, h := range header {
		index[strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	var errs fault.List
	for _, c := range needs {
		if _, ok := index[c]; !ok {
			errs = append(errs, fault.In(file, 1, len(header)+1, fmt.Sprintf("missing column %s: counting needs it; add it to the header row", c)))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	for _, c := range known {
		if _, ok := index[c]; !ok && !slices.Contains(needs, c) {
			*findings = append(*findings, Finding{File: file, Line: 1, Field: c, Message: "column missing from the header row (DfE's specification has it; counting does not need it)"})
		}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				*findings = append(*findings, Finding{File: file, Line: pe.Line, Column: pe.Column, Message: "malformed CSV line: " + pe.Err.Error() + ": check the quotes on this line", Effect: "line not read"})
				continue
			}
			return fault.List{fault.In(file, 0, 0, err.Error())}
		}
		line, _ := cr.FieldPos(0)
		each(row{
			line: line,
			get: func(c string) string {
				if i, ok := index[c]; ok && i < len(rec) {
					return strings.TrimSpace(rec[i])
				}
				return ""
			},
			note: func(c, rule, msg, effect string) {
				col := 0
				if i, ok := index[c]; ok {
					col = i + 1
				}
				*findings = append(*findings, Finding{File: file, Line: line, Column: col, Field: c, Rule: rule, Message: msg, Effect: effect})
			},
		})
	}
}

type reader struct {
	ret   *Return
	seen  map[string]int // child id -> line of its header row
	known map[string]*Child
}

func newReader() *reader {
	return &reader{ret: &Return{}, seen: map[string]int{}, known: map[string]*Child{}}
}

func (rd *reader) child(r row) {
	c := Child{ID: r.get("CHILD"), Sex: r.get("SEX")}
	if c.ID == "" {
		r.note("CHILD", "", "the child's id is blank", "header row not read")
		return
	}
	if prev, dup := rd.seen[c.ID]; dup {
		r.note("CHILD", "", fmt.Sprintf("child %s already has a header row (line %d): each child has one", c.ID, prev), "the first is used")
		return
	}
	rd.seen[c.ID] = r.line
	if c.Sex != "1" && c.Sex != "2" {
		r.note("SEX", "101", fmt.Sprintf("%q is not a valid sex code: use 1 (male) or 2 (female)", c.Sex), "")
	}
	var err error
	if c.DOB, err = date(r.get("DOB")); err != nil {
		r.note("DOB", "102", err.Error(), "counted, but the age at 31 March cannot be checked")
	}
	rd.ret.Children = append(rd.ret.Children, c)
}

func (rd *reader) episode(r row, checkHeader bool) {
	e := Episode{Child: r.get("CHILD"), Reason: r.get("RNE"), LegalStatus: r.get("LS"), Need: r.get("CIN"), Placement: r.get("PLACE"),
		Provider: r.get("PLACE_PROVIDER"), ReasonEnded: r.get("REC"), ReasonChange: r.get("REASON_PLACE_CHANGE"),
		HomePostcode: r.get("HOME_POST"), PlacePostcode: r.get("PL_POST"), URN: r.get("URN"), Line: r.line}
	countable := true
	if e.Child == "" {
		r.note("CHILD", "", "the child's id is blank", notCounted)
		countable = false
	} else if checkHeader && rd.seen[e.Child] == 0 {
		r.note("CHILD", "", fmt.Sprintf("child %s has no row in the header table: add one, or correct the id", e.Child), "counted; age not checked")
	}
	var err error
	if e.Start, err = date(r.get("DECOM")); err != nil {
		r.note("DECOM", "141", "date episode began: "+err.Error(), notCounted)
		countable = false
	}
	if s := r.get("DEC"); s != "" {
		if e.End, err = date(s); err != nil {
			r.note("DEC", "147", "date episode ceased: "+err.Error(), notCounted)
			countable = false
		} else if !e.Start.IsZero() && e.End.Before(e.Start) {
			r.note("DEC", "356", fmt.Sprintf("the episode ceased (%s) before it began (%s)", s, r.get("DECOM")), notCounted)
			countable = false
		}
	}
	if (r.get("DEC") == "") != (e.ReasonEnded == "") {
		if e.ReasonEnded == "" {
			r.note("REC", "148", "the episode has a date it ceased but no reason: both are coded, or both left blank", "")
		} else {
			r.note("REC", "148", fmt.Sprintf("reason episode ceased %q given but no date it ceased (DEC): both are coded, or both left blank", e.ReasonEnded), "counted as open")
		}
	}
	if e.ReasonEnded != "" && !endReasons[e.ReasonEnded] {
		r.note("REC", "149", fmt.Sprintf("%q is not a valid reason episode ceased", e.ReasonEnded), "")
	}
	if !legalStatuses[e.LegalStatus] {
		r.note("LS", "144", fmt.Sprintf("%q is not a valid legal status (C1, C2, D1, E1, J1-J3, L1-L3, V2-V4)", e.LegalStatus), "counted: not a short break")
	}
	if e.Reason != "" && !newReasons[e.Reason] {
		r.note("RNE", "143", fmt.Sprintf("%q is not a valid reason for new episode", e.Reason), "")
	}
	if e.Need != "" && !needs[e.Need] {
		r.note("CIN", "145", fmt.Sprintf("%q is not a valid category of need (N1-N8)", e.Need), "")
	}
	if e.Placement != "" && !placements[e.Placement] {
		r.note("PLACE", "146", fmt.Sprintf("%q is not a valid placement type", e.Placement), "")
	}
	if !countable {
		rd.ret.Skipped++
		return
	}
	rd.ret.Episodes = append(rd.ret.Episodes, e)
}

// finish joins each episode to its child's date of birth and checks each child's episodes in
// order (DfE rule 142: a new episode began while the one before had not ended).
func (rd *reader) finish(file string, where func(e Episode) (int, string)) {
	for i := range rd.ret.Children {
		rd.known[rd.ret.Children[i].ID] = &rd.ret.Children[i]
	}
	byChild := map[string][]int{}
	for i := range rd.ret.Episodes {
		e := &rd.ret.Episodes[i]
		if c := rd.known[e.Child]; c != nil {
			e.DOB = c.DOB
		}
		byChild[e.Child] = append(byChild[e.Child], i)
	}
	ids := make([]string, 0, len(byChild))
	for id := range byChild {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var overlaps []Finding
	for _, id := range ids {
		eps := byChild[id]
		sort.SliceStable(eps, func(a, b int) bool { return rd.ret.Episodes[eps[a]].Start.Before(rd.ret.Episodes[eps[b]].Start) })
		for k := 1; k < len(eps); k++ {
			prev, next := rd.ret.Episodes[eps[k-1]], rd.ret.Episodes[eps[k]]
			if prev.End.IsZero() {
				line, elem := where(next)
				overlaps = append(overlaps, Finding{File: file, Line: line, Element: elem, Field: "DECOM", Rule: "142",
					Message: fmt.Sprintf("child %s: a new episode began on %s but the one before (from %s) has not ended", id,
						next.Start.Format("02/01/2006"), prev.Start.Format("02/01/2006")), Effect: "counted once"})
			}
		}
	}
	sort.SliceStable(overlaps, func(a, b int) bool { return overlaps[a].Line < overlaps[b].Line })
	rd.ret.Findings = append(rd.ret.Findings, overlaps...)
}

// ReadCSV reads the header and episodes tables as CSV.
func ReadCSV(header io.Reader, headerFile string, episodes io.Reader, episodesFile string) (*Return, error) {
	rd := newReader()
	herr := readCSV(header, headerFile, headerNeeds, headerColumns, &rd.ret.Findings, rd.child)
	// the episodes are read whatever the header's state, so every fault is reported at once
	eerr := readCSV(episodes, episodesFile, episodeNeeds, episodeColumns, &rd.ret.Findings, func(r row) { rd.episode(r, herr == nil) })
	if herr != nil || eerr != nil {
		var all fault.List
		for _, err := range []error{herr, eerr} {
			var l fault.List
			if errors.As(err, &l) {
				all = append(all, l...)
			} else if err != nil {
				return nil, err
			}
		}
		return nil, all
	}
	rd.finish(episodesFile, func(e Episode) (int, string) { return e.Line, "" })
	return rd.ret, nil
}

type xmlChild struct {
	Header struct {
		ID  string `xml:"CHILDID"`
		Sex string `xml:"SEX"`
		DOB string `xml:"DOB"`
	} `xml:"HEADER"`
	Episodes []struct {
		DECOM, RNE, LS, CIN, PL, PLACE_PROVIDER, DEC, REC, REASON_PLACE_CHANGE, HOME_POST, PL_POST, URN string
	} `xml:"EPISODE"`
}

// ReadXML reads a return as one XML file (EXPSSDA903: CHILD elements, each with a HEADER and its
// EPISODE elements), as DfE's specification allows. Findings name the child and episode.
func ReadXML(r io.Reader, file string) (*Return, error) {
	rd := newReader()
	d := xml.NewDecoder(r)
	d.CharsetReader = files.Charset
	root := false
	n := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, _ := d.InputPos()
			return nil, fault.List{fault.In(file, line, 0, "not readable as XML: "+err.Error())}
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if !root {
			if start.Name.Local != "EXPSSDA903" {
				return nil, fault.List{fault.In(file, 1, 0, fmt.Sprintf("the root element is %s: an SSDA903 XML return is EXPSSDA903", start.Name.Local))}
			}
			root = true
			continue
		}
		if start.Name.Local != "CHILD" {
			if err := d.Skip(); err != nil {
				line, _ := d.InputPos()
				return nil, fault.List{fault.In(file, line, 0, "not readable as XML: "+err.Error())}
			}
			continue
		}
		line, _ := d.InputPos()
		var c xmlChild
		if err := d.DecodeElement(&c, &start); err != nil {
			return nil, fault.List{fault.In(file, line, 0, "not readable as XML: "+err.Error())}
		}
		n++
		elem := fmt.Sprintf("CHILD %d (CHILDID %s)", n, c.Header.ID)
		note := func(extra string) func(f, rule, msg, effect string) {
			return func(f, rule, msg, effect string) {
				if f == "PLACE" {
					f = "PL"
				}
				if f == "CHILD" {
					f = "CHILDID"
				}
				rd.ret.Findings = append(rd.ret.Findings, Finding{File: file, Line: line, Element: elem + extra, Field: f, Rule: rule, Message: msg, Effect: effect})
			}
		}
		h := map[string]string{"CHILD": c.Header.ID, "SEX": c.Header.Sex, "DOB": c.Header.DOB}
		rd.child(row{line: line, get: func(f string) string { return strings.TrimSpace(h[f]) }, note: note("")})
		for k, e := range c.Episodes {
			v := map[string]string{"CHILD": c.Header.ID, "DECOM": e.DECOM, "RNE": e.RNE, "LS": e.LS, "CIN": e.CIN, "PLACE": e.PL,
				"PLACE_PROVIDER": e.PLACE_PROVIDER, "DEC": e.DEC, "REC": e.REC, "REASON_PLACE_CHANGE": e.REASON_PLACE_CHANGE,
				"HOME_POST": e.HOME_POST, "PL_POST": e.PL_POST, "URN": e.URN}
			rd.episode(row{line: line, get: func(f string) string { return strings.TrimSpace(v[f]) }, note: note(fmt.Sprintf(", EPISODE %d", k+1))}, true)
		}
	}
	if !root {
		return nil, fault.List{fault.In(file, 1, 0, "the file is empty: an SSDA903 XML return has an EXPSSDA903 root element")}
	}
	rd.finish(file, func(e Episode) (int, string) { return e.Line, "CHILD " + e.Child })
	return rd.ret, nil
}

// Age in whole years on the day.
func age(dob, day time.Time) int {
	a := day.Year() - dob.Year()
	if day.Month() < dob.Month() || (day.Month() == dob.Month() && day.Day() < dob.Day()) {
		a--
	}
	return a
}

// LookedAfterAt counts children looked after on the day (31 March), as DfE does: distinct
// children with an episode open on the day, excluding short breaks (V3, V4) and children aged
// 18 or over on the day.
func LookedAfterAt(episodes []Episode, day time.Time) int {
	n, _ := lookedAfterAt(episodes, day)
	return n
}

func lookedAfterAt(episodes []Episode, day time.Time) (int, []string) {
	children := map[string]bool{}
	adults := map[string]bool{}
	for _, e := range episodes {
		if ShortBreaks[e.LegalStatus] || e.Start.IsZero() || e.Start.After(day) {
			continue
		}
		if e.End.IsZero() || e.End.After(day) {
			if !e.DOB.IsZero() && age(e.DOB, day) >= 18 {
				adults[e.Child] = true
				continue
			}
			children[e.Child] = true
		}
	}
	var old []string
	for c := range adults {
		if !children[c] {
			old = append(old, c)
		}
	}
	sort.Strings(old)
	return len(children), old
}

// Count is the count at one 31 March.
type Count struct {
	Year        int
	LookedAfter int
	Aged18      []string // children with an episode open on the day though 18 or over: not counted
}

// CountAt counts children looked after at 31 March of the year, and lists those left out as 18
// or over.
func (r *Return) CountAt(year int) Count {
	n, old := lookedAfterAt(r.Episodes, time.Date(year, 3, 31, 0, 0, 0, 0, time.UTC))
	return Count{Year: year, LookedAfter: n, Aged18: old}
}

// Years lists every 31 March the episodes cover: from the first on or after the earliest
// episode's start to the end of the collection year of the latest date in the return (the first
// 31 March on or after it: DfE's rule 354 keeps every date ceased within the collection year).
// An episode open for five years is counted at each of the five 31 Marches it spans.
func Years(episodes []Episode) []int {
	var first, last time.Time
	for _, e := range episodes {
		for _, d := range []time.Time{e.Start, e.End} {
			if d.IsZero() {
				continue
			}
			if first.IsZero() || d.Before(first) {
				first = d
			}
			if d.After(last) {
				last = d
			}
		}
	}
	if first.IsZero() {
		return nil
	}
	var out []int
	for y := marchOnOrAfter(first); y <= marchOnOrAfter(last); y++ {
		out = append(out, y)
	}
	return out
}

func marchOnOrAfter(d time.Time) int {
	if d.After(time.Date(d.Year(), 3, 31, 0, 0, 0, 0, time.UTC)) {
		return d.Year() + 1
	}
	return d.Year()
}

// Summary groups findings by rule (or kind) with how many there are and the first few of each,
// most frequent first, so a return with thousands of findings reads in a screen.
func Summary(findings []Finding, first int) []string {
	return fault.Grouped(findings, func(f Finding) string {
		if f.Rule == "" {
			return f.Field + ": " + kind(f.Message)
		}
		return "DfE rule " + f.Rule
	}, first)
}

// kind is a finding's message without its particulars (the words before the first quote or
// colon), to group findings that have no DfE rule.
func kind(msg string) string {
	if i := strings.IndexAny(msg, "\":0123456789"); i > 0 {
		return strings.TrimSpace(msg[:i])
	}
	return msg
}

// Reconciliation compares a return's count with DfE's published figure.
type Reconciliation struct {
	Year       int
	Counted    int
	Published  int
	Difference int
	Verdict    string
}

// Reconcile says whether the count matches the published figure: exactly, within 1%
// (late amendments), or not, with what to check.
func Reconcile(year, counted, published int) Reconciliation {
	r := Reconciliation{Year: year, Counted: counted, Published: published, Difference: counted - published}
	switch d := r.Difference; {
	case d == 0:
		r.Verdict = "reconciles: the return gives the published figure exactly"
	case abs(d)*100 <= published:
		r.Verdict = fmt.Sprintf("within 1%% of the published figure (%+d): likely late amendments to the return", d)
	default:
		r.Verdict = fmt.Sprintf("does not reconcile (%+d): check episodes open on 31 March, short breaks (V3, V4) and children who turned 18", d)
	}
	return r
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// Period is one period looked after: a child's episodes from one that started it (RNE S, or the
// first after a gap) to the last before the next such start.
type Period struct {
	Child      string
	Start, End time.Time // End zero while the last episode is open
	// Episodes is how many episodes the period joins.
	Episodes int
}

// Periods joins each child's episodes into periods looked after, as DfE's SSDA903 guidance has
// them: a period starts with an episode whose reason for new episode (RNE) is S (started to be
// looked after) or that begins after the episode before ended (a gap: the child left care and came
// back); every other episode (a change of placement or legal status, RNE P, L, T, U or B, starting
// the day the one before ceased) carries the period on. A period ends when its last episode ceases
// (DEC), and is open while that episode is. Episodes under an agreed series of short-term breaks
// (legal status V3 or V4) are left out, as DfE leaves them out of children looked after. Periods
// come in order of child and start.
func Periods(episodes []Episode) []Period {
	eps := make([]Episode, 0, len(episodes))
	for _, e := range episodes {
		if !ShortBreaks[e.LegalStatus] && e.Child != "" && !e.Start.IsZero() {
			eps = append(eps, e)
		}
	}
	sort.SliceStable(eps, func(a, b int) bool {
		if eps[a].Child != eps[b].Child {
			return eps[a].Child < eps[b].Child
		}
		return eps[a].Start.Before(eps[b].Start)
	})
	var out []Period
	for i, e := range eps {
		last := len(out) - 1
		cont := i > 0 && eps[i-1].Child == e.Child && e.Reason != "S" &&
			(out[last].End.IsZero() || !e.Start.After(out[last].End))
		if !cont {
			out = append(out, Period{Child: e.Child, Start: e.Start, End: e.End, Episodes: 1})
			continue
		}
		out[last].End = e.End
		out[last].Episodes++
	}
	return out
}
