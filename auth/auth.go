// Package auth signs people in with the council's own identity provider over OpenID Connect
// (authorisation code flow with PKCE, server-side sessions), and says what each may see: roles
// from the provider's groups, deny by default, and for hub network managers the councils and
// localities they are limited to.
//
// The roles (a person may hold several):
//   - viewer: protected figures for every council;
//   - manager: protected figures, limited to their councils, or to localities within them;
//   - analyst: exact counts too (the API's disclosure=none);
//   - returns: the DfE return, exact;
//   - admin: loads (from the command line; no web route changes data).
package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/gob"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/alexedwards/scs/v2"
	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Role is what a person may do.
type Role string

const (
	Viewer  Role = "viewer"
	Manager Role = "manager"
	Analyst Role = "analyst"
	Returns Role = "returns"
	Admin   Role = "admin"
)

// Roles lists every role, in order of reach.
var Roles = []Role{Viewer, Manager, Analyst, Returns, Admin}

// Group maps one of the provider's groups to a role and, for managers, where they may look.
type Group struct {
	Name       string   `toml:"name"`       // the group's name or id as the provider sends it
	Role       Role     `toml:"role"`       // viewer, manager, analyst, returns or admin
	Councils   []string `toml:"councils"`   // managers: ONS codes or slugs of their councils
	Localities []string `toml:"localities"` // managers: "council/locality" (by code or slug) within them
}

// Config is the sign-in configuration file (TOML; see the README).
type Config struct {
	Issuer           string   `toml:"issuer"`             // e.g. https://login.microsoftonline.com/TENANT/v2.0
	ClientID         string   `toml:"client_id"`          // the app registration's id
	ClientSecretFile string   `toml:"client_secret_file"` // a file holding the client secret (never the secret itself)
	RedirectURL      string   `toml:"redirect_url"`       // https://hubs.council.gov.uk/auth/callback
	GroupsClaim      string   `toml:"groups_claim"`       // the ID token claim with groups (default "groups")
	Scopes           []string `toml:"scopes"`             // beyond openid (default profile, email)
	IdleTimeout      Duration `toml:"idle_timeout"`       // sign out after this long unused (default 30m)
	Lifetime         Duration `toml:"lifetime"`           // and after this long whatever (default 8h)
	Groups           []Group  `toml:"group"`

	clientSecret string
}

// Duration reads "30m", "8h" from TOML.
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	d.Duration = v
	return err
}

// LoadConfig reads and checks a sign-in configuration file.
func LoadConfig(path string) (*Config, error) {
	var c Config
	md, err := toml.DecodeFile(path, &c)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if un := md.Undecoded(); len(un) > 0 {
		return nil, fmt.Errorf("%s: unknown setting %s", path, un[0])
	}
	if c.Issuer == "" || c.ClientID == "" || c.RedirectURL == "" {
		return nil, fmt.Errorf("%s: issuer, client_id and redirect_url are required", path)
	}
	if c.ClientSecretFile != "" {
		b, err := os.ReadFile(c.ClientSecretFile)
		if err != nil {
			return nil, fmt.Errorf("%s: client_secret_file: %w", path, err)
		}
		c.clientSecret = strings.TrimSpace(string(b))
	}
	if c.GroupsClaim == "" {
		c.GroupsClaim = "groups"
	}
	if len(c.Scopes) == 0 {
		c.Scopes = []string{"profile", "email"}
	}
	if c.IdleTimeout.Duration == 0 {
		c.IdleTimeout.Duration = 30 * time.Minute
	}
	if c.Lifetime.Duration == 0 {
		c.Lifetime.Duration = 8 * time.Hour
	}
	for i, g := range c.Groups {
		if !slices.Contains(Roles, g.Role) {
			return nil, fmt.Errorf("%s: group %d (%s): role %q: use viewer, manager, analyst, returns or admin", path, i+1, g.Name, g.Role)
		}
		if g.Role == Manager && len(g.Councils) == 0 && len(g.Localities) == 0 {
			return nil, fmt.Errorf("%s: group %s: a manager needs councils or localities", path, g.Name)
		}
		for _, l := range g.Localities {
			if !strings.Contains(l, "/") {
				return nil, fmt.Errorf("%s: group %s: locality %q: write council/locality", path, g.Name, l)
			}
		}
	}
	return &c, nil
}

