package ssd

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"familyhubs/internal/files"
)

// Conversion to this tool's load files (load/files.go), written by WriteLoad:
//
//	families.csv  family_id, council_code, postcode   (hubs load --postcodes places the postcode)
//	people.csv    person_id, family_id, role, sex, birth_date, send, relation
//	contacts.csv  contact_id, contact_date, council_code, postcode, site_id, service_code, channel, family_id, child_id, carer_id, age_band
//	ssd_ids.csv   kind, ssd_table, ssd_id, load_id: which SSD row each load id stands for
//
// Families are ssd_family's (fami_family_id; a person without a row there is a family of their
// own); a person in several families is written in the first. Everyone in ssd_person is a child
// (role child): the SSD is an extract of children's records and holds no carers, so carer_id is
// blank. A family's postcode is its members' home (ssd_address, not a placement) current on the
// day of the family's latest contact, or on the extract's latest date for a family with none:
// the postcode most members share, the latest started if they tie.
//
// Contacts are ssd_contacts' contacts (on cont_contact_date) and ssd_early_help_episodes'
// episodes (one contact on the day each began), each for the child it names. The SSD records
// neither the service nor the channel of a family hub: service_code is read from
// earl_episode_reason where its words name one of this tool's services (ServiceWords) and is
// otherwise Options.Service; channel is Options.Channel; site_id is blank. age_band is worked
// out from the child's date of birth (or expected date of birth) on the day, as the load checks
// it.

// Options say how to write the load files.
type Options struct {
	Council string // the council's ONS code, written as council_code (the SSD does not hold it)
	// Service is the service_code of a contact whose SSD row names none (default parenting);
	// Channel the channel of every contact (default home visit).
	Service, Channel string
	// Earliest and Latest bound the contacts written, as hubs load bounds them (default 1 April
	// 2010 and today): a contact outside is not written, with a finding.
	Earliest, Latest time.Time
}

// Written says what WriteLoad wrote and what it could not.
type Written struct {
	Families, People, Contacts int
	// Defaulted counts contacts by what was defaulted: "service_code parenting", "channel home visit".
	Defaulted map[string]int
	// Mapped counts early help contacts whose service_code was read from earl_episode_reason.
	Mapped    map[string]int
	Findings  []Finding // rows not written, or written with a choice made, each with why
	OwnFamily int       // people with no ssd_family row, each written as a family of their own
}

// ServiceWords maps words of earl_episode_reason (an early help episode's reason for involvement,
// as the council codes it) to this tool's service codes, first match wins. A reason that names
// none of them is given Options.Service.
var ServiceWords = []struct{ Words, Service string }{
	{"domestic abuse|domestic violence", "domestic_abuse"},
	{"drug|alcohol|substance", "drug_alcohol"},
	{"housing|homeless|homelessness", "housing"},
	{"debt|debts|benefit|benefits|financial|poverty", "benefits_debt"},
	{"employment|unemployment|training", "employment_learning"},
	{"send|disability|disabled|special educational", "send_support"},
	{"relationship|conflict|separation|mediation", "relationship_support"},
	{"parenting|parent support", "parenting"},
	{"food|fuel", "food_fuel"},
}

// serviceOf reads a service code from a reason, matching whole words or phrases.
func serviceOf(reason string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(reason) {
		if r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		} else {
			b.WriteByte(' ')
		}
	}
	text := " " + strings.Join(strings.Fields(b.String()), " ") + " "
	for _, m := range ServiceWords {
		for _, w := range strings.Split(m.Words, "|") {
			if strings.Contains(text, " "+w+" ") {
				return m.Service
			}
		}
	}
	return ""
}

// ageBand is the band the load requires for a contact on day d (load/read.go): 0-2 (from 280
// days before birth), 3-4, 5-11, 12-19, and 20-25 only with SEND; "" for none.
func ageBand(birth time.Time, send bool, d time.Time) string {
	if d.Before(birth) {
		if birth.Sub(d) <= 280*24*time.Hour {
			return "0-2"
		}
		return ""
	}
	switch a := age(birth, d); {
	case a <= 2:
		return "0-2"
	case a <= 4:
		return "3-4"
	case a <= 11:
		return "5-11"
	case a <= 19:
		return "12-19"
	case a <= 25 && send:
		return "20-25"
	}
	return ""
}

