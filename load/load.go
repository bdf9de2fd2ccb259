package load

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"embed"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/duckdb/duckdb-go/v2"

	"familyhubs/fault"
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

// Export writes the warehouse's service records and network files in the load formats.
func Export(ctx context.Context, db queries.Querier, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		q := &queries.Query{Name: "export " + f.name, SQL: sqlText("export_" + strings.TrimSuffix(f.name, ".csv") + ".sql")}
		res, err := q.Run(ctx, db, nil)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := queries.WriteCSV(&buf, res); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, f.name), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Options for a load.
type Options struct {
	// Progress receives progress: a bar redrawn in place on a terminal, else a summary.
	Progress io.Writer
	Terminal bool
	// Earliest and Latest bound contact dates (default: 1 April 2010 and today).
	Earliest, Latest time.Time
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
// exists, else from base (the demo warehouse's file). It checks everything first; then it loads
// into a copy and renames the copy into place, so a failed or interrupted load leaves dbFile
// exactly as it was.
func Folder(ctx context.Context, dbFile, base, dir string, opt Options) (*Summary, error) {
	start := time.Now()
	if opt.Earliest.IsZero() {
		opt.Earliest = time.Date(2010, 4, 1, 0, 0, 0, 0, time.UTC)
	}
	if opt.Latest.IsZero() {
		opt.Latest = time.Now().UTC()
	}
	source := base
	if _, err := os.Stat(dbFile); err == nil {
		source = dbFile
	}
	ref, err := warehouse.Open(ctx, source)
	if err != nil {
		return nil, err
	}
	known, err := reference(ctx, ref)
	ref.Close()
	if err != nil {
		return nil, err
	}
	var rows map[string][][]driver.Value
	var councils []string
	var hash string
	var faults fault.List
	bulk := false
	if !opt.goReader {
		rows, councils, hash, faults, bulk = readAll(dir, known, opt, true)
	}
	if !bulk || len(faults) > 0 {
		rows, councils, hash, faults, _ = readAll(dir, known, opt, false)
		bulk = false
	}
	if err := reportFaults(faults); err != nil {
		return nil, err
	}

	tmp := dbFile + ".loading"
	fresh := func() error {
		// an earlier load that was killed may have left its copy and its write-ahead log: DuckDB
		// would replay a stale log into the new copy
		os.Remove(tmp)
		os.Remove(tmp + ".wal")
		return copyFile(source, tmp)
	}
	defer os.Remove(tmp)
	defer os.Remove(tmp + ".wal")
	if err := fresh(); err != nil {
		return nil, err
	}
	bulkDir := ""
	if bulk {
		bulkDir = dir
	}
	res, err := apply(ctx, tmp, rows, councils, hash, opt, bulkDir)
	if errors.Is(err, errNotClean) {
		// the bulk path declined: the Go reader names each fault, or loads what SQL was too strict for
		if rows, councils, hash, faults, _ = readAll(dir, known, opt, false); len(faults) > 0 {
			return nil, reportFaults(faults)
		}
		if err := fresh(); err != nil {
			return nil, err
		}
		bulk = false
		res, err = apply(ctx, tmp, rows, councils, hash, opt, "")
	}
	if err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, dbFile); err != nil {
		return nil, err
	}
	return &Summary{Councils: res.councils, Rows: res.rows, Version: newVersion(res.prev, hash), Took: time.Since(start), Bulk: bulk,
		Checked: res.staged.Sub(start)}, nil
}

// reportFaults is the error for every fault found, in file order, or nil.
func reportFaults(faults fault.List) error {
	if len(faults) == 0 {
		return nil
	}
	sort.SliceStable(faults, func(i, j int) bool {
		if faults[i].File != faults[j].File {
			return fileOrder(faults[i].File) < fileOrder(faults[j].File)
		}
		return faults[i].Line < faults[j].Line
	})
	return fmt.Errorf("%d problem(s) in the files; nothing was loaded:\n%w", len(faults), faults)
}

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

