package briefings

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"sort"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"github.com/paulmach/orb"

	"familyhubs/answers"
	"familyhubs/geo"
	"familyhubs/internal/palette"
	"familyhubs/queries"
	"familyhubs/stats"
	"familyhubs/warehouse"
)

// siteColour is the sites' dots: the accessible palette's orange (internal/palette, the one
// definition), as in the PDF so in the HTML briefing's map.
var siteColour = palette.RGB(palette.Orange)

// mapColours run from light to dark: five classes of reach per 1,000.
var mapColours = [][3]int{{239, 243, 255}, {189, 215, 231}, {107, 174, 214}, {49, 130, 189}, {8, 81, 156}}

// neighbourhoodMap draws the council's 2021 LSOAs filled by reach per 1,000 in five classes
// (quintiles of the neighbourhoods), suppressed neighbourhoods hatched grey rather than shaded as
// low, and the sites on top, as vector polygons from the ONS generalised boundaries.
func (d *doc) neighbourhoodMap(f *Figures) {
	m := choroplethOf(f)
	if m == nil {
		return // a council without boundaries or figures gets no map; the tables say the same
	}
	areas, value, class := m.areas, m.value, m.class

	d.need(135 + 45) // the heading, subtitle and what it shows, the map and its legend: never split
	d.heading(mapHeading)
	p := d.pdf
	p.SetFont("DejaVu", "", 7.5)
	p.SetTextColor(90, 90, 90)
	p.MultiCell(width, 3.8, m.subtitle, "", "L", false)
	p.SetTextColor(0, 0, 0)
	p.SetFont("DejaVu", "", 8)
	p.MultiCell(width, 4, "What this shows: "+m.shows, "", "L", false)
	p.SetTextColor(0, 0, 0)

	// fit the council into the box, with longitude scaled by cos(latitude)
	var bound orb.Bound
	for i, a := range areas {
		if i == 0 {
			bound = a.Bound
		} else {
			bound = bound.Union(a.Bound)
		}
	}
	k := math.Cos(bound.Center()[1] * math.Pi / 180)
	boxX, boxY, boxW, boxH := left, p.GetY()+4, width, 135.0
	scale := math.Min(boxW/((bound.Max[0]-bound.Min[0])*k), boxH/(bound.Max[1]-bound.Min[1]))
	offX := boxX + (boxW-(bound.Max[0]-bound.Min[0])*k*scale)/2
	toPt := func(pt orb.Point) fpdfPoint {
		return fpdfPoint{offX + (pt[0]-bound.Min[0])*k*scale, boxY + (bound.Max[1]-pt[1])*scale}
	}
	p.SetLineWidth(0.1)
	p.SetDrawColor(255, 255, 255)
	for _, a := range areas {
		v, known := value[a.Code]
		_, suppressed := v.(stats.Suppressed)
		switch {
		case suppressed || !known:
			p.SetFillColor(189, 189, 189)
		default:
			c := mapColours[class(num(v))]
			p.SetFillColor(c[0], c[1], c[2])
		}
		for _, poly := range a.Shape {
			d.polygon(poly[0], toPt, "FD")
			if suppressed {
				d.hatch(poly[0], toPt)
			}
		}
	}
	// sites
	s := f.Sites
	for _, row := range s.Rows {
		lon, lat := num(row[s.Col("lon")]), num(row[s.Col("lat")])
		if math.IsNaN(lon) || math.IsNaN(lat) {
			continue
		}
		pt := toPt(orb.Point{lon, lat})
		radius := 0.9
		if queries.Text(row[s.Col("kind")]) == "hub" {
			radius = 1.6
		}
		p.SetFillColor(siteColour[0], siteColour[1], siteColour[2])
		p.SetDrawColor(255, 255, 255)
		p.SetLineWidth(0.3)
		p.Circle(pt.x, pt.y, radius, "FD")
	}
	// legend
	ly := boxY + boxH + 6
	p.SetFont("DejaVu", "", 7)
	for i, c := range mapColours {
		x := left + float64(i)*30
		p.SetFillColor(c[0], c[1], c[2])
		p.SetDrawColor(150, 150, 150)
		p.Rect(x, ly, 5, 3.5, "FD")
		p.SetXY(x+6, ly)
		p.CellFormat(24, 3.5, m.legend[i], "", 0, "L", false, 0, "")
	}
	x := left + 5*30
	p.SetFillColor(189, 189, 189)
	p.Rect(x, ly, 5, 3.5, "FD")
	p.SetXY(x+6, ly)
	p.CellFormat(30, 3.5, suppressedLegend, "", 0, "L", false, 0, "")
	p.SetXY(left, ly+6)
	p.SetFillColor(siteColour[0], siteColour[1], siteColour[2])
	p.Circle(left+2.5, ly+7.7, 1.6, "F")
	p.SetXY(left+6, ly+6)
	p.CellFormat(100, 3.5, sitesLegend, "", 0, "L", false, 0, "")
	p.SetXY(left, ly+12)
}

