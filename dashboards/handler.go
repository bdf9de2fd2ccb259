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
	"familyhubs/internal/govuk"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
	"familyhubs/warehouse"
)

var (
	//go:embed templates
	templateFiles embed.FS
	//go:embed static
	staticFiles embed.FS
	pageTmpl    = template.Must(template.New("page").Funcs(template.FuncMap{"field": field, "heading": heading}).ParseFS(templateFiles, "templates/*.html"))
)

// FieldError is a mistake in one filter of a request, said beside the field and in the page's
// error summary. Field is the form control's id ("" for a mistake no field shows, such as the
// disclosure policy).
type FieldError struct{ Field, Message string }

// fieldOf is what the template's select-error part needs: the errors by field, and the field.
type fieldOf struct {
	Errs map[string]string
	Name string
}

func field(errs map[string]string, name string) fieldOf { return fieldOf{errs, name} }

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
// answered at once first, side by side. A locality or service the council does not offer is not
// an error here: the view's Errors say so, for the page to show its form with them.
func (s *Site) View(r *http.Request, pages ...Page) (*View, error) {
	return s.viewOf(r.Context(), r.URL.Query(), pages...)
}

func (s *Site) viewOf(ctx context.Context, q url.Values, pages ...Page) (*View, error) {
	av, err := s.Answers.Parse(ctx, q)
	if err != nil {
		if s.checkRequest(ctx, q) != nil {
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
	if errs, _ := s.checkFields(ctx, q); len(errs) > 0 {
		return errors.New(errs[0].Message)
	}
	return nil
}

// checkFields finds the mistakes in the request's own filters that the filter form can show
// beside its fields (council, period, confidence limits) and the disclosure policy, which pages
// take as dfe or nhs only. It returns them with the request's filters less the mistaken ones, for
// the form to be built from. Localities and services are checked against the council's own
// (fillChoices).
func (s *Site) checkFields(ctx context.Context, q url.Values) ([]FieldError, url.Values) {
	sound := url.Values{}
	for k, v := range q {
		sound[k] = v
	}
	var errs []FieldError
	if council := q.Get("council"); council != "" {
		_, res, err := s.Answers.Councils(ctx)
		if err != nil {
			return nil, q // the server's failure, not the request's: the page fails as such
		}
		if _, err := queries.CouncilIn(res, council); err != nil {
			errs = append(errs, FieldError{"council", fmt.Sprintf("Select a council from the list: there is no council %q", council)})
			sound.Del("council")
			sound.Del("locality")
		}
	}
	if _, err := answers.Policy(q.Get("disclosure")); err != nil {
		errs = append(errs, FieldError{"", "Pages show figures under DfE's or NHS England's presentation only (disclosure dfe or nhs): " +
			"exact counts are never shown on a page"})
		sound.Del("disclosure")
	}
	if v := q.Get("period"); v != "" {
		p, err := queries.ParsePeriod(v)
		switch {
		case err != nil:
			errs = append(errs, FieldError{"period", fmt.Sprintf("Select a period from the list: the period %q is not a financial year, quarter or month", v)})
			sound.Del("period")
		case !queries.PublishablePeriod(p.Start, p.End):
			errs = append(errs, FieldError{"period", fmt.Sprintf("Select a whole month, quarter or financial year: the period %q is neither (%v)", v, measures.ErrSpan)})
			sound.Del("period")
		}
	}
	switch q.Get("limits") {
	case "", "95", "99.8":
	default:
		errs = append(errs, FieldError{"limits", fmt.Sprintf("Select 95%% or 99.8%% confidence limits: %q is neither", q.Get("limits"))})
		sound.Del("limits")
	}
	return errs, sound
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
		v.Errors = append(v.Errors, FieldError{"locality", fmt.Sprintf("Select a locality from the list: there is no locality %q in %s", v.Filters.Locality, v.Filters.Council.Name)})
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
		v.Errors = append(v.Errors, FieldError{"service", fmt.Sprintf("Select a service from the list: there is no service %q in %s", v.Filters.Service, v.Filters.Council.Name)})
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

// ServePage renders one page. A request's own mistake in a filter (an unknown council,
// locality, service, period or confidence limits) is a 400 with the page's filter form, its error
// summary linking to the field, and no figures; a request outside the asker's scope is a 403;
// anything else that stops the page is a 500 with a short message and a reference, the detail
// going to the log under that reference only.
//
// The form sends the council it was shown for as "from": when the council changed, a locality
// of the old council is dropped, and the request is sent on to its own address without it, "from"
// or any empty filter, so that every view keeps one address.
func (s *Site) ServePage(w http.ResponseWriter, r *http.Request, slug string) {
	page, ok := PageBySlug(slug)
	if !ok {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	if _, sent := q["from"]; sent {
		http.Redirect(w, r, "/"+page.Slug+canonical(q), http.StatusSeeOther)
		return
	}
	// keyed by what the asker may see as well as what they asked: a manager limited to one
	// locality never gets a page rendered for someone who sees more
	if sc := answers.ScopeFrom(r.Context()); sc != nil {
		q.Set("\x00scope", sc.Key())
	}
	key := s.rendered.Key(slug, q)
	body, ok := s.rendered.Get(key)
	if !ok {
		errs, sound := s.checkFields(r.Context(), r.URL.Query())
		if len(errs) > 0 {
			s.serveMistakes(w, r, page, sound, errs)
			return
		}
		v, err := s.View(r, page)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(v.Errors) > 0 {
			s.serveForm(w, r, page, v)
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

// canonical is a view's query as its own address: without "from" or empty filters, and without
// the locality when the council changed from the one the form was shown for.
func canonical(q url.Values) string {
	out := url.Values{}
	for k, vs := range q {
		if k != "from" && len(vs) > 0 && vs[0] != "" {
			out.Set(k, vs[0])
		}
	}
	if from := q.Get("from"); from != "" && q.Get("council") != "" && from != q.Get("council") {
		out.Del("locality") // a locality belongs to one council
	}
	if len(out) == 0 {
		return ""
	}
	return "?" + out.Encode()
}

// serveMistakes answers a request with mistakes in its filters: the form, built from the sound
// filters, with the mistakes.
func (s *Site) serveMistakes(w http.ResponseWriter, r *http.Request, page Page, sound url.Values, errs []FieldError) {
	v, err := s.viewOf(r.Context(), sound)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Errors = append(errs, v.Errors...)
	s.serveForm(w, r, page, v)
}

// serveForm answers 400 with the page's filter form and the view's Errors, no figures.
func (s *Site) serveForm(w http.ResponseWriter, r *http.Request, page Page, v *View) {
	body, err := s.render(r.Context(), page, v, nil)
	if err != nil {
		s.fail(w, r, fmt.Errorf("building the form: %w", err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusBadRequest)
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

// pageData is what the layout template shows.
type pageData struct {
	Kind                         string // dashboard, landing, about or accessibility
	Title                        string // the first part of the document's title
	Page                         Page
	Nav                          []NavLink
	View                         *View
	Blocks                       []Block
	Errors                       []FieldError
	FieldErrors                  map[string]string
	Council                      string // the council shown, in the service navigation
	CouncilHref                  template.URL
	Councils                     []queries.Council // the landing page's choice
	MapScript                    string
	Partial                      string
	Footer, Version, Attribution string
	Banner                       string // the local demo says it has no sign-in
	SignOut, WholeCouncil        bool
	Synthetic                    bool // the phase banner: service contacts are synthetic
	GovukCSS                     string
}

// frame fills what every page shows: the footer, the sign-in banner or sign-out link.
func (s *Site) frame(ctx context.Context, d *pageData, policy stats.Policy) {
	d.Footer = "Disclosure control: " + policy.Description() + " Care figures are DfE's own and council-wide; the locality " +
		"and service filters apply to service use. Deprivation: " + datasets.IoD2025 + "."
	d.Version, d.Attribution = s.db.Version, datasets.OGL
	d.GovukCSS = GovukPath + "govuk-frontend-" + govuk.Version + ".min.css"
	sc := answers.ScopeFrom(ctx)
	switch {
	case sc == nil:
	case sc.Local:
		d.Banner = "Local demo: no sign-in. This server answers only on this computer; configure sign-in (hubs serve --auth) before anyone else uses it."
	default:
		d.SignOut = true
	}
}

// Render builds a page's HTML.
func (s *Site) Render(ctx context.Context, page Page, v *View) ([]byte, error) {
	blocks, err := page.build(ctx, v)
	if err != nil {
		return nil, err
	}
	return s.render(ctx, page, v, blocks)
}

func (s *Site) render(ctx context.Context, page Page, v *View, blocks []Block) ([]byte, error) {
	query := FilterQuery(v).Encode()
	var nav []NavLink
	for _, p := range Pages {
		// a full URL built here, not spliced by the template: the template escapes = and & in a
		// query it meets after "?" and the filters were lost (issue 11, defect 1)
		nav = append(nav, NavLink{Slug: p.Slug, Title: p.Title, Href: template.URL("/" + p.Slug + "?" + query), Current: p.Slug == page.Slug})
	}
	data := pageData{Kind: "dashboard", Title: page.Title + " · " + v.Filters.Council.Name, Page: page, Nav: nav, View: v, Blocks: blocks,
		Errors: v.Errors, Partial: v.PartialNote(), Council: v.Filters.Council.Name,
		CouncilHref: template.URL("/overview?" + query), Synthetic: v.Coverage.Synthetic}
	if len(v.Errors) > 0 {
		data.Partial = ""
		data.FieldErrors = map[string]string{}
		for _, e := range v.Errors {
			if e.Field != "" {
				data.FieldErrors[e.Field] = e.Message
			}
		}
	}
	s.frame(ctx, &data, v.Policy)
	data.WholeCouncil = answers.ScopeFrom(ctx).Allows(v.Filters.Council, "")
	if page.Slug == "map" && len(v.Errors) == 0 && warehouse.HasBoundaries(v.Filters.Council.Code) {
		data.MapScript = AssetsPath + "maps/" + MapName(v.Filters.Council.Code) + ".js"
	}
	return execute(data)
}

func execute(data pageData) ([]byte, error) {
	var buf bytes.Buffer
	if err := pageTmpl.ExecuteTemplate(&buf, "layout", data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// infoLinks are the service navigation of the pages about the service itself.
func infoLinks(current string) []NavLink {
	var out []NavLink
	for _, l := range [][2]string{{"/", "Choose a council"}, {"/about", "About the data"}, {"/accessibility", "Accessibility statement"}} {
		out = append(out, NavLink{Slug: l[0], Title: l[1], Href: template.URL(l[0]), Current: l[0] == current})
	}
	return out
}

// ServeLanding serves the page that chooses a council: those with a hub network that the asker
// may see.
func (s *Site) ServeLanding(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	councils, _, err := s.Answers.Councils(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := pageData{Kind: "landing", Title: "Choose a council", Nav: infoLinks("/")}
	for _, c := range councils {
		if c.HasNetwork {
			d.Councils = append(d.Councils, c)
		}
	}
	if len(d.Councils) > 0 {
		if cov, err := s.Answers.Coverage(ctx, d.Councils[0]); err == nil {
			d.Synthetic = cov.Synthetic
		}
	}
	s.serveInfo(w, r, d)
}

// ServeAbout serves About the data: sources, what is synthetic, protection and a glossary.
func (s *Site) ServeAbout(w http.ResponseWriter, r *http.Request) {
	s.serveInfo(w, r, pageData{Kind: "about", Title: "About the data", Nav: infoLinks("/about"), Synthetic: s.synthetic(r.Context())})
}

// ServeAccessibility serves the accessibility statement.
func (s *Site) ServeAccessibility(w http.ResponseWriter, r *http.Request) {
	s.serveInfo(w, r, pageData{Kind: "accessibility", Title: "Accessibility statement", Nav: infoLinks("/accessibility"), Synthetic: s.synthetic(r.Context())})
}

// synthetic says whether the warehouse's service contacts are the demo's: those of the first
// council with a network.
func (s *Site) synthetic(ctx context.Context) bool {
	councils, _, err := s.Answers.Councils(ctx)
	if err != nil {
		return false
	}
	for _, c := range councils {
		if c.HasNetwork {
			cov, err := s.Answers.Coverage(ctx, c)
			return err == nil && cov.Synthetic
		}
	}
	return false
}

func (s *Site) serveInfo(w http.ResponseWriter, r *http.Request, d pageData) {
	s.frame(r.Context(), &d, stats.DfE)
	body, err := execute(d)
	if err != nil {
		s.fail(w, r, fmt.Errorf("building %s: %w", d.Kind, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
	w.Write(body)
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
		if file, ok := strings.CutPrefix(name, "govuk/"); ok {
			serveGovuk(w, r, file)
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

// GovukPath is where the binary serves GOV.UK Frontend's files (package govuk): its stylesheet,
// its components' script (an ES module, started by /static/govuk-init.js) and its licence. Its
// images are not served: the only one the stylesheet names is the crest, which these pages, not a
// GOV.UK service, never show.
const GovukPath = AssetsPath + "govuk/"

func serveGovuk(w http.ResponseWriter, r *http.Request, file string) {
	var body []byte
	switch file {
	case "govuk-frontend-" + govuk.Version + ".min.css":
		body = govuk.CSS
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	case "govuk-frontend-" + govuk.Version + ".min.js":
		body = govuk.JS
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	case "LICENCE-govuk-frontend.txt":
		body = govuk.Licence
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(body)
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
