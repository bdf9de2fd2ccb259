package dashboards

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"familyhubs/answers"
	"familyhubs/geo"
	"familyhubs/internal/palette"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
	"familyhubs/warehouse"
)

// The colour ramp from light to dark (ColorBrewer Blues).
var blues = []string{"#f7fbff", "#9ecae1", "#3182bd", "#08306b"}

// hatch is the pattern on a suppressed neighbourhood: dark diagonal stripes over grey.
var hatch = map[string]any{"symbol": "rect", "symbolSize": 1, "rotation": math.Pi / 4, "dashArrayX": []int{1, 0},
	"dashArrayY": []int{2, 4}, "color": "#6e6e6e"}

const suppressedGrey = "#bdbdbd"

// siteColour is the sites' markers' colour: the palette's orange (3.03:1 on white), with a dark
// border (ink) and a shape for each kind of site. Against the scale's stops the border stands
// out from #3182bd and everything paler (4.6:1 or more) and the orange from the darkest, #08306b
// (4.2:1), where a white border would be lost on the palest (1.04:1); between the two darkest
// stops neither reaches 3:1 everywhere, and the sites are named in words with the map.
const siteColour = palette.Orange

func neighbourhoodMap(ctx context.Context, v *View) ([]Block, error) {
	question := "reach_by_neighbourhood"
	if v.Layer == "access" {
		question = "access_neighbourhoods" // the whole council's distances, on the period's last day
	}
	c, res, rows, err := chartFor(ctx, v, "map", question, nil)
	if err != nil {
		return nil, err
	}
	sites, err := v.Run(ctx, "site_activity", v.Filters.Args())
	if err != nil {
		return nil, err
	}
	var pts []mapSite
	for _, row := range sites.Rows {
		lon, ok1 := measures.Number(row[sites.Col("lon")])
		lat, ok2 := measures.Number(row[sites.Col("lat")])
		if ok1 && ok2 {
			pts = append(pts, mapSite{Name: queries.Text(row[sites.Col("name")]), Value: [2]float64{lon, lat}, Kind: queries.Text(row[sites.Col("kind")])})
		}
	}
	codes := texts(res, rows, "lsoa21_code")
	mapName := MapName(v.Filters.Council.Code)
	if !warehouse.HasBoundaries(v.Filters.Council.Code) {
		c.Title = "Children reached per 1,000, by neighbourhood (2021 LSOA)"
		c.Subtitle = describe(v, true)
		c.Element = template.HTML(`<p class="note">` + template.HTMLEscapeString("No boundaries are embedded for "+
			v.Filters.Council.Name+" (this build carries them for the five councils with published networks), so there is "+
			"no map: the table lists every neighbourhood with its reach and deprivation.") + `</p>`)
		return []Block{{Chart: c}}, nil
	}
	// every neighbourhood's locality, whichever locality is chosen, so that all are outlined
	all := res
	if v.Filters.Locality != "" {
		whole := v.Filters
		whole.Locality = ""
		if all, err = v.Run(ctx, "reach_by_neighbourhood", whole.Args()); errors.Is(err, answers.ErrForbidden) {
			all = res // a manager of this locality alone: only its outline
		} else if err != nil {
			return nil, err
		}
	}
	localityOf := map[string]string{}
	for _, row := range all.Rows {
		localityOf[queries.Text(row[all.Col("lsoa21_code")])] = queries.Text(row[all.Col("locality")])
	}
	shapes, err := councilShapes(v.Filters.Council.Code)
	if err != nil {
		return nil, err
	}
	locs := shapes.localities(localityOf)
	var layer mapLayer
	switch v.Layer {
	case "access":
		c.Title = "Neighbourhoods by straight-line distance to the nearest family hub open on " + answers.Day(v.Filters.Period.End) + ", with locality outlines"
		c.Subtitle = v.Filters.Council.Name + " · sites open on " + answers.Day(v.Filters.Period.End) + " (the end of " + v.Filters.Period.Label + ") · sites drawn on top"
		kms := column(res, rows, "hub_km")
		layer = mapLayer{name: "distance to the nearest hub", values: kms, min: 0, max: 10, pieces: accessPieces()}
		c.Table = withBands(c.Table, kms)
		c.Words = append(c.Words, accessBandWords(kms)...)
	case "idaci":
		c.Title = "Neighbourhoods by national IDACI decile (1 = most deprived 10% of England), with locality outlines"
		c.Subtitle = describe(v, false) + " · IoD2025 · sites drawn on top"
		// decile 1, the most deprived, is the darkest
		dark := make([]string, len(blues))
		for i, col := range blues {
			dark[len(blues)-1-i] = col
		}
		layer = mapLayer{name: "IDACI decile", values: column(res, rows, "idaci_decile"), min: 1, max: 10, colours: dark,
			high: "10 = least deprived", low: "1 = most deprived"}
	default:
		c.Title = "Children reached per 1,000, by neighbourhood (2021 LSOA), with locality outlines; hatched: suppressed"
		var max float64
		for _, x := range column(res, rows, "reach_per_1000") {
			if f, ok := measures.Number(x); ok && f > max {
				max = f
			}
		}
		c.Subtitle = describe(v, true) + " · sites drawn on top"
		layer = mapLayer{name: "reach per 1,000", values: column(res, rows, "reach_per_1000"), min: 0, max: max, colours: blues,
			high: "reach per 1,000: high", low: "low", hatchKey: hatchKey(v.Policy)}
	}
	c.draw(choropleth(c.ID, c.Title, c.Subtitle, mapName, codes, layer, pts, locs))
	c.Words = append(c.Words, sitesInWords(pts)...)
	return []Block{{Chart: c}}, nil
}

