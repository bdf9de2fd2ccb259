// Package queries holds the named questions the tool answers, one SQL file each, and runs them
// with bound parameters. Dashboards, briefings and returns all read through here, so a number
// cannot differ between a page, a PDF and a return.
//
// Each file starts with a header of `-- key: value` lines:
//
//	-- name: site_activity
//	-- answers: what the question answers, in one sentence
//	-- param: council VARCHAR the council's ONS code
//	-- units: column = unit; ...
//	-- source: where the numbers come from, with edition
//	-- status: synthetic, real, illustrative  the data status of the answer
//	-- counts: contacts, families            counts of people, under disclosure control; a column
//	                                         NAME_ckey beside a count is its cell key (stats/cellkey.go)
//	-- output: exact                         for the return and analysts only: no protected output serves it
//	-- totals: index; age_band               rows sharing these values add up to a shown total
//	-- rate: rate_per_1000 = children / residents * 1000    adds the rate and its 95% limits
//	-- proportion: share = reached / residents             adds a proportion and Wilson limits
//	-- finish: inequality                    a Go step (package measures) that completes the answer
//
// Parameters are named ($council) and always bound, never spliced into the text.
//
// The header is strict, and every rule below is checked when the package loads: init panics
// naming the file, as a malformed file is a build defect caught by every test run.
//
//   - The header is the file's comment lines up to the first line that is not one. A line
//     `-- word: ...` whose word is a single identifier (letters, digits, underscore) is a header
//     line, and its word must be one of the keys above; a misspelt or unknown key is refused,
//     never ignored. A comment line without that shape (`--      more of the line above`) is a
//     continuation or a remark, and is not read.
//   - name, answers, units, source and status are required. Only param, rate and proportion may
//     be given more than once.
//   - status is the data status of the answer: a comma-separated list, each once, drawn from
//     real (published figures), modelled (estimated from real figures by a written method),
//     synthetic (generated, such as the demo service contacts), illustrative (plausible but not
//     published: sites, dates and localities a council network file flags so) and council records
//     (a council's own exact records, loaded by hubs load-care, under the cell key method). It names every
//     kind of data the answer rests on, and a source that says SYNTHETIC or MODELLED must have
//     that status too.
//   - within: QUESTION on COLUMN declares that each row is the sum of QUESTION's rows with the
//     same COLUMN value; QUESTION must exist and both must count the same columns.
//   - A question whose SQL reads a rollup (any identifier ending _rollup, outside comments and
//     strings) must have a raw twin, queries/raw/NAME.sql, asking the same of raw contacts with
//     the same parameters. A twin never reads a rollup, and its header takes only name (the
//     question's), raw (what it is, continued on `--      ` lines) and param; it inherits the
//     rest, status included, from its question.
package queries

