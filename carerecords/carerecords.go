// Package carerecords loads a council's own children's social care records into the warehouse,
// counted by neighbourhood: children looked after, in need and on child protection plans at every
// 31 March the records cover, each child placed in the 2021 LSOA of their home postcode on the
// day. Where these exist for a council, measure and 31 March, the care-by-neighbourhood questions
// read them (labelled council records) instead of the model that shares DfE's council totals
// out by deprivation.
//
// Sources: an SSDA903 return (header and episodes CSV, or DfE's XML: looked after, home from
// HOME_POST of the episode open on the day) or a Standard Safeguarding Dataset extract folder (all
// three measures, home from ssd_address, placements left out). The Children in Need census holds
// no home postcode, so it counts in no neighbourhood; it gives children's histories only.
//
// Each source also gives the children's histories child by child (care_episodes): referrals,
// episodes of need, protection plans and periods looked after, linked to the hub records by the
// same person id where both come from one system (an SSD extract), else by a linkage key the
// council made in both (ReadKeys, person_keys), never by names.
//
// The counts are exact: each is stored with its cell key (the children's record keys summed, as
// the warehouse's rkey and cell_key macros compute them), so every published figure built on them
// goes through the cell key method like any other count of children.
package carerecords

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"familyhubs/cin"
	"familyhubs/fault"
	"familyhubs/internal/files"
	"familyhubs/load"
	"familyhubs/postcodes"
	"familyhubs/ssd"
	"familyhubs/ssda903"
)

// The measures, named as DfE's published figures are in the warehouse (care, care_at_31_march).
const (
	LookedAfter = "looked_after"
	InNeed      = "in_need"
	Protection  = "protection_plan"
)

// Child is one child counted in one measure at one 31 March, with their home postcode then.
type Child struct {
	Measure  string
	Year     int
	ID       string
	Postcode string
}

// Records is what was read from a council's files.
type Records struct {
	Source   string // the files, as given
	Measures []string
	Years    []int
	Children []Child
	// Episodes are the children's referrals and episodes, child by child (an SSD extract, an
	// SSDA903 return's periods looked after, a CIN census), each with the person id the hub records
	// give the child where both come from one system (an SSD extract: ssd.PersonIDs) and the
	// child's linkage key where a keys file gives one.
	Episodes []Episode
	Findings []string // data-quality findings, summarised (warnings: counting went on)
	hash     string
}

// Episode is one referral (an event: no end) or episode of one child, for care_episodes.
type Episode struct {
	CareID     string // the social care system's person id
	PersonID   int64  // the id the hub records give the same person (same system only); 0 when none
	Key        string // the child's linkage key (ReadKeys), "" when none
	Kind       string // referral, in_need, protection_plan, looked_after
	Start, End time.Time
	Reason     string
}

