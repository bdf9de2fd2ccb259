package dashboards

import (
	"context"
	"html/template"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
	"familyhubs/warehouse"
)

func neighbourhoodMap(ctx context.Context, v *View) ([]Block, error) {
	c, res, rows, err := chartFor(ctx, v, "map", "reach_by_neighbourhood", nil)
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
	if v.Layer == "idaci" {
		c.Title = "Neighbourhoods by national IDACI decile (1 = most deprived 10% of England)"
		c.Subtitle = describe(v, false) + " · IoD2025 · sites drawn on top"
		c.Element, c.Script = choropleth(c.ID, c.Title, c.Subtitle, mapName, "IDACI decile",
			codes, column(res, rows, "idaci_decile"), 1, 10, pts)
	} else {
		c.Title = "Children reached per 1,000, by neighbourhood (2021 LSOA); hatched grey: suppressed"
		var max float64
		for _, x := range column(res, rows, "reach_per_1000") {
			if f, ok := measures.Number(x); ok && f > max {
				max = f
			}
		}
		c.Subtitle = describe(v, true) + " · sites drawn on top"
		c.Element, c.Script = choropleth(c.ID, c.Title, c.Subtitle, mapName, "reach per 1,000",
			codes, column(res, rows, "reach_per_1000"), 0, max, pts)
	}
	return []Block{{Chart: c}}, nil
}

// Site is a site drawn on the map.
type mapSite struct {
	Name  string     `json:"name"`
	Value [2]float64 `json:"value"`
	Kind  string     `json:"kind"`
}

// choropleth colours a council's LSOAs by a value, marks suppressed ones with hatching (not as
// zero), and draws the sites on top. The boundary is registered by the script at
// /static/maps/CODE-lsoa21.js, which the page loads first.
func choropleth(id, title, subtitle, mapName, valueName string, codes []string, values []any, min, max float64, sites []mapSite) (template.HTML, template.HTML) {
	m := charts.NewMap()
	m.RegisterMapType(mapName)
	m.SetGlobalOptions(common(id, title, subtitle, "620px")...)
	m.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		// no decal patterns here: hatching marks the suppressed neighbourhoods alone
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Decal: &opts.AriaDecal{Show: opts.Bool(false)}}),
		charts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(true), Min: float32(min), Max: float32(max),
			Text: []string{valueName + ": high", "low"}, Left: "10", Bottom: "20",
			InRange: &opts.VisualMapInRange{Color: []string{"#f7fbff", "#9ecae1", "#3182bd", "#08306b"}}}),
	)
	data := make([]opts.MapData, len(codes))
	var suppressed []map[string]any
	for i, c := range codes {
		data[i] = opts.MapData{Name: c, Value: value(values[i])}
		if s, ok := values[i].(stats.Suppressed); ok {
			suppressed = append(suppressed, map[string]any{"name": c, "itemStyle": map[string]any{"areaColor": "#bdbdbd",
				"decal": map[string]any{"symbol": "rect", "symbolSize": 1, "rotation": 0.785, "dashArrayX": []int{1, 0}, "dashArrayY": []int{2, 4}, "color": "#555"}},
				"tooltip": map[string]any{"formatter": c + ": suppressed (" + s.Symbol + ", " + s.Reason + ")"}})
		}
	}
	m.AddSeries(valueName, data)
	kinds := map[string]string{"hub": "pin", "hublet": "diamond", "bridge": "triangle", "outreach": "circle"}
	var siteSeries []map[string]any
	for _, kind := range []string{"hub", "hublet", "bridge", "outreach"} {
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
		siteSeries = append(siteSeries, map[string]any{"type": "scatter", "coordinateSystem": "geo", "name": kind + " sites",
			"data": pts, "symbol": kinds[kind], "symbolSize": size, "z": 10,
			"itemStyle": map[string]any{"color": "#D55E00", "borderColor": "#fff", "borderWidth": 1},
			"tooltip":   map[string]any{"formatter": "{b}"}})
	}
	layers := map[string]any{
		"geo": map[string]any{"map": mapName, "roam": true, "regions": suppressed, "top": 40, "bottom": 10,
			"itemStyle": map[string]any{"areaColor": "#eeeeee", "borderColor": "#999", "borderWidth": 0.5},
			"emphasis":  map[string]any{"label": map[string]any{"show": false}}},
		"series": append([]map[string]any{{"geoIndex": 0}}, siteSeries...),
		"legend": map[string]any{"show": true, "top": 4},
	}
	m.AddJSFuncStrs(merge(layers))
	return snippet(m)
}

// MapName is the name a council's LSOA boundary is registered under in ECharts.
func MapName(councilCode string) string { return "lsoa21-" + councilCode }
