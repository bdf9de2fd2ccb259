package ssd

import (
	"bytes"
	"encoding/csv"
	"sort"
	"strings"
	"time"

	"familyhubs/postcodes"
)

// Counting at 31 March, as DfE counts from its own collections:
//   - in need: an episode of ssd_cin_episodes open on the day (referred on or before it, closed
//     after it or not closed);
//   - on a protection plan: a plan of ssd_cp_plans open on the day, the council's own (a plan
//     marked cppl_cp_plan_ola Y is another council's, counted by that council);
//   - looked after: an episode of ssd_cla_episodes open on the day, leaving out a child whose
//     legal status on the day (ssd_legal_status) is an agreed series of short breaks only (V3,
//     V4), and a child aged 18 or over on the day, as package ssda903 does.
//
// Each child is counted once in each measure however many episodes are open. A child's home
// on the day is the address of ssd_address current on it (started on or before it, not ended
// by it) that is not a placement (its addr_address_type does not say placement), the latest
// started if several are.

// Child is one child counted at a 31 March, with their home then.
type Child struct {
	Person                          string
	InNeed, Protection, LookedAfter bool
	Postcode                        string // home postcode on the day; empty when none is recorded
	LSOA                            string // its 2021 LSOA, when a look-up was given and placed it
	Unplaced                        string // why there is no LSOA
}

// Count is what an extract gives at one 31 March.
type Count struct {
	Year                            int
	InNeed, Protection, LookedAfter int
	Children                        []Child  // every child counted in any measure, by person id
	ShortBreaks                     []string // open episodes of care, left out as short breaks (V3, V4) only
	Aged18                          []string // open episodes of care, left out as 18 or over
	OtherCouncils                   int      // open plans of other councils (cppl_cp_plan_ola Y), left out
}

// Neighbourhood is the counts of one 2021 LSOA ("" for children not placed in one).
type Neighbourhood struct {
	LSOA                            string
	InNeed, Protection, LookedAfter int
}