// Read reads a council's records from the files and folders given, which may be combined:
//
//   - an SSDA903 return: two CSV files, header then episodes, or one XML file (looked after:
//     counted by neighbourhood, and each child's periods looked after, child by child);
//   - an SSD extract folder (all three measures by neighbourhood, and every referral and episode
//     child by child, with the person ids the hub records converted from it use);
//   - one or more CIN census XML files (root Message): referrals, episodes of need and protection
//     plans, child by child only (the census holds no home postcode, so it counts in no
//     neighbourhood);
//   - a linkage keys file: a CSV whose header names care_id and linkage_key (ReadKeys), the key
//     the council made for each child of the files above, by which children from a system other
//     than the hub records' are linked to them.
//
// An SSD extract and an SSDA903 return both hold children looked after, so they are not combined.
// A file that cannot be read is an error.
func Read(paths []string, findings int) (*Records, error) {
	h := sha256.New()
	for _, p := range paths {
		if err := hashInto(h, p); err != nil {
			return nil, err
		}
	}
	var csvs, ssdDirs, returns, censuses, keyFiles []string
	for _, p := range paths {
		switch lower := strings.ToLower(p); {
		case isDir(p):
			ssdDirs = append(ssdDirs, p)
		case strings.HasSuffix(lower, ".xml"):
			census, err := isCensus(p)
			if err != nil {
				return nil, err
			}
			if census {
				censuses = append(censuses, p)
			} else {
				returns = append(returns, p)
			}
		case strings.HasSuffix(lower, ".csv"):
			keys, err := isKeyFile(p)
			if err != nil {
				return nil, err
			}
			if keys {
				keyFiles = append(keyFiles, p)
			} else {
				csvs = append(csvs, p)
			}
		default:
			return nil, fmt.Errorf("%s: %s", p, usage)
		}
	}
	ssda903s := len(returns)
	if len(csvs) > 0 {
		ssda903s++
	}
	switch {
	case len(csvs) != 0 && len(csvs) != 2, len(returns) > 1, ssda903s > 1, len(ssdDirs) > 1, len(keyFiles) > 1:
		return nil, fmt.Errorf("%s", usage)
	case len(ssdDirs) == 1 && ssda903s == 1:
		return nil, fmt.Errorf("give an SSD extract or an SSDA903 return, not both: both hold the children looked after")
	case len(ssdDirs)+ssda903s+len(censuses) == 0:
		return nil, fmt.Errorf("%s", usage)
	}
	var parts []*Records
	add := func(r *Records, err error) error {
		if err == nil {
			parts = append(parts, r)
		}
		return err
	}
	if len(csvs) == 2 {
		if err := add(readSSDA903CSV(csvs[0], csvs[1], findings)); err != nil {
			return nil, err
		}
	}
	for _, p := range returns {
		if err := add(readXML(p, findings)); err != nil {
			return nil, err
		}
	}
	for _, p := range ssdDirs {
		if err := add(readSSD(p, findings)); err != nil {
			return nil, err
		}
	}
	for _, p := range censuses {
		if err := add(readCensus(p, findings)); err != nil {
			return nil, err
		}
	}
	r := combine(parts)
	if len(keyFiles) == 1 {
		keys, err := ReadKeys(keyFiles[0])
		if err != nil {
			return nil, err
		}
		r.keyed(keys)
	}
	r.Source = strings.Join(paths, " + ")
	r.hash = hex.EncodeToString(h.Sum(nil))
	return r, nil
}

const usage = "give an SSDA903 return (HEADER.csv EPISODES.csv, or RETURN.xml) or an SSD extract folder, and any CIN census XML files, " +
	"with at most one linkage keys CSV (care_id, linkage_key)"

// isCensus says whether an XML file is a CIN census (root Message) rather than an SSDA903 return.
func isCensus(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	d := xml.NewDecoder(bufio.NewReader(f))
	d.CharsetReader = files.Charset
	for {
		t, err := d.Token()
		if err != nil {
			return false, fmt.Errorf("%s: cannot be read as XML: %v", path, err)
		}
		if se, ok := t.(xml.StartElement); ok {
			return se.Name.Local == "Message", nil
		}
	}
}

// isKeyFile says whether a CSV file is a linkage keys file: its header names linkage_key.
func isKeyFile(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	cr := csv.NewReader(bufio.NewReader(f))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return false, nil // not a keys file: the SSDA903 reader says what is wrong with it
	}
	for _, h := range header {
		if strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")), "linkage_key") {
			return true, nil
		}
	}
	return false, nil
}

// combine joins what several files gave for one council: their counts, findings and histories (a
// referral, episode or plan given by two files, such as an episode open across two census years,
// kept once).
func combine(parts []*Records) *Records {
	if len(parts) == 1 {
		parts[0].Episodes = dedupe(parts[0].Episodes)
		return parts[0]
	}
	r := &Records{}
	measures, years := map[string]bool{}, map[int]bool{}
	for _, p := range parts {
		for _, m := range p.Measures {
			if !measures[m] {
				measures[m] = true
				r.Measures = append(r.Measures, m)
			}
		}
		for _, y := range p.Years {
			years[y] = true
		}
		r.Children = append(r.Children, p.Children...)
		r.Episodes = append(r.Episodes, p.Episodes...)
		r.Findings = append(r.Findings, p.Findings...)
	}
	for y := range years {
		r.Years = append(r.Years, y)
	}
	sort.Ints(r.Years)
	sort.Strings(r.Measures)
	r.Episodes = dedupe(r.Episodes)
	return r
}

