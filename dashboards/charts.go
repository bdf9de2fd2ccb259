package dashboards

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"familyhubs/answers"
	"familyhubs/internal/palette"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

// AssetsPath is where the binary serves its own scripts: go-echarts is told to fetch from here,
// never from its default CDN.
const AssetsPath = "/static/"

// ink is the colour of the words drawn on a chart (value labels, marks): GOV.UK's text colour,
// 19.8:1 on white.
const ink = "#0b0c0c"

// common are the options every chart shares: a fixed id (so a page is the same bytes for the same
// data), the binary's own assets, drawn as SVG, an accessible name and decal patterns for
// accessibility, and the accessible categorical palette (internal/palette).
//
// The title is not drawn (the page's heading and subtitle show it) but names the chart: ECharts
// gives its element role="img" and, as aria-label, the description, which names the kind of
// chart and its title and points to the table of its figures under it.
func common(id, kind, title, subtitle, height string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "100%", Height: height, AssetsHost: AssetsPath, Renderer: "svg"}),
		charts.WithTitleOpts(opts.Title{Show: opts.Bool(false), Title: title, Subtitle: subtitle}),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: ariaName(kind, title)},
			Decal: &opts.AriaDecal{Show: opts.Bool(true)}}),
		charts.WithColorsOpts(opts.Colors(palette.Categorical)),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "4"}),
		charts.WithGridOpts(opts.Grid{Top: "50", Left: "60", Right: "30", Bottom: "40", ContainLabel: opts.Bool(true)}),
		charts.WithAnimation(false),
	}
}

// ariaName is a chart's accessible name: what kind of chart, its title, and where its figures
// are in words (the table every chart has, under it).
func ariaName(kind, title string) string {
	return kind + ": " + title + ". Every figure it shows is in the table under it (Data behind this chart)."
}

// drawing is a chart as a page carries it: the element it is drawn in, and its ECharts options as
// JSON data, which /static/charts.js reads and draws. The page holds no code of its own, so a
// name in the data (a locality, a site) can never run as a script (issue 13).
type drawing struct {
	Element template.HTML
	Options json.RawMessage
}

// elementTmpl is go-echarts' element for a chart (the id and size are the tool's own), named
// for assistive technology as ECharts names it once drawn (role="img", the aria description).
var elementTmpl = template.Must(template.New("element").Parse(
	`<div class="container"><div class="item" id="{{.ChartID}}" role="img" aria-label="{{.Label}}" style="width:{{.Width}};height:{{.Height}};"></div></div>`))

// narrowWidth is the width (CSS pixels) below which a chart takes its narrow options (a phone).
const narrowWidth = 560

// render turns a go-echarts chart into a drawing: its option, then each extra option merged in by
// a later setOption (whiskers, marks, map layers), as ECharts would have them from go-echarts'
// own script. encoding/json escapes <, > and & (as \u003c and so on), so no name in the data can
// end the data block it is carried in.
func render(c interface{ Validate() }, base *charts.BaseConfiguration, merge ...map[string]any) drawing {
	return renderNarrow(c, base, nil, merge...)
}

// narrow is how a chart changes on a narrow screen (a phone, below its width Below): the options
// merged in there, and its height there and on a wider screen. Crossing the width (a phone
// turned) draws the chart again from its options.
type narrow struct {
	Below      int            `json:"below"`
	Option     map[string]any `json:"option"`
	Height     string         `json:"height,omitempty"`
	WideHeight string         `json:"wideHeight,omitempty"`
}

