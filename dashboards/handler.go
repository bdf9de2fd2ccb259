package dashboards

import (
	"bytes"
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"familyhubs/answers"
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
	Answers  *answers.Service
	rendered *answers.Rendered
	maps     sync.Map // council code -> []byte
	// Log receives what went wrong when a page could not be built (nil: the standard logger);
	// the visitor sees only a reference to it.
	Log *log.Logger
}

// New returns the dashboards for a warehouse, answering through the answers layer.
func New(db *warehouse.DB, a *answers.Service) *Site {
	return &Site{db: db, Answers: a, rendered: answers.NewRendered(db.Version, 64<<20)}
}

// Answer runs a named question through the answers layer (cached by data version).
func (s *Site) Answer(ctx context.Context, name string, args queries.Args, policy stats.Policy) (*queries.Result, error) {
	return s.Answers.Answer(ctx, name, args, policy)
}

// View reads the filters from a request: council (code or slug), period, locality, service.
// With a page, every question the page will ask (the filter form's choices among them) is
// answered at once first, side by side.
func (s *Site) View(r *http.Request, pages ...Page) (*View, error) {
	ctx := r.Context()
	av, err := s.Answers.Parse(ctx, r.URL.Query())
	if err != nil {
		if s.checkRequest(ctx, r.URL.Query()) != nil {
			return nil, requestError{err}
		}
		return nil, err
	}
	v := &View{View: av, answers: s.Answers}
	v.Run = func(ctx context.Context, name string, args queries.Args) (*queries.Result, error) {
		return s.Answers.Answer(ctx, name, args, av.Policy)
	}
	for _, p := range pages {
		s.Answers.PrefetchAsks(ctx, av.Policy, p.asks(av)...)
	}
	return v, s.fillChoices(ctx, v)
}

// checkRequest finds a mistake in the request's own filters (council, disclosure, period), as
// answers.Parse names them, asking the database only for the council list. nil means the request
// is sound, so a failure to parse it is the server's, not the visitor's.
func (s *Site) checkRequest(ctx context.Context, q url.Values) error {
	council := q.Get("council")
	if council == "" {
		council = "stockport"
	}
	_, res, err := s.Answers.Councils(ctx)
	if err != nil {
		return nil
	}
	if _, err := queries.CouncilIn(res, council); err != nil {
		return err
	}
	if _, err := answers.Policy(q.Get("disclosure")); err != nil {
		return err
	}
	if v := q.Get("period"); v != "" {
		p, err := queries.ParsePeriod(v)
		if err != nil {
			return err
		}
		if !queries.PublishablePeriod(p.Start, p.End) {
			return measures.ErrSpan
		}
	}
	return nil
}

// choices are the questions the filter form's lists come from: every locality and service of
// the council in the period.
func choices(v *answers.View) []answers.Ask {
	all := v.Filters
	all.Locality, all.Service = "", ""
	return []answers.Ask{{Name: "reach_by_locality", Args: all.Args()}, {Name: "service_mix", Args: all.Args()}}
}

// asks are the questions a page will ask for a view: the form's choices, its declared figures'
// questions and any it needs besides (the overview's tiles and their comparison period).
func (p Page) asks(v *answers.View) []answers.Ask {
	out := choices(v)
	if v.DataProblem() != "" && p.Slug != "care" && p.Slug != "fund" {
		return out // the page says why there is nothing to show, and asks nothing more
	}
	for _, f := range answers.Layout[p.Slug] {
		out = append(out, answers.Ask{Name: f.Question, Args: v.Args()})
	}
	for _, n := range p.also {
		out = append(out, answers.Ask{Name: n, Args: v.Args()})
	}
	for _, n := range p.previous {
		out = append(out, answers.Ask{Name: n, Args: v.PreviousArgs()})
	}
	return out
}

