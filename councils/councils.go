// Package councils reads each council's hub network: its localities (groups of wards) and its
// sites (hubs, bridges, outreach bases, hublets, the online hub), from one TOML file per council
// that the council can edit. Facts that are not public are flagged illustrative in the file.
package councils

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Site kinds, in the councils' words.
const (
	Hub      = "hub"      // a family hub building (or a maternity community hub)
	Bridge   = "bridge"   // a partner venue (library, leisure centre) offering help on set days
	Outreach = "outreach" // an outreach base or site in the community
	Hublet   = "hublet"   // a smaller community hub
	Online   = "online"   // the online hub: no place, reached from anywhere in the borough
)

var kinds = map[string]bool{Hub: true, Bridge: true, Outreach: true, Hublet: true, Online: true}

// Council is one council's network file.
type Council struct {
	Code                  string      `toml:"code"`
	Name                  string      `toml:"name"`
	Slug                  string      `toml:"slug"`
	DfENumber             int         `toml:"dfe_number"`
	ChildrenUnder19Stated int         `toml:"children_under_19_stated"`
	TransformationFund    bool        `toml:"transformation_fund"`
	Predecessor           string      `toml:"predecessor"`
	PredecessorName       string      `toml:"predecessor_name"`
	PredecessorDfENumber  int         `toml:"predecessor_dfe_number"`
	Localities            []Locality  `toml:"locality"`
	Sites                 []Site      `toml:"site"`
	Candidates            []Candidate `toml:"candidate"`
	PlanStart             time.Time   `toml:"plan_start"`
	Plan                  []Milestone `toml:"plan"`
	File                  string      `toml:"-"`
}

// Locality is a hub network or area: a named group of the council's wards.
type Locality struct {
	Name         string   `toml:"name"`
	Illustrative bool     `toml:"illustrative"`
	Wards        []string `toml:"wards"` // ward names (May 2025 wards)
}

// Candidate is a building the council would consider for a new family hub (issue 18, where the
// next hub should go: queries/access_buildings.sql, access_next_hub_buildings.sql): a library, school,
// health centre or the like. It is not a site and offers nothing yet.
type Candidate struct {
	ID           string  `toml:"id"`
	Name         string  `toml:"name"`
	Kind         string  `toml:"kind"` // what the building is: library, school, health centre...
	Lat          float64 `toml:"lat"`
	Lon          float64 `toml:"lon"`
	Illustrative bool    `toml:"illustrative"`
	Note         string  `toml:"note"`
}

// Site is a place (or the online hub) where families get help.
type Site struct {
	ID           string     `toml:"id"`
	Name         string     `toml:"name"`
	Kind         string     `toml:"kind"`
	Locality     string     `toml:"locality"`
	Lat          float64    `toml:"lat"`
	Lon          float64    `toml:"lon"`
	Opened       time.Time  `toml:"opened"`
	Designated   time.Time  `toml:"designated"`
	Closed       *time.Time `toml:"closed"`
	Illustrative bool       `toml:"illustrative"`
	Note         string     `toml:"note"`
}

// OpenedOn, DesignatedOn and ClosedOn give the dates as time.Time (UTC midnight).
func (s Site) OpenedOn() time.Time     { return utcDay(s.Opened) }
func (s Site) DesignatedOn() time.Time { return utcDay(s.Designated) }

// TOML local dates carry no zone: read them as that calendar day.
func utcDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// ClosedOn is the zero time when the site is still open.
func (s Site) ClosedOn() time.Time {
	if s.Closed == nil {
		return time.Time{}
	}
	return utcDay(*s.Closed)
}

// OpenOn reports whether the site offered help on day d.
func (s Site) OpenOn(d time.Time) bool {
	if d.Before(s.OpenedOn()) {
		return false
	}
	c := s.ClosedOn()
	return c.IsZero() || d.Before(c)
}