// ids gives each SSD id a load id: the id itself when every id of its kind is a whole number
// (as Liquidlogic's and Mosaic's are), else 1, 2, 3 ... in order of first appearance.
// PersonIDs gives each person of the extract the person id the load files give them (ssd_person's
// own id where every id is a positive whole number, else a number in ssd_person's order): the id
// by which the hub records converted from an extract and its social care episodes link.
func PersonIDs(x *Extract) map[string]int64 {
	var list []string
	for _, p := range x.People {
		list = append(list, p.ID)
	}
	return ids(list)
}

func ids(list []string) map[string]int64 {
	out := map[string]int64{}
	numeric := true
	for _, id := range list {
		if n, err := strconv.ParseInt(id, 10, 64); err != nil || n <= 0 {
			numeric = false
			break
		}
	}
	for _, id := range list {
		if _, ok := out[id]; ok {
			continue
		}
		if numeric {
			out[id], _ = strconv.ParseInt(id, 10, 64)
		} else {
			out[id] = int64(len(out) + 1)
		}
	}
	return out
}

type contact struct {
	date    time.Time
	person  string
	service string
	t       table
	id      string
	line    int
	mapped  bool
}

// lastDate is the latest date in the extract's contacts and episodes.
func (x *Extract) lastDate() time.Time {
	var last time.Time
	for _, list := range [][]Event{x.Contacts, x.EarlyHelp, x.InNeed, x.Plans, x.LookedAfter} {
		for _, e := range list {
			for _, d := range []time.Time{e.Start, e.End} {
				if d.After(last) {
					last = d
				}
			}
		}
	}
	return last
}