// dedupe keeps one of each child's referrals, episodes and plans by kind and start: the one that
// says most (ended, with a reason), so a later census's closure wins over an earlier one's open
// episode.
func dedupe(eps []Episode) []Episode {
	type key struct {
		care, kind string
		start      time.Time
	}
	at := map[key]int{}
	var out []Episode
	for _, e := range eps {
		k := key{e.CareID, e.Kind, e.Start}
		i, seen := at[k]
		if !seen {
			at[k] = len(out)
			out = append(out, e)
			continue
		}
		if o := out[i]; (o.End.IsZero() && !e.End.IsZero()) || (o.Reason == "" && e.Reason != "" && o.End.Equal(e.End)) {
			if e.PersonID == 0 {
				e.PersonID = o.PersonID
			}
			out[i] = e
		}
	}
	return out
}

// keyed gives each episode its child's linkage key, where the keys file gives one.
func (r *Records) keyed(keys map[string]string) {
	for i := range r.Episodes {
		r.Episodes[i].Key = keys[r.Episodes[i].CareID]
	}
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func hashInto(h io.Writer, p string) error {
	if isDir(p) {
		entries, err := os.ReadDir(p)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if !e.IsDir() {
				if err := hashInto(h, filepath.Join(p, e.Name())); err != nil {
					return err
				}
			}
		}
		return nil
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Fprintf(h, "%s\x00", filepath.Base(p))
	_, err = io.Copy(h, f)
	return err
}

func march31(y int) time.Time { return time.Date(y, 3, 31, 0, 0, 0, 0, time.UTC) }

// fromSSDA903 counts a return's children looked after at each 31 March, and gives each child's
// periods looked after (ssda903.Periods) child by child. The return comes from another system
// than the hub records, so its children link by linkage key only.
func fromSSDA903(ret *ssda903.Return, findings int) (*Records, error) {
	r := &Records{Measures: []string{LookedAfter}, Years: ssda903.Years(ret.Episodes), Findings: ssda903.Summary(ret.Findings, findings)}
	if len(r.Years) == 0 {
		return nil, fmt.Errorf("the return has no episode whose dates can be read: nothing to count")
	}
	for _, p := range ssda903.Periods(ret.Episodes) {
		r.Episodes = append(r.Episodes, Episode{CareID: p.Child, Kind: LookedAfter, Start: p.Start, End: p.End})
	}
	for _, y := range r.Years {
		for _, c := range ssda903.HomesAt(ret.Episodes, march31(y)) {
			r.Children = append(r.Children, Child{Measure: LookedAfter, Year: y, ID: c.Child, Postcode: c.Postcode})
		}
	}
	return r, nil
}

func readSSDA903CSV(header, episodes string, findings int) (*Records, error) {
	hf, err := os.Open(header)
	if err != nil {
		return nil, err
	}
	defer hf.Close()
	ef, err := os.Open(episodes)
	if err != nil {
		return nil, err
	}
	defer ef.Close()
	ret, err := ssda903.ReadCSV(bufio.NewReader(hf), header, bufio.NewReader(ef), episodes)
	if err != nil {
		return nil, err
	}
	return fromSSDA903(ret, findings)
}

// readXML reads an SSDA903 XML return (a CIN census is read by readCensus).
func readXML(path string, findings int) (*Records, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ret, err := ssda903.ReadXML(bufio.NewReader(f), path)
	if err != nil {
		return nil, err
	}
	return fromSSDA903(ret, findings)
}

// readCensus reads a CIN census XML file for the children's histories: each CINdetails is a
// referral (CINreferralDate) and, unless the referral led to no further action (ReferralNFA), an
// episode of need to its CINclosureDate with its ReasonForClosure; each ChildProtectionPlans a
// protection plan (CPPstartDate to CPPendDate). The census holds no home postcode, so it counts
// no child in a neighbourhood; its children come from another system than the hub records, so
// they link by linkage key only.
func readCensus(path string, findings int) (*Records, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ret, err := cin.Read(bufio.NewReader(f), path)
	if err != nil {
		return nil, err
	}
	r := &Records{Findings: cin.Summary(ret.Findings, findings)}
	for _, e := range ret.Episodes {
		r.Episodes = append(r.Episodes, Episode{CareID: e.Child, Kind: "referral", Start: e.Referral})
		if !e.NFA {
			r.Episodes = append(r.Episodes, Episode{CareID: e.Child, Kind: InNeed, Start: e.Referral, End: e.Closure, Reason: e.Reason})
		}
	}
	for _, p := range ret.Plans {
		r.Episodes = append(r.Episodes, Episode{CareID: p.Child, Kind: Protection, Start: p.Start, End: p.End})
	}
	if len(r.Episodes) == 0 {
		return nil, fmt.Errorf("%s: the census has no referral or plan whose dates can be read: nothing to store", path)
	}
	return r, nil
}

// ReadKeys reads a linkage keys file: a CSV with a header row naming care_id (the social care
// system's child id, as the other files give it: SSDA903 CHILD, CIN census LAchildID, SSD
// pers_person_id) and linkage_key (the HMAC-SHA256 of the child's NHS number or UPN, 64
// hexadecimal characters, made by the council with the secret it used for the hub records'
// people file). A key that is not 64 hex characters, a blank care id or a care id given two
// different keys is an error naming the file, line and column. One child may have two care ids
// (one in each system) with the same key.
func ReadKeys(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(bufio.NewReader(f))
	cr.FieldsPerRecord = -1
	name := path
	header, err := cr.Read()
	if err != nil {
		return nil, fault.List{fault.In(name, 1, 1, "cannot read the header row: a linkage keys file names care_id and linkage_key")}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	idAt, ok1 := col["care_id"]
	keyAt, ok2 := col["linkage_key"]
	if !ok1 || !ok2 {
		return nil, fault.List{fault.In(name, 1, len(header)+1, "a linkage keys file's header names care_id and linkage_key")}
	}
	keys := map[string]string{}
	lines := map[string]int{}
	var bad fault.List
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			bad = append(bad, fault.FromCSV(name, err))
			break
		}
		line, _ := cr.FieldPos(0)
		if idAt >= len(rec) || keyAt >= len(rec) {
			bad = append(bad, fault.In(name, line, len(rec)+1, "the line has too few values: care_id and linkage_key are both needed"))
			continue
		}
		id, raw := strings.TrimSpace(rec[idAt]), strings.TrimSpace(rec[keyAt])
		if id == "" {
			_, c := cr.FieldPos(idAt)
			bad = append(bad, fault.In(name, line, c, "care_id: blank: each key is given for a child's id"))
			continue
		}
		if raw == "" {
			continue // no key for this child: stored unlinked
		}
		key, ok := load.LinkageKey(raw)
		_, c := cr.FieldPos(keyAt)
		if !ok {
			bad = append(bad, fault.In(name, line, c, fmt.Sprintf("linkage_key: %q is not a linkage key: 64 hexadecimal characters, the HMAC-SHA256 of the child's NHS number or UPN", short(raw))))
			continue
		}
		if prev, dup := keys[id]; dup && prev != key {
			bad = append(bad, fault.In(name, line, c, fmt.Sprintf("linkage_key: child %s has another key on line %d: a child has one key", id, lines[id])))
			continue
		}
		keys[id], lines[id] = key, line
	}
	if len(bad) > 0 {
		return nil, bad
	}
	return keys, nil
}

