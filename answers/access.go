package answers

import (
	"fmt"
	"strings"

	"familyhubs/measures"
	"familyhubs/queries"
)

// The figures of the Access and Best Start page and briefing section (issue 18, item 5): how
// near the family hubs the council's children live, where the next hubs would bring most
// deprived children within 2 km, and early years outcomes against the 75% GLD ambition.

// accessDay is the subtitle of an access figure: the day the sites are taken as open (the end of
// the period viewed).
func accessDay(v *View, d *Drawn) string {
	return v.Filters.Council.Name + " · sites open on " + Day(v.Filters.Period.End) + " (the end of " + v.Filters.Period.Label + ")"
}

// accessMethod says how distance is measured, in words every access figure carries.
const accessMethod = "Distance is a straight line (not a journey by road or bus) from each neighbourhood's centre, the mean of its postcode centroids where known, else its interior point, " +
	"to the nearest site open on the day; every child of a neighbourhood is counted at its centre."

// AccessCoverage is the share of children living within 2 km of a family hub, by IDACI group
// (deciles 1-2 against 3-10), for children 0-4 and 0-19 (access_coverage); its table has 1, 2 and 5 km.
var AccessCoverage = &Figure{ID: "access-coverage", Kind: Grouped, Question: "access_coverage", Only: map[string]string{"sites": "hub"},
	Title:    "Children living within 2 km of a family hub, in the most deprived neighbourhoods (IDACI deciles 1-2) and the rest",
	Shows:    "Of the council's children aged 0-4 and 0-19, the share living within 2 km in a straight line of a family hub open on the day, in the 20% most deprived neighbourhoods of England and in the others (1 = all of them). The table adds 1 km and 5 km.",
	Category: "ages", SeriesBy: "idaci", SeriesOrder: []string{"1-2", "3-10"}, Value: "share_within_2km",
	Axis:  "share within 2 km (1 = all)",
	Label: func(r *queries.Result, row []any) string { return "Children " + r.Str(row, "ages") },
	SeriesName: func(v *View, name string) string {
		if name == "1-2" {
			return "IDACI deciles 1-2 (most deprived)"
		}
		return "IDACI deciles 3-10"
	},
	Subtitler: accessDay,
	Words: func(v *View, d *Drawn) []string {
		return []string{accessMethod, "Published populations, not records of families the hubs saw: a whole count, so no confidence interval and no disclosure control."}
	},
	Brief: []string{"ages", "idaci", "children", "share_within_1km", "share_within_2km", "share_within_5km"},
}

// AccessCandidates are the ten candidate sites (neighbourhood centres) that would each on its own
// bring the most deprived children aged 0-4 within 2 km of a hub (access_candidates).
var AccessCandidates = &Figure{ID: "access-candidates", Kind: Bars, Question: "access_candidates", Horizontal: true,
	Title:    "Where one more hub would bring most children in the most deprived neighbourhoods within 2 km: the top ten candidate sites",
	Shows:    "Each candidate is a neighbourhood's centre, an illustrative place and not a building: the children aged 0-4 in IDACI deciles 1-2, not yet within 2 km of a hub, that a hub there alone would bring within 2 km.",
	Category: "candidate_name", Value: "new_0_4", ValueName: "Children 0-4 brought within 2 km", Axis: "children 0-4",
	// the chart and its table are the ten best (the question ranks every candidate; its CSV has them all)
	Subtitler: func(v *View, d *Drawn) string {
		if len(d.Rows) > 10 {
			d.Rows = d.Rows[:10]
		}
		return accessDay(v, d) + " · the ten best candidates"
	},
	Words: func(v *View, d *Drawn) []string {
		out := []string{"The candidate sites are illustrative: the centre of each of the council's neighbourhoods, not buildings the council has chosen. " + accessMethod}
		if len(d.Rows) == 0 {
			out = append([]string{"No candidate would bring anyone: every child aged 0-4 in the most deprived neighbourhoods already lives within 2 km of a hub, or the council has none."}, out...)
		}
		return out
	},
	Brief: []string{"rank", "candidate_name", "lsoas", "new_0_4", "new_0_19"},
}