type known struct {
	lsoaCouncil map[string]string
	services    map[string]bool
	councils    map[string]bool
}

func reference(ctx context.Context, db *warehouse.DB) (known, error) {
	k := known{lsoaCouncil: map[string]string{}, services: map[string]bool{}, councils: map[string]bool{}}
	q := &queries.Query{Name: "load reference", SQL: sqlText("reference.sql")}
	res, err := q.Run(ctx, db, nil)
	if err != nil {
		return k, err
	}
	for _, row := range res.Rows {
		code := queries.Text(row[1])
		switch queries.Text(row[0]) {
		case "lsoa":
			k.lsoaCouncil[code] = queries.Text(row[2])
		case "service":
			k.services[code] = true
		case "council":
			k.councils[code] = true
		}
	}
	return k, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// apply appends the checked rows to staging tables in a copy of the warehouse, replaces the
// councils' records in one transaction, recomputes the modelled tables and the data version.
// applied is what apply did: the version it replaced, the councils loaded and rows by table.
type applied struct {
	prev     string
	councils []string
	rows     map[string]int
	staged   time.Time // when every row was read, checked and staged, before the apply
}

func apply(ctx context.Context, file string, rows map[string][][]driver.Value, councils []string, hash string, opt Options, bulkDir string) (*applied, error) {
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
	if _, err := conn.ExecContext(ctx, sqlText("stage.sql")); err != nil {
		return nil, fmt.Errorf("stage.sql: %w", err)
	}
	total := 0
	for _, r := range rows {
		total += len(r)
	}
	done := 0
	err = conn.Raw(func(dc any) error {
		for _, f := range append(files, fileSpec{table: "councils"}) {
			table := "load_" + f.table
			data := rows[f.table]
			if f.table == "councils" {
				for _, c := range councils {
					data = append(data, []driver.Value{c})
				}
			}
			app, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", table)
			if err != nil {
				return err
			}
			for i, r := range data {
				if err := app.AppendRow(r...); err != nil {
					app.Close()
					return fmt.Errorf("%s row %d: %w", f.name, i+1, err)
				}
				done++
				if opt.Terminal && opt.Progress != nil && done%50000 == 0 {
					bar := strings.Repeat("#", done*30/max(total, 1))
					fmt.Fprintf(opt.Progress, "\rloading [%-30s] %3d%% %s", bar, done*100/max(total, 1), f.name)
				}
			}
			if err := app.Close(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if bulkDir != "" {
		if err := bulkLoad(ctx, conn, bulkDir, opt); err != nil {
			return nil, err
		}
	}
	res := &applied{prev: prev, rows: map[string]int{}}
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
	res.staged = time.Now()
	if opt.afterAppend != nil {
		opt.afterAppend()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, sqlText("apply.sql")); err != nil {
		return nil, fmt.Errorf("apply.sql: %w", err)
	}
	if err := warehouse.Rederive(ctx, tx, res.councils); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE metadata SET value = $1 WHERE key = 'data_version'", newVersion(prev, hash)); err != nil {
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
	if opt.Terminal && opt.Progress != nil {
		fmt.Fprintf(opt.Progress, "\rloading [%s] 100%%          \n", strings.Repeat("#", 30))
	}
	return res, nil
}

// readAll reads and checks every file, returning the rows by table, the councils loaded and a
// hash of the files, or every fault found.
//
// With bulk, the bulk files (bulk.go) are only hashed and vetted for DuckDB, not read; ok is false
// when one is not fit for it.
func readAll(dir string, k known, opt Options, bulk bool) (map[string][][]driver.Value, []string, string, fault.List, bool) {
	var faults fault.List
	rows := map[string][][]driver.Value{}
	h := sha256.New()
	ok := true
	councils := map[string]bool{}
	// what later files refer to
	sites := map[string]string{}     // site id -> council
	localities := map[string]bool{}  // council|locality
	families := map[int64]string{}   // family -> council
	familyLSOA := map[int64]string{} // family -> lsoa
	people := map[int64]person{}     // person -> family, role, birth, send
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		if _, isBulk := bulkFiles[f.name]; bulk && isBulk {
			// streamed, never held: DuckDB reads it
			h.Write([]byte(f.name))
			ready, err := bulkReady(f, path, h)
			if err != nil {
				faults = append(faults, fault.In(f.name, 0, 0, "cannot read the file: "+err.Error()))
			}
			ok = ok && ready
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			faults = append(faults, fault.In(f.name, 0, 0, "cannot read the file: "+err.Error()))
			continue
		}
		h.Write([]byte(f.name))
		h.Write(data)
		recs, fs := parse(f, data)
		faults = append(faults, fs...)
		seen := map[string]int{}
		pos := f.position()
		for _, r := range recs {
			bad := func(col, format string, a ...any) {
				faults = append(faults, fault.In(f.name, r.line, r.cols[pos[col]], col+": "+fmt.Sprintf(format, a...)))
			}
			v := func(col string) any { return r.values[pos[col]] }
			council := func(col string) string {
				code, _ := v(col).(string)
				if !k.councils[code] {
					bad(col, "%q is not an English council code (ONS, e.g. E08000007)", code)
				}
				councils[code] = true
				return code
			}
			lsoaIn := func(col, council string) {
				code, _ := v(col).(string)
				owner, ok := k.lsoaCouncil[code]
				switch {
				case !ok:
					bad(col, "%q is not a 2021 LSOA code in England", code)
				case owner != council:
					bad(col, "LSOA %s belongs to %s, not %s", code, owner, council)
				}
			}
			uniqueKey := func(col, key, what string) {
				if prev, dup := seen[key]; dup {
					bad(col, "%s is already on line %d: %s", fmt.Sprint(v(col)), prev, what)
				}
				seen[key] = r.line
			}
			unique := func(col string) { uniqueKey(col, fmt.Sprint(v(col)), "ids must be unique") }
			switch f.name {
			case "localities.csv":
				cc := council("council_code")
				localities[cc+"|"+v("locality").(string)] = true
				uniqueKey("ward_name", cc+"|"+v("ward_name").(string), "a ward belongs to one locality")
			case "sites.csv":
				unique("site_id")
				cc := council("council_code")
				kind := v("kind").(string)
				if !map[string]bool{"hub": true, "hublet": true, "bridge": true, "outreach": true, "online": true}[kind] {
					bad("kind", "%q: use hub, hublet, bridge, outreach or online", kind)
				}
				if kind != "online" {
					if v("lsoa21_code") == nil {
						bad("lsoa21_code", "a %s needs the LSOA it stands in", kind)
					} else {
						lsoaIn("lsoa21_code", cc)
					}
					if loc, _ := v("locality").(string); !localities[cc+"|"+loc] {
						bad("locality", "%q is not a locality of %s in localities.csv", loc, cc)
					}
				}
				if d, o := v("designated").(time.Time), v("opened").(time.Time); d.Before(o) {
					bad("designated", "before the site opened (%s)", o.Format(time.DateOnly))
				}
				sites[v("site_id").(string)] = cc
			case "families.csv":
				unique("family_id")
				cc := council("council_code")
				lsoaIn("lsoa21_code", cc)
				families[v("family_id").(int64)], familyLSOA[v("family_id").(int64)] = cc, v("lsoa21_code").(string)
			case "people.csv":
				unique("person_id")
				fam := v("family_id").(int64)
				if _, ok := families[fam]; !ok {
					bad("family_id", "family %d is not in families.csv", fam)
				}
				role, sex := v("role").(string), v("sex").(string)
				if role != "child" && role != "carer" {
					bad("role", "%q: use child or carer", role)
				}
				if sex != "F" && sex != "M" {
					bad("sex", "%q: use F or M", sex)
				}
				p := person{family: fam, role: role}
				if b, ok := v("birth_date").(time.Time); ok {
					p.birth = b
					if b.After(opt.Latest.AddDate(1, 0, 0)) || b.Year() < 1900 {
						bad("birth_date", "%s is not a possible birth date", b.Format(time.DateOnly))
					}
				} else if role == "child" {
					bad("birth_date", "a child needs a birth date")
				}
				p.send, _ = v("send").(bool)
				people[v("person_id").(int64)] = p
			case "contacts.csv":
				unique("contact_id")
				cc := council("council_code")
				lsoaIn("lsoa21_code", cc)
				d := v("contact_date").(time.Time)
				if d.Before(opt.Earliest) || d.After(opt.Latest) {
					bad("contact_date", "%s is outside the period %s to %s", d.Format(time.DateOnly), opt.Earliest.Format(time.DateOnly), opt.Latest.Format(time.DateOnly))
				}
				if s, ok := v("site_id").(string); ok {
					if owner, known := sites[s]; !known {
						bad("site_id", "%q is not a site in sites.csv", s)
					} else if owner != cc {
						bad("site_id", "site %s belongs to %s, not %s", s, owner, cc)
					}
				}
				if svc := v("service_code").(string); !k.services[svc] {
					bad("service_code", "%q is not a service code (see the services table)", svc)
				}
				if ch := v("channel").(string); !map[string]bool{"hub": true, "hublet": true, "bridge": true, "outreach": true, "home visit": true, "online": true}[ch] {
					bad("channel", "%q: use hub, hublet, bridge, outreach, home visit or online", ch)
				}
				fam := v("family_id").(int64)
				if fc, ok := families[fam]; !ok {
					bad("family_id", "family %d is not in families.csv", fam)
				} else if fc != cc || familyLSOA[fam] != v("lsoa21_code") {
					bad("lsoa21_code", "family %d lives in %s (%s)", fam, familyLSOA[fam], fc)
				}
				child, ok := people[v("child_id").(int64)]
				switch {
				case !ok:
					bad("child_id", "person %d is not in people.csv", v("child_id"))
				case child.role != "child" || child.family != fam:
					bad("child_id", "person %d is not a child of family %d", v("child_id"), fam)
				default:
					band := v("age_band").(string)
					if want := ageBand(child, d); want != band {
						bad("age_band", "%q, but the child is %s on %s (band %s): an impossible age for the band", band, age(child.birth, d), d.Format(time.DateOnly), orNone(want))
					}
				}
				if cid, ok := v("carer_id").(int64); ok {
					if carer, ok := people[cid]; !ok || carer.role != "carer" || carer.family != fam {
						bad("carer_id", "person %d is not a carer of family %d", cid, fam)
					}
				}
			case "plan.csv":
				cc := council("council_code")
				uniqueKey("id", cc+"|"+v("id").(string), "plan ids must be unique within a council")
			}
			rows[f.table] = append(rows[f.table], r.row(f))
		}
	}
	var list []string
	for c := range councils {
		list = append(list, c)
	}
	sort.Strings(list)
	return rows, list, hex.EncodeToString(h.Sum(nil)), faults, ok
}

type person struct {
	family int64
	role   string
	birth  time.Time
	send   bool
}

func age(birth, d time.Time) string {
	if d.Before(birth) {
		return "not yet born"
	}
	y := d.Year() - birth.Year()
	if d.Month() < birth.Month() || (d.Month() == birth.Month() && d.Day() < birth.Day()) {
		y--
	}
	return strconv.Itoa(y)
}

// ageBand is the band a contact on day d must carry for the child: 0-2 (from 9 months before
// birth), 3-4, 5-11, 12-19, and 20-25 only with SEND.
func ageBand(c person, d time.Time) string {
	if d.Before(c.birth) {
		if c.birth.Sub(d) <= 280*24*time.Hour {
			return "0-2"
		}
		return ""
	}
	a, _ := strconv.Atoi(age(c.birth, d))
	switch {
	case a <= 2:
		return "0-2"
	case a <= 4:
		return "3-4"
	case a <= 11:
		return "5-11"
	case a <= 19:
		return "12-19"
	case a <= 25 && c.send:
		return "20-25"
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "none: too old, or not yet expected"
	}
	return s
}

// record is one line of a file: its values (and their columns in the file) in the order of the
// file spec's columns. Slices, not maps: a load reads millions of lines.
type record struct {
	line   int
	cols   []int
	values []any
	ok     bool // every value was read (a line with a bad value is not checked further)
}

func (r record) row(f fileSpec) []driver.Value {
	out := make([]driver.Value, len(f.columns))
	for i := range f.columns {
		out[i] = r.values[i]
	}
	return out
}

// position maps a spec's column names to their place in a record.
func (f fileSpec) position() map[string]int {
	m := make(map[string]int, len(f.columns))
	for i, c := range f.columns {
		m[c.name] = i
	}
	return m
}

// parse reads one CSV file's records with typed values, reporting bad encoding, missing columns,
// malformed lines and values of the wrong type.
func parse(f fileSpec, data []byte) ([]record, fault.List) {
	var faults fault.List
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:firstInvalid(data)], []byte("\n"))
		return nil, fault.List{fault.In(f.name, line, 1, "the file is not UTF-8: save it as UTF-8 (CSV UTF-8 in Excel)")}
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	header, err := cr.Read()
	if err != nil {
		return nil, fault.List{fault.In(f.name, 1, 1, "no header row: the first line names the columns "+names(f))}
	}
	index := map[string]int{}
	for i, h := range header {
		index[strings.TrimSpace(h)] = i
	}
	for _, c := range f.columns {
		if _, ok := index[c.name]; !ok {
			faults = append(faults, fault.In(f.name, 1, len(header)+1, fmt.Sprintf("missing column %s: the header must name %s", c.name, names(f))))
		}
	}
	if len(faults) > 0 {
		return nil, faults
	}
	var out []record
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			faults = append(faults, fault.FromCSV(f.name, err))
			if _, malformed := errors.AsType[*csv.ParseError](err); malformed {
				continue // the reader resumes at the next line
			}
			break
		}
		line, _ := cr.FieldPos(0)
		r := record{line: line, cols: make([]int, len(f.columns)), values: make([]any, len(f.columns)), ok: true}
		for k, c := range f.columns {
			i := index[c.name]
			_, col := cr.FieldPos(i)
			r.cols[k] = col
			raw := strings.TrimSpace(rec[i])
			if len(raw) > 1 && raw[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(raw[1])) {
				raw = raw[1:] // written formula-safe by export: read back as it was
			}
			if raw == "" {
				if c.required {
					faults = append(faults, fault.In(f.name, line, col, c.name+": a value is required"))
					r.ok = false
				}
				continue
			}
			v, err := convert(c.kind, raw)
			if err != nil {
				faults = append(faults, fault.In(f.name, line, col, fmt.Sprintf("%s: %q %s", c.name, raw, err)))
				r.ok = false
				continue
			}
			r.values[k] = v
		}
		if len(faults) > 500 {
			faults = append(faults, fault.In(f.name, line, 1, "too many problems: stopped reading this file"))
			break
		}
		out = append(out, r)
	}
	if len(faults) > 0 {
		// a record with a bad value is not checked further, but others still are
		var ok []record
		for _, r := range out {
			if r.ok {
				ok = append(ok, r)
			}
		}
		out = ok
	}
	return out, faults
}

func convert(kind, raw string) (any, error) {
	switch kind {
	case "int":
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return nil, errors.New("is not a whole number")
		}
		return n, nil
	case "float":
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return nil, errors.New("is not a number")
		}
		return f, nil
	case "date":
		d, err := time.Parse(time.DateOnly, raw)
		if err != nil {
			return nil, errors.New("is not a date as YYYY-MM-DD")
		}
		return d, nil
	case "bool":
		switch strings.ToLower(raw) {
		case "true", "yes", "1":
			return true, nil
		case "false", "no", "0":
			return false, nil
		}
		return nil, errors.New("is not true or false")
	}
	return raw, nil
}

func names(f fileSpec) string {
	var n []string
	for _, c := range f.columns {
		n = append(n, c.name)
	}
	return strings.Join(n, ", ")
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}