func short(s string) string {
	if len(s) > 70 {
		return s[:70] + "..."
	}
	return s
}

func readSSD(dir string, findings int) (*Records, error) {
	x, err := ssd.Read(dir)
	if err != nil {
		return nil, err
	}
	r := &Records{Measures: []string{InNeed, LookedAfter, Protection}, Years: x.Years(), Findings: ssd.Summary(x.Findings, findings)}
	if len(r.Years) == 0 {
		return nil, fmt.Errorf("%s: the extract has no date that can be read: nothing to count", dir)
	}
	ids := ssd.PersonIDs(x)
	for _, e := range x.InNeed {
		r.Episodes = append(r.Episodes,
			Episode{CareID: e.Person, PersonID: ids[e.Person], Kind: "referral", Start: e.Start},
			Episode{CareID: e.Person, PersonID: ids[e.Person], Kind: InNeed, Start: e.Start, End: e.End, Reason: e.Reason})
	}
	for _, set := range []struct {
		kind string
		eps  []ssd.Event
	}{{Protection, x.Plans}, {LookedAfter, x.LookedAfter}} {
		for _, e := range set.eps {
			if e.OLA {
				continue // another council's plan
			}
			r.Episodes = append(r.Episodes, Episode{CareID: e.Person, PersonID: ids[e.Person], Kind: set.kind, Start: e.Start, End: e.End})
		}
	}
	for _, y := range r.Years {
		for _, c := range x.CountAt(y, nil).Children {
			for _, m := range []struct {
				on      bool
				measure string
			}{{c.InNeed, InNeed}, {c.LookedAfter, LookedAfter}, {c.Protection, Protection}} {
				if m.on {
					r.Children = append(r.Children, Child{Measure: m.measure, Year: y, ID: c.Person, Postcode: c.Postcode})
				}
			}
		}
	}
	return r, nil
}