import (
	"bufio"
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"fmt"
	"io/fs"
	"math"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

//go:embed *.sql raw/*.sql
var files embed.FS

// Param is one named parameter of a query.
type Param struct {
	Name, Type, About string
}

// Derived is a column computed from a count and a denominator, with its confidence limits.
type Derived struct {
	Name, Count, Denominator string
	Per                      float64 // rates: per 1,000, 10,000...; proportions: 1 (or 100 for %)
	Kind                     string  // "rate" or "proportion"
}

// Query is one named question.
type Query struct {
	Name    string
	Answers string
	Params  []Param
	Units   string
	Source  string
	Counts  []string   // columns under disclosure control
	Totals  [][]string // each a set of columns: rows equal on them add up to a shown total
	Derived []Derived
	Finish  string
	// ExactOnly marks a question for the return and analysts only (header "output: exact"):
	// pages, the API and briefings refuse it.
	ExactOnly bool
	Status    []string // data status of the answer: real, modelled, synthetic, illustrative
	// Within names another question whose rows this one's rows sum, matched on a column both have
	// (header "within: QUESTION on COLUMN"): the answers layer then suppresses a sum that would
	// give away a single suppressed row of the other question by subtraction.
	Within *Within
	SQL    string
	File   string

	// RawSQL asks the same question of raw contacts (queries/raw/NAME.sql), for a question whose
	// SQL reads the rollups: the reference a test holds it to, the plain-DuckDB side of `hubs
	// bench`, and the answer for a period the rollups do not keep whole.
	RawSQL  string
	RawFile string
}

var registry = map[string]*Query{}

// init reads the questions, then their raw twins. A malformed file is a build defect, caught by
// every test run.
func init() {
	reg, err := load(files)
	if err != nil {
		panic(err)
	}
	registry = reg
}

// load reads the questions in fsys (NAME.sql) and their raw twins (raw/NAME.sql), and holds them
// to the rules of the package comment.
func load(fsys fs.FS) (map[string]*Query, error) {
	reg := map[string]*Query{}
	err := each(fsys, "*.sql", func(name, text string) error {
		q, err := parse(name, text)
		if err == nil {
			reg[q.Name] = q
		}
		return err
	})
	if err == nil {
		err = each(fsys, "raw/*.sql", func(name, text string) error { return attachRaw(reg, name, text) })
	}
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(reg))
	for name := range reg {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		q := reg[name]
		if rollups := readsRollup(q.SQL); len(rollups) > 0 && q.RawSQL == "" {
			return nil, fmt.Errorf("%s reads %s but has no raw twin queries/raw/%s.sql: a question over the rollups needs "+
				"one, the reference it is tested against and the answer for a period the rollups do not keep whole",
				q.File, strings.Join(rollups, ", "), name)
		}
		if w := q.Within; w != nil {
			other, ok := reg[w.Question]
			if !ok {
				return nil, fmt.Errorf("%s: within names %s, which is no question", q.File, w.Question)
			}
			for _, c := range q.Counts {
				if !slices.Contains(other.Counts, c) {
					return nil, fmt.Errorf("%s: within %s, but %s does not count %s", q.File, w.Question, w.Question, c)
				}
			}
		}
	}
	return reg, nil
}

func each(fsys fs.FS, pattern string, read func(name, text string) error) error {
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		return err
	}
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err == nil {
			err = read(n, string(b))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

var (
	// questionKeys are the header keys of a question, twinKeys those of a raw twin.
	questionKeys = []string{"name", "answers", "param", "units", "source", "status", "counts", "totals", "rate", "proportion", "finish", "within", "output"}
	twinKeys     = []string{"name", "raw", "param"}
	// repeatable are the keys that may be given more than once.
	repeatable = []string{"param", "rate", "proportion"}
	// statuses are the data statuses an answer may have.
	statuses = []string{"real", "modelled", "synthetic", "illustrative", "council records"}
)

// headerLine is one `-- key: value` line of a file's header; n is its line number.
type headerLine struct {
	key, value string
	n          int
}

// header reads the header of a file (path as shown in errors): its `-- key: value` lines, up to
// the first line that is not a comment. A key must be one of known, and only a repeatable key may
// come twice; a comment line not shaped `-- identifier:` is a continuation or a remark, skipped.
func header(path, text string, known []string) ([]headerLine, error) {
	var out []headerLine
	seen := map[string]int{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		body, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "--")
		if !ok {
			break
		}
		key, value, ok := strings.Cut(body, ":")
		if key = strings.TrimSpace(key); !ok || !isIdentifier(key) {
			continue
		}
		if !slices.Contains(known, key) {
			return nil, fmt.Errorf("%s:%d: unknown header key %q (a question's header takes %s; a raw twin's %s)",
				path, n, key, strings.Join(questionKeys, ", "), strings.Join(twinKeys, ", "))
		}
		if first, twice := seen[key]; twice && !slices.Contains(repeatable, key) {
			return nil, fmt.Errorf("%s:%d: header key %q given twice (first on line %d)", path, n, key, first)
		}
		seen[key] = n
		out = append(out, headerLine{key, strings.TrimSpace(value), n})
	}
	return out, sc.Err()
}

func isIdentifier(s string) bool {
	for i := 0; i < len(s); i++ {
		if !identByte(s[i], i == 0) {
			return false
		}
	}
	return s != ""
}

func identByte(c byte, first bool) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || !first && '0' <= c && c <= '9'
}

