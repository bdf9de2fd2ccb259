package load

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"familyhubs/fault"
	fileio "familyhubs/internal/files"
	"familyhubs/postcodes"
	"familyhubs/queries"
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

// SQLDigest is a hash of the load's SQL: a demo warehouse built through the load is built again
// when it changes.
func SQLDigest() string {
	h := sha256.New()
	fs.WalkDir(sqlFiles, "sql", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			io.WriteString(h, p)
			io.WriteString(h, sqlText(strings.TrimPrefix(p, "sql/")))
		}
		return err
	})
	return hex.EncodeToString(h.Sum(nil))
}

// ExportFile writes one load file (one of the six, by name) of the warehouse into dir.
func ExportFile(ctx context.Context, db queries.Querier, dir, name string) error {
	for _, f := range files {
		if f.name == name {
			return exportFile(ctx, db, dir, name)
		}
	}
	return fmt.Errorf("%s is not one of the load files (%s)", name, fileNames())
}

func exportFile(ctx context.Context, db queries.Querier, dir, name string) error {
	q := &queries.Query{Name: "export " + name, SQL: sqlText("export_" + strings.TrimSuffix(name, ".csv") + ".sql")}
	res, err := q.Run(ctx, db, nil)
	if err != nil {
		return err
	}
	return writePrivate(filepath.Join(dir, name), func(w io.Writer) error { return queries.WriteCSV(w, res) })
}

// Export writes the warehouse's service records and network files in the load formats. The
// people and contacts files are personal-level records (synthetic in the demo, OFFICIAL-SENSITIVE
// in a council's own warehouse): each file is 0600, in a folder made 0700 if it is new.
func Export(ctx context.Context, db queries.Querier, dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for _, f := range files {
		if err := exportFile(ctx, db, dir, f.name); err != nil {
			return err
		}
	}
	return nil
}

// writePrivate writes a file readable by its owner alone (fileio.WritePrivate).
func writePrivate(path string, write func(io.Writer) error) error {
	return fileio.WritePrivate(path, write)
}

// Options for a load.
type Options struct {
	// Progress receives progress: a bar redrawn in place on a terminal, else a summary.
	Progress io.Writer
	Terminal bool
	// Earliest and Latest bound contact dates (default: 1 April 2010 and today).
	Earliest, Latest time.Time
	// Wait waits for another load of the same warehouse to end; without it a load refuses at
	// once while another holds the lock (*Locked).
	Wait bool
	// Span, when set, loads one stretch of days (hubs load --period): the named councils'
	// contacts within it are replaced and every other contact kept; families and people in the
	// files are added or replaced by id and the rest kept; every contact date must lie within it;
	// the rollups are rebuilt for the periods it overlaps only (every period for a council one of
	// whose families moved home). Nil replaces the councils' records whole.
	Span *warehouse.Span
	// Postcodes places the postcodes of files that give them instead of LSOA codes (ONS's NSPL or
	// ONSPD, or the demo's derived look-up). A file with postcodes is refused without it.
	Postcodes *postcodes.Lookup
	// Mapping, if set, rewrites the council's own files in the load format before anything else
	// reads them (mapping.go): its file names, columns, date format and codes.
	Mapping *Mapping
	// AllowEmpty lets a load replace a council's contacts with none. Without it, a load naming a
	// council that has contacts, with none for it in contacts.csv, is refused.
	AllowEmpty bool
	// afterAppend, if set, runs once the rows are appended and before they are applied: tests
	// use it to stop a load half-way.
	afterAppend func()
	// goReader sends every file through the Go reader, as when the bulk path declines.
	goReader bool
}

// Summary says what a load did.
type Summary struct {
	Councils []string
	Rows     map[string]int
	Version  string
	Took     time.Duration
	Bulk     bool // families, people and contacts were read and checked by DuckDB (bulk.go)
	// Checked is how long reading, checking and staging every row took: Took less the
	// replacement of the councils' records and the rebuild of their rollups.
	Checked time.Duration
	// Warnings are what the load could not do but did not need to: keep the old file's owner.
	Warnings []string
	// Postcodes says, for each file that gave postcodes, how many were placed in LSOAs.
	Postcodes []postcodes.Report
	// Mapping says which of the council's files a mapping rewrote, and how long that took.
	Mapping *MappingReport
	// RebuiltWhole names the councils of a load of one span whose summaries were rebuilt for
	// every period, because one of their families moved home (its earlier contacts moved with it).
	RebuiltWhole []string
}