// renderNarrow is render with a chart's narrow-screen options (nil: none).
func renderNarrow(c interface{ Validate() }, base *charts.BaseConfiguration, n *narrow, merge ...map[string]any) drawing {
	c.Validate()
	init := base.Initialization
	if init.Theme == "" {
		init.Theme = "white"
	}
	if init.Renderer == "" {
		init.Renderer = "svg"
	}
	option := base.JSON()
	spec := struct {
		Theme    string           `json:"theme"`
		Renderer string           `json:"renderer"`
		Option   map[string]any   `json:"option"`
		Merge    []map[string]any `json:"merge,omitempty"`
		Narrow   *narrow          `json:"narrow,omitempty"`
	}{init.Theme, init.Renderer, option, merge, n}
	b, err := json.Marshal(spec)
	if err != nil {
		panic(err) // only go-echarts' options and maps and slices of plain values are passed
	}
	label := ""
	if a := base.Aria; a != nil && a.Label != nil {
		label = a.Label.Description
	}
	var el bytes.Buffer
	if err := elementTmpl.Execute(&el, struct {
		opts.Initialization
		Label string
	}{init, label}); err != nil {
		panic(err)
	}
	return drawing{Element: template.HTML(el.String()), Options: b}
}

// value is what a chart plots for a cell: the number, or "-" (no bar) for a suppressed or
// missing value, which the data table beside the chart shows with its symbol.
func value(v any) any {
	if f, ok := measures.Number(v); ok {
		return f
	}
	return "-"
}

// whiskers draws confidence limits (named in the legend: "95% confidence interval" or the 99.8%
// the reader chose) as a thin dark line with caps for each category.
func whiskers(categories []string, lower, upper []any, horizontal bool, name string) []map[string]any {
	return styledWhiskers(categories, lower, upper, horizontal, name, whiskerStyle{colour: "#222"})
}

// whiskerStyle is how a series' whiskers are drawn: their colour, the dash of their line
// (ECharts' lineStyle.type; "" or "solid": none) and, where several series carry limits, the
// series they belong to, in their ids ("SERIES limits" for the caps, "SERIES limits CATEGORY"
// for each whisker), and how far beside the category's point they stand (beside, a fraction
// of a category's width), so that two series' whiskers at one category do not overlie one
// another: they are then drawn on the chart's second x axis (besideAxis), which places
// category i at i, not on the category axis, which places a point only at a category.
type whiskerStyle struct {
	colour, dash, series string
	beside               float64
}

// styledWhiskers is whiskers drawn in a style of their own.
func styledWhiskers(categories []string, lower, upper []any, horizontal bool, name string, st whiskerStyle) []map[string]any {
	var series []map[string]any
	size := []int{14, 2}
	if horizontal {
		size = []int{2, 14}
	}
	caps := map[string]any{"type": "scatter", "name": name, "symbol": "rect", "symbolSize": size,
		"itemStyle": map[string]any{"color": st.colour}, "z": 5, "tooltip": map[string]any{"show": false}}
	if st.series != "" {
		caps["id"] = st.series + " limits"
	}
	stroke := map[string]any{"color": st.colour, "width": 1.5}
	if st.dash != "" && st.dash != "solid" {
		stroke["type"] = st.dash
	}
	var on map[string]any // the axis the whiskers are drawn on: the category axis, or beside it
	if st.series != "" {
		on = map[string]any{"xAxisIndex": 1}
		caps["symbolSize"] = []int{10, 2}
		for k, v := range on {
			caps[k] = v
		}
	}
	point := func(i int, v float64) []any {
		switch {
		case horizontal:
			return []any{v, categories[i]}
		case on != nil:
			return []any{float64(i) + st.beside, v}
		}
		return []any{categories[i], v}
	}
	var capData [][]any
	for i, c := range categories {
		lo, okLo := measures.Number(lower[i])
		hi, okHi := measures.Number(upper[i])
		if !okLo || !okHi {
			continue
		}
		capData = append(capData, point(i, lo), point(i, hi))
		w := map[string]any{"type": "line", "data": [][]any{point(i, lo), point(i, hi)}, "symbol": "none",
			"lineStyle": stroke, "silent": true, "z": 5,
			"tooltip": map[string]any{"show": false}, "legendHoverLink": false, "name": name}
		if st.series != "" {
			w["id"] = st.series + " limits " + c
		}
		for k, v := range on {
			w[k] = v
		}
		series = append(series, w)
	}
	if len(capData) == 0 {
		return nil
	}
	caps["data"] = capData
	return append([]map[string]any{caps}, series...)
}

