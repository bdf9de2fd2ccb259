// Package attack is a differencing attacker that reads only published tables: the answers a
// reader gets from the API (or, in process, from measures.Run under a disclosure policy), never
// the warehouse. It knows what the documentation says about the tables (which rows add up to
// which, which figure is a rate of which count) and works out hidden, rounded or perturbed
// counts from the ones that are shown.
//
// Every published count is a cell; every fact the attacker knows about how the tables fit
// together is a linear equation between cells (a total less its parts is zero; the same cell
// shown by two requests is equal). It solves them three ways, over and over until nothing more
// follows, so findings chain across tables, views and families: an equation with all cells but
// one known gives that one; Gaussian elimination over each set of equations sharing unknowns
// gives any unknown the set determines; and ranges narrow through the equations (bounds), from
// what is published about each cell: at least 0, the range a hidden count's reason gives ("1 to 5
// children: suppressed ...": 1 to 5), within half the base of a rounded figure. Rates give counts
// too: count = rate x denominator / per, checked against the published confidence limits.
//
// A recovery is verified only when everything it rests on is checkably exact from what is
// published: each kind of equation it used (its class) holds exactly in every instance whose
// cells are all shown, with at least three such instances that are not all zeros; every column
// it read takes part in such a checked sum and in no kind of equation that failed (so a rounded
// or perturbed column, or a same-cell equality that disagrees, is never trusted); and the derived
// value is a whole number in the range the cell could hold (at least 0; within half the rounding
// base of a rounded figure). Ranges are used for verified findings only once checked too: a
// hidden count's reason only if every hidden count the equations alone recovered lies in its
// range (and at least three did), a rounded figure's base only if the counts lifted exactly from
// rates round to the figures shown. Everything else it can derive is reported apart, unverified:
// a chance match, true or not only by luck. That includes, where an equation does not hold as
// published (perturbed or rounded figures), what the other figures say each small figure in it
// (10 or less) would be.
package attack

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"sort"
	"strings"
	"sync"

	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

// Family is a kind of attack.
type Family int

const (
	// Linked: tables built on the same rows. reach_by_neighbourhood's LSOA rows carry their IMD
	// and IDACI decile and their locality, so each decile row of reach_by_decile, each part of
	// reach_total and each locality of reach_by_locality is the sum of its neighbourhoods; and a
	// cell shown by two requests (a neighbourhood or site in the whole council and in its
	// locality, a locality in reach_by_locality and in reach_total for that locality, a quarter of
	// reach_trend and reach_total for that quarter, a year of reached_before_crisis_trend and
	// reached_before_crisis's council row for that year) is the same cell. Assumes distinct children
	// and families add up across neighbourhoods: a family has one home LSOA (warehouse/rollups.sql).
	Linked Family = iota + 1
	// TotalsParts: a question's total against its parts, within a view and across questions.
	// reach_total's all = idaci_1_2 + idaci_3_10, each part = its IDACI deciles, all = the IMD
	// deciles; the whole council = its localities (reach_by_locality); return_people's all row
	// against its age bands. Contacts add up across everything, so a view's contacts are the same
	// summed over sites (site_activity, whole council only: a site's locality is not its
	// families'), over channels and quarters (channel_mix), over age bands of its service (or every
	// service) in service_mix, and over reach_trend's quarters. Distinct children and families do
	// not add up across services, age bands, channels or sites; where a question publishes such an
	// all row beside its parts (return_people) the equation is still tried, and its failing
	// checks keep it unverified. The outcome questions too (outcomeTotals): reached_before_crisis's
	// council against its localities and against its IDACI quintiles, re_referral's step-down
	// against its routes, link_rates' linked by any method against each method, step_up_by_group's
	// council against its IDACI quintiles, its localities, its age bands and its services (each
	// child in one of each), at each horizon: differencing the council and all groups but one;
	// journeys' flows into a stage against the flows out of it, and out of the hub against step_up.
	TotalsParts
	// Periods: contacts add up across periods (children and families do not: a child seen in two
	// months is one child). A financial year is its four quarters and a quarter its three months,
	// for each site of site_activity, each service and age band of service_mix, and each quarter
	// and channel of channel_mix (whose financial-year rows are its quarters' rows). step_up's
	// cohort is the children first seen in the period, so its cohort, children still followed and
	// children referred by each day add up too: a year's are its quarters', a quarter's its months';
	// and so do each group's of step_up_by_group and each flow of journeys.
	// So do re_referral's referrals, closures and those referred again (each falls in one period).
	Periods
	// Rates: where a rate and its denominator are published, count = rate x denominator / per,
	// rounded to a whole number. The attacker recomputes the rate and its 95% limits (Byar's
	// method, exact Poisson under 10, as the published notes say) from each whole number in
	// reach; a count is recovered when exactly one fits the published rate and limits. Assumes
	// rates are rounded to 3 decimal places, as published. step_up's cumulative incidence gives
	// its children referred and cohort the same way, read as if no child had been censored (then
	// the estimate is referred / cohort and its log-log limits depend on both): a pair is lifted
	// when it alone, within 3 of the counts shown, gives the published estimate and limits.
	Rates
	// NHS: under a policy that rounds counts (NHS: to 5, 1-7 shown as *), the rates of the same
	// view, worked out from exact counts, give the exact counts back; the linked-table and
	// totals-and-parts equations over those then give hidden ones. A recovery is labelled so when
	// any count it rests on was lifted from a rate that says more than the count shown.
	NHS
)

var familyNames = map[Family]string{
	Linked: "linked tables", TotalsParts: "totals against parts", Periods: "periods against sub-periods",
	Rates: "rates against counts", NHS: "rounded counts against rates",
}

func (f Family) String() string { return familyNames[f] }

// Families lists every family.
var Families = []Family{Linked, TotalsParts, Periods, Rates, NHS}

// Recovery is a value the attacker worked out for one published cell.
type Recovery struct {
	Family   Family
	Question string
	View     url.Values // the request that published the cell
	Row      int        // the row's index in that answer
	Key      string     // the row, by its key columns ("lsoa21_code=E01005123")
	Column   string
	Shown    Cell    // what was published
	Value    float64 // what the attacker derived
	Verified bool    // every input checkably exact (see the package comment)
	Why      string  // the equation that gave it
}

func (r Recovery) String() string {
	v := "unverified"
	if r.Verified {
		v = "verified"
	}
	return fmt.Sprintf("%s %s [%s] %s: shown %s, derived %g (%s, %s: %s)", r.Question, r.View.Encode(), r.Key, r.Column,
		r.Shown, r.Value, r.Family, v, r.Why)
}

// Attacker attacks the tables one source publishes, each table fetched once.
type Attacker struct {
	src Source
	// Parallel is how many tables are fetched at once (default 4).
	Parallel int
	// Refused lists the tables the source would not publish in the last run, and why: the
	// attacker goes on without them.
	Refused []string
	// Hidden is how many counts the tables of the last run hid: what there was to find.
	Hidden int
	// Checks says how each kind of equation fared in the last run where all its cells are shown.
	Checks []Check
}