// Total is the number of rows loaded, all files together.
func (s *Summary) Total() int {
	n := 0
	for _, r := range s.Rows {
		n += r
	}
	return n
}

// Folder loads the files in dir into the warehouse file dbFile, starting from dbFile if it
// exists, else from base (the demo warehouse's file). It holds dbFile's lock throughout (one
// load at a time); it loads into a copy beside dbFile and renames the copy into place only if
// every line of every file is clean, keeping dbFile's permissions and owner (a new file is
// 0600). A refused, failed or interrupted load leaves dbFile exactly as it was, and no copy.
func Folder(ctx context.Context, dbFile, base, dir string, opt Options) (*Summary, error) {
	sum, err := folder(ctx, dbFile, base, dir, opt)
	if err != nil && ctx.Err() != nil {
		return nil, fmt.Errorf("the load was stopped (%w); nothing was loaded: %s is as it was", ctx.Err(), dbFile)
	}
	return sum, err
}

func folder(ctx context.Context, dbFile, base, dir string, opt Options) (_ *Summary, err error) {
	if opt.Earliest.IsZero() {
		opt.Earliest = time.Date(2010, 4, 1, 0, 0, 0, 0, time.UTC)
	}
	if opt.Latest.IsZero() {
		opt.Latest = time.Now().UTC()
	}
	if opt.Span != nil {
		if opt.Span.End.Before(opt.Span.Start) {
			return nil, fmt.Errorf("the period loaded ends (%s) before it starts (%s)", opt.Span.End.Format(time.DateOnly), opt.Span.Start.Format(time.DateOnly))
		}
		opt.Earliest, opt.Latest = opt.Span.Start, opt.Span.End
	}
	lk, err := lockFor(ctx, dbFile, opt.Wait, opt.Progress)
	if err != nil {
		return nil, err
	}
	defer lk.release()
	start := time.Now()
	cleanStale(dbFile)

	// files a mapping names are rewritten in the load format first, into a private folder read
	// instead; later faults in them are placed back in the council's files
	given := dir
	dir, mapping, unmap, err := mapFolder(dir, dbFile, opt.Mapping)
	if err != nil {
		return nil, err
	}
	defer unmap()
	defer func() { err = mapping.place(err) }()

	// a folder without one of the files is refused before anything is copied
	p := newProblems()
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(dir, f.name)); errors.Is(err, fs.ErrNotExist) {
			p.add("missing file", fault.In(f.name, 0, 0, fmt.Sprintf("not found in %s: a load needs all six files (%s), each with at least its header row",
				given, fileNames())))
		} else if err != nil {
			p.add("cannot read the file", fault.In(f.name, 0, 0, "cannot read the file: "+err.Error()))
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}

	source := base
	old, err := os.Stat(dbFile)
	switch {
	case err == nil:
		source = dbFile
	case errors.Is(err, fs.ErrNotExist):
		old = nil
	default:
		return nil, err
	}
	ref, err := warehouse.Open(ctx, source)
	if err != nil {
		return nil, err
	}
	k, err := reference(ctx, ref)
	ref.Close()
	if err != nil {
		return nil, err
	}
	// files giving postcodes are placed in LSOAs first, into a private folder read instead
	dir, placedPostcodes, cleanup, err := geocode(dir, dbFile, opt.Postcodes, k)
	if err != nil {
		return nil, mapping.postcodeErr(err, placedPostcodes)
	}
	defer cleanup()

	tmp, err := tempFor(dbFile)
	if err != nil {
		return nil, fmt.Errorf("making the load's copy beside %s: %w", dbFile, err)
	}
	placed := false
	defer func() {
		if !placed {
			tmp.Close()
			removeTemp(tmp.Name())
		}
	}()
	if err := copyInto(tmp, source); err != nil {
		return nil, err
	}
	res, err := stageAndApply(ctx, tmp.Name(), dir, k, opt, start)
	if err != nil {
		return nil, err
	}
	warning, err := keep(tmp, old)
	if err != nil {
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp.Name(), dbFile); err != nil {
		return nil, err
	}
	placed = true
	removeTemp(tmp.Name())
	if d, err := os.Open(filepath.Dir(dbFile)); err == nil {
		d.Sync() // the rename, on disk
		d.Close()
	}
	sum := &Summary{Councils: res.councils, Rows: res.rows, Version: res.version, Took: time.Since(start), Bulk: res.bulk,
		Checked: res.staged.Sub(start), Postcodes: mapping.postcodes(placedPostcodes), RebuiltWhole: res.rebuiltWhole, Mapping: mapping.summary()}
	if warning != "" {
		sum.Warnings = append(sum.Warnings, warning)
	}
	return sum, nil
}

