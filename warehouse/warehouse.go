// Package warehouse builds and opens the DuckDB database everything else reads: every
// neighbourhood of England with its deprivation and children, each council's care numbers, the
// hub networks, and (synthetic) service contacts. Its tables are documented in the database
// (COMMENT ON) and in datasets/README.md.
package warehouse

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/paulmach/orb"

	"familyhubs/access"
	"familyhubs/councils"
	"familyhubs/datasets"
	"familyhubs/geo"
	"familyhubs/synthetic"
)

var (
	//go:embed schema.sql
	schemaSQL string
	//go:embed reference.sql
	referenceSQL string
	//go:embed derived.sql
	derivedSQL string
	//go:embed periods.sql
	periodsSQL string
	//go:embed rollups.sql
	rollupsSQL string
	//go:embed national.sql
	nationalSQL string
)

// DB is an open warehouse.
type DB struct {
	*sql.DB
	Path    string
	Version string    // the data version: changes whenever any input changes; keys caches
	DataEnd time.Time // last day covered by service contacts
}

// Options for opening DuckDB. Extensions are never installed or loaded on demand: a query that
// needs a missing one fails at once instead of waiting on a network that is not there.
const dsnOptions = "autoinstall_known_extensions=false&autoload_known_extensions=false"

// WritableDSN is how a warehouse file is opened to be built or loaded into: extensions as above,
// and DuckDB's memory capped at BuildMemory.
func WritableDSN(file string) string {
	return file + "?" + dsnOptions + "&memory_limit=" + BuildMemory
}

// Open opens a warehouse file read-only.
func Open(ctx context.Context, file string) (*DB, error) { return open(ctx, file, file) }

func open(ctx context.Context, file, path string) (*DB, error) {
	if _, err := os.Stat(file); err != nil {
		return nil, fmt.Errorf("warehouse %s: %w", file, err)
	}
	// read-only, and no reading or writing of other files: read_csv('/etc/passwd') in an
	// analyst's SQL fails, whatever the statement
	connector, err := duckdb.NewConnector(path+"?access_mode=READ_ONLY&enable_external_access=false&"+dsnOptions, nil)
	if err != nil {
		return nil, fmt.Errorf("opening warehouse %s: %w", file, err)
	}
	db := sql.OpenDB(connector)
	var version, end string
	var salted bool
	err = db.QueryRowContext(ctx, `SELECT
			max(value) FILTER (WHERE key = 'data_version'),
			max(value) FILTER (WHERE key = 'synthetic_end'),
			count(*) FILTER (WHERE key = 'record_key_salt') > 0
		FROM metadata`).Scan(&version, &end, &salted)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("warehouse %s has no metadata table (not built by hubs?): %w", file, err)
	}
	if !salted {
		// built before the cell key method: its rollups have no cell keys, so every protected
		// figure would fail; say so plainly rather than with DuckDB's error on the first page
		db.Close()
		return nil, fmt.Errorf("warehouse %s was built by an older hubs, before figures were protected by the cell key method: "+
			"build it again (hubs demo --db FILE, or hubs demo --scale national --db FILE) and load the council's records into it (hubs load)", file)
	}
	if missing, err := missingTables(ctx, db); err != nil || len(missing) > 0 {
		db.Close()
		if err != nil {
			return nil, fmt.Errorf("warehouse %s: %w", file, err)
		}
		return nil, fmt.Errorf("warehouse %s was built by an older hubs: it has no %s table (and the questions read them): "+
			"build it again (hubs demo --db FILE, or hubs demo --scale national --db FILE) and load the council's records into it (hubs load)", file, strings.Join(missing, ", "))
	}
	dataEnd, err := time.Parse(time.DateOnly, end)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("warehouse %s: metadata synthetic_end %q is not a date", file, end)
	}
	return &DB{DB: db, Path: file, Version: version, DataEnd: dataEnd}, nil
}

// schemaTables are the tables schema.sql creates: a warehouse built before one was added is
// refused at open with what to do, not with DuckDB's error on the first page that reads it.
var schemaTables = regexp.MustCompile(`(?m)^CREATE TABLE (\w+)`).FindAllStringSubmatch(schemaSQL, -1)