// besideAxis is a line chart's second x axis, not shown, on which category i stands at i where
// the category axis puts it (the middle of its band), so whiskers can stand beside a point.
func besideAxis(categories int) map[string]any {
	return map[string]any{"type": "value", "show": false, "position": "bottom", "min": -0.5, "max": float64(categories) - 0.5,
		"axisPointer": map[string]any{"show": false}, "splitLine": map[string]any{"show": false}, "axisLabel": map[string]any{"show": false},
		"axisTick": map[string]any{"show": false}, "axisLine": map[string]any{"show": false}}
}

// barWithLimits is a bar chart of one measure by category with 95% limits as whiskers.
func barWithLimits(id, title, subtitle, yName string, categories []string, values, lower, upper []any, seriesName string) drawing {
	return barChart(id, title, subtitle, yName, categories, values, lower, upper, seriesName, false, "", "95% confidence interval", 1)
}

// labelled is a bar's own label: its value as the table prints it (decimals places, thousands
// separated), so what a tooltip says is on the bar too; none for a value not plotted.
func labelled(v any, decimals int) *opts.Label {
	if _, ok := measures.Number(v); !ok {
		return nil
	}
	return &opts.Label{Formatter: answers.Format(v, decimals)}
}

// barLabels are the value labels on a series of bars: at the bar's foot (clear of the whiskers
// at its end) in dark text on a white box, so they read over any colour or pattern; a label
// that would overlap another is not drawn (its value is in the table).
func barLabels(horizontal bool) map[string]any {
	pos := "insideBottom"
	if horizontal {
		pos = "insideLeft"
	}
	return map[string]any{"show": true, "position": pos, "color": ink, "backgroundColor": "#ffffff", "padding": []int{1, 3},
		"borderRadius": 2, "fontSize": 11}
}

// barChart draws one measure by category, upright or lying down, with 95% limits as whiskers and
// each suppressed value marked with its symbol where its bar would be; each bar is labelled with
// its value (decimals places, as its table).
func barChart(id, title, subtitle, yName string, categories []string, values, lower, upper []any, seriesName string, horizontal bool, symbol, limits string, decimals int) drawing {
	bar := charts.NewBar()
	height := 380
	if horizontal {
		height = 140 + 40*len(categories)
	}
	bar.SetGlobalOptions(common(id, "Bar chart", title, subtitle, fmt.Sprintf("%dpx", height))...)
	bar.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Name: yName}), charts.WithXAxisOpts(opts.XAxis{Type: "category"}))
	data := make([]opts.BarData, len(values))
	for i, v := range values {
		data[i] = opts.BarData{Name: categories[i], Value: value(v), Label: labelled(v, decimals)}
	}
	bar.SetXAxis(categories).AddSeries(seriesName, data)
	extra := map[string]any{}
	series := []map[string]any{{"markPoint": suppressedMarks(categories, values, horizontal), "label": barLabels(horizontal),
		"labelLayout": map[string]any{"hideOverlap": true}}}
	if lower != nil {
		series = append(series, whiskers(categories, lower, upper, horizontal, limits)...)
	}
	extra["series"] = series
	legend := []string{seriesName}
	if lower != nil {
		legend = append(legend, limits)
	}
	return finishBars(bar, extra, horizontal, 50, categories, legend, height)
}