func fileNames() string {
	var n []string
	for _, f := range files {
		n = append(n, f.name)
	}
	return strings.Join(n, ", ")
}

// newHash hashes a load's files, each as its name then its bytes: the data version follows it.
func newHash() hash.Hash { return sha256.New() }

func newVersion(prev, hash string) string {
	h := sha256.Sum256([]byte(prev + "|" + hash))
	return hex.EncodeToString(h[:])[:16]
}

func fileOrder(name string) int {
	for i, f := range files {
		if f.name == name {
			return i
		}
	}
	return len(files)
}

// known is the reference data a load is checked against. Codes are kept as the reference data
// writes them, so what refers to them holds no line read from a file.
type known struct {
	lsoas    map[string]lsoaRef
	services map[string]bool
	councils map[string]councilRef
}

type lsoaRef struct{ code, council string }

type councilRef struct{ code, name string }

func reference(ctx context.Context, db *warehouse.DB) (known, error) {
	k := known{lsoas: map[string]lsoaRef{}, services: map[string]bool{}, councils: map[string]councilRef{}}
	q := &queries.Query{Name: "load reference", SQL: sqlText("reference.sql")}
	res, err := q.Run(ctx, db, nil)
	if err != nil {
		return k, err
	}
	for _, row := range res.Rows {
		code := queries.Text(row[1])
		switch queries.Text(row[0]) {
		case "lsoa":
			k.lsoas[code] = lsoaRef{code, queries.Text(row[2])}
		case "service":
			k.services[code] = true
		case "council":
			k.councils[code] = councilRef{code, queries.Text(row[2])}
		}
	}
	for code, l := range k.lsoas { // one copy of each council code
		if c, ok := k.councils[l.council]; ok {
			k.lsoas[code] = lsoaRef{l.code, c.code}
		}
	}
	return k, nil
}