// ByLSOA sums the children by their home LSOA on the day, the LSOAs in order and the children
// not placed last.
func (c Count) ByLSOA() []Neighbourhood {
	by := map[string]*Neighbourhood{}
	var keys []string
	for _, ch := range c.Children {
		n := by[ch.LSOA]
		if n == nil {
			n = &Neighbourhood{LSOA: ch.LSOA}
			by[ch.LSOA] = n
			keys = append(keys, ch.LSOA)
		}
		n.InNeed += b2i(ch.InNeed)
		n.Protection += b2i(ch.Protection)
		n.LookedAfter += b2i(ch.LookedAfter)
	}
	sort.Slice(keys, func(a, b int) bool { return keys[b] == "" || (keys[a] != "" && keys[a] < keys[b]) })
	out := make([]Neighbourhood, 0, len(keys))
	for _, k := range keys {
		out = append(out, *by[k])
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func open31(e Event, day time.Time) bool {
	return !e.Start.After(day) && (e.End.IsZero() || e.End.After(day))
}

// ShortBreak says whether a legal status (lega_legal_status, as the case system writes it: a
// code, a code and its description, or a description) is an agreed series of short breaks: V3
// or V4, or words saying short breaks.
func ShortBreak(status string) bool {
	s := strings.ToUpper(strings.TrimSpace(status))
	if (strings.HasPrefix(s, "V3") || strings.HasPrefix(s, "V4")) && (len(s) == 2 || !isAlnum(s[2])) {
		return true
	}
	s = strings.NewReplacer("-", " ", "_", " ").Replace(s)
	return strings.Contains(s, "SHORT BREAK") || strings.Contains(s, "SHORT TERM BREAK")
}

func isAlnum(c byte) bool { return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' }

// age in whole years on the day.
func age(dob, day time.Time) int {
	a := day.Year() - dob.Year()
	if day.Month() < dob.Month() || (day.Month() == dob.Month() && day.Day() < dob.Day()) {
		a--
	}
	return a
}

func isPlacement(addressType string) bool {
	return strings.Contains(strings.ToLower(addressType), "placement")
}

// Home is the person's home address on the day, if the extract records one.
func (x *Extract) Home(person string, day time.Time) (Address, bool) {
	var best Address
	found := false
	for _, a := range x.addressesOf(person) {
		if isPlacement(a.Type) || a.Start.After(day) || (!a.End.IsZero() && !a.End.After(day)) {
			continue
		}
		if !found || a.Start.After(best.Start) {
			best, found = a, true
		}
	}
	return best, found
}

func (x *Extract) addressesOf(person string) []Address {
	if x.byPerson == nil {
		x.byPerson = map[string][]Address{}
		for _, a := range x.Addresses {
			x.byPerson[a.Person] = append(x.byPerson[a.Person], a)
		}
	}
	return x.byPerson[person]
}

// CountAt counts children in need, on protection plans and looked after at 31 March of the year,
// each child once, with each child's home postcode then and, when l is not nil, its 2021 LSOA.
func (x *Extract) CountAt(year int, l *postcodes.Lookup) Count {
	day := time.Date(year, 3, 31, 0, 0, 0, 0, time.UTC)
	c := Count{Year: year}
	kids := map[string]*Child{}
	child := func(id string) *Child {
		if kids[id] == nil {
			kids[id] = &Child{Person: id}
		}
		return kids[id]
	}
	for _, e := range x.InNeed {
		if open31(e, day) {
			child(e.Person).InNeed = true
		}
	}
	for _, e := range x.Plans {
		if !open31(e, day) {
			continue
		}
		if e.OLA {
			c.OtherCouncils++
			continue
		}
		child(e.Person).Protection = true
	}
	// legal statuses on the day, by child: short breaks only, or something else too
	shortOnly := map[string]bool{}
	for _, s := range x.LegalStatuses {
		if !open31(s, day) {
			continue
		}
		if prev, seen := shortOnly[s.Person]; !seen || prev {
			shortOnly[s.Person] = ShortBreak(s.Reason)
		}
	}
	short, adult := map[string]bool{}, map[string]bool{}
	for _, e := range x.LookedAfter {
		if !open31(e, day) {
			continue
		}
		switch p := x.people[e.Person]; {
		case shortOnly[e.Person]:
			short[e.Person] = true
		case p != nil && !p.DOB.IsZero() && age(p.DOB, day) >= 18:
			adult[e.Person] = true
		default:
			child(e.Person).LookedAfter = true
		}
	}
	for id := range short {
		c.ShortBreaks = append(c.ShortBreaks, id)
	}
	for id := range adult {
		c.Aged18 = append(c.Aged18, id)
	}
	sort.Strings(c.ShortBreaks)
	sort.Strings(c.Aged18)
	ids := make([]string, 0, len(kids))
	for id := range kids {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var codes []string
	for _, id := range ids {
		k := kids[id]
		c.InNeed += b2i(k.InNeed)
		c.Protection += b2i(k.Protection)
		c.LookedAfter += b2i(k.LookedAfter)
		if a, ok := x.Home(id, day); ok {
			k.Postcode = a.Postcode
			codes = append(codes, a.Postcode)
		} else {
			k.Unplaced = "no home address on the day"
		}
		c.Children = append(c.Children, *k)
	}
	if l != nil {
		placed := Place(l, codes)
		for i := range c.Children {
			k := &c.Children[i]
			if k.Postcode == "" {
				continue
			}
			if k.LSOA = placed[k.Postcode]; k.LSOA == "" {
				k.Unplaced = "postcode not placed by " + l.Source
			}
		}
	} else {
		for i := range c.Children {
			if c.Children[i].Postcode != "" {
				c.Children[i].Unplaced = "no postcode look-up given"
			}
		}
	}
	return c
}

// Place places postcodes in their 2021 LSOAs with a look-up (the same rules as a load:
// spacing and case do not matter, a terminated postcode keeps its last LSOA), returning the LSOA
// of each postcode it places.
func Place(l *postcodes.Lookup, codes []string) map[string]string {
	var in bytes.Buffer
	w := csv.NewWriter(&in)
	w.Write([]string{"postcode"})
	for _, p := range codes {
		w.Write([]string{p})
	}
	w.Flush()
	var out bytes.Buffer
	if _, err := postcodes.Geocode(&in, "postcodes", &out, l, nil); err != nil {
		return map[string]string{}
	}
	recs, _ := csv.NewReader(&out).ReadAll()
	placed := map[string]string{}
	for i, p := range codes {
		if i+1 < len(recs) && len(recs[i+1]) > 0 && recs[i+1][0] != "" {
			placed[p] = recs[i+1][0]
		}
	}
	return placed
}

// Years lists every 31 March the extract covers: from the first on or after the earliest date
// an episode ended or a contact was made (an SSD extract keeps what ended within its timeframe
// and what is still open, so from there on every episode open on a 31 March is in it) to the
// last on or before the latest date in the extract.
func (x *Extract) Years() []int {
	var first, last time.Time
	see := func(d time.Time, opens bool) {
		if d.IsZero() {
			return
		}
		if opens && (first.IsZero() || d.Before(first)) {
			first = d
		}
		if d.After(last) {
			last = d
		}
	}
	for _, list := range [][]Event{x.InNeed, x.Plans, x.LookedAfter, x.EarlyHelp} {
		for _, e := range list {
			see(e.Start, false)
			see(e.End, true)
		}
	}
	for _, e := range x.Contacts {
		see(e.Start, true)
	}
	if first.IsZero() {
		// nothing has ended: from the earliest start
		for _, list := range [][]Event{x.InNeed, x.Plans, x.LookedAfter} {
			for _, e := range list {
				if first.IsZero() || e.Start.Before(first) {
					first = e.Start
				}
			}
		}
	}
	if first.IsZero() {
		return nil
	}
	var out []int
	for y := first.Year(); y <= last.Year(); y++ {
		d := time.Date(y, 3, 31, 0, 0, 0, 0, time.UTC)
		if !d.Before(first) && !d.After(last) {
			out = append(out, y)
		}
	}
	return out
}