// sitesInWords names the sites drawn on the map, kind by kind with the shape of their marker, so
// that a site is not named only in a tooltip (its neighbourhood's figures are in the table).
func sitesInWords(sites []mapSite) []string {
	var out []string
	for _, kind := range siteKinds {
		var names []string
		for _, s := range sites {
			if s.Kind == kind.kind {
				names = append(names, s.Name)
			}
		}
		if len(names) > 0 {
			out = append(out, fmt.Sprintf("%s sites on the map (%s): %s.", strings.ToUpper(kind.kind[:1])+kind.kind[1:], kind.marker, strings.Join(names, "; ")))
		}
	}
	return out
}

// siteKinds are the kinds of site drawn, in order, with their markers (ECharts symbols) and the
// markers' names in words.
var siteKinds = []struct{ kind, symbol, marker string }{
	{"hub", "pin", "large pins"}, {"hublet", "diamond", "diamonds"}, {"bridge", "triangle", "triangles"}, {"outreach", "circle", "circles"}}

// hatchKey is the legend's words for the hatching, in the disclosure policy's terms.
func hatchKey(p stats.Policy) string {
	if p.Symbol == "" {
		return ""
	}
	k := fmt.Sprintf("hatched: suppressed (%s: %g to %g children", p.Symbol, p.Low, p.High)
	if p.Secondary {
		k += ", or to protect another"
	}
	return k + ")"
}

// Site is a site drawn on the map.
type mapSite struct {
	Name  string     `json:"name"`
	Value [2]float64 `json:"value"`
	Kind  string     `json:"kind"`
}

// mapLayer is what the neighbourhoods are coloured by.
type mapLayer struct {
	name      string
	values    []any // one per neighbourhood code
	min, max  float64
	colours   []string // from min to max
	high, low string   // the key's words at either end
	hatchKey  string   // the legend entry for suppressed (hatched) neighbourhoods; "" if none can be
	// pieces, where given, are bands of the value each in a colour of its own (a piecewise key)
	// in place of the continuous scale
	pieces []map[string]any
}

// accessBands are the access layer's bands of straight-line distance to the nearest hub, in km:
// each up to and including its top (as "within 2 km" counts 2 km), palest the nearest.
var accessBands = []struct {
	top    float64 // 0: no top
	label  string
	colour string
}{{1, "1 km or less", blues[0]}, {2, "over 1 to 2 km", blues[1]}, {5, "over 2 to 5 km", blues[2]}, {0, "over 5 km", blues[3]}}

// accessBand is the band of a distance in km: its index in accessBands.
func accessBand(km float64) int {
	for i, b := range accessBands {
		if b.top == 0 || km <= b.top {
			return i
		}
	}
	return len(accessBands) - 1
}

// accessPieces are the access bands as ECharts' piecewise key.
func accessPieces() []map[string]any {
	var out []map[string]any
	low := 0.0
	for i, b := range accessBands {
		p := map[string]any{"label": b.label, "color": b.colour}
		if i > 0 {
			p["gt"] = low
		} else {
			p["gte"] = 0
		}
		if b.top > 0 {
			p["lte"] = b.top
			low = b.top
		}
		out = append(out, p)
	}
	return out
}