// Check is how one kind of equation fared where all its cells are known from the tables.
type Check struct {
	Class        string
	Family       Family
	Holds, Fails int  // instances (not all zeros) in which it holds exactly, and fails
	Trusted      bool // holds in at least three and fails in none
}

func (c Check) String() string {
	t := "not trusted"
	if c.Trusted {
		t = "trusted"
	}
	return fmt.Sprintf("%s (%s): holds in %d, fails in %d: %s", c.Class, c.Family, c.Holds, c.Fails, t)
}

// New returns an attacker reading src.
func New(src Source) *Attacker { return &Attacker{src: Cached(src), Parallel: 4} }

// LinkedTables runs the linked-table family alone (see Linked).
func (a *Attacker) LinkedTables(ctx context.Context, views []url.Values) ([]Recovery, error) {
	return a.run(ctx, views, []Family{Linked}, nil)
}

// TotalsAndParts runs the totals-against-parts family alone (see TotalsParts).
func (a *Attacker) TotalsAndParts(ctx context.Context, views []url.Values) ([]Recovery, error) {
	return a.run(ctx, views, []Family{TotalsParts}, nil)
}

// PeriodsAndSubPeriods runs the periods family alone (see Periods).
func (a *Attacker) PeriodsAndSubPeriods(ctx context.Context, views []url.Values) ([]Recovery, error) {
	return a.run(ctx, views, []Family{Periods}, nil)
}

// RatesAndCounts lifts counts from rates alone (see Rates).
func (a *Attacker) RatesAndCounts(ctx context.Context, views []url.Values) ([]Recovery, error) {
	return a.run(ctx, views, []Family{Rates}, nil)
}

// NHSAgainstRates lifts counts from the rates of each view and differences them within and
// between tables (see NHS); only recoveries resting on such a lift are returned.
func (a *Attacker) NHSAgainstRates(ctx context.Context, views []url.Values) ([]Recovery, error) {
	return a.run(ctx, views, []Family{Linked, TotalsParts, Rates, NHS}, []Family{NHS})
}

// All runs every family together, so that what one finds feeds the others. Each recovery is
// labelled with the family of the equation that gave it (Rates for a count read off its own
// rate, NHS for anything resting on such a lift).
func (a *Attacker) All(ctx context.Context, views []url.Values) ([]Recovery, error) {
	return a.run(ctx, views, Families, nil)
}

func (a *Attacker) run(ctx context.Context, views []url.Values, fams, keep []Family) ([]Recovery, error) {
	r := &run{families: map[Family]bool{}}
	for _, f := range fams {
		r.families[f] = true
	}
	for _, v := range views {
		if err := r.addView(v); err != nil {
			return nil, err
		}
	}
	err := r.fetch(ctx, a.src, a.Parallel)
	a.Refused = r.refused
	if err != nil {
		return nil, err
	}
	r.build()
	out := r.solve()
	a.Checks = r.checks
	a.Hidden = 0
	for _, k := range r.order {
		t := r.tables[k]
		for _, c := range countColumns[t.question] {
			if j := t.t.Col(c); j >= 0 {
				for _, row := range t.t.Rows {
					if row[j].Kind == Hidden {
						a.Hidden++
					}
				}
			}
		}
	}
	if keep != nil {
		var kept []Recovery
		for _, rec := range out {
			for _, f := range keep {
				if rec.Family == f {
					kept = append(kept, rec)
				}
			}
		}
		out = kept
	}
	return out, nil
}

// view is one view the attacker asks about.
type view struct {
	council, period, locality, service, disclosure string
	p                                              queries.Period
	grain                                          string // year, quarter, month
}

func parseView(v url.Values) (view, error) {
	w := view{council: v.Get("council"), period: v.Get("period"), locality: v.Get("locality"),
		service: v.Get("service"), disclosure: v.Get("disclosure")}
	p, err := queries.ParsePeriod(w.period)
	if err != nil {
		return w, err
	}
	w.p = p
	switch {
	case strings.Contains(p.Label, "Q"):
		w.grain = "quarter"
	case p.End.Equal(p.Start.AddDate(1, 0, -1)):
		w.grain = "year"
	case p.End.Equal(p.Start.AddDate(0, 1, -1)):
		w.grain = "month"
	}
	return w, nil
}

// with is the same view for another period, locality or service.
func (v view) with(period, locality, service string) view {
	w := v
	w.period, w.locality, w.service = period, locality, service
	w, _ = parseView(w.values(nil))
	return w
}

// values are the request's parameters for a question: those it does not take are left out, so
// one table serves every view that shares it.
func (v view) values(q *queries.Query) url.Values {
	out := url.Values{"council": {v.council}}
	takes := func(p string) bool { return q == nil || q.Takes(p) }
	if v.period != "" && (takes("period_start") || takes("period_end")) {
		out.Set("period", v.period)
	}
	if v.locality != "" && takes("locality") {
		out.Set("locality", v.locality)
	}
	if v.service != "" && takes("service") {
		out.Set("service", v.service)
	}
	if v.disclosure != "" {
		out.Set("disclosure", v.disclosure)
	}
	return out
}

// subPeriods are the periods that make up p: a year's four quarters, a quarter's three months.
func subPeriods(p queries.Period, grain string) []string {
	var out []string
	switch grain {
	case "year":
		for q := 1; q <= 4; q++ {
			out = append(out, fmt.Sprintf("%sQ%d", p.Label, q))
		}
	case "quarter":
		for m := 0; m < 3; m++ {
			out = append(out, p.Start.AddDate(0, m, 0).Format("2006-01"))
		}
	}
	return out
}

// The questions the attacker reads, with the columns that identify a row and its counts.
var (
	viewQuestions    = []string{"reach_by_decile", "reach_by_neighbourhood", "reach_total", "site_activity", "channel_mix"}
	periodQuestions  = []string{"reach_by_locality", "service_mix", "return_people", "step_up", "reached_before_crisis", "re_referral", "link_rates", "step_up_by_group", "journeys"}
	networkQuestions = []string{"reach_trend"}
	// councilQuestions take the council alone: one table serves every view of the council
	councilQuestions = []string{"reached_before_crisis_trend"}
	keyColumns       = map[string][]string{
		"reach_by_decile": {"index", "decile"}, "reach_by_neighbourhood": {"lsoa21_code"}, "reach_total": {"part"},
		"reach_by_locality": {"locality"}, "site_activity": {"site_id"}, "channel_mix": {"quarter", "channel"},
		"service_mix": {"service_code", "age_band"}, "return_people": {"age_band"}, "reach_trend": {"quarter"},
		"step_up": {"months"}, "reached_before_crisis": {"kind", "breakdown", "category"}, "re_referral": {"measure", "route"},
		"link_rates": {"link_method"}, "step_up_by_group": {"breakdown", "category", "months"},
		"journeys": {"source", "target"}, "reached_before_crisis_trend": {"kind", "year"},
	}
	countColumns = map[string][]string{
		"reach_by_decile": {"children_reached", "families_reached", "expectant_families"}, "reach_by_neighbourhood": {"children_reached"},
		"reach_total": {"children_reached", "families_reached", "expectant_families"}, "reach_by_locality": {"children_reached", "families_reached"},
		"site_activity": {"contacts", "families", "children"}, "channel_mix": {"contacts", "families_reached"},
		"service_mix":                 {"contacts", "children_reached", "families_reached"},
		"return_people":               {"families", "children", "carers", "fathers"},
		"reach_trend":                 {"children_reached", "families_reached", "contacts"},
		"step_up":                     {"cohort", "followed", "events"},
		"reached_before_crisis":       {"children", "linked", "reached_12m", "reached_24m"},
		"re_referral":                 {"cases", "re_referred", "short_follow_up"},
		"link_rates":                  {"children_referred", "children_linked"},
		"step_up_by_group":            {"cohort", "followed", "events"},
		"journeys":                    {"children"},
		"reached_before_crisis_trend": {"children", "linked", "reached_12m"},
	}
	// rated are the questions publishing reach_per_1000 = children_reached / children_resident x 1000.
	rated = []string{"reach_by_decile", "reach_by_neighbourhood", "reach_total", "reach_by_locality", "reach_trend"}
)

