// Package ssda903 reads the children looked after return (SSDA903) that councils already
// produce, as its header and episodes CSV tables, and counts children looked after at 31 March
// as DfE does, so an officer can see whether their return reconciles with the published figure.
//
// DfE's definition, as used here: a child is looked after at 31 March if an episode of care
// started on or before that day and had not ceased by it (DEC blank, or after 31 March), counting
// each child once however many episodes are open; children looked after under an agreed series
// of short-term breaks (legal status V3 or V4) are excluded ("Numbers ... exclude children looked
// after under an agreed series of short term placements", DfE, Children looked after in England,
// data guidance). Dates are DD/MM/YYYY, as councils' SSDA903 extracts write them.
package ssda903

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"familyhubs/fault"
)

// Child is a row of the header table.
type Child struct {
	ID  string
	Sex string // 1 male, 2 female
	DOB time.Time
}

// Episode is a row of the episodes table.
type Episode struct {
	Child         string
	Start         time.Time // DECOM
	Reason        string    // RNE
	LegalStatus   string    // LS
	Need          string    // CIN
	Placement     string    // PLACE
	Provider      string    // PLACE_PROVIDER
	End           time.Time // DEC; zero while open
	ReasonEnded   string    // REC
	ReasonChange  string    // REASON_PLACE_CHANGE
	HomePostcode  string    // HOME_POST
	PlacePostcode string    // PL_POST
	URN           string
	Line          int
}

var (
	headerColumns  = []string{"CHILD", "SEX", "DOB"}
	episodeColumns = []string{"CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"}
	// SSDA903 legal status codes.
	legalStatuses = map[string]bool{"C1": true, "C2": true, "D1": true, "E1": true, "J1": true, "J2": true, "J3": true,
		"L1": true, "L2": true, "L3": true, "V2": true, "V3": true, "V4": true}
	// ShortBreaks are the legal statuses DfE leaves out of the count at 31 March.
	ShortBreaks = map[string]bool{"V3": true, "V4": true}
)

const maxErrors = 200

