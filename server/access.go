package server

import (
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strings"

	"familyhubs/answers"
	"familyhubs/audit"
	"familyhubs/auth"
)

// Options say how a server signs people in and where it keeps its audit trail.
type Options struct {
	// Auth signs people in over OpenID Connect. Nil: the local demo, with no sign-in, which must
	// only listen on loopback (hubs serve refuses anything else without a loudly named flag).
	Auth *auth.Auth
	// Audit records every request: who, what, policy, bytes and outcome (never a figure). Nil:
	// no trail (tests and the bench).
	Audit *audit.Log
}

// route is what a path needs: the roles allowed (deny by default: a path no rule names is
// refused) and what the audit trail calls it.
type route struct {
	prefix string
	exact  bool
	roles  []auth.Role // nil: anyone, signed in or not
	action string
}

// routes, most specific first.
var routes = []route{
	{prefix: "/healthz", exact: true, action: "health"},
	{prefix: "/favicon.ico", exact: true, action: "asset"}, // not found, and no reason to sign in
	{prefix: "/auth/", action: "sign-in"},
	{prefix: "/static/", action: "asset"},
	{prefix: "/api/sql", exact: true, roles: []auth.Role{auth.Analyst}, action: "sql"},
	{prefix: "/api/queries/", roles: []auth.Role{auth.Viewer, auth.Manager, auth.Analyst}, action: "api"},
	{prefix: "/api/queries", exact: true, roles: []auth.Role{auth.Viewer, auth.Manager, auth.Analyst}, action: "api"},
	// about the service, no figure: anyone may read them, signed in or not
	{prefix: "/about", exact: true, action: "page"},
	{prefix: "/accessibility", exact: true, action: "page"},
	{prefix: "/briefings/", roles: []auth.Role{auth.Viewer, auth.Manager, auth.Analyst}, action: "briefing"},
	{prefix: "/", roles: []auth.Role{auth.Viewer, auth.Manager, auth.Analyst}, action: "page"},
}

func routeFor(path string) (route, bool) {
	for _, r := range routes {
		if (r.exact && path == r.prefix) || (!r.exact && strings.HasPrefix(path, r.prefix)) {
			if r.prefix == "/" && strings.Count(path, "/") > 1 {
				continue // a page is /overview, never /a/b
			}
			return r, true
		}
	}
	return route{}, false
}

// scopeOf is what a user may see, for the answers layer.
func scopeOf(u *auth.User) *answers.Scope {
	s := &answers.Scope{Exact: u.Has(auth.Analyst), Who: u.Name, Local: u.Local}
	if u.Limited() {
		s.Councils, s.Localities = u.Councils, u.Localities
		if len(s.Councils) == 0 && len(s.Localities) == 0 {
			s.Councils = []string{"-"} // a manager of nothing sees nothing
		}
	}
	return s
}

// access signs people in, refuses what their roles do not allow, scopes what they may see, and
// audits every request (denials included).
func (s *Server) access(next http.Handler) http.Handler {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt, known := routeFor(r.URL.Path)
		var u *auth.User
		if s.opts.Auth == nil {
			u = auth.LocalDemo
		} else {
			u = s.opts.Auth.User(r.Context())
		}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		action := rt.action
		defer func() {
			if rt.action == "asset" || rt.action == "health" {
				return
			}
			s.auditRequest(r, u, action, rec)
		}()
		switch {
		case !known:
			action = "denied"
			http.NotFound(rec, r)
			return
		case rt.roles == nil:
		case u == nil:
			action = "denied"
			if rt.action == "page" && r.Method == http.MethodGet {
				http.Redirect(rec, r, "/auth/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusFound)
				return
			}
			http.Error(rec, "sign in first: /auth/login", http.StatusUnauthorized)
			return
		case !u.Any(rt.roles...):
			action = "denied"
			forbidden(rec, rt.roles, "")
			return
		}
		ctx := r.Context()
		if u != nil {
			ctx = answers.WithScope(auth.WithUser(ctx, u), scopeOf(u))
		}
		next.ServeHTTP(rec, r.WithContext(ctx))
	})
	if s.opts.Auth != nil {
		return s.opts.Auth.Sessions.LoadAndSave(h)
	}
	return h
}