type fpdfPoint struct{ x, y float64 }

func (d *doc) polygon(ring orb.Ring, toPt func(orb.Point) fpdfPoint, style string) {
	pts := make([]fpdf.PointType, 0, len(ring))
	for _, pt := range ring {
		q := toPt(pt)
		pts = append(pts, fpdf.PointType{X: q.x, Y: q.y})
	}
	d.pdf.Polygon(pts, style)
}

// hatch draws diagonal lines across a suppressed neighbourhood, clipped to its outline.
func (d *doc) hatch(ring orb.Ring, toPt func(orb.Point) fpdfPoint) {
	pts := make([]fpdf.PointType, 0, len(ring))
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, pt := range ring {
		q := toPt(pt)
		pts = append(pts, fpdf.PointType{X: q.x, Y: q.y})
		minX, minY, maxX, maxY = math.Min(minX, q.x), math.Min(minY, q.y), math.Max(maxX, q.x), math.Max(maxY, q.y)
	}
	p := d.pdf
	p.ClipPolygon(pts, false)
	p.SetDrawColor(90, 90, 90)
	p.SetLineWidth(0.15)
	for x := minX - (maxY - minY); x < maxX; x += 1.2 {
		p.Line(x, maxY, x+(maxY-minY), minY)
	}
	p.ClipEnd()
	p.SetDrawColor(255, 255, 255)
	p.SetLineWidth(0.1)
}

const (
	mapHeading       = "Reach by neighbourhood"
	suppressedLegend = "suppressed (c)"
	sitesLegend      = "family hub (large) and other sites (small)"
)

// choropleth is the neighbourhood map both renderers draw: the council's 2021 LSOAs, their reach
// per 1,000 in five classes (quintiles of the neighbourhoods), and the words that go with it.
type choropleth struct {
	areas           []geo.Area
	value           map[string]any
	values          []float64 // the neighbourhoods' values shown, sorted
	breaks          []float64
	legend          []string // each class's range, as printed
	subtitle, shows string
}

func (m *choropleth) class(x float64) int {
	c := 0
	for c < len(m.breaks) && x >= m.breaks[c] {
		c++
	}
	return c
}

// choroplethOf answers the map, or nil for a council without boundaries or any value shown.
func choroplethOf(f *Figures) *choropleth {
	fl := f.View.Filters
	raw, err := warehouse.ReadBoundary("lsoa21", fl.Council.Code)
	if err != nil {
		return nil
	}
	areas, err := geo.ReadAreas(raw, "LSOA21CD", "LSOA21NM")
	if err != nil || len(areas) == 0 {
		return nil
	}
	r := f.Neighbourhoods
	m := &choropleth{areas: areas, value: map[string]any{}}
	for _, row := range r.Rows {
		v := row[r.Col("reach_per_1000")]
		m.value[queries.Text(row[r.Col("lsoa21_code")])] = v
		if x := num(v); !math.IsNaN(x) {
			m.values = append(m.values, x)
		}
	}
	if len(m.values) == 0 {
		return nil
	}
	sort.Float64s(m.values)
	m.breaks = make([]float64, 4)
	for i := range m.breaks {
		m.breaks[i] = m.values[(i+1)*len(m.values)/5]
	}
	lo := m.values[0]
	for i := range mapColours {
		hi := m.values[len(m.values)-1]
		if i < len(m.breaks) {
			hi = m.breaks[i]
		}
		m.legend = append(m.legend, fmt.Sprintf("%s to %s", answers.Number(lo, 1), answers.Number(hi, 1)))
		lo = hi
	}
	m.subtitle = answers.PeriodName(fl.Period) + " · " + fl.Council.Name + " · children reached per 1,000 by 2021 LSOA, in five equal-sized groups of neighbourhoods · " +
		strings.TrimSpace(syntheticNote(f.Services)+" Query reach_by_neighbourhood · boundaries: ONS, generalised")
	m.shows = answers.Neighbourhoods.Shows + " Darker neighbourhoods had more children reached per 1,000."
	return m
}

// counts are how many neighbourhoods fall in each class, and how many are suppressed or unknown.
func (m *choropleth) counts() (classes []int, suppressed int) {
	classes = make([]int, len(mapColours))
	for _, a := range m.areas {
		v, known := m.value[a.Code]
		if _, s := v.(stats.Suppressed); s || !known {
			suppressed++
			continue
		}
		classes[m.class(num(v))]++
	}
	return classes, suppressed
}