// fillChoices lists what the filter form offers, from the same queries.
func (s *Site) fillChoices(ctx context.Context, v *View) error {
	// the same questions, with the same parameters, that the page prefetched (choices)
	asks := choices(v.View)
	councils, _, err := s.Answers.Councils(ctx)
	if err != nil {
		return err
	}
	for _, c := range councils {
		// the council asked about is offered even without a network, so the form never names another
		if c.HasNetwork || c.Code == v.Filters.Council.Code {
			v.Councils = append(v.Councils, c)
		}
	}
	locs, err := s.Answer(ctx, asks[0].Name, asks[0].Args, v.Policy)
	if err != nil {
		return err
	}
	known := false
	for _, row := range locs.Rows {
		name := locs.Str(row, "locality")
		v.Localities = append(v.Localities, name)
		known = known || name == v.Filters.Locality
	}
	if v.Filters.Locality != "" && !known {
		return requestError{fmt.Errorf("no locality %q in %s", v.Filters.Locality, v.Filters.Council.Name)}
	}
	mix, err := s.Answer(ctx, asks[1].Name, asks[1].Args, v.Policy)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, row := range mix.Rows {
		code := mix.Str(row, "service_code")
		if !seen[code] {
			seen[code] = true
			v.Services = append(v.Services, [2]string{code, mix.Str(row, "service")})
		}
	}
	if v.Filters.Service != "" && !seen[v.Filters.Service] {
		return requestError{fmt.Errorf("no service %q", v.Filters.Service)}
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

// ContentSecurityPolicy is the pages' policy: scripts only from the binary's own files (no inline
// script: charts' options are JSON data), nothing fetched from elsewhere, and no framing. Styles
// may be inline: ECharts and go-echarts size their elements with style attributes.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// ServePage renders one page. A request's own mistake (an unknown council, locality, service or
// period) is said plainly as a 400, and a request outside the asker's scope as a 403; anything
// else that stops the page is a 500 with a short message and a reference, the detail going to
// the log under that reference only.
func (s *Site) ServePage(w http.ResponseWriter, r *http.Request, slug string) {
	page, ok := PageBySlug(slug)
	if !ok {
		http.NotFound(w, r)
		return
	}
	// keyed by what the asker may see as well as what they asked: a manager limited to one
	// locality never gets a page rendered for someone who sees more
	q := r.URL.Query()
	if sc := answers.ScopeFrom(r.Context()); sc != nil {
		q.Set("\x00scope", sc.Key())
	}
	key := s.rendered.Key(slug, q)
	body, ok := s.rendered.Get(key)
	if !ok {
		v, err := s.View(r, page)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if body, err = s.Render(r.Context(), page, v); err != nil {
			s.fail(w, r, fmt.Errorf("building the page: %w", err))
			return
		}
		s.rendered.Put(key, body)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
	w.Write(body)
}

// requestError is a mistake in the request itself, which the visitor is told about.
type requestError struct{ error }

func (e requestError) Unwrap() error { return e.error }

// fail answers a request whose page could not be built.
func (s *Site) fail(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set("Cache-Control", "no-store")
	var bad requestError
	switch {
	case errors.Is(err, answers.ErrForbidden):
		http.Error(w, "This is outside the councils or localities you may see: "+err.Error()+".", http.StatusForbidden)
		return
	case errors.As(err, &bad):
		http.Error(w, bad.Error(), http.StatusBadRequest)
		return
	}
	ref := reference()
	logger := s.Log
	if logger == nil {
		logger = log.Default()
	}
	logger.Printf("%s %s failed, reference %s: %v", r.Method, r.URL.RequestURI(), ref, err)
	http.Error(w, "Sorry, this page could not be built (reference "+ref+"). If it keeps happening, "+
		"give the reference to whoever runs the server.", http.StatusInternalServerError)
}

// reference names one failure in the log: 8 random bytes in hex.
func reference() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// NavLink is one page in the menu: its address keeps every filter of the view.
type NavLink struct {
	Slug, Title string
	Href        template.URL
	Current     bool
}

// Render builds a page's HTML.
func (s *Site) Render(ctx context.Context, page Page, v *View) ([]byte, error) {
	blocks, err := page.build(ctx, v)
	if err != nil {
		return nil, err
	}
	query := FilterQuery(v).Encode()
	var nav []NavLink
	for _, p := range Pages {
		// a full URL built here, not spliced by the template: the template escapes = and & in a
		// query it meets after "?" and the filters were lost (issue 11, defect 1)
		nav = append(nav, NavLink{Slug: p.Slug, Title: p.Title, Href: template.URL("/" + p.Slug + "?" + query), Current: p.Slug == page.Slug})
	}
	data := struct {
		Page                         Page
		Nav                          []NavLink
		View                         *View
		Blocks                       []Block
		MapScript                    string
		Partial                      string
		Footer, Version, Attribution string
		Banner                       string // the local demo says it has no sign-in
		SignOut, WholeCouncil        bool
	}{Page: page, Nav: nav, View: v, Blocks: blocks, Partial: v.PartialNote(),
		Footer: "Disclosure control: " + v.Policy.Description() + " Care figures are DfE's own and council-wide; the locality " +
			"and service filters apply to service use. Deprivation: " + datasets.IoD2025 + ".",
		Version: s.db.Version, Attribution: datasets.OGL}
	sc := answers.ScopeFrom(ctx)
	switch {
	case sc == nil:
	case sc.Local:
		data.Banner = "Local demo: no sign-in. This server answers only on this computer; configure sign-in (hubs serve --auth) before anyone else uses it."
	default:
		data.SignOut = true
	}
	data.WholeCouncil = sc.Allows(v.Filters.Council, "")
	if page.Slug == "map" && warehouse.HasBoundaries(v.Filters.Council.Code) {
		data.MapScript = AssetsPath + "maps/" + MapName(v.Filters.Council.Code) + ".js"
	}
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Static serves the embedded assets and the map scripts: files only, never a listing of a folder
// (the assets path itself or any folder under it is not found).
func (s *Site) Static() http.Handler {
	sub, _ := fs.Sub(staticFiles, "static")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, AssetsPath)
		if strings.HasPrefix(name, "maps/") {
			s.serveMap(w, r, strings.TrimSuffix(strings.TrimPrefix(name, "maps/"), ".js"))
			return
		}
		if !fs.ValidPath(name) || name == "." {
			http.NotFound(w, r)
			return
		}
		if info, err := fs.Stat(sub, name); err != nil || info.IsDir() {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		http.ServeFileFS(w, r, sub, name)
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
			s.fail(w, r, fmt.Errorf("boundaries for %s: %w", code, err))
			return
		}
		for i := range fc.Features {
			p := fc.Features[i].Properties
			fc.Features[i].Properties = map[string]any{"name": p["LSOA21CD"], "lsoa21_name": p["LSOA21NM"]}
		}
		b, err := json.Marshal(fc)
		if err != nil {
			s.fail(w, r, fmt.Errorf("boundaries for %s: %w", code, err))
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
