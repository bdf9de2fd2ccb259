// Package answers sits between the measures and the renderers. It reads what a person chose
// (council, locality, period, service, disclosure policy) once, works out the period to compare
// with once, knows which days the warehouse holds data for, and answers every named question
// through one cache keyed by the warehouse's data version. Pages, the API, briefings and returns
// all answer through here, and draw the figures declared in figures.go, so none of them computes a
// figure of its own.
package answers

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

// Service answers named questions for one warehouse.
type Service struct {
	db      queries.Querier
	Version string
	DataEnd time.Time
	cache   *Cache
}

// New returns the answers of a warehouse with the given data version and last day of data.
func New(db queries.Querier, version string, dataEnd time.Time) *Service {
	return &Service{db: db, Version: version, DataEnd: dataEnd, cache: NewCache(version, 1024)}
}

// Answer runs a named question through the measures layer under policy, cached by data version,
// question, arguments and policy.
func (s *Service) Answer(ctx context.Context, name string, args queries.Args, policy stats.Policy) (*queries.Result, error) {
	var keep []string
	if scope := ScopeFrom(ctx); scope.limited() {
		q, err := queries.Get(name)
		if err != nil {
			return nil, err
		}
		if keep, err = scope.enforce(ctx, s, q, args); err != nil {
			return nil, err
		}
	}
	res, err := s.answer(ctx, name, args, policy)
	if err != nil {
		return nil, err
	}
	return keepLocalities(res, keep), nil
}

func (s *Service) answer(ctx context.Context, name string, args queries.Args, policy stats.Policy) (*queries.Result, error) {
	return s.cache.Get(name, args, policy.Name, func() (*queries.Result, error) {
		res, err := measures.Run(ctx, s.db, name, args, policy)
		// under the cell key method a total and its parts are perturbed independently: no sum
		// gives a part away, so only a table-by-table rule needs sums protected
		if err != nil || res.Query.Within == nil || policy.Symbol == "" || policy.CellKey != nil {
			return res, err
		}
		parts, err := s.answer(ctx, res.Query.Within.Question, args, policy)
		if err != nil {
			return nil, err
		}
		protectSums(res, parts, policy)
		return res, nil
	})
}

// View is what a person asked to see: the filters, the disclosure policy, the period compared
// with, and what the warehouse holds for the council.
type View struct {
	Filters  queries.Filters
	Policy   stats.Policy
	Previous queries.Period // the same span a year before: the comparison every figure uses
	Coverage Coverage
	Layer    string // map page: reach or idaci
	Wide     bool   // the reader chose 99.8% limits (limits=99.8) instead of 95%
}

// Args are the view's filters as query parameters.
func (v *View) Args() queries.Args { return v.Filters.Args() }

// PreviousArgs are the filters with the comparison period.
func (v *View) PreviousArgs() queries.Args {
	f := v.Filters
	f.Period = v.Previous
	return f.Args()
}

// Coverage is which days the warehouse holds service contacts for a council.
type Coverage struct {
	First, Last time.Time // zero when the council has no contacts
	DataEnd     time.Time
	Synthetic   bool // the council's contacts were generated, not loaded from its own records
}

// HasContacts says whether the council has any service contacts in the warehouse.
func (c Coverage) HasContacts() bool { return !c.Last.IsZero() }

// Covers says whether the period lies wholly within the days the council has data for.
func (c Coverage) Covers(p queries.Period) bool {
	return c.HasContacts() && !p.Start.Before(c.First) && !p.End.After(c.Last)
}

// Overlaps says whether any day of the period has data.
func (c Coverage) Overlaps(p queries.Period) bool {
	return c.HasContacts() && !p.End.Before(c.First) && !p.Start.After(c.Last)
}

// Coverage finds which days the warehouse holds contacts for a council.
func (s *Service) Coverage(ctx context.Context, council queries.Council) (Coverage, error) {
	res, err := s.Answer(ctx, "data_coverage", queries.Args{"council": council.Code}, stats.DfE)
	if err != nil {
		return Coverage{}, err
	}
	var c Coverage
	if len(res.Rows) == 1 {
		row := res.Rows[0]
		c.First, _ = row[res.MustCol("first_contact")].(time.Time)
		c.Last, _ = row[res.MustCol("last_contact")].(time.Time)
		c.DataEnd, _ = row[res.MustCol("data_end")].(time.Time)
		c.Synthetic, _ = row[res.MustCol("synthetic")].(bool)
	}
	return c, nil
}