// NextHub is the greedy choice of up to five more hubs for children aged 0-4 in IDACI deciles 1-2
// (access_next_hub, finished in Go by access.FinishNextHub): the share within 2 km before and
// after each pick.
var NextHub = &Figure{ID: "next-hub", Kind: Grouped, Question: "access_next_hub", Only: map[string]string{"objective": "children 0-4"},
	Title:    "Where the next hubs should go: children aged 0-4 in the most deprived neighbourhoods within 2 km of a hub, before and after each of up to five more",
	Shows:    "Chosen one at a time, each the candidate bringing the most children aged 0-4 in IDACI deciles 1-2 within 2 km that no hub or earlier pick did: the share of those children within 2 km before and after each pick (1 = all).",
	Category: "pick", Series: []Series{{"Before this pick", "share_0_4_before"}, {"After this pick", "share_0_4_after"}},
	Axis: "share within 2 km (1 = all)",
	Label: func(r *queries.Result, row []any) string {
		return r.Str(row, "pick") + ". " + r.Str(row, "candidate_name")
	},
	Subtitler: accessDay,
	Words: func(v *View, d *Drawn) []string {
		return []string{"Greedy maximal coverage: each pick is the best given the earlier ones, which is guaranteed to reach at least 1 - 1/e (63%) of what the best set of the same size could (Nemhauser, Wolsey and Fisher 1978); ties go to the lower neighbourhood code. " +
			"The candidates are neighbourhood centres, illustrative places for the council to test against buildings, transport and what families say.",
			nextHubSaid(d)}
	},
}

// NextHubBuildings is the same greedy choice among the buildings the council lists as candidates
// in its network file ([[candidate]]: libraries, schools, health centres), where NextHub chooses
// among neighbourhood centres (access_next_hub_buildings).
var NextHubBuildings = &Figure{ID: "next-hub-buildings", Kind: Grouped, Question: "access_next_hub_buildings", Only: map[string]string{"objective": "children 0-4"},
	Title:    "The next hubs among buildings the council could use: children aged 0-4 in the most deprived neighbourhoods within 2 km of a hub, before and after each pick",
	Shows:    "The same choice, one at a time, among the buildings the council's network file lists as candidates (libraries, schools, health centres), where the chart above chooses among neighbourhood centres (1 = all).",
	Category: "pick", Series: []Series{{"Before this pick", "share_0_4_before"}, {"After this pick", "share_0_4_after"}},
	Axis: "share within 2 km (1 = all)",
	Label: func(r *queries.Result, row []any) string {
		return r.Str(row, "pick") + ". " + r.Str(row, "candidate_name")
	},
	Subtitler: accessDay,
	Words: func(v *View, d *Drawn) []string {
		if len(d.Rows) == 0 {
			return []string{"No pick: the council lists no candidate building, or none would bring a child aged 0-4 in the most deprived neighbourhoods within 2 km of a hub."}
		}
		return []string{"Greedy maximal coverage, as above. The buildings and their positions are from the council's network file; those marked illustrative are for the council to replace.", nextHubSaid(d)}
	},
}

// nextHubSaid names the chosen neighbourhoods in words.
func nextHubSaid(d *Drawn) string {
	if len(d.Rows) == 0 {
		return "No pick: every child aged 0-4 in the most deprived neighbourhoods already lives within 2 km of a hub, or no candidate would bring one within it."
	}
	var names []string
	for _, row := range d.Rows {
		names = append(names, d.Result.Str(row, "candidate_name"))
	}
	return fmt.Sprintf("Chosen, in order: %s.", strings.Join(names, "; "))
}

// GLD is the share of children with a good level of development at the end of reception: the
// council (or its predecessor), England, its region and its statistical neighbours by academic
// year, and the straight line from the latest published year to 75% in 2027/28 (early_years).
var GLD = &Figure{ID: "gld", Kind: Lines, Question: "early_years", Only: map[string]string{"indicator": "gld"},
	Title:    "Children with a good level of development at the end of reception (%): the council, England, its region and statistical neighbours, and the line to 75% by 2028",
	Shows:    "DfE's published share each academic year, with the straight line (dashed) from the latest year to the national ambition of 75% in 2027/28. Higher is better.",
	Category: "period",
	Series: []Series{{"council", "value"}, {"England", "england"}, {"Region", "region"}, {"Statistical neighbours (average)", "neighbours_average"},
		{"Line to 75% by 2027/28", "trajectory"}},
	Axis: "% of children",
	// years before the council was formed are its predecessor's: the words say which
	SeriesName: func(v *View, name string) string {
		if name == "council" {
			return v.Filters.Council.Name
		}
		return name
	},
	Subtitler: func(v *View, d *Drawn) string {
		return v.Filters.Council.Name + " · DfE LAIT and EYFSP, real figures · the line to 75% is worked out here, not a DfE figure"
	},
	Words: gldWords,
	Brief: []string{"period", "value", "england", "region", "neighbours_average", "trajectory"},
}

