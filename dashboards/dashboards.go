// Package dashboards renders the strategy managers' pages: go-echarts charts over the named
// questions, each with its data as a table (the accessible alternative), a CSV of exactly the
// plotted rows, the query behind it, its source and the disclosure policy applied. Every script
// and style is served by the binary; nothing is fetched from elsewhere.
package dashboards

import (
	"context"
	"encoding/json"
	"html/template"
	"net/url"
	"sort"
	"strings"

	"familyhubs/answers"
	"familyhubs/queries"
	"familyhubs/stats"
)

// Runner answers a named question under the page's policy (the server caches it).
type Runner func(ctx context.Context, name string, args queries.Args) (*queries.Result, error)

// View is what a page is built for: the answers layer's view of the filters, and what the filter
// form offers.
type View struct {
	*answers.View
	Run     Runner
	answers *answers.Service
	// for the filter form
	Councils   []queries.Council
	Localities []string
	Services   [][2]string // code, name
	Periods    []string
	// mistakes in the request's filters, shown by the form instead of figures
	Errors []FieldError
}

// Block is one part of a page: a row of headline tiles, key messages, a note, or a chart with its data.
type Block struct {
	Tiles    []answers.Tile
	Messages []string
	Chart    *Chart
	Text     string
}

// Chart is a chart with everything a reader needs to trust it.
type Chart struct {
	ID, Title         string
	Subtitle, Shows   string
	Scope             []string
	Words             []string        // said in full view with the chart (the figure's Words)
	Element           template.HTML   // where the chart is drawn
	Options           json.RawMessage // its ECharts options: data, drawn by /static/charts.js
	Query             string
	Only              map[string]string // the plotted rows: those equal to these column values
	Table             answers.Table
	CSV               string // URL of exactly the plotted rows as CSV
	Source, Units     string
	Notes             []string
	Modelled, Synthet bool
	CouncilRecords    bool     // some rows are counted from the council's own records (hubs load-care)
	Reconciled        []string // those records against DfE's published figures
	Illustrative      bool
}

// Page is one dashboard page.
type Page struct {
	Slug, Title, Intro string
	build              func(ctx context.Context, v *View) ([]Block, error)
	also               []string // questions the page asks besides its declared figures' (tiles, map sites)
	previous           []string // questions it also asks for the comparison period
}

// Pages lists the pages in menu order.
var Pages = []Page{
	{Slug: "overview", Title: "Overview", Intro: "Who the hubs reach, the gap between the most and least deprived neighbourhoods, care numbers and the plan, at a glance.", build: overview,
		also: []string{"reach_total", "inequality_summary", "reach_by_locality", "sites_open", "fund_progress", "care_trend"}, previous: []string{"reach_total", "reach_by_decile"}},
	{Slug: "reach", Title: "Reach and inequality", Intro: "Reach per 1,000 children by deprivation decile and locality, and whether the gap is narrowing.", build: reach},
	{Slug: "map", Title: "Neighbourhood map", Intro: "Reach, deprivation or distance to the nearest hub by neighbourhood (2021 LSOA), with hubs, bridges and outreach sites.", build: mapPage,
		also: []string{"site_activity"}},
	{Slug: "services", Title: "Services", Intro: "What help families used: by service, age band, channel and site, and activity over time.", build: services},
	{Slug: "care", Title: "Children's social care", Intro: "Children looked after, in need and on protection plans at 31 March, against England and statistical neighbours.", build: care},
	{Slug: "next", Title: "What happened next", Intro: "Of the children the hubs first saw, how many were referred to children's social care in the months that followed: a description, not a judgement of the hubs.", build: next},
	// the slug stays fund, so that links to the page before Best Start keep working
	{Slug: "fund", Title: "Programmes: Transformation Fund and Best Start", Intro: "The council's Family Hubs Transformation Fund plan and its Best Start Family Hubs local plan against what was achieved, with red / amber / green status by one written rule.", build: fund},
	{Slug: "access", Title: answers.AccessHeading, Intro: "How near a family hub the council's children live on the period's last day, in the most deprived neighbourhoods and the rest; where the next hubs would bring most of them within 2 km; and children's development by the end of reception against the 75% ambition for 2028.", build: access},
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
	// the id is an element's id: letters, digits and _ only
	id = strings.NewReplacer("-", "_", ".", "_").Replace(id)
	res, err := v.Run(ctx, query, v.Filters.Args())
	if err != nil {
		return nil, nil, nil, err
	}
	rows := answers.Only(res, only)
	c := &Chart{ID: id, Query: query, Only: only, Source: res.Query.Source, Units: res.Query.Units,
		Notes: res.Notes, Modelled: answers.ModelledRows(res, rows), CouncilRecords: answers.FromCouncilRecords(res, rows), Reconciled: answers.Reconciliations(res), Synthet: res.Query.Synthetic() && v.Coverage.Synthetic, Illustrative: res.Query.Illustrative(),
		Table: answers.TableOf(res, rows)}
	c.Subtitle, c.Scope = answers.Subtitle(v.View, res.Query)
	c.CSV = CSVURL(query, v, only)
	return c, res, rows, nil
}

// Only keeps the rows whose columns equal the given values (as text); nil keeps all.
func Only(res *queries.Result, only map[string]string) [][]any { return answers.Only(res, only) }

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
	if v.Wide {
		q.Set("limits", "99.8")
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
		parts = append(parts, answers.PeriodName(v.Filters.Period))
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