// readsRollup lists the identifiers in sql that end in _rollup (in any case, quoted or not): the
// summaries warehouse/rollups.sql keeps. Comments and string literals are skipped.
func readsRollup(sql string) []string {
	var found []string
	add := func(id string) {
		if strings.HasSuffix(strings.ToLower(id), "_rollup") && !slices.Contains(found, id) {
			found = append(found, id)
		}
	}
	for i := 0; i < len(sql); {
		switch c := sql[i]; {
		case strings.HasPrefix(sql[i:], "--"):
			end := strings.IndexByte(sql[i:], '\n')
			if end < 0 {
				return found
			}
			i += end + 1
		case strings.HasPrefix(sql[i:], "/*"):
			end := strings.Index(sql[i+2:], "*/")
			if end < 0 {
				return found
			}
			i += 2 + end + 2
		case c == '\'' || c == '"':
			// a string or a quoted identifier, in which a doubled quote stands for one
			j := i + 1
			for ; j < len(sql); j++ {
				if sql[j] == c {
					if j+1 < len(sql) && sql[j+1] == c {
						j++
						continue
					}
					break
				}
			}
			if c == '"' {
				add(sql[i+1 : min(j, len(sql))])
			}
			i = j + 1
		case identByte(c, true):
			j := i + 1
			for j < len(sql) && identByte(sql[j], false) {
				j++
			}
			add(sql[i:j])
			i = j
		case '0' <= c && c <= '9':
			// a number, or the digits an identifier cannot start with: skip them all
			for i < len(sql) && identByte(sql[i], false) {
				i++
			}
		default:
			i++
		}
	}
	return found
}

// attachRaw gives a query its raw twin, which must take exactly the same parameters and read no
// rollup.
func attachRaw(reg map[string]*Query, file, text string) error {
	path := "queries/" + file
	name := strings.TrimSuffix(strings.TrimPrefix(file, "raw/"), ".sql")
	q, ok := reg[name]
	if !ok {
		return fmt.Errorf("%s: no query %s to be the raw twin of", path, name)
	}
	lines, err := header(path, text, twinKeys)
	if err != nil {
		return err
	}
	var named string
	var params []string
	for _, h := range lines {
		switch h.key {
		case "name":
			named = h.value
		case "param":
			f := strings.Fields(h.value)
			if len(f) == 0 {
				return fmt.Errorf("%s:%d: param line needs NAME TYPE description", path, h.n)
			}
			params = append(params, f[0])
		}
	}
	if named != name {
		return fmt.Errorf("%s: header name %q must match the file name", path, named)
	}
	if rollups := readsRollup(text); len(rollups) > 0 {
		return fmt.Errorf("%s reads %s: a raw twin asks its question of raw contacts, never of the rollups",
			path, strings.Join(rollups, ", "))
	}
	var want []string
	for _, p := range q.Params {
		want = append(want, p.Name)
		if !strings.Contains(text, "$"+p.Name) {
			return fmt.Errorf("%s: param %s is never used", path, p.Name)
		}
	}
	if strings.Join(params, ",") != strings.Join(want, ",") {
		return fmt.Errorf("%s: params %v differ from queries/%s.sql's %v", path, params, name, want)
	}
	q.RawSQL, q.RawFile = text, path
	return nil
}

