package dashboards_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"image"
	"image/png"
	"math"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"familyhubs/browser"
	"familyhubs/geo"
	"familyhubs/internal/palette"
	"familyhubs/warehouse"
)

// mapPage is a map page as a test sees it: the chart's option as ECharts holds it once
// /static/charts.js has drawn it (go-echarts' option with the extra layers merged in) and the
// rows it plots, by column name.
type mapPage struct {
	option map[string]any
	rows   []map[string]string
}

// mapOptions is the map's data block: its option and the extra options merged into it.
var mapOptions = regexp.MustCompile(`<script type="application/json" id="options-map" data-chart="map">(.*?)</script>`)

func loadMapPage(t *testing.T, base, query string) mapPage {
	t.Helper()
	status, body := get(t, base+"/map?"+query)
	if status != 200 {
		t.Fatalf("/map?%s: %d %.300s", query, status, body)
	}
	m := mapOptions.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("/map?%s: no chart option in the page", query)
	}
	var spec struct {
		Option map[string]any   `json:"option"`
		Merge  []map[string]any `json:"merge"`
	}
	if err := json.Unmarshal([]byte(m[1]), &spec); err != nil {
		t.Fatal(err)
	}
	page := mapPage{option: spec.Option}
	for _, extra := range spec.Merge {
		mergeOption(page.option, extra)
	}
	// the rows plotted, as the chart's CSV link gives them (raw values, named by column)
	link := regexp.MustCompile(`<a class="csv[^"]*" href="([^"]+)"`).FindStringSubmatch(body)
	if link == nil {
		t.Fatalf("/map?%s: no CSV link", query)
	}
	code, csvBody := get(t, base+html.UnescapeString(link[1]))
	if code != 200 {
		t.Fatalf("/map?%s: the CSV link %s: %d %.200s", query, link[1], code, csvBody)
	}
	recs, err := csv.NewReader(strings.NewReader(csvBody)).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("/map?%s: the CSV of the map's rows: %v, %d records", query, err, len(recs))
	}
	for _, rec := range recs[1:] {
		r := map[string]string{}
		for i, col := range recs[0] {
			r[col] = rec[i]
		}
		page.rows = append(page.rows, r)
	}
	return page
}

// mergeOption does what a second setOption does to an ECharts option: components (series,
// visualMap, geo, ...) merge with the one at the same index, nested objects merge, anything else
// is replaced.
func mergeOption(dst, src map[string]any) {
	components := map[string]bool{"series": true, "visualMap": true, "geo": true, "legend": true, "title": true,
		"tooltip": true, "grid": true, "xAxis": true, "yAxis": true}
	for k, v := range src {
		if !components[k] {
			mergeObject(dst, k, v)
			continue
		}
		have, add := asList(dst[k]), asList(v)
		for i, x := range add {
			if i >= len(have) {
				have = append(have, x)
				continue
			}
			hm, ok1 := have[i].(map[string]any)
			xm, ok2 := x.(map[string]any)
			if ok1 && ok2 {
				for kk, vv := range xm {
					mergeObject(hm, kk, vv)
				}
			} else {
				have[i] = x
			}
		}
		dst[k] = have
	}
}

func mergeObject(dst map[string]any, k string, v any) {
	dm, ok1 := dst[k].(map[string]any)
	vm, ok2 := v.(map[string]any)
	if !ok1 || !ok2 {
		dst[k] = v
		return
	}
	for kk, vv := range vm {
		mergeObject(dm, kk, vv)
	}
}

func asList(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	return []any{v}
}

func (p mapPage) list(key string) []map[string]any {
	var out []map[string]any
	for _, x := range asList(p.option[key]) {
		m, _ := x.(map[string]any)
		out = append(out, m)
	}
	return out
}

// siteSeries are the series that draw the hubs, bridges and outreach sites.
func (p mapPage) siteSeries() map[int]map[string]any {
	out := map[int]map[string]any{}
	for i, s := range p.list("series") {
		if name, _ := s["name"].(string); s["type"] == "scatter" && strings.HasSuffix(name, " sites") {
			out[i] = s
		}
	}
	return out
}

