// Package cin reads the Children in Need census that councils return to DfE each year, as the XML
// file DfE's specification for 2025-26 describes (root Message: a Header with the collection's
// ReferenceDate, then Children/Child, each with ChildIdentifiers, ChildCharacteristics and its
// CINdetails: the referral, its assessments, CIN plans, section 47 enquiries and child protection
// plans), and counts, at every 31 March the file covers, what DfE's published tables count, so an
// officer can see whether the return reconciles with the published figures:
//
//   - children in need at 31 March (DfE table B1, At31_episodes): children with an episode of need
//     open on the day: referred on or before it (CINreferralDate) and not closed by it
//     (CINclosureDate blank, or after the day), each child once; a referral marked no further action
//     (ReferralNFA true or 1) is not an episode of need, and is counted apart;
//   - children on a child protection plan at 31 March (table D5, CPP_At31): a plan started on or
//     before the day (CPPstartDate) and not ended by it (CPPendDate blank or after it), each child once;
//   - referrals in the year (table C1, referral_count): every CINdetails whose CINreferralDate falls
//     in the collection year (1 April to 31 March), those with no further action included; and
//     re-referrals: referrals of a child referred before within the 12 months up to the referral
//     (counted only where the file covers the year before, so the earlier referral is in it);
//   - factors identified at the end of assessment in the year (table C3): for assessments completed
//     (AssessmentAuthorisationDate) in the year, the episodes with each AssessmentFactors code, and
//     the episodes with any factor ("21", no factors identified, is counted apart).
//
// Which 31 Marches a file covers: a census return holds, by DfE's specification, every episode open
// at any time in its collection year, the year to its ReferenceDate, so that year is covered. A file
// that also holds episodes or plans that ended in earlier years is an extract of several years: it
// covers every year from the earliest year in which one of them ended. Dates are YYYY-MM-DD, as the
// XML schema has them.
//
// Real returns are imperfect. A data-quality finding is a warning naming the file, the line of the
// Child element, the element's path (e.g. "Child 12 (LAchildID X), CINdetails 2"), the field, and
// DfE's validation rule where one applies (the rule numbers and wording of DfE's CIN census
// validation for 2025-26, as Data to Insight's validator, csc-validator-be-cin, implements them);
// counting goes on. Only an episode or plan whose dates cannot be placed is left out of the count,
// and each is reported. Only a file that cannot be read at all (empty, not XML, another root) is an
// error.
package cin

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"familyhubs/fault"
	"familyhubs/internal/files"
)

// Child is one Child element's identifiers.
type Child struct {
	ID       string // LAchildID; "(Child n)" when blank, so the child still counts once
	Element  string
	Line     int
	Sex      string
	DOB      time.Time // PersonBirthDate; zero when not given or not a date
	Expected time.Time // ExpectedPersonBirthDate (an unborn child)
	Death    time.Time
}

// Episode is one CINdetails: an episode of need (or a referral with no further action).
type Episode struct {
	Child       string
	Element     string
	Line        int
	Referral    time.Time // CINreferralDate
	Source      string    // ReferralSource
	Need        string    // PrimaryNeedCode
	Closure     time.Time // CINclosureDate; zero while open
	Reason      string    // ReasonForClosure
	NFA         bool      // ReferralNFA
	Assessments []Assessment
}

// Assessment is one Assessments element of an episode.
type Assessment struct {
	Start      time.Time // AssessmentActualStartDate
	Authorised time.Time // AssessmentAuthorisationDate: the assessment's end; zero while not completed
	Factors    []string  // AssessmentFactors codes, each once
}

// Plan is one ChildProtectionPlans element.
type Plan struct {
	Child    string
	Element  string
	Line     int
	Start    time.Time // CPPstartDate
	End      time.Time // CPPendDate; zero while open
	Initial  string    // InitialCategoryOfAbuse
	Latest   string    // LatestCategoryOfAbuse
	Previous int       // NumberOfPreviousCPP; -1 when not given
}

// Finding is a data-quality finding in a return: a warning, not an error.
type Finding struct {
	File    string
	Line    int    // line of the Child element (or of the Header); 0 for the whole file
	Element string // e.g. "Child 12 (LAchildID X), CINdetails 2"
	Field   string // element name, e.g. CINclosureDate
	Rule    string // DfE's validation rule, e.g. "8630"; empty where none applies
	Message string
	Effect  string // what counting did about it; empty when counted as given
}

