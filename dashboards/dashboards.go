// Package dashboards renders the strategy managers' pages: go-echarts charts over the named
// questions, each with its data as a table (the accessible alternative), a CSV of exactly the
// plotted rows, the query behind it, its source and the disclosure policy applied. Every script
// and style is served by the binary; nothing is fetched from elsewhere.
package dashboards

import (
	"context"
	"fmt"
	"html/template"
	"net/url"
	"sort"
	"strings"
	"sync"

	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

// Runner answers a named question under the page's policy (the server caches it).
type Runner func(ctx context.Context, name string, args queries.Args) (*queries.Result, error)

// View is what a page is built for: the filters chosen and the means to answer.
type View struct {
	Filters  queries.Filters
	Previous queries.Period // the same span a year earlier, for direction of travel
	Policy   stats.Policy
	Run      Runner
	// for the filter form
	Councils   []queries.Council
	Localities []string
	Services   [][2]string // code, name
	Periods    []string
	Layer      string // map page: reach or idaci
}

// Block is one part of a page: a row of headline tiles, or a chart with its data.
type Block struct {
	Tiles []Tile
	Chart *Chart
	Text  template.HTML
}

// Tile is a headline figure with its direction of travel.
type Tile struct {
	Label, Value, Change, Note string
	Status                     string // green, amber, red or "" (for plan tiles)
}

// Chart is a chart with everything a reader needs to trust it.
type Chart struct {
	ID, Title         string
	Subtitle          string
	Element, Script   template.HTML
	Query             string
	Only              map[string]string // the plotted rows: those equal to these column values
	Columns           []string
	Rows              [][]string
	CSV               string // URL of exactly the plotted rows as CSV
	Source, Units     string
	Notes             []string
	Modelled, Synthet bool
}

// Page is one dashboard page.
type Page struct {
	Slug, Title, Intro string
	build              func(ctx context.Context, v *View) ([]Block, error)
}

// Pages lists the pages in menu order.
var Pages = []Page{
	{"overview", "Overview", "Who the hubs reach, the gap between the most and least deprived neighbourhoods, care numbers and the plan, at a glance.", overview},
	{"reach", "Reach and inequality", "Reach per 1,000 children by deprivation decile and locality, and whether the gap is narrowing.", reach},
	{"map", "Neighbourhood map", "Reach or deprivation by neighbourhood (2021 LSOA), with hubs, bridges and outreach sites.", neighbourhoodMap},
	{"services", "Services", "What help families used: by service, age band, channel and site, and activity over time.", services},
	{"care", "Children's social care", "Children looked after, in need and on protection plans at 31 March, against England and statistical neighbours.", care},
	{"fund", "Transformation Fund", "The council's plan against what was achieved, with red / amber / green status by a written rule.", fund},
}

// PageBySlug finds a page.
func PageBySlug(slug string) (Page, bool) {
	for _, p := range Pages {
		if p.Slug == slug {
			return p, true
		}
	}
	return Page{}, false
}

// chartFor runs a query, keeps the rows to plot and builds the chart's table, CSV link and notes.
func chartFor(ctx context.Context, v *View, id, query string, only map[string]string) (*Chart, *queries.Result, [][]any, error) {
	// the id names a JavaScript variable in go-echarts' script: letters, digits and _ only
	id = strings.NewReplacer("-", "_", ".", "_").Replace(id)
	res, err := v.Run(ctx, query, v.Filters.Args())
	if err != nil {
		return nil, nil, nil, err
	}
	rows := Only(res, only)
	c := &Chart{ID: id, Query: query, Only: only, Columns: res.Columns, Source: res.Query.Source, Units: res.Query.Units,
		Notes: res.Notes, Modelled: strings.Contains(res.Query.Source, "MODELLED"), Synthet: strings.Contains(res.Query.Source, "SYNTHETIC")}
	for _, row := range rows {
		cells := make([]string, len(row))
		for i, x := range row {
			cells[i] = queries.Text(x)
		}
		c.Rows = append(c.Rows, cells)
	}
	c.CSV = CSVURL(query, v, only)
	return c, res, rows, nil
}

// Only keeps the rows whose columns equal the given values (as text); nil keeps all.
func Only(res *queries.Result, only map[string]string) [][]any {
	if len(only) == 0 {
		return res.Rows
	}
	var out [][]any
	for _, row := range res.Rows {
		keep := true
		for col, want := range only {
			if i := res.Col(col); i < 0 || queries.Text(row[i]) != want {
				keep = false
			}
		}
		if keep {
			out = append(out, row)
		}
	}
	return out
}

// CSVURL is the API address of exactly a chart's rows as CSV.
func CSVURL(query string, v *View, only map[string]string) string {
	q := FilterQuery(v)
	keys := make([]string, 0, len(only))
	for k := range only {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		q.Set("only."+k, only[k])
	}
	return "/api/queries/" + query + ".csv?" + q.Encode()
}

// FilterQuery is the URL query string of the view's filters.
func FilterQuery(v *View) url.Values {
	q := url.Values{}
	q.Set("council", v.Filters.Council.Slug)
	q.Set("period", v.Filters.Period.Label)
	if v.Filters.Locality != "" {
		q.Set("locality", v.Filters.Locality)
	}
	if v.Filters.Service != "" {
		q.Set("service", v.Filters.Service)
	}
	if v.Policy.Name != stats.DfE.Name {
		q.Set("disclosure", v.Policy.Name)
	}
	return q
}

// describe is the subtitle: the council, the filters and the period a chart covers.
func describe(v *View, withPeriod bool) string {
	parts := []string{v.Filters.Council.Name}
	if v.Filters.Locality != "" {
		parts = append(parts, v.Filters.Locality)
	}
	if v.Filters.Service != "" {
		parts = append(parts, "service: "+serviceName(v, v.Filters.Service))
	}
	if withPeriod {
		parts = append(parts, periodName(v.Filters.Period))
	}
	return strings.Join(parts, " · ")
}

func serviceName(v *View, code string) string {
	for _, s := range v.Services {
		if s[0] == code {
			return s[1]
		}
	}
	return code
}

func periodName(p queries.Period) string {
	return fmt.Sprintf("%s (%s to %s)", p.Label, p.Start.Format("2 Jan 2006"), p.End.Format("2 Jan 2006"))
}

// runAll runs independent queries at once: DuckDB answers them in parallel.
func runAll(ctx context.Context, v *View, names ...string) (map[string]*queries.Result, error) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	out := map[string]*queries.Result{}
	var firstErr error
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := v.Run(ctx, n, v.Filters.Args())
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = err
			}
			out[n] = r
		}()
	}
	wg.Wait()
	return out, firstErr
}

// number formats a figure for a tile.
func number(v any, decimals int) string {
	if s, ok := v.(stats.Suppressed); ok {
		return s.Symbol
	}
	f, ok := measures.Number(v)
	if !ok {
		return "n/a"
	}
	s := fmt.Sprintf("%.*f", decimals, f)
	// thousands separators for whole numbers
	if decimals == 0 && (f >= 10000 || f <= -10000) {
		neg := strings.HasPrefix(s, "-")
		s = strings.TrimPrefix(s, "-")
		var b strings.Builder
		for i, r := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(r)
		}
		s = b.String()
		if neg {
			s = "-" + s
		}
	}
	return s
}

// change describes a move from before to now, in the council's words.
func change(now, before any, unit string) string {
	a, okA := measures.Number(now)
	b, okB := measures.Number(before)
	if !okA || !okB || b == 0 {
		return "no earlier figure to compare"
	}
	pct := (a - b) / b * 100
	switch {
	case pct > 0.5:
		return fmt.Sprintf("up %.0f%% on the year before%s", pct, unit)
	case pct < -0.5:
		return fmt.Sprintf("down %.0f%% on the year before%s", -pct, unit)
	}
	return "about the same as the year before" + unit
}