// withBands adds each neighbourhood's band of distance to the map's table, the map's
// alternative: a reader of the table need not work out the band from the km.
func withBands(t answers.Table, kms []any) answers.Table {
	t.Columns = append(t.Columns, "hub_km_band")
	t.Headers = append(t.Headers, "Distance to the nearest hub (band)")
	t.Numeric = append(t.Numeric, false)
	for i := range t.Rows {
		band := "no hub open"
		if f, ok := measures.Number(kms[i]); ok {
			band = accessBands[accessBand(f)].label
		}
		t.Rows[i] = append(t.Rows[i], band)
	}
	return t
}

// accessBandWords say how many neighbourhoods fall in each band, so the map is not read by
// colour alone.
func accessBandWords(kms []any) []string {
	counts := make([]int, len(accessBands))
	none := 0
	for _, x := range kms {
		if f, ok := measures.Number(x); ok {
			counts[accessBand(f)]++
		} else {
			none++
		}
	}
	var parts []string
	for i, b := range accessBands {
		parts = append(parts, fmt.Sprintf("%s: %d", b.label, counts[i]))
	}
	s := "Neighbourhoods by straight-line distance from their centre to the nearest hub: " + strings.Join(parts, "; ") + "."
	if none > 0 {
		s += fmt.Sprintf(" %d have no hub open to measure to.", none)
	}
	return []string{s, "A straight line from each neighbourhood's centre (the mean of its postcode centroids where known, else its interior point), not a journey by road or bus; the table gives each neighbourhood's km and band."}
}

// visualMapOf is the layer's key: a continuous scale, or its bands where it has pieces.
func visualMapOf(l mapLayer) map[string]any {
	if len(l.pieces) > 0 {
		return map[string]any{"type": "piecewise", "seriesIndex": 0, "pieces": l.pieces, "left": 10, "bottom": 20, "orient": "vertical"}
	}
	return map[string]any{"type": "continuous", "seriesIndex": 0, "min": l.min, "max": l.max, "calculable": true,
		"precision": 0, "text": []string{l.high, l.low}, "left": 10, "bottom": 20, "inRange": map[string]any{"color": l.colours}}
}

