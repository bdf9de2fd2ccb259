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
	Code                  string     `toml:"code"`
	Name                  string     `toml:"name"`
	Slug                  string     `toml:"slug"`
	DfENumber             int        `toml:"dfe_number"`
	ChildrenUnder19Stated int        `toml:"children_under_19_stated"`
	TransformationFund    bool       `toml:"transformation_fund"`
	Predecessor           string     `toml:"predecessor"`
	PredecessorName       string     `toml:"predecessor_name"`
	PredecessorDfENumber  int        `toml:"predecessor_dfe_number"`
	Localities            []Locality `toml:"locality"`
	Sites                 []Site     `toml:"site"`
	File                  string     `toml:"-"`
}

// Locality is a hub network or area: a named group of the council's wards.
type Locality struct {
	Name         string   `toml:"name"`
	Illustrative bool     `toml:"illustrative"`
	Wards        []string `toml:"wards"` // ward names (May 2025 wards)
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
	if len(problems) > 0 {
		return c, fmt.Errorf("%s: %s", file, strings.Join(problems, "; "))
	}
	return c, nil
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