// finishBars lays a bar chart down if asked, shows every category label, and merges the extra
// options (marks, whiskers) in. Bars lying down take a height that grows with their categories,
// and on a phone narrower category labels (up to three lines, cut with an ellipsis after: the
// table has every name in full) and more height, so the bars keep their room.
func finishBars(bar *charts.Bar, extra map[string]any, horizontal bool, top int, categories, legend []string, height int) drawing {
	var phone *narrow
	n, narrowTop := len(categories), legendHeight(legend)+30
	if horizontal {
		bar.XYReversal()
		extra["yAxis"] = categoryAxis(true)
		// the value axis's name under its labels, not over the legend; labels thinned on a phone
		// "type": the options are merged into the drawn chart (setOption), so the axis the bars were
		// declared on (category) must be turned into the value axis explicitly
		extra["xAxis"] = map[string]any{"type": "value", "nameLocation": "middle", "nameGap": 28, "axisLabel": map[string]any{"hideOverlap": true}}
		extra["grid"] = map[string]any{"left": 10, "right": 40, "top": top, "bottom": 45, "containLabel": true}
		phone = &narrow{Below: narrowWidth,
			Option: map[string]any{"yAxis": map[string]any{"axisLabel": map[string]any{"width": 92, "height": 39, "lineOverflow": "truncate", "fontSize": 11}},
				"grid": map[string]any{"left": 4, "right": 16, "top": narrowTop}, "legend": map[string]any{"left": 0},
				"xAxis": map[string]any{"splitNumber": 3}},
			Height:     fmt.Sprintf("%dpx", narrowTop+75+54*n),
			WideHeight: fmt.Sprintf("%dpx", height),
		}
	} else {
		extra["xAxis"] = categoryAxis(false)
		// on a phone the legend's rows stand clear of the value axis's name, and long category
		// names turn so that each keeps its own room
		phone = &narrow{Below: narrowWidth, Option: map[string]any{"legend": map[string]any{"left": 0},
			"grid": map[string]any{"left": 4, "right": 8, "top": narrowTop}, "yAxis": nameFromAxis}}
		long := 0
		for _, c := range categories {
			long = max(long, len([]rune(c)))
		}
		if n > 4 && long > 5 {
			phone.Option["xAxis"] = map[string]any{"axisLabel": map[string]any{"rotate": 45, "width": 110, "overflow": "truncate"}}
		}
	}
	return renderNarrow(bar, &bar.BaseConfiguration, phone, extra)
}

// legendHeight is about how tall a chart's legend is on a phone (its entries in rows of at most
// 250 px, about 6.5 px a letter and 40 for the key and gap), so the plot below can stand clear.
func legendHeight(names []string) int {
	rows, width := 1, 0
	for _, n := range names {
		w := int(6.5*float64(len([]rune(n)))) + 40
		if width > 0 && width+w > 250 {
			rows, width = rows+1, 0
		}
		width += w
	}
	return 8 + 22*rows
}

// lineNarrow is a line chart's phone options: the legend's rows clear of the value axis's name,
// the plot as wide as the screen allows with room for the end labels.
func lineNarrow(legend []string) *narrow {
	return &narrow{Below: narrowWidth, Option: map[string]any{"legend": map[string]any{"left": 0},
		"grid": map[string]any{"left": 4, "right": 44, "top": legendHeight(legend) + 30}, "yAxis": nameFromAxis}}
}

// nameFromAxis starts the value axis's name at the axis, not centred on it (off a phone's screen).
var nameFromAxis = map[string]any{"nameTextStyle": map[string]any{"align": "left"}}

// categoryAxis shows every category label, wrapping long names rather than dropping or cutting them.
func categoryAxis(horizontal bool) map[string]any {
	label := map[string]any{"interval": 0, "hideOverlap": false, "lineHeight": 13}
	if horizontal {
		label["width"] = 150
		label["overflow"] = "break"
	} else {
		label["width"] = 90
		label["overflow"] = "break"
	}
	return map[string]any{"type": "category", "axisLabel": label}
}

// suppressedMarks marks each suppressed value with its symbol at the foot of its bar, so a
// suppressed bar does not just vanish.
func suppressedMarks(categories []string, values []any, horizontal bool) map[string]any {
	var data []map[string]any
	for i, v := range values {
		s, ok := v.(stats.Suppressed)
		if !ok {
			continue
		}
		coord := []any{categories[i], 0}
		if horizontal {
			coord = []any{0, categories[i]}
		}
		data = append(data, map[string]any{"coord": coord, "value": s.Symbol, "name": "suppressed: " + s.Reason})
	}
	if len(data) == 0 {
		return map[string]any{"data": []any{}}
	}
	return map[string]any{"symbol": "rect", "symbolSize": []int{18, 16}, "symbolOffset": []any{0, "-50%"},
		"itemStyle": map[string]any{"color": "#ffffff", "borderColor": "#505a5f", "borderWidth": 1},
		"label":     map[string]any{"show": true, "color": "#1b1b1b", "formatter": "{c}", "fontWeight": "bold"},
		"tooltip":   map[string]any{"formatter": "{b}"}, "data": data}
}