// choropleth colours a council's LSOAs by a value, hatches suppressed ones (not drawn as zero),
// outlines and names the localities, and draws the sites on top. The boundary is registered by
// the script at /static/maps/CODE-lsoa21.js, which the page loads first.
func choropleth(id, title, subtitle, mapName string, codes []string, l mapLayer, sites []mapSite, locs localities) drawing {
	m := charts.NewMap()
	m.RegisterMapType(mapName)
	m.SetGlobalOptions(common(id, "Map", title, subtitle, "620px")...)
	m.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		// no automatic decal patterns: hatching marks the suppressed neighbourhoods alone, set on
		// each of them below (a data item's own decal is drawn whether or not ARIA decals are on)
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: ariaName("Map", title)},
			Decal: &opts.AriaDecal{Show: opts.Bool(false)}}),
	)
	// the neighbourhoods' data, with their hatching, is set with the other layers below
	m.AddSeries(l.name, []opts.MapData{})
	data := make([]map[string]any, len(codes))
	var suppressed []map[string]any
	for i, c := range codes {
		data[i] = map[string]any{"name": c, "value": value(l.values[i])}
		if s, ok := l.values[i].(stats.Suppressed); ok {
			data[i]["itemStyle"] = map[string]any{"decal": hatch}
			data[i]["tooltip"] = map[string]any{"formatter": c + ": suppressed (" + s.Symbol + ", " + s.Reason + ")"}
			suppressed = append(suppressed, map[string]any{"name": c, "itemStyle": map[string]any{"areaColor": suppressedGrey}})
		}
	}
	series := []map[string]any{{"geoIndex": 0, "data": data}}
	legend := []any{l.name}
	for _, k := range siteKinds {
		kind := k.kind
		var pts []mapSite
		for _, s := range sites {
			if s.Kind == kind {
				pts = append(pts, s)
			}
		}
		if len(pts) == 0 {
			continue
		}
		size := 12
		if kind == "hub" {
			size = 22
		}
		series = append(series, map[string]any{"type": "scatter", "coordinateSystem": "geo", "name": kind + " sites",
			"data": pts, "symbol": k.symbol, "symbolSize": size, "z": 10,
			"itemStyle": map[string]any{"color": siteColour, "opacity": 1, "borderColor": ink, "borderWidth": 1},
			"tooltip":   map[string]any{"formatter": "{b}"}})
		legend = append(legend, kind+" sites")
	}
	if len(locs.outlines) > 0 {
		const name = "localities"
		series = append(series,
			map[string]any{"type": "lines", "coordinateSystem": "geo", "name": name, "polyline": true, "silent": true, "z": 6,
				// zlevel given: else ECharts' lines view clears, and so adds, a blank canvas layer for
				// zlevel undefined; and drawn at once, not progressively over several frames
				"zlevel": 0, "progressive": 0,
				"data": locs.outlines, "tooltip": map[string]any{"show": false},
				"lineStyle": map[string]any{"color": "#111111", "width": 1.8, "opacity": 1, "shadowColor": "#ffffff", "shadowBlur": 3}},
			map[string]any{"type": "scatter", "coordinateSystem": "geo", "name": name, "symbolSize": 0, "silent": true, "z": 8,
				"data": locs.labels, "tooltip": map[string]any{"show": false}, "labelLayout": map[string]any{"hideOverlap": false},
				"label": map[string]any{"show": true, "formatter": "{b}", "position": "inside", "fontSize": 12, "fontWeight": "bold",
					"color": "#111111", "textBorderColor": "#ffffff", "textBorderWidth": 3, "width": 130, "overflow": "break", "lineHeight": 15, "align": "center"}})
		legend = append(legend, name)
	}
	if l.hatchKey != "" {
		// the key to the hatching: a legend entry drawn with the pattern (its series draws nothing)
		series = append(series, map[string]any{"type": "scatter", "coordinateSystem": "geo", "name": l.hatchKey, "data": []any{},
			"silent": true, "itemStyle": map[string]any{"color": suppressedGrey}})
		legend = append(legend, map[string]any{"name": l.hatchKey, "icon": "rect",
			"itemStyle": map[string]any{"color": suppressedGrey, "decal": hatch}})
	}
	layers := map[string]any{
		"geo": map[string]any{"map": mapName, "roam": true, "regions": suppressed, "top": 40, "bottom": 10,
			"itemStyle": map[string]any{"areaColor": "#eeeeee", "borderColor": "#999", "borderWidth": 0.5},
			"emphasis":  map[string]any{"label": map[string]any{"show": false}}},
		// the scale colours the neighbourhoods (series 0) alone: the sites keep their own colour
		"visualMap": visualMapOf(l),
		"series":    series,
		"legend":    map[string]any{"show": true, "top": 4, "data": legend},
	}
	// on a phone the legend is a column above the map, its long entries wrapped; the map fits the
	// width between it and the colour key under it, and does not pan or zoom (a finger on it
	// scrolls the page)
	phone := &narrow{Below: narrowWidth, Height: "560px", WideHeight: "620px", Option: map[string]any{
		"legend": map[string]any{"orient": "vertical", "left": 0, "top": 0, "itemGap": 6,
			"textStyle": map[string]any{"width": 200, "overflow": "break", "lineHeight": 14}},
		"geo":       map[string]any{"top": 165, "bottom": 150, "left": 0, "right": 0, "roam": false},
		"visualMap": map[string]any{"left": 0, "bottom": 8, "itemHeight": 90},
	}}
	if len(l.pieces) > 0 { // a band's swatch keeps its own height
		phone.Option["visualMap"] = map[string]any{"left": 0, "bottom": 8}
	}
	return renderNarrow(m, &m.BaseConfiguration, phone, layers)
}

// MapName is the name a council's LSOA boundary is registered under in ECharts.
func MapName(councilCode string) string { return "lsoa21-" + councilCode }

// lsoaShapes are a council's LSOAs and the edges of their polygons, each edge with the LSOAs
// on either side ("" for outside the council). Read once per council.
type lsoaShapes struct {
	areas []geo.Area
	edges []lsoaEdge
}

type lsoaEdge struct {
	a, b  orb.Point
	sides [2]string
}

var shapesByCouncil sync.Map // council code -> *lsoaShapes

