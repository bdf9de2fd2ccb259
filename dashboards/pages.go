package dashboards

import (
	"context"
	"fmt"

	"familyhubs/answers"
	"familyhubs/measures"
)

// figures draws declared figures for the view, in order.
func figures(ctx context.Context, v *View, fs ...*answers.Figure) ([]Block, error) {
	var out []Block
	for _, f := range fs {
		d, err := v.answers.Draw(ctx, v.View, f)
		if err != nil {
			return nil, err
		}
		out = append(out, Block{Chart: draw(v, d)})
	}
	return out, nil
}

// noData is the block a page shows instead of figures about service use when the period or the
// council has none: plain words, never zeros.
func noData(v *View) []Block {
	if p := v.DataProblem(); p != "" {
		return []Block{{Text: p}}
	}
	return nil
}

func overview(ctx context.Context, v *View) ([]Block, error) {
	h, err := v.answers.Headlines(ctx, v.View)
	if err != nil {
		return nil, err
	}
	blocks := []Block{{Tiles: h.Tiles}}
	if len(h.Messages) > 0 {
		blocks = append(blocks, Block{Messages: h.Messages})
	}
	if nd := noData(v); nd != nil {
		return append(nd, blocks...), nil
	}
	charts, err := figures(ctx, v, answers.ReachIDACI, answers.ReachTrend)
	if err != nil {
		return nil, err
	}
	return append(blocks, charts...), nil
}

func reach(ctx context.Context, v *View) ([]Block, error) {
	if nd := noData(v); nd != nil {
		return nd, nil
	}
	blocks, err := figures(ctx, v, answers.ReachIDACI, answers.Inequality, answers.ReachIMD, answers.Localities, answers.England)
	if err != nil {
		return nil, err
	}
	// the England-wide figure says how many councils it sums
	eng := blocks[len(blocks)-1].Chart
	res, err := v.answers.Run(ctx, v.View, answers.England.Question)
	if err != nil {
		return nil, err
	}
	var councils float64
	for _, row := range answers.Only(res, answers.England.Only) {
		if f, ok := measures.Number(row[res.MustCol("councils")]); ok && f > councils {
			councils = f
		}
	}
	eng.Subtitle = fmt.Sprintf("the %.0f councils whose contacts this warehouse holds (synthetic in the demo) · %s", councils, answers.PeriodName(v.Filters.Period))
	return blocks, nil
}

func services(ctx context.Context, v *View) ([]Block, error) {
	if nd := noData(v); nd != nil {
		return nd, nil
	}
	return figures(ctx, v, answers.ServiceMix, answers.ChannelMix, answers.Sites, answers.ReachTrend)
}

func care(ctx context.Context, v *View) ([]Block, error) {
	blocks, err := figures(ctx, v, answers.CareFigures...)
	if err != nil {
		return nil, err
	}
	for _, b := range blocks {
		b.Chart.Subtitle = v.Filters.Council.Name + " · DfE, real figures · every year published"
	}
	m, err := figures(ctx, v, answers.CareModelled)
	if err != nil {
		return nil, err
	}
	c := m[0].Chart
	year := ""
	if len(c.Table.Rows) > 0 {
		for i, col := range c.Table.Columns {
			if col == "year" {
				year = c.Table.Rows[0][i]
			}
		}
	}
	if year == "" {
		c.Subtitle = v.Filters.Council.Name + " · no published figure on or before " + answers.Day(v.Filters.Period.End)
	} else {
		c.Subtitle = fmt.Sprintf("%s · 31 March %s, the latest published on or before %s · modelled from the published total, not published by neighbourhood",
			v.Filters.Council.Name, year, answers.Day(v.Filters.Period.End))
	}
	return append(blocks, m...), nil
}

func fund(ctx context.Context, v *View) ([]Block, error) {
	d, err := v.answers.Draw(ctx, v.View, answers.Fund)
	if err != nil {
		return nil, err
	}
	res := d.Result
	if len(d.Rows) == 0 {
		return []Block{{Text: "This council has no plan in its network file. Add [[plan]] lines to set one."}}, nil
	}
	var tiles []answers.Tile
	for _, row := range d.Rows {
		t := answers.Tile{Label: res.Str(row, "id") + ": " + res.Str(row, "indicator"),
			Value:  answers.Plain(row[res.MustCol("achieved")]) + " " + res.Str(row, "unit"),
			Change: fmt.Sprintf("baseline %s, target %s by %s", answers.Plain(row[res.MustCol("baseline")]), answers.Plain(row[res.MustCol("target")]), res.Str(row, "due")),
			Note:   "measured at " + res.Str(row, "as_of"), Status: res.Str(row, "status")}
		if res.Col("measured_for") >= 0 {
			t.Note = "measured for " + res.Str(row, "measured_for")
		}
		if row[res.MustCol("illustrative")] == true {
			t.Labels = append(t.Labels, "illustrative target")
		}
		tiles = append(tiles, t)
	}
	return []Block{{Tiles: tiles}, {Chart: draw(v, d)}}, nil
}

// mapPage draws the neighbourhood map, or says why there is nothing to map.
func mapPage(ctx context.Context, v *View) ([]Block, error) {
	if nd := noData(v); nd != nil {
		return nd, nil
	}
	return neighbourhoodMap(ctx, v)
}