// Line is what a load gives for one measure at one 31 March, and its reconciliation with DfE.
type Line struct {
	Measure    string
	Year       int
	Counted    int // children in the records
	Placed     int // home in one of the council's 2021 LSOAs
	Outside    int // home placed in another council's area
	NotPlaced  int // blank postcode, or not placed by the look-up
	Published  int // DfE's figure for the council; -1 when DfE published none (Symbol says why)
	Symbol     string
	Neighbours int // the council's LSOAs with at least one child
}

// Reconciliation is the line said on the care page and by the command: how the neighbourhood
// total from the council's records stands against DfE's published figure, and why it may differ.
func (l Line) Reconciliation() string {
	pub := "DfE published no figure"
	if l.Published >= 0 {
		pub = fmt.Sprintf("DfE published %d", l.Published)
	} else if l.Symbol != "" {
		pub += " (" + l.Symbol + ")"
	}
	s := fmt.Sprintf("%s at 31 March %d: %d children in the council's records, %d placed in its neighbourhoods; %s", label(l.Measure), l.Year, l.Counted, l.Placed, pub)
	if l.Published >= 0 {
		s += fmt.Sprintf(", a difference of %+d in the neighbourhoods", l.Placed-l.Published)
	}
	var why []string
	if l.Outside > 0 {
		why = append(why, fmt.Sprintf("%d with a home in another council's area (still the council's children, e.g. placed out of area: in DfE's figure, in no neighbourhood here)", l.Outside))
	}
	if l.NotPlaced > 0 {
		why = append(why, fmt.Sprintf("%d whose home postcode could not be placed (blank, or not in the look-up)", l.NotPlaced))
	}
	if l.Published >= 0 && l.Counted != l.Published {
		why = append(why, fmt.Sprintf("the records count %+d on DfE's figure (late returns and amendments after DfE's cut-off, or records DfE's return left out)", l.Counted-l.Published))
	}
	if len(why) > 0 {
		s += ": " + strings.Join(why, "; ")
	}
	return s
}

