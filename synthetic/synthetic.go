// Package synthetic makes the service-usage records no public source holds: families, the
// children and carers in them, and their contacts with family hubs. Everything it makes is
// synthetic and labelled so in the warehouse. It is deterministic: the same inputs and seed give
// the same records, row for row.
//
// It is built to behave like the real thing so that the dashboards have something true to find:
//   - use rises with neighbourhood deprivation (IDACI decile), by about 3x from decile 10 to 1;
//   - use falls with distance to the nearest open site, and sites count only from their opening
//     date, so reach grows around a new hub or bridge;
//   - face-to-face help dips in 2020-21 (COVID-19) while online help rises;
//   - a council's use grows after it designates its family hubs;
//   - services follow the child's age band (0-2, 3-4, 5-11, 12-19, and 20-25 with SEND only);
//   - a minority of families use services often, most once or twice.
package synthetic

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/paulmach/orb"

	"familyhubs/geo"
)

// Version changes whenever the generator's output would change; it is part of the demo
// warehouse's data version, so a cached warehouse is rebuilt.
const Version = "synthetic-v6"

// Start and End bound the generated period: April 2019 to the latest complete quarter when this
// version was made (30 September 2026). Fixed, not read from the clock, so the demo is
// reproducible; move End forward in a new Version.
var (
	Start = time.Date(2019, 4, 1, 0, 0, 0, 0, time.UTC)
	End   = time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
)

// Area is one neighbourhood (2021 LSOA) of a council.
type Area struct {
	Code        string
	Point       orb.Point // lon/lat inside the LSOA
	IDACIDecile int       // 1 = most deprived 10% nationally
	Ages        [26]int   // residents by single year of age 0-25 (mid-2020)
}

// children is the area's residents aged 0-19, whom contacts are drawn in proportion to.
func (a Area) children() int {
	n := 0
	for age := 0; age <= 19; age++ {
		n += a.Ages[age]
	}
	return n
}

// Place is a site where help is given.
type Place struct {
	ID         string
	Kind       string // hub, bridge, outreach, hublet, online
	Point      orb.Point
	Opened     time.Time
	Designated time.Time
	Closed     time.Time // zero while open
}

func (p Place) openOn(d time.Time) bool {
	return !d.Before(p.Opened) && (p.Closed.IsZero() || d.Before(p.Closed))
}

// Council is one council's neighbourhoods and sites.
type Council struct {
	Code  string
	Areas []Area
	Sites []Place
	// Scale multiplies the expected number of contacts (0 means 1): the national demo sets it so
	// that England has the number of contacts asked for. See Expected.
	Scale float64
}

// Family, Person and Contact are the records made.
type Family struct {
	ID          int64
	CouncilCode string
	LSOA        string
}

type Person struct {
	ID        int64
	FamilyID  int64
	Role      string    // child or carer
	Sex       string    // F or M
	BirthDate time.Time // children only
	SEND      bool      // children with special educational needs and disabilities
	Relation  string    // carers: mother, father, other carer
}

type Contact struct {
	ID          int64
	Date        time.Time
	CouncilCode string
	LSOA        string
	SiteID      string // empty for a home visit with no base site
	Service     string
	Channel     string // hub, bridge, outreach, hublet, home visit, online
	FamilyID    int64
	ChildID     int64
	CarerID     int64 // 0 when no carer attended
	AgeBand     string
}

// Writer receives the records. Families and people of a council come before its contacts.
type Writer interface {
	Family(Family) error
	Person(Person) error
	Contact(Contact) error
}

// Age bands, in the Family Hubs programme's words.
const (
	Band0to2   = "0-2"
	Band3to4   = "3-4"
	Band5to11  = "5-11"
	Band12to19 = "12-19"
	Band20to25 = "20-25"
)