func (f Finding) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d", f.File, f.Line)
	for _, s := range []string{f.Element, f.Field} {
		if s != "" {
			fmt.Fprintf(&b, ": %s", s)
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

// Return is what was read from one census file.
type Return struct {
	ReferenceDate                 time.Time // Header's ReferenceDate; zero when missing or not a date
	Year                          string    // Header's collection Year
	LEA                           string
	Children                      []Child
	Episodes                      []Episode // the episodes that can be counted
	Plans                         []Plan    // the plans that can be counted
	Findings                      []Finding
	SkippedEpisodes, SkippedPlans int // left out of every count, each with a finding
}

const (
	notCounted     = "episode not counted"
	planNotCounted = "plan not counted"
	layout         = "2006-01-02"
)

// Valid codes, as Data to Insight's validator lists them for DfE's rules 8640, 8650, 8866, 8905
// and 8910 (unchanged from 2022-23 to 2025-26), and rule 4180 as changed for 2024-25 (Sex).
var (
	closureReasons = codes("RC1 RC2 RC3 RC4 RC5 RC6 RC7 RC8 RC9")
	primaryNeeds   = codes("N0 N1 N2 N3 N4 N5 N6 N7 N8 N9")
	sources        = codes("1A 1B 1C 1D 2A 2B 3A 3B 3C 3D 3E 3F 4 5A 5B 5C 5D 6 7 8 9 10")
	abuse          = codes("NEG PHY SAB EMO MUL")
	sexes          = codes("M F U")
	// NoFactors is the AssessmentFactors code for "no factors identified" (DfE rule 8869).
	NoFactors = "21"
	// sources have been required since 1 April 2013 (rule 8866)
	sourcesFrom = time.Date(2013, 4, 1, 0, 0, 0, 0, time.UTC)
)

func codes(s string) map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(s) {
		m[c] = true
	}
	return m
}

type xmlChild struct {
	IDs struct {
		LAchildID, UPN, PersonBirthDate, ExpectedPersonBirthDate, GenderCurrent, Sex, PersonDeathDate string
	} `xml:"ChildIdentifiers"`
	CIN []struct {
		CINreferralDate, ReferralSource, PrimaryNeedCode, CINclosureDate, ReasonForClosure, ReferralNFA string
		Assessments                                                                                     []struct {
			AssessmentActualStartDate, AssessmentAuthorisationDate string
			Factors                                                []string `xml:"FactorsIdentifiedAtAssessment>AssessmentFactors"`
		} `xml:"Assessments"`
		Plans []struct {
			CPPstartDate, CPPendDate, InitialCategoryOfAbuse, LatestCategoryOfAbuse, NumberOfPreviousCPP string
		} `xml:"ChildProtectionPlans"`
	} `xml:"CINdetails"`
}

type xmlHeader struct {
	Year          string `xml:"CollectionDetails>Year"`
	ReferenceDate string `xml:"CollectionDetails>ReferenceDate"`
	LEA           string `xml:"Source>LEA"`
}

type reader struct {
	file string
	ret  *Return
	seen map[string]int // LAchildID -> its first Child's number
}

func (rd *reader) note(line int, elem, field, rule, msg, effect string) {
	rd.ret.Findings = append(rd.ret.Findings, Finding{File: rd.file, Line: line, Element: elem, Field: field, Rule: rule, Message: msg, Effect: effect})
}

// date reads an optional date: zero and ok when blank; a finding when it is not a date.
func (rd *reader) date(s string, line int, elem, field, rule, effect string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		rd.note(line, elem, field, rule, fmt.Sprintf("%q is not a date as YYYY-MM-DD", s), effect)
		return time.Time{}, false
	}
	return t, true
}