func copyFile(from, to string) error {
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if err := copyInto(out, from); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func copyInto(out *os.File, from string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	if _, err := io.Copy(out, in); err != nil {
		return fmt.Errorf("copying %s for the load: %w", from, err)
	}
	return nil
}

// applied is what stageAndApply did: the councils loaded, rows by table, the new data version.
type applied struct {
	councils []string
	rows     map[string]int
	version  string
	bulk     bool
	staged   time.Time // when every row was read, checked and staged, before the apply
	// rebuiltWhole names the councils of a load of one span whose rollups were rebuilt for every
	// period (a family moved home), not only the span's
	rebuiltWhole []string
}

// stageAndApply reads, checks and stages every file into the copy of the warehouse at file
// (through the bulk path if it can, else or if it declines through the Go reader), then replaces
// the councils' records in one transaction, recomputes the modelled tables and the data version.
func stageAndApply(ctx context.Context, file, dir string, k known, opt Options, start time.Time) (*applied, error) {
	connector, err := duckdb.NewConnector(warehouse.WritableDSN(file), nil)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var prev string
	if err := conn.QueryRowContext(ctx, "SELECT value FROM metadata WHERE key = 'data_version'").Scan(&prev); err != nil {
		return nil, err
	}
	read := func(bulk bool) (string, bool, *problems, error) {
		if _, err := conn.ExecContext(ctx, sqlText("stage.sql")); err != nil {
			return "", false, nil, fmt.Errorf("stage.sql: %w", err)
		}
		p := newProblems()
		h := newHash()
		var ready bool
		err := conn.Raw(func(dc any) error {
			rd := newReading(k, opt, p, bulk, dc.(driver.Conn), h)
			err := rd.all(ctx, dir)
			ready = rd.ready
			return err
		})
		return hex.EncodeToString(h.Sum(nil)), ready, p, err
	}
	res := &applied{rows: map[string]int{}, bulk: !opt.goReader}
	var filesHash string
	if res.bulk {
		var p *problems
		var ready bool
		filesHash, ready, p, err = read(true)
		if err != nil {
			return nil, err
		}
		res.bulk = ready && p.empty()
		if res.bulk {
			err := bulkLoad(ctx, conn, dir, opt)
			if errors.Is(err, errNotClean) {
				res.bulk = false // the Go reader names each fault, or loads what SQL was too strict for
			} else if err != nil {
				return nil, err
			}
		}
	}
	if !res.bulk {
		var p *problems
		filesHash, _, p, err = read(false)
		if err != nil {
			return nil, err
		}
		if err := repeatedContacts(ctx, conn, p); err != nil {
			return nil, err
		}
		if err := p.err(); err != nil {
			return nil, err
		}
	}
	if opt.Terminal && opt.Progress != nil {
		fmt.Fprintf(opt.Progress, "\rchecked [%s] 100%%          \n", strings.Repeat("#", 30))
	}
	staged, err := conn.QueryContext(ctx, sqlText("staged.sql"))
	if err != nil {
		return nil, err
	}
	for staged.Next() {
		var table string
		var n int
		if err := staged.Scan(&table, &n); err != nil {
			staged.Close()
			return nil, err
		}
		res.rows[table] = n
	}
	staged.Close()
	lc, err := conn.QueryContext(ctx, "SELECT council_code FROM load_councils ORDER BY 1")
	if err != nil {
		return nil, err
	}
	for lc.Next() {
		var c string
		if err := lc.Scan(&c); err != nil {
			lc.Close()
			return nil, err
		}
		res.councils = append(res.councils, c)
	}
	lc.Close()
	if opt.Span != nil {
		if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE load_span AS SELECT $1::DATE AS first_day, $2::DATE AS last_day",
			opt.Span.Start, opt.Span.End); err != nil {
			return nil, err
		}
		if err := spanCheck(ctx, conn); err != nil {
			return nil, err
		}
	}
	if !opt.AllowEmpty {
		if err := refuseEmpty(ctx, conn, opt.Span != nil); err != nil {
			return nil, err
		}
	}
	res.staged = time.Now()
	if opt.afterAppend != nil {
		opt.afterAppend()
	}
	res.version = newVersion(prev, filesHash)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if opt.Span == nil {
		if _, err := tx.ExecContext(ctx, sqlText("apply.sql")); err != nil {
			return nil, fmt.Errorf("apply.sql: %w", err)
		}
		if _, err := tx.ExecContext(ctx, sqlText("apply_network.sql")); err != nil {
			return nil, fmt.Errorf("apply_network.sql: %w", err)
		}
		if err := personKeysCheck(ctx, tx); err != nil {
			return nil, err
		}
		if err := warehouse.Rederive(ctx, tx, res.councils); err != nil {
			return nil, err
		}
	} else {
		if _, err := tx.ExecContext(ctx, sqlText("apply_span.sql")); err != nil {
			return nil, fmt.Errorf("apply_span.sql: %w", err)
		}
		if _, err := tx.ExecContext(ctx, sqlText("apply_network.sql")); err != nil {
			return nil, fmt.Errorf("apply_network.sql: %w", err)
		}
		if err := personKeysCheck(ctx, tx); err != nil {
			return nil, err
		}
		full, err := strings1(ctx, tx, "SELECT council_code FROM load_moved UNION SELECT council_code FROM load_changed ORDER BY 1")
		if err != nil {
			return nil, err
		}
		var network bool
		if err := tx.QueryRowContext(ctx, "SELECT changed FROM load_network_changed").Scan(&network); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, "DROP TABLE load_moved; DROP TABLE load_changed; DROP TABLE load_network_changed; DROP TABLE load_span"); err != nil {
			return nil, err
		}
		res.rebuiltWhole = full
		if err := warehouse.RederiveSpan(ctx, tx, res.councils, full, *opt.Span, network); err != nil {
			return nil, err
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE metadata SET value = $1 WHERE key = 'data_version'", res.version); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE metadata SET value = (SELECT max(contact_date)::VARCHAR FROM contacts) WHERE key = 'synthetic_end'"); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return nil, err
	}
	return res, nil
}

