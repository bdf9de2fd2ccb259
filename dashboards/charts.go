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
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

// AssetsPath is where the binary serves its own scripts: go-echarts is told to fetch from here,
// never from its default CDN.
const AssetsPath = "/static/"

// Colour-blind-safe palette (Okabe and Ito); decal patterns add a second cue.
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"}

// common are the options every chart shares: a fixed id (so a page is the same bytes for the same
// data), the binary's own assets, ARIA descriptions and decal patterns for accessibility.
//
// The title is not drawn (the page's heading and subtitle show it) but stays in the option, where
// ECharts' ARIA description reads it to screen readers.
func common(id, title, subtitle, height string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "100%", Height: height, AssetsHost: AssetsPath}),
		charts.WithTitleOpts(opts.Title{Show: opts.Bool(false), Title: title, Subtitle: subtitle}),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Decal: &opts.AriaDecal{Show: opts.Bool(true)}}),
		charts.WithColorsOpts(opts.Colors(palette)),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "4"}),
		charts.WithGridOpts(opts.Grid{Top: "50", Left: "60", Right: "30", Bottom: "40", ContainLabel: opts.Bool(true)}),
		charts.WithAnimation(false),
	}
}

// drawing is a chart as a page carries it: the element it is drawn in, and its ECharts options as
// JSON data, which /static/charts.js reads and draws. The page holds no code of its own, so a
// name in the data (a locality, a site) can never run as a script (issue 13).
type drawing struct {
	Element template.HTML
	Options json.RawMessage
}

// elementTmpl is go-echarts' element for a chart (the id and size are the tool's own).
var elementTmpl = template.Must(template.New("element").Parse(
	`<div class="container"><div class="item" id="{{.ChartID}}" style="width:{{.Width}};height:{{.Height}};"></div></div>`))

// render turns a go-echarts chart into a drawing: its option, then each extra option merged in by
// a later setOption (whiskers, marks, map layers), as ECharts would have them from go-echarts'
// own script. encoding/json escapes <, > and & (as \u003c and so on), so no name in the data can
// end the data block it is carried in.
func render(c interface{ Validate() }, base *charts.BaseConfiguration, merge ...map[string]any) drawing {
	c.Validate()
	init := base.Initialization
	if init.Theme == "" {
		init.Theme = "white"
	}
	if init.Renderer == "" {
		init.Renderer = "canvas"
	}
	spec := struct {
		Theme    string           `json:"theme"`
		Renderer string           `json:"renderer"`
		Option   map[string]any   `json:"option"`
		Merge    []map[string]any `json:"merge,omitempty"`
	}{init.Theme, init.Renderer, base.JSON(), merge}
	b, err := json.Marshal(spec)
	if err != nil {
		panic(err) // only go-echarts' options and maps and slices of plain values are passed
	}
	var el bytes.Buffer
	if err := elementTmpl.Execute(&el, init); err != nil {
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
// the reader chose) as a thin line with caps for each category.
func whiskers(categories []string, lower, upper []any, horizontal bool, name string) []map[string]any {
	var series []map[string]any
	size := []int{14, 2}
	if horizontal {
		size = []int{2, 14}
	}
	caps := map[string]any{"type": "scatter", "name": name, "symbol": "rect", "symbolSize": size,
		"itemStyle": map[string]any{"color": "#222"}, "z": 5, "tooltip": map[string]any{"show": false}}
	point := func(c string, v float64) []any {
		if horizontal {
			return []any{v, c}
		}
		return []any{c, v}
	}
	var capData [][]any
	for i, c := range categories {
		lo, okLo := measures.Number(lower[i])
		hi, okHi := measures.Number(upper[i])
		if !okLo || !okHi {
			continue
		}
		capData = append(capData, point(c, lo), point(c, hi))
		series = append(series, map[string]any{"type": "line", "data": [][]any{point(c, lo), point(c, hi)}, "symbol": "none",
			"lineStyle": map[string]any{"color": "#222", "width": 1.5}, "silent": true, "z": 5,
			"tooltip": map[string]any{"show": false}, "legendHoverLink": false, "name": name})
	}
	if len(capData) == 0 {
		return nil
	}
	caps["data"] = capData
	return append([]map[string]any{caps}, series...)
}

// barWithLimits is a bar chart of one measure by category with 95% limits as whiskers.
func barWithLimits(id, title, subtitle, yName string, categories []string, values, lower, upper []any, seriesName string) drawing {
	return barChart(id, title, subtitle, yName, categories, values, lower, upper, seriesName, false, "", "95% confidence interval")
}

// barChart draws one measure by category, upright or lying down, with 95% limits as whiskers and
// each suppressed value marked with its symbol where its bar would be.
func barChart(id, title, subtitle, yName string, categories []string, values, lower, upper []any, seriesName string, horizontal bool, symbol, limits string) drawing {
	bar := charts.NewBar()
	height := "380px"
	if horizontal {
		height = fmt.Sprintf("%dpx", 140+40*len(categories))
	}
	bar.SetGlobalOptions(common(id, title, subtitle, height)...)
	bar.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Name: yName}), charts.WithXAxisOpts(opts.XAxis{Type: "category"}))
	data := make([]opts.BarData, len(values))
	for i, v := range values {
		data[i] = opts.BarData{Name: categories[i], Value: value(v)}
	}
	bar.SetXAxis(categories).AddSeries(seriesName, data)
	extra := map[string]any{}
	series := []map[string]any{{"markPoint": suppressedMarks(categories, values, horizontal)}}
	if lower != nil {
		series = append(series, whiskers(categories, lower, upper, horizontal, limits)...)
	}
	extra["series"] = series
	return finishBars(bar, extra, horizontal, 50)
}

