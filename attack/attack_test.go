package attack

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"net/url"

	"strings"
	"sync"
	"testing"
	"time"

	"familyhubs/answers"
	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/server"
	"familyhubs/stats"
	"familyhubs/warehouse"
)

var ctx = context.Background()

// The views attacked for each council: a financial year, its quarters and the months of its
// first quarter; the whole council and its smallest locality; all services and two small ones.
var (
	periods  = []string{"2024-25", "2024-25Q1", "2024-25Q2", "2024-25Q3", "2024-25Q4", "2024-04", "2024-05", "2024-06"}
	services = []string{"", "perinatal_mental_health", "infant_feeding"}
)

// matrix lists the views for every demo council with a hub network, under a disclosure
// parameter. The smallest locality is found from what src publishes (children resident).
func matrix(t *testing.T, db *warehouse.DB, src Source, disclosure string) []url.Values {
	t.Helper()
	a := answers.New(db, db.Version, db.DataEnd)
	councils, _, err := a.Councils(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var views []url.Values
	n := 0
	for _, c := range councils {
		if !c.HasNetwork {
			continue
		}
		n++
		base := url.Values{"council": {c.Slug}, "period": {periods[0]}}
		if disclosure != "" {
			base.Set("disclosure", disclosure)
		}
		locs, err := src.Get(ctx, "reach_by_locality", base)
		if err != nil {
			t.Fatal(err)
		}
		smallest, least := "", -1.0
		for i := range locs.Rows {
			if r := num(locs.Cell(i, "children_resident")); least < 0 || r < least {
				smallest, least = locs.Str(i, "locality"), r
			}
		}
		if smallest == "" {
			t.Fatalf("%s: no locality published", c.Slug)
		}
		before := len(views)
		for _, p := range periods {
			for _, loc := range []string{"", smallest} {
				for _, s := range services {
					v := url.Values{"council": {c.Slug}, "period": {p}}
					if loc != "" {
						v.Set("locality", loc)
					}
					if s != "" {
						v.Set("service", s)
					}
					if disclosure != "" {
						v.Set("disclosure", disclosure)
					}
					views = append(views, v)
				}
			}
		}
		if len(views)-before < 10 {
			t.Fatalf("%s: only %d views", c.Slug, len(views)-before)
		}
	}
	if n < 5 {
		t.Fatalf("only %d demo councils with a network", n)
	}
	return views
}

// logRefused says which questions the source would not publish, once per question.
func logRefused(t *testing.T, refused []string) {
	t.Helper()
	n := map[string]int{}
	var first []string
	for _, r := range refused {
		q, _, _ := strings.Cut(r, "?")
		if n[q] == 0 {
			first = append(first, r)
		}
		n[q]++
	}
	for _, r := range first {
		q, _, _ := strings.Cut(r, "?")
		t.Logf("  %d tables of %s not published, e.g. %s", n[q], q, r)
	}
}

var (
	suppressionOnce sync.Once
	suppression     Source
)

// suppressionSource publishes under table-by-table suppression, in process, each table once for
// every test.
func suppressionSource(db *warehouse.DB) Source {
	suppressionOnce.Do(func() { suppression = Cached(InProcess(db, stats.Suppression)) })
	return suppression
}

// truth holds the exact answers, only to score the attacker: it never sees them.
type truth struct {
	db      *warehouse.DB
	answers *answers.Service
	mu      sync.Mutex
	tables  map[string]*truthEntry
}

type truthEntry struct {
	once sync.Once
	t    *Table
	err  error
}

func newTruth(db *warehouse.DB) *truth {
	return &truth{db: db, answers: answers.New(db, db.Version, db.DataEnd), tables: map[string]*truthEntry{}}
}

func (tr *truth) table(question string, view url.Values) (*Table, error) {
	q := url.Values{}
	for k, v := range view {
		if k != "disclosure" {
			q[k] = v
		}
	}
	key := question + "?" + q.Encode()
	tr.mu.Lock()
	e := tr.tables[key]
	if e == nil {
		e = &truthEntry{}
		tr.tables[key] = e
	}
	tr.mu.Unlock()
	e.once.Do(func() {
		v, err := tr.answers.Parse(ctx, q)
		if err != nil {
			e.err = err
			return
		}
		res, err := measures.Run(ctx, tr.db, question, v.Args(), stats.Exact)
		if err != nil {
			e.err = err
			return
		}
		e.t = FromResult(res)
	})
	return e.t, e.err
}

// value is the exact count in the recovered cell, checking the row is the same row.
func (tr *truth) value(r Recovery) (float64, error) {
	t, err := tr.table(r.Question, r.View)
	if err != nil {
		return 0, err
	}
	if r.Row >= len(t.Rows) {
		return 0, fmt.Errorf("%s %s: no row %d in the exact answer", r.Question, r.View.Encode(), r.Row)
	}
	if k := rowKey(&tableRef{question: r.Question, t: t}, r.Row); k != r.Key {
		return 0, fmt.Errorf("%s %s: row %d is %s exactly, %s as published", r.Question, r.View.Encode(), r.Row, k, r.Key)
	}
	c := t.Cell(r.Row, r.Column)
	if c.Kind != Number {
		return 0, fmt.Errorf("%s %s [%s] %s: exact answer has %v", r.Question, r.View.Encode(), r.Key, r.Column, c)
	}
	return c.Num, nil
}

// score is what an attack found, against the truth.
type score struct {
	recoveries, verified, chance int
	hits                         map[Family]int // verified, right, and the true count is 1 to 5
	wrong                        []string       // verified but not the true count
	chanceHits                   int            // unverified, yet right and 1 to 5
	examples                     []string
}

func (s score) total() int {
	n := 0
	for _, v := range s.hits {
		n += v
	}
	return n
}

func (s score) byFamily() string {
	var parts []string
	for _, f := range Families {
		parts = append(parts, fmt.Sprintf("%s %d", f, s.hits[f]))
	}
	return strings.Join(parts, ", ")
}

// scoreAll looks up the truth of every recovery, two tables at a time (one per core).
func scoreAll(t *testing.T, tr *truth, recs []Recovery) score {
	t.Helper()
	s := score{recoveries: len(recs), hits: map[Family]int{}}
	values := make([]float64, len(recs))
	errs := make([]error, len(recs))
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				values[i], errs[i] = tr.value(recs[i])
			}
		}()
	}
	for i, r := range recs {
		if r.Verified || (r.Value >= 1 && r.Value <= 5) { // a chance match of another value cannot score
			work <- i
		} else {
			values[i] = -1
		}
	}
	close(work)
	wg.Wait()
	for i, r := range recs {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		small := values[i] >= 1 && values[i] <= 5
		right := values[i] == r.Value
		if r.Verified {
			s.verified++
			if !right {
				s.wrong = append(s.wrong, fmt.Sprintf("%v (true %g)", r, values[i]))
			}
			if right && small {
				s.hits[r.Family]++
				if len(s.examples) < 10 {
					s.examples = append(s.examples, r.String())
				}
			}
		} else {
			s.chance++
			if right && small {
				s.chanceHits++
			}
		}
	}
	return s
}

