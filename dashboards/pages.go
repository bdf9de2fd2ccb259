package dashboards

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"familyhubs/measures"
	"familyhubs/queries"
)

func previousArgs(v *View) queries.Args {
	f := v.Filters
	f.Period = v.Previous
	return f.Args()
}

// sum adds a column over rows, ignoring suppressed and missing cells.
func sum(r *queries.Result, rows [][]any, col string) float64 {
	var s float64
	for _, x := range column(r, rows, col) {
		if f, ok := measures.Number(x); ok {
			s += f
		}
	}
	return s
}

func overview(ctx context.Context, v *View) ([]Block, error) {
	now, err := runAll(ctx, v, "reach_by_decile", "site_activity", "fund_progress", "care_trend")
	if err != nil {
		return nil, err
	}
	before, err := v.Run(ctx, "reach_by_decile", previousArgs(v))
	if err != nil {
		return nil, err
	}
	split, prev := measures.SplitByDeprivation(now["reach_by_decile"]), measures.SplitByDeprivation(before)
	tiles := []Tile{
		{Label: "Children reached", Value: number(split.Reached, 0), Change: change(split.Reached, prev.Reached, ""),
			Note: "distinct children 0-19 with at least one contact, " + v.Filters.Period.Label},
		{Label: "Families reached", Value: number(split.Families, 0), Change: change(split.Families, prev.Families, ""),
			Note: "distinct families, " + v.Filters.Period.Label},
	}
	if a, b := split.Deprived.Value, split.Rest.Value; b > 0 && !math.IsNaN(a) {
		tiles = append(tiles, Tile{Label: "Reach in the 20% most deprived neighbourhoods",
			Value:  fmt.Sprintf("%.0f per 1,000", a),
			Change: fmt.Sprintf("%.1f times the rest of the council (%.0f per 1,000)", a/b, b),
			Note:   "IDACI deciles 1-2 against 3-10; the Reach page gives the confidence intervals"})
	}
	sites := now["site_activity"]
	open := map[string]int{}
	for _, row := range sites.Rows {
		if queries.Text(row[sites.Col("opened")]) <= v.Filters.Period.End.Format("2006-01-02") {
			open[queries.Text(row[sites.Col("kind")])]++
		}
	}
	var parts []string
	for _, k := range []string{"hub", "hublet", "bridge", "outreach", "online"} {
		if open[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", open[k], k))
		}
	}
	planTile := Tile{Label: "Sites open", Value: strconv.Itoa(len(sites.Rows)), Change: strings.Join(parts, ", ")}
	plan := now["fund_progress"]
	for _, row := range plan.Rows {
		m := queries.Text(row[plan.Col("measure")])
		if m == "hub_networks" || (m == "family_hubs_designated" && planTile.Status == "") {
			planTile.Note = fmt.Sprintf("plan: %s %s of %s by %s", queries.Text(row[plan.Col("indicator")]),
				queries.Text(row[plan.Col("achieved")]), queries.Text(row[plan.Col("target")]), queries.Text(row[plan.Col("due")]))
			planTile.Status = queries.Text(row[plan.Col("status")])
		}
	}
	tiles = append(tiles, planTile)
	care := now["care_trend"]
	var latest []any
	for _, row := range care.Rows {
		if queries.Text(row[care.Col("measure")]) == "looked_after" && row[care.Col("rate_per_10000")] != nil &&
			queries.Text(row[care.Col("year")]) <= strconv.Itoa(v.Filters.Period.End.Year()) {
			latest = row
		}
	}
	if latest != nil {
		tiles = append(tiles, Tile{Label: "Children looked after, 31 March " + queries.Text(latest[care.Col("year")]),
			Value: number(latest[care.Col("rate_per_10000")], 1) + " per 10,000",
			Change: fmt.Sprintf("%s England (%s); %s statistical neighbours (%s); trend: %s",
				queries.Text(latest[care.Col("vs_england")]), number(latest[care.Col("england_rate_per_10000")], 1),
				queries.Text(latest[care.Col("vs_neighbours")]), number(latest[care.Col("neighbours_rate_per_10000")], 1),
				queries.Text(latest[care.Col("trend")])),
			Note: number(latest[care.Col("number")], 0) + " children; DfE, real figures"})
	}
	trend, err := reachTrendChart(ctx, v)
	if err != nil {
		return nil, err
	}
	decile, err := reachByDecileChart(ctx, v, "IDACI", "overview-idaci")
	if err != nil {
		return nil, err
	}
	return []Block{{Tiles: tiles}, {Chart: decile}, {Chart: trend}}, nil
}

