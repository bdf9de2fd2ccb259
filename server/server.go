// Package server serves the dashboards and the API over HTTP with gorilla/mux: pages, the JSON
// and CSV API over the named queries, static assets and /healthz. Pages and the API answer from
// the same named queries, so they cannot disagree.
package server

import (
	"context"
	"errors"
	"html/template"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
	"familyhubs/warehouse"
)

// Server holds what the handlers need.
type Server struct {
	db  *warehouse.DB
	log *log.Logger
}

// New returns the HTTP handler for the warehouse.
func New(db *warehouse.DB, logger *log.Logger) http.Handler {
	s := &Server{db: db, log: logger}
	r := mux.NewRouter()
	r.HandleFunc("/healthz", s.healthz).Methods(http.MethodGet, http.MethodHead)
	api := r.PathPrefix("/api").Subrouter()
	api.HandleFunc("/queries", s.listQueries).Methods(http.MethodGet)
	api.HandleFunc("/queries/{name:[a-z0-9_]+}.csv", s.runQuery("csv")).Methods(http.MethodGet)
	api.HandleFunc("/queries/{name:[a-z0-9_]+}", s.runQuery("json")).Methods(http.MethodGet)
	pages := r.PathPrefix("/").Subrouter()
	pages.HandleFunc("/", s.home).Methods(http.MethodGet)
	r.Use(s.logRequests)
	return r
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		http.Error(w, "warehouse unavailable: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok " + s.db.Version + "\n"))
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
		out = append(out, q{x.Name, x.Answers, x.Params, x.Units, x.Source})
	}
	writeJSON(w, out)
}

// runQuery answers GET /api/queries/{name}[.csv]?council=...&period=...
func (s *Server) runQuery(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := queries.Get(mux.Vars(r)["name"])
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		args, err := s.filterArgs(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		policy := stats.DfE
		switch d := r.URL.Query().Get("disclosure"); d {
		case "", "dfe":
		case "nhs":
			policy = stats.NHS
		default:
			// exact counts never leave through the web: pages and their data are for publication
			http.Error(w, "disclosure must be dfe or nhs", http.StatusBadRequest)
			return
		}
		res, err := measures.Run(r.Context(), s.db, q.Name, args, policy)
		if err != nil {
			s.log.Printf("query %s: %v", q.Name, err)
			http.Error(w, "query failed", http.StatusInternalServerError)
			return
		}
		if format == "csv" {
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			w.Header().Set("Content-Disposition", `attachment; filename="`+q.Name+`.csv"`)
		} else {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
		}
		if err := queries.Write(w, res, format); err != nil {
			s.log.Printf("writing %s: %v", q.Name, err)
		}
	}
}

// filterArgs reads the page filters (council, period) from the URL, as the CLI reads its flags.
func (s *Server) filterArgs(r *http.Request) (queries.Args, error) {
	council := r.URL.Query().Get("council")
	if council == "" {
		council = "stockport"
	}
	c, err := queries.FindCouncil(r.Context(), s.db, council)
	if err != nil {
		return nil, err
	}
	p := queries.LatestCompleteYear(s.db.DataEnd)
	if v := r.URL.Query().Get("period"); v != "" {
		if p, err = queries.ParsePeriod(v); err != nil {
			return nil, err
		}
	}
	return queries.Filters{Council: c, Period: p, Locality: r.URL.Query().Get("locality"), Service: r.URL.Query().Get("service")}.Args(), nil
}

var homePage = template.Must(template.New("home").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>familyhubs</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
code{background:#f3f3f3;padding:0 .2em}</style></head>
<body><h1>familyhubs</h1>
<p>Warehouse data version <code>{{.Version}}</code>. Dashboards are on their way; the named questions answer now as JSON or CSV:</p>
<ul>{{range .Queries}}<li><a href="/api/queries/{{.Name}}"><code>{{.Name}}</code></a> (<a href="/api/queries/{{.Name}}.csv">CSV</a>): {{.Answers}}</li>{{end}}</ul>
<p>Add <code>?council=kirklees&amp;period=2024-25</code> to choose the council and period.</p>
</body></html>`))

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	err := homePage.Execute(w, struct {
		Version string
		Queries []*queries.Query
	}{s.db.Version, queries.All()})
	if err != nil {
		s.log.Printf("home: %v", err)
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