// Milestone is one line of the council's Transformation Fund plan: an indicator with its
// baseline, target and due date, measured either by the warehouse (Measure names one of the
// measures fund_progress computes) or by a value the council enters (Measure = "entered"), over
// the Period its target is set for.
type Milestone struct {
	ID           string     `toml:"id"`
	Indicator    string     `toml:"indicator"`
	Measure      string     `toml:"measure"`
	Period       string     `toml:"period"` // one of Periods; Parse fills in DefaultPeriod(Measure) when absent
	Unit         string     `toml:"unit"`
	Baseline     float64    `toml:"baseline"`
	Target       float64    `toml:"target"`
	Due          time.Time  `toml:"due"`
	Entered      *float64   `toml:"entered"`
	EnteredOn    *time.Time `toml:"entered_on"`
	Illustrative bool       `toml:"illustrative"`
	Note         string     `toml:"note"`
	// Programme is the plan the line belongs to: TransformationFund (the default) or BestStart.
	// Both are judged by the same rule (measures.FundRule).
	Programme string `toml:"programme"`
	// Start is the day the line's own plan began, when it is not the file's plan_start (a Best
	// Start line starts with the Best Start plan); zero means plan_start.
	Start time.Time `toml:"start"`
}

// The programmes a plan line can belong to.
const (
	TransformationFund = "transformation_fund" // the Family Hubs Transformation Fund plan
	BestStart          = "best_start"          // the council's Best Start Family Hubs local plan
)

// Measures the warehouse computes for a plan (queries/fund_progress.sql), and "entered".
var Measures = map[string]string{
	"family_hubs_designated":       "family hub buildings designated by the date (count)",
	"hub_networks":                 "localities with a designated family hub by the date (count)",
	"bridges_designated":           "bridges designated by the date (count)",
	"children_reached":             "children 0-19 reached in the line's period (count)",
	"families_reached":             "families reached in the line's period (count)",
	"fathers_reached":              "fathers and male carers reached in the line's period (count)",
	"reach_idaci_1_2_per_1000":     "children reached in the line's period per 1,000 living in IDACI deciles 1-2 (rate)",
	"share_reach_idaci_1_2":        "share of children reached in the line's period who live in IDACI deciles 1-2 (percent)",
	"gld_percent":                  "children achieving a good level of development at the end of reception, the latest published academic year (percent, DfE EYFSP via LAIT)",
	"share_0_4_idaci_1_2_near_hub": "share of children aged 0-4 living in IDACI deciles 1-2 whose neighbourhood's centre lies within 2 km of a family hub open on the day, as access_coverage counts them (percent, ONS mid-2020 children)",
	"entered":                      "a value the council enters in this file (1 = yes, 0 = no for a milestone that is done or not)",
}

// The periods a plan line's target can be set for. fund_progress measures a line over the matching
// period ending by the last day of the period viewed: the latest complete financial year or
// quarter, the plan's start to that day, or that day itself.
const (
	FinancialYear = "financial year" // reach in the latest complete financial year (April to March)
	Quarter       = "quarter"        // reach in the latest complete quarter of a financial year
	ToDate        = "to date"        // reach from the plan's start to the day
	OnTheDay      = "on the day"     // sites designated, or a milestone entered, by the day
	AcademicYear  = "academic year"  // a published outcome for the latest academic year (September to August) ending by the day
)

// Periods lists the periods in the order the council file's documentation gives them.
var Periods = []string{FinancialYear, Quarter, ToDate, OnTheDay, AcademicYear}

// counted says whether a measure counts people over a span of days (reach), rather than taking
// stock on a day (sites designated, a value entered) or reading a published yearly outcome.
func counted(measure string) bool {
	switch measure {
	case "family_hubs_designated", "hub_networks", "bridges_designated", "share_0_4_idaci_1_2_near_hub", "entered", "gld_percent":
		return false
	}
	return true
}

// published says whether a measure is a published outcome by academic year.
func published(measure string) bool { return measure == "gld_percent" }

// DefaultPeriod is the period of a plan line that names none: a financial year for reach, the
// day for sites and entered milestones. queries/fund_progress.sql holds the same default for a
// plan loaded from plan.csv, which has no period column.
func DefaultPeriod(measure string) string {
	if counted(measure) {
		return FinancialYear
	}
	if published(measure) {
		return AcademicYear
	}
	return OnTheDay
}

