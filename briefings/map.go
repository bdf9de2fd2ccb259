package briefings

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"github.com/paulmach/orb"

	"familyhubs/answers"
	"familyhubs/geo"
	"familyhubs/queries"
	"familyhubs/stats"
	"familyhubs/warehouse"
)

// mapColours run from light to dark: five classes of reach per 1,000.
var mapColours = [][3]int{{239, 243, 255}, {189, 215, 231}, {107, 174, 214}, {49, 130, 189}, {8, 81, 156}}

// neighbourhoodMap draws the council's 2021 LSOAs filled by reach per 1,000 in five classes
// (quintiles of the neighbourhoods), suppressed neighbourhoods hatched grey rather than shaded as
// low, and the sites on top, as vector polygons from the ONS generalised boundaries.
func (d *doc) neighbourhoodMap(f *Figures) {
	raw, err := warehouse.ReadBoundary("lsoa21", d.f.Council.Code)
	if err != nil {
		return // a council without boundaries gets no map; the tables say the same
	}
	areas, err := geo.ReadAreas(raw, "LSOA21CD", "LSOA21NM")
	if err != nil || len(areas) == 0 {
		return
	}
	r := f.Neighbourhoods
	value := map[string]any{}
	var values []float64
	for _, row := range r.Rows {
		v := row[r.Col("reach_per_1000")]
		value[queries.Text(row[r.Col("lsoa21_code")])] = v
		if x := num(v); !math.IsNaN(x) {
			values = append(values, x)
		}
	}
	if len(values) == 0 {
		return
	}
	sort.Float64s(values)
	breaks := make([]float64, 4)
	for i := range breaks {
		breaks[i] = values[(i+1)*len(values)/5]
	}
	class := func(x float64) int {
		c := 0
		for c < len(breaks) && x >= breaks[c] {
			c++
		}
		return c
	}

	d.need(135 + 45) // the heading, subtitle and what it shows, the map and its legend: never split
	d.heading("Reach by neighbourhood")
	p := d.pdf
	p.SetFont("DejaVu", "", 7.5)
	p.SetTextColor(90, 90, 90)
	p.MultiCell(width, 3.8, answers.PeriodName(d.f.Period)+" · "+d.f.Council.Name+" · children reached per 1,000 by 2021 LSOA, in five equal-sized groups of neighbourhoods · "+
		strings.TrimSpace(syntheticNote(f.Services)+" Query reach_by_neighbourhood · boundaries: ONS, generalised"), "", "L", false)
	p.SetTextColor(0, 0, 0)
	p.SetFont("DejaVu", "", 8)
	p.MultiCell(width, 4, "What this shows: "+answers.Neighbourhoods.Shows+" Darker neighbourhoods had more children reached per 1,000.", "", "L", false)
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
		p.SetFillColor(213, 94, 0)
		p.SetDrawColor(255, 255, 255)
		p.SetLineWidth(0.3)
		p.Circle(pt.x, pt.y, radius, "FD")
	}
	// legend
	ly := boxY + boxH + 6
	p.SetFont("DejaVu", "", 7)
	lo := values[0]
	for i, c := range mapColours {
		hi := values[len(values)-1]
		if i < len(breaks) {
			hi = breaks[i]
		}
		x := left + float64(i)*30
		p.SetFillColor(c[0], c[1], c[2])
		p.SetDrawColor(150, 150, 150)
		p.Rect(x, ly, 5, 3.5, "FD")
		p.SetXY(x+6, ly)
		p.CellFormat(24, 3.5, fmt.Sprintf("%s to %s", answers.Number(lo, 1), answers.Number(hi, 1)), "", 0, "L", false, 0, "")
		lo = hi
	}
	x := left + 5*30
	p.SetFillColor(189, 189, 189)
	p.Rect(x, ly, 5, 3.5, "FD")
	p.SetXY(x+6, ly)
	p.CellFormat(30, 3.5, "suppressed (c)", "", 0, "L", false, 0, "")
	p.SetXY(left, ly+6)
	p.SetFillColor(213, 94, 0)
	p.Circle(left+2.5, ly+7.7, 1.6, "F")
	p.SetXY(left+6, ly+6)
	p.CellFormat(100, 3.5, "family hub (large) and other sites (small)", "", 0, "L", false, 0, "")
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