// The attacker is real: against today's table-by-table suppression (each table protected alone,
// with secondary suppression within it) it works out counts of 1 to 5 from the published
// tables, and checks they are exact.
func TestAttackerBeatsTableByTableSuppression(t *testing.T) {
	start := time.Now()
	db := testdata.Warehouse(t)
	src := suppressionSource(db)
	views := matrix(t, db, src, "")
	a := New(src)
	a.Parallel = 2
	recs, err := a.All(ctx, views)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range a.Checks {
		t.Log("  check: " + c.String())
	}
	logRefused(t, a.Refused)
	s := scoreAll(t, newTruth(db), recs)
	t.Logf("%d counts hidden in the tables read", a.Hidden)
	t.Logf("stats.Suppression, %d views: %d recoveries, %d verified, %d chance matches (%d of them right and 1 to 5); in %s",
		len(views), s.recoveries, s.verified, s.chance, s.chanceHits, time.Since(start).Round(time.Millisecond))
	t.Logf("verified counts of 1 to 5 recovered: %d (%s)", s.total(), s.byFamily())
	for _, e := range s.examples {
		t.Log("  e.g. " + e)
	}
	if s.total() == 0 {
		t.Error("the attacker recovered no count of 1 to 5 from table-by-table suppression: it is not looking")
	}
	for i, w := range s.wrong {
		if i == 10 {
			t.Errorf("... and %d more", len(s.wrong)-10)
			break
		}
		t.Errorf("verified but wrong: %s", w)
	}
}