// rgb reads #rrggbb.
func rgb(t *testing.T, hex string) [3]float64 {
	t.Helper()
	var c [3]float64
	if len(hex) != 7 || hex[0] != '#' {
		t.Fatalf("colour %q is not #rrggbb", hex)
	}
	for i := range c {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			t.Fatalf("colour %q: %v", hex, err)
		}
		c[i] = float64(v)
	}
	return c
}

func luminance(c [3]float64) float64 { return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2] }

// The choropleth's colour scale applies to the neighbourhoods alone: the site markers keep their
// own colour (ECharts would otherwise map each marker's coordinates onto the scale).
func TestMapVisualMapOnlyColoursNeighbourhoods(t *testing.T) {
	base := startServer(t)
	for _, layer := range []string{"reach", "idaci"} {
		page := loadMapPage(t, base, "council=stockport&layer="+layer)
		vms := page.list("visualMap")
		if len(vms) != 1 {
			t.Fatalf("%s: %d visualMaps", layer, len(vms))
		}
		targets := asList(vms[0]["seriesIndex"])
		if len(targets) != 1 || targets[0] != float64(0) {
			t.Errorf("%s: the colour scale applies to series %v, not to the neighbourhoods (series 0) alone", layer, vms[0]["seriesIndex"])
		}
		if s := page.list("series"); len(s) == 0 || s[0]["type"] != "map" {
			t.Fatalf("%s: series 0 is not the neighbourhoods", layer)
		}
		sites := page.siteSeries()
		if len(sites) == 0 {
			t.Fatalf("%s: no sites drawn", layer)
		}
		for i, s := range sites {
			style, _ := s["itemStyle"].(map[string]any)
			if style["color"] != palette.Orange {
				t.Errorf("%s: %s (series %d) are coloured %v", layer, s["name"], i, style["color"])
			}
		}
	}
}

// On the IDACI layer the most deprived decile (1) is the darkest and the key says so; on the reach
// layer high reach is dark.
func TestMapIDACIMostDeprivedDarkest(t *testing.T) {
	base := startServer(t)
	for _, tc := range []struct {
		layer     string
		min, max  float64 // max 0: the highest reach
		darkAtMin bool
		mustSay   string
	}{
		{"idaci", 1, 10, true, "1 = most deprived"},
		{"reach", 0, 0, false, "high"},
	} {
		page := loadMapPage(t, base, "council=stockport&layer="+tc.layer)
		vm := page.list("visualMap")[0]
		if vm["min"] != tc.min || (tc.max > 0 && vm["max"] != tc.max) {
			t.Errorf("%s: scale from %v to %v", tc.layer, vm["min"], vm["max"])
		}
		inRange, _ := vm["inRange"].(map[string]any)
		colours := asList(inRange["color"])
		if len(colours) < 2 {
			t.Fatalf("%s: colour ramp %v", tc.layer, colours)
		}
		first, last := luminance(rgb(t, colours[0].(string))), luminance(rgb(t, colours[len(colours)-1].(string)))
		if (first < last) != tc.darkAtMin {
			t.Errorf("%s: the ramp runs %v from the scale's minimum (%v) to its maximum: dark at the minimum should be %v",
				tc.layer, colours, tc.min, tc.darkAtMin)
		}
		var text []string
		for _, x := range asList(vm["text"]) {
			text = append(text, fmt.Sprint(x))
		}
		if !strings.Contains(strings.Join(text, " | "), tc.mustSay) {
			t.Errorf("%s: the key says %q, not %q", tc.layer, text, tc.mustSay)
		}
	}
}

// outline is one drawn piece of a locality boundary.
type outline struct{ a, b orb.Point }