// AgeBand is the band of a child aged `age` whole years (negative: not yet born, counted in 0-2
// as Start for Life). Over 19 only with SEND, up to 25; otherwise "".
func AgeBand(age int, send bool) string {
	switch {
	case age <= 2:
		return Band0to2
	case age <= 4:
		return Band3to4
	case age <= 11:
		return Band5to11
	case age <= 19:
		return Band12to19
	case age <= 25 && send:
		return Band20to25
	}
	return ""
}

// Services: code, and whether a carer attends.
var carerAttends = map[string]float64{
	"midwifery_antenatal": 1, "health_visiting": 1, "infant_feeding": 1, "perinatal_mental_health": 1,
	"parenting": 1, "early_learning": 0.95, "send_support": 0.7, "youth_work": 0, "children_mental_health": 0.4,
	"drug_alcohol": 0.3, "domestic_abuse": 1, "relationship_support": 1, "housing": 1, "benefits_debt": 1,
	"employment_learning": 1, "food_fuel": 1,
}

type weighted struct {
	service string
	w       float64
}

// What help a family seeks, by the age band of the child it concerns.
var serviceMix = map[string][]weighted{
	"prebirth": {{"midwifery_antenatal", 60}, {"perinatal_mental_health", 14}, {"parenting", 10}, {"infant_feeding", 6},
		{"benefits_debt", 4}, {"housing", 3}, {"domestic_abuse", 3}},
	Band0to2: {{"health_visiting", 30}, {"infant_feeding", 12}, {"perinatal_mental_health", 8}, {"early_learning", 18},
		{"parenting", 12}, {"benefits_debt", 5}, {"food_fuel", 4}, {"housing", 3}, {"domestic_abuse", 3},
		{"employment_learning", 2}, {"relationship_support", 3}},
	Band3to4: {{"early_learning", 35}, {"parenting", 20}, {"send_support", 8}, {"health_visiting", 8}, {"benefits_debt", 7},
		{"food_fuel", 6}, {"housing", 4}, {"domestic_abuse", 4}, {"relationship_support", 4}, {"employment_learning", 4}},
	Band5to11: {{"parenting", 20}, {"send_support", 12}, {"children_mental_health", 12}, {"relationship_support", 10},
		{"benefits_debt", 10}, {"food_fuel", 8}, {"housing", 7}, {"domestic_abuse", 7}, {"employment_learning", 7}, {"youth_work", 7}},
	Band12to19: {{"youth_work", 30}, {"children_mental_health", 20}, {"drug_alcohol", 8}, {"send_support", 8}, {"parenting", 10},
		{"relationship_support", 7}, {"domestic_abuse", 5}, {"employment_learning", 5}, {"benefits_debt", 4}, {"food_fuel", 3}},
	Band20to25: {{"send_support", 50}, {"employment_learning", 30}, {"children_mental_health", 10}, {"benefits_debt", 10}},
}

// Share of a service's contacts given at home and online (before COVID-19).
var homeShare = map[string]float64{"health_visiting": 0.6, "midwifery_antenatal": 0.3, "perinatal_mental_health": 0.3,
	"send_support": 0.15, "domestic_abuse": 0.2, "infant_feeding": 0.2}
var onlineShare = map[string]float64{"benefits_debt": 0.35, "housing": 0.25, "employment_learning": 0.3, "parenting": 0.2,
	"children_mental_health": 0.15, "relationship_support": 0.15}

const baseOnline = 0.06

// Expected contacts per resident child aged 0-19 per month, before the factors below.
const baseRate = 0.05

// deprivation is the relative use in an IDACI decile: about 1.8 in decile 1 and 0.56 in decile 10.
func deprivation(decile int) float64 { return math.Exp(0.13 * (5.5 - float64(decile))) }

// access is the relative use of face-to-face help at km from the nearest open site.
func access(km float64) float64 { return 0.35 + 0.65*math.Exp(-km/2.5) }