func parse(file, text string) (*Query, error) {
	q := &Query{SQL: text, File: "queries/" + file}
	lines, err := header(q.File, text, questionKeys)
	if err != nil {
		return nil, err
	}
	for _, h := range lines {
		switch h.key {
		case "name":
			q.Name = h.value
		case "answers":
			q.Answers = h.value
		case "units":
			q.Units = h.value
		case "source":
			q.Source = h.value
		case "status":
			if q.Status, err = parseStatus(h.value); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", q.File, h.n, err)
			}
		case "counts":
			q.Counts = splitList(h.value, ",")
		case "totals":
			for _, g := range splitList(h.value, ";") {
				q.Totals = append(q.Totals, splitList(g, ","))
			}
		case "finish":
			q.Finish = h.value
		case "output":
			if h.value != "exact" {
				return nil, fmt.Errorf("%s:%d: output %q: the only value is exact (a question for returns and analysts, never a protected output)", q.File, h.n, h.value)
			}
			q.ExactOnly = true
		case "within":
			other, col, ok := strings.Cut(h.value, " on ")
			if !ok || strings.TrimSpace(other) == "" || strings.TrimSpace(col) == "" {
				return nil, fmt.Errorf("%s:%d: within %q: want QUESTION on COLUMN", q.File, h.n, h.value)
			}
			q.Within = &Within{Question: strings.TrimSpace(other), Column: strings.TrimSpace(col)}
		case "rate", "proportion":
			d, err := parseDerived(h.key, h.value)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", q.File, h.n, err)
			}
			q.Derived = append(q.Derived, d)
		case "param":
			f := strings.SplitN(h.value, " ", 3)
			if len(f) < 3 {
				return nil, fmt.Errorf("%s:%d: param line %q needs NAME TYPE description", q.File, h.n, h.value)
			}
			q.Params = append(q.Params, Param{Name: f[0], Type: f[1], About: f[2]})
		}
	}
	if q.Name+".sql" != file {
		return nil, fmt.Errorf("%s: header name %q must match the file name", q.File, q.Name)
	}
	if q.Answers == "" || q.Units == "" || q.Source == "" {
		return nil, fmt.Errorf("%s: header needs answers, units and source", q.File)
	}
	if q.Status == nil {
		return nil, fmt.Errorf("%s: header needs status: the data status of the answer, a comma-separated list of %s",
			q.File, strings.Join(statuses, ", "))
	}
	for _, m := range [][2]string{{"SYNTHETIC", "synthetic"}, {"MODELLED", "modelled"}, {"COUNCIL RECORDS", "council records"}} {
		if strings.Contains(q.Source, m[0]) && !slices.Contains(q.Status, m[1]) {
			return nil, fmt.Errorf("%s: source says %s but status %q leaves out %s", q.File, m[0], strings.Join(q.Status, ", "), m[1])
		}
	}
	for _, p := range q.Params {
		if !strings.Contains(text, "$"+p.Name) {
			return nil, fmt.Errorf("%s: param %s is declared but never used", q.File, p.Name)
		}
	}
	return q, nil
}

// Within says that a question's rows are sums of another question's rows with the same value
// in Column (rows of the other question where Column is empty belong to no sum).
type Within struct{ Question, Column string }

// parseStatus reads a status line: a comma-separated list drawn from statuses, each once.
func parseStatus(value string) ([]string, error) {
	if value == "" {
		return nil, fmt.Errorf("status is empty: give the data status of the answer, a comma-separated list of %s",
			strings.Join(statuses, ", "))
	}
	var out []string
	for _, s := range strings.Split(value, ",") {
		s = strings.TrimSpace(s)
		if !slices.Contains(statuses, s) {
			return nil, fmt.Errorf("status %q: %q is not one of %s", value, s, strings.Join(statuses, ", "))
		}
		if slices.Contains(out, s) {
			return nil, fmt.Errorf("status %q: %s is given twice", value, s)
		}
		out = append(out, s)
	}
	return out, nil
}

// Synthetic says whether the answer rests on synthetic (generated) data.
func (q *Query) Synthetic() bool { return slices.Contains(q.Status, "synthetic") }

// Modelled says whether the answer rests on modelled figures, estimated from real ones.
func (q *Query) Modelled() bool { return slices.Contains(q.Status, "modelled") }

// Illustrative says whether the answer rests on illustrative facts: plausible, not published.
func (q *Query) Illustrative() bool { return slices.Contains(q.Status, "illustrative") }

