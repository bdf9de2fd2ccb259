// Package demo builds the demo warehouse the way a council builds its own: the five demo
// councils' synthetic records are written in the shapes councils hold (hub attendance with home
// postcodes in place of LSOA codes; each council's SSDA903 return as CSV) and come in through
// the same door as a council's records: the postcode pass and hubs load for attendance, the
// SSDA903 reader for the returns. The warehouse package builds what no council supplies (the
// published reference data, networks and plans); package load reads the records.
package demo

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	fileio "familyhubs/internal/files"
	"familyhubs/load"
	"familyhubs/postcodes"
	"familyhubs/queries"
	"familyhubs/ssda903"
	"familyhubs/synthetic"
	"familyhubs/warehouse"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

func sqlText(name string) string {
	b, err := sqlFiles.ReadFile("sql/" + name)
	if err != nil {
		panic(err) // embedded at build time
	}
	return string(b)
}

// door names the way the demo's records come in; change it when that changes, so cached demo
// warehouses built the old way are built again.
const door = "standard files through hubs load, v2"

// Version identifies the demo warehouse this code and the embedded data build: the warehouse's
// own version (its data, SQL and generator), the door and the load's SQL.
func Version() (string, error) {
	v, err := warehouse.DemoVersion()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	io.WriteString(h, v)
	io.WriteString(h, door)
	io.WriteString(h, load.SQLDigest())
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// Open opens the demo warehouse, building it into the cache first if this version is not there
// yet (about a minute; later starts reuse it).
func Open(ctx context.Context) (*warehouse.DB, error) {
	version, err := Version()
	if err != nil {
		return nil, err
	}
	dir, err := warehouse.CacheDir()
	if err != nil {
		return nil, err
	}
	file := filepath.Join(dir, "demo-"+version+".duckdb")
	if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		if err := Build(ctx, file); err != nil {
			return nil, err
		}
	}
	return warehouse.Open(ctx, file)
}

// Build writes the demo warehouse to file. Everything is made in a private folder beside it and
// the warehouse renamed into place only when complete, so a failed or killed build leaves
// nothing half-made, and processes racing to build the same version each finish with a whole
// file.
func Build(ctx context.Context, file string) error {
	if err := build(ctx, file); err != nil {
		return fmt.Errorf("building the demo warehouse: %w", err)
	}
	return nil
}

func build(ctx context.Context, file string) error {
	began := time.Now()
	version, err := Version()
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp(filepath.Dir(file), ".demo-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	base := filepath.Join(work, "base.duckdb")
	if err := warehouse.BuildBase(ctx, base); err != nil {
		return err
	}
	l, err := load.DemoPostcodes(ctx)
	if err != nil {
		return err
	}
	records := filepath.Join(work, "records")
	if err := Write(ctx, base, records, l); err != nil {
		return err
	}
	built := filepath.Join(work, "demo.duckdb")
	if _, err := load.Folder(ctx, built, base, records, load.Options{Postcodes: l}); err != nil {
		return fmt.Errorf("loading the demo's records: %w", err)
	}
	if err := stamp(ctx, built, version, began); err != nil {
		return err
	}
	return os.Rename(built, file)
}

// Write writes the demo's records, as a council's systems would give them, into dir (made 0700;
// each file 0600): the load files (families.csv and contacts.csv with home postcodes, people.csv,
// and the network files) and each council's SSDA903 return (ssda903-SLUG/header.csv and
// episodes.csv). base is a warehouse.BuildBase file: the records are generated from its
// neighbourhoods, population and sites. Each SSDA903 return is read back through the SSDA903
// reader and must count, at every 31 March, the children the warehouse places in the council's
// neighbourhoods (DfE's published totals): a build that would disagree stops.
func Write(ctx context.Context, base, dir string, l *postcodes.Lookup) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if err := writeRecords(ctx, base, dir, l); err != nil {
		return err
	}
	db, err := warehouse.Open(ctx, base)
	if err != nil {
		return err
	}
	defer db.Close()
	// the network files, as the base holds them; the records written above are kept
	for _, f := range []string{"localities.csv", "sites.csv", "plan.csv"} {
		if err := load.ExportFile(ctx, db, dir, f); err != nil {
			return err
		}
	}
	folders, err := load.ExportSSDA903(ctx, db, dir, l)
	if err != nil {
		return err
	}
	return checkSSDA903(ctx, db, folders)
}

// writeRecords generates the families, people and contacts into the load files.
func writeRecords(ctx context.Context, base, dir string, l *postcodes.Lookup) error {
	w := &recordWriter{homes: load.NewHomes(l)}
	var err error
	for _, f := range []struct {
		name   string
		header []string
		to     **csvFile
	}{
		{"families.csv", []string{"family_id", "council_code", "postcode"}, &w.families},
		{"people.csv", []string{"person_id", "family_id", "role", "sex", "birth_date", "send", "relation"}, &w.people},
		{"contacts.csv", []string{"contact_id", "contact_date", "council_code", "postcode", "site_id", "service_code", "channel",
			"family_id", "child_id", "carer_id", "age_band"}, &w.contacts},
	} {
		if *f.to, err = newCSVFile(filepath.Join(dir, f.name), f.header); err != nil {
			w.close()
			return err
		}
	}
	err = warehouse.GenerateRecords(ctx, base, w)
	if cerr := w.close(); err == nil {
		err = cerr
	}
	return err
}

type csvFile struct {
	f   *os.File
	buf *bufio.Writer
	w   *csv.Writer
}

func newCSVFile(path string, header []string) (*csvFile, error) {
	f, err := fileio.CreatePrivate(path)
	if err != nil {
		return nil, err
	}
	c := &csvFile{f: f, buf: bufio.NewWriterSize(f, 1<<20)}
	c.w = csv.NewWriter(c.buf)
	return c, c.w.Write(header)
}