// repeatedContacts reports contact ids read more than once by the Go reader.
func repeatedContacts(ctx context.Context, conn *sql.Conn, p *problems) error {
	rows, err := conn.QueryContext(ctx, sqlText("repeated.sql"), sql.Named("few", firstFew))
	if err != nil {
		return err
	}
	defer rows.Close()
	var first []fault.At
	n := 0
	for rows.Next() {
		var id, line, firstLine int64
		var col int
		if err := rows.Scan(&id, &line, &col, &firstLine, &n); err != nil {
			return err
		}
		first = append(first, fault.In("contacts.csv", int(line), col, fmt.Sprintf("contact_id: %d is already on line %d: ids must be unique", id, firstLine)))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n > 0 {
		p.addMany("contacts.csv", "repeated id", n, first)
	}
	return nil
}

// personKeysCheck refuses a load giving a linkage key that another person of the same council
// holds (person_keys_check.sql: in a load of one span, one already in the warehouse), each named
// where people.csv gives it, then drops the staged keys.
func personKeysCheck(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, sqlText("person_keys_check.sql"), sql.Named("few", firstFew))
	if err != nil {
		return fmt.Errorf("person_keys_check.sql: %w", err)
	}
	defer rows.Close()
	var first []fault.At
	n := 0
	for rows.Next() {
		var line, id, other int64
		var col int
		if err := rows.Scan(&line, &col, &id, &other, &n); err != nil {
			return err
		}
		first = append(first, fault.In("people.csv", int(line), col, fmt.Sprintf("linkage_key: person %d has the key of person %d of the same council: a key names one person", id, other)))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n > 0 {
		p := newProblems()
		p.addMany("people.csv", "repeated linkage key", n, first)
		return p.err()
	}
	_, err = tx.ExecContext(ctx, "DROP TABLE load_person_keys")
	return err
}

// ErrEmpty refuses a load that would replace a council's contacts with none.
var ErrEmpty = errors.New("a load would erase a council's contacts")

// refuseEmpty refuses a load that names a council with contacts but has none for it.
func refuseEmpty(ctx context.Context, conn *sql.Conn, span bool) error {
	text := sqlText("empty.sql")
	if span {
		text = sqlText("empty_span.sql")
	}
	rows, err := conn.QueryContext(ctx, text)
	if err != nil {
		return err
	}
	defer rows.Close()
	var lost []string
	for rows.Next() {
		var code, name string
		var n int
		if err := rows.Scan(&code, &name, &n); err != nil {
			return err
		}
		lost = append(lost, fmt.Sprintf("%s (%s), which has %s now", code, name, count(n, "contact")))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(lost) == 0 {
		return nil
	}
	return fmt.Errorf("%w: contacts.csv has no contacts for %s; the load would replace them with none, so nothing was loaded. "+
		"If the council's contacts are to be erased, load again with --allow-empty", ErrEmpty, strings.Join(lost, " and "))
}

// spanCheck refuses what a load of one span must not do (span_check.sql), by kind with the first
// few ids.
func spanCheck(ctx context.Context, conn *sql.Conn) error {
	rows, err := conn.QueryContext(ctx, sqlText("span_check.sql"))
	if err != nil {
		return err
	}
	defer rows.Close()
	p := newProblems()
	for rows.Next() {
		var file, kind, first string
		var n int
		if err := rows.Scan(&file, &kind, &n, &first); err != nil {
			return err
		}
		var msg string
		switch kind {
		case "contact id already loaded":
			msg = "contact ids already held for a day outside the period loaded, or for another council (ids are unique): " + first
		default:
			msg = "families already held by another council: moving a family between councils needs a load of both councils' whole records: " + first
		}
		p.addMany(file, kind, n, []fault.At{fault.In(file, 0, 0, msg)})
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return p.err()
}

// strings1 reads one text column.
func strings1(ctx context.Context, db interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, text string) ([]string, error) {
	rows, err := db.QueryContext(ctx, text)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
