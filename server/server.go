// Package server serves the dashboards and the API over HTTP with gorilla/mux: pages, the JSON
// and CSV API over the named queries, static assets and /healthz. Pages and the API answer from
// the same named queries, so they cannot disagree.
package server

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gorilla/mux"

	"familyhubs/answers"
	"familyhubs/briefings"
	"familyhubs/dashboards"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/warehouse"
)

// Server holds what the handlers need. The warehouse it answers from is its current state: when
// a load replaces the warehouse file, Watch opens the new one, switches new requests to it, and
// closes the old one once the requests still using it have finished.
type Server struct {
	cur     atomic.Pointer[state]
	log     *log.Logger
	router  *mux.Router
	opts    Options
	handler http.Handler
	pdfs    *briefingCache
	admit   chan struct{} // pages and API answers being worked on at once
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Warm renders every page for every council with a network, for the default period, so that the
// answers are cached before the first visitor asks. It stops when ctx ends.
func (s *Server) Warm(ctx context.Context) (pages int, err error) {
	st := s.cur.Load()
	councils, _, err := st.answers.Councils(ctx)
	if err != nil {
		return 0, err
	}
	var slugs []string // in the councils query's order: those with a network, by name
	for _, c := range councils {
		if c.HasNetwork {
			slugs = append(slugs, c.Slug)
		}
	}
	for _, c := range slugs {
		for _, p := range dashboards.Pages {
			if ctx.Err() != nil {
				return pages, ctx.Err()
			}
			r := httptest.NewRequest(http.MethodGet, "/"+p.Slug+"?council="+c, nil).WithContext(ctx)
			rec := httptest.NewRecorder()
			st.site.ServePage(rec, r, p.Slug) // straight to the page: warm-up requests are not logged as visits
			if rec.Code != http.StatusOK {
				return pages, fmt.Errorf("warming /%s for %s: %d", p.Slug, c, rec.Code)
			}
			pages++
		}
	}
	return pages, nil
}

// New returns the HTTP handler for the warehouse.
func New(db *warehouse.DB, logger *log.Logger) *Server { return NewWith(db, logger, Options{}) }

// NewWith is New with sign-in and an audit trail: every request passes the access layer (who is
// signed in, which roles a route needs, what they may see), and is audited.
func NewWith(db *warehouse.DB, logger *log.Logger, opts Options) *Server {
	s := &Server{log: logger, opts: opts, pdfs: newBriefingCache(runtime.GOMAXPROCS(0) - 1),
		admit: make(chan struct{}, runtime.GOMAXPROCS(0))}
	first := newState(db, logger)
	s.cur.Store(first)
	r := mux.NewRouter()
	s.router = r
	r.PathPrefix("/auth/").HandlerFunc(s.signIn).Methods(http.MethodGet)
	r.HandleFunc("/healthz", s.healthz).Methods(http.MethodGet, http.MethodHead)
	r.PathPrefix(dashboards.AssetsPath).Handler(first.site.Static()).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/briefings/{council}/{period}.pdf", s.briefing("pdf")).Methods(http.MethodGet)
	r.HandleFunc("/briefings/{council}/{period}", s.briefing("html")).Methods(http.MethodGet)
	api := r.PathPrefix("/api").Subrouter()
	api.HandleFunc("/queries", s.listQueries).Methods(http.MethodGet)
	api.HandleFunc("/sql", s.sql).Methods(http.MethodGet)
	api.HandleFunc("/queries/{name:[a-z0-9_]+}.csv", s.runQuery("csv")).Methods(http.MethodGet)
	api.HandleFunc("/queries/{name:[a-z0-9_]+}", s.runQuery("json")).Methods(http.MethodGet)
	pages := r.PathPrefix("/").Subrouter()
	pages.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "" { // an old address with filters: their overview
			http.Redirect(w, r, "/overview?"+r.URL.RawQuery, http.StatusFound)
			return
		}
		s.st(r).site.ServeLanding(w, r)
	}).Methods(http.MethodGet)
	pages.HandleFunc("/about", func(w http.ResponseWriter, r *http.Request) { s.st(r).site.ServeAbout(w, r) }).Methods(http.MethodGet)
	pages.HandleFunc("/accessibility", func(w http.ResponseWriter, r *http.Request) { s.st(r).site.ServeAccessibility(w, r) }).Methods(http.MethodGet)
	pages.HandleFunc("/{page:[a-z]+}", func(w http.ResponseWriter, r *http.Request) {
		s.st(r).site.ServePage(w, r, mux.Vars(r)["page"])
	}).Methods(http.MethodGet)
	r.Use(s.logRequests)
	// Harden outermost: redirects, 401 and 403 pages and audited answers get the headers too, and
	// cross-site posts are refused before a session is loaded
	app := s.access(http.HandlerFunc(s.dispatch))
	s.handler = Harden(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			s.healthz(w, r) // straight there: a load balancer's probe must stay fast whatever else is asked
			return
		}
		app.ServeHTTP(w, r)
	}))
	return s
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	st := s.cur.Load()
	if problem := st.fileProblem(); problem != "" {
		http.Error(w, "warehouse unavailable: "+problem, http.StatusServiceUnavailable)
		return
	}
	if st.gone.Load() {
		http.Error(w, "warehouse unavailable: the new warehouse file could not be opened", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok " + st.db.Version + "\n"))
}

// briefing serves the cabinet briefing, dated today (use `hubs brief --date` for a fixed date):
// the HTML briefing (the accessible one, the same page `hubs brief --html` writes, under a
// policy that allows only its own inline stylesheet, by hash), or the PDF. The served PDF is
// the untagged fpdf one, labelled so: the server starts no browser (a Chromium per request is
// slow and heavy on a council's server, and one more program to trust); the tagged PDF is
// written by `hubs brief --tagged`, or printed from the HTML briefing by any Chromium-based
// browser. Both have the same access rules and scope.
func (s *Server) briefing(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		vars := mux.Vars(r)
		q := r.URL.Query()
		q.Set("council", vars["council"])
		q.Set("period", vars["period"])
		st := s.st(r)
		v, err := st.answers.Parse(r.Context(), q)
		if err != nil {
			if !denyScope(w, err) {
				http.Error(w, err.Error(), http.StatusBadRequest)
			}
			return
		}
		if problem := v.DataProblem(); problem != "" {
			http.Error(w, "no briefing: "+problem, http.StatusNotFound)
			return
		}
		c, p := v.Filters.Council, v.Filters.Period
		// the same briefing for the same data, view, reader's scope and day is the same bytes: kept,
		// and rendered a few at a time, so a flood of briefings cannot starve the pages and /healthz
		// (the view as its address writes it: filters, policy and limits)
		view := dashboards.FilterQuery(&dashboards.View{View: v}).Encode()
		key := fmt.Sprintf("%s|%s|%s|%q|%s", format, st.db.Version, view, answers.ScopeFrom(r.Context()).Key(), time.Now().Format(time.DateOnly))
		body, err := s.pdfs.get(r.Context(), key, func() ([]byte, error) {
			req := briefings.Request{Filters: v.Filters, Wide: v.Wide}
			if format == "html" {
				return briefings.HTMLBytes(r.Context(), st.answers, req)
			}
			return briefings.Bytes(r.Context(), st.answers, req)
		})
		if errors.Is(err, errBusy) {
			w.Header().Set("Retry-After", "5")
			http.Error(w, "too many briefings are being written: try again in a few seconds", http.StatusServiceUnavailable)
			return
		}
		if denyScope(w, err) {
			return
		}
		if err != nil {
			s.log.Printf("briefing %s %s: %v", c.Slug, p.Label, err)
			http.Error(w, "could not write the briefing", http.StatusInternalServerError)
			return
		}
		name := "familyhubs-" + c.Slug + "-" + p.Label + "." + format
		if format == "html" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Security-Policy", briefings.ContentSecurityPolicy)
		} else {
			w.Header().Set("Content-Type", "application/pdf")
		}
		w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
		w.Write(body)
	}
}