// finishBars lays a bar chart down if asked, shows every category label, and merges the extra
// options (marks, whiskers) in.
func finishBars(bar *charts.Bar, extra map[string]any, horizontal bool, top int) drawing {
	if horizontal {
		bar.XYReversal()
		extra["yAxis"] = categoryAxis(true)
		// the value axis's name under its labels, not over the legend; labels thinned on a phone
		// "type": the options are merged into the drawn chart (setOption), so the axis the bars were
		// declared on (category) must be turned into the value axis explicitly
		extra["xAxis"] = map[string]any{"type": "value", "nameLocation": "middle", "nameGap": 28, "axisLabel": map[string]any{"hideOverlap": true}}
		extra["grid"] = map[string]any{"left": 10, "right": 40, "top": top, "bottom": 45, "containLabel": true}
	} else {
		extra["xAxis"] = categoryAxis(false)
	}
	return render(bar, &bar.BaseConfiguration, extra)
}

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

// lines is a line chart of several series over the same categories.
func lines(id, title, subtitle, yName string, categories []string, series []namedSeries) drawing {
	line := charts.NewLine()
	line.SetGlobalOptions(common(id, title, subtitle, "380px")...)
	line.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Name: yName}), charts.WithXAxisOpts(opts.XAxis{Type: "category"}))
	line.SetXAxis(categories)
	for _, s := range series {
		data := make([]opts.LineData, len(s.values))
		for i, v := range s.values {
			data[i] = opts.LineData{Value: value(v)}
		}
		line.AddSeries(s.name, data)
	}
	return render(line, &line.BaseConfiguration)
}

// linesWithLimits is one line over the categories with its confidence limits as whiskers at each
// point, and each suppressed value marked with its symbol where its point would be.
func linesWithLimits(id, title, subtitle, yName string, categories []string, l answers.Line, limits string) drawing {
	line := charts.NewLine()
	line.SetGlobalOptions(common(id, title, subtitle, "380px")...)
	line.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Name: yName}), charts.WithXAxisOpts(opts.XAxis{Type: "category"}))
	line.SetXAxis(categories)
	data := make([]opts.LineData, len(l.Values))
	for i, v := range l.Values {
		data[i] = opts.LineData{Value: value(v)}
	}
	line.AddSeries(l.Name, data)
	series := append([]map[string]any{{"markPoint": suppressedMarks(categories, l.Values, false)}},
		whiskers(categories, l.Lower, l.Upper, false, limits)...)
	return render(line, &line.BaseConfiguration, map[string]any{"series": series})
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
	s.SetGlobalOptions(common(id, d.Title, d.Subtitle, "460px")...)
	s.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}), charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))
	s.AddSeries(d.ValueName, nodes, links)
	return render(s, &s.BaseConfiguration, map[string]any{"series": []map[string]any{{
		"emphasis": map[string]any{"focus": "adjacency"}, "nodeAlign": "left", "lineStyle": map[string]any{"color": "gradient", "opacity": 0.45},
		"label": map[string]any{"show": true}, "left": 10, "right": 120, "top": 20, "bottom": 20}}})
}

type namedSeries struct {
	name   string
	values []any
}

// bars is a bar chart of several series per category, stacked or side by side.
func bars(id, title, subtitle, yName string, categories []string, series []namedSeries, stack, horizontal bool) drawing {
	bar := charts.NewBar()
	height := "420px"
	if horizontal {
		height = fmt.Sprintf("%dpx", 190+40*len(categories)) // room for a label wrapped on two lines
	}
	bar.SetGlobalOptions(common(id, title, subtitle, height)...)
	bar.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Name: yName}))
	bar.SetXAxis(categories)
	var marks []map[string]any
	for _, s := range series {
		data := make([]opts.BarData, len(s.values))
		for i, v := range s.values {
			data[i] = opts.BarData{Value: value(v)}
		}
		if stack {
			bar.AddSeries(s.name, data, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}))
		} else {
			bar.AddSeries(s.name, data)
		}
		marks = append(marks, map[string]any{"markPoint": suppressedMarks(categories, s.values, horizontal)})
	}
	return finishBars(bar, map[string]any{"series": marks}, horizontal, 90)
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
		c.draw(barChart(id, d.Title, d.Subtitle, d.Axis, d.Categories, l.Values, l.Lower, l.Upper, l.Name, d.Horizontal, v.Policy.Symbol, limits))
	case answers.Lines:
		var series []namedSeries
		for _, l := range d.Lines {
			series = append(series, namedSeries{l.Name, l.Values})
		}
		drawn := lines(id, d.Title, d.Subtitle, d.Axis, d.Categories, series)
		if l := d.Lines[0]; len(d.Lines) == 1 && l.Lower != nil {
			// one line with its limits: whiskers at each point, as on the bars
			limits := "95% confidence interval"
			if v.Wide {
				limits = "99.8% confidence interval"
			}
			drawn = linesWithLimits(id, d.Title, d.Subtitle, d.Axis, d.Categories, l, limits)
		}
		c.draw(drawn)
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
			series = append(series, namedSeries{name, l.Values})
		}
		c.draw(bars(id, d.Title, d.Subtitle, d.Axis, d.Categories, series, d.Kind == answers.Stacked, d.Horizontal))
	}
	return c
}

// draw puts a drawing in the chart's section.
func (c *Chart) draw(d drawing) { c.Element, c.Options = d.Element, d.Options }