// Read reads a CIN census XML file. Findings name the child and the element.
func Read(r io.Reader, file string) (*Return, error) {
	rd := &reader{file: file, ret: &Return{}, seen: map[string]int{}}
	d := xml.NewDecoder(r)
	d.CharsetReader = files.Charset
	unreadable := func(err error) error {
		line, _ := d.InputPos()
		return fault.List{fault.In(file, line, 0, "not readable as XML: "+err.Error())}
	}
	root, header := false, false
	n := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, unreadable(err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		line, _ := d.InputPos()
		switch {
		case !root:
			if start.Name.Local != "Message" {
				return nil, fault.List{fault.In(file, line, 0, fmt.Sprintf("the root element is %s: a CIN census XML file is a Message (Header, then Children)", start.Name.Local))}
			}
			root = true
		case start.Name.Local == "Children":
			// descend: its Child elements come next
		case start.Name.Local == "Header":
			var h xmlHeader
			if err := d.DecodeElement(&h, &start); err != nil {
				return nil, unreadable(err)
			}
			header = true
			rd.header(h, line)
		case start.Name.Local == "Child":
			var c xmlChild
			if err := d.DecodeElement(&c, &start); err != nil {
				return nil, unreadable(err)
			}
			n++
			rd.child(c, n, line)
		default:
			if err := d.Skip(); err != nil {
				return nil, unreadable(err)
			}
		}
	}
	if !root {
		return nil, fault.List{fault.In(file, 1, 0, "the file is empty: a CIN census XML file has a Message root element")}
	}
	if !header {
		rd.note(0, "Header", "ReferenceDate", "100", "the file has no Header, so no reference date: the years covered are taken from the dates in it", "")
	}
	rd.finish()
	return rd.ret, nil
}

func (rd *reader) header(h xmlHeader, line int) {
	rd.ret.Year, rd.ret.LEA = strings.TrimSpace(h.Year), strings.TrimSpace(h.LEA)
	const effect = "years covered taken from the dates in the file"
	if strings.TrimSpace(h.ReferenceDate) == "" {
		rd.note(line, "Header", "ReferenceDate", "100", "the reference date is missing: it is 31 March of the collection year", effect)
		return
	}
	t, ok := rd.date(h.ReferenceDate, line, "Header", "ReferenceDate", "100", effect)
	if !ok {
		return
	}
	rd.ret.ReferenceDate = t
	if y, err := strconv.Atoi(rd.ret.Year); err == nil && !t.Equal(march31(y)) {
		rd.note(line, "Header", "ReferenceDate", "100", fmt.Sprintf("the reference date %s is not 31 March of the collection year %d", t.Format(layout), y), "")
	} else if err != nil && (t.Month() != time.March || t.Day() != 31) {
		rd.note(line, "Header", "ReferenceDate", "100", fmt.Sprintf("the reference date %s is not a 31 March", t.Format(layout)), "")
	}
}

func march31(year int) time.Time { return time.Date(year, 3, 31, 0, 0, 0, 0, time.UTC) }