// sql runs one read-only SQL statement for an analyst (the access layer lets no one else here):
// exact counts, OFFICIAL-SENSITIVE. The warehouse is open read-only with DuckDB's external access
// off, so a statement can neither change it nor read or write any other file.
func (s *Server) sql(w http.ResponseWriter, r *http.Request) {
	text := r.URL.Query().Get("q")
	if strings.TrimSpace(text) == "" {
		http.Error(w, "give one read-only SQL statement as q", http.StatusBadRequest)
		return
	}
	res, err := warehouse.ReadOnlyQuery(r.Context(), s.st(r).db, text)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	format := "json"
	if r.URL.Query().Get("format") == "csv" {
		format = "csv"
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	if err := queries.Write(w, res, format); err != nil {
		s.log.Printf("writing SQL answer: %v", err)
	}
}

func (s *Server) listQueries(w http.ResponseWriter, r *http.Request) {
	type q struct {
		Name    string          `json:"name"`
		Answers string          `json:"answers"`
		Params  []queries.Param `json:"params"`
		Units   string          `json:"units"`
		Source  string          `json:"source"`
	}
	var out []q
	for _, x := range queries.All() {
		if !x.ExactOnly { // for the return and analysts only: not served here
			out = append(out, q{x.Name, x.Answers, x.Params, x.Units, x.Source})
		}
	}
	writeJSON(w, out)
}

// runQuery answers GET /api/queries/{name}[.csv] with the page filters (council, period, locality,
// service, disclosure) and, to give exactly a chart's rows, only.COLUMN=VALUE row filters. It
// answers through the same cache and code as the pages.
func (s *Server) runQuery(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := queries.Get(mux.Vars(r)["name"])
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		if q.ExactOnly {
			http.Error(w, q.Name+": "+measures.ErrExactOnly.Error(), http.StatusForbidden)
			return
		}
		st := s.st(r)
		v, err := st.answers.Parse(r.Context(), r.URL.Query())
		if err != nil {
			if !denyScope(w, err) {
				http.Error(w, err.Error(), http.StatusBadRequest)
			}
			return
		}
		res, err := st.answers.Run(r.Context(), v, q.Name)
		if denyScope(w, err) {
			return
		}
		if err != nil {
			s.log.Printf("query %s: %v", q.Name, err)
			http.Error(w, "query failed", http.StatusInternalServerError)
			return
		}
		only := map[string]string{}
		for k, vals := range r.URL.Query() {
			if col, ok := strings.CutPrefix(k, "only."); ok && len(vals) > 0 {
				if res.Col(col) < 0 {
					http.Error(w, "no column "+col+" in "+q.Name, http.StatusBadRequest)
					return
				}
				only[col] = vals[0]
			}
		}
		out := answers.Download(res, v, only)
		if format == "csv" {
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			w.Header().Set("Content-Disposition", `attachment; filename="`+answers.DownloadName(q.Name, v, only)+`.csv"`)
		} else {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
		}
		if err := queries.Write(w, out, format); err != nil {
			s.log.Printf("writing %s: %v", q.Name, err)
		}
	}
}

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			s.log.Printf("%s %s %d %s", r.Method, r.URL.RequestURI(), sw.status, time.Since(start).Round(time.Microsecond))
		}
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if err := jsonEncoder(w).Encode(v); err != nil && !errors.Is(err, context.Canceled) {
		return
	}
}