func missingTables(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT table_name FROM duckdb_tables() WHERE NOT temporary")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		have[t] = true
	}
	var missing []string
	for _, m := range schemaTables {
		if !have[m[1]] {
			missing = append(missing, m[1])
		}
	}
	return missing, rows.Err()
}

// DemoVersion identifies the demo warehouse the embedded data and this code would build: a hash
// of every embedded dataset, the build SQL and the generator version.
func DemoVersion() (string, error) {
	h := sha256.New()
	io.WriteString(h, synthetic.Version)
	io.WriteString(h, RecordKeySalt())
	for _, s := range []string{schemaSQL, referenceSQL, derivedSQL, periodsSQL, rollupsSQL, nationalSQL, historiesSlotsSQL, historiesChildrenSQL} {
		io.WriteString(h, s)
	}
	io.WriteString(h, access.CentresSQL)
	h.Write(access.Centres)
	err := fs.WalkDir(datasets.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(datasets.FS, p)
		if err != nil {
			return err
		}
		io.WriteString(h, p)
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// CacheDir is where built demo warehouses are kept (package demo): $FAMILYHUBS_CACHE, else the user cache dir.
func CacheDir() (string, error) {
	if d := os.Getenv("FAMILYHUBS_CACHE"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "familyhubs"), nil
}

// Build writes to file the demo warehouse with its synthetic records appended straight to its
// tables, as the national demo is built. The demo a user runs is built through the door a
// council's records come through (package demo), and is tested equal to this. It builds into a
// temporary file beside it and renames
// it into place only when complete, so a failed or killed build leaves nothing half-made, and
// processes racing to build the same version each finish with a whole file.
func Build(ctx context.Context, file string) error {
	version, err := DemoVersion()
	if err != nil {
		return err
	}
	return buildInPlace(ctx, file, Scale{Version: version})
}

// Scale is how large a warehouse to build.
type Scale struct {
	Version string
	// National: every council in England gets families and contacts, with a synthetic network
	// (national.sql) where it has no network file.
	National bool
	// Contacts is about how many contacts to generate across England (national only).
	Contacts int
	// Progress, if set, hears how far a long build has got.
	Progress io.Writer
}

// BuildMemory caps DuckDB's memory while a warehouse is built or loaded: the rollups' distinct
// counts spill to disk beyond it rather than take the machine.
const BuildMemory = "1GB"

// NationalContacts is the national demo's default size.
const NationalContacts = 30_000_000

// BuildNational writes the national demo warehouse to file: every council of England, about
// `contacts` synthetic contacts, rollups and all, within modest memory.
func BuildNational(ctx context.Context, file string, contacts int, progress io.Writer) error {
	version, err := DemoVersion()
	if err != nil {
		return err
	}
	if contacts <= 0 {
		contacts = NationalContacts
	}
	version = fmt.Sprintf("national-%d-%s", contacts, version)
	return buildInPlace(ctx, file, Scale{Version: version, National: true, Contacts: contacts, Progress: progress})
}

func buildInPlace(ctx context.Context, file string, scale Scale) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), ".building-*.duckdb")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	tmp.Close()
	os.Remove(tmpName) // DuckDB creates the file itself
	defer os.Remove(tmpName)
	defer os.Remove(tmpName + ".wal")

	if err := build(ctx, tmpName, scale); err != nil {
		return fmt.Errorf("building warehouse: %w", err)
	}
	return os.Rename(tmpName, file)
}

func build(ctx context.Context, file string, scale Scale) error {
	began := time.Now()
	return WithConn(ctx, file, func(conn *sql.Conn) error {
		if err := base(ctx, conn, scale); err != nil {
			return err
		}
		if err := generate(ctx, conn, scale.Contacts, scale.Progress, nil); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, derivedSQL); err != nil {
			return fmt.Errorf("derived.sql: %w", err)
		}
		if err := summarise(ctx, conn, nil, scale.Progress, nil); err != nil {
			return err
		}
		if err := AddHistories(ctx, conn); err != nil {
			return err
		}
		return Stamp(ctx, conn, began)
	})
}