// covid is the relative face-to-face use in the month (and the uplift of online help).
func covid(d time.Time) (faceToFace, online float64) {
	switch {
	case d.Before(time.Date(2020, 3, 23, 0, 0, 0, 0, time.UTC)):
		return 1, 1
	case d.Before(time.Date(2020, 7, 1, 0, 0, 0, 0, time.UTC)):
		return 0.3, 3
	case d.Before(time.Date(2021, 4, 1, 0, 0, 0, 0, time.UTC)):
		return 0.6, 2.5
	case d.Before(time.Date(2022, 4, 1, 0, 0, 0, 0, time.UTC)):
		return 0.85, 1.6
	}
	return 1, 1.3
}

// season: fewer contacts in August and late December.
func season(m time.Month) float64 {
	switch m {
	case time.August:
		return 0.7
	case time.December:
		return 0.8
	case time.September, time.January:
		return 1.1
	}
	return 1
}

// growth: the council-wide lift once its family hubs are designated, ramping over a year to +25%.
func growth(d, designated time.Time) float64 {
	if designated.IsZero() || d.Before(designated) {
		return 1
	}
	months := d.Sub(designated).Hours() / 24 / 30.4
	return 1 + 0.25*math.Min(1, months/12)
}

// Seed fixes the demo. IDs are made from it too, so they are stable between builds.
const Seed = 20190401

func rngFor(parts ...string) *rand.Rand {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(Seed, h.Sum64()))
}

type child struct {
	id    int64
	birth time.Time
	send  bool
}

type household struct {
	id       int64
	children []child
	carers   []int64 // first is the main carer
}

type areaState struct {
	area     Area
	families []household
	children int // resident 0-19
	dists    []siteDist
}

type siteDist struct {
	site int
	km   float64
}

// network is the council's family-hub designation (its first designated hub) and its physical
// sites.
func (c Council) network() (designated time.Time, physical []int) {
	for i, s := range c.Sites {
		if s.Kind == "hub" && (designated.IsZero() || s.Designated.Before(designated)) {
			designated = s.Designated
		}
		if s.Kind != "online" {
			physical = append(physical, i)
		}
	}
	return designated, physical
}

func (c Council) scale() float64 {
	if c.Scale > 0 {
		return c.Scale
	}
	return 1
}

// distances lists an area's physical sites, nearest first.
func distances(a Area, sites []Place, physical []int) []siteDist {
	var ds []siteDist
	for _, si := range physical {
		ds = append(ds, siteDist{si, geo.DistanceKm(a.Point, sites[si].Point)})
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i].km < ds[j].km })
	return ds
}

// expected is the mean number of contacts of an area with `children` residents aged 0-19 in the
// month, before Scale.
func expected(c Council, a Area, children int, dists []siteDist, month, designated time.Time) float64 {
	f2f, _ := covid(month)
	km := 25.0
	for _, d := range dists {
		if c.Sites[d.site].openOn(month) {
			km = d.km
			break
		}
	}
	return float64(children) * baseRate * deprivation(a.IDACIDecile) * season(month.Month()) *
		growth(month, designated) * (0.3 + 0.7*f2f*access(km))
}

// Expected is the mean number of contacts Generate draws for the council at Scale 1, from Start
// to End. (A few are then dropped: a draw that lands on a child not yet expected, or on a young
// adult without SEND, is redrawn at most four times.)
func Expected(c Council) float64 {
	designated, physical := c.network()
	var total float64
	for _, a := range c.Areas {
		children := a.children()
		if children == 0 {
			continue
		}
		dists := distances(a, c.Sites, physical)
		for month := Start; !month.After(End); month = month.AddDate(0, 1, 0) {
			total += expected(c, a, children, dists, month, designated)
		}
	}
	return total
}