func reachByDecileChart(ctx context.Context, v *View, index, id string) (*Chart, error) {
	c, res, rows, err := chartFor(ctx, v, id, "reach_by_decile", map[string]string{"index": index})
	if err != nil {
		return nil, err
	}
	c.Title = fmt.Sprintf("Children reached per 1,000, by national %s decile (1 = most deprived)", index)
	labels := texts(res, rows, "decile")
	c.Subtitle = describe(v, true)
	c.Element, c.Script = barWithLimits(c.ID, c.Title, c.Subtitle, "per 1,000 children 0-19", labels,
		column(res, rows, "reach_per_1000"), column(res, rows, "reach_per_1000_lower"), column(res, rows, "reach_per_1000_upper"),
		"Reach per 1,000")
	return c, nil
}

func reachTrendChart(ctx context.Context, v *View) (*Chart, error) {
	c, res, rows, err := chartFor(ctx, v, "reach-trend", "reach_trend", nil)
	if err != nil {
		return nil, err
	}
	c.Title = "Children and families reached each quarter since April 2019"
	c.Subtitle = describe(v, false) + " · all quarters"
	c.Element, c.Script = lines(c.ID, c.Title, c.Subtitle, "distinct people per quarter",
		texts(res, rows, "quarter"), []namedSeries{
			{"Children reached", column(res, rows, "children_reached")},
			{"Families reached", column(res, rows, "families_reached")},
		})
	return c, nil
}

func reach(ctx context.Context, v *View) ([]Block, error) {
	idaci, err := reachByDecileChart(ctx, v, "IDACI", "reach-idaci")
	if err != nil {
		return nil, err
	}
	imd, err := reachByDecileChart(ctx, v, "IMD", "reach-imd")
	if err != nil {
		return nil, err
	}
	ineq, res, rows, err := chartFor(ctx, v, "inequality", "inequality_summary", nil)
	if err != nil {
		return nil, err
	}
	ineq.Title = "Slope index of inequality in reach per 1,000, by financial year (negative: more reach where deprivation is higher)"
	ineq.Subtitle = describe(v, false) + " · IDACI deciles · 95% limits by simulation"
	ineq.Element, ineq.Script = barWithLimits(ineq.ID, ineq.Title, ineq.Subtitle,
		"SII, per 1,000", texts(res, rows, "year"), column(res, rows, "sii"), column(res, rows, "sii_lower"), column(res, rows, "sii_upper"), "SII")
	loc, lres, lrows, err := chartFor(ctx, v, "localities", "reach_by_locality", nil)
	if err != nil {
		return nil, err
	}
	loc.Title = "Children reached per 1,000, by locality (hub network)"
	loc.Subtitle = describe(v, true)
	loc.Element, loc.Script = barWithLimits(loc.ID, loc.Title, loc.Subtitle, "per 1,000 children 0-19",
		texts(lres, lrows, "locality"), column(lres, lrows, "reach_per_1000"), column(lres, lrows, "reach_per_1000_lower"),
		column(lres, lrows, "reach_per_1000_upper"), "Reach per 1,000")
	eng, eres, erows, err := chartFor(ctx, v, "england", "england_reach_by_decile", map[string]string{"area": "England"})
	if err != nil {
		return nil, err
	}
	var councils float64
	for _, x := range column(eres, erows, "councils") {
		if f, ok := measures.Number(x); ok && f > councils {
			councils = f
		}
	}
	eng.Title = "England: children reached per 1,000, by national IDACI decile, to set the council against"
	eng.Subtitle = fmt.Sprintf("the %.0f councils whose contacts the warehouse holds · %s", councils, periodName(v.Filters.Period))
	eng.Element, eng.Script = barWithLimits(eng.ID, eng.Title, eng.Subtitle, "per 1,000 children 0-19",
		texts(eres, erows, "idaci_decile"), column(eres, erows, "reach_per_1000"), column(eres, erows, "reach_per_1000_lower"),
		column(eres, erows, "reach_per_1000_upper"), "Reach per 1,000")
	return []Block{{Chart: idaci}, {Chart: ineq}, {Chart: imd}, {Chart: loc}, {Chart: eng}}, nil
}