// WithClientSecret sets the client secret directly (tests).
func (c *Config) WithClientSecret(s string) *Config { c.clientSecret = s; return c }

// User is who is signed in and what they may see.
type User struct {
	Subject, Name, Email string
	Roles                []Role
	// Councils and Localities limit a manager who is nothing more: empty means no limit.
	Councils   []string
	Localities []string // council/locality
	Local      bool     // the local demo's user: no sign-in configured
}

// pending is a sign-in started and not yet finished: several may be (two tabs, or a browser
// asking for an icon on the way), each kept under its own state.
type pending struct {
	Nonce, Verifier, Next string
	Started               time.Time
}

func init() {
	gob.Register(User{})
	gob.Register(map[string]pending{})
}

// Has says whether the user holds a role.
func (u *User) Has(r Role) bool { return u != nil && slices.Contains(u.Roles, r) }

// Any says whether the user holds any of the roles.
func (u *User) Any(rs ...Role) bool {
	for _, r := range rs {
		if u.Has(r) {
			return true
		}
	}
	return false
}

// Limited says whether the user sees only some councils or localities: a manager holding no
// role that sees everything.
func (u *User) Limited() bool {
	return u.Has(Manager) && !u.Any(Viewer, Analyst, Returns, Admin)
}

// RoleNames are the user's roles for the audit trail.
func (u *User) RoleNames() string {
	if u == nil {
		return ""
	}
	var s []string
	for _, r := range u.Roles {
		s = append(s, string(r))
	}
	return strings.Join(s, ",")
}

// Resolve turns the groups a provider sent into roles and limits, deny by default: a person in
// no configured group holds no role.
func (c *Config) Resolve(u *User, groups []string) {
	for _, g := range c.Groups {
		if !slices.Contains(groups, g.Name) {
			continue
		}
		if !slices.Contains(u.Roles, g.Role) {
			u.Roles = append(u.Roles, g.Role)
		}
		if g.Role == Manager {
			u.Councils = append(u.Councils, g.Councils...)
			u.Localities = append(u.Localities, g.Localities...)
		}
	}
}

// LocalDemo is the user of a server with no sign-in configured, which only listens on loopback:
// protected figures, as anyone at the machine could run `hubs serve` themselves.
var LocalDemo = &User{Subject: "local", Name: "local demo (no sign-in)", Roles: []Role{Viewer}, Local: true}

type ctxKey struct{}

// WithUser puts the signed-in user in a request's context.
func WithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, ctxKey{}, u)
}

// From is the signed-in user of a request, or nil.
func From(ctx context.Context) *User {
	u, _ := ctx.Value(ctxKey{}).(*User)
	return u
}

// Auth signs people in and keeps their sessions.
type Auth struct {
	cfg      *Config
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	Sessions *scs.SessionManager
}

// New discovers the provider and sets up sessions: cookies HttpOnly, SameSite=Lax (the provider
// redirects back across sites), Secure unless the redirect URL is plain http on loopback (tests).
func New(ctx context.Context, cfg *Config) (*Auth, error) {
	p, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("sign-in: discovering %s: %w", cfg.Issuer, err)
	}
	s := scs.New()
	s.IdleTimeout = cfg.IdleTimeout.Duration
	s.Lifetime = cfg.Lifetime.Duration
	s.Cookie.Name = "hubs_session"
	s.Cookie.HttpOnly = true
	s.Cookie.SameSite = http.SameSiteLaxMode
	s.Cookie.Secure = !loopbackHTTP(cfg.RedirectURL)
	s.Cookie.Persist = false
	return &Auth{
		cfg: cfg,
		oauth: oauth2.Config{ClientID: cfg.ClientID, ClientSecret: cfg.clientSecret, Endpoint: p.Endpoint(),
			RedirectURL: cfg.RedirectURL, Scopes: append([]string{oidc.ScopeOpenID}, cfg.Scopes...)},
		verifier: p.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		Sessions: s,
	}, nil
}