// LoadAll reads every *.toml in dir of fsys, sorted by council code.
func LoadAll(fsys fs.FS, dir string) ([]Council, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.toml"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no council files (*.toml) in %s", dir)
	}
	var out []Council
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		c, err := Parse(n, b)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

// Parse reads and checks one council file. Errors name the file and, for syntax errors, the line
// and column; all problems found are reported together.
func Parse(file string, data []byte) (Council, error) {
	var c Council
	md, err := toml.Decode(string(data), &c)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return c, fmt.Errorf("%s:%d:%d: %s", file, pe.Position.Line, pe.Position.Col, pe.Message)
		}
		return c, fmt.Errorf("%s: %w", file, err)
	}
	c.File = file
	// TOML local dates carry no zone: keep them as calendar days
	c.PlanStart = utcDay(c.PlanStart)
	for i := range c.Plan {
		c.Plan[i].Due = utcDay(c.Plan[i].Due)
		if c.Plan[i].Period == "" {
			c.Plan[i].Period = DefaultPeriod(c.Plan[i].Measure)
		}
		if c.Plan[i].Programme == "" {
			c.Plan[i].Programme = TransformationFund
		}
		if !c.Plan[i].Start.IsZero() {
			c.Plan[i].Start = utcDay(c.Plan[i].Start)
		}
		if c.Plan[i].EnteredOn != nil {
			d := utcDay(*c.Plan[i].EnteredOn)
			c.Plan[i].EnteredOn = &d
		}
	}
	var problems []string
	for _, k := range md.Undecoded() {
		problems = append(problems, fmt.Sprintf("unknown field %q (check the spelling)", k.String()))
	}
	if c.Code == "" || c.Name == "" || c.Slug == "" {
		problems = append(problems, "code, name and slug are required")
	}
	locs := map[string]bool{}
	wards := map[string]string{}
	for _, l := range c.Localities {
		if locs[l.Name] {
			problems = append(problems, fmt.Sprintf("locality %q is listed twice", l.Name))
		}
		locs[l.Name] = true
		for _, w := range l.Wards {
			if prev, ok := wards[w]; ok {
				problems = append(problems, fmt.Sprintf("ward %q is in both %q and %q", w, prev, l.Name))
			}
			wards[w] = l.Name
		}
	}
	ids := map[string]bool{}
	for _, s := range c.Sites {
		where := fmt.Sprintf("site %q", s.ID)
		if s.ID == "" {
			problems = append(problems, fmt.Sprintf("a site named %q has no id", s.Name))
		}
		if ids[s.ID] {
			problems = append(problems, where+": id used twice")
		}
		ids[s.ID] = true
		if !kinds[s.Kind] {
			problems = append(problems, fmt.Sprintf("%s: kind %q is not one of hub, bridge, outreach, hublet, online", where, s.Kind))
		}
		if s.Kind != Online {
			if s.Lat < 49.8 || s.Lat > 55.9 || s.Lon < -6.5 || s.Lon > 1.8 {
				problems = append(problems, fmt.Sprintf("%s: lat %.4f, lon %.4f is not in England", where, s.Lat, s.Lon))
			}
			if !locs[s.Locality] {
				problems = append(problems, fmt.Sprintf("%s: locality %q is not one of the file's localities", where, s.Locality))
			}
		}
		if s.Opened.IsZero() {
			problems = append(problems, where+": opened date is required (YYYY-MM-DD)")
		}
		if s.Designated.IsZero() {
			problems = append(problems, where+": designated date is required (YYYY-MM-DD)")
		} else if s.DesignatedOn().Before(s.OpenedOn()) {
			problems = append(problems, where+": designated before it opened")
		}
		if s.Closed != nil && !s.ClosedOn().After(s.OpenedOn()) {
			problems = append(problems, where+": closed on or before it opened")
		}
	}
	for _, k := range c.Candidates {
		where := fmt.Sprintf("candidate %q", k.ID)
		if k.ID == "" {
			problems = append(problems, fmt.Sprintf("a candidate named %q has no id", k.Name))
		}
		if ids[k.ID] {
			problems = append(problems, where+": id used twice (candidates and sites share ids)")
		}
		ids[k.ID] = true
		if k.Name == "" || k.Kind == "" {
			problems = append(problems, where+": name and kind (library, school, health centre...) are required")
		}
		if k.Lat < 49.8 || k.Lat > 55.9 || k.Lon < -6.5 || k.Lon > 1.8 {
			problems = append(problems, fmt.Sprintf("%s: lat %.4f, lon %.4f is not in England", where, k.Lat, k.Lon))
		}
	}
	planIDs := map[string]bool{}
	for _, m := range c.Plan {
		where := fmt.Sprintf("plan %q", m.ID)
		if m.ID == "" || planIDs[m.ID] {
			problems = append(problems, where+": each plan line needs its own id")
		}
		planIDs[m.ID] = true
		if _, ok := Measures[m.Measure]; !ok {
			var names []string
			for k := range Measures {
				names = append(names, k)
			}
			sort.Strings(names)
			problems = append(problems, fmt.Sprintf("%s: measure %q is not one of %s", where, m.Measure, strings.Join(names, ", ")))
		}
		if m.Due.IsZero() {
			problems = append(problems, where+": due date is required (YYYY-MM-DD)")
		}
		if m.Programme != TransformationFund && m.Programme != BestStart {
			problems = append(problems, fmt.Sprintf("%s: programme %q is not %q or %q", where, m.Programme, TransformationFund, BestStart))
		}
		if !m.Start.IsZero() && !m.Due.IsZero() && !m.Due.After(m.Start) {
			problems = append(problems, where+": due on or before its start")
		}
		if m.Target == m.Baseline && m.Measure != "entered" {
			problems = append(problems, where+": target equals baseline, so progress cannot be measured")
		}
		if m.Measure == "entered" && (m.Entered == nil || m.EnteredOn == nil) {
			problems = append(problems, where+": measure \"entered\" needs an entered value and entered_on, the day it was entered (it counts from that day)")
		}
		if _, known := Measures[m.Measure]; known {
			problems = append(problems, checkPeriod(where, m)...)
		}
	}
	if len(c.Plan) > 0 && c.PlanStart.IsZero() {
		problems = append(problems, "plan_start (the day the plan began, YYYY-MM-DD) is required with a plan")
	}
	if len(problems) > 0 {
		return c, fmt.Errorf("%s: %s", file, strings.Join(problems, "; "))
	}
	return c, nil
}

