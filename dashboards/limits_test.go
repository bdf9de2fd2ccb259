package dashboards_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"testing"

	"familyhubs/answers"
	"familyhubs/internal/palette"
	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

// chartOption is a chart's ECharts option as the page carries it, with its extra options merged
// in as /static/charts.js merges them.
func chartOption(t *testing.T, body, id string) map[string]any {
	t.Helper()
	sec := chartSection(t, body, id)
	m := regexp.MustCompile(`<script type="application/json" id="options-` + id + `" data-chart="` + id + `">(.*?)</script>`).FindStringSubmatch(sec)
	if m == nil {
		t.Fatalf("chart %s: no option on the page", id)
	}
	var spec struct {
		Option map[string]any   `json:"option"`
		Merge  []map[string]any `json:"merge"`
	}
	if err := json.Unmarshal([]byte(m[1]), &spec); err != nil {
		t.Fatal(err)
	}
	for _, extra := range spec.Merge {
		mergeOption(spec.Option, extra)
	}
	return spec.Option
}

// On What happened next (Stockport, 2024-25), the reached-before-crisis trend draws each of its
// two lines' 95% confidence limits: at every year, a whisker in that line's own colour and dash
// from the lower to the upper limit the question answers for its kind and year, as the page
// protects them (DfE's rule), with caps at both, standing a little to its side of the year's
// point so the two lines' whiskers do not overlie; the legend names "95% confidence interval"
// once; no whisker where the question gives no limits.
func TestNextReachedTrendLimits(t *testing.T) {
	base := startServer(t)
	db := testdata.Warehouse(t)
	_, body := get(t, base+"/next?council=stockport&period=2024-25")
	option := chartOption(t, body, "reached_trend")
	const limits = "95% confidence interval"
	byID := map[string]map[string]any{}
	for _, x := range option["series"].([]any) {
		s := x.(map[string]any)
		if id, ok := s["id"].(string); ok {
			byID[id] = s
		}
	}
	f := answers.ReachedTrend
	legend, _ := json.Marshal(option["legend"])
	if !regexp.MustCompile(`"name":"` + regexp.QuoteMeta(limits) + `"`).Match(legend) {
		t.Errorf("the legend does not name the limits: %s", legend)
	}
	// the second x axis puts category i at i, as the category axis puts it
	axes, _ := option["xAxis"].([]any)
	if len(axes) != 2 {
		t.Fatalf("%d x axes, want the categories' and the one the whiskers stand on", len(axes))
	}
	var categories []string
	for _, c := range axes[0].(map[string]any)["data"].([]any) {
		categories = append(categories, c.(string))
	}
	if a := axes[1].(map[string]any); a["type"] != "value" || a["min"] != -0.5 || a["max"] != float64(len(categories))-0.5 || a["show"] != false {
		t.Errorf("the whiskers' x axis %v: want a hidden value axis from -0.5 to %d.5", a, len(categories)-1)
	}
	// each line's whiskers a 16th of a category beside its point, the two either side of it
	beside := map[string]float64{f.SeriesName(nil, f.SeriesOrder[0]): -1.0 / 32, f.SeriesName(nil, f.SeriesOrder[1]): 1.0 / 32}
	res, err := measures.Run(context.Background(), db, "reached_before_crisis_trend", queries.Args{"council": "E08000007"}, stats.DfE)
	if err != nil {
		t.Fatal(err)
	}
	drawn := map[string]int{}
	for _, row := range res.Rows {
		kind, year := res.Str(row, "kind"), res.Str(row, "year")
		k := slices.Index(f.SeriesOrder, kind)
		name := f.SeriesName(nil, kind)
		lo, okLo := measures.Number(row[res.MustCol(f.Lower)])
		hi, okHi := measures.Number(row[res.MustCol(f.Upper)])
		w, ok := byID[name+" limits "+year]
		if !okLo || !okHi {
			if ok {
				t.Errorf("%s %s: a whisker drawn where the question gives no limits", name, year)
			}
			continue
		}
		if !ok {
			t.Errorf("%s %s: no whisker for limits %g to %g", name, year, lo, hi)
			continue
		}
		drawn[name]++
		// on the second x axis, at the year's place, a little beside the point
		i := slices.Index(categories, year)
		x := float64(i) + beside[name]
		if got, want := fmt.Sprint(w["data"]), fmt.Sprint([]any{[]any{x, lo}, []any{x, hi}}); got != want || w["xAxisIndex"] != 1.0 {
			t.Errorf("%s %s: whisker %s on x axis %v, the question's limits %s on axis 1", name, year, got, w["xAxisIndex"], want)
		}
		style, _ := w["lineStyle"].(map[string]any)
		if w["name"] != limits || w["type"] != "line" || style["color"] != palette.Colour(k) {
			t.Errorf("%s %s: whisker %v named %v in %v, want a line named %q in %s", name, year, w["type"], w["name"], style["color"], limits, palette.Colour(k))
		}
		if dash := palette.Dashes[k%len(palette.Dashes)]; dash != "solid" && style["type"] != dash {
			t.Errorf("%s %s: whisker drawn %v, want %s as its line", name, year, style["type"], dash)
		}
		caps, _ := byID[name+" limits"]["data"].([]any)
		for _, v := range []float64{lo, hi} {
			if !slices.ContainsFunc(caps, func(c any) bool { return fmt.Sprint(c) == fmt.Sprint([]any{x, v}) }) {
				t.Errorf("%s %s: no cap at %g", name, year, v)
			}
		}
	}
	for _, kind := range f.SeriesOrder {
		name := f.SeriesName(nil, kind)
		if drawn[name] == 0 {
			t.Errorf("no limits drawn for %s", name)
		}
		if c, _ := byID[name+" limits"]["itemStyle"].(map[string]any); c["color"] != palette.Colour(slices.Index(f.SeriesOrder, kind)) {
			t.Errorf("%s: caps in %v, not the line's colour", name, c["color"])
		}
	}
	t.Logf("Stockport: limits drawn %v", drawn)
}