func (rd *reader) child(x xmlChild, n, line int) {
	id := strings.TrimSpace(x.IDs.LAchildID)
	elem := fmt.Sprintf("Child %d (LAchildID %s)", n, id)
	key := id
	if id == "" {
		elem = fmt.Sprintf("Child %d (no LAchildID)", n)
		key = fmt.Sprintf("(Child %d)", n)
		rd.note(line, elem, "LAchildID", "8500", "LA child ID missing", "counted as a child of its own")
	} else if first, dup := rd.seen[id]; dup {
		rd.note(line, elem, "LAchildID", "8510", fmt.Sprintf("more than one child record with the same LA child ID (Child %d has it too)", first), "counted as one child with it")
	} else {
		rd.seen[id] = n
	}
	c := Child{ID: key, Element: elem, Line: line, Sex: strings.TrimSpace(x.IDs.Sex)}
	switch gender := strings.TrimSpace(x.IDs.GenderCurrent); {
	case c.Sex == "" && gender != "":
		rd.note(line, elem, "GenderCurrent", "", fmt.Sprintf("GenderCurrent %q is the element before 2024-25: from 2024-25 the census records Sex (M, F or U)", gender), "")
	case !sexes[c.Sex]:
		rd.note(line, elem, "Sex", "4180", fmt.Sprintf("sex must be provided and equal M, F or U, not %q", c.Sex), "")
	}
	c.DOB, _ = rd.date(x.IDs.PersonBirthDate, line, elem, "PersonBirthDate", "", "")
	c.Expected, _ = rd.date(x.IDs.ExpectedPersonBirthDate, line, elem, "ExpectedPersonBirthDate", "", "")
	c.Death, _ = rd.date(x.IDs.PersonDeathDate, line, elem, "PersonDeathDate", "", "")
	hasDOB, hasExpected := strings.TrimSpace(x.IDs.PersonBirthDate) != "", strings.TrimSpace(x.IDs.ExpectedPersonBirthDate) != ""
	if hasDOB == hasExpected {
		rd.note(line, elem, "PersonBirthDate", "8525Q", "either the date of birth or the expected date of birth must be provided, but not both", "")
	}
	if ref := rd.ret.ReferenceDate; !ref.IsZero() && c.DOB.After(ref) {
		rd.note(line, elem, "PersonBirthDate", "8520", fmt.Sprintf("date of birth %s is after the reference date %s", c.DOB.Format(layout), ref.Format(layout)), "")
	}
	if len(x.CIN) == 0 {
		rd.note(line, elem, "CINdetails", "8590", "the child does not have a CIN episode (CINdetails)", "nothing to count")
	}
	rd.ret.Children = append(rd.ret.Children, c)
	for k, xe := range x.CIN {
		e := Episode{Child: key, Element: fmt.Sprintf("%s, CINdetails %d", elem, k+1), Line: line,
			Source: strings.TrimSpace(xe.ReferralSource), Need: strings.TrimSpace(xe.PrimaryNeedCode), Reason: strings.TrimSpace(xe.ReasonForClosure)}
		el := e.Element
		countable := true
		if strings.TrimSpace(xe.CINreferralDate) == "" {
			rd.note(line, el, "CINreferralDate", "8600", "child referral date missing", notCounted)
			countable = false
		} else if t, ok := rd.date(xe.CINreferralDate, line, el, "CINreferralDate", "", notCounted); ok {
			e.Referral = t
			if ref := rd.ret.ReferenceDate; !ref.IsZero() && t.After(ref) {
				rd.note(line, el, "CINreferralDate", "8600", fmt.Sprintf("referral date %s is after the reference date %s", t.Format(layout), ref.Format(layout)), "falls in no year the file covers")
			}
		} else {
			countable = false
		}
		if t, ok := rd.date(xe.CINclosureDate, line, el, "CINclosureDate", "", notCounted); !ok {
			countable = false
		} else if e.Closure = t; !t.IsZero() && !e.Referral.IsZero() && t.Before(e.Referral) {
			rd.note(line, el, "CINclosureDate", "8630", fmt.Sprintf("the closure date %s is before the referral date %s", t.Format(layout), e.Referral.Format(layout)), notCounted)
			countable = false
		}
		hasClosure := strings.TrimSpace(xe.CINclosureDate) != ""
		switch {
		case hasClosure && e.Reason == "":
			rd.note(line, el, "ReasonForClosure", "8805", "a CIN closure date without a reason for closure", "counted as closed on that date")
		case !hasClosure && e.Reason != "":
			rd.note(line, el, "CINclosureDate", "8810", fmt.Sprintf("reason for closure %q without a CIN closure date", e.Reason), "counted as open")
		}
		if e.Reason != "" && !closureReasons[e.Reason] {
			rd.note(line, el, "ReasonForClosure", "8640", fmt.Sprintf("%q is not a valid reason for closure (RC1-RC9)", e.Reason), "")
		}
		if e.Need != "" && !primaryNeeds[e.Need] {
			rd.note(line, el, "PrimaryNeedCode", "8650", fmt.Sprintf("%q is not a valid primary need code (N0-N9)", e.Need), "")
		}
		if !e.Referral.Before(sourcesFrom) && !sources[e.Source] {
			rd.note(line, el, "ReferralSource", "8866", fmt.Sprintf("source of referral is missing or not a valid code: %q", e.Source), "")
		}
		switch nfa := strings.ToLower(strings.TrimSpace(xe.ReferralNFA)); nfa {
		case "1", "true":
			e.NFA = true
		case "0", "false":
		default:
			rd.note(line, el, "ReferralNFA", "8568", fmt.Sprintf("the no further action flag is missing or invalid (%q): it is 1, 0, true or false", nfa), "taken as 0: an episode of need")
		}
		for a, xa := range xe.Assessments {
			ael := fmt.Sprintf("%s, Assessments %d", el, a+1)
			var as Assessment
			as.Start, _ = rd.date(xa.AssessmentActualStartDate, line, ael, "AssessmentActualStartDate", "", "")
			var ok bool
			if as.Authorised, ok = rd.date(xa.AssessmentAuthorisationDate, line, ael, "AssessmentAuthorisationDate", "", "factors not counted"); !ok {
				continue
			}
			if !as.Start.IsZero() && !as.Authorised.IsZero() && as.Start.After(as.Authorised) {
				rd.note(line, ael, "AssessmentAuthorisationDate", "8608", fmt.Sprintf("the assessment started (%s) after its authorisation date (%s)", as.Start.Format(layout), as.Authorised.Format(layout)), "")
			}
			if !as.Start.IsZero() && !e.Referral.IsZero() && as.Start.Before(e.Referral) {
				rd.note(line, ael, "AssessmentActualStartDate", "1103", fmt.Sprintf("the assessment started (%s) before the referral (%s)", as.Start.Format(layout), e.Referral.Format(layout)), "")
			}
			for _, f := range xa.Factors {
				f = strings.TrimSpace(f)
				if f == "" {
					continue
				}
				if slices.Contains(as.Factors, f) {
					rd.note(line, ael, "AssessmentFactors", "8898", fmt.Sprintf("factor %q is recorded more than once for the assessment", f), "counted once")
					continue
				}
				as.Factors = append(as.Factors, f)
			}
			if slices.Contains(as.Factors, NoFactors) && len(as.Factors) > 1 {
				rd.note(line, ael, "AssessmentFactors", "8869", "the factors code \"21\" (no factors identified) is used with other factors", "")
			}
			if as.Authorised.IsZero() && len(as.Factors) > 0 {
				rd.note(line, ael, "AssessmentFactors", "8614", "factors at assessment are recorded for an assessment not completed (no authorisation date)", "factors not counted")
				as.Factors = nil
			}
			e.Assessments = append(e.Assessments, as)
		}
		for p, xp := range xe.Plans {
			pl := Plan{Child: key, Element: fmt.Sprintf("%s, ChildProtectionPlans %d", el, p+1), Line: line,
				Initial: strings.TrimSpace(xp.InitialCategoryOfAbuse), Latest: strings.TrimSpace(xp.LatestCategoryOfAbuse), Previous: -1}
			pel := pl.Element
			ok := true
			if strings.TrimSpace(xp.CPPstartDate) == "" {
				rd.note(line, pel, "CPPstartDate", "8720", "child protection plan start date missing", planNotCounted)
				ok = false
			} else if t, good := rd.date(xp.CPPstartDate, line, pel, "CPPstartDate", "", planNotCounted); good {
				pl.Start = t
				if ref := rd.ret.ReferenceDate; !ref.IsZero() && t.After(ref) {
					rd.note(line, pel, "CPPstartDate", "8720", fmt.Sprintf("plan start date %s is after the reference date %s", t.Format(layout), ref.Format(layout)), "falls in no year the file covers")
				}
				if !e.Referral.IsZero() && t.Before(e.Referral) {
					rd.note(line, pel, "CPPstartDate", "1105", fmt.Sprintf("the plan started (%s) before the referral (%s)", t.Format(layout), e.Referral.Format(layout)), "")
				}
			} else {
				ok = false
			}
			if t, good := rd.date(xp.CPPendDate, line, pel, "CPPendDate", "", planNotCounted); !good {
				ok = false
			} else if pl.End = t; !t.IsZero() && !pl.Start.IsZero() && t.Before(pl.Start) {
				rd.note(line, pel, "CPPendDate", "8925", fmt.Sprintf("the plan ended (%s) before it started (%s)", t.Format(layout), pl.Start.Format(layout)), planNotCounted)
				ok = false
			}
			if !abuse[pl.Initial] {
				rd.note(line, pel, "InitialCategoryOfAbuse", "8905", fmt.Sprintf("initial category of abuse missing or invalid (%q; NEG, PHY, SAB, EMO or MUL)", pl.Initial), "")
			}
			if !abuse[pl.Latest] {
				rd.note(line, pel, "LatestCategoryOfAbuse", "8910", fmt.Sprintf("latest category of abuse missing or invalid (%q; NEG, PHY, SAB, EMO or MUL)", pl.Latest), "")
			}
			if v, err := strconv.Atoi(strings.TrimSpace(xp.NumberOfPreviousCPP)); err != nil || v < 0 {
				rd.note(line, pel, "NumberOfPreviousCPP", "8730", fmt.Sprintf("the number of previous child protection plans is missing or not a whole number of 0 or more (%q)", xp.NumberOfPreviousCPP), "")
			} else {
				pl.Previous = v
			}
			if !ok {
				rd.ret.SkippedPlans++
				continue
			}
			rd.ret.Plans = append(rd.ret.Plans, pl)
		}
		if !countable {
			rd.ret.SkippedEpisodes++
			continue
		}
		rd.ret.Episodes = append(rd.ret.Episodes, e)
	}
}