type tableRef struct {
	key      string
	question string
	values   url.Values
	t        *Table
	err      error
	rows     map[string]int // row key -> index
}

type run struct {
	families map[Family]bool
	views    []view
	seen     map[string]bool
	tables   map[string]*tableRef
	order    []string
	refused  []string // tables the source would not publish, and why

	nodes []node
	ids   map[nodeKey]int
	eqs   []equation
	byEq  [][]int // node -> equations it is in
	// rounded: count columns whose shown values are all multiples of a base (question.column -> base)
	rounded map[string]float64
	lifts   map[int]lift
	checks  []Check
}

type nodeKey struct {
	table string
	row   int
	col   string
}

type node struct {
	ref    *tableRef
	row    int
	col    string
	column string // question.column: the unit of trust
	shown  Cell
}

type term struct {
	id   int
	coef float64
}

type equation struct {
	class  string
	family Family
	sum    bool // a sum of parts, not the same cell shown twice
	terms  []term
}

type lift struct {
	value    float64
	verified bool // the published limits matched too
}

func (r *run) addView(v url.Values) error {
	w, err := parseView(v)
	if err != nil {
		return err
	}
	if w.council == "" || w.grain == "" {
		return fmt.Errorf("view %s: name a council and a financial year, quarter or month", v.Encode())
	}
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	k := w.values(nil).Encode()
	if r.seen[k] {
		return nil
	}
	r.seen[k] = true
	r.views = append(r.views, w)
	return nil
}

// need lists a question for a view; the table is fetched once whatever views share it.
func (r *run) need(question string, v view) {
	q, err := queries.Get(question)
	if err != nil {
		return
	}
	vals := v.values(q)
	key := question + "?" + vals.Encode()
	if r.tables == nil {
		r.tables = map[string]*tableRef{}
	}
	if _, ok := r.tables[key]; ok {
		return
	}
	r.tables[key] = &tableRef{key: key, question: question, values: vals}
	r.order = append(r.order, key)
}

func (r *run) table(question string, v view) *tableRef {
	q, err := queries.Get(question)
	if err != nil {
		return nil
	}
	t := r.tables[question+"?"+v.values(q).Encode()]
	if t == nil || t.t == nil {
		return nil
	}
	return t
}

func (r *run) fetch(ctx context.Context, src Source, parallel int) error {
	for _, v := range r.views {
		for _, q := range viewQuestions {
			r.need(q, v)
		}
		for _, q := range periodQuestions {
			r.need(q, v)
		}
		for _, q := range networkQuestions {
			r.need(q, v)
		}
		for _, q := range councilQuestions {
			r.need(q, v)
		}
		if v.locality != "" { // its neighbourhoods and sites are shown in the whole council too
			r.need("reach_by_neighbourhood", v.with(v.period, "", v.service))
			r.need("site_activity", v.with(v.period, "", v.service))
		}
	}
	if parallel < 1 {
		parallel = 4
	}
	work := make(chan *tableRef)
	var wg sync.WaitGroup
	for i := 0; i < parallel; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range work {
				t.t, t.err = src.Get(ctx, t.question, t.values)
			}
		}()
	}
	for _, k := range r.order {
		work <- r.tables[k]
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	// a question the source refuses (not published under its policy) is a table the attacker
	// does not have; but a source that refuses most is broken
	got := r.order[:0:0]
	for _, k := range r.order {
		t := r.tables[k]
		if t.err != nil {
			r.refused = append(r.refused, fmt.Sprintf("%s: %v", k, t.err))
			continue
		}
		got = append(got, k)
		t.rows = map[string]int{}
		for i := range t.t.Rows {
			t.rows[rowKey(t, i)] = i
		}
	}
	if len(got) < len(r.order)/2 {
		return fmt.Errorf("the source answered %d of %d tables: %s", len(got), len(r.order), r.refused[0])
	}
	r.order = got
	return nil
}

func rowKey(t *tableRef, row int) string {
	var parts []string
	for _, c := range keyColumns[t.question] {
		parts = append(parts, c+"="+t.t.Str(row, c))
	}
	return strings.Join(parts, " ")
}

// cell registers a published count as a node.
func (r *run) cell(t *tableRef, row int, col string) int {
	k := nodeKey{t.key, row, col}
	if id, ok := r.ids[k]; ok {
		return id
	}
	if r.ids == nil {
		r.ids = map[nodeKey]int{}
	}
	id := len(r.nodes)
	r.ids[k] = id
	r.nodes = append(r.nodes, node{ref: t, row: row, col: col, column: t.question + "." + col, shown: t.t.Cell(row, col)})
	r.byEq = append(r.byEq, nil)
	return id
}

// cells registers the named column of the rows for which pick is true.
func (r *run) cells(t *tableRef, col string, pick func(row int) bool) []int {
	var out []int
	if t == nil || t.t.Col(col) < 0 {
		return nil
	}
	for i := range t.t.Rows {
		if pick == nil || pick(i) {
			out = append(out, r.cell(t, i, col))
		}
	}
	return out
}

// rowCell is the node of the row with the given key, or -1.
func (r *run) rowCell(t *tableRef, key, col string) int {
	if t == nil || t.t.Col(col) < 0 {
		return -1
	}
	i, ok := t.rows[key]
	if !ok {
		return -1
	}
	return r.cell(t, i, col)
}

// equal adds plus - minus = 0: each side a sum of cells.
func (r *run) equal(fam Family, class string, sum bool, plus, minus []int) {
	if !r.families[fam] || len(plus) == 0 || len(minus) == 0 {
		return
	}
	for _, id := range append(append([]int(nil), plus...), minus...) {
		if id < 0 {
			return
		}
	}
	e := equation{class: class, family: fam, sum: sum}
	seen := map[int]float64{}
	for _, id := range plus {
		seen[id]++
	}
	for _, id := range minus {
		seen[id]--
	}
	for _, id := range append(append([]int(nil), plus...), minus...) {
		if c, ok := seen[id]; ok {
			if c != 0 {
				e.terms = append(e.terms, term{id, c})
			}
			delete(seen, id)
		}
	}
	if len(e.terms) == 0 {
		return
	}
	n := len(r.eqs)
	r.eqs = append(r.eqs, e)
	for _, t := range e.terms {
		r.byEq[t.id] = append(r.byEq[t.id], n)
	}
}