// DataProblem says in plain words why the view's period has no service data to show, or "" when it
// has. Pages print it instead of figures; briefings refuse.
func (v *View) DataProblem() string {
	c, p, name := v.Coverage, v.Filters.Period, v.Filters.Council.Name
	switch {
	case !c.HasContacts():
		return fmt.Sprintf("The warehouse holds no service contacts for %s, so there is nothing to show about who the hubs reach. "+
			"Load the council's records with `hubs load`, or choose a council with a hub network.", name)
	case !c.Overlaps(p):
		return fmt.Sprintf("The warehouse holds %s's service contacts from %s to %s, so it has no data for %s. Choose a period within them.",
			name, Day(c.First), Day(c.Last), PeriodName(p))
	}
	return ""
}

// PartialNote warns when the period runs past either end of the data, or "".
func (v *View) PartialNote() string {
	c, p := v.Coverage, v.Filters.Period
	if !c.HasContacts() || c.Covers(p) || !c.Overlaps(p) {
		return ""
	}
	return fmt.Sprintf("The data run from %s to %s, so %s is incomplete: its figures count part of the period only and are not compared with a year before.",
		Day(c.First), Day(c.Last), PeriodName(p))
}

// Comparable says whether the view's figures may be set against the previous period: both
// periods lie wholly within the data.
func (v *View) Comparable() bool {
	return v.Coverage.Covers(v.Filters.Period) && v.Coverage.Covers(v.Previous)
}

// Previous is the period a figure is compared with: the same span a year before, named so a
// reader knows which it is ("2023-24", "2023-24Q3, the same quarter a year before").
func Previous(p queries.Period) queries.Period {
	start, end := p.Start.AddDate(-1, 0, 0), p.End.AddDate(-1, 0, 0)
	if p.End.Month() == time.February && p.End.AddDate(0, 0, 1).Month() == time.March {
		end = time.Date(end.Year(), time.March, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1) // last day of February
	}
	label := start.Format(time.DateOnly) + ".." + end.Format(time.DateOnly)
	if prev, err := queries.ParsePeriod(shiftLabel(p.Label)); err == nil && prev.Start.Equal(start) && prev.End.Equal(end) {
		label = prev.Label
	}
	return queries.Period{Label: label, Start: start, End: end}
}

// shiftLabel moves a financial year, quarter or month label a year back ("2024-25Q3" ->
// "2023-24Q3", "2024-06" -> "2023-06"); anything else is returned as it is.
func shiftLabel(s string) string {
	var y, y2, q int
	if n, _ := fmt.Sscanf(s, "%4d-%2dQ%1d", &y, &y2, &q); n == 3 && len(s) == 9 {
		return fmt.Sprintf("%d-%02dQ%d", y-1, y%100, q)
	}
	if n, _ := fmt.Sscanf(s, "%4d-%2d", &y, &y2); n == 2 && len(s) == 7 {
		if (y+1)%100 == y2 {
			return fmt.Sprintf("%d-%02d", y-1, y%100)
		}
		return fmt.Sprintf("%d-%02d", y-1, y2)
	}
	return s
}

// Grain names the kind of period: "financial year", "quarter", "month" or "period".
func Grain(p queries.Period) string {
	switch {
	case len(p.Label) == 9 && strings.Contains(p.Label, "Q"):
		return "quarter"
	case len(p.Label) == 7 && p.Start.Month() == time.April && p.End.Equal(p.Start.AddDate(1, 0, -1)):
		return "financial year"
	case len(p.Label) == 7:
		return "month"
	}
	return "period"
}

// Compared names the comparison period as a reader needs it: "2023-24, the year before",
// "2023-24Q3, the same quarter a year before".
func Compared(p queries.Period) string {
	prev := Previous(p)
	switch Grain(p) {
	case "financial year":
		return prev.Label + ", the year before"
	case "quarter":
		return prev.Label + ", the same quarter a year before"
	case "month":
		return prev.Start.Format("January 2006") + ", the same month a year before"
	}
	return PeriodName(prev) + ", a year before"
}

// PeriodName is a period with its days: "2024-25 (1 Apr 2024 to 31 Mar 2025)".
func PeriodName(p queries.Period) string {
	if p.Label == p.Start.Format(time.DateOnly)+".."+p.End.Format(time.DateOnly) {
		return Day(p.Start) + " to " + Day(p.End)
	}
	return fmt.Sprintf("%s (%s to %s)", p.Label, Day(p.Start), Day(p.End))
}