// GLDSentence says the latest GLD against England and the yearly gain the line to 75% needs,
// from the early_years rows: "68.0% of children reached a good level of development in 2024/25
// (England 68.3%); reaching 75% by 2028 needs 2.3 points a year".
func GLDSentence(d *Drawn) string {
	r := d.Result
	var latest []any
	for _, row := range d.Rows {
		if r.Str(row, "row_kind") == "published" {
			if _, ok := measures.Number(row[r.MustCol("value")]); ok {
				latest = row
			}
		}
	}
	if latest == nil {
		return "No good level of development is published for " + d.view.Filters.Council.Name + "."
	}
	s := fmt.Sprintf("%s%% of children reached a good level of development in %s (England %s%%)",
		Format(latest[r.MustCol("value")], 1), r.Str(latest, "period"), Format(latest[r.MustCol("england")], 1))
	if g, ok := measures.Number(latest[r.MustCol("gain_needed_per_year")]); ok {
		if g <= 0 {
			return s + "; it is already at or above 75%, the ambition for 2028."
		}
		s += fmt.Sprintf("; reaching 75%% by 2028 needs %s points a year", Format(g, 1))
	}
	return s + "."
}

// gldWords say the latest year, the missing years and the series break from the rows themselves.
func gldWords(v *View, d *Drawn) []string {
	r := d.Result
	out := []string{GLDSentence(d)}
	var missing []string
	reason, brk := "", ""
	for _, row := range d.Rows {
		if r.Str(row, "row_kind") != "published" {
			continue
		}
		if _, ok := measures.Number(row[r.MustCol("value")]); !ok && strings.HasPrefix(r.Str(row, "missing_reason"), "no collection") {
			missing = append(missing, r.Str(row, "period"))
			reason = r.Str(row, "missing_reason")
		}
		if b := r.Str(row, "series_break"); b != "" && strings.HasPrefix(b, "series break") && brk == "" {
			brk = strings.ToUpper(b[:1]) + b[1:] + " (from " + r.Str(row, "period") + ")."
		}
	}
	if len(missing) > 0 {
		out = append(out, fmt.Sprintf("Nothing is drawn for %s: %s. The gap in the lines is that, not a zero.", strings.Join(missing, " and "), strings.TrimPrefix(reason, "no collection: ")))
	}
	if brk != "" {
		out = append(out, brk)
	}
	out = append(out, "The dashed line runs straight from the latest published year to 75% in 2027/28: what the council would need each year, not a forecast.")
	// one sentence for each run of years of one series other than the council's own (Cumberland:
	// 2012/13 Cumbria's; 2013/14 to 2018/19 rebuilt from Cumbria's districts; 2021/22 Cumbria's)
	var from, to, series, note string
	say := func() {
		if from == "" {
			return
		}
		years := "The year " + from + " is"
		if to != from {
			years = "The years " + from + " to " + to + " are"
		}
		if strings.HasPrefix(series, "former ") {
			out = append(out, fmt.Sprintf("%s %s's, not %s's: %s.", years, strings.TrimPrefix(series, "former "), v.Filters.Council.Name, note))
		} else {
			// the note says what the years are ("rebuilt from the former districts by pupil residence ...")
			out = append(out, fmt.Sprintf("%s %s.", years, note))
		}
		from = ""
	}
	for _, row := range d.Rows {
		sr := r.Str(row, "series")
		if sr == "council" || sr == "" {
			say()
			continue
		}
		if from != "" && sr != series {
			say()
		}
		if from == "" {
			from, series, note = r.Str(row, "period"), sr, r.Str(row, "series_note")
		}
		to = r.Str(row, "period")
	}
	say()
	return out
}