// lineStyle is line series k's second cue beside its colour (palette: a marker shape and a
// dash of its own) and its end label: its last value, as its table prints it.
func lineStyle(k int, values []any, decimals int) map[string]any {
	s := map[string]any{"symbol": palette.Symbols[k%len(palette.Symbols)], "symbolSize": 8, "showAllSymbol": true,
		"lineStyle":   map[string]any{"type": palette.Dashes[k%len(palette.Dashes)], "width": 2},
		"labelLayout": map[string]any{"moveOverlap": "shiftY"}}
	for i := len(values) - 1; i >= 0; i-- {
		if _, ok := measures.Number(values[i]); ok {
			s["endLabel"] = map[string]any{"show": true, "formatter": answers.Format(values[i], decimals), "color": ink, "fontSize": 11,
				"backgroundColor": "#ffffff", "padding": []int{1, 2}}
			break
		}
	}
	return s
}

// lines is a line chart of several series over the same categories. A series with limits
// (lower and upper) has them drawn as whiskers at each point in its own colour and dash, so
// two series' limits stay told apart; the legend names them once (limits: "95% confidence
// interval" or the 99.8% the reader chose), keyed in the words' colour, not one series'.
func lines(id, title, subtitle, yName string, categories []string, series []namedSeries, limits string) drawing {
	line := charts.NewLine()
	line.SetGlobalOptions(common(id, "Line chart", title, subtitle, "380px")...)
	line.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Name: yName}), charts.WithXAxisOpts(opts.XAxis{Type: "category"}))
	line.SetXAxis(categories)
	var styles []map[string]any
	var legend []string
	for k, s := range series {
		legend = append(legend, s.name)
		data := make([]opts.LineData, len(s.values))
		for i, v := range s.values {
			data[i] = opts.LineData{Value: value(v)}
		}
		line.AddSeries(s.name, data)
		styles = append(styles, lineStyle(k, s.values, s.decimals))
	}
	merge := map[string]any{"grid": map[string]any{"right": 50}}
	var with []int // the series with limits
	for k, s := range series {
		if s.lower != nil {
			with = append(with, k)
		}
	}
	var limited []map[string]any
	for j, k := range with {
		// side by side about the point, each series' whiskers a 16th of a category's width from the next
		beside := (float64(j) - float64(len(with)-1)/2) / 16
		s := series[k]
		limited = append(limited, styledWhiskers(categories, s.lower, s.upper, false, limits,
			whiskerStyle{colour: palette.Colour(k), dash: palette.Dashes[k%len(palette.Dashes)], series: s.name, beside: beside})...)
	}
	if len(limited) > 0 {
		merge["xAxis"] = []map[string]any{{}, besideAxis(len(categories))}
		// the value axis drawn as on every line chart: no line, not one where the second axis has 0
		merge["yAxis"] = map[string]any{"axisLine": map[string]any{"show": false, "onZero": false}, "axisTick": map[string]any{"show": false}}
		keys := make([]any, 0, len(legend)+1)
		for _, n := range legend {
			keys = append(keys, n)
		}
		keys = append(keys, map[string]any{"name": limits, "itemStyle": map[string]any{"color": ink}})
		merge["legend"] = map[string]any{"data": keys}
		legend = append(legend, limits)
	}
	merge["series"] = append(styles, limited...)
	return renderNarrow(line, &line.BaseConfiguration, lineNarrow(legend), merge)
}