// forbidden is the 403 page: which role is needed, in plain words.
func forbidden(w http.ResponseWriter, roles []auth.Role, why string) {
	var names []string
	for _, r := range roles {
		names = append(names, string(r))
	}
	msg := "You need the " + strings.Join(names, ", ") + " role to see this. Ask your council's administrator for access."
	if why != "" {
		msg = why
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	fmt.Fprintf(w, "<!doctype html><html lang=\"en\"><title>Not allowed</title><h1>Not allowed</h1><p>%s</p><p><a href=\"/auth/logout\">Sign out</a></p></html>", html.EscapeString(msg))
}

// denyScope answers a request for what the user's scope does not cover.
func denyScope(w http.ResponseWriter, err error) bool {
	if errors.Is(err, answers.ErrForbidden) {
		forbidden(w, nil, "This is outside the councils or localities you manage: "+err.Error()+".")
		return true
	}
	return false
}

// signIn serves /auth/login, /auth/callback and /auth/logout.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	a := s.opts.Auth
	if a == nil {
		http.Error(w, "this server has no sign-in: it is the local demo", http.StatusNotFound)
		return
	}
	switch r.URL.Path {
	case "/auth/login":
		a.Login(w, r)
	case "/auth/callback":
		u, err := a.Callback(w, r)
		if err != nil {
			s.log.Printf("sign-in: %v", err)
			http.Error(w, "Sign-in failed. Start again: /auth/login", http.StatusUnauthorized)
			return
		}
		if len(u.Roles) == 0 {
			forbidden(w, nil, "You are signed in as "+u.Name+", but none of your groups gives a role here. Ask your council's administrator for access.")
			return
		}
		http.Redirect(w, r, a.Next(r.Context()), http.StatusFound)
	case "/auth/logout":
		if err := a.Logout(r.Context()); err != nil {
			s.log.Printf("sign-out: %v", err)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html lang="en"><title>Signed out</title><h1>Signed out</h1><p><a href="/auth/login">Sign in again</a></p></html>`)
	default:
		http.NotFound(w, r)
	}
}

// recorder notes a response's status and size for the audit trail.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *recorder) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// auditRequest writes the request's record: who, what (route, parameters, policy), how much
// left and the outcome. No figure is ever in it.
func (s *Server) auditRequest(r *http.Request, u *auth.User, action string, rec *recorder) {
	if s.opts.Audit == nil {
		return
	}
	a := audit.Record{Action: action, Route: r.Method + " " + r.URL.Path, Status: rec.status, Bytes: rec.bytes, Outcome: "ok"}
	if u != nil {
		a.User, a.Roles = u.Subject, u.RoleNames()
		if u.Name != "" && u.Name != u.Subject {
			a.User += " (" + u.Name + ")"
		}
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		a.Client = host
	}
	if q := r.URL.Query(); len(q) > 0 {
		a.Params = map[string]string{}
		for k, v := range q {
			if k == "code" || k == "state" { // the sign-in's one-time secrets
				continue
			}
			a.Params[k] = strings.Join(v, ",")
		}
		a.Policy = q.Get("disclosure")
	}
	if a.Policy == "" && action != "sign-in" && action != "denied" {
		a.Policy = "dfe"
	}
	switch {
	case action == "denied" || rec.status == http.StatusForbidden || rec.status == http.StatusUnauthorized:
		a.Outcome = "denied"
		if action != "denied" {
			a.Action = "denied " + action
		}
	case rec.status >= 400:
		a.Outcome = fmt.Sprintf("error %d", rec.status)
	}
	if strings.HasSuffix(r.URL.Path, ".csv") {
		a.Action = strings.Replace(a.Action, "api", "download", 1)
	}
	if err := s.opts.Audit.Write(a); err != nil {
		s.log.Printf("AUDIT TRAIL NOT WRITTEN: %v", err)
	}
}