// AccessSentence is the access line a cabinet reads, from the coverage figure's and the next-hub
// figure's rows: "X% of children aged 0-4 in the most deprived neighbourhoods live within 2 km of
// a family hub (Y% of other children); two more hubs at A and B would raise it to Z%".
func AccessSentence(cov, next *Drawn) string {
	share := func(d *Drawn, where map[string]string, col string) (string, bool) {
		r := d.Result
		for _, row := range d.Rows {
			keep := true
			for k, w := range where {
				if r.Str(row, k) != w {
					keep = false
				}
			}
			if keep {
				if f, ok := measures.Number(row[r.MustCol(col)]); ok {
					return Format(100*f, 1), true
				}
			}
		}
		return "", false
	}
	x, ok := share(cov, map[string]string{"ages": "0-4", "idaci": "1-2"}, "share_within_2km")
	if !ok {
		return "No child aged 0-4 lives in the most deprived fifth of England's neighbourhoods in " + cov.view.Filters.Council.Name + ", so no share of them near a hub is given."
	}
	y, _ := share(cov, map[string]string{"ages": "0-4", "idaci": "3-10"}, "share_within_2km")
	s := fmt.Sprintf("%s%% of children aged 0-4 in the most deprived neighbourhoods live within 2 km of a family hub (%s%% of other children)", x, y)
	// the first two picks, or the first alone where it brings them all
	r := next.Result
	var names []string
	z := ""
	for i, row := range next.Rows {
		if i == 2 {
			break // two more hubs at most: a cabinet's next step, not the whole list
		}
		after := row[r.MustCol("share_0_4_after")]
		names = append(names, r.Str(row, "candidate_name"))
		z = Format(100*fraction(after), 1)
		if fraction(after) >= 1 {
			break
		}
	}
	if len(names) == 0 {
		return s + "."
	}
	more, at := "one more hub", names[0]
	if len(names) == 2 {
		more, at = "two more hubs", names[0]+" and "+names[1]
	}
	return fmt.Sprintf("%s; %s at %s would raise it to %s%%.", s, more, at, z)
}

func fraction(v any) float64 {
	f, _ := measures.Number(v)
	return f
}

// AccessFigures are the page's figures in order (the page adds the table of the other early
// years indicators, from GLD's answer).
var AccessFigures = []*Figure{AccessCoverage, AccessCandidates, NextHub, NextHubBuildings, GLD}

// OtherEarlyYears is the table of the early years indicators besides GLD: each one's latest
// published year with a figure, against England, the region and the statistical neighbours, with
// its polarity, unit and source, from the early_years answer GLD was drawn from.
func OtherEarlyYears(d *Drawn) Table {
	r := d.Result
	latest := map[string][]any{}
	var order []string
	for _, row := range r.Rows {
		ind := r.Str(row, "indicator")
		if ind == "gld" || r.Str(row, "row_kind") != "published" {
			continue
		}
		if _, ok := measures.Number(row[r.MustCol("value")]); !ok {
			continue
		}
		if _, seen := latest[ind]; !seen {
			order = append(order, ind)
		}
		latest[ind] = row // rows run by year within an indicator
	}
	t := Table{Columns: []string{"unit", "period", "value", "england", "region", "neighbours_average", "polarity", "source"},
		Headers: []string{"Indicator (unit)", "Year", d.view.Filters.Council.Name, "England", "Region", "Statistical neighbours (average)", "Polarity", "Source"},
		Numeric: []bool{false, false, true, true, true, true, false, false}}
	polarity := map[string]string{"High": "High: higher is better", "Low": "Low: lower is better"}
	for _, ind := range order {
		row := latest[ind]
		cell := func(c string) string { return Format(row[r.MustCol(c)], 1) }
		name := r.Str(row, "unit")
		name = strings.ToUpper(name[:1]) + name[1:]
		year := r.Str(row, "period")
		if s := r.Str(row, "series"); s != "council" {
			year += " (" + strings.TrimPrefix(s, "former ") + ")"
		}
		t.Rows = append(t.Rows, []string{name, year, cell("value"), cell("england"), cell("region"), cell("neighbours_average"),
			polarity[r.Str(row, "polarity")], r.Str(row, "source")})
	}
	return t
}

// AccessMessages are the Access and Best Start sentences, from the drawn figures of
// Layout["access"] (or the briefing's section): the access line, then the GLD line.
func AccessMessages(drawn []*Drawn) []string {
	var cov, next, gld *Drawn
	for _, d := range drawn {
		switch d.Figure {
		case AccessCoverage:
			cov = d
		case NextHub:
			next = d
		case GLD:
			gld = d
		}
	}
	var out []string
	if cov != nil && next != nil {
		out = append(out, AccessSentence(cov, next))
	}
	if gld != nil {
		out = append(out, GLDSentence(gld))
	}
	return out
}

// AccessHeading is the briefing section's heading, and the page's title.
const AccessHeading = "Access and Best Start"
