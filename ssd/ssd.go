// Package ssd reads an extract of Data to Insight's Standard Safeguarding Dataset (SSD): the
// folder of CSV tables (ssd_person.csv, ssd_family.csv, ...) a council's SSD scripts produce from
// its case system. It reads the tables a family hubs tool needs, turns them into this tool's load
// files (convert.go) and counts children in need, on protection plans and looked after at every
// 31 March the extract covers (count.go).
//
// Tables and columns are named as the SSD's field specifications name them (data-to-insight's
// ssd-data-model, data/objects/*.yml). Every column used is listed in tables below, with the
// SSD's item reference; a table without a column it needs cannot be read and is an error; a
// column it can do without, when missing, is a finding. The SSD holds dates as datetimes: an
// extract writes them as ISO dates (2024-03-31, 2024-03-31 00:00:00.000, 2024-03-31T00:00:00) or,
// exported for people, as DD/MM/YYYY (31/03/2024, with or without a time); all are read, and the
// time of day is ignored.
//
// Real extracts are imperfect. A data-quality finding (a date that cannot be read, an episode
// that ends before it starts, a person missing from ssd_person) is a warning naming the file, the
// line, the column by number and name, the SSD item, what is wrong and what was done about it;
// reading goes on. Only a file that cannot be read at all (missing, empty, without a column it
// needs) is an error, and every such file is reported at once.
package ssd

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"familyhubs/fault"
)

// column is one SSD field read: its name and item reference in the SSD specification.
type column struct{ name, item string }

// table is one SSD table read: the columns it cannot be read without, and those it uses when
// present.
type table struct {
	name  string // file name without .csv, as the SSD names the table
	needs []column
	uses  []column
}

// The tables and columns read, from data-to-insight/ssd-data-model data/objects/<table>.yml.
var (
	personTable = table{"ssd_person",
		[]column{{"pers_person_id", "PERS001A"}, {"pers_sex", "PERS002A"}, {"pers_dob", "PERS005A"}},
		[]column{{"pers_gender", "PERS003A"}, {"pers_expected_dob", "PERS009A"}, {"pers_send_flag", "PERS008A"}}}
	familyTable = table{"ssd_family",
		[]column{{"fami_family_id", "FAMI001A"}, {"fami_person_id", "FAMI002A"}}, nil}
	addressTable = table{"ssd_address",
		[]column{{"addr_person_id", "ADDR002A"}, {"addr_address_start_date", "ADDR004A"}, {"addr_address_end_date", "ADDR005A"}, {"addr_address_postcode", "ADDR006A"}},
		[]column{{"addr_address_type", "ADDR003A"}}}
	contactTable = table{"ssd_contacts",
		[]column{{"cont_person_id", "CONT002A"}, {"cont_contact_date", "CONT003A"}},
		[]column{{"cont_contact_id", "CONT001A"}}}
	earlyHelpTable = table{"ssd_early_help_episodes",
		[]column{{"earl_person_id", "EARL002A"}, {"earl_episode_start_date", "EARL003A"}},
		[]column{{"earl_episode_id", "EARL001A"}, {"earl_episode_end_date", "EARL004A"}, {"earl_episode_reason", "EARL005A"}}}
	inNeedTable = table{"ssd_cin_episodes",
		[]column{{"cine_person_id", "CINE002A"}, {"cine_referral_date", "CINE003A"}, {"cine_close_date", "CINE007A"}},
		[]column{{"cine_referral_id", "CINE001A"}, {"cine_close_reason", "CINE006A"}}}
	planTable = table{"ssd_cp_plans",
		[]column{{"cppl_person_id", "CPPL002A"}, {"cppl_cp_plan_start_date", "CPPL003A"}, {"cppl_cp_plan_end_date", "CPPL004A"}},
		[]column{{"cppl_cp_plan_id", "CPPL001A"}, {"cppl_cp_plan_ola", "CPPL011A"}}}
	lookedAfterTable = table{"ssd_cla_episodes",
		[]column{{"clae_person_id", "CLAE002A"}, {"clae_cla_episode_start_date", "CLAE003A"}, {"clae_cla_episode_ceased_date", "CLAE005A"}},
		[]column{{"clae_cla_episode_id", "CLAE001A"}}}
	legalStatusTable = table{"ssd_legal_status",
		[]column{{"lega_person_id", "LEGA002A"}, {"lega_legal_status", "LEGA003A"}, {"lega_legal_status_start_date", "LEGA004A"}, {"lega_legal_status_end_date", "LEGA005A"}},
		[]column{{"lega_legal_status_id", "LEGA001A"}}}

	// tables lists every table read, in reading order.
	tables = []table{personTable, familyTable, addressTable, contactTable, earlyHelpTable, inNeedTable, planTable, lookedAfterTable, legalStatusTable}
)