// Day prints a date as people write it: 30 September 2026.
func Day(t time.Time) string { return t.Format("2 January 2006") }

// Councils lists the councils the warehouse knows that the asker may see (ScopeFrom), those
// with a hub network first by name.
func (s *Service) Councils(ctx context.Context) ([]queries.Council, *queries.Result, error) {
	all, res, err := s.allCouncils(ctx)
	return ScopeFrom(ctx).VisibleCouncils(all), res, err
}

func (s *Service) allCouncils(ctx context.Context) ([]queries.Council, *queries.Result, error) {
	res, err := s.answer(ctx, "councils", nil, stats.DfE)
	if err != nil {
		return nil, nil, err
	}
	var out []queries.Council
	for _, row := range res.Rows {
		out = append(out, queries.Council{Code: res.Str(row, "council_code"), Name: res.Str(row, "name"),
			Slug: res.Str(row, "slug"), HasNetwork: row[res.MustCol("has_network")] == true})
	}
	return out, res, nil
}

// Policy reads a disclosure policy's name as pages and the API accept it: dfe (default) or nhs.
// Exact counts never leave through the web.
func Policy(name string) (stats.Policy, error) {
	switch name {
	case "", "dfe":
		return stats.DfE, nil
	case "nhs":
		return stats.NHS, nil
	}
	return stats.Policy{}, fmt.Errorf("disclosure must be dfe or nhs (exact counts are for returns only)")
}

// Parse reads a view from URL parameters: council (code or slug; default Stockport), period
// (default the latest complete financial year), locality, service, disclosure and layer.
func (s *Service) Parse(ctx context.Context, q url.Values) (*View, error) {
	council := q.Get("council")
	if council == "" {
		council = "stockport"
	}
	visible, res, err := s.Councils(ctx)
	if err != nil {
		return nil, err
	}
	c, err := queries.CouncilIn(res, council)
	if err != nil {
		return nil, err
	}
	scope := ScopeFrom(ctx)
	if q.Get("council") == "" && scope.limited() && len(visible) > 0 {
		c = visible[0] // no council asked: the first the asker may see, not one they may not
	}
	policy, err := Policy(q.Get("disclosure"))
	if err != nil && scope != nil && scope.Exact && (q.Get("disclosure") == "none" || q.Get("disclosure") == "exact") {
		policy, err = stats.Exact, nil // analysts: exact counts, OFFICIAL-SENSITIVE
	}
	if err != nil {
		return nil, err
	}
	p := queries.LatestCompleteYear(s.DataEnd)
	if v := q.Get("period"); v != "" {
		if p, err = queries.ParsePeriod(v); err != nil {
			return nil, err
		}
		if !queries.PublishablePeriod(p.Start, p.End) && policy.Name != stats.Exact.Name {
			return nil, fmt.Errorf("period %s: %w", v, measures.ErrSpan)
		}
	}
	f := queries.Filters{Council: c, Period: p, Locality: q.Get("locality"), Service: q.Get("service")}
	if scope.limited() {
		if err := scope.scoped(&f); err != nil {
			return nil, err
		}
	}
	v, err := s.NewView(ctx, f, policy, q.Get("layer"))
	if err != nil {
		return nil, err
	}
	switch q.Get("limits") {
	case "", "95":
	case "99.8":
		v.Wide = true
	default:
		return nil, fmt.Errorf("limits must be 95 or 99.8 (confidence, per cent)")
	}
	return v, nil
}

// NewView completes a view of the filters: the comparison period and the council's coverage.
func (s *Service) NewView(ctx context.Context, f queries.Filters, policy stats.Policy, layer string) (*View, error) {
	cov, err := s.Coverage(ctx, f.Council)
	if err != nil {
		return nil, err
	}
	return &View{Filters: f, Policy: policy, Previous: Previous(f.Period), Coverage: cov, Layer: layer}, nil
}

// Run answers a named question for the view, under its policy.
func (s *Service) Run(ctx context.Context, v *View, name string) (*queries.Result, error) {
	return s.Answer(ctx, name, v.Args(), v.Policy)
}

// RunPrevious answers a named question for the view's comparison period.
func (s *Service) RunPrevious(ctx context.Context, v *View, name string) (*queries.Result, error) {
	return s.Answer(ctx, name, v.PreviousArgs(), v.Policy)
}