// linesWithLimits is one line over the categories with its confidence limits as whiskers at each
// point, and each suppressed value marked with its symbol where its point would be.
func linesWithLimits(id, title, subtitle, yName string, categories []string, l answers.Line, limits string) drawing {
	line := charts.NewLine()
	line.SetGlobalOptions(common(id, "Line chart", title, subtitle, "380px")...)
	line.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Name: yName}), charts.WithXAxisOpts(opts.XAxis{Type: "category"}))
	line.SetXAxis(categories)
	data := make([]opts.LineData, len(l.Values))
	for i, v := range l.Values {
		data[i] = opts.LineData{Value: value(v)}
	}
	line.AddSeries(l.Name, data)
	first := lineStyle(0, l.Values, answers.Decimals(l.Column))
	first["markPoint"] = suppressedMarks(categories, l.Values, false)
	series := append([]map[string]any{first}, whiskers(categories, l.Lower, l.Upper, false, limits)...)
	return renderNarrow(line, &line.BaseConfiguration, lineNarrow([]string{l.Name, limits}), map[string]any{"series": series, "grid": map[string]any{"right": 50}})
}

// sankey draws a figure's flows (its Category to its Target, each of size Value) as a Sankey
// diagram: a flow shown as a symbol or a zero is not drawn (its table says which), nor a stage
// no flow reaches. With nothing to draw there is no chart, and the figure's words say why.
func sankey(id string, d *answers.Drawn) drawing {
	var nodes []opts.SankeyNode
	var links []opts.SankeyLink
	seen := map[string]bool{}
	node := func(name string) {
		if !seen[name] {
			seen[name] = true
			nodes = append(nodes, opts.SankeyNode{Name: name})
		}
	}
	for i, row := range d.Rows {
		f, ok := measures.Number(d.Lines[0].Values[i])
		if !ok || f <= 0 {
			continue
		}
		from, to := d.Categories[i], d.Result.Str(row, d.Target)
		node(from)
		node(to)
		links = append(links, opts.SankeyLink{Source: from, Target: to, Value: float32(f)})
	}
	if len(links) == 0 {
		return drawing{}
	}
	s := charts.NewSankey()
	s.SetGlobalOptions(common(id, "Sankey diagram", d.Title, d.Subtitle, "460px")...)
	s.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}), charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))
	s.AddSeries(d.ValueName, nodes, links)
	// on a phone the stages run down the screen, not across it, so that each stage's names have
	// the screen's width, with room between a stage's nodes for their names (wrapped), drawn
	// with a white edge to read over the flows
	phone := &narrow{Below: narrowWidth, Height: "640px", WideHeight: "460px", Option: map[string]any{"series": []map[string]any{{
		"orient": "vertical", "left": 28, "right": 28, "top": 10, "bottom": 40, "nodeWidth": 14, "nodeGap": 64,
		"label": map[string]any{"position": "bottom", "fontSize": 11, "width": 62, "overflow": "break", "lineHeight": 13,
			"textBorderColor": "#ffffff", "textBorderWidth": 3}}}}}
	return renderNarrow(s, &s.BaseConfiguration, phone, map[string]any{"series": []map[string]any{{
		"emphasis": map[string]any{"focus": "adjacency"}, "nodeAlign": "left", "lineStyle": map[string]any{"color": "gradient", "opacity": 0.45},
		"label": map[string]any{"show": true, "color": ink}, "left": 10, "right": 120, "top": 20, "bottom": 20}}})
}

type namedSeries struct {
	name         string
	values       []any
	decimals     int   // as its table prints them
	lower, upper []any // its confidence limits (nil: none; lines only)
}

// bars is a bar chart of several series per category, stacked or side by side, each bar
// labelled with its value where the label fits.
func bars(id, title, subtitle, yName string, categories []string, series []namedSeries, stack, horizontal bool) drawing {
	bar := charts.NewBar()
	height := 420
	if horizontal {
		height = 190 + 40*len(categories) // room for a label wrapped on two lines
	}
	kind := "Bar chart"
	if stack {
		kind = "Stacked bar chart"
	}
	bar.SetGlobalOptions(common(id, kind, title, subtitle, fmt.Sprintf("%dpx", height))...)
	bar.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Name: yName}))
	bar.SetXAxis(categories)
	var marks []map[string]any
	label := barLabels(horizontal)
	if stack {
		label["position"] = "inside"
	}
	for _, s := range series {
		data := make([]opts.BarData, len(s.values))
		for i, v := range s.values {
			data[i] = opts.BarData{Value: value(v), Label: labelled(v, s.decimals)}
			if f, ok := measures.Number(v); ok && f == 0 && stack {
				// a part of nothing draws nothing: no label crowding the next part (the table has it)
				data[i].Label = &opts.Label{Show: opts.Bool(false)}
			}
		}
		if stack {
			bar.AddSeries(s.name, data, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}))
		} else {
			bar.AddSeries(s.name, data)
		}
		marks = append(marks, map[string]any{"markPoint": suppressedMarks(categories, s.values, horizontal), "label": label,
			"labelLayout": map[string]any{"hideOverlap": true}})
	}
	var legend []string
	for _, s := range series {
		legend = append(legend, s.name)
	}
	return finishBars(bar, map[string]any{"series": marks}, horizontal, 90, categories, legend, height)
}