func splitList(s, sep string) []string {
	var out []string
	for _, f := range strings.Split(s, sep) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// parseDerived reads "NAME = COUNT / DENOMINATOR [* PER]".
func parseDerived(kind, s string) (Derived, error) {
	name, expr, ok := strings.Cut(s, "=")
	if !ok {
		return Derived{}, fmt.Errorf("%s %q: want NAME = COUNT / DENOMINATOR [* PER]", kind, s)
	}
	d := Derived{Name: strings.TrimSpace(name), Kind: kind, Per: 1}
	expr, per, hasPer := strings.Cut(expr, "*")
	if hasPer {
		f, err := strconv.ParseFloat(strings.TrimSpace(per), 64)
		if err != nil || f <= 0 {
			return Derived{}, fmt.Errorf("%s %q: the multiplier must be a positive number", kind, s)
		}
		d.Per = f
	}
	count, denom, ok := strings.Cut(expr, "/")
	if !ok {
		return Derived{}, fmt.Errorf("%s %q: want NAME = COUNT / DENOMINATOR [* PER]", kind, s)
	}
	d.Count, d.Denominator = strings.TrimSpace(count), strings.TrimSpace(denom)
	return d, nil
}

// All lists the queries by name.
func All() []*Query {
	out := make([]*Query, 0, len(registry))
	for _, q := range registry {
		out = append(out, q)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Get finds a query by name.
func Get(name string) (*Query, error) {
	q, ok := registry[name]
	if !ok {
		var names []string
		for _, q := range All() {
			names = append(names, q.Name)
		}
		return nil, fmt.Errorf("no query named %q (there are: %s)", name, strings.Join(names, ", "))
	}
	return q, nil
}

// Args are a query's parameter values by name. Values not declared by the query are ignored, so
// callers may pass one set of filters (council, period) to any query.
type Args map[string]any

// Result is a query's answer.
type Result struct {
	Query   *Query
	Args    Args
	Columns []string
	Rows    [][]any
	Notes   []string // what a reader must know: editions, methods, disclosure control applied
	Raw     bool     // answered from raw contacts rather than the rollups
}

// Querier is what Run needs: *sql.DB, *sql.Conn and *sql.Tx all are.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Run answers the query with args bound by name: from the rollups the warehouse keeps when it
// keeps the period asked about whole, otherwise from raw contacts.
func (q *Query) Run(ctx context.Context, db Querier, args Args) (*Result, error) {
	if q.RawSQL != "" && (!q.Kept(args) || ctx.Value(rawOnly{}) != nil) {
		return q.run(ctx, db, args, q.RawSQL, true)
	}
	return q.run(ctx, db, args, q.SQL, false)
}

type rawOnly struct{}

// RawOnly returns a context under which every question is answered from raw contacts, as plain
// DuckDB would without the rollups: how `hubs bench` times a whole page both ways.
func RawOnly(ctx context.Context) context.Context { return context.WithValue(ctx, rawOnly{}, true) }

// RunRaw answers the query from raw contacts, never the rollups (for a question that reads no
// contacts, the same as Run).
func (q *Query) RunRaw(ctx context.Context, db Querier, args Args) (*Result, error) {
	if q.RawSQL == "" {
		return q.run(ctx, db, args, q.SQL, false)
	}
	return q.run(ctx, db, args, q.RawSQL, true)
}

// Kept says whether the rollups hold the answer for these args: the question takes no period,
// or its period is a whole financial-year quarter or financial year (the periods the rollups
// keep; see warehouse/rollups.sql).
func (q *Query) Kept(args Args) bool {
	start, ok1 := asDay(args["period_start"])
	end, ok2 := asDay(args["period_end"])
	if !q.takes("period_start") && !q.takes("period_end") {
		return true
	}
	if !ok1 || !ok2 {
		return false
	}
	return KeptPeriod(start, end)
}

// KeptPeriod says whether start..end (both included) is a financial-year quarter or a
// financial year.
func KeptPeriod(start, end time.Time) bool {
	if start.Day() != 1 || (start.Month()-1)%3 != 0 {
		return false
	}
	quarter := end.Equal(start.AddDate(0, 3, -1))
	year := start.Month() == time.April && end.Equal(start.AddDate(1, 0, -1))
	return quarter || year
}

// PublishablePeriod says whether start..end (both included) is a whole calendar month, a
// financial-year quarter or a financial year: the only periods a protected output shows.
func PublishablePeriod(start, end time.Time) bool {
	month := start.Day() == 1 && end.Equal(start.AddDate(0, 1, -1))
	return month || KeptPeriod(start, end)
}

// Period is the period the args ask about, if they name one (period_start and period_end).
func (a Args) Period() (start, end time.Time, ok bool) {
	s, ok1 := asDay(a["period_start"])
	e, ok2 := asDay(a["period_end"])
	return s, e, ok1 && ok2
}

func (q *Query) takes(name string) bool {
	for _, p := range q.Params {
		if p.Name == name {
			return true
		}
	}
	return false
}

func asDay(v any) (time.Time, bool) {
	switch d := v.(type) {
	case time.Time:
		return d, d.Equal(d.Truncate(24 * time.Hour))
	case string:
		t, err := time.Parse(time.DateOnly, d)
		return t, err == nil
	}
	return time.Time{}, false
}

func (q *Query) run(ctx context.Context, db Querier, args Args, text string, raw bool) (*Result, error) {
	var bound []any
	used := Args{}
	for _, p := range q.Params {
		v, ok := args[p.Name]
		if !ok {
			return nil, fmt.Errorf("query %s needs parameter %s (%s)", q.Name, p.Name, p.About)
		}
		bound = append(bound, sql.Named(p.Name, v))
		used[p.Name] = v
	}
	rows, err := query(ctx, db, text, bound)
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", q.Name, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	res := &Result{Query: q, Args: used, Columns: cols, Raw: raw}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		res.Rows = append(res.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query %s: %w", q.Name, err)
	}
	return res, nil
}

// pool is a database handle that outlives a request (*sql.DB, or a type embedding it), unlike a
// *sql.Conn or *sql.Tx: its prepared statements may be kept.
type pool interface {
	Querier
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
	Driver() driver.Driver
}

type stmtKey struct {
	db   pool
	text string
}

// statements keeps each question's prepared statement per database: DuckDB then parses and plans
// it once, not on every request, which is most of the time a question over the rollups takes.
var statements sync.Map // stmtKey -> *sql.Stmt

func query(ctx context.Context, db Querier, text string, args []any) (*sql.Rows, error) {
	p, ok := db.(pool)
	if !ok {
		return db.QueryContext(ctx, text, args...)
	}
	k := stmtKey{p, text}
	st, ok := statements.Load(k)
	if !ok {
		fresh, err := p.PrepareContext(ctx, text)
		if err != nil {
			return nil, err
		}
		var loaded bool
		if st, loaded = statements.LoadOrStore(k, fresh); loaded {
			fresh.Close()
		}
	}
	return st.(*sql.Stmt).QueryContext(ctx, args...)
}

// Col returns the index of a column, or -1.
func (r *Result) Col(name string) int {
	for i, c := range r.Columns {
		if c == name {
			return i
		}
	}
	return -1
}

// MustCol returns the index of a column, and panics if the answer has no column of that name: a
// misspelt or renamed column is a defect to fail on loudly, never a cell to read as empty.
func (r *Result) MustCol(name string) int {
	if i := r.Col(name); i >= 0 {
		return i
	}
	query := "?"
	if r.Query != nil {
		query = r.Query.Name
	}
	panic(fmt.Sprintf("query %s has no column %s (columns: %s)", query, name, strings.Join(r.Columns, ", ")))
}

// Float reads the number in a row's column (see MustCol): false for NULL, NaN, an infinity, text,
// or anything else not a number, such as a value disclosure control suppressed.
func (r *Result) Float(row []any, col string) (float64, bool) {
	switch x := row[r.MustCol(col)].(type) {
	case float64:
		return x, !math.IsNaN(x) && !math.IsInf(x, 0)
	case float32:
		return float64(x), !math.IsNaN(float64(x)) && !math.IsInf(float64(x), 0)
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case int16:
		return float64(x), true
	case int8:
		return float64(x), true
	case int:
		return float64(x), true
	case uint64:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint16:
		return float64(x), true
	case uint8:
		return float64(x), true
	case uint:
		return float64(x), true
	case *big.Int:
		if x == nil {
			return 0, false
		}
		f, _ := new(big.Float).SetInt(x).Float64()
		return f, !math.IsInf(f, 0)
	case interface{ Float64() float64 }: // a DECIMAL
		f := x.Float64()
		return f, !math.IsNaN(f) && !math.IsInf(f, 0)
	}
	return 0, false
}

// Str reads a row's column as text, as Text prints it (see MustCol).
func (r *Result) Str(row []any, col string) string { return Text(row[r.MustCol(col)]) }

// Period is a span of days, both ends included, as councils report: a financial year (April to
// March), a quarter of one, or a calendar month.
type Period struct {
	Label      string
	Start, End time.Time
}

// ParsePeriod reads "2024-25" (financial year), "2024-25Q1" (April-June 2024), "2024-06" (a month)
// or "2019-04-01..2025-03-31".
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	if a, b, ok := strings.Cut(s, ".."); ok {
		start, err1 := time.Parse(time.DateOnly, a)
		end, err2 := time.Parse(time.DateOnly, b)
		if err1 != nil || err2 != nil || end.Before(start) {
			return Period{}, fmt.Errorf("period %q: want FROM..TO as YYYY-MM-DD..YYYY-MM-DD, FROM not after TO", s)
		}
		return Period{Label: s, Start: start, End: end}, nil
	}
	var y, y2, q int
	if n, _ := fmt.Sscanf(s, "%4d-%2dQ%1d", &y, &y2, &q); n == 3 && len(s) == 9 {
		if (y+1)%100 != y2 || q < 1 || q > 4 {
			return Period{}, fmt.Errorf("period %q: a quarter is like 2024-25Q1 (Q1 = April-June)", s)
		}
		start := day(y, time.April, 1).AddDate(0, 3*(q-1), 0)
		return Period{Label: s, Start: start, End: start.AddDate(0, 3, -1)}, nil
	}
	if n, _ := fmt.Sscanf(s, "%4d-%2d", &y, &y2); n == 2 && len(s) == 7 {
		if (y+1)%100 == y2 {
			return Period{Label: s, Start: day(y, time.April, 1), End: day(y+1, time.March, 31)}, nil
		}
		if y2 >= 1 && y2 <= 12 {
			start := day(y, time.Month(y2), 1)
			return Period{Label: s, Start: start, End: start.AddDate(0, 1, -1)}, nil
		}
	}
	return Period{}, fmt.Errorf("period %q: use a financial year (2024-25), a quarter (2024-25Q1), a month (2024-06) or FROM..TO", s)
}

