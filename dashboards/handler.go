package dashboards

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"

	"familyhubs/datasets"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
	"familyhubs/warehouse"
)

var (
	//go:embed templates/page.html
	pageHTML string
	//go:embed static
	staticFiles embed.FS
	pageTmpl    = template.Must(template.New("page").Parse(pageHTML))
)

// Site serves the pages and their assets over one warehouse.
type Site struct {
	db       *warehouse.DB
	cache    *Cache
	rendered *Rendered
	maps     sync.Map // council code -> []byte
}

// New returns the dashboards for a warehouse.
func New(db *warehouse.DB) *Site {
	return &Site{db: db, cache: NewCache(db.Version, 512), rendered: NewRendered(db.Version, 64<<20)}
}

// Answer runs a named query through the measures layer, cached by data version, query, arguments
// and policy. The API answers through here too, so a page and its CSV cannot disagree.
func (s *Site) Answer(ctx context.Context, name string, args queries.Args, policy stats.Policy) (*queries.Result, error) {
	return s.cache.Get(name, args, policy.Name, func() (*queries.Result, error) {
		return measures.Run(ctx, s.db, name, args, policy)
	})
}

// View reads the filters from a request: council (code or slug), period, locality, service.
func (s *Site) View(r *http.Request) (*View, error) {
	ctx := r.Context()
	q := r.URL.Query()
	council := q.Get("council")
	if council == "" {
		council = "stockport"
	}
	councils, err := s.Answer(ctx, "councils", nil, stats.DfE)
	if err != nil {
		return nil, err
	}
	c, err := queries.CouncilIn(councils, council)
	if err != nil {
		return nil, err
	}
	policy := stats.DfE
	switch q.Get("disclosure") {
	case "", "dfe":
	case "nhs":
		policy = stats.NHS
	default:
		// exact counts never leave through the web: pages and their data are for publication
		return nil, fmt.Errorf("disclosure must be dfe or nhs")
	}
	p := queries.LatestCompleteYear(s.db.DataEnd)
	if v := q.Get("period"); v != "" {
		if p, err = queries.ParsePeriod(v); err != nil {
			return nil, err
		}
	}
	v := &View{Filters: queries.Filters{Council: c, Period: p, Locality: q.Get("locality"), Service: q.Get("service")},
		Previous: queries.Period{Label: "previous year", Start: p.Start.AddDate(-1, 0, 0), End: p.End.AddDate(-1, 0, 0)},
		Policy:   policy, Layer: q.Get("layer")}
	v.Run = func(ctx context.Context, name string, args queries.Args) (*queries.Result, error) {
		return s.Answer(ctx, name, args, policy)
	}
	return v, s.fillChoices(ctx, v)
}

// fillChoices lists what the filter form offers, from the same queries.
func (s *Site) fillChoices(ctx context.Context, v *View) error {
	all := v.Filters
	all.Locality, all.Service = "", ""
	cs, err := s.Answer(ctx, "councils", nil, v.Policy)
	if err != nil {
		return err
	}
	for _, row := range cs.Rows {
		if row[cs.Col("has_network")] == true {
			v.Councils = append(v.Councils, queries.Council{Code: queries.Text(row[cs.Col("council_code")]),
				Name: queries.Text(row[cs.Col("name")]), Slug: queries.Text(row[cs.Col("slug")]), HasNetwork: true})
		}
	}
	locs, err := s.Answer(ctx, "reach_by_locality", all.Args(), v.Policy)
	if err != nil {
		return err
	}
	known := false
	for _, row := range locs.Rows {
		name := queries.Text(row[locs.Col("locality")])
		v.Localities = append(v.Localities, name)
		known = known || name == v.Filters.Locality
	}
	if v.Filters.Locality != "" && !known {
		return fmt.Errorf("no locality %q in %s", v.Filters.Locality, v.Filters.Council.Name)
	}
	mix, err := s.Answer(ctx, "service_mix", all.Args(), v.Policy)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, row := range mix.Rows {
		code := queries.Text(row[mix.Col("service_code")])
		if !seen[code] {
			seen[code] = true
			v.Services = append(v.Services, [2]string{code, queries.Text(row[mix.Col("service")])})
		}
	}
	if v.Filters.Service != "" && !seen[v.Filters.Service] {
		return fmt.Errorf("no service %q", v.Filters.Service)
	}
	v.Periods = Periods(s.db.DataEnd)
	found := false
	for _, p := range v.Periods {
		found = found || p == v.Filters.Period.Label
	}
	if !found {
		v.Periods = append(v.Periods, v.Filters.Period.Label)
	}
	return nil
}