func one(id int) []int { return []int{id} }

// build writes down every equation the families know for the views fetched.
func (r *run) build() {
	for _, v := range r.views {
		r.linked(v)
		r.totals(v)
		r.periods(v)
	}
	r.findRounding()
	if r.families[Rates] || r.families[NHS] {
		r.liftRates()
	}
}

func (r *run) linked(v view) {
	nb := r.table("reach_by_neighbourhood", v)
	dec := r.table("reach_by_decile", v)
	tot := r.table("reach_total", v)
	if nb != nil && dec != nil {
		for i := range dec.t.Rows {
			index, d := dec.t.Str(i, "index"), dec.t.Str(i, "decile")
			col := map[string]string{"IDACI": "idaci_decile", "IMD": "imd_decile"}[index]
			if col == "" {
				continue
			}
			parts := r.cells(nb, "children_reached", func(j int) bool { return nb.t.Str(j, col) == d })
			if len(parts) == 0 { // a decile with no neighbourhoods: its count is nothing's sum
				continue
			}
			r.equal(Linked, "reach_by_decile."+index+" decile = its reach_by_neighbourhood rows", true,
				one(r.cell(dec, i, "children_reached")), parts)
		}
	}
	if nb != nil && tot != nil {
		all := r.cells(nb, "children_reached", nil)
		r.equal(Linked, "reach_total all = every reach_by_neighbourhood row", true, one(r.rowCell(tot, "part=all", "children_reached")), all)
		low := r.cells(nb, "children_reached", func(j int) bool { return num(nb.t.Cell(j, "idaci_decile")) <= 2 })
		high := r.cells(nb, "children_reached", func(j int) bool { return num(nb.t.Cell(j, "idaci_decile")) > 2 })
		r.equal(Linked, "reach_total idaci_1_2 = its reach_by_neighbourhood rows", true, one(r.rowCell(tot, "part=idaci_1_2", "children_reached")), low)
		r.equal(Linked, "reach_total idaci_3_10 = its reach_by_neighbourhood rows", true, one(r.rowCell(tot, "part=idaci_3_10", "children_reached")), high)
	}
	// a locality's neighbourhoods and sites are the same cells in the whole council
	if v.locality != "" {
		whole := v.with(v.period, "", v.service)
		if wnb := r.table("reach_by_neighbourhood", whole); nb != nil && wnb != nil {
			for i := range nb.t.Rows {
				r.equal(Linked, "reach_by_neighbourhood: a locality's row = the same row in the whole council", false,
					one(r.cell(nb, i, "children_reached")), one(r.rowCell(wnb, rowKey(nb, i), "children_reached")))
			}
		}
		sa, wsa := r.table("site_activity", v), r.table("site_activity", whole)
		if sa != nil && wsa != nil {
			for i := range sa.t.Rows {
				for _, c := range countColumns["site_activity"] {
					r.equal(Linked, "site_activity: a locality's site = the same site in the whole council", false,
						one(r.cell(sa, i, c)), one(r.rowCell(wsa, rowKey(sa, i), c)))
				}
			}
		}
	}
	// reach_by_locality against the neighbourhoods (all services) and against reach_total for
	// the locality
	loc := r.table("reach_by_locality", v)
	if loc != nil && v.service == "" {
		if v.locality == "" && nb != nil {
			for i := range loc.t.Rows {
				l := loc.t.Str(i, "locality")
				parts := r.cells(nb, "children_reached", func(j int) bool { return nb.t.Str(j, "locality") == l })
				r.equal(Linked, "reach_by_locality = its reach_by_neighbourhood rows", true, one(r.cell(loc, i, "children_reached")), parts)
			}
		}
		if v.locality != "" && tot != nil {
			for _, c := range []string{"children_reached", "families_reached"} {
				r.equal(Linked, "reach_by_locality = reach_total all for the locality", false,
					one(r.rowCell(loc, "locality="+v.locality, c)), one(r.rowCell(tot, "part=all", c)))
			}
		}
	}
	// a quarter of reach_trend is reach_total for that quarter
	if tr := r.table("reach_trend", v); tr != nil && tot != nil && v.grain == "quarter" {
		for _, c := range []string{"children_reached", "families_reached"} {
			r.equal(Linked, "reach_trend's quarter = reach_total for the quarter", false,
				one(r.rowCell(tr, "quarter="+v.period, c)), one(r.rowCell(tot, "part=all", c)))
		}
	}
	// step_up's cohort is one cell, shown in each of its rows
	if su := r.table("step_up", v); su != nil {
		for i := 1; i < len(su.t.Rows); i++ {
			r.equal(Linked, "step_up: the cohort in each row = the cohort in the first", false,
				one(r.cell(su, i, "cohort")), one(r.cell(su, 0, "cohort")))
		}
	}
	// step_up_by_group's council rows are step_up's rows, and each group's cohort is one cell,
	// shown in each of its rows
	if sg := r.table("step_up_by_group", v); sg != nil {
		su := r.table("step_up", v)
		for i := range sg.t.Rows {
			b, c, m := sg.t.Str(i, "breakdown"), sg.t.Str(i, "category"), sg.t.Str(i, "months")
			if b == "council" && su != nil {
				for _, col := range countColumns["step_up"] {
					r.equal(Linked, "step_up_by_group's council = step_up", false,
						one(r.cell(sg, i, col)), one(r.rowCell(su, "months="+m, col)))
				}
			}
			if first := r.rowCell(sg, "breakdown="+b+" category="+c+" months=6", "cohort"); first >= 0 && m != "6" {
				r.equal(Linked, "step_up_by_group: a group's cohort in each row = in its first", false,
					one(r.cell(sg, i, "cohort")), one(first))
			}
		}
	}
	// a year of reached_before_crisis_trend is reached_before_crisis's council row for that year
	// (the same children: each child's first start of the kind in the year)
	if rt, rb := r.table("reached_before_crisis_trend", v), r.table("reached_before_crisis", v); rt != nil && rb != nil && v.grain == "year" {
		for _, kind := range []string{"looked_after", "protection_plan"} {
			for _, c := range countColumns["reached_before_crisis_trend"] {
				r.equal(Linked, "reached_before_crisis_trend's year = reached_before_crisis's council row for the year", false,
					one(r.rowCell(rt, "kind="+kind+" year="+v.period, c)), one(r.rowCell(rb, "kind="+kind+" breakdown=all category=all", c)))
			}
		}
	}
	// link_rates' children referred are one cell, shown in each of its rows
	if lr := r.table("link_rates", v); lr != nil {
		for i := 1; i < len(lr.t.Rows); i++ {
			r.equal(Linked, "link_rates: the children referred in each row = those in the first", false,
				one(r.cell(lr, i, "children_referred")), one(r.cell(lr, 0, "children_referred")))
		}
	}
	// return_people's families are reach_total's (every family with a contact)
	if rp := r.table("return_people", v); rp != nil && tot != nil && v.locality == "" && v.service == "" {
		r.equal(Linked, "return_people all families = reach_total all families", false,
			one(r.rowCell(rp, "age_band=all", "families")), one(r.rowCell(tot, "part=all", "families_reached")))
	}
}