// columns lists the table's columns read, needed first, each as name (item reference).
func (t table) columns() []string {
	var out []string
	for _, c := range append(append([]column(nil), t.needs...), t.uses...) {
		out = append(out, c.name+" ("+c.item+")")
	}
	return out
}

// Person is a row of ssd_person.
type Person struct {
	ID          string
	Sex         string    // pers_sex: F, M or U as given
	Gender      string    // pers_gender: 01 man or boy, 02 woman or girl, ...
	DOB         time.Time // zero when not given or not a date
	ExpectedDOB time.Time // for a child not yet born
	SEND        bool      // pers_send_flag Y: has an EHC plan
	Line        int
}

// Member is a row of ssd_family: a person in a family.
type Member struct {
	Family, Person string
	Line           int
}

// Address is a row of ssd_address.
type Address struct {
	Person     string
	Type       string // addr_address_type, as the case system codes it (Home, Placement, ...)
	Postcode   string // as given; the SSD removes spaces
	Start, End time.Time
	Line       int
}

// Event is a dated row of ssd_contacts or ssd_early_help_episodes, or an episode of
// ssd_cin_episodes, ssd_cp_plans, ssd_cla_episodes or ssd_legal_status: a person, a start (the
// contact date, for a contact) and an end (zero while open).
type Event struct {
	ID         string
	Person     string
	Start, End time.Time
	Reason     string // earl_episode_reason; lega_legal_status for a legal status; cine_close_reason's code (RC1-RC9)
	OLA        bool   // cppl_cp_plan_ola Y: another council's plan
	Line       int
}

// Extract is what was read from an SSD extract folder.
type Extract struct {
	Dir           string
	People        []Person
	Members       []Member
	Addresses     []Address
	Contacts      []Event // ssd_contacts
	EarlyHelp     []Event // ssd_early_help_episodes
	InNeed        []Event // ssd_cin_episodes: referral date to close date
	Plans         []Event // ssd_cp_plans
	LookedAfter   []Event // ssd_cla_episodes
	LegalStatuses []Event // ssd_legal_status
	Findings      []Finding
	Skipped       int // rows left out, each with a finding

	people   map[string]*Person
	byPerson map[string][]Address
	files    map[string]string         // table -> its file's name
	cols     map[string]map[string]int // table -> column -> number (1 is the first)
}

// Finding is a data-quality finding in an extract: a warning, not an error.
type Finding struct {
	File    string
	Line    int    // line in the file; 0 for the whole file
	Column  int    // column number (1 is the first); 0 for a whole row
	Field   string // the SSD column
	Item    string // the SSD item reference, e.g. PERS005A
	Message string
	Effect  string // what reading, counting or converting did about it; empty when used as given
}

func (f Finding) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d", f.File, f.Line)
	switch {
	case f.Field != "" && f.Column > 0:
		fmt.Fprintf(&b, ": column %d %s", f.Column, f.Field)
	case f.Field != "":
		fmt.Fprintf(&b, ": %s", f.Field)
	case f.Column > 0:
		fmt.Fprintf(&b, ": column %d", f.Column)
	}
	if f.Item != "" {
		fmt.Fprintf(&b, " (%s)", f.Item)
	}
	fmt.Fprintf(&b, ": %s", f.Message)
	if f.Effect != "" {
		fmt.Fprintf(&b, " (%s)", f.Effect)
	}
	return b.String()
}

// Summary groups findings by column and kind with how many there are and the first few of each,
// most frequent first, so an extract with thousands of findings reads in a screen.
func Summary(findings []Finding, first int) []string {
	return fault.Grouped(findings, func(f Finding) string {
		if f.Field == "" {
			return f.File + ": " + kind(f.Message)
		}
		return strings.TrimSuffix(f.File, ".csv") + "." + f.Field + ": " + kind(f.Message)
	}, first)
}