// WriteLoad writes families.csv, people.csv and contacts.csv (and ssd_ids.csv) into dir, each
// readable by its owner alone (personal-level records): the network files (localities, sites,
// plan) are not in the SSD and are not written here.
func (x *Extract) WriteLoad(dir string, opt Options) (*Written, error) {
	if opt.Council == "" {
		return nil, fmt.Errorf("the council's ONS code is needed: the SSD does not hold it")
	}
	if opt.Service == "" {
		opt.Service = "parenting"
	}
	if opt.Channel == "" {
		opt.Channel = "home visit"
	}
	if opt.Earliest.IsZero() {
		opt.Earliest = time.Date(2010, 4, 1, 0, 0, 0, 0, time.UTC)
	}
	if opt.Latest.IsZero() {
		opt.Latest = time.Now().UTC()
	}
	w := &Written{Defaulted: map[string]int{}, Mapped: map[string]int{}}
	note := func(t table, line int, col, msg, effect string) {
		w.Findings = append(w.Findings, x.at(t, line, col, msg, effect))
	}

	// families: each person in their first family
	familyOf := map[string]string{}
	firstLine := map[string]int{} // family -> its first ssd_family line
	var familyOrder []string
	members := map[string][]string{}
	memberLine := map[string]int{}
	for _, m := range x.Members {
		if prev, ok := familyOf[m.Person]; ok {
			if prev != m.Family {
				note(familyTable, m.Line, "fami_family_id", fmt.Sprintf("person %s is already in family %s on line %d: a load keeps one family a person", m.Person, prev, memberLine[m.Person]),
					"written in family "+prev)
			}
			continue
		}
		familyOf[m.Person] = m.Family
		memberLine[m.Person] = m.Line
		if _, ok := firstLine[m.Family]; !ok {
			firstLine[m.Family] = m.Line
			familyOrder = append(familyOrder, m.Family)
		}
		members[m.Family] = append(members[m.Family], m.Person)
	}
	famIDs := ids(familyOrder)
	var next int64
	for _, n := range famIDs {
		next = max(next, n)
	}
	own := map[string]bool{}
	for _, p := range x.People {
		if _, ok := familyOf[p.ID]; !ok {
			key := "person " + p.ID
			familyOf[p.ID] = key
			members[key] = []string{p.ID}
			next++
			famIDs[key] = next
			own[key] = true
			familyOrder = append(familyOrder, key)
			w.OwnFamily++
		}
	}
	personIDs := PersonIDs(x)

	// people: a sex of F or M (pers_sex, else pers_gender) and a birth date are needed
	type written struct {
		sex   string
		birth time.Time
	}
	people := map[string]written{}
	for _, p := range x.People {
		sex := p.Sex
		if sex != "F" && sex != "M" {
			switch strings.TrimLeft(p.Gender, "0") {
			case "1":
				sex = "M"
			case "2":
				sex = "F"
			}
			if sex == "F" || sex == "M" {
				note(personTable, p.Line, "pers_sex", fmt.Sprintf("sex %q: the gender recorded (pers_gender %s) is used", p.Sex, p.Gender), "written as "+sex)
			} else {
				note(personTable, p.Line, "pers_sex", fmt.Sprintf("sex %q and no gender of 01 or 02: the warehouse records F or M", p.Sex), "person and their contacts not written")
				continue
			}
		}
		birth := p.DOB
		if birth.IsZero() {
			birth = p.ExpectedDOB
		}
		if birth.IsZero() {
			note(personTable, p.Line, "pers_dob", "no date of birth or expected date of birth: a child needs one", "person and their contacts not written")
			continue
		}
		people[p.ID] = written{sex, birth}
	}

	// contacts, in date order, before families: a family's postcode is its home on the day of
	// its latest contact
	var contacts []contact
	for _, e := range x.Contacts {
		contacts = append(contacts, contact{date: e.Start, person: e.Person, t: contactTable, id: e.ID, line: e.Line})
	}
	for _, e := range x.EarlyHelp {
		s := serviceOf(e.Reason)
		contacts = append(contacts, contact{date: e.Start, person: e.Person, service: s, mapped: s != "", t: earlyHelpTable, id: e.ID, line: e.Line})
	}
	sort.SliceStable(contacts, func(a, b int) bool { return contacts[a].date.Before(contacts[b].date) })
	latest := map[string]time.Time{}
	var kept []contact
	for _, c := range contacts {
		p, ok := people[c.person]
		dateCol := "cont_contact_date"
		if c.t.name == earlyHelpTable.name {
			dateCol = "earl_episode_start_date"
		}
		switch {
		case !ok:
			continue // the person's own finding says so
		case c.date.Before(opt.Earliest) || c.date.After(opt.Latest):
			note(c.t, c.line, dateCol, fmt.Sprintf("%s is outside the period a load takes, %s to %s", c.date.Format(time.DateOnly), opt.Earliest.Format(time.DateOnly), opt.Latest.Format(time.DateOnly)), "contact not written")
			continue
		case ageBand(p.birth, x.people[c.person].SEND, c.date) == "":
			note(c.t, c.line, dateCol, fmt.Sprintf("person %s is outside the ages a family hub serves on %s (0-19, 20-25 with SEND, from 280 days before birth)", c.person, c.date.Format(time.DateOnly)), "contact not written")
			continue
		}
		f := familyOf[c.person]
		if c.date.After(latest[f]) {
			latest[f] = c.date
		}
		kept = append(kept, c)
	}

	// family postcodes, for families with someone to write
	extractDay := x.lastDate()
	postcode := map[string]string{}
	for _, f := range familyOrder {
		someone := false
		for _, m := range members[f] {
			_, ok := people[m]
			someone = someone || ok
		}
		if !someone {
			continue // each person's own finding says why
		}
		day := latest[f]
		if day.IsZero() {
			day = extractDay
		}
		type choice struct {
			postcode string
			n        int
			start    time.Time
		}
		var choices []*choice
		by := map[string]*choice{}
		for _, m := range members[f] {
			a, ok := x.Home(m, day)
			if !ok {
				continue
			}
			pc := strings.ToUpper(strings.ReplaceAll(a.Postcode, " ", ""))
			c := by[pc]
			if c == nil {
				c = &choice{postcode: a.Postcode}
				by[pc] = c
				choices = append(choices, c)
			}
			c.n++
			if a.Start.After(c.start) {
				c.start = a.Start
			}
		}
		t, line, col := familyTable, firstLine[f], "fami_family_id"
		if own[f] {
			t, line, col = personTable, x.people[members[f][0]].Line, "pers_person_id"
		}
		if len(choices) == 0 {
			note(t, line, col, fmt.Sprintf("%s has no home address (ssd_address, not a placement) on %s", familyName(f), day.Format(time.DateOnly)),
				fmt.Sprintf("family, its %d person(s) and their contacts not written", len(members[f])))
			continue
		}
		sort.SliceStable(choices, func(a, b int) bool {
			if choices[a].n != choices[b].n {
				return choices[a].n > choices[b].n
			}
			return choices[a].start.After(choices[b].start)
		})
		if len(choices) > 1 {
			note(t, line, col, fmt.Sprintf("%s's members have %d different home postcodes on %s", familyName(f), len(choices), day.Format(time.DateOnly)),
				"the postcode most members share, then the latest started, is used")
		}
		postcode[f] = choices[0].postcode
	}

	// write
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	var crosswalk [][]string
	err := writeCSV(filepath.Join(dir, "families.csv"), []string{"family_id", "council_code", "postcode"}, func(put func(...string) error) error {
		for _, f := range familyOrder {
			if pc, ok := postcode[f]; ok {
				w.Families++
				ssdTable, ssdID := familyTable.name, f
				if own[f] {
					ssdTable, ssdID = personTable.name, strings.TrimPrefix(f, "person ")
				}
				crosswalk = append(crosswalk, []string{"family", ssdTable, ssdID, fmt.Sprint(famIDs[f])})
				if err := put(fmt.Sprint(famIDs[f]), opt.Council, pc); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = writeCSV(filepath.Join(dir, "people.csv"), []string{"person_id", "family_id", "role", "sex", "birth_date", "send", "relation"}, func(put func(...string) error) error {
		for _, p := range x.People {
			pw, ok := people[p.ID]
			if _, placed := postcode[familyOf[p.ID]]; !ok || !placed {
				continue
			}
			w.People++
			crosswalk = append(crosswalk, []string{"person", personTable.name, p.ID, fmt.Sprint(personIDs[p.ID])})
			if err := put(fmt.Sprint(personIDs[p.ID]), fmt.Sprint(famIDs[familyOf[p.ID]]), "child", pw.sex, pw.birth.Format(time.DateOnly), strconv.FormatBool(p.SEND), ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = writeCSV(filepath.Join(dir, "contacts.csv"), []string{"contact_id", "contact_date", "council_code", "postcode", "site_id", "service_code", "channel",
		"family_id", "child_id", "carer_id", "age_band"}, func(put func(...string) error) error {
		for _, c := range kept {
			f := familyOf[c.person]
			pc, ok := postcode[f]
			if !ok {
				continue
			}
			w.Contacts++
			id := fmt.Sprint(w.Contacts)
			crosswalk = append(crosswalk, []string{"contact", c.t.name, c.id, id})
			svc := c.service
			if c.mapped {
				w.Mapped["service_code "+svc]++
			} else {
				svc = opt.Service
				w.Defaulted["service_code "+svc]++
			}
			w.Defaulted["channel "+opt.Channel]++
			p := people[c.person]
			if err := put(id, c.date.Format(time.DateOnly), opt.Council, pc, "", svc, opt.Channel, fmt.Sprint(famIDs[f]), fmt.Sprint(personIDs[c.person]), "",
				ageBand(p.birth, x.people[c.person].SEND, c.date)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = writeCSV(filepath.Join(dir, "ssd_ids.csv"), []string{"kind", "ssd_table", "ssd_id", "load_id"}, func(put func(...string) error) error {
		for _, r := range crosswalk {
			if err := put(r...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

func familyName(f string) string {
	if strings.HasPrefix(f, "person ") {
		return "the family of " + f + " (no ssd_family row)"
	}
	return "family " + f
}

// writeCSV writes a CSV file readable by its owner alone.
func writeCSV(path string, header []string, rows func(put func(...string) error) error) error {
	return files.WritePrivate(path, func(w io.Writer) error {
		b := bufio.NewWriter(w)
		cw := csv.NewWriter(b)
		if err := cw.Write(header); err != nil {
			return err
		}
		if err := rows(func(r ...string) error { return cw.Write(r) }); err != nil {
			return err
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		return b.Flush()
	})
}