func (r *run) totals(v view) {
	r.outcomeTotals(v)
	dec, tot := r.table("reach_by_decile", v), r.table("reach_total", v)
	for _, c := range []string{"children_reached", "families_reached", "expectant_families"} {
		if tot != nil {
			r.equal(TotalsParts, "reach_total all = idaci_1_2 + idaci_3_10", true, one(r.rowCell(tot, "part=all", c)),
				[]int{r.rowCell(tot, "part=idaci_1_2", c), r.rowCell(tot, "part=idaci_3_10", c)})
		}
		if tot != nil && dec != nil {
			for _, part := range []string{"idaci_1_2", "idaci_3_10"} {
				parts := r.cells(dec, c, func(i int) bool { return dec.t.Str(i, "index") == "IDACI" && dec.t.Str(i, "part") == part })
				if len(parts) == 0 { // no part column: the IDACI deciles by number
					parts = r.cells(dec, c, func(i int) bool {
						d := num(dec.t.Cell(i, "decile"))
						return dec.t.Str(i, "index") == "IDACI" && (d <= 2) == (part == "idaci_1_2")
					})
				}
				r.equal(TotalsParts, "reach_total part = its IDACI deciles of reach_by_decile", true, one(r.rowCell(tot, "part="+part, c)), parts)
			}
			imd := r.cells(dec, c, func(i int) bool { return dec.t.Str(i, "index") == "IMD" })
			r.equal(TotalsParts, "reach_total all = the IMD deciles of reach_by_decile", true, one(r.rowCell(tot, "part=all", c)), imd)
		}
	}
	// the whole council is its localities (all services)
	if loc := r.table("reach_by_locality", v); loc != nil && tot != nil && v.locality == "" && v.service == "" {
		for _, c := range []string{"children_reached", "families_reached"} {
			r.equal(TotalsParts, "reach_total all = the localities of reach_by_locality", true,
				one(r.rowCell(tot, "part=all", c)), r.cells(loc, c, nil))
		}
	}
	// return_people's all row against its age bands (distinct people: expected not to add up)
	if rp := r.table("return_people", v); rp != nil {
		for _, c := range countColumns["return_people"] {
			r.equal(TotalsParts, "return_people all = its age bands", true, one(r.rowCell(rp, "age_band=all", c)),
				r.cells(rp, c, func(i int) bool { return rp.t.Str(i, "age_band") != "all" }))
		}
	}
	// contacts: the view's total, summed over sites, channels, service_mix and reach_trend
	type sum struct {
		name  string
		cells []int
	}
	var sums []sum
	if sa := r.table("site_activity", v); sa != nil && v.locality == "" {
		sums = append(sums, sum{"its sites (site_activity)", r.cells(sa, "contacts", nil)})
	}
	cm := r.table("channel_mix", v)
	if cm != nil {
		sums = append(sums, sum{"its quarters and channels (channel_mix)", r.cells(cm, "contacts", nil)})
	}
	if sm := r.table("service_mix", v); sm != nil && v.locality == "" {
		sums = append(sums, sum{"its services' age bands (service_mix)", r.cells(sm, "contacts", func(i int) bool {
			return v.service == "" || sm.t.Str(i, "service_code") == v.service
		})})
	}
	tr := r.table("reach_trend", v)
	if tr != nil && v.grain != "month" {
		var qs []int
		for _, q := range append([]string{v.period}, subPeriods(v.p, v.grain)...) {
			if id := r.rowCell(tr, "quarter="+q, "contacts"); id >= 0 {
				qs = append(qs, id)
			}
		}
		if (v.grain == "quarter" && len(qs) == 1) || (v.grain == "year" && len(qs) == 4) {
			sums = append(sums, sum{"its quarters (reach_trend)", qs})
		}
	}
	for i := 1; i < len(sums); i++ {
		if len(sums[0].cells) > 0 && len(sums[i].cells) > 0 {
			r.equal(TotalsParts, "contacts: "+sums[0].name+" = "+sums[i].name, true, sums[0].cells, sums[i].cells)
		}
	}
	// each whole quarter of channel_mix is that quarter of reach_trend
	if cm != nil && tr != nil && v.grain == "year" {
		for _, q := range subPeriods(v.p, v.grain) {
			chans := r.cells(cm, "contacts", func(i int) bool { return cm.t.Str(i, "quarter") == q })
			r.equal(TotalsParts, "contacts: a quarter's channels (channel_mix) = the quarter (reach_trend)", true,
				one(r.rowCell(tr, "quarter="+q, "contacts")), chans)
		}
	}
}

func (r *run) periods(v view) {
	subs := subPeriods(v.p, v.grain)
	if len(subs) == 0 {
		return
	}
	var parts []view
	for _, s := range subs {
		parts = append(parts, v.with(s, v.locality, v.service))
	}
	// step_up: its cohort is the children first seen in the period, so a year's cohort is its
	// quarters' and a quarter's its months'; each child is followed the same however the period is
	// cut, so the children still followed and those referred by each day add up too
	for _, q := range []string{"step_up", "step_up_by_group", "journeys"} {
		whole := r.table(q, v)
		if whole == nil {
			continue
		}
		var subTables []*tableRef
		for _, p := range parts {
			if t := r.table(q, p); t != nil {
				subTables = append(subTables, t)
			}
		}
		for i := range whole.t.Rows {
			k := rowKey(whole, i)
			for _, c := range countColumns[q] {
				var ps []int
				for _, t := range subTables {
					if id := r.rowCell(t, k, c); id >= 0 {
						ps = append(ps, id)
					}
				}
				if len(ps) == len(parts) {
					r.equal(Periods, q+" "+c+": a "+v.grain+" = its "+map[string]string{"year": "quarters", "quarter": "months"}[v.grain], true,
						one(r.cell(whole, i, c)), ps)
				}
			}
		}
	}
	// re_referral: each referral and each closure falls in one period, and whether it counts
	// (re-referred, followed, referred again) depends on its own day only, so its counts add up
	if whole := r.table("re_referral", v); whole != nil {
		var subTables []*tableRef
		for _, p := range parts {
			if t := r.table("re_referral", p); t != nil {
				subTables = append(subTables, t)
			}
		}
		for i := range whole.t.Rows {
			k := rowKey(whole, i)
			for _, c := range countColumns["re_referral"] {
				var ps []int
				for _, t := range subTables {
					if j, ok := t.rows[k]; ok && t.t.Cell(j, c).Kind == Number {
						ps = append(ps, r.cell(t, j, c))
					}
				}
				if len(ps) == len(parts) && whole.t.Cell(i, c).Kind == Number {
					r.equal(Periods, "re_referral "+c+": a "+v.grain+" = its "+map[string]string{"year": "quarters", "quarter": "months"}[v.grain], true,
						one(r.cell(whole, i, c)), ps)
				}
			}
		}
	}
	// contacts of each site, each service and age band, each quarter and channel
	for _, q := range []string{"site_activity", "service_mix", "channel_mix"} {
		whole := r.table(q, v)
		if whole == nil {
			continue
		}
		var subTables []*tableRef
		for _, p := range parts {
			if t := r.table(q, p); t != nil {
				subTables = append(subTables, t)
			}
		}
		if len(subTables) != len(parts) {
			continue
		}
		if q == "channel_mix" && v.grain == "year" { // a year's rows are its quarters' rows
			for _, t := range subTables {
				for i := range t.t.Rows {
					for _, c := range countColumns[q] {
						r.equal(Periods, "channel_mix: a quarter in the year = the same quarter asked alone", false,
							one(r.rowCell(whole, rowKey(t, i), c)), one(r.cell(t, i, c)))
					}
				}
			}
			continue
		}
		for i := range whole.t.Rows {
			k := rowKey(whole, i)
			var ps []int
			for _, t := range subTables {
				if id := r.rowCell(t, k, "contacts"); id >= 0 {
					ps = append(ps, id)
				}
			}
			if q == "channel_mix" && len(ps) == 0 {
				continue
			}
			if len(ps) != len(subTables) && q != "channel_mix" {
				continue
			}
			r.equal(Periods, q+" contacts: a "+v.grain+" = its "+map[string]string{"year": "quarters", "quarter": "months"}[v.grain], true,
				one(r.cell(whole, i, "contacts")), ps)
		}
	}
}