// BuildBase writes to file (which must not exist) the demo warehouse without the councils'
// records: reference data, networks, plans, the modelled care numbers and the metadata of a
// demo warehouse of this version, and no families, people or contacts. The demo warehouse is
// this with its synthetic records loaded through the door a council's records come through
// (package demo): GenerateRecords writes them, hubs load reads them.
func BuildBase(ctx context.Context, file string) error {
	version, err := DemoVersion()
	if err != nil {
		return err
	}
	return WithConn(ctx, file, func(conn *sql.Conn) error {
		if err := base(ctx, conn, Scale{Version: version}); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, derivedSQL); err != nil {
			return fmt.Errorf("derived.sql: %w", err)
		}
		_, err := conn.ExecContext(ctx, "CHECKPOINT")
		return err
	})
}

// GenerateRecords makes the demo's synthetic families, people and contacts of every council with
// a network in the warehouse file (a BuildBase warehouse) and gives them to w: the same records,
// in the same order, as Build appends to its own tables.
func GenerateRecords(ctx context.Context, file string, w synthetic.Writer) error {
	return WithConn(ctx, file, func(conn *sql.Conn) error {
		return generate(ctx, conn, 0, nil, w)
	})
}

// Stamp records in the metadata what a build cost (rows, seconds since began, peak memory), for
// hubs bench on a warehouse too big to rebuild there, and checkpoints the file.
func Stamp(ctx context.Context, conn Execer, began time.Time) error {
	_, err := conn.ExecContext(ctx, `DELETE FROM metadata WHERE key IN ('build_rows', 'build_seconds', 'build_peak_memory');
		INSERT INTO metadata
		SELECT 'build_rows', ((SELECT count(*) FROM contacts) + (SELECT count(*) FROM people) + (SELECT count(*) FROM families))::VARCHAR
		UNION ALL SELECT 'build_seconds', $1 UNION ALL SELECT 'build_peak_memory', $2`,
		fmt.Sprintf("%.1f", time.Since(began).Seconds()), PeakMemory())
	if err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, "CHECKPOINT")
	return err
}

// WithConn opens the warehouse file for writing (creating it), memory capped as a build's, and
// gives fn one connection to it.
func WithConn(ctx context.Context, file string, fn func(*sql.Conn) error) error {
	connector, err := duckdb.NewConnector(WritableDSN(file), nil)
	if err != nil {
		return err
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return fn(conn)
}

// base builds everything but the councils' records and what is computed from them.
func base(ctx context.Context, conn *sql.Conn, scale Scale) error {
	stage, err := os.MkdirTemp("", "familyhubs-stage-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(stage)
	parquets, err := fs.Glob(datasets.FS, "*.parquet")
	if err != nil {
		return err
	}
	for _, p := range parquets {
		b, err := fs.ReadFile(datasets.FS, p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(stage, p), b, 0o644); err != nil {
			return err
		}
	}
	// the access questions' postcode centres (package access), read by access.CentresSQL
	if err := os.WriteFile(filepath.Join(stage, access.CentresFile), access.Centres, 0o644); err != nil {
		return err
	}

	cs, err := councils.LoadAll(datasets.FS, "councils")
	if err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, schemaSQL); err != nil {
		return fmt.Errorf("schema.sql: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "INSERT INTO metadata VALUES ('record_key_salt', $1)", RecordKeySalt()); err != nil {
		return err
	}
	if err := loadNetworks(ctx, conn, cs); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "SET file_search_path = $1", stage); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, referenceSQL); err != nil {
		return fmt.Errorf("reference.sql: %w", err)
	}
	if _, err := conn.ExecContext(ctx, access.CentresSQL); err != nil {
		return fmt.Errorf("access/centres.sql: %w", err)
	}
	if err := checkNetworks(ctx, conn); err != nil {
		return err
	}
	if scale.National {
		if err := AddSyntheticNetworks(ctx, conn); err != nil {
			return err
		}
	}
	meta := [][2]string{
		{"data_version", scale.Version},
		{"scale", map[bool]string{false: "demo", true: "national"}[scale.National]},
		{"deprivation_editions", datasets.IoD2025 + "; " + datasets.IoD2019},
		{"population_edition", datasets.MidYear},
		{"synthetic_generator", synthetic.Version},
		{"synthetic_seed", fmt.Sprint(synthetic.Seed)},
		{"synthetic_start", synthetic.Start.Format(time.DateOnly)},
		{"synthetic_end", synthetic.End.Format(time.DateOnly)},
		{"attribution", datasets.OGL},
	}
	for _, kv := range meta {
		if _, err := conn.ExecContext(ctx, "INSERT INTO metadata VALUES ($1, $2)", kv[0], kv[1]); err != nil {
			return err
		}
	}
	_, err = conn.ExecContext(ctx, "DROP TABLE network_councils")
	return err
}

