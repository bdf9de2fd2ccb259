package dashboards

import (
	"context"
	"fmt"

	"familyhubs/answers"
)

// figures draws declared figures for the view, in order, their questions answered side by side.
func figures(ctx context.Context, v *View, fs ...*answers.Figure) ([]Block, error) {
	drawn, err := v.answers.DrawAll(ctx, v.View, fs)
	if err != nil {
		return nil, err
	}
	var out []Block
	for _, d := range drawn {
		out = append(out, Block{Chart: draw(v, d)})
	}
	return out, nil
}

// laidOut draws the figures the layout declares for a page.
func laidOut(ctx context.Context, v *View, page string) ([]Block, error) {
	return figures(ctx, v, answers.Layout[page]...)
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
	charts, err := laidOut(ctx, v, "overview")
	if err != nil {
		return nil, err
	}
	return append(blocks, charts...), nil
}

func reach(ctx context.Context, v *View) ([]Block, error) {
	if nd := noData(v); nd != nil {
		return nd, nil
	}
	return laidOut(ctx, v, "reach")
}

func services(ctx context.Context, v *View) ([]Block, error) {
	if nd := noData(v); nd != nil {
		return nd, nil
	}
	return laidOut(ctx, v, "services")
}

func care(ctx context.Context, v *View) ([]Block, error) {
	return laidOut(ctx, v, "care")
}

// next is what happened next to the children the hubs first saw (issue 16).
func next(ctx context.Context, v *View) ([]Block, error) {
	if nd := noData(v); nd != nil {
		return nd, nil
	}
	return laidOut(ctx, v, "next")
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
	// a period without service data still has a plan: say so, then show it measured up to the data's end
	blocks := append(noData(v), Block{Tiles: tiles}, Block{Chart: draw(v, d)})
	more, err := figures(ctx, v, answers.Layout["fund"][1:]...)
	return append(blocks, more...), err
}

// mapPage draws the neighbourhood map, or says why there is nothing to map.
func mapPage(ctx context.Context, v *View) ([]Block, error) {
	if nd := noData(v); nd != nil {
		return nd, nil
	}
	blocks, err := neighbourhoodMap(ctx, v)
	for _, b := range blocks {
		if b.Chart != nil && b.Chart.Shows == "" { // every chart says in one line what it shows
			b.Chart.Shows = "Each neighbourhood coloured by how many children in every 1,000 living there the hubs reached, " +
				"with the hubs, bridges and outreach sites marked; neighbourhoods with too few children to show are patterned."
			if v.Layer == "idaci" {
				b.Chart.Shows = "Each neighbourhood coloured by its IDACI decile, darkest the most deprived tenth in England, " +
					"with the hubs, bridges and outreach sites marked."
			}
		}
	}
	return blocks, err
}