// outcomeTotals adds the outcome questions' totals against their parts: reached_before_crisis's
// council row of each kind is the sum of its localities and the sum of its IDACI quintiles (each
// child has one of each, 'not known' included); re_referral's step-down is the sum of its two
// routes; link_rates' linked by any method is the sum of its methods; step_up_by_group's council
// cohort, children still followed and children referred at each horizon are the sums of each
// breakdown's groups (each child is in one quintile, locality, age band and service, 'not
// known' included), so differencing the council against all but one group gives that group;
// journeys' flows into each stage are the flows out of it, and those out of the hub step_up's cohort.
func (r *run) outcomeTotals(v view) {
	// journeys: the children flowing into a stage are those flowing out of it, and those leaving
	// the hub are step_up's cohort (the same children)
	if j := r.table("journeys", v); j != nil {
		for _, stage := range []string{"Referral", "Child in need", "Protection plan", "Looked after"} {
			in := r.cells(j, "children", func(i int) bool { return j.t.Str(i, "target") == stage })
			out := r.cells(j, "children", func(i int) bool { return j.t.Str(i, "source") == stage })
			r.equal(TotalsParts, "journeys: into a stage = out of it", true, in, out)
		}
		hub := r.cells(j, "children", func(i int) bool { return j.t.Str(i, "source") == "Family hub" })
		if su := r.table("step_up", v); su != nil {
			r.equal(TotalsParts, "journeys: out of the hub = step_up's cohort", true, one(r.rowCell(su, "months=6", "cohort")), hub)
		}
	}
	if sg := r.table("step_up_by_group", v); sg != nil {
		for _, b := range []string{"idaci_quintile", "locality", "age_band", "service"} {
			for _, m := range []string{"6", "12", "24"} {
				for _, c := range countColumns["step_up_by_group"] {
					parts := r.cells(sg, c, func(i int) bool { return sg.t.Str(i, "breakdown") == b && sg.t.Str(i, "months") == m })
					r.equal(TotalsParts, "step_up_by_group: the council = its "+b+" groups", true,
						one(r.rowCell(sg, "breakdown=council category=all months="+m, c)), parts)
				}
			}
		}
	}
	if rb := r.table("reached_before_crisis", v); rb != nil {
		for _, kind := range []string{"looked_after", "protection_plan"} {
			for _, part := range []string{"locality", "idaci_quintile"} {
				for _, c := range countColumns["reached_before_crisis"] {
					parts := r.cells(rb, c, func(i int) bool { return rb.t.Str(i, "kind") == kind && rb.t.Str(i, "breakdown") == part })
					r.equal(TotalsParts, "reached_before_crisis: the council = its "+part+" rows", true,
						one(r.rowCell(rb, "kind="+kind+" breakdown=all category=all", c)), parts)
				}
			}
		}
	}
	if rr := r.table("re_referral", v); rr != nil {
		for _, c := range countColumns["re_referral"] {
			r.equal(TotalsParts, "re_referral: step-down = its routes", true, one(r.rowCell(rr, "measure=step_down route=all", c)),
				[]int{r.rowCell(rr, "measure=step_down route=closed to early help (RC9)", c), r.rowCell(rr, "measure=step_down route=hub contact only", c)})
		}
	}
	if lr := r.table("link_rates", v); lr != nil {
		r.equal(TotalsParts, "link_rates: linked by any method = by each", true, one(r.rowCell(lr, "link_method=all", "children_linked")),
			[]int{r.rowCell(lr, "link_method=person id", "children_linked"), r.rowCell(lr, "link_method=linkage key", "children_linked")})
	}
}

// findRounding finds count columns whose every non-zero shown value is a multiple of one base
// above 1 (rounded, as NHS rounds to 5): such figures are never taken as exact.
func (r *run) findRounding() {
	gcd := map[string]float64{}
	n := map[string]int{}
	for _, k := range r.order {
		t := r.tables[k]
		for _, c := range countColumns[t.question] {
			if t.t.Col(c) < 0 {
				continue
			}
			col := t.question + "." + c
			for i := range t.t.Rows {
				cell := t.t.Cell(i, c)
				if cell.Kind != Number || cell.Num == 0 || cell.Num != math.Trunc(cell.Num) {
					continue
				}
				gcd[col] = gcdf(gcd[col], math.Abs(cell.Num))
				n[col]++
			}
		}
	}
	r.rounded = map[string]float64{}
	for col, g := range gcd {
		if g > 1 && n[col] >= 10 {
			r.rounded[col] = g
		}
	}
}

func gcdf(a, b float64) float64 {
	for b != 0 {
		a, b = b, math.Mod(a, b)
	}
	return a
}