func loopbackHTTP(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" {
		return false
	}
	h := u.Hostname()
	return h == "localhost" || strings.HasPrefix(h, "127.") || h == "::1"
}

func random() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Login starts the authorisation code flow: state, nonce and the PKCE verifier are kept in the
// session, and the browser is sent to the provider.
func (a *Auth) Login(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	state, nonce, verifier := random(), random(), oauth2.GenerateVerifier()
	ps, _ := a.Sessions.Get(ctx, "pending").(map[string]pending)
	keep := map[string]pending{}
	for k, p := range ps { // the last few, and none older than ten minutes
		if time.Since(p.Started) < 10*time.Minute && len(keep) < 4 {
			keep[k] = p
		}
	}
	keep[state] = pending{Nonce: nonce, Verifier: verifier, Next: safeNext(r.URL.Query().Get("next")), Started: time.Now()}
	a.Sessions.Put(ctx, "pending", keep)
	http.Redirect(w, r, a.oauth.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), http.StatusFound)
}

// safeNext keeps a return address on this site: a path, never another host.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, `\`) {
		return "/"
	}
	return next
}

// ErrSignIn is a failed sign-in (bad state, code or token).
var ErrSignIn = errors.New("sign-in failed")

// Callback finishes the flow: checks state, exchanges the code with the PKCE verifier, verifies
// the ID token and its nonce, maps groups to roles, and starts a fresh session (a new token, so a
// session id set before sign-in is worthless).
func (a *Auth) Callback(w http.ResponseWriter, r *http.Request) (*User, error) {
	ctx := r.Context()
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		return nil, fmt.Errorf("%w: the provider said %s", ErrSignIn, e)
	}
	ps, _ := a.Sessions.Get(ctx, "pending").(map[string]pending)
	p, ok := ps[q.Get("state")]
	if !ok || q.Get("state") == "" || time.Since(p.Started) > 10*time.Minute {
		return nil, fmt.Errorf("%w: state does not match (start again from the sign-in page)", ErrSignIn)
	}
	delete(ps, q.Get("state"))
	a.Sessions.Put(ctx, "pending", ps)
	tok, err := a.oauth.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(p.Verifier))
	if err != nil {
		return nil, fmt.Errorf("%w: exchanging the code: %v", ErrSignIn, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := a.verifier.Verify(ctx, raw)
	if err != nil {
		return nil, fmt.Errorf("%w: the ID token: %v", ErrSignIn, err)
	}
	if idt.Nonce == "" || idt.Nonce != p.Nonce {
		return nil, fmt.Errorf("%w: nonce does not match", ErrSignIn)
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return nil, fmt.Errorf("%w: claims: %v", ErrSignIn, err)
	}
	u := &User{Subject: idt.Subject}
	u.Name, _ = claims["preferred_username"].(string)
	if n, ok := claims["name"].(string); ok && n != "" {
		u.Name = n
	}
	u.Email, _ = claims["email"].(string)
	var groups []string
	if gs, ok := claims[a.cfg.GroupsClaim].([]any); ok {
		for _, g := range gs {
			if s, ok := g.(string); ok {
				groups = append(groups, s)
			}
		}
	}
	a.cfg.Resolve(u, groups)
	if err := a.Sessions.RenewToken(ctx); err != nil {
		return nil, err
	}
	a.Sessions.Remove(ctx, "pending")
	a.Sessions.Put(ctx, "user", *u)
	a.Sessions.Put(ctx, "next", p.Next)
	return u, nil
}

// Next is where to send the browser after signing in.
func (a *Auth) Next(ctx context.Context) string { return safeNext(a.Sessions.PopString(ctx, "next")) }

// User is the session's signed-in user, or nil.
func (a *Auth) User(ctx context.Context) *User {
	u, ok := a.Sessions.Get(ctx, "user").(User)
	if !ok {
		return nil
	}
	return &u
}

// Logout ends the session.
func (a *Auth) Logout(ctx context.Context) error { return a.Sessions.Destroy(ctx) }