func councilShapes(code string) (*lsoaShapes, error) {
	if s, ok := shapesByCouncil.Load(code); ok {
		return s.(*lsoaShapes), nil
	}
	raw, err := warehouse.ReadBoundary("lsoa21", code)
	if err != nil {
		return nil, err
	}
	areas, err := geo.ReadAreas(raw, "LSOA21CD", "LSOA21NM")
	if err != nil {
		return nil, err
	}
	s := &lsoaShapes{areas: areas}
	// neighbouring LSOAs share their edges vertex for vertex (ONS generalises them together), so
	// an edge met twice lies between two LSOAs and an edge met once is on the council's edge
	seen := map[[2]orb.Point]int{}
	for _, a := range areas {
		for _, poly := range a.Shape {
			for _, ring := range poly {
				for k := 1; k < len(ring); k++ {
					p, q := ring[k-1], ring[k]
					if p == q {
						continue
					}
					key := [2]orb.Point{p, q}
					if q[0] < p[0] || (q[0] == p[0] && q[1] < p[1]) {
						key = [2]orb.Point{q, p}
					}
					if i, ok := seen[key]; ok {
						s.edges[i].sides[1] = a.Code
						continue
					}
					seen[key] = len(s.edges)
					s.edges = append(s.edges, lsoaEdge{a: p, b: q, sides: [2]string{a.Code, ""}})
				}
			}
		}
	}
	shapesByCouncil.Store(code, s)
	return s, nil
}

// localities are the outlines of the localities (as lines for an ECharts lines series) and a
// point inside each to name it at.
type localities struct {
	outlines []map[string]any
	labels   []map[string]any
}

// localities dissolves the LSOAs into their localities: the outlines are the LSOA edges with a
// different locality (or none: outside the council) on either side, joined into polylines.
func (s *lsoaShapes) localities(localityOf map[string]string) localities {
	loc := func(code string) string {
		if code == "" {
			return "\x00outside"
		}
		return localityOf[code]
	}
	var kept []lsoaEdge
	for _, e := range s.edges {
		if loc(e.sides[0]) != loc(e.sides[1]) {
			kept = append(kept, e)
		}
	}
	ends := map[orb.Point][]int{}
	for i, e := range kept {
		ends[e.a] = append(ends[e.a], i)
		ends[e.b] = append(ends[e.b], i)
	}
	used := make([]bool, len(kept))
	// walk from a point along edge i, on through points where the line merely continues (two
	// edges meet), to a point where three or more localities meet or back to the start
	walk := func(p orb.Point, i int) []map[string]any {
		line := [][2]float64{rounded(p)}
		for {
			used[i] = true
			if kept[i].a == p {
				p = kept[i].b
			} else {
				p = kept[i].a
			}
			if r := rounded(p); r != line[len(line)-1] {
				line = append(line, r)
			}
			next := -1
			if len(ends[p]) == 2 {
				for _, j := range ends[p] {
					if !used[j] {
						next = j
					}
				}
			}
			if next < 0 {
				return []map[string]any{{"coords": line}}
			}
			i = next
		}
	}
	var out localities
	for i, e := range kept {
		switch {
		case used[i]:
		case len(ends[e.a]) != 2:
			out.outlines = append(out.outlines, walk(e.a, i)...)
		case len(ends[e.b]) != 2:
			out.outlines = append(out.outlines, walk(e.b, i)...)
		}
	}
	for i, e := range kept { // what is left are closed rings
		if !used[i] {
			out.outlines = append(out.outlines, walk(e.a, i)...)
		}
	}
	// each locality is named at its middle (the area-weighted centre of its LSOAs) when that is
	// inside it, else inside its LSOA nearest the middle
	members := map[string][]geo.Area{}
	for _, a := range s.areas {
		if l := localityOf[a.Code]; l != "" {
			members[l] = append(members[l], a)
		}
	}
	names := make([]string, 0, len(members))
	for l := range members {
		names = append(names, l)
	}
	sort.Strings(names)
	for _, l := range names {
		var x, y, w float64
		for _, a := range members[l] {
			c, area := planar.CentroidArea(a.Shape)
			x, y, w = x+c[0]*area, y+c[1]*area, w+area
		}
		mid := orb.Point{x / w, y / w}
		if geo.Locate(members[l], mid) < 0 {
			best, bestD := 0, math.Inf(1)
			for i, a := range members[l] {
				c, _ := planar.CentroidArea(a.Shape)
				if d := planar.DistanceSquared(c, mid); d < bestD {
					best, bestD = i, d
				}
			}
			mid, _ = members[l][best].InteriorPoint()
		}
		out.labels = append(out.labels, map[string]any{"name": l, "value": rounded(mid)})
	}
	return out
}

// rounded is a lon/lat to six decimal places (about 10 cm), enough for a map and a smaller page.
func rounded(p orb.Point) [2]float64 {
	return [2]float64{math.Round(p[0]*1e6) / 1e6, math.Round(p[1]*1e6) / 1e6}
}
