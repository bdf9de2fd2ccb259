package dashboards

import (
	"context"
	"fmt"
	"html/template"
	"strings"

	"familyhubs/answers"
	"familyhubs/queries"
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

// fund is the Programmes page: every plan line of the Transformation Fund and of Best Start as
// a tile, grouped by programme (each tile named by it), then a chart per programme.
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
	for _, p := range answers.Programmes {
		for _, row := range d.Rows {
			if programmeOf(res, row) != p.ID {
				continue
			}
			t := answers.Tile{Label: p.Name + " · " + res.Str(row, "id") + ": " + res.Str(row, "indicator"),
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
	}
	// a period without service data still has a plan: say so, then show it measured up to the data's end
	blocks := append(noData(v), Block{Tiles: tiles})
	drawn, err := v.answers.DrawAll(ctx, v.View, answers.Layout["fund"][1:])
	if err != nil {
		return nil, err
	}
	for _, pd := range drawn {
		if len(pd.Rows) > 0 { // a council with no Best Start lines has no Best Start chart
			blocks = append(blocks, Block{Chart: draw(v, pd)})
		}
	}
	return blocks, nil
}

// programmeOf is a plan line's programme (a plan written before Best Start has none: the Fund's).
func programmeOf(res *queries.Result, row []any) string {
	if res.Col("programme") < 0 || res.Str(row, "programme") == "" {
		return "transformation_fund"
	}
	return res.Str(row, "programme")
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
			if v.Layer == "access" {
				b.Chart.Shows = "Each neighbourhood coloured by the straight-line distance from its centre to the nearest family hub open on the period's last day, " +
					"in bands (1 km or less, over 1 to 2, over 2 to 5, over 5 km), darkest the furthest, with the hubs, bridges and outreach sites marked."
			}
		}
	}
	return blocks, err
}

// access is the Access and Best Start page (issue 18, item 5): how near the hubs the council's
// children live on the period's last day, where the next hubs would bring most deprived children
// within 2 km, and early years outcomes against the 75% ambition. Its key messages are the
// briefing's sentences, worked from the same figures' rows.
func access(ctx context.Context, v *View) ([]Block, error) {
	drawn, err := v.answers.DrawAll(ctx, v.View, answers.Layout["access"])
	if err != nil {
		return nil, err
	}
	var blocks []Block
	if msgs := answers.AccessMessages(drawn); len(msgs) > 0 {
		blocks = append(blocks, Block{Messages: msgs})
	}
	for _, d := range drawn {
		blocks = append(blocks, Block{Chart: draw(v, d)})
		if d.Figure == answers.GLD {
			blocks = append(blocks, Block{Chart: otherEarlyYears(v, d)})
		}
	}
	return blocks, nil
}

// otherEarlyYears is the table of the other early years indicators, from GLD's answer: a table,
// not a chart, since their units differ.
func otherEarlyYears(v *View, d *answers.Drawn) *Chart {
	res := d.Result
	c := &Chart{ID: "early_years_other", Title: "Other early years indicators: the latest published year against England, the region and statistical neighbours",
		Subtitle: v.Filters.Council.Name + " · DfE LAIT, real figures",
		Shows:    "Each indicator's latest published figure in its own unit, with its polarity (High: higher is better; Low: lower is better) and its source. Years before a council was formed are its predecessor's.",
		Query:    res.Query.Name, Source: res.Query.Source, Units: res.Query.Units, Notes: res.Notes,
		Table: answers.OtherEarlyYears(d), CSV: CSVURL(res.Query.Name, v, nil)}
	c.Element = tableHTML(c.Title, c.Table)
	return c
}

// tableHTML is a table in full view, in GOV.UK's classes, where a block is a table and no chart.
func tableHTML(caption string, t answers.Table) template.HTML {
	var b strings.Builder
	esc := template.HTMLEscapeString
	b.WriteString(`<div class="table-wrap" role="region" aria-label="` + esc(caption) + `" tabindex="0"><table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">` + esc(caption) + `</caption><thead class="govuk-table__head"><tr class="govuk-table__row">`)
	num := func(i int) string {
		if i < len(t.Numeric) && t.Numeric[i] {
			return " govuk-table__header--numeric"
		}
		return ""
	}
	for i, h := range t.Headers {
		b.WriteString(`<th scope="col" class="govuk-table__header` + num(i) + `">` + esc(h) + `</th>`)
	}
	b.WriteString(`</tr></thead><tbody class="govuk-table__body">`)
	for _, row := range t.Rows {
		b.WriteString(`<tr class="govuk-table__row">`)
		for i, c := range row {
			cls := "govuk-table__cell"
			if i < len(t.Numeric) && t.Numeric[i] {
				cls += " govuk-table__cell--numeric"
			}
			b.WriteString(`<td class="` + cls + `">` + esc(c) + `</td>`)
		}
		b.WriteString(`</tr>`)
	}
	b.WriteString(`</tbody></table></div>`)
	return template.HTML(b.String())
}