// text helpers
func texts(r *queries.Result, rows [][]any, col string) []string {
	ci := r.Col(col)
	out := make([]string, len(rows))
	for i, row := range rows {
		out[i] = queries.Text(row[ci])
	}
	return out
}

func column(r *queries.Result, rows [][]any, col string) []any {
	ci := r.Col(col)
	out := make([]any, len(rows))
	for i, row := range rows {
		if ci >= 0 {
			out[i] = row[ci]
		}
	}
	return out
}

// draw renders a declared figure, answered for the view, as a chart with its table and CSV link.
func draw(v *View, d *answers.Drawn) *Chart {
	id := strings.NewReplacer("-", "_", ".", "_").Replace(d.ID)
	res := d.Result
	c := &Chart{ID: id, Title: d.Title, Shows: d.Shows, Subtitle: d.Subtitle, Scope: d.Scope, Query: d.Question, Only: d.Only,
		Source: res.Query.Source, Units: res.Query.Units, Notes: res.Notes, Modelled: answers.ModelledRows(res, d.Rows), CouncilRecords: answers.FromCouncilRecords(res, d.Rows), Reconciled: answers.Reconciliations(res),
		Synthet: d.Synthetic(), Illustrative: res.Query.Illustrative(), Table: answers.TableOf(res, d.Rows), Words: d.Said}
	c.CSV = CSVURL(d.Question, v, d.Only)
	switch d.Kind {
	case answers.Bars:
		l := d.Lines[0]
		limits := "95% confidence interval"
		if v.Wide {
			limits = "99.8% confidence interval"
		}
		c.draw(barChart(id, d.Title, d.Subtitle, d.Axis, d.Categories, l.Values, l.Lower, l.Upper, l.Name, d.Horizontal, v.Policy.Symbol, limits, answers.Decimals(l.Column)))
	case answers.Lines:
		limits := "95% confidence interval"
		if v.Wide {
			limits = "99.8% confidence interval"
		}
		if len(d.Lines) == 1 && d.Lines[0].Lower != nil {
			// one line with its limits: whiskers at each point, as on the bars
			c.draw(linesWithLimits(id, d.Title, d.Subtitle, d.Axis, d.Categories, d.Lines[0], limits))
			break
		}
		// several lines: each with its own limits, where it has them, in its own colour
		var series []namedSeries
		for _, l := range d.Lines {
			series = append(series, namedSeries{name: l.Name, values: l.Values, decimals: answers.Decimals(l.Column), lower: l.Lower, upper: l.Upper})
		}
		c.draw(lines(id, d.Title, d.Subtitle, d.Axis, d.Categories, series, limits))
	case answers.Sankey:
		if d := sankey(id, d); d.Options != nil {
			c.draw(d)
		}
	case answers.Stacked, answers.Grouped:
		var series []namedSeries
		for _, l := range d.Lines {
			name := l.Name
			if d.SeriesBy == "age_band" {
				name = "age " + name
			}
			series = append(series, namedSeries{name: name, values: l.Values, decimals: answers.Decimals(l.Column)})
		}
		c.draw(bars(id, d.Title, d.Subtitle, d.Axis, d.Categories, series, d.Kind == answers.Stacked, d.Horizontal))
	}
	return c
}

// draw puts a drawing in the chart's section.
func (c *Chart) draw(d drawing) { c.Element, c.Options = d.Element, d.Options }