// liftRates reads each count off its rate where the rate says more than the count shown: the
// count is hidden, rounded, or differs from what the rate was worked out from.
func (r *run) liftRates() {
	r.lifts = map[int]lift{}
	for _, k := range r.order {
		t := r.tables[k]
		if !contains(rated, t.question) {
			continue
		}
		for i := range t.t.Rows {
			rate, n, shown := t.t.Cell(i, "reach_per_1000"), t.t.Cell(i, "children_resident"), t.t.Cell(i, "children_reached")
			if rate.Kind != Number || n.Kind != Number || n.Num <= 0 {
				continue
			}
			_, rounded := r.rounded[t.question+".children_reached"]
			if shown.Kind == Number && !rounded && fits(shown.Num, rate.Num, n.Num) {
				continue // the rate is the count's: nothing new
			}
			lo, hi := t.t.Cell(i, "reach_per_1000_lower"), t.t.Cell(i, "reach_per_1000_upper")
			var match []float64
			verified := lo.Kind == Number && hi.Kind == Number
			from := math.Max(0, math.Floor((rate.Num-0.0005)*n.Num/1000))
			to := math.Ceil((rate.Num + 0.0005) * n.Num / 1000)
			for x := from; x <= to && len(match) < 2; x++ {
				if !fits(x, rate.Num, n.Num) {
					continue
				}
				if verified {
					iv, err := stats.Rate(x, n.Num, 1000, measures.Confidence)
					if err != nil || measures.Round(iv.Lower, 3) != lo.Num || measures.Round(iv.Upper, 3) != hi.Num {
						continue
					}
				}
				match = append(match, x)
			}
			if len(match) != 1 || (shown.Kind == Number && match[0] == shown.Num) {
				continue
			}
			r.lifts[r.cell(t, i, "children_reached")] = lift{value: match[0], verified: verified}
		}
	}
	for _, k := range r.order {
		if t := r.tables[k]; t.question == "step_up" || t.question == "step_up_by_group" {
			for i := range t.t.Rows {
				r.liftIncidence(t, i)
			}
		}
	}
}

// liftIncidence reads a step_up row's children referred and cohort off its cumulative incidence,
// as if no child had been censored by the day: then the Kaplan-Meier estimate is referred /
// cohort, and its 95% log-log limits (Greenwood's variance, referred / (cohort (cohort -
// referred))) depend on both. Every pair within the cell key's reach of the counts shown (3 either
// way, and half a rounding base) is tried; a pair is lifted when it is the only one giving the
// published estimate and its 95% and 99.8% limits (1 decimal place, %) and says more than the
// counts shown. The lift is verified only where the counts shown say no child was censored before
// the day (those still followed and those referred make the cohort): otherwise a few children
// censored look like a smaller cohort, and the pair found is a chance match.
func (r *run) liftIncidence(t *tableRef, i int) {
	est, lo, hi := t.t.Cell(i, "cumulative_incidence"), t.t.Cell(i, "cumulative_incidence_lower"), t.t.Cell(i, "cumulative_incidence_upper")
	lo998, hi998 := t.t.Cell(i, "cumulative_incidence_lower"+measures.Wide), t.t.Cell(i, "cumulative_incidence_upper"+measures.Wide)
	n, d := t.t.Cell(i, "cohort"), t.t.Cell(i, "events")
	if est.Kind != Number || n.Kind != Number || n.Num <= 0 {
		return
	}
	reach := 3 + r.rounded["step_up.cohort"]/2
	// checkable only where the counts shown say that no child was censored before the day: every
	// child of the cohort referred by it or still followed on it
	f := t.t.Cell(i, "followed")
	uncensored := d.Kind == Number && f.Kind == Number && f.Num+d.Num == n.Num
	verified := lo.Kind == Number && hi.Kind == Number && uncensored
	var match [][2]float64
	for m := math.Max(1, n.Num-reach); m <= n.Num+reach && len(match) < 2; m++ {
		from := math.Max(0, math.Floor((est.Num-0.05)*m/100))
		to := math.Min(m, math.Ceil((est.Num+0.05)*m/100))
		if d.Kind == Number { // the referrals shown are within the same reach of the true count
			from, to = math.Max(from, d.Num-reach), math.Min(to, d.Num+reach)
		}
		for x := from; x <= to && len(match) < 2; x++ {
			if measures.Round(100*x/m, 1) != est.Num {
				continue
			}
			if verified {
				l, u, ok := uncensoredLimits(x, m, measures.Confidence)
				if !ok || l != lo.Num || u != hi.Num {
					continue
				}
				if lo998.Kind == Number && hi998.Kind == Number {
					if l, u, _ := uncensoredLimits(x, m, measures.WideConfidence); l != lo998.Num || u != hi998.Num {
						continue
					}
				}
			}
			match = append(match, [2]float64{x, m})
		}
	}
	if len(match) != 1 {
		return
	}
	if x := match[0][0]; d.Kind != Number || x != d.Num {
		r.lifts[r.cell(t, i, "events")] = lift{value: x, verified: verified}
	}
	if m := match[0][1]; m != n.Num {
		r.lifts[r.cell(t, i, "cohort")] = lift{value: m, verified: verified}
	}
}

// uncensoredLimits are the log-log limits at level (%, 1 decimal place) of the Kaplan-Meier
// estimate when x of m children were referred and none was censored.
func uncensoredLimits(x, m, level float64) (lo, hi float64, ok bool) {
	if x == 0 {
		return 0, 0, true
	}
	if x >= m {
		return 0, 0, false
	}
	logS := math.Log1p(-x / m)
	k := math.Exp(stats.Z(level) * math.Sqrt(x/(m*(m-x))) / -logS)
	return measures.Round(-100*math.Expm1(logS/k), 1), measures.Round(-100*math.Expm1(logS*k), 1), true
}

// fits says whether x children of n give the published rate per 1,000 (3 decimal places).
func fits(x, rate, n float64) bool { return measures.Round(x/n*1000, 3) == rate }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func num(c Cell) float64 {
	if c.Kind == Number {
		return c.Num
	}
	return math.NaN()
}

func whole(v float64) bool { return math.Abs(v-math.Round(v)) < 1e-6 }

// fact is a value the attacker holds for a node.
type fact struct {
	value    float64
	verified bool
	family   Family
	lifted   bool // rests on a count lifted from a rate that said more than the count shown
	seed     bool // read off the tables, not derived
	why      string
}

// classCheck is how a kind of equation fared where all its cells are shown.
type classCheck struct{ holds, fails int }

// minHolds is how many shown, not all-zero instances a kind of equation must hold exactly in
// (and fail in none) before the attacker trusts it.
const minHolds = 3

