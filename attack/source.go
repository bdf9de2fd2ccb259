package attack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"familyhubs/answers"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
	"familyhubs/warehouse"
)

// Kind says what a published cell holds.
type Kind uint8

const (
	Empty  Kind = iota // null: nothing published
	Number             // a number as published (possibly rounded or perturbed)
	Text               // text, dates, true/false
	Hidden             // a suppressed value: only its symbol and reason are published
)

// Cell is one published value.
type Cell struct {
	Kind   Kind
	Num    float64 // Number
	Text   string  // Text; a Hidden cell's symbol
	Reason string  // why a Hidden cell is hidden
}

func (c Cell) String() string {
	switch c.Kind {
	case Number:
		return strconv.FormatFloat(c.Num, 'f', -1, 64)
	case Text, Hidden:
		return c.Text
	}
	return ""
}

// Table is a published answer: exactly what a reader of the API sees.
type Table struct {
	Columns []string
	Rows    [][]Cell
	once    sync.Once
	index   map[string]int
}

// Col is a column's index, or -1. Safe to call from several goroutines.
func (t *Table) Col(name string) int {
	t.once.Do(func() {
		t.index = make(map[string]int, len(t.Columns))
		for i, c := range t.Columns {
			t.index[c] = i
		}
	})
	if i, ok := t.index[name]; ok {
		return i
	}
	return -1
}

// Cell is a row's cell in the named column (Empty when the table has no such column).
func (t *Table) Cell(row int, col string) Cell {
	i := t.Col(col)
	if i < 0 {
		return Cell{}
	}
	return t.Rows[row][i]
}

// Str is a row's cell as text.
func (t *Table) Str(row int, col string) string { return t.Cell(row, col).String() }

// Source publishes tables: the answer to a named question for a view (council, period, locality,
// service, disclosure), as a reader gets it. The attacker reads nothing else.
type Source interface {
	Get(ctx context.Context, question string, view url.Values) (*Table, error)
}

// HTTP reads the running server's API: GET {base}/api/queries/{question}?{view}, as JSON.
func HTTP(baseURL string, client *http.Client) Source {
	if client == nil {
		client = http.DefaultClient
	}
	return httpSource{base: strings.TrimRight(baseURL, "/"), client: client}
}

type httpSource struct {
	base   string
	client *http.Client
}

func (s httpSource) Get(ctx context.Context, question string, view url.Values) (*Table, error) {
	u := s.base + "/api/queries/" + url.PathEscape(question) + "?" + view.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %s", u, resp.Status, strings.TrimSpace(string(body)))
	}
	return decodeJSON(body)
}

// decodeJSON reads the API's answer ({"columns": [...], "rows": [{column: value}]}); a hidden
// value is published as {"suppressed": "c", "reason": "..."}.
func decodeJSON(body []byte) (*Table, error) {
	var doc struct {
		Columns []string                     `json:"columns"`
		Rows    []map[string]json.RawMessage `json:"rows"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, err
	}
	t := &Table{Columns: doc.Columns, Rows: make([][]Cell, len(doc.Rows))}
	for r, m := range doc.Rows {
		row := make([]Cell, len(doc.Columns))
		for i, c := range doc.Columns {
			cell, err := jsonCell(m[c])
			if err != nil {
				return nil, fmt.Errorf("row %d, %s: %w", r, c, err)
			}
			row[i] = cell
		}
		t.Rows[r] = row
	}
	return t, nil
}

func jsonCell(raw json.RawMessage) (Cell, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return Cell{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return Cell{}, err
	}
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return Cell{}, err
		}
		return Cell{Kind: Number, Num: f}, nil
	case string:
		return Cell{Kind: Text, Text: x}, nil
	case bool:
		return Cell{Kind: Text, Text: strconv.FormatBool(x)}, nil
	case map[string]any:
		if sym, ok := x["suppressed"].(string); ok {
			reason, _ := x["reason"].(string)
			return Cell{Kind: Hidden, Text: sym, Reason: reason}, nil
		}
	}
	return Cell{Kind: Text, Text: string(raw)}, nil
}

// InProcess publishes each question as measures.Run answers it under policy, one table at a
// time, converted as the API converts it (a stats.Suppressed value is Hidden). The view is read
// as the API reads it (answers.Parse); its disclosure parameter is ignored: the policy is fixed.
// It refuses stats.Exact: the attacker only ever reads protected outputs.
func InProcess(db queries.Querier, policy stats.Policy) Source {
	version, end := "attack", time.Time{}
	if w, ok := db.(*warehouse.DB); ok {
		version, end = w.Version, w.DataEnd
	}
	return inProcess{db: db, policy: policy, answers: answers.New(db, version, end)}
}

type inProcess struct {
	db      queries.Querier
	policy  stats.Policy
	answers *answers.Service
}

func (s inProcess) Get(ctx context.Context, question string, view url.Values) (*Table, error) {
	if s.policy.Name == stats.Exact.Name {
		return nil, fmt.Errorf("the attacker reads protected outputs only, not %s", s.policy.Name)
	}
	q := url.Values{}
	for k, v := range view {
		if k != "disclosure" {
			q[k] = v
		}
	}
	v, err := s.answers.Parse(ctx, q)
	if err != nil {
		return nil, err
	}
	res, err := measures.Run(ctx, s.db, question, v.Args(), s.policy)
	if err != nil {
		return nil, err
	}
	return FromResult(res), nil
}

// FromResult converts an answer as the API publishes it: numbers, text, and hidden values.
func FromResult(res *queries.Result) *Table {
	t := &Table{Columns: append([]string(nil), res.Columns...), Rows: make([][]Cell, len(res.Rows))}
	for r, row := range res.Rows {
		cells := make([]Cell, len(row))
		for i, v := range row {
			cells[i] = resultCell(v)
		}
		t.Rows[r] = cells
	}
	return t
}

func resultCell(v any) Cell {
	switch x := v.(type) {
	case nil:
		return Cell{}
	case stats.Suppressed:
		return Cell{Kind: Hidden, Text: x.Symbol, Reason: x.Reason}
	case *stats.Suppressed:
		return Cell{Kind: Hidden, Text: x.Symbol, Reason: x.Reason}
	case bool:
		return Cell{Kind: Text, Text: strconv.FormatBool(x)}
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return Cell{Kind: Number, Num: f}
	}
	if f, ok := measures.Number(v); ok {
		return Cell{Kind: Number, Num: f}
	}
	return Cell{Kind: Text, Text: queries.Text(v)}
}

// Cached keeps every table a source gives, per question and view, and asks the source once for
// each even when asked concurrently.
func Cached(src Source) Source {
	if c, ok := src.(*cache); ok {
		return c
	}
	return &cache{src: src, entries: map[string]*entry{}}
}

type cache struct {
	src     Source
	mu      sync.Mutex
	entries map[string]*entry
}

type entry struct {
	once  sync.Once
	table *Table
	err   error
}

func (c *cache) Get(ctx context.Context, question string, view url.Values) (*Table, error) {
	key := question + "?" + view.Encode()
	c.mu.Lock()
	e, ok := c.entries[key]
	if !ok {
		e = &entry{}
		c.entries[key] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.table, e.err = c.src.Get(ctx, question, view) })
	return e.table, e.err
}