// kind is a finding's message without its particulars, to group findings: quoted values are
// left out, words with digits (ids, dates) read N, and an explanation after ": " is dropped.
func kind(msg string) string {
	var b strings.Builder
	quoted := false
	for _, r := range msg {
		switch {
		case r == '"':
			if !quoted {
				b.WriteString(`"…"`)
			}
			quoted = !quoted
		case !quoted:
			b.WriteRune(r)
		}
	}
	s := b.String()
	if i := strings.Index(s, ": "); i > 0 {
		s = s[:i]
	}
	words := strings.Fields(s)
	for i, w := range words {
		if strings.ContainsAny(w, "0123456789") {
			words[i] = "N"
		}
	}
	return strings.Join(words, " ")
}

// date layouts an SSD extract writes: ISO first (SQL Server's datetime as exported), then
// DD/MM/YYYY. A fraction of a second after the seconds is read by time.Parse without a layout.
var layouts = []string{
	"2006-01-02", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04:05Z07:00",
	"02/01/2006", "02/01/2006 15:04:05", "02/01/2006 15:04", "2/1/2006",
}

// Date reads a date as an SSD extract writes it, ISO or DD/MM/YYYY, with or without a time of
// day (ignored).
func Date(s string) (time.Time, error) {
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD or DD/MM/YYYY)", s)
}

// row is one record of a table: its fields by SSD name and a way to note a finding at a field.
type row struct {
	get  func(field string) string
	note func(field, msg, effect string)
	line int
}

// open finds a table's file in the folder: <table>.csv, in any case.
func open(dir, name string) (*os.File, string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, "", err
	}
	for _, e := range entries {
		if strings.EqualFold(e.Name(), name+".csv") {
			f, err := os.Open(filepath.Join(dir, e.Name()))
			return f, e.Name(), err
		}
	}
	return nil, name + ".csv", os.ErrNotExist
}