// checkPeriod reports a plan line's period that is not one of Periods or does not suit its
// measure: reach is counted over a span, sites and entered values are taken on a day.
func checkPeriod(where string, m Milestone) []string {
	known := false
	for _, p := range Periods {
		known = known || m.Period == p
	}
	if !known {
		return []string{fmt.Sprintf("%s: period %q is not one of %q, %q, %q, %q, %q", where, m.Period,
			Periods[0], Periods[1], Periods[2], Periods[3], Periods[4])}
	}
	switch {
	case counted(m.Measure) && (m.Period == OnTheDay || m.Period == AcademicYear):
		return []string{fmt.Sprintf("%s: %s is counted over a span: period %q, %q or %q, not %q", where, m.Measure,
			FinancialYear, Quarter, ToDate, m.Period)}
	case published(m.Measure) && m.Period != AcademicYear:
		return []string{fmt.Sprintf("%s: %s is published by academic year: period %q, not %q", where, m.Measure, AcademicYear, m.Period)}
	case !counted(m.Measure) && !published(m.Measure) && m.Period != OnTheDay:
		return []string{fmt.Sprintf("%s: %s is measured %q, not %q", where, m.Measure, OnTheDay, m.Period)}
	}
	return nil
}

// LocalityOfWard maps ward name to locality name.
func (c Council) LocalityOfWard() map[string]Locality {
	m := map[string]Locality{}
	for _, l := range c.Localities {
		for _, w := range l.Wards {
			m[w] = l
		}
	}
	return m
}