// finish checks each child's episodes and plans against each other: one open episode (DfE rule
// 8815), episodes that do not overlap (8820), one open plan (8935), plans that do not overlap
// (8940). Each child is counted once whatever these find.
func (rd *reader) finish() {
	ref := rd.ret.ReferenceDate
	byChild := map[string][]int{}
	var ids []string
	for i, e := range rd.ret.Episodes {
		if byChild[e.Child] == nil {
			ids = append(ids, e.Child)
		}
		byChild[e.Child] = append(byChild[e.Child], i)
	}
	for _, id := range ids {
		eps := byChild[id]
		sort.SliceStable(eps, func(a, b int) bool { return rd.ret.Episodes[eps[a]].Referral.Before(rd.ret.Episodes[eps[b]].Referral) })
		open := 0
		for k, i := range eps {
			e := rd.ret.Episodes[i]
			if e.Closure.IsZero() && !e.NFA {
				if open++; open == 2 {
					rd.note(e.Line, e.Element, "CINclosureDate", "8815", fmt.Sprintf("child %s has more than one open episode (no closure date) that is not a referral with no further action", id), "the child counted once")
				}
			}
			for _, j := range eps[:k] {
				p := rd.ret.Episodes[j]
				inside := (!p.Closure.IsZero() && e.Referral.Before(p.Closure)) ||
					(p.Closure.IsZero() && !p.NFA && (ref.IsZero() || e.Referral.Before(ref)))
				if inside {
					rd.note(e.Line, e.Element, "CINreferralDate", "8820", fmt.Sprintf("the referral (%s) falls within the child's episode from %s", e.Referral.Format(layout), p.Referral.Format(layout)), "the child counted once")
					break
				}
			}
		}
	}
	plans := map[string][]int{}
	ids = ids[:0]
	for i, p := range rd.ret.Plans {
		if plans[p.Child] == nil {
			ids = append(ids, p.Child)
		}
		plans[p.Child] = append(plans[p.Child], i)
	}
	for _, id := range ids {
		ps := plans[id]
		sort.SliceStable(ps, func(a, b int) bool { return rd.ret.Plans[ps[a]].Start.Before(rd.ret.Plans[ps[b]].Start) })
		open := 0
		for k, i := range ps {
			p := rd.ret.Plans[i]
			if p.End.IsZero() {
				if open++; open == 2 {
					rd.note(p.Line, p.Element, "CPPendDate", "8935", fmt.Sprintf("child %s has more than one open child protection plan (no end date)", id), "the child counted once")
				}
			}
			for _, j := range ps[:k] {
				q := rd.ret.Plans[j]
				if q.End.IsZero() || !p.Start.After(q.End) {
					rd.note(p.Line, p.Element, "CPPstartDate", "8940", fmt.Sprintf("the plan's start (%s) falls within the child's plan from %s", p.Start.Format(layout), q.Start.Format(layout)), "the child counted once")
					break
				}
			}
		}
	}
}