// Each family run alone finds what it claims to, over one council under table-by-table
// suppression, and whatever it verifies is right. Rates find nothing there (a rate on a hidden
// count is hidden too), nor does the NHS family (nothing is rounded).
func TestEachFamilyAlone(t *testing.T) {
	db := testdata.Warehouse(t)
	src := suppressionSource(db)
	var views []url.Values
	for _, v := range matrix(t, db, src, "") {
		if v.Get("council") == "stockport" {
			views = append(views, v)
		}
	}
	a := New(src)
	a.Parallel = 2
	tr := newTruth(db)
	for _, c := range []struct {
		family Family
		attack func(context.Context, []url.Values) ([]Recovery, error)
		finds  bool
	}{
		{Linked, a.LinkedTables, true}, {TotalsParts, a.TotalsAndParts, true}, {Periods, a.PeriodsAndSubPeriods, true},
		{Rates, a.RatesAndCounts, false}, {NHS, a.NHSAgainstRates, false},
	} {
		recs, err := c.attack(ctx, views)
		if err != nil {
			t.Fatal(err)
		}
		s := scoreAll(t, tr, recs)
		t.Logf("%s alone: %d verified counts of 1 to 5 (%d recoveries, %d verified)", c.family, s.total(), s.recoveries, s.verified)
		for _, w := range s.wrong {
			t.Errorf("%s: verified but wrong: %s", c.family, w)
		}
		if c.finds != (s.total() > 0) {
			t.Errorf("%s alone found %d verified counts of 1 to 5", c.family, s.total())
		}
		for _, r := range recs {
			if r.Verified && r.Family != c.family {
				t.Errorf("%s alone: a recovery labelled %s: %v", c.family, r.Family, r)
				break
			}
		}
	}
}

// What the server publishes, by default and under disclosure=nhs, gives the attacker no count of
// 1 to 5 it can check is exact, over the same views read through the API. Chance matches (values
// the attacker cannot check, right only by luck) are logged, not failed.
func TestPublishedOutputsSurviveTheAttacker(t *testing.T) {
	db := testdata.Warehouse(t)
	srv := httptest.NewServer(server.New(db, log.New(io.Discard, "", 0)))
	defer srv.Close()
	tr := newTruth(db)
	for _, disclosure := range []string{"", "nhs"} {
		name := disclosure
		if name == "" {
			name = "default"
		}
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			src := Cached(HTTP(srv.URL, srv.Client()))
			views := matrix(t, db, src, disclosure)
			a := New(src)
			a.Parallel = 4
			recs, err := a.All(ctx, views)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range a.Checks {
				t.Log("  check: " + c.String())
			}
			logRefused(t, a.Refused)
			s := scoreAll(t, tr, recs)
			t.Logf("%s over HTTP, %d views: %d recoveries, %d verified, %d chance matches (%d of them right and 1 to 5, by luck); in %s",
				name, len(views), s.recoveries, s.verified, s.chance, s.chanceHits, time.Since(start).Round(time.Millisecond))
			if n := s.total(); n > 0 {
				t.Errorf("%d verified counts of 1 to 5 recovered from what the server publishes (%s)", n, s.byFamily())
				for _, e := range s.examples {
					t.Log("  e.g. " + e)
				}
			}
			for i, w := range s.wrong {
				if i == 10 {
					t.Logf("... and %d more", len(s.wrong)-10)
					break
				}
				t.Logf("verified but wrong (the checks let through an inexact input): %s", w)
			}
		})
	}
}

// A hidden value reads the same in process and over HTTP: the symbol and its reason.
func TestSourcesReadHiddenCells(t *testing.T) {
	body := []byte(`{"columns":["a","b","c","d"],"rows":[{"a":1,"b":{"suppressed":"c","reason":"why"},"c":"x","d":null}]}`)
	got, err := decodeJSON(body)
	if err != nil {
		t.Fatal(err)
	}
	want := []Cell{{Kind: Number, Num: 1}, {Kind: Hidden, Text: "c", Reason: "why"}, {Kind: Text, Text: "x"}, {}}
	for i, c := range want {
		if got.Rows[0][i] != c {
			t.Errorf("column %s: %+v, want %+v", got.Columns[i], got.Rows[0][i], c)
		}
	}
	if c := resultCell(stats.Suppressed{Symbol: "c", Reason: "why"}); c != want[1] {
		t.Errorf("in process: %+v, want %+v", c, want[1])
	}
}