// loadNetworks appends the council network files: the councils with a network, their
// localities and their sites (each site placed in the LSOA holding its position).
func loadNetworks(ctx context.Context, conn *sql.Conn, cs []councils.Council) error {
	if _, err := conn.ExecContext(ctx, `CREATE TABLE network_councils (council_code VARCHAR, slug VARCHAR,
		transformation_fund BOOLEAN, predecessor_code VARCHAR, predecessor_name VARCHAR, predecessor_dfe_number INTEGER,
		network_file VARCHAR)`); err != nil {
		return err
	}
	return appendRows(conn, func(app func(table string, rows ...[]driver.Value) error) error {
		for _, c := range cs {
			err := app("network_councils", []driver.Value{c.Code, c.Slug, c.TransformationFund,
				nullable(c.Predecessor), nullable(c.PredecessorName), nullableInt(c.PredecessorDfENumber), c.File})
			if err != nil {
				return err
			}
			for _, l := range c.Localities {
				for _, w := range l.Wards {
					if err := app("localities", []driver.Value{c.Code, l.Name, w, l.Illustrative}); err != nil {
						return err
					}
				}
			}
			for _, k := range c.Candidates {
				if err := app("site_candidates", []driver.Value{k.ID, c.Code, k.Name, k.Kind, k.Lat, k.Lon, k.Illustrative, nullable(k.Note)}); err != nil {
					return err
				}
			}
			for _, m := range c.Plan {
				var entered, enteredOn driver.Value
				if m.Entered != nil {
					entered = *m.Entered
				}
				if m.EnteredOn != nil {
					enteredOn = *m.EnteredOn
				}
				// a line with its own start (a Best Start line) is judged from it
				start := c.PlanStart
				if !m.Start.IsZero() {
					start = m.Start
				}
				err := app("fund_plan", []driver.Value{c.Code, m.ID, m.Indicator, m.Measure, nullable(m.Unit), m.Baseline,
					m.Target, m.Due, start, entered, enteredOn, m.Illustrative, nullable(m.Note)})
				if err == nil {
					err = app("fund_plan_period", []driver.Value{c.Code, m.ID, m.Measure, m.Period, m.Programme})
				}
				if err != nil {
					return err
				}
			}
			lsoas, err := boundaries(c.Code)
			if err != nil {
				return err
			}
			for _, s := range c.Sites {
				var lsoa, lon, lat driver.Value
				if s.Kind != councils.Online {
					p := orb.Point{s.Lon, s.Lat}
					i := geo.Locate(lsoas, p)
					if i < 0 {
						return fmt.Errorf("%s: site %s (%s) at lat %.4f, lon %.4f is outside %s: correct its position",
							c.File, s.ID, s.Name, s.Lat, s.Lon, c.Name)
					}
					lsoa, lon, lat = lsoas[i].Code, s.Lon, s.Lat
				}
				var closed driver.Value
				if s.Closed != nil {
					closed = s.ClosedOn()
				}
				err := app("sites", []driver.Value{s.ID, c.Code, s.Name, s.Kind, nullable(s.Locality), lsoa, lon, lat,
					s.OpenedOn(), s.DesignatedOn(), closed, s.Illustrative, nullable(s.Note)})
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// checkNetworks fails the build, naming the file, when a council's network file disagrees with
// the geography: a ward it does not have, a ward left out, a site placed in another locality.
func checkNetworks(ctx context.Context, conn *sql.Conn) error {
	rows, err := conn.QueryContext(ctx, `
		SELECT c.network_file, format('locality "{}" names ward "{}", which is not a May 2025 ward of the council holding any LSOA',
		       l.locality, l.ward_name)
		FROM localities l JOIN councils c USING (council_code)
		WHERE NOT EXISTS (SELECT 1 FROM neighbourhoods n WHERE n.council_code = l.council_code AND n.ward_name = l.ward_name)
		UNION ALL
		SELECT c.network_file, format('site {} is in locality "{}" but its position is in ward "{}" of locality "{}": correct one of them',
		       s.site_id, s.locality, n.ward_name, coalesce(n.locality, '(none)'))
		FROM sites s JOIN councils c USING (council_code) JOIN neighbourhoods n USING (lsoa21_code)
		WHERE s.locality IS DISTINCT FROM n.locality
		UNION ALL
		SELECT network_file, format('ward "{}" (holding {} LSOAs) is in no locality: add it to one', ward_name, lsoas)
		FROM (SELECT c.network_file, n.ward_name, count(*) AS lsoas
		      FROM neighbourhoods n JOIN councils c USING (council_code)
		      WHERE c.has_network AND n.locality IS NULL
		      GROUP BY ALL)
		ORDER BY ALL`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var file, problem string
		if err := rows.Scan(&file, &problem); err != nil {
			return err
		}
		problems = append(problems, file+": "+problem)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}

// boundaries reads a council's embedded 2021 LSOA boundaries.
func boundaries(code string) ([]geo.Area, error) {
	b, err := ReadBoundary("lsoa21", code)
	if err != nil {
		return nil, err
	}
	return geo.ReadAreas(b, "LSOA21CD", "LSOA21NM")
}

// AddSyntheticNetworks gives every council without a network file a synthetic one
// (national.sql), as the national demo does before generating contacts.
func AddSyntheticNetworks(ctx context.Context, db Execer) error {
	if _, err := db.ExecContext(ctx, nationalSQL); err != nil {
		return fmt.Errorf("national.sql: %w", err)
	}
	return nil
}

// HasBoundaries says whether a council's boundaries are embedded (the five councils with
// published networks; the national demo's other councils have none).
func HasBoundaries(councilCode string) bool {
	_, err := fs.Stat(datasets.FS, path.Join("boundaries", "lsoa21", councilCode+".geojson.gz"))
	return err == nil
}

// ReadBoundary returns the GeoJSON of a council's boundaries; kind is lsoa21 or ward25.
func ReadBoundary(kind, councilCode string) ([]byte, error) {
	f, err := datasets.FS.Open(path.Join("boundaries", kind, councilCode+".geojson.gz"))
	if err != nil {
		return nil, fmt.Errorf("no %s boundaries for %s: %w", kind, councilCode, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, zr); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// generate makes the synthetic families, people and contacts of every council with a network,
// from the neighbourhoods, deprivation, population and sites already in the warehouse. When
// contacts > 0 every council's expected contacts are scaled so that England has about that many.
func generate(ctx context.Context, conn *sql.Conn, contacts int, progress io.Writer, to synthetic.Writer) error {
	var inputs []synthetic.Council
	codes, err := networkCouncils(ctx, conn)
	if err != nil {
		return err
	}
	for _, code := range codes {
		sc := synthetic.Council{Code: code}
		rows, err := conn.QueryContext(ctx, `
			SELECT n.lsoa21_code, coalesce(n.point_lon, 0), coalesce(n.point_lat, 0), d.idaci_decile,
			       list(p.persons ORDER BY p.age) AS ages
			FROM neighbourhoods n
			JOIN deprivation d ON d.lsoa21_code = n.lsoa21_code AND d.edition = 'IoD2025'
			JOIN population p ON p.lsoa21_code = n.lsoa21_code
			WHERE n.council_code = $1
			GROUP BY ALL ORDER BY n.lsoa21_code`, code)
		if err != nil {
			return err
		}
		for rows.Next() {
			var a synthetic.Area
			var ages duckdb.Composite[[]int32]
			if err := rows.Scan(&a.Code, &a.Point[0], &a.Point[1], &a.IDACIDecile, &ages); err != nil {
				rows.Close()
				return err
			}
			for i, n := range ages.Get() {
				a.Ages[i] = int(n)
			}
			sc.Areas = append(sc.Areas, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(sc.Areas) == 0 {
			return fmt.Errorf("council %s has no neighbourhoods in IoD2025", code)
		}
		if sc.Sites, err = councilSites(ctx, conn, code); err != nil {
			return err
		}
		inputs = append(inputs, sc)
	}
	if contacts > 0 {
		var total float64
		for _, sc := range inputs {
			total += synthetic.Expected(sc)
		}
		for i := range inputs {
			inputs[i].Scale = float64(contacts) / total
		}
	}

	if to != nil {
		for k, sc := range inputs {
			if err := synthetic.Generate(sc, int64(k+1)*1_000_000_000, to); err != nil {
				return err
			}
		}
		return nil
	}
	// Generate in one goroutine while the appender writes in this one: the two halves take about
	// as long as each other, and the machine has two cores. Rows arrive in generation order, so
	// the tables are the same row for row on every build.
	batches := make(chan rowBatch, 64)
	genErr := make(chan error, 1)
	stop := make(chan struct{})
	go func() {
		defer close(batches)
		w := &tableWriter{out: batches, stop: stop}
		for k, sc := range inputs {
			if err := synthetic.Generate(sc, int64(k+1)*1_000_000_000, w); err != nil {
				genErr <- err
				return
			}
			report(progress, "generated", k+1, len(inputs))
		}
		genErr <- w.flush()
	}()
	err = appendRows(conn, func(app func(table string, rows ...[]driver.Value) error) error {
		for b := range batches {
			if err := app(b.table, b.rows...); err != nil {
				close(stop)
				for range batches {
				}
				return err
			}
		}
		return nil
	})
	if gerr := <-genErr; gerr != nil && err == nil {
		err = gerr
	}
	return err
}

type rowBatch struct {
	table string
	rows  [][]driver.Value
}

// networkCouncils lists the councils with a network (file or synthetic), by code.
func networkCouncils(ctx context.Context, conn *sql.Conn) ([]string, error) {
	rows, err := conn.QueryContext(ctx, "SELECT council_code FROM councils WHERE has_network ORDER BY council_code")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var codes []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		codes = append(codes, c)
	}
	return codes, rows.Err()
}

// councilSites reads a council's sites in the order they were written (its network file's).
func councilSites(ctx context.Context, conn *sql.Conn, code string) ([]synthetic.Place, error) {
	rows, err := conn.QueryContext(ctx, `SELECT site_id, kind, coalesce(lon, 0), coalesce(lat, 0), opened, designated, closed
		FROM sites WHERE council_code = $1 ORDER BY rowid`, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []synthetic.Place
	for rows.Next() {
		var p synthetic.Place
		var closed sql.NullTime
		if err := rows.Scan(&p.ID, &p.Kind, &p.Point[0], &p.Point[1], &p.Opened, &p.Designated, &closed); err != nil {
			return nil, err
		}
		if closed.Valid {
			p.Closed = closed.Time
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// tableWriter turns generated records into batches of rows, one pending batch per table, for
// the appender goroutine.
type tableWriter struct {
	out     chan<- rowBatch
	stop    <-chan struct{}
	pending map[string][][]driver.Value
	order   []string
}

var errStopped = errors.New("append stopped")

const batchRows = 8192

func (w *tableWriter) add(table string, row []driver.Value) error {
	if w.pending == nil {
		w.pending = map[string][][]driver.Value{}
	}
	rows, ok := w.pending[table]
	if !ok {
		w.order = append(w.order, table)
	}
	rows = append(rows, row)
	if len(rows) >= batchRows {
		if err := w.send(table, rows); err != nil {
			return err
		}
		rows = make([][]driver.Value, 0, batchRows)
	}
	w.pending[table] = rows
	return nil
}

func (w *tableWriter) send(table string, rows [][]driver.Value) error {
	select {
	case w.out <- rowBatch{table, rows}:
		return nil
	case <-w.stop:
		return errStopped
	}
}

func (w *tableWriter) flush() error {
	for _, t := range w.order {
		if rows := w.pending[t]; len(rows) > 0 {
			if err := w.send(t, rows); err != nil {
				return err
			}
		}
		delete(w.pending, t)
	}
	w.order = nil
	return nil
}

func (w *tableWriter) Family(f synthetic.Family) error {
	return w.add("families", []driver.Value{f.ID, f.CouncilCode, f.LSOA})
}

func (w *tableWriter) Person(p synthetic.Person) error {
	var birth, send, relation driver.Value
	if p.Role == "child" {
		birth, send = p.BirthDate, p.SEND
	} else {
		relation = p.Relation
	}
	return w.add("people", []driver.Value{p.ID, p.FamilyID, p.Role, p.Sex, birth, send, relation})
}

func (w *tableWriter) Contact(c synthetic.Contact) error {
	var carer, site driver.Value
	if c.CarerID != 0 {
		carer = c.CarerID
	}
	if c.SiteID != "" {
		site = c.SiteID
	}
	return w.add("contacts", []driver.Value{c.ID, c.Date, c.CouncilCode, c.LSOA, site, c.Service, c.Channel,
		c.FamilyID, c.ChildID, carer, c.AgeBand})
}

// appendRows gives fill an append function backed by one DuckDB Appender per table, and flushes
// and closes them all at the end.
func appendRows(conn *sql.Conn, fill func(app func(table string, rows ...[]driver.Value) error) error) error {
	return conn.Raw(func(dc any) error {
		apps := map[string]*duckdb.Appender{}
		var order []string
		app := func(table string, rows ...[]driver.Value) error {
			a, ok := apps[table]
			if !ok {
				var err error
				a, err = duckdb.NewAppenderFromConn(dc.(driver.Conn), "", table)
				if err != nil {
					return fmt.Errorf("appending to %s: %w", table, err)
				}
				apps[table] = a
				order = append(order, table)
			}
			for _, r := range rows {
				if err := a.AppendRow(r...); err != nil {
					return fmt.Errorf("appending to %s: %w", table, err)
				}
			}
			return nil
		}
		err := fill(app)
		for _, t := range order {
			if cerr := apps[t].Close(); cerr != nil && err == nil {
				err = fmt.Errorf("appending to %s: %w", t, cerr)
			}
		}
		return err
	})
}

func nullable(s string) driver.Value {
	if s == "" {
		return nil
	}
	return s
}

func nullableInt(n int) driver.Value {
	if n == 0 {
		return nil
	}
	return int32(n)
}

// PeakMemory is this process's peak resident set (VmHWM), which counts DuckDB's own allocations.
func PeakMemory() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			var kb float64
			fmt.Sscan(f[1], &kb)
			return fmt.Sprintf("%.0f MB", kb/1024)
		}
	}
	return "unknown"
}

// DemoRecordKeySalt is the salt of the demo warehouses' record keys. It is public, like the
// demo's synthetic records: a council building a warehouse for its own records sets
// FAMILYHUBS_RECORD_KEY_SALT to a secret of its own before the build (see the README's methods).
const DemoRecordKeySalt = "familyhubs demo record keys 2026"

// RecordKeySalt is the salt a build gives the record keys of the cell key method:
// $FAMILYHUBS_RECORD_KEY_SALT, else the demo's.
func RecordKeySalt() string {
	if s := os.Getenv("FAMILYHUBS_RECORD_KEY_SALT"); s != "" {
		return s
	}
	return DemoRecordKeySalt
}

// Execer runs statements: *sql.Conn and *sql.Tx both do.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Rederive recomputes what is computed from councils' records after those of the councils
// named change: the modelled care numbers (derived.sql) and the councils' rollups.
func Rederive(ctx context.Context, db Querier, councils []string) error {
	if _, err := db.ExecContext(ctx, "DELETE FROM care_neighbourhood"); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, derivedSQL); err != nil {
		return fmt.Errorf("derived.sql: %w", err)
	}
	return Summarise(ctx, db, councils)
}

// Summarise lists the periods kept (periods.sql) and rebuilds the rollups (rollups.sql) of the
// councils named, or of every council with contacts when none are, leaving the others' as they
// were. It works a council at a time: the memory a distinct count needs is then one council's,
// not England's, and each council's rows are written together, so a page's question touches a
// few blocks of each rollup.
func Summarise(ctx context.Context, db Querier, councils []string) error {
	return summarise(ctx, db, councils, nil, nil)
}

// Span is a stretch of days: a load of one span changes only the contacts within it.
type Span struct{ Start, End time.Time }

// SummariseSpan rebuilds the rollups of the councils named for the periods that overlap the span
// only (its quarters and the financial years holding them), after a load replaced their contacts
// within it: the rows of every other period stay as they are, since their contacts did not change.
func SummariseSpan(ctx context.Context, db Querier, councils []string, span Span) error {
	return summarise(ctx, db, councils, nil, &span)
}

// RederiveSpan is Rederive after a load of one span: the councils in full are rebuilt whole (a
// family moved, so contacts outside the span moved with it), the others for the span's periods.
// The modelled tables (derived.sql) follow the networks only: they are recomputed when network
// says a council's localities changed.
func RederiveSpan(ctx context.Context, db Querier, councils, full []string, span Span, network bool) error {
	if network {
		if _, err := db.ExecContext(ctx, "DELETE FROM care_neighbourhood"); err != nil {
			return err
		}
		if _, err := db.ExecContext(ctx, derivedSQL); err != nil {
			return fmt.Errorf("derived.sql: %w", err)
		}
	}
	var part []string
	for _, c := range councils {
		if !slices.Contains(full, c) {
			part = append(part, c)
		}
	}
	if len(full) > 0 {
		if err := Summarise(ctx, db, full); err != nil {
			return err
		}
	}
	if len(part) > 0 {
		return SummariseSpan(ctx, db, part, span)
	}
	return nil
}

func summarise(ctx context.Context, db Querier, councils []string, progress io.Writer, span *Span) error {
	if len(councils) == 0 {
		rows, err := db.QueryContext(ctx, "SELECT DISTINCT council_code FROM contacts ORDER BY 1")
		if err != nil {
			return err
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return err
			}
			councils = append(councils, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if _, err := db.ExecContext(ctx, periodsSQL); err != nil {
		return fmt.Errorf("periods.sql: %w", err)
	}
	if _, err := db.ExecContext(ctx, "DELETE FROM rollup_only"); err != nil {
		return fmt.Errorf("rollups: %w", err)
	}
	if span != nil {
		if _, err := db.ExecContext(ctx, "INSERT INTO rollup_only SELECT period_start, period_end FROM rollup_periods WHERE period_start <= $1 AND period_end >= $2",
			span.End, span.Start); err != nil {
			return fmt.Errorf("rollups: %w", err)
		}
		defer db.ExecContext(ctx, "DELETE FROM rollup_only")
	}
	if _, err := db.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE rollup_councils (council_code VARCHAR PRIMARY KEY)"); err != nil {
		return fmt.Errorf("rollups: %w", err)
	}
	for i, c := range councils {
		if _, err := db.ExecContext(ctx, "DELETE FROM rollup_councils"); err != nil {
			return fmt.Errorf("rollups: %w", err)
		}
		if _, err := db.ExecContext(ctx, "INSERT INTO rollup_councils VALUES ($1)", c); err != nil {
			return fmt.Errorf("rollups: %w", err)
		}
		if _, err := db.ExecContext(ctx, rollupsSQL); err != nil {
			return fmt.Errorf("rollups.sql (%s): %w", c, err)
		}
		report(progress, "summarised", i+1, len(councils))
	}
	_, err := db.ExecContext(ctx, "DROP TABLE rollup_councils")
	return err
}

// report says how far a build has got, every tenth of the way, when anyone is listening.
func report(w io.Writer, what string, done, total int) {
	if w != nil && total > 0 && (done*10/total != (done-1)*10/total || done == total) {
		fmt.Fprintf(w, "%s %d of %d councils\n", what, done, total)
	}
}

// Querier runs statements and queries: *sql.Conn and *sql.Tx both do.
type Querier interface {
	Execer
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}
