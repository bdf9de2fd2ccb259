package answers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"familyhubs/queries"
)

// Scope is what the person asking may see: set by the server from who is signed in, enforced
// here, in the layer every page, API call, download and briefing goes through, never only by
// hiding a menu. A nil Scope (the command line, tests) sees everything it asks for.
type Scope struct {
	// Councils limits the councils (ONS codes or slugs); empty is every council.
	Councils []string
	// Localities limits a council to some of its localities: "council/locality", the council by
	// ONS code or slug. A council named here (and not in Councils) shows only those localities:
	// never the whole council, never another locality's rows.
	Localities []string
	// Exact allows exact counts (disclosure=none): analysts.
	Exact bool
	// Who names the person, for the messages that refuse.
	Who string
	// Local is the local demo's user: no sign-in (pages say so).
	Local bool
}

// Key identifies what the scope lets its holder see, for caches of rendered pages.
func (s *Scope) Key() string {
	if s == nil {
		return ""
	}
	return fmt.Sprintf("%q|%q|%v|%v", s.Councils, s.Localities, s.Exact, s.Local)
}

type scopeKey struct{}

// WithScope puts the asker's scope in a context.
func WithScope(ctx context.Context, s *Scope) context.Context {
	return context.WithValue(ctx, scopeKey{}, s)
}

// ScopeFrom is the asker's scope, or nil for no limit.
func ScopeFrom(ctx context.Context) *Scope {
	s, _ := ctx.Value(scopeKey{}).(*Scope)
	return s
}

// ErrForbidden is a request for what the asker's scope does not cover.
var ErrForbidden = errors.New("not within what you may see")

func names(c queries.Council) []string { return []string{c.Code, c.Slug} }

// limited says whether the scope limits anything.
func (s *Scope) limited() bool { return s != nil && (len(s.Councils) > 0 || len(s.Localities) > 0) }

// council says whether a council is in the scope, and if only some of its localities are,
// which (sorted).
func (s *Scope) council(c queries.Council) (ok bool, localities []string) {
	if !s.limited() {
		return true, nil
	}
	for _, n := range s.Councils {
		if slices.Contains(names(c), n) {
			return true, nil
		}
	}
	for _, l := range s.Localities {
		code, loc, _ := strings.Cut(l, "/")
		if slices.Contains(names(c), code) {
			localities = append(localities, loc)
		}
	}
	sort.Strings(localities)
	return len(localities) > 0, localities
}

// Allows says whether the scope covers a council and a locality ("" for the whole council). A
// nil scope allows everything.
func (s *Scope) Allows(c queries.Council, locality string) bool {
	ok, locs := s.council(c)
	if !ok {
		return false
	}
	return locs == nil || slices.Contains(locs, locality)
}

// VisibleCouncils keeps the councils the scope covers.
func (s *Scope) VisibleCouncils(cs []queries.Council) []queries.Council {
	if !s.limited() {
		return cs
	}
	var out []queries.Council
	for _, c := range cs {
		if ok, _ := s.council(c); ok {
			out = append(out, c)
		}
	}
	return out
}

// scoped narrows a view's filters to the scope: a locality manager asking for the whole council
// gets their (first) locality; anything outside the scope is refused.
func (s *Scope) scoped(f *queries.Filters) error {
	ok, locs := s.council(f.Council)
	if !ok {
		return fmt.Errorf("%s: %w", f.Council.Name, ErrForbidden)
	}
	if locs == nil {
		return nil
	}
	if f.Locality == "" {
		f.Locality = locs[0]
		return nil
	}
	if !slices.Contains(locs, f.Locality) {
		return fmt.Errorf("%s, %s: %w", f.Council.Name, f.Locality, ErrForbidden)
	}
	return nil
}

// enforce checks a question's parameters against the scope before it is answered, and returns
// the localities to keep of an answer with a locality column (nil: keep every row).
func (s *Scope) enforce(ctx context.Context, svc *Service, q *queries.Query, args queries.Args) ([]string, error) {
	if !s.limited() {
		return nil, nil
	}
	code, _ := args["council"].(string)
	if !q.Takes("council") || code == "" {
		if q.Takes("council") {
			return nil, fmt.Errorf("%s: %w", q.Name, ErrForbidden)
		}
		return nil, nil // about every council (the list of councils, England): no council's detail
	}
	all, _, err := svc.allCouncils(ctx)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(all, func(c queries.Council) bool { return c.Code == code })
	if i < 0 {
		return nil, fmt.Errorf("council %s: %w", code, ErrForbidden)
	}
	ok, locs := s.council(all[i])
	if !ok {
		return nil, fmt.Errorf("%s: %w", all[i].Name, ErrForbidden)
	}
	if locs != nil && q.Takes("locality") {
		loc, _ := args["locality"].(string)
		if !slices.Contains(locs, loc) {
			return nil, fmt.Errorf("%s, %q: %w", all[i].Name, loc, ErrForbidden)
		}
	}
	return locs, nil
}

// keepLocalities returns a copy of an answer with only the rows of the given localities: rows
// with a locality column, and the rows of a breakdown by locality (breakdown 'locality', the
// locality in category: the outcome questions), including their 'not known' row, which may hold
// another locality's children. An answer with neither is returned as it is.
func keepLocalities(res *queries.Result, locs []string) *queries.Result {
	li, bi, ci := res.Col("locality"), res.Col("breakdown"), res.Col("category")
	byLocality := bi >= 0 && ci >= 0
	if locs == nil || (li < 0 && !byLocality) {
		return res
	}
	out := *res
	out.Rows = nil
	for _, row := range res.Rows {
		if li >= 0 && !slices.Contains(locs, queries.Text(row[li])) {
			continue
		}
		if byLocality && queries.Text(row[bi]) == "locality" && !slices.Contains(locs, queries.Text(row[ci])) {
			continue
		}
		out.Rows = append(out.Rows, row)
	}
	return &out
}