// svg draws the map as an inline SVG image: the same classes, colours and sites as the PDF, the
// suppressed neighbourhoods hatched, named by a sentence that says what it shows; the table of
// its classes follows it in the HTML briefing.
func (m *choropleth) svg(f *Figures) template.HTML {
	const W, H, legendH = 680.0, 520.0, 56.0
	var bound orb.Bound
	for i, a := range m.areas {
		if i == 0 {
			bound = a.Bound
		} else {
			bound = bound.Union(a.Bound)
		}
	}
	k := math.Cos(bound.Center()[1] * math.Pi / 180)
	scale := math.Min(W/((bound.Max[0]-bound.Min[0])*k), H/(bound.Max[1]-bound.Min[1]))
	offX := (W - (bound.Max[0]-bound.Min[0])*k*scale) / 2
	toPt := func(pt orb.Point) (float64, float64) {
		return offX + (pt[0]-bound.Min[0])*k*scale, (bound.Max[1] - pt[1]) * scale
	}
	_, suppressed := m.counts()
	label := fmt.Sprintf("Map of %s's %d neighbourhoods (2021 LSOAs) shaded by children reached per 1,000 in five equal-sized groups, darker for more, from %s (lightest) to %s (darkest); %d suppressed or without a figure, hatched grey; the family hubs and other sites marked as dots. The table after the map gives the groups and how many neighbourhoods fall in each.",
		f.View.Filters.Council.Name, len(m.areas), m.legend[0], m.legend[len(m.legend)-1], suppressed)
	var b strings.Builder
	svgOpen(&b, W, H+legendH, label)
	b.WriteString(`<defs><pattern id="fh-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#bdbdbd"/><line x1="0" y1="0" x2="0" y2="6" stroke="#5a5a5a" stroke-width="1.2"/></pattern></defs>`)
	for _, a := range m.areas {
		v, known := m.value[a.Code]
		fill := "url(#fh-hatch)"
		if _, s := v.(stats.Suppressed); !s && known {
			fill = rgb(mapColours[m.class(num(v))])
		}
		var d strings.Builder
		for _, poly := range a.Shape {
			for _, ring := range poly[:1] {
				px, py := math.Inf(1), math.Inf(1)
				for i, pt := range ring {
					x, y := toPt(pt)
					if i > 0 && math.Abs(x-px) < 0.6 && math.Abs(y-py) < 0.6 {
						continue // finer than the drawing shows
					}
					if i == 0 {
						d.WriteString("M")
					} else {
						d.WriteString("L")
					}
					fmt.Fprintf(&d, "%.1f %.1f", x, y)
					px, py = x, y
				}
				d.WriteString("Z")
			}
		}
		fmt.Fprintf(&b, `<path d="%s" fill="%s" stroke="#ffffff" stroke-width="0.4"/>`, d.String(), fill)
	}
	s := f.Sites
	for _, row := range s.Rows {
		lon, lat := num(row[s.Col("lon")]), num(row[s.Col("lat")])
		if math.IsNaN(lon) || math.IsNaN(lat) {
			continue
		}
		x, y := toPt(orb.Point{lon, lat})
		r := 2.5
		if queries.Text(row[s.Col("kind")]) == "hub" {
			r = 4.5
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s" stroke="#ffffff" stroke-width="0.8"/>`, x, y, r, palette.Orange)
	}
	// the legend, as the PDF's: each class's colour and range, the hatching, the sites
	ly := H + 14
	for i, c := range mapColours {
		x := float64(i) * 120
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="14" height="10" fill="%s" stroke="#969696" stroke-width="0.6"/>`, x, ly-9, rgb(c))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" %s>%s</text>`, x+18, ly, svgText, html.EscapeString(m.legend[i]))
	}
	fmt.Fprintf(&b, `<rect x="0" y="%.1f" width="14" height="10" fill="url(#fh-hatch)" stroke="#969696" stroke-width="0.6"/>`, ly+15)
	fmt.Fprintf(&b, `<text x="18" y="%.1f" font-size="12" %s>%s</text>`, ly+24, svgText, suppressedLegend)
	fmt.Fprintf(&b, `<circle cx="127" cy="%.1f" r="4.5" fill="%s"/>`, ly+20, palette.Orange)
	fmt.Fprintf(&b, `<text x="138" y="%.1f" font-size="12" %s>%s</text>`, ly+24, svgText, sitesLegend)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// table is the map's legend as a table: each group's range and how many neighbourhoods are in it.
func (m *choropleth) table() Table {
	classes, suppressed := m.counts()
	t := Table{Caption: "Neighbourhoods in each group of children reached per 1,000 (darkest last)", Cols: []string{"Children reached per 1,000", "Neighbourhoods"}, Align: "LR"}
	for i, l := range m.legend {
		t.Rows = append(t.Rows, []string{l, answers.Number(float64(classes[i]), 0)})
	}
	t.Rows = append(t.Rows, []string{suppressedLegend, answers.Number(float64(suppressed), 0)})
	return t
}