func (c *csvFile) close() error {
	if c == nil {
		return nil
	}
	c.w.Flush()
	err := c.w.Error()
	if ferr := c.buf.Flush(); err == nil {
		err = ferr
	}
	if cerr := c.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// recordWriter writes generated records as a case system exports them: home postcodes, not LSOAs.
type recordWriter struct {
	homes                      *load.Homes
	families, people, contacts *csvFile
	rec                        [11]string
}

func (w *recordWriter) close() error {
	var first error
	for _, c := range []*csvFile{w.families, w.people, w.contacts} {
		if err := c.close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

func (w *recordWriter) Family(f synthetic.Family) error {
	family := id(f.ID)
	pc, err := w.homes.Postcode(family, f.LSOA)
	if err != nil {
		return err
	}
	return w.families.w.Write(append(w.rec[:0], family, f.CouncilCode, pc))
}

func (w *recordWriter) Person(p synthetic.Person) error {
	var birth, send, relation string
	if p.Role == "child" {
		birth, send = p.BirthDate.Format(time.DateOnly), strconv.FormatBool(p.SEND)
	} else {
		relation = p.Relation
	}
	return w.people.w.Write(append(w.rec[:0], id(p.ID), id(p.FamilyID), p.Role, p.Sex, birth, send, relation))
}

func (w *recordWriter) Contact(c synthetic.Contact) error {
	family := id(c.FamilyID)
	pc, err := w.homes.Postcode(family, c.LSOA)
	if err != nil {
		return err
	}
	carer := ""
	if c.CarerID != 0 {
		carer = id(c.CarerID)
	}
	return w.contacts.w.Write(append(w.rec[:0], id(c.ID), c.Date.Format(time.DateOnly), c.CouncilCode, pc, c.SiteID,
		c.Service, c.Channel, family, id(c.ChildID), carer, c.AgeBand))
}

// checkSSDA903 reads each council's SSDA903 return through the reader a council's return goes
// through and compares its count at every 31 March with the warehouse's.
func checkSSDA903(ctx context.Context, db queries.Querier, folders []string) error {
	q := &queries.Query{Name: "looked after by council", SQL: sqlText("looked_after_by_council.sql")}
	res, err := q.Run(ctx, db, nil)
	if err != nil {
		return err
	}
	want := map[string]map[int]int{}
	for _, r := range res.Rows {
		slug := r[0].(string)
		if want[slug] == nil {
			want[slug] = map[int]int{}
		}
		want[slug][int(r[1].(int32))] = int(r[2].(int32))
	}
	if len(folders) != len(want) {
		return fmt.Errorf("SSDA903 returns written for %d councils, the warehouse has children looked after in %d", len(folders), len(want))
	}
	for _, folder := range folders {
		slug := filepath.Base(folder)[len("ssda903-"):]
		ret, err := readSSDA903(folder)
		if err != nil {
			return err
		}
		if len(ret.Findings) > 0 {
			return fmt.Errorf("the demo's SSDA903 return for %s has findings: %v", slug, ssda903.Summary(ret.Findings, 3))
		}
		years := ssda903.Years(ret.Episodes)
		if len(years) != len(want[slug]) {
			return fmt.Errorf("the demo's SSDA903 return for %s covers %d years, the warehouse %d", slug, len(years), len(want[slug]))
		}
		for _, y := range years {
			if got := ret.CountAt(y).LookedAfter; got != want[slug][y] {
				return fmt.Errorf("the demo's SSDA903 return for %s counts %d children looked after at 31 March %d, the warehouse %d", slug, got, y, want[slug][y])
			}
		}
	}
	return nil
}

func readSSDA903(folder string) (*ssda903.Return, error) {
	h, err := os.Open(filepath.Join(folder, "header.csv"))
	if err != nil {
		return nil, err
	}
	defer h.Close()
	e, err := os.Open(filepath.Join(folder, "episodes.csv"))
	if err != nil {
		return nil, err
	}
	defer e.Close()
	return ssda903.ReadCSV(bufio.NewReader(h), h.Name(), bufio.NewReader(e), e.Name())
}

// stamp makes the loaded warehouse the demo's: its version (not the load's hash of the files),
// the generator's last day, its contacts said to be synthetic (not a council's own), how its
// records came in, and what the build cost.
func stamp(ctx context.Context, file, version string, began time.Time) error {
	return warehouse.WithConn(ctx, file, func(conn *sql.Conn) error { return stampWith(ctx, conn, version, began) })
}

func stampWith(ctx context.Context, conn *sql.Conn, version string, began time.Time) error {
	for _, s := range []struct {
		sql  string
		args []any
	}{
		{"UPDATE metadata SET value = $1 WHERE key = 'data_version'", []any{version}},
		{"UPDATE metadata SET value = $1 WHERE key = 'synthetic_end'", []any{synthetic.End.Format(time.DateOnly)}},
		// the load records each council's contacts as the council's own; the demo's are synthetic
		{"DELETE FROM metadata WHERE key LIKE 'contacts_loaded:%'", nil},
		{"INSERT INTO metadata VALUES ('demo_door', $1)", []any{"SYNTHETIC records written as a council's systems give them " +
			"(hub attendance with home postcodes, SSDA903 returns) and loaded through hubs load --postcodes demo and the SSDA903 reader"}},
	} {
		if _, err := conn.ExecContext(ctx, s.sql, s.args...); err != nil {
			return err
		}
	}
	// the synthetic care histories follow the hub children, as the generator's build makes them
	if err := warehouse.AddHistories(ctx, conn); err != nil {
		return err
	}
	return warehouse.Stamp(ctx, conn, began)
}
