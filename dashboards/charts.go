package dashboards

import (
	"encoding/json"
	"fmt"
	"html/template"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"
	"github.com/go-echarts/go-echarts/v2/types"

	"familyhubs/measures"
	"familyhubs/queries"
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

// snippet renders a go-echarts chart to the HTML and script a page embeds.
func snippet(r interface{ RenderSnippet() render.ChartSnippet }) (template.HTML, template.HTML) {
	s := r.RenderSnippet()
	return template.HTML(s.Element), template.HTML(s.Script)
}

// value is what a chart plots for a cell: the number, or "-" (no bar) for a suppressed or
// missing value, which the data table beside the chart shows with its symbol.
func value(v any) any {
	if f, ok := measures.Number(v); ok {
		return f
	}
	return "-"
}

// merge returns a go-echarts JS function that merges extra options (whiskers, map layers) into
// the chart after its first setOption. The JSON comes from encoding/json, which escapes <, > and &.
func merge(extra any) types.FuncStr {
	b, err := json.Marshal(extra)
	if err != nil {
		panic(err) // only maps and slices of plain values are passed
	}
	return types.FuncStr(fmt.Sprintf("%%MY_ECHARTS%%.setOption(%s);", b))
}

// whiskers draws 95% confidence limits as a thin vertical line with caps for each category.
func whiskers(categories []string, lower, upper []any, seriesIndex int) []map[string]any {
	var series []map[string]any
	caps := map[string]any{"type": "scatter", "name": "95% confidence interval", "symbol": "rect", "symbolSize": []int{14, 2},
		"itemStyle": map[string]any{"color": "#222"}, "z": 5, "tooltip": map[string]any{"show": false}}
	var capData [][]any
	for i, c := range categories {
		lo, okLo := measures.Number(lower[i])
		hi, okHi := measures.Number(upper[i])
		if !okLo || !okHi {
			continue
		}
		capData = append(capData, []any{c, lo}, []any{c, hi})
		series = append(series, map[string]any{"type": "line", "data": [][]any{{c, lo}, {c, hi}}, "symbol": "none",
			"lineStyle": map[string]any{"color": "#222", "width": 1.5}, "silent": true, "z": 5,
			"tooltip": map[string]any{"show": false}, "legendHoverLink": false, "name": "95% confidence interval"})
	}
	caps["data"] = capData
	return append([]map[string]any{caps}, series...)
}

// barWithLimits is a bar chart of one measure by category with 95% limits as whiskers.
func barWithLimits(id, title, subtitle, yName string, categories []string, values, lower, upper []any, seriesName string) (template.HTML, template.HTML) {
	bar := charts.NewBar()
	bar.SetGlobalOptions(common(id, title, subtitle, "380px")...)
	bar.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Name: yName}), charts.WithXAxisOpts(opts.XAxis{Type: "category"}))
	data := make([]opts.BarData, len(values))
	for i, v := range values {
		data[i] = opts.BarData{Name: categories[i], Value: value(v)}
	}
	bar.SetXAxis(categories).AddSeries(seriesName, data)
	extra := whiskers(categories, lower, upper, 1)
	if len(extra) > 1 {
		all := []map[string]any{{}} // leave the bar series as it is
		bar.AddJSFuncStrs(merge(map[string]any{"series": append(all, extra...)}))
	}
	return snippet(bar)
}

// lines is a line chart of several series over the same categories.
func lines(id, title, subtitle, yName string, categories []string, series []namedSeries) (template.HTML, template.HTML) {
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
	return snippet(line)
}

type namedSeries struct {
	name   string
	values []any
}

// bars is a bar chart of several series per category, stacked or side by side.
func bars(id, title, subtitle, yName string, categories []string, series []namedSeries, stack, horizontal bool) (template.HTML, template.HTML) {
	bar := charts.NewBar()
	height := "420px"
	if horizontal {
		height = fmt.Sprintf("%dpx", 140+26*len(categories))
	}
	bar.SetGlobalOptions(common(id, title, subtitle, height)...)
	bar.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Name: yName}))
	bar.SetXAxis(categories)
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
	}
	if horizontal {
		bar.XYReversal()
		bar.SetGlobalOptions(charts.WithGridOpts(opts.Grid{Top: "50", Left: "10", Right: "30", Bottom: "30", ContainLabel: opts.Bool(true)}))
	}
	return snippet(bar)
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