// collectionYear names the collection year a date falls in by its 31 March (1 April 2024 to 31
// March 2025 is 2025).
func collectionYear(d time.Time) int {
	if d.After(march31(d.Year())) {
		return d.Year() + 1
	}
	return d.Year()
}

// Years lists every 31 March the file covers: the collection year of its reference date (or, with
// none, of the latest date in it), and every year before it back to the earliest year in which one
// of its episodes was closed or one of its plans ended (a single year's return holds none of
// those, so they show an extract of several years).
func (r *Return) Years() []int {
	end := 0
	if !r.ReferenceDate.IsZero() {
		end = collectionYear(r.ReferenceDate)
	} else {
		for _, e := range r.Episodes {
			for _, d := range []time.Time{e.Referral, e.Closure} {
				if !d.IsZero() {
					end = max(end, collectionYear(d))
				}
			}
		}
		for _, p := range r.Plans {
			for _, d := range []time.Time{p.Start, p.End} {
				if !d.IsZero() {
					end = max(end, collectionYear(d))
				}
			}
		}
	}
	if end == 0 {
		return nil
	}
	start := end
	for _, e := range r.Episodes {
		if !e.Closure.IsZero() {
			start = min(start, collectionYear(e.Closure))
		}
	}
	for _, p := range r.Plans {
		if !p.End.IsZero() {
			start = min(start, collectionYear(p.End))
		}
	}
	var out []int
	for y := start; y <= end; y++ {
		out = append(out, y)
	}
	return out
}