func label(measure string) string {
	switch measure {
	case LookedAfter:
		return "Looked after"
	case InNeed:
		return "In need"
	case Protection:
		return "On a protection plan"
	}
	return measure
}

// Summary is what a load did.
type Summary struct {
	Council   string
	Lines     []Line
	Version   string
	Warning   string
	Postcodes string
	// Episodes is how many referrals and episodes were stored child by child (care_episodes),
	// Children how many children they belong to, and Linked how many of those children are people
	// of the council's hub records: ByPersonID by the same person id (both from one system),
	// ByKey by linkage key. Keyed is how many children carry a linkage key, linked or not.
	Episodes, Children, Linked, ByPersonID, ByKey, Keyed int
}

// LinkRate says how many of the children stored child by child were linked to the hub records,
// and by which method.
func (s *Summary) LinkRate() string {
	pct := func(n int) float64 {
		if s.Children == 0 {
			return 0
		}
		return 100 * float64(n) / float64(s.Children)
	}
	return fmt.Sprintf("child by child: %d referrals and episodes of %d children; %d of them (%.1f%%) linked to the hub records: "+
		"%d (%.1f%%) by person id (the same system's ids), %d (%.1f%%) by linkage key (%d children had a key); the rest unlinked",
		s.Episodes, s.Children, s.Linked, pct(s.Linked), s.ByPersonID, pct(s.ByPersonID), s.ByKey, pct(s.ByKey), s.Keyed)
}

// storeEpisodes replaces the council's care histories (care_episodes: the demo's synthetic ones,
// or an earlier load's) with the records' referrals and episodes, child by child. Each child is
// linked to the hub records where the council's people hold the same person id (both from one
// system: an SSD extract and the hub records converted from it by hubs ssd; link_method 'person
// id'), else where one of them holds the child's linkage key (person_keys, from the people file
// hubs load read; link_method 'linkage key'). Nothing is guessed: a child with neither is kept
// unlinked. Records without episodes leave the histories as they were.
func storeEpisodes(ctx context.Context, tx *sql.Tx, council string, r *Records, sum *Summary) error {
	if len(r.Episodes) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE care_history (care_id VARCHAR, person_id BIGINT, linkage_key VARCHAR, kind VARCHAR,
		start_date DATE, end_date DATE, end_reason VARCHAR)`); err != nil {
		return err
	}
	ins, err := tx.PrepareContext(ctx, "INSERT INTO care_history VALUES ($1, $2, $3, $4, $5, $6, $7)")
	if err != nil {
		return err
	}
	for _, e := range r.Episodes {
		var person, key, end, reason any
		if e.PersonID != 0 {
			person = e.PersonID
		}
		if e.Key != "" {
			key = e.Key
		}
		if !e.End.IsZero() {
			end = e.End
		}
		if e.Reason != "" {
			reason = e.Reason
		}
		if _, err := ins.ExecContext(ctx, e.CareID, person, key, e.Kind, e.Start, end, reason); err != nil {
			ins.Close()
			return err
		}
	}
	ins.Close()
	for _, q := range []string{
		`DELETE FROM care_episodes WHERE council_code = $council`,
		`INSERT INTO care_episodes
		 SELECT $council, h.care_id, coalesce(p.person_id, k.person_id), h.kind, h.start_date, h.end_date, h.end_reason, NULL,
		        CASE WHEN p.person_id IS NOT NULL THEN 'person id' WHEN k.person_id IS NOT NULL THEN 'linkage key' END, $source
		 FROM care_history h
		 LEFT JOIN (SELECT p.person_id FROM people p JOIN families f USING (family_id) WHERE f.council_code = $council) p
		        ON p.person_id = h.person_id
		 LEFT JOIN (SELECT k.person_id, k.linkage_key FROM person_keys k JOIN people p USING (person_id) JOIN families f USING (family_id)
		            WHERE k.council_code = $council AND f.council_code = $council) k
		        ON k.linkage_key = h.linkage_key`,
	} {
		if _, err := tx.ExecContext(ctx, q, sql.Named("council", council), sql.Named("source", "council records: "+r.Source)); err != nil {
			return fmt.Errorf("storing the care histories: %w", err)
		}
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT care_id), count(DISTINCT care_id) FILTER (WHERE person_id IS NOT NULL),
		count(DISTINCT care_id) FILTER (WHERE link_method = 'person id'), count(DISTINCT care_id) FILTER (WHERE link_method = 'linkage key'),
		(SELECT count(DISTINCT care_id) FROM care_history WHERE linkage_key IS NOT NULL)
		FROM care_episodes WHERE council_code = $1`, council).Scan(&sum.Episodes, &sum.Children, &sum.Linked, &sum.ByPersonID, &sum.ByKey, &sum.Keyed); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "DROP TABLE care_history")
	return err
}