// Generate makes the families, people and contacts of one council. idBase keeps IDs distinct
// between councils (council k uses idBase = k * 10^9).
func Generate(c Council, idBase int64, w Writer) error {
	var nextID = idBase
	newID := func() int64 { nextID++; return nextID }

	designated, physical := c.network()

	areas := make([]areaState, len(c.Areas))
	for ai, a := range c.Areas {
		r := rngFor(c.Code, a.Code, "people")
		st := areaState{area: a, children: a.children()}
		// Children by birth year: those resident in mid-2020 by their age, and later births at
		// the area's count of babies under one.
		var kids []child
		for year := 1995; year <= End.Year(); year++ {
			n := a.Ages[0]
			if year <= 2020 {
				n = a.Ages[2020-year]
			}
			for k := 0; k < n; k++ {
				birth := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(365))
				send := r.Float64() < 0.10+0.008*float64(10-a.IDACIDecile)
				kids = append(kids, child{birth: birth, send: send})
			}
		}
		r.Shuffle(len(kids), func(i, j int) { kids[i], kids[j] = kids[j], kids[i] })
		for len(kids) > 0 {
			size := 1 + r.IntN(3)
			if size > len(kids) {
				size = len(kids)
			}
			f := household{id: newID()}
			if err := w.Family(Family{ID: f.id, CouncilCode: c.Code, LSOA: a.Code}); err != nil {
				return err
			}
			hasMother := r.Float64() < 0.92
			hasFather := r.Float64() < 0.55 || !hasMother
			if hasMother {
				id := newID()
				f.carers = append(f.carers, id)
				if err := w.Person(Person{ID: id, FamilyID: f.id, Role: "carer", Sex: "F", Relation: "mother"}); err != nil {
					return err
				}
			}
			if hasFather {
				id := newID()
				rel := "father"
				if r.Float64() < 0.15 {
					rel = "other carer"
				}
				f.carers = append(f.carers, id)
				if err := w.Person(Person{ID: id, FamilyID: f.id, Role: "carer", Sex: "M", Relation: rel}); err != nil {
					return err
				}
			}
			for _, k := range kids[:size] {
				k.id = newID()
				sex := "F"
				if r.IntN(2) == 0 {
					sex = "M"
				}
				if err := w.Person(Person{ID: k.id, FamilyID: f.id, Role: "child", Sex: sex, BirthDate: k.birth, SEND: k.send}); err != nil {
					return err
				}
				f.children = append(f.children, k)
			}
			kids = kids[size:]
			st.families = append(st.families, f)
		}
		st.dists = distances(a, c.Sites, physical)
		areas[ai] = st
	}

	online := -1
	for i, s := range c.Sites {
		if s.Kind == "online" {
			online = i
		}
	}

	for month := Start; !month.After(End); month = month.AddDate(0, 1, 0) {
		days := month.AddDate(0, 1, -1).Day()
		_, onlineLift := covid(month)
		onlineOpen := online >= 0 && c.Sites[online].openOn(month)
		var cum []float64
		for ai := range areas {
			st := &areas[ai]
			if len(st.families) == 0 || st.children == 0 {
				continue
			}
			r := rngFor(c.Code, st.area.Code, month.Format("2006-01"))
			nearest := -1
			for _, d := range st.dists {
				if c.Sites[d.site].openOn(month) {
					nearest = d.site
					break
				}
			}
			cum = siteWeights(cum[:0], st.dists, c.Sites, month)
			n := poisson(r, expected(c, st.area, st.children, st.dists, month, designated)*c.scale())
			for k := 0; k < n; k++ {
				day := month.AddDate(0, 0, r.IntN(days))
				// Heavy users: a family's chance of being picked falls steeply with its place in
				// the area's (shuffled) list.
				var fam *household
				var ch child
				var band string
				for try := 0; try < 4 && band == ""; try++ {
					fam = &st.families[int(float64(len(st.families))*math.Pow(r.Float64(), 2.2))]
					ch = fam.children[r.IntN(len(fam.children))]
					age := ageOn(ch.birth, day)
					if age < 0 && ch.birth.Sub(day) > 270*24*time.Hour {
						continue // not yet expected
					}
					band = AgeBand(age, ch.send)
					if age < 0 {
						band = "prebirth"
					}
				}
				if band == "" {
					continue
				}
				service := pick(r, serviceMix[band])
				if band == "prebirth" {
					band = Band0to2
				}
				channel, site := "", ""
				u := r.Float64()
				pOnline := (baseOnline + onlineShare[service]) * onlineLift
				switch {
				case onlineOpen && u < pOnline:
					channel, site = "online", c.Sites[online].ID
				case u < pOnline+homeShare[service] || nearest < 0:
					channel = "home visit"
					if nearest >= 0 {
						site = c.Sites[nearest].ID // the team's base
					}
				default:
					si := pickSite(r, st.dists, cum)
					channel, site = c.Sites[si].Kind, c.Sites[si].ID
					day = weekday(day)
					// moving the day can cross a birthday: the band is the child's on the day itself
					if b := AgeBand(ageOn(ch.birth, day), ch.send); b != "" {
						band = b
					}
				}
				var carer int64
				if len(fam.carers) > 0 && r.Float64() < carerAttends[service] {
					carer = fam.carers[0]
					if len(fam.carers) > 1 && r.Float64() < 0.3 {
						carer = fam.carers[1]
					}
				}
				if err := w.Contact(Contact{ID: newID(), Date: day, CouncilCode: c.Code, LSOA: st.area.Code,
					SiteID: site, Service: service, Channel: channel, FamilyID: fam.id, ChildID: ch.id,
					CarerID: carer, AgeBand: band}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// attraction is how strongly a kind of site draws families, before distance: a family hub offers
// the most, a hublet less, a bridge or outreach base a session or two.
var attraction = map[string]float64{"hub": 3, "hublet": 2, "bridge": 1, "outreach": 1}

// siteWeights gives the cumulative gravity-model weights of the area's sites in the month: each
// open site's attraction times exp(-km / 2), 0 for a closed one. The nearest site usually wins,
// but a hub draws families past a library on the way.
func siteWeights(cum []float64, dists []siteDist, sites []Place, d time.Time) []float64 {
	var total float64
	for _, sd := range dists {
		if sites[sd.site].openOn(d) {
			total += attraction[sites[sd.site].Kind] * math.Exp(-sd.km/2)
		}
		cum = append(cum, total)
	}
	return cum
}

// pickSite chooses where a face-to-face contact happens, from siteWeights' cumulative weights.
func pickSite(r *rand.Rand, dists []siteDist, cum []float64) int {
	u := r.Float64() * cum[len(cum)-1]
	i := sort.SearchFloat64s(cum, u)
	for i < len(cum)-1 && (cum[i] <= u || (i > 0 && cum[i] == cum[i-1])) {
		i++
	}
	return dists[i].site
}

// ageOn is the child's age in whole years on day d (negative before birth).
func ageOn(birth, d time.Time) int {
	if d.Before(birth) {
		return -1
	}
	// by month and day, not day of the year, which shifts by one after 29 February in a leap year
	age := d.Year() - birth.Year()
	if d.Month() < birth.Month() || (d.Month() == birth.Month() && d.Day() < birth.Day()) {
		age--
	}
	return age
}

// weekday moves a Saturday or Sunday to the Friday before: buildings open on weekdays.
func weekday(d time.Time) time.Time {
	switch d.Weekday() {
	case time.Saturday:
		return d.AddDate(0, 0, -1)
	case time.Sunday:
		return d.AddDate(0, 0, -2)
	}
	return d
}

func pick(r *rand.Rand, ws []weighted) string {
	var total float64
	for _, w := range ws {
		total += w.w
	}
	u := r.Float64() * total
	for _, w := range ws {
		if u < w.w {
			return w.service
		}
		u -= w.w
	}
	return ws[len(ws)-1].service
}

// poisson draws from a Poisson distribution: Knuth's method for small means, a normal
// approximation (rounded, never negative) for large ones.
func poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		n := int(math.Round(lambda + math.Sqrt(lambda)*r.NormFloat64()))
		return max(n, 0)
	}
	l := math.Exp(-lambda)
	k, p := 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}