// readTable reads one table: a file missing, empty or without a needed column is an error
// (fault.List); a missing used column is a finding; a malformed line is a finding and not read.
func (x *Extract) readTable(t table, each func(row)) error {
	f, file, err := open(x.Dir, t.name)
	if errors.Is(err, os.ErrNotExist) {
		return fault.List{fault.In(file, 0, 0, fmt.Sprintf("not found in %s: an SSD extract has the table %s (CSV with a header row)", x.Dir, t.name))}
	}
	if err != nil {
		return fault.List{fault.In(file, 0, 0, "cannot read the file: "+err.Error())}
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return fault.List{fault.In(file, 1, 1, "the file is empty: it needs a header row naming the SSD columns "+strings.Join(t.columns(), ", "))}
		}
		return fault.List{fault.FromCSV(file, err)}
	}
	index := map[string]int{}
	for i, h := range header {
		index[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	var errs fault.List
	for _, c := range t.needs {
		if _, ok := index[c.name]; !ok {
			errs = append(errs, fault.In(file, 1, len(header)+1, fmt.Sprintf("missing column %s (SSD item %s): this tool needs it; add it to the header row", c.name, c.item)))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	x.files[t.name] = file
	x.cols[t.name] = map[string]int{}
	for c, i := range index {
		x.cols[t.name][c] = i + 1
	}
	items := map[string]string{}
	for _, c := range append(append([]column(nil), t.needs...), t.uses...) {
		items[c.name] = c.item
	}
	for _, c := range t.uses {
		if _, ok := index[c.name]; !ok {
			x.Findings = append(x.Findings, Finding{File: file, Line: 1, Field: c.name, Item: c.item,
				Message: "column missing from the header row (the SSD specification has it; this tool can do without it)", Effect: "read as blank"})
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
				x.Findings = append(x.Findings, Finding{File: file, Line: pe.Line, Column: pe.Column, Message: "malformed CSV line: " + pe.Err.Error() + ": check the quotes on this line", Effect: "line not read"})
				x.Skipped++
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
			note: func(c, msg, effect string) {
				col := 0
				if i, ok := index[c]; ok {
					col = i + 1
				}
				x.Findings = append(x.Findings, Finding{File: file, Line: line, Column: col, Field: c, Item: items[c], Message: msg, Effect: effect})
			},
		})
	}
}

// Read reads the tables of an SSD extract in dir. Every table that cannot be read is reported
// together, as a fault.List.
func Read(dir string) (*Extract, error) {
	x := &Extract{Dir: dir, people: map[string]*Person{}, files: map[string]string{}, cols: map[string]map[string]int{}}
	var all fault.List
	add := func(err error) error {
		var l fault.List
		if errors.As(err, &l) {
			all = append(all, l...)
			return nil
		}
		return err
	}
	seen := map[string]int{}
	if err := add(x.readTable(personTable, func(r row) { x.person(r, seen) })); err != nil {
		return nil, err
	}
	for i := range x.People {
		x.people[x.People[i].ID] = &x.People[i]
	}
	steps := []struct {
		t    table
		each func(row)
	}{
		{familyTable, x.member},
		{addressTable, x.address},
		{contactTable, func(r row) {
			x.event(r, &x.Contacts, "cont_contact_id", "cont_person_id", "cont_contact_date", "", "contact")
		}},
		{earlyHelpTable, func(r row) {
			x.event(r, &x.EarlyHelp, "earl_episode_id", "earl_person_id", "earl_episode_start_date", "earl_episode_end_date", "early help episode")
		}},
		{inNeedTable, func(r row) {
			x.event(r, &x.InNeed, "cine_referral_id", "cine_person_id", "cine_referral_date", "cine_close_date", "episode of need")
		}},
		{planTable, func(r row) {
			x.event(r, &x.Plans, "cppl_cp_plan_id", "cppl_person_id", "cppl_cp_plan_start_date", "cppl_cp_plan_end_date", "protection plan")
		}},
		{lookedAfterTable, func(r row) {
			x.event(r, &x.LookedAfter, "clae_cla_episode_id", "clae_person_id", "clae_cla_episode_start_date", "clae_cla_episode_ceased_date", "episode of care")
		}},
		{legalStatusTable, func(r row) {
			x.event(r, &x.LegalStatuses, "lega_legal_status_id", "lega_person_id", "lega_legal_status_start_date", "lega_legal_status_end_date", "legal status")
		}},
	}
	for _, s := range steps {
		if err := add(x.readTable(s.t, s.each)); err != nil {
			return nil, err
		}
	}
	if len(all) > 0 {
		return nil, all
	}
	return x, nil
}

func (x *Extract) person(r row, seen map[string]int) {
	p := Person{ID: r.get("pers_person_id"), Sex: strings.ToUpper(r.get("pers_sex")), Gender: r.get("pers_gender"), Line: r.line}
	if p.ID == "" {
		r.note("pers_person_id", "the person's id is blank", "person not read")
		x.Skipped++
		return
	}
	if prev, dup := seen[p.ID]; dup {
		r.note("pers_person_id", fmt.Sprintf("person %s already has a row (line %d): each person has one", p.ID, prev), "the first is used")
		x.Skipped++
		return
	}
	seen[p.ID] = r.line
	var err error
	if s := r.get("pers_dob"); s != "" {
		if p.DOB, err = Date(s); err != nil {
			r.note("pers_dob", "date of birth: "+err.Error(), "age not known")
		}
	}
	if s := r.get("pers_expected_dob"); s != "" {
		if p.ExpectedDOB, err = Date(s); err != nil {
			r.note("pers_expected_dob", "expected date of birth: "+err.Error(), "not used")
		} else if !p.DOB.IsZero() {
			r.note("pers_expected_dob", "both a date of birth and an expected date of birth: the SSD records one, not both", "the date of birth is used")
		}
	}
	switch f := strings.ToUpper(r.get("pers_send_flag")); f {
	case "Y":
		p.SEND = true
	case "N", "":
	default:
		r.note("pers_send_flag", fmt.Sprintf("%q is not a SEND flag (Y or N)", f), "read as N")
	}
	switch p.Sex {
	case "F", "M", "U", "":
	default:
		r.note("pers_sex", fmt.Sprintf("%q is not a sex code (F, M or U)", p.Sex), "read as unknown")
		p.Sex = "U"
	}
	x.People = append(x.People, p)
}

func (x *Extract) member(r row) {
	m := Member{Family: r.get("fami_family_id"), Person: r.get("fami_person_id"), Line: r.line}
	switch {
	case m.Family == "":
		r.note("fami_family_id", "the family id is blank", "row not read")
	case m.Person == "":
		r.note("fami_person_id", "the person id is blank", "row not read")
	case x.people[m.Person] == nil:
		r.note("fami_person_id", fmt.Sprintf("person %s is not in ssd_person", m.Person), "row not read")
	default:
		x.Members = append(x.Members, m)
		return
	}
	x.Skipped++
}

func (x *Extract) address(r row) {
	a := Address{Person: r.get("addr_person_id"), Type: r.get("addr_address_type"), Postcode: r.get("addr_address_postcode"), Line: r.line}
	ok := true
	if a.Person == "" {
		r.note("addr_person_id", "the person id is blank", "address not used")
		ok = false
	} else if x.people[a.Person] == nil {
		r.note("addr_person_id", fmt.Sprintf("person %s is not in ssd_person", a.Person), "address not used")
		ok = false
	}
	if a.Postcode == "" && ok {
		r.note("addr_address_postcode", "the postcode is blank", "address not used")
		ok = false
	}
	var err error
	if a.Start, err = Date(r.get("addr_address_start_date")); err != nil && ok {
		r.note("addr_address_start_date", "address start date: "+err.Error(), "address not used")
		ok = false
	}
	if s := r.get("addr_address_end_date"); s != "" && ok {
		if a.End, err = Date(s); err != nil {
			r.note("addr_address_end_date", "address end date: "+err.Error(), "address not used")
			ok = false
		} else if a.End.Before(a.Start) {
			r.note("addr_address_end_date", fmt.Sprintf("the address ended (%s) before it started (%s)", s, r.get("addr_address_start_date")), "address not used")
			ok = false
		}
	}
	if !ok {
		x.Skipped++
		return
	}
	x.Addresses = append(x.Addresses, a)
}

// event reads a dated row: its person must be in ssd_person, its start a date, its end (when
// the table has one and it is given) a date not before the start.
func (x *Extract) event(r row, into *[]Event, idCol, personCol, startCol, endCol, what string) {
	e := Event{ID: r.get(idCol), Person: r.get(personCol), Line: r.line}
	ok := true
	if e.Person == "" {
		r.note(personCol, "the person id is blank", what+" not used")
		ok = false
	} else if x.people[e.Person] == nil {
		r.note(personCol, fmt.Sprintf("person %s is not in ssd_person", e.Person), what+" not used")
		ok = false
	}
	var err error
	if e.Start, err = Date(r.get(startCol)); err != nil && ok {
		r.note(startCol, err.Error(), what+" not used")
		ok = false
	}
	if s := r.get(endCol); endCol != "" && s != "" && ok {
		if e.End, err = Date(s); err != nil {
			r.note(endCol, err.Error(), what+" not used")
			ok = false
		} else if e.End.Before(e.Start) {
			r.note(endCol, fmt.Sprintf("the %s ended (%s) before it started (%s)", what, s, r.get(startCol)), what+" not used")
			ok = false
		}
	}
	switch personCol {
	case "cine_person_id":
		// the CIN census reason for closure (RC1-RC9), as given or with its words after the code
		if v := strings.ToUpper(strings.TrimSpace(r.get("cine_close_reason"))); len(v) >= 3 {
			e.Reason = v[:3]
		}
	case "earl_person_id":
		e.Reason = r.get("earl_episode_reason")
	case "lega_person_id":
		e.Reason = r.get("lega_legal_status")
		if e.Reason == "" && ok {
			r.note("lega_legal_status", "the legal status is blank", "not a short break")
		}
	case "cppl_person_id":
		switch v := strings.ToUpper(r.get("cppl_cp_plan_ola")); v {
		case "Y":
			e.OLA = true
		case "N", "":
		default:
			r.note("cppl_cp_plan_ola", fmt.Sprintf("%q is not Y or N", v), "read as N: the council's own plan")
		}
	}
	if !ok {
		x.Skipped++
		return
	}
	*into = append(*into, e)
}

// Person returns the person with the id, or nil.
func (x *Extract) Person(id string) *Person { return x.people[id] }

// at makes a finding at a line and column of a table read.
func (x *Extract) at(t table, line int, col, msg, effect string) Finding {
	item := ""
	for _, c := range append(append([]column(nil), t.needs...), t.uses...) {
		if c.name == col {
			item = c.item
		}
	}
	return Finding{File: x.files[t.name], Line: line, Column: x.cols[t.name][col], Field: col, Item: item, Message: msg, Effect: effect}
}