// Periods offers every complete financial year and the quarters of the last two years.
func Periods(dataEnd time.Time) []string {
	last := queries.LatestCompleteYear(dataEnd)
	var out []string
	for y := 2019; y <= last.Start.Year(); y++ {
		out = append(out, fmt.Sprintf("%d-%02d", y, (y+1)%100))
	}
	for y := last.Start.Year() - 1; y <= last.Start.Year()+1; y++ {
		for q := 1; q <= 4; q++ {
			p, _ := queries.ParsePeriod(fmt.Sprintf("%d-%02dQ%d", y, (y+1)%100, q))
			if !p.End.After(dataEnd) {
				out = append(out, p.Label)
			}
		}
	}
	return out
}

// ServePage renders one page.
func (s *Site) ServePage(w http.ResponseWriter, r *http.Request, slug string) {
	page, ok := PageBySlug(slug)
	if !ok {
		http.NotFound(w, r)
		return
	}
	key := s.rendered.Key(slug, r.URL.Query())
	body, ok := s.rendered.Get(key)
	if !ok {
		v, err := s.View(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if body, err = s.Render(r.Context(), page, v); err != nil {
			http.Error(w, "could not build the page: "+err.Error(), http.StatusInternalServerError)
			return
		}
		s.rendered.Put(key, body)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'")
	w.Write(body)
}

// Render builds a page's HTML.
func (s *Site) Render(ctx context.Context, page Page, v *View) ([]byte, error) {
	blocks, err := page.build(ctx, v)
	if err != nil {
		return nil, err
	}
	data := struct {
		Page                         Page
		Pages                        []Page
		View                         *View
		Blocks                       []Block
		Query, MapScript             string
		Footer, Version, Attribution string
	}{Page: page, Pages: Pages, View: v, Blocks: blocks, Query: FilterQuery(v).Encode(),
		Footer: "Disclosure control: " + v.Policy.Description() + " Care figures are DfE's own and council-wide; the locality " +
			"and service filters apply to service use. Deprivation: " + datasets.IoD2025 + ".",
		Version: s.db.Version, Attribution: datasets.OGL}
	if page.Slug == "map" && warehouse.HasBoundaries(v.Filters.Council.Code) {
		data.MapScript = AssetsPath + "maps/" + MapName(v.Filters.Council.Code) + ".js"
	}
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Static serves the embedded assets and the map scripts.
func (s *Site) Static() http.Handler {
	sub, _ := fs.Sub(staticFiles, "static")
	files := http.FileServer(http.FS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, AssetsPath)
		if strings.HasPrefix(name, "maps/") {
			s.serveMap(w, r, strings.TrimSuffix(strings.TrimPrefix(name, "maps/"), ".js"))
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		r.URL.Path = "/" + name
		files.ServeHTTP(w, r)
	})
}

// serveMap sends the script that registers a council's LSOA boundaries with ECharts, each
// feature named by its LSOA code so the map's data joins on the code.
func (s *Site) serveMap(w http.ResponseWriter, r *http.Request, name string) {
	code, ok := strings.CutPrefix(name, "lsoa21-")
	if !ok {
		http.NotFound(w, r)
		return
	}
	script, cached := s.maps.Load(code)
	if !cached {
		raw, err := warehouse.ReadBoundary("lsoa21", code)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		var fc struct {
			Type     string `json:"type"`
			Features []struct {
				Type       string          `json:"type"`
				Properties map[string]any  `json:"properties"`
				Geometry   json.RawMessage `json:"geometry"`
			} `json:"features"`
		}
		if err := json.Unmarshal(raw, &fc); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		for i := range fc.Features {
			p := fc.Features[i].Properties
			fc.Features[i].Properties = map[string]any{"name": p["LSOA21CD"], "lsoa21_name": p["LSOA21NM"]}
		}
		b, err := json.Marshal(fc)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		js, _ := json.Marshal(MapName(code))
		script = []byte(fmt.Sprintf("echarts.registerMap(%s, %s);\n", js, b))
		s.maps.Store(code, script)
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(script.([]byte))
}