func services(ctx context.Context, v *View) ([]Block, error) {
	mix, res, rows, err := chartFor(ctx, v, "service-mix", "service_mix", nil)
	if err != nil {
		return nil, err
	}
	mix.Title = "Contacts by service and age band of the child"
	var svc []string
	seen := map[string]bool{}
	for _, s := range texts(res, rows, "service") {
		if !seen[s] {
			seen[s] = true
			svc = append(svc, s)
		}
	}
	var series []namedSeries
	for _, band := range []string{"0-2", "3-4", "5-11", "12-19", "20-25"} {
		vals := make([]any, len(svc))
		for i, s := range svc {
			for _, row := range rows {
				if queries.Text(row[res.Col("service")]) == s && queries.Text(row[res.Col("age_band")]) == band {
					vals[i] = row[res.Col("contacts")]
				}
			}
		}
		series = append(series, namedSeries{"age " + band, vals})
	}
	mix.Subtitle = describe(v, true)
	mix.Element, mix.Script = bars(mix.ID, mix.Title, mix.Subtitle, "contacts", svc, series, true, true)

	ch, cres, crows, err := chartFor(ctx, v, "channels", "channel_mix", nil)
	if err != nil {
		return nil, err
	}
	ch.Title = "Contacts by channel, each quarter"
	var quarters []string
	seenQ := map[string]bool{}
	for _, q := range texts(cres, crows, "quarter") {
		if !seenQ[q] {
			seenQ[q] = true
			quarters = append(quarters, q)
		}
	}
	var chSeries []namedSeries
	for _, channel := range []string{"hub", "hublet", "bridge", "outreach", "home visit", "online"} {
		vals := make([]any, len(quarters))
		any := false
		for i, q := range quarters {
			for _, row := range crows {
				if queries.Text(row[cres.Col("quarter")]) == q && queries.Text(row[cres.Col("channel")]) == channel {
					vals[i] = row[cres.Col("contacts")]
					if f, ok := measures.Number(vals[i]); !ok || f != 0 {
						any = true
					}
				}
			}
		}
		if any {
			chSeries = append(chSeries, namedSeries{channel, vals})
		}
	}
	ch.Subtitle = describe(v, true)
	ch.Element, ch.Script = bars(ch.ID, ch.Title, ch.Subtitle, "contacts", quarters, chSeries, true, false)

	sites, sres, srows, err := chartFor(ctx, v, "sites", "site_activity", nil)
	if err != nil {
		return nil, err
	}
	sites.Title = "Contacts and families reached by site"
	sites.Subtitle = describe(v, true)
	sites.Element, sites.Script = bars(sites.ID, sites.Title, sites.Subtitle, "people or contacts",
		texts(sres, srows, "name"), []namedSeries{{"Contacts", column(sres, srows, "contacts")}, {"Families", column(sres, srows, "families")}}, false, true)
	trend, err := reachTrendChart(ctx, v)
	if err != nil {
		return nil, err
	}
	return []Block{{Chart: mix}, {Chart: ch}, {Chart: sites}, {Chart: trend}}, nil
}

var careMeasures = []struct{ code, name string }{
	{"looked_after", "Children looked after"},
	{"in_need", "Children in need"},
	{"protection_plan", "Children on child protection plans"},
}