// Count is what was counted for one collection year, named by its 31 March.
type Count struct {
	Year int
	// At 31 March (tables B1 and D5)
	InNeed         int // children with an episode of need open on the day
	InNeedEpisodes int // episodes open on the day (DfE's At31_episodes); more than InNeed only where episodes overlap
	OpenNFA        int // referrals with no further action still without a closure date on the day: not counted in InNeed
	Protection     int // children on a child protection plan on the day
	// In the year (table C1)
	Referrals          int
	NFA                int  // referrals in the year with no further action
	ReReferrals        int  // referrals within 12 months of a previous referral of the child
	ReReferralsCounted bool // false where the file does not cover the year before
	// Assessments completed in the year (table C3)
	Assessments    int
	FactorEpisodes int            // episodes with at least one factor identified (other than 21, none)
	Factors        map[string]int // episodes with each AssessmentFactors code
}

// CountAt counts one collection year: children in need and on protection plans at its 31 March,
// referrals and factors at assessment in the year.
func (r *Return) CountAt(year int) Count {
	day := march31(year)
	from := march31(year-1).AddDate(0, 0, 1)
	inYear := func(d time.Time) bool { return !d.IsZero() && !d.Before(from) && !d.After(day) }
	c := Count{Year: year, Factors: map[string]int{}, ReReferralsCounted: slices.Contains(r.Years(), year-1)}
	need := map[string]bool{}
	referrals := map[string][]time.Time{}
	for _, e := range r.Episodes {
		referrals[e.Child] = append(referrals[e.Child], e.Referral)
	}
	for _, e := range r.Episodes {
		if !e.Referral.After(day) && (e.Closure.IsZero() || e.Closure.After(day)) {
			if e.NFA {
				c.OpenNFA++
			} else {
				c.InNeedEpisodes++
				need[e.Child] = true
			}
		}
		if inYear(e.Referral) {
			c.Referrals++
			if e.NFA {
				c.NFA++
			}
			for _, d := range referrals[e.Child] {
				if d.Before(e.Referral) && !d.Before(e.Referral.AddDate(-1, 0, 0)) {
					c.ReReferrals++
					break
				}
			}
		}
		var factors []string
		for _, a := range e.Assessments {
			if !inYear(a.Authorised) {
				continue
			}
			c.Assessments++
			for _, f := range a.Factors {
				if !slices.Contains(factors, f) {
					factors = append(factors, f)
				}
			}
		}
		for _, f := range factors {
			c.Factors[f]++
		}
		if slices.ContainsFunc(factors, func(f string) bool { return f != NoFactors }) {
			c.FactorEpisodes++
		}
	}
	if !c.ReReferralsCounted {
		c.ReReferrals = 0
	}
	c.InNeed = len(need)
	plans := map[string]bool{}
	for _, p := range r.Plans {
		if !p.Start.After(day) && (p.End.IsZero() || p.End.After(day)) {
			plans[p.Child] = true
		}
	}
	c.Protection = len(plans)
	return c
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

// quoted is a value quoted in a finding's message.
var quoted = regexp.MustCompile(`"[^"]*"`)

// kind is a finding's message without its particulars (each quoted value left out), to group
// findings that have no DfE rule.
func kind(msg string) string { return quoted.ReplaceAllString(msg, `"…"`) }

// Reconciliation compares a count with DfE's published figure.
type Reconciliation struct {
	Year       int
	Counted    int
	Published  int
	Difference int
	Verdict    string
}

// Reconcile says whether a count matches the published figure: exactly, within 1% (late
// amendments), or not, with what to check.
func Reconcile(year, counted, published int, check string) Reconciliation {
	r := Reconciliation{Year: year, Counted: counted, Published: published, Difference: counted - published}
	switch d := r.Difference; {
	case d == 0:
		r.Verdict = "reconciles: the return gives the published figure exactly"
	case abs(d)*100 <= published:
		r.Verdict = fmt.Sprintf("within 1%% of the published figure (%+d): likely late amendments to the return", d)
	default:
		r.Verdict = fmt.Sprintf("does not reconcile (%+d): check %s", d, check)
	}
	return r
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