// FinancialYear is the financial year holding day d, e.g. "2024-25".
func FinancialYear(d time.Time) string {
	y := d.Year()
	if d.Month() < time.April {
		y--
	}
	return fmt.Sprintf("%d-%02d", y, (y+1)%100)
}

// LatestCompleteYear is the last financial year that ends on or before dataEnd.
func LatestCompleteYear(dataEnd time.Time) Period {
	y := dataEnd.Year()
	if dataEnd.Before(time.Date(y, time.March, 31, 0, 0, 0, 0, time.UTC)) {
		y--
	}
	p, _ := ParsePeriod(fmt.Sprintf("%d-%02d", y-1, y%100))
	return p
}

// Council is a council as the councils query lists it.
type Council struct {
	Code, Name, Slug string
	HasNetwork       bool
}

// FindCouncil resolves a council named by ONS code or slug (case does not matter).
func FindCouncil(ctx context.Context, db Querier, s string) (Council, error) {
	q, err := Get("councils")
	if err != nil {
		return Council{}, err
	}
	res, err := q.Run(ctx, db, nil)
	if err != nil {
		return Council{}, err
	}
	return CouncilIn(res, s)
}

// CouncilIn finds a council by code or slug in an answer of the councils query (which callers
// may have cached).
func CouncilIn(res *Result, s string) (Council, error) {
	want := strings.ToLower(strings.TrimSpace(s))
	code, name, slug, net := res.Col("council_code"), res.Col("name"), res.Col("slug"), res.Col("has_network")
	var withNetwork []string
	for _, row := range res.Rows {
		c := Council{Code: Text(row[code]), Name: Text(row[name]), Slug: Text(row[slug]), HasNetwork: row[net] == true}
		if strings.ToLower(c.Code) == want || c.Slug == want {
			return c, nil
		}
		if c.HasNetwork {
			withNetwork = append(withNetwork, c.Slug)
		}
	}
	return Council{}, fmt.Errorf("no council %q: use an ONS code (E08000007) or a slug; councils with hub networks: %s",
		s, strings.Join(withNetwork, ", "))
}

// Filters are what a person chooses on a page or the command line. Every query takes what it
// declares of them; the empty locality and service mean all.
type Filters struct {
	Council  Council
	Period   Period
	Locality string
	Service  string
}

// Args gives the filters as query parameters.
func (f Filters) Args() Args {
	return Args{"council": f.Council.Code, "period_start": f.Period.Start, "period_end": f.Period.End,
		"locality": f.Locality, "service": f.Service}
}