func (r *run) solve() []Recovery {
	// what the tables say, taking a rate's count where it says more
	seeds := map[int]fact{}
	for id, nd := range r.nodes {
		if l, ok := r.lifts[id]; ok {
			seeds[id] = fact{value: l.value, verified: l.verified, family: Rates, lifted: true, seed: true, why: "read off its rate"}
			continue
		}
		if nd.shown.Kind != Number {
			continue
		}
		if _, rounded := r.rounded[nd.column]; rounded && nd.shown.Num != 0 {
			continue // rounded: only a zero is exact (no policy here rounds to zero)
		}
		seeds[id] = fact{value: nd.shown.Num, verified: true, seed: true, why: "shown"}
	}
	// check each kind of equation where every cell is known from the tables
	checks := map[string]*classCheck{}
	for _, e := range r.eqs {
		c := checks[e.class]
		if c == nil {
			c = &classCheck{}
			checks[e.class] = c
		}
		total, nonzero, full := 0.0, false, true
		for _, t := range e.terms {
			f, ok := seeds[t.id]
			if !ok {
				full = false
				break
			}
			total += t.coef * f.value
			nonzero = nonzero || f.value != 0
		}
		switch {
		case !full:
		case math.Abs(total) > 1e-6:
			c.fails++
		case nonzero:
			c.holds++
		}
	}
	trustedClass := map[string]bool{}
	for _, e := range r.eqs {
		c := checks[e.class]
		if _, done := trustedClass[e.class]; !done {
			trustedClass[e.class] = c.fails == 0 && c.holds >= minHolds
			r.checks = append(r.checks, Check{Class: e.class, Family: e.family, Holds: c.holds, Fails: c.fails, Trusted: trustedClass[e.class]})
		}
	}
	inTrustedSum, inFailing := map[string]bool{}, map[string]bool{}
	for _, e := range r.eqs {
		for _, t := range e.terms {
			col := r.nodes[t.id].column
			if e.sum && trustedClass[e.class] {
				inTrustedSum[col] = true
			}
			if checks[e.class].fails > 0 {
				inFailing[col] = true
			}
		}
	}
	trustedColumn := func(col string) bool { return inTrustedSum[col] && !inFailing[col] }

	var out []Recovery
	recovered := map[int]bool{}
	record := func(id int, f fact, verified bool) {
		nd := r.nodes[id]
		if nd.shown.Kind == Number && nd.shown.Num == f.value {
			return
		}
		fam := f.family
		if f.lifted && fam != Rates {
			fam = NHS
		}
		out = append(out, Recovery{Family: fam, Question: nd.ref.question, View: nd.ref.values, Row: nd.row,
			Key: rowKey(nd.ref, nd.row), Column: nd.col, Shown: nd.shown, Value: f.value, Verified: verified, Why: f.why})
		if verified {
			recovered[id] = true
		}
	}
	// counts read off their own rates
	if r.families[Rates] {
		ids := make([]int, 0, len(r.lifts))
		for id := range r.lifts {
			ids = append(ids, id)
		}
		sort.Ints(ids)
		for _, id := range ids {
			f := seeds[id]
			record(id, f, f.verified && r.inRange(id, f.value))
		}
	}

	// verified: trusted seeds, trusted equations
	known := map[int]fact{}
	for id, f := range seeds {
		if f.verified && trustedColumn(r.nodes[id].column) {
			known[id] = f
		}
	}
	trusted := func(e equation) bool { return trustedClass[e.class] }
	verifiedFound := func(id int, f fact) { record(id, f, true) }
	r.propagate(known, trusted, trusted, verifiedFound)
	for r.eliminate(known, trusted, trusted, verifiedFound) > 0 {
		r.propagate(known, trusted, trusted, verifiedFound)
	}
	reasons, roundedOK := r.rangesHold(known), r.roundingHolds()
	for r.bound(known, trusted, reasons, roundedOK, verifiedFound) > 0 {
		r.propagate(known, trusted, trusted, verifiedFound)
		for r.eliminate(known, trusted, trusted, verifiedFound) > 0 {
			r.propagate(known, trusted, trusted, verifiedFound)
		}
	}
	// unverified: every shown figure taken at its word, every equation
	loose := map[int]fact{}
	for id, f := range known {
		loose[id] = f
	}
	for id, nd := range r.nodes {
		if _, ok := loose[id]; ok {
			continue
		}
		if f, ok := seeds[id]; ok {
			f.verified = false
			loose[id] = f
		} else if nd.shown.Kind == Number {
			loose[id] = fact{value: nd.shown.Num, seed: true, why: "shown (rounded or untrusted)"}
		}
	}
	chance := map[[2]float64]bool{}
	addChance := func(id int, f fact) {
		k := [2]float64{float64(id), f.value}
		if recovered[id] || chance[k] {
			return
		}
		chance[k] = true
		f.verified = false
		record(id, f, false)
	}
	r.propagate(loose, func(equation) bool { return true }, trusted, addChance)
	// a small figure shown in an equation that does not hold: what the others say it is
	for _, e := range r.eqs {
		total := 0.0
		full := true
		for _, t := range e.terms {
			f, ok := loose[t.id]
			if !ok {
				full = false
				break
			}
			total += t.coef * f.value
		}
		if !full || math.Abs(total) < 1e-6 {
			continue
		}
		for _, t := range e.terms {
			nd := r.nodes[t.id]
			if nd.shown.Kind != Number || nd.shown.Num > 10 || !nd.ref.isCount(nd.col) {
				continue
			}
			v := loose[t.id].value - total/t.coef
			if whole(v) && r.inRange(t.id, v) {
				addChance(t.id, fact{value: math.Round(v), family: e.family, lifted: anyLifted(loose, e),
					why: e.class + " (the other figures taken as shown; the equation does not hold as published)"})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Verified != out[j].Verified {
			return out[i].Verified
		}
		return out[i].Family < out[j].Family
	})
	return out
}

func (t *tableRef) isCount(col string) bool { return contains(countColumns[t.question], col) }

func anyLifted(known map[int]fact, e equation) bool {
	for _, t := range e.terms {
		if known[t.id].lifted {
			return true
		}
	}
	return false
}

// inRange says whether a cell could hold v: a whole number of at least 0, within half the
// rounding base of a rounded figure.
func (r *run) inRange(id int, v float64) bool {
	if !whole(v) || v < -1e-9 {
		return false
	}
	nd := r.nodes[id]
	if base, ok := r.rounded[nd.column]; ok && nd.shown.Kind == Number {
		return math.Abs(v-nd.shown.Num) <= base/2+1e-9
	}
	return true
}

// propagate solves every allowed equation with exactly one unknown cell, until none is left; the
// value must be one the cell could hold. A value is verified when its inputs are and its
// equation is trusted. found hears each new value.
func (r *run) propagate(known map[int]fact, allowed, trusted func(equation) bool, found func(id int, f fact)) {
	queue := make([]int, len(r.eqs))
	queued := make([]bool, len(r.eqs))
	for i := range r.eqs {
		queue[i] = i
		queued[i] = true
	}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		queued[i] = false
		e := r.eqs[i]
		if !allowed(e) {
			continue
		}
		unknown, rest := -1, 0.0
		verified, lifted := true, false
		n := 0
		for _, t := range e.terms {
			f, ok := known[t.id]
			if !ok {
				n++
				unknown = t.id
				if n > 1 {
					break
				}
				continue
			}
			rest += t.coef * f.value
			verified = verified && f.verified
			lifted = lifted || f.lifted
		}
		if n != 1 {
			continue
		}
		var coef float64
		for _, t := range e.terms {
			if t.id == unknown {
				coef = t.coef
			}
		}
		v := -rest / coef
		if !r.inRange(unknown, v) {
			continue
		}
		f := fact{value: math.Round(v), verified: verified && trusted(e), family: e.family, lifted: lifted,
			why: fmt.Sprintf("%s (%d other cells)", e.class, len(e.terms)-1)}
		known[unknown] = f
		found(unknown, f)
		for _, j := range r.byEq[unknown] {
			if !queued[j] {
				queued[j] = true
				queue = append(queue, j)
			}
		}
	}
}