// table reads a CSV with a header row, checks the required columns and calls row for each
// record with a function to report a fault in a named column.
func table(r io.Reader, file string, required []string, row func(get func(string) string, bad func(col, msg string), line int)) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	var errs fault.List
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return fault.List{fault.In(file, 1, 1, "the file is empty: it needs a header row naming the columns "+strings.Join(required, ", "))}
		}
		return fault.List{fault.In(file, 1, 1, "cannot read the header row: "+err.Error())}
	}
	index := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		index[strings.ToUpper(h)] = i
	}
	for _, c := range required {
		if _, ok := index[c]; !ok {
			errs = append(errs, fault.In(file, 1, len(header)+1, fmt.Sprintf("missing column %s: add it to the header row", c)))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// FieldPos is only defined for a record that was read: take the place from the error
			errs = append(errs, fault.FromCSV(file, err))
			if len(errs) >= maxErrors {
				break
			}
			continue
		}
		line := 0
		if len(rec) > 0 {
			line, _ = cr.FieldPos(0)
		}
		get := func(c string) string {
			i := index[c]
			if i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		bad := func(c, msg string) {
			// the field's own line and column (in bytes), or the column it should be in
			l, col := line, index[c]+1
			if index[c] < len(rec) {
				l, col = cr.FieldPos(index[c])
			}
			errs = append(errs, fault.In(file, l, col, fmt.Sprintf("%s: %s", c, msg)))
		}
		row(get, bad, line)
		if len(errs) >= maxErrors {
			errs = append(errs, fault.In(file, line, 1, "too many errors: stopped reading"))
			break
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func date(s string) (time.Time, error) {
	t, err := time.Parse("02/01/2006", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date as DD/MM/YYYY", s)
	}
	return t, nil
}

// ReadHeader reads the header table (CHILD, SEX, DOB, ...).
func ReadHeader(r io.Reader, file string) ([]Child, error) {
	var out []Child
	seen := map[string]int{}
	err := table(r, file, headerColumns, func(get func(string) string, bad func(string, string), line int) {
		c := Child{ID: get("CHILD"), Sex: get("SEX")}
		if c.ID == "" {
			bad("CHILD", "the child's id is blank")
		} else if prev, dup := seen[c.ID]; dup {
			bad("CHILD", fmt.Sprintf("child %s is already on line %d: each child has one header row", c.ID, prev))
		}
		seen[c.ID] = line
		if c.Sex != "1" && c.Sex != "2" {
			bad("SEX", fmt.Sprintf("%q: use 1 (male) or 2 (female)", c.Sex))
		}
		var err error
		if c.DOB, err = date(get("DOB")); err != nil {
			bad("DOB", err.Error())
		}
		out = append(out, c)
	})
	return out, err
}

// ReadEpisodes reads the episodes table. Children must appear in the header table (pass nil to
// skip that check).
func ReadEpisodes(r io.Reader, file string, children []Child) ([]Episode, error) {
	known := map[string]bool{}
	for _, c := range children {
		known[c.ID] = true
	}
	var out []Episode
	err := table(r, file, episodeColumns, func(get func(string) string, bad func(string, string), line int) {
		e := Episode{Child: get("CHILD"), Reason: get("RNE"), LegalStatus: get("LS"), Need: get("CIN"), Placement: get("PLACE"),
			Provider: get("PLACE_PROVIDER"), ReasonEnded: get("REC"), ReasonChange: get("REASON_PLACE_CHANGE"),
			HomePostcode: get("HOME_POST"), PlacePostcode: get("PL_POST"), URN: get("URN"), Line: line}
		if e.Child == "" {
			bad("CHILD", "the child's id is blank")
		} else if children != nil && !known[e.Child] {
			bad("CHILD", fmt.Sprintf("child %s has no row in the header table: add one, or correct the id", e.Child))
		}
		var err error
		if e.Start, err = date(get("DECOM")); err != nil {
			bad("DECOM", err.Error())
		}
		if s := get("DEC"); s != "" {
			if e.End, err = date(s); err != nil {
				bad("DEC", err.Error())
			} else if !e.Start.IsZero() && e.End.Before(e.Start) {
				bad("DEC", fmt.Sprintf("the episode ends (%s) before it starts (%s)", s, get("DECOM")))
			}
			if e.ReasonEnded == "" {
				bad("REC", "an episode with an end date needs the reason it ended")
			}
		} else if e.ReasonEnded != "" && e.ReasonEnded != "X1" {
			bad("REC", fmt.Sprintf("%q given, but the episode has no end date (DEC): clear it, or add the date", e.ReasonEnded))
		}
		if !legalStatuses[e.LegalStatus] {
			bad("LS", fmt.Sprintf("%q is not an SSDA903 legal status (C1, C2, D1, E1, J1-J3, L1-L3, V2-V4)", e.LegalStatus))
		}
		out = append(out, e)
	})
	return out, err
}

// LookedAfterAt counts children looked after on the day (31 March), as DfE does: distinct
// children with an episode open on the day, excluding short breaks (V3, V4).
func LookedAfterAt(episodes []Episode, day time.Time) int {
	children := map[string]bool{}
	for _, e := range episodes {
		if ShortBreaks[e.LegalStatus] || e.Start.IsZero() || e.Start.After(day) {
			continue
		}
		if e.End.IsZero() || e.End.After(day) {
			children[e.Child] = true
		}
	}
	return len(children)
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

// Years lists the 31 March years an episode table spans, for reconciling each.
func Years(episodes []Episode) []int {
	set := map[int]bool{}
	for _, e := range episodes {
		if !e.Start.IsZero() {
			set[e.Start.Year()] = true
			set[e.Start.Year()+1] = true
		}
	}
	var out []int
	for y := range set {
		out = append(out, y)
	}
	sort.Ints(out)
	return out
}