// Each locality (hub network) is outlined over its neighbourhoods and named at a point inside
// it: every drawn line separates two localities (or a locality from outside the council), every
// change of locality is crossed by a drawn line, and every locality's name sits inside it.
func TestMapLocalityOutlines(t *testing.T) {
	base := startServer(t)
	for _, c := range []struct{ slug, code string }{{"stockport", "E08000007"}, {"kirklees", "E08000034"},
		{"wolverhampton", "E08000031"}, {"cumberland", "E06000063"}, {"westmorland-furness", "E06000064"}} {
		t.Run(c.slug, func(t *testing.T) {
			page := loadMapPage(t, base, "council="+c.slug)
			localityOf := map[string]string{}
			for _, r := range page.rows {
				localityOf[r["lsoa21_code"]] = r["locality"]
			}
			raw, err := warehouse.ReadBoundary("lsoa21", c.code)
			if err != nil {
				t.Fatal(err)
			}
			areas, err := geo.ReadAreas(raw, "LSOA21CD", "LSOA21NM")
			if err != nil {
				t.Fatal(err)
			}
			where := func(p orb.Point) string {
				if i := geo.Locate(areas, p); i >= 0 {
					return localityOf[areas[i].Code]
				}
				return "(outside " + c.slug + ")"
			}
			lines, labels := page.localities()
			if len(lines) == 0 {
				t.Fatal("no locality outlines drawn")
			}
			// choosing a locality narrows the neighbourhoods coloured, not the outlines or names
			for _, r := range page.rows[:1] {
				l, n := loadMapPage(t, base, "council="+c.slug+"&locality="+url.QueryEscape(r["locality"])).localities()
				if len(l) != len(lines) || len(n) != len(labels) {
					t.Errorf("with %s chosen, %d lines and %d names are drawn, not %d and %d", r["locality"], len(l), len(n), len(lines), len(labels))
				}
			}
			// every drawn line has a different locality on either side
			bad := 0
			for _, l := range lines {
				dx, dy := l.b[0]-l.a[0], l.b[1]-l.a[1]
				n := math.Hypot(dx, dy)
				if n < 2e-5 {
					continue // a line of a metre or two: rounding the drawn coordinates turns it too far to tell its sides
				}
				mid := orb.Point{(l.a[0] + l.b[0]) / 2, (l.a[1] + l.b[1]) / 2}
				const off = 3e-6 // degrees: about 0.3 m, more than the drawn coordinates are rounded by
				left := where(orb.Point{mid[0] - dy/n*off, mid[1] + dx/n*off})
				right := where(orb.Point{mid[0] + dy/n*off, mid[1] - dx/n*off})
				if left == right {
					if bad++; bad <= 5 {
						t.Errorf("a line from %v to %v runs through %s, not along its edge", l.a, l.b, left)
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d of %d drawn lines separate nothing", bad, len(lines))
			}
			// every step across a change of locality on a grid over the council crosses a drawn line
			var bound orb.Bound
			for i, a := range areas {
				if i == 0 {
					bound = a.Bound
				} else {
					bound = bound.Union(a.Bound)
				}
			}
			const steps = 90
			grid := make([][]string, steps+1)
			at := func(i, j int) orb.Point {
				return orb.Point{bound.Min[0] + (bound.Max[0]-bound.Min[0])*(float64(i)+0.37)/steps,
					bound.Min[1] + (bound.Max[1]-bound.Min[1])*(float64(j)+0.41)/steps}
			}
			for i := range grid {
				grid[i] = make([]string, steps+1)
				for j := range grid[i] {
					grid[i][j] = where(at(i, j))
				}
			}
			missed, crossings := 0, 0
			for i := 0; i <= steps; i++ {
				for j := 0; j <= steps; j++ {
					for _, nb := range [][2]int{{i + 1, j}, {i, j + 1}} {
						if nb[0] > steps || nb[1] > steps || grid[i][j] == grid[nb[0]][nb[1]] {
							continue
						}
						crossings++
						p, q := at(i, j), at(nb[0], nb[1])
						crossed := false
						for _, l := range lines {
							if segmentsCross(p, q, l.a, l.b) {
								crossed = true
								break
							}
						}
						if !crossed {
							if missed++; missed <= 5 {
								t.Errorf("from %s at %v to %s at %v no outline is crossed", grid[i][j], p, grid[nb[0]][nb[1]], q)
							}
						}
					}
				}
			}
			if crossings == 0 || missed > 0 {
				t.Errorf("%d of %d changes of locality on the grid have no outline", missed, crossings)
			}
			// every locality is named once, at a point inside it
			want := map[string]bool{}
			for _, l := range localityOf {
				want[l] = true
			}
			named := map[string]bool{}
			for _, d := range labels {
				name := fmt.Sprint(d["name"])
				if got := where(point(d["value"])); got != name {
					t.Errorf("the name %q is drawn at %v, in %q", name, d["value"], got)
				}
				if named[name] {
					t.Errorf("%q named twice", name)
				}
				named[name] = true
			}
			for l := range want {
				if !named[l] {
					t.Errorf("locality %q is not named on the map", l)
				}
			}
		})
	}
}

// localities are the lines and the names drawn over the neighbourhoods (on the map's geo
// coordinates, other than the sites).
func (p mapPage) localities() ([]outline, []map[string]any) {
	var lines []outline
	var labels []map[string]any
	for _, s := range p.list("series") {
		if s["coordinateSystem"] != "geo" {
			continue
		}
		switch s["type"] {
		case "lines":
			for _, d := range asList(s["data"]) {
				coords := asList(d.(map[string]any)["coords"])
				for i := 1; i < len(coords); i++ {
					lines = append(lines, outline{point(coords[i-1]), point(coords[i])})
				}
			}
		case "scatter":
			if label, _ := s["label"].(map[string]any); label["show"] == true && !strings.HasSuffix(fmt.Sprint(s["name"]), " sites") {
				for _, d := range asList(s["data"]) {
					labels = append(labels, d.(map[string]any))
				}
			}
		}
	}
	return lines, labels
}

func point(v any) orb.Point {
	xs := asList(v)
	if len(xs) != 2 {
		return orb.Point{math.NaN(), math.NaN()}
	}
	x, _ := xs[0].(float64)
	y, _ := xs[1].(float64)
	return orb.Point{x, y}
}

// segmentsCross says whether segment pq meets segment ab.
func segmentsCross(p, q, a, b orb.Point) bool {
	cross := func(o, s, t orb.Point) float64 { return (s[0]-o[0])*(t[1]-o[1]) - (s[1]-o[1])*(t[0]-o[0]) }
	d1, d2 := cross(a, b, p), cross(a, b, q)
	d3, d4 := cross(p, q, a), cross(p, q, b)
	return ((d1 <= 0 && d2 >= 0) || (d1 >= 0 && d2 <= 0)) && ((d3 <= 0 && d4 >= 0) || (d3 >= 0 && d4 <= 0))
}

// suppressedQuery is a view in which some neighbourhoods' reach is suppressed: the NHS rule hides
// protected counts of 1 to 7 (under the default policy the cell key method hides nothing).
const suppressedQuery = "council=stockport&period=2025-26&service=domestic_abuse&disclosure=nhs"

// Suppressed neighbourhoods carry a hatching pattern (the other neighbourhoods none), and the key
// explains it with the disclosure policy's symbol.
func TestMapSuppressedHatched(t *testing.T) {
	base := startServer(t)
	// the default policy perturbs small counts instead of hiding them: nothing hatched, no key
	dfe := loadMapPage(t, base, strings.TrimSuffix(suppressedQuery, "&disclosure=nhs"))
	for _, r := range dfe.rows {
		if r["reach_per_1000"] == "c" {
			t.Errorf("%s hidden under the cell key method", r["lsoa21_code"])
		}
	}
	for _, d := range asList(dfe.list("series")[0]["data"]) {
		style, _ := d.(map[string]any)["itemStyle"].(map[string]any)
		if decal, _ := style["decal"].(map[string]any); len(decal) > 0 {
			t.Errorf("%v hatched under the cell key method", d.(map[string]any)["name"])
		}
	}
	for _, tc := range []struct{ query, symbol string }{{suppressedQuery, "*"}} {
		page := loadMapPage(t, base, tc.query)
		suppressed := map[string]bool{}
		for _, r := range page.rows {
			if r["reach_per_1000"] == tc.symbol {
				suppressed[r["lsoa21_code"]] = true
			}
		}
		if len(suppressed) == 0 {
			t.Fatalf("%s: no neighbourhood is suppressed, so nothing here tests the hatching", tc.query)
		}
		hatched := 0
		for _, d := range asList(page.list("series")[0]["data"]) {
			item := d.(map[string]any)
			style, _ := item["itemStyle"].(map[string]any)
			decal, _ := style["decal"].(map[string]any)
			switch code := fmt.Sprint(item["name"]); {
			case suppressed[code] && len(decal) == 0:
				t.Errorf("%s: suppressed %s is not hatched", tc.query, code)
			case !suppressed[code] && len(decal) > 0:
				t.Errorf("%s: %s is hatched but not suppressed", tc.query, code)
			case suppressed[code]:
				hatched++
			}
		}
		if hatched != len(suppressed) {
			t.Errorf("%s: %d of %d suppressed neighbourhoods hatched", tc.query, hatched, len(suppressed))
		}
		var key []string
		for _, s := range page.list("series") {
			if name := fmt.Sprint(s["name"]); strings.Contains(name, "hatched") {
				key = append(key, name)
			}
		}
		legend, _ := page.list("legend")[0]["data"].([]any)
		shown := false
		for _, x := range legend {
			name := fmt.Sprint(x)
			if m, ok := x.(map[string]any); ok {
				name = fmt.Sprint(m["name"])
				if style, _ := m["itemStyle"].(map[string]any); style["decal"] == nil {
					continue
				}
			}
			for _, k := range key {
				shown = shown || name == k
			}
		}
		if len(key) != 1 || !strings.Contains(key[0], "suppressed") || !strings.Contains(key[0], "("+tc.symbol) || !shown {
			t.Errorf("%s: the key to the hatching is %q (in the legend with its pattern: %v)", tc.query, key, shown)
		}
	}
}

// pixel is one pixel of the drawn map (its place X, Y in the map's element, in CSS pixels) and
// the place on the map it shows.
type pixel struct {
	X, Y       float64
	R, G, B, A float64
	Lon, Lat   float64
}

func (p pixel) luminance() float64 { return luminance([3]float64{p.R, p.G, p.B}) }

// sampleJS gives the (2r+1)² pixels of the map around a point, each with the lon/lat it shows.
const sampleJS = `(function (lon, lat, r) {
  var c = echarts.getInstanceByDom(document.getElementById('map'));
  var p = c.convertToPixel({geoIndex: 0}, [lon, lat]);
  var out = [];
  for (var dy = -r; dy <= r; dy++) {
    for (var dx = -r; dx <= r; dx++) {
      var x = Math.floor(p[0]) + dx, y = Math.floor(p[1]) + dy;
      var ll = c.convertFromPixel({geoIndex: 0}, [x + 0.5, y + 0.5]);
      out.push({X: x, Y: y, Lon: ll[0], Lat: ll[1]});
    }
  }
  return out;
})(%v, %v, %d)`

// markerJS gives the pixel of the map at a point, up pixels higher.
const markerJS = `(function (lon, lat, up) {
  var c = echarts.getInstanceByDom(document.getElementById('map'));
  var p = c.convertToPixel({geoIndex: 0}, [lon, lat]);
  return [{X: Math.floor(p[0]), Y: Math.floor(p[1] - up), Lon: lon, Lat: lat}];
})(%v, %v, %v)`

// colour reads the pixels' colours off a screenshot of the map as drawn (an SVG, so there is no
// canvas to read): the map's element is captured at one image pixel to a CSS pixel.
func colour(t *testing.T, ctx context.Context, px []pixel) []pixel {
	t.Helper()
	shot, err := chromedp.Run(ctx, chromedp.ScreenshotScale(chromedp.CSS("#map"), 1))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	for i := range px {
		x, y := b.Min.X+int(px[i].X), b.Min.Y+int(px[i].Y)
		if !(image.Point{x, y}.In(b)) {
			continue // off the element: A stays 0
		}
		r, g, bl, a := img.At(x, y).RGBA()
		px[i].R, px[i].G, px[i].B, px[i].A = float64(r>>8), float64(g>>8), float64(bl>>8), float64(a>>8)
	}
	return px
}

// inside samples the map around an area's interior point and keeps the pixels that show the
// area at least three pixels from its edge (so no border or anti-aliasing is counted).
func inside(t *testing.T, ctx context.Context, a geo.Area) []pixel {
	t.Helper()
	c, _ := a.InteriorPoint()
	const r = 12
	px, err := chromedp.Run(ctx, chromedp.Evaluate[[]pixel](fmt.Sprintf(sampleJS, c[0], c[1], r)))
	if err != nil {
		t.Fatal(err)
	}
	px = colour(t, ctx, px)
	perPixel := geo.DistanceKm(orb.Point{px[0].Lon, px[0].Lat}, orb.Point{px[1].Lon, px[1].Lat}) * 1000
	var keep []pixel
	for _, p := range px {
		pt := orb.Point{p.Lon, p.Lat}
		if _, d := geo.Nearest([]geo.Area{a}, pt); a.Contains(pt) && d > 3*perPixel {
			keep = append(keep, p)
		}
	}
	return keep
}

// biggest orders areas largest first.
func biggest(areas []geo.Area) []geo.Area {
	out := append([]geo.Area(nil), areas...)
	sort.Slice(out, func(i, j int) bool { return planar.Area(out[i].Shape) > planar.Area(out[j].Shape) })
	return out
}

// showOnly hides every series but the neighbourhoods and, if sites, the site markers, so the
// pixels sampled are the map's own.
func showOnly(t *testing.T, ctx context.Context, sites bool) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(function (sites) {
		var c = echarts.getInstanceByDom(document.getElementById('map'));
		c.getOption().series.forEach(function (s, i) {
			var keep = i === 0 || (sites && s.type === 'scatter' && / sites$/.test(s.name));
			c.dispatchAction({type: keep ? 'legendSelect' : 'legendUnSelect', name: s.name});
		});
		return true; })(%v)`, sites)))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond) // ECharts redraws on the next animation frame
}

// In Chromium: the markers are drawn in their own colour, suppressed neighbourhoods show
// stripes, and on the IDACI layer decile 1 is darker than decile 10.
func TestMapInBrowser(t *testing.T) {
	base := startServer(t)
	ctx := startBrowser(t)
	raw, err := warehouse.ReadBoundary("lsoa21", "E08000007")
	if err != nil {
		t.Fatal(err)
	}
	areas, err := geo.ReadAreas(raw, "LSOA21CD", "LSOA21NM")
	if err != nil {
		t.Fatal(err)
	}
	areasWhere := func(rows []map[string]string, col string, keep func(string) bool) []geo.Area {
		want := map[string]bool{}
		for _, r := range rows {
			if keep(r[col]) {
				want[r["lsoa21_code"]] = true
			}
		}
		var out []geo.Area
		for _, a := range areas {
			if want[a.Code] {
				out = append(out, a)
			}
		}
		return biggest(out)
	}
	load := func(query string) mapPage {
		t.Helper()
		v, err := browser.Load(ctx, base+"/map?"+query)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range v.Errors {
			t.Errorf("/map?%s: %s", query, e)
		}
		if len(v.Blank) > 0 {
			t.Errorf("/map?%s: blank charts %v", query, v.Blank)
		}
		return loadMapPage(t, base, query)
	}

	page := load(suppressedQuery)
	scale, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(echarts.getInstanceByDom(document.getElementById('map')).getOption().visualMap.map(function (v) { return v.seriesIndex; }))`))
	if err != nil || (scale != "[[0]]" && scale != "[0]") {
		t.Errorf("the colour scale applies to series %s (%v), not to the neighbourhoods alone", scale, err)
	}
	// each site's marker, sampled at its centre, is the markers' orange
	showOnly(t, ctx, true)
	o := palette.RGB(palette.Orange)
	orange := [3]float64{float64(o[0]), float64(o[1]), float64(o[2])}
	for _, s := range page.siteSeries() {
		// a pin's tip is on the site and its head above: the middle of the head is where ECharts'
		// pin path puts it, (h - r - r²/(h-r)) above the tip, r being 3/10 of the symbol's size
		up := 0.0
		if h, _ := s["symbolSize"].(float64); s["symbol"] == "pin" {
			r := h * 3 / 10
			up = h - r - r*r/(h-r)
		}
		for _, d := range asList(s["data"]) {
			site := d.(map[string]any)
			p := point(site["value"])
			px, err := chromedp.Run(ctx, chromedp.Evaluate[[]pixel](fmt.Sprintf(markerJS, p[0], p[1], up)))
			if err != nil {
				t.Fatal(err)
			}
			px = colour(t, ctx, px)
			if dist := math.Hypot(math.Hypot(px[0].R-orange[0], px[0].G-orange[1]), px[0].B-orange[2]); dist > 40 {
				t.Errorf("%s (%s) is drawn rgb(%v, %v, %v), not the markers' orange", site["name"], s["name"], px[0].R, px[0].G, px[0].B)
			}
		}
	}
	// inside a suppressed neighbourhood there are stripes; inside another, one flat colour
	showOnly(t, ctx, false)
	spread := func(px []pixel) float64 {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, p := range px {
			lo, hi = math.Min(lo, p.luminance()), math.Max(hi, p.luminance())
		}
		return hi - lo
	}
	checked := 0
	for _, a := range areasWhere(page.rows, "reach_per_1000", func(s string) bool { return s == "*" }) {
		px := inside(t, ctx, a)
		if len(px) < 40 {
			continue
		}
		if s := spread(px); s < 40 {
			t.Errorf("suppressed %s is not hatched: %d pixels inside it differ in brightness by %.0f at most", a.Code, len(px), s)
		}
		if checked++; checked == 3 {
			break
		}
	}
	if checked == 0 {
		t.Error("no suppressed neighbourhood is big enough on screen to sample")
	}
	for _, a := range areasWhere(page.rows, "reach_per_1000", func(s string) bool { return s != "*" })[:3] {
		if px := inside(t, ctx, a); len(px) < 40 || spread(px) > 3 {
			t.Errorf("%s, not suppressed, should be one flat colour: %d pixels, brightness spread %.0f", a.Code, len(px), spread(px))
		}
	}

	// IDACI: decile 1 (most deprived) darker than decile 10
	page = load("council=stockport&layer=idaci")
	showOnly(t, ctx, false)
	mean := func(decile string) float64 {
		t.Helper()
		for _, a := range areasWhere(page.rows, "idaci_decile", func(s string) bool { return s == decile }) {
			if px := inside(t, ctx, a); len(px) >= 40 {
				var sum float64
				for _, p := range px {
					sum += p.luminance()
				}
				return sum / float64(len(px))
			}
		}
		t.Fatalf("no neighbourhood in IDACI decile %s big enough on screen to sample", decile)
		return 0
	}
	if d1, d10 := mean("1"), mean("10"); d1 > d10-50 {
		t.Errorf("IDACI decile 1 (most deprived) is drawn with brightness %.0f, decile 10 with %.0f: decile 1 should be the darker", d1, d10)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(echarts.getInstanceByDom(document.getElementById('map')).getOption().visualMap[0].text)`))
	if err != nil || !strings.Contains(text, "1 = most deprived") {
		t.Errorf("the IDACI key says %s (%v)", text, err)
	}
}