func care(ctx context.Context, v *View) ([]Block, error) {
	var blocks []Block
	for _, m := range careMeasures {
		c, res, rows, err := chartFor(ctx, v, "care-"+m.code, "care_trend", map[string]string{"measure": m.code})
		if err != nil {
			return nil, err
		}
		c.Title = m.name + " at 31 March per 10,000 children aged 0-17: council, England and statistical neighbours"
		var years []string
		for _, row := range rows {
			label := queries.Text(row[res.Col("year")])
			if queries.Text(row[res.Col("series")]) == "predecessor" {
				label += " (" + queries.Text(row[res.Col("area_name")]) + ")"
			}
			years = append(years, label)
		}
		c.Subtitle = v.Filters.Council.Name + " · DfE, real figures · all years"
		c.Element, c.Script = lines(c.ID, c.Title, c.Subtitle, "per 10,000 children 0-17",
			years, []namedSeries{
				{v.Filters.Council.Name, column(res, rows, "rate_per_10000")},
				{"England", column(res, rows, "england_rate_per_10000")},
				{"Statistical neighbours (average)", column(res, rows, "neighbours_rate_per_10000")},
			})
		blocks = append(blocks, Block{Chart: c})
	}
	nb, res, rows, err := chartFor(ctx, v, "care-modelled", "care_by_neighbourhood", map[string]string{"measure": "looked_after"})
	if err != nil {
		return nil, err
	}
	nb.Title = "MODELLED: children looked after per 10,000 by IDACI decile of the neighbourhood"
	// average the modelled rate over each decile's neighbourhoods, weighted by children
	var labels []string
	var vals []any
	for d := 1; d <= 10; d++ {
		var n, kids float64
		for _, row := range rows {
			if queries.Text(row[res.Col("idaci_decile")]) == strconv.Itoa(d) {
				if x, ok := measures.Number(row[res.Col("number")]); ok {
					n += x
				}
				k, _ := measures.Number(row[res.Col("children_0_17")])
				kids += k
			}
		}
		labels = append(labels, strconv.Itoa(d))
		if kids > 0 {
			vals = append(vals, measures.Round(n/kids*10000, 1))
		} else {
			vals = append(vals, nil)
		}
	}
	nb.Subtitle = v.Filters.Council.Name + " · modelled from the published total, not published by neighbourhood · " + v.Filters.Period.Label
	nb.Element, nb.Script = lines(nb.ID, nb.Title, nb.Subtitle,
		"per 10,000 children 0-17 (modelled)", labels, []namedSeries{{"Modelled rate", vals}})
	blocks = append(blocks, Block{Chart: nb})
	return blocks, nil
}

func fund(ctx context.Context, v *View) ([]Block, error) {
	c, res, rows, err := chartFor(ctx, v, "fund", "fund_progress", nil)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return []Block{{Text: "This council has no plan in its network file. Add [[plan]] lines to set one."}}, nil
	}
	c.Title = "Transformation Fund plan: progress from baseline to target (1 = target met)"
	var tiles []Tile
	for _, row := range rows {
		tiles = append(tiles, Tile{Label: queries.Text(row[res.Col("id")]) + ": " + queries.Text(row[res.Col("indicator")]),
			Value:  queries.Text(row[res.Col("achieved")]) + " " + queries.Text(row[res.Col("unit")]),
			Change: fmt.Sprintf("baseline %s, target %s by %s", queries.Text(row[res.Col("baseline")]), queries.Text(row[res.Col("target")]), queries.Text(row[res.Col("due")])),
			Note:   "measured at " + queries.Text(row[res.Col("as_of")]), Status: queries.Text(row[res.Col("status")])})
	}
	c.Subtitle = describe(v, true)
	c.Element, c.Script = bars(c.ID, c.Title, c.Subtitle, "share of the way to target", texts(res, rows, "id"),
		[]namedSeries{{"Progress", column(res, rows, "progress")}, {"Expected by now", column(res, rows, "expected")}}, false, false)
	return []Block{{Tiles: tiles}, {Chart: c}}, nil
}
