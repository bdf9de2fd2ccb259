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
// no home postcode, so it cannot be placed in neighbourhoods and is refused, saying so.
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
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

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
	// Episodes are the children's referrals and episodes, child by child, where the records
	// carry them with the person ids the hub records use (an SSD extract: ssd.PersonIDs).
	Episodes []Episode
	Findings []string // data-quality findings, summarised (warnings: counting went on)
	hash     string
}

// Episode is one referral (an event: no end) or episode of one child, for care_episodes.
type Episode struct {
	CareID     string // the social care system's person id
	PersonID   int64  // the id the hub records give the same person
	Kind       string // referral, in_need, protection_plan, looked_after
	Start, End time.Time
	Reason     string
}

// Read reads a council's records: two files are an SSDA903 header and episodes (CSV), one XML
// file an SSDA903 return (a CIN census is refused: it holds no postcode), one folder an SSD
// extract. A file that cannot be read is an error.
func Read(paths []string, findings int) (*Records, error) {
	h := sha256.New()
	for _, p := range paths {
		if err := hashInto(h, p); err != nil {
			return nil, err
		}
	}
	var r *Records
	var err error
	switch {
	case len(paths) == 2:
		r, err = readSSDA903CSV(paths[0], paths[1], findings)
	case len(paths) == 1 && isDir(paths[0]):
		r, err = readSSD(paths[0], findings)
	case len(paths) == 1 && strings.HasSuffix(strings.ToLower(paths[0]), ".xml"):
		r, err = readXML(paths[0], findings)
	default:
		return nil, fmt.Errorf("give an SSDA903 return (HEADER.csv EPISODES.csv, or RETURN.xml) or an SSD extract folder")
	}
	if err != nil {
		return nil, err
	}
	r.Source = strings.Join(paths, " + ")
	r.hash = hex.EncodeToString(h.Sum(nil))
	return r, nil
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

func fromSSDA903(ret *ssda903.Return, findings int) (*Records, error) {
	r := &Records{Measures: []string{LookedAfter}, Years: ssda903.Years(ret.Episodes), Findings: ssda903.Summary(ret.Findings, findings)}
	if len(r.Years) == 0 {
		return nil, fmt.Errorf("the return has no episode whose dates can be read: nothing to count")
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

// readXML reads an SSDA903 XML return; a CIN census (root Message) is refused, as it holds no
// home postcode.
func readXML(path string, findings int) (*Records, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	d := xml.NewDecoder(bufio.NewReader(f))
	for {
		t, err := d.Token()
		if err != nil {
			return nil, fmt.Errorf("%s: cannot be read as XML: %v", path, err)
		}
		if se, ok := t.(xml.StartElement); ok {
			if se.Name.Local == "Message" {
				return nil, fmt.Errorf("%s: a Children in Need census holds no home postcode, so its children cannot be placed in neighbourhoods: load an SSD extract (ssd_cin_episodes and ssd_cp_plans with ssd_address) for in need and protection plans by neighbourhood, and use hubs cin to reconcile the census with DfE", path)
			}
			break
		}
	}
	if _, err := f.Seek(0, 0); err != nil {
		return nil, err
	}
	ret, err := ssda903.ReadXML(bufio.NewReader(f), path)
	if err != nil {
		return nil, err
	}
	return fromSSDA903(ret, findings)
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
	// of the council's hub records (same person id: both from one system).
	Episodes, Children, Linked int
}

// storeEpisodes replaces the council's care histories (care_episodes: the demo's synthetic ones,
// or an earlier load's) with the records' referrals and episodes, child by child, each child
// linked to the hub records where the council's people hold the same person id (both from one
// system: an SSD extract and the hub records converted from it by hubs ssd). Nothing is guessed:
// a child with no such person is kept unlinked. Records without episodes leave the histories as
// they were.
func storeEpisodes(ctx context.Context, tx *sql.Tx, council string, r *Records, sum *Summary) error {
	if len(r.Episodes) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE care_history (care_id VARCHAR, person_id BIGINT, kind VARCHAR,
		start_date DATE, end_date DATE, end_reason VARCHAR)`); err != nil {
		return err
	}
	ins, err := tx.PrepareContext(ctx, "INSERT INTO care_history VALUES ($1, $2, $3, $4, $5, $6)")
	if err != nil {
		return err
	}
	for _, e := range r.Episodes {
		var end, reason any
		if !e.End.IsZero() {
			end = e.End
		}
		if e.Reason != "" {
			reason = e.Reason
		}
		if _, err := ins.ExecContext(ctx, e.CareID, e.PersonID, e.Kind, e.Start, end, reason); err != nil {
			ins.Close()
			return err
		}
	}
	ins.Close()
	for _, q := range []string{
		`DELETE FROM care_episodes WHERE council_code = $council`,
		`INSERT INTO care_episodes
		 SELECT $council, h.care_id, k.person_id, h.kind, h.start_date, h.end_date, h.end_reason, NULL,
		        CASE WHEN k.person_id IS NOT NULL THEN 'person id' END, $source
		 FROM care_history h
		 LEFT JOIN (SELECT p.person_id FROM people p JOIN families f USING (family_id) WHERE f.council_code = $council) k
		        ON k.person_id = h.person_id`,
	} {
		if _, err := tx.ExecContext(ctx, q, sql.Named("council", council), sql.Named("source", "council records: "+r.Source)); err != nil {
			return fmt.Errorf("storing the care histories: %w", err)
		}
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT care_id), count(DISTINCT care_id) FILTER (WHERE person_id IS NOT NULL)
		FROM care_episodes WHERE council_code = $1`, council).Scan(&sum.Episodes, &sum.Children, &sum.Linked); err != nil {
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
	if l == nil {
		return nil, fmt.Errorf("give --postcodes FILE (ONS's NSPL or ONSPD) or --postcodes demo: the records hold home postcodes, and care by neighbourhood needs each placed in a 2021 LSOA; nothing was loaded")
	}
	var codes []string
	for _, c := range r.Children {
		if c.Postcode != "" {
			codes = append(codes, c.Postcode)
		}
	}
	lsoaOf := ssd.Place(l, codes)
	sum := &Summary{Council: council, Postcodes: l.Source}
	if l.Derived {
		sum.Postcodes += " (LSOAs derived by point in polygon, not ONS's own assignment)"
	}
	version, warning, err := load.Apply(ctx, dbFile, base, wait, progress, r.hash+"|"+council+"|"+l.Source, func(ctx context.Context, db *sql.DB) error {
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