// Load counts the records by neighbourhood for the council (its ONS code) and stores them in the
// warehouse file dbFile (created from base, the demo warehouse's file, if it does not exist),
// replacing what was held for the same council, measures and years; all or nothing, as hubs
// load (load.Apply). Postcodes are placed with l; without one, no child can be placed, and the
// load is refused.
func Load(ctx context.Context, dbFile, base, council string, r *Records, l *postcodes.Lookup, wait bool, progress io.Writer) (*Summary, error) {
	if l == nil && len(r.Children) > 0 {
		return nil, fmt.Errorf("give --postcodes FILE (ONS's NSPL or ONSPD) or --postcodes demo: the records hold home postcodes, and care by neighbourhood needs each placed in a 2021 LSOA; nothing was loaded")
	}
	var codes []string
	for _, c := range r.Children {
		if c.Postcode != "" {
			codes = append(codes, c.Postcode)
		}
	}
	sum := &Summary{Council: council, Postcodes: "no look-up (no child to place)"}
	lsoaOf, lookup := map[string]string{}, ""
	if l != nil {
		lookup = l.Source
		lsoaOf = ssd.Place(l, codes)
		sum.Postcodes = l.Source
		if l.Derived {
			sum.Postcodes += " (LSOAs derived by point in polygon, not ONS's own assignment)"
		}
	}
	version, warning, err := load.Apply(ctx, dbFile, base, wait, progress, r.hash+"|"+council+"|"+lookup, func(ctx context.Context, db *sql.DB) error {
		var n int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM councils WHERE council_code = $1", council).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("%s is not a council in the warehouse", council)
		}
		for _, q := range []string{
			`CREATE TABLE IF NOT EXISTS care_records (council_code VARCHAR NOT NULL, measure VARCHAR NOT NULL, year INTEGER NOT NULL, lsoa21_code VARCHAR NOT NULL,
				number INTEGER NOT NULL, number_ckey BIGINT NOT NULL, PRIMARY KEY (council_code, measure, year, lsoa21_code))`,
			`CREATE TABLE IF NOT EXISTS care_records_loaded (council_code VARCHAR NOT NULL, measure VARCHAR NOT NULL, year INTEGER NOT NULL, source VARCHAR NOT NULL,
				postcodes VARCHAR NOT NULL, counted INTEGER NOT NULL, counted_ckey BIGINT NOT NULL, placed INTEGER NOT NULL, placed_ckey BIGINT NOT NULL,
				outside INTEGER NOT NULL, outside_ckey BIGINT NOT NULL, not_placed INTEGER NOT NULL, not_placed_ckey BIGINT NOT NULL,
				loaded_at TIMESTAMP NOT NULL, PRIMARY KEY (council_code, measure, year))`,
			`CREATE TEMP TABLE care_children (measure VARCHAR, year INTEGER, child_id VARCHAR, lsoa21_code VARCHAR)`,
		} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		ins, err := tx.PrepareContext(ctx, "INSERT INTO care_children VALUES ($1, $2, $3, $4)")
		if err != nil {
			return err
		}
		for _, c := range r.Children {
			var lsoa any
			if p := lsoaOf[c.Postcode]; p != "" {
				lsoa = p
			}
			if _, err := ins.ExecContext(ctx, c.Measure, c.Year, c.ID, lsoa); err != nil {
				return err
			}
		}
		ins.Close()
		for _, q := range []string{
			`DELETE FROM care_records WHERE council_code = $council AND (measure, year) IN (SELECT DISTINCT measure, year FROM care_children)`,
			`DELETE FROM care_records_loaded WHERE council_code = $council AND (measure, year) IN (SELECT DISTINCT measure, year FROM care_children)`,
			`INSERT INTO care_records
			 SELECT $council, c.measure, c.year, c.lsoa21_code, count(DISTINCT c.child_id), cell_key(sum(DISTINCT rkey(c.child_id)))
			 FROM care_children c JOIN neighbourhoods n ON n.lsoa21_code = c.lsoa21_code AND n.council_code = $council
			 GROUP BY ALL`,
			`INSERT INTO care_records_loaded
			 WITH k AS (
			     SELECT DISTINCT c.measure, c.year, c.child_id, rkey(c.child_id) AS key,
			            CASE WHEN c.lsoa21_code IS NULL THEN 'not placed'
			                 WHEN n.lsoa21_code IS NULL THEN 'outside' ELSE 'placed' END AS place
			     FROM care_children c
			     LEFT JOIN neighbourhoods n ON n.lsoa21_code = c.lsoa21_code AND n.council_code = $council
			 )
			 SELECT $council, measure, year, $source, $postcodes,
			        count(*), cell_key(sum(key)),
			        count(*) FILTER (WHERE place = 'placed'), cell_key(sum(key) FILTER (WHERE place = 'placed')),
			        count(*) FILTER (WHERE place = 'outside'), cell_key(sum(key) FILTER (WHERE place = 'outside')),
			        count(*) FILTER (WHERE place = 'not placed'), cell_key(sum(key) FILTER (WHERE place = 'not placed')),
			        now()::TIMESTAMP
			 FROM k GROUP BY measure, year`,
		} {
			if _, err := tx.ExecContext(ctx, q, sql.Named("council", council), sql.Named("source", r.Source), sql.Named("postcodes", sum.Postcodes)); err != nil {
				return fmt.Errorf("storing the counts: %w", err)
			}
		}
		if err := storeEpisodes(ctx, tx, council, r, sum); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `
			SELECT l.measure, l.year, l.counted, l.placed, l.outside, l.not_placed, coalesce(c.number, -1), coalesce(c.number_symbol, ''),
			       (SELECT count(*) FROM care_records r WHERE r.council_code = l.council_code AND r.measure = l.measure AND r.year = l.year)
			FROM care_records_loaded l
			LEFT JOIN care c ON c.measure = l.measure AND c.year = l.year AND c.area_code = l.council_code
			WHERE l.council_code = $council AND (l.measure, l.year) IN (SELECT DISTINCT measure, year FROM care_children)
			ORDER BY l.measure, l.year`, sql.Named("council", council))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var x Line
			if err := rows.Scan(&x.Measure, &x.Year, &x.Counted, &x.Placed, &x.Outside, &x.NotPlaced, &x.Published, &x.Symbol, &x.Neighbours); err != nil {
				return err
			}
			sum.Lines = append(sum.Lines, x)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DROP TABLE care_children"); err != nil {
			return err
		}
		return tx.Commit()
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(sum.Lines, func(a, b int) bool {
		if sum.Lines[a].Measure != sum.Lines[b].Measure {
			return sum.Lines[a].Measure < sum.Lines[b].Measure
		}
		return sum.Lines[a].Year < sum.Lines[b].Year
	})
	sum.Version, sum.Warning = version, warning
	return sum, nil
}
