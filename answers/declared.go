package answers

import (
	"fmt"
	"strings"
	"time"

	"familyhubs/measures"
	"familyhubs/queries"
)

// The figures the pages and the briefing draw, each declared once.
var (
	ReachIDACI = &Figure{ID: "reach-idaci", Kind: Bars, Question: "reach_by_decile", Only: map[string]string{"index": "IDACI"},
		Title:    "Children reached per 1,000, by national IDACI decile (1 = most deprived)",
		Shows:    "How many children in every 1,000 living in each tenth of England's neighbourhoods, from the most to the least deprived for children, the hubs reached.",
		Category: "decile", Value: "reach_per_1000", Lower: "reach_per_1000_lower", Upper: "reach_per_1000_upper",
		ValueName: "Reach per 1,000", Axis: "per 1,000 children 0-19"}
	// Expectant families stand beside reach: unborn children reached through a contact before
	// birth are not children reached (no resident count holds them), so they are counted here.
	Expectant = &Figure{ID: "expectant", Kind: Bars, Question: "reach_by_decile", Only: map[string]string{"index": "IDACI"},
		Title:    "Expectant families reached, by national IDACI decile (1 = most deprived)",
		Shows:    "Families with a contact before a child's birth (antenatal help) in the period. Unborn children are counted here and not as children reached, since no count of residents holds them: a number of families, not a rate.",
		Category: "decile", Value: "expectant_families", ValueName: "Expectant families", Axis: "families", NoDenominator: true}
	ReachIMD = &Figure{ID: "reach-imd", Kind: Bars, Question: "reach_by_decile", Only: map[string]string{"index": "IMD"},
		Title:    "Children reached per 1,000, by national IMD decile (1 = most deprived)",
		Shows:    "The same reach by the overall Index of Multiple Deprivation rather than income deprivation affecting children.",
		Category: "decile", Value: "reach_per_1000", Lower: "reach_per_1000_lower", Upper: "reach_per_1000_upper",
		ValueName: "Reach per 1,000", Axis: "per 1,000 children 0-19"}
	ReachTrend = &Figure{ID: "reach-trend", Kind: Lines, Question: "reach_trend",
		Title:    "Children and families reached each quarter since April 2019",
		Shows:    "Distinct children and families with at least one contact in each quarter: the direction of travel.",
		Category: "quarter", Series: []Series{{"Children reached", "children_reached"}, {"Families reached", "families_reached"}},
		Axis: "distinct people per quarter"}
	Inequality = &Figure{ID: "inequality", Kind: Bars, Question: "inequality_summary",
		Title:    "Gap in reach between the most and least deprived neighbourhoods (slope index of inequality), by financial year",
		Shows:    "Below zero: more children reached per 1,000 where deprivation is higher. The further below zero, the more reach is concentrated where need is greatest. IDACI ranks neighbourhoods by children aged 0-15 in income-deprived families; reach counts children aged 0-19.",
		Category: "year", Value: "sii", Lower: "sii_lower", Upper: "sii_upper", ValueName: "Slope index of inequality",
		Axis: "difference in reach per 1,000"}
	Localities = &Figure{ID: "localities", Kind: Bars, Question: "reach_by_locality", Horizontal: true,
		Title:    "Children reached per 1,000, by locality (hub network)",
		Shows:    "Reach in each hub network, with 95% confidence intervals: where bars' intervals do not overlap, the difference is unlikely to be chance.",
		Category: "locality", Value: "reach_per_1000", Lower: "reach_per_1000_lower", Upper: "reach_per_1000_upper",
		ValueName: "Reach per 1,000", Axis: "per 1,000 children 0-19"}
	England = &Figure{ID: "england", Kind: Bars, Question: "england_reach_by_decile", Only: map[string]string{"area": "England"},
		Title:    "Every council in this warehouse together: children reached per 1,000, by national IDACI decile",
		Shows:    "The same measure summed over every council whose contacts this warehouse holds, to set the council against; in the demo these contacts are synthetic, so it is not England's real figure.",
		Category: "idaci_decile", Value: "reach_per_1000", Lower: "reach_per_1000_lower", Upper: "reach_per_1000_upper",
		ValueName: "Reach per 1,000", Axis: "per 1,000 children 0-19",
		Subtitler: func(v *View, d *Drawn) string {
			var councils float64
			for _, row := range d.Rows {
				if f, ok := measures.Number(row[d.Result.MustCol("councils")]); ok && f > councils {
					councils = f
				}
			}
			return fmt.Sprintf("the %.0f councils whose contacts this warehouse holds (synthetic in the demo) · %s", councils, PeriodName(v.Filters.Period))
		}}
	ServiceMix = &Figure{ID: "service-mix", Kind: Stacked, Question: "service_mix", Horizontal: true,
		Title:    "Contacts by service and age band of the child",
		Shows:    "Which services families used, and for children of which ages.",
		Category: "service", SeriesBy: "age_band", SeriesOrder: AgeBands, Value: "contacts", Axis: "contacts"}
	ChannelMix = &Figure{ID: "channels", Kind: Stacked, Question: "channel_mix",
		Title:    "Contacts by channel, each quarter",
		Shows:    "How families were seen: in hubs, hublets, bridges, outreach, at home or online, quarter by quarter.",
		Category: "quarter", SeriesBy: "channel", SeriesOrder: Channels, Value: "contacts", Axis: "contacts"}
	Sites = &Figure{ID: "sites", Kind: Grouped, Question: "site_activity", Horizontal: true,
		Title:    "Contacts and families reached by site",
		Shows:    "What each site did in the period.",
		Category: "name", Series: []Series{{"Contacts", "contacts"}, {"Families", "families"}}, Axis: "people or contacts"}
	CareModelled = &Figure{ID: "care-modelled", Kind: Bars, Question: "care_by_decile", Only: map[string]string{"measure": "looked_after"},
		Title:    "Children looked after per 10,000, by national IDACI decile of the neighbourhood: MODELLED unless the council has loaded its records",
		Shows:    "A model, not a count (the council's published total shared across its neighbourhoods by children and deprivation, summed by decile), unless the council has loaded its own records: then counted at each child's home.",
		Category: "idaci_decile", Value: "rate_per_10000", ValueName: "Modelled rate per 10,000",
		Axis: "per 10,000 children 0-17 (modelled)",
		Subtitler: func(v *View, d *Drawn) string {
			if len(d.Rows) == 0 {
				return v.Filters.Council.Name + " · no published figure on or before " + Day(v.Filters.Period.End)
			}
			if FromCouncilRecords(d.Result, d.Rows) {
				return fmt.Sprintf("%s · 31 March %s, the latest on or before %s · COUNCIL RECORDS: counted from the council's own records at each child's home postcode",
					v.Filters.Council.Name, d.Result.Str(d.Rows[0], "year"), Day(v.Filters.Period.End))
			}
			return fmt.Sprintf("%s · 31 March %s, the latest published on or before %s · modelled from the published total, not published by neighbourhood",
				v.Filters.Council.Name, d.Result.Str(d.Rows[0], "year"), Day(v.Filters.Period.End))
		}}
	Fund = &Figure{ID: "fund", Kind: Grouped, Question: "fund_progress",
		Title:    "Transformation Fund plan: progress from baseline to target (1 = target met)",
		Shows:    "How far each indicator has moved from its baseline towards its target, against how far it should be by now on a straight line.",
		Category: "id", Series: []Series{{"Progress", "progress"}, {"Expected by now", "expected"}},
		Axis: "share of the way to target"}
	SitesByLocality = &Figure{ID: "sites-by-locality", Kind: Grouped, Question: "sites_by_locality", Horizontal: true,
		Title:    "Sites open on the last day of the period, by locality",
		Shows:    "Whether every hub network has a family hub, and what else it offers, on the period's last day.",
		Category: "locality", Series: []Series{{"Family hubs", "hubs"}, {"Hublets", "hublets"}, {"Bridges", "bridges"}, {"Outreach sites", "outreach"}},
		Axis: "sites"}
	Neighbourhoods = &Figure{ID: "map", Kind: Map, Question: "reach_by_neighbourhood",
		Title:    "Children reached per 1,000, by neighbourhood (2021 LSOA)",
		Shows:    "Reach in each neighbourhood; suppressed neighbourhoods are hatched, not shown as zero.",
		Category: "lsoa21_code", Value: "reach_per_1000", ValueName: "reach per 1,000", Axis: "per 1,000 children 0-19"}
)

// StepUp is what happened next to the children the hubs first saw in the period: the share
// referred to children's social care within 6, 12 and 24 months of the first contact, with its
// limits (Kaplan-Meier cumulative incidence, measures' step_up), said to describe, not judge.
var StepUp = &Figure{ID: "step-up", Kind: Lines, Question: "step_up",
	Title: "Children referred to children's social care within 6, 12 and 24 months of their first family hub contact (cumulative %)",
	Shows: "Of the children the hubs first saw in the period, the share referred to children's social care by each time since that first contact, with 95% confidence limits. " +
		"Children not yet followed that long count for as long as they were followed (Kaplan-Meier), neither as referred nor as never referred.",
	Category: "months", Value: "cumulative_incidence", Lower: "cumulative_incidence_lower", Upper: "cumulative_incidence_upper",
	ValueName: "Referred (cumulative %)", Axis: "% of the children first seen",
	Label: func(r *queries.Result, row []any) string { return r.Str(row, "months") + " months" },
	Words: stepUpWords,
	Brief: []string{"months", "cohort", "followed", "events", "cumulative_incidence", "cumulative_incidence_lower", "cumulative_incidence_upper"},
}

// StepUpByIDACI is the step-up curve for each fifth of England's neighbourhoods by IDACI, of the
// family's home at the first contact (step_up_by_group); the limits are in its table.
var StepUpByIDACI = &Figure{ID: "step-up-idaci", Kind: Lines, Question: "step_up_by_group", Only: map[string]string{"breakdown": "idaci_quintile"},
	Title:    "Children referred to children's social care within 6, 12 and 24 months of their first family hub contact, by deprivation of their home (cumulative %)",
	Shows:    "The same share as above for each fifth of England's neighbourhoods by IDACI (1 = the most deprived 20%), of the family's home at the first contact; the 95% confidence limits are in the table.",
	Category: "months", SeriesBy: "category", SeriesOrder: []string{"1", "2", "3", "4", "5"}, Value: "cumulative_incidence", Axis: "% of the children first seen",
	Label:      func(r *queries.Result, row []any) string { return r.Str(row, "months") + " months" },
	SeriesName: func(v *View, name string) string { return quintileName(name) },
	Words:      func(v *View, d *Drawn) []string { return stepUpWords(v, d)[:2] },
	Brief:      []string{"category", "months", "cohort", "followed", "events", "cumulative_incidence", "cumulative_incidence_lower", "cumulative_incidence_upper"},
}

// StepUpGroups is the share referred within 6 months of the first contact for every group
// step_up_by_group answers: deprivation, locality, age band and service, with 95% limits.
var StepUpGroups = &Figure{ID: "step-up-groups", Kind: Bars, Question: "step_up_by_group", Only: map[string]string{"months": "6"}, Horizontal: true,
	Title: "Children referred to children's social care within 6 months of their first family hub contact, by deprivation, locality, age band and service (cumulative %)",
	Shows: "The share referred within 6 months for the council and for each group of the children first seen: the fifth of England's neighbourhoods by IDACI and the locality of their home, their age band and the service of that first contact, with 95% confidence limits. " +
		"Groups differ in the needs children bring, so a higher share is not a worse service.",
	Category: "category", Value: "cumulative_incidence", Lower: "cumulative_incidence_lower", Upper: "cumulative_incidence_upper",
	ValueName: "Referred within 6 months (%)", Axis: "% of the children first seen",
	Label: func(r *queries.Result, row []any) string {
		c := r.Str(row, "category")
		switch r.Str(row, "breakdown") {
		case "council":
			return "Whole council"
		case "idaci_quintile":
			return quintileName(c)
		case "age_band":
			return "Aged " + c
		case "service":
			return "Service: " + c
		}
		return c
	},
	Words: func(v *View, d *Drawn) []string { return stepUpWords(v, d)[:2] },
}

// Journeys are the usual paths of the children first seen in the period through children's
// social care in the 24 months after (journeys), as flows between stages for a Sankey diagram.
var Journeys = &Figure{ID: "journeys", Kind: Sankey, Question: "journeys",
	Title:    "Families' journeys: the paths of the children first seen by the hubs in the period, over the 24 months after",
	Shows:    "How many children went from the family hubs to a referral to children's social care or none, and on to a child in need episode, a protection plan or being looked after, and whether that was closed or still open: the width of each flow is its number of children.",
	Category: "source", Target: "target", Value: "children", ValueName: "Children",
	Words: func(v *View, d *Drawn) []string {
		var out []string
		for _, n := range d.Result.Notes {
			if !strings.HasPrefix(n, "Disclosure control") {
				out = append(out, n) // the question's own words: adjusted counts, descriptive not causal, follow-up, lower bound
			}
		}
		if !d.Plotted() || !anyPositive(d) {
			out = append([]string{"No path can be drawn: no child first seen in this period could be followed (the children's social care records may not reach it yet)."}, out...)
		}
		return out
	},
	Brief: []string{"source", "target", "children"},
}

// anyPositive says whether any drawn value is above zero.
func anyPositive(d *Drawn) bool {
	for _, l := range d.Lines {
		for _, x := range l.Values {
			if f, ok := measures.Number(x); ok && f > 0 {
				return true
			}
		}
	}
	return false
}

// quintileName names an IDACI quintile.
func quintileName(c string) string {
	switch c {
	case "1":
		return "IDACI quintile 1 (most deprived)"
	case "5":
		return "IDACI quintile 5 (least deprived)"
	}
	return "IDACI quintile " + c
}

// stepUpWords says how far the children could be followed, that the figure describes and does
// not judge, and its method.
func stepUpWords(v *View, d *Drawn) []string {
	r := d.Result
	var end time.Time
	if len(d.Rows) > 0 {
		end, _ = d.Rows[0][r.MustCol("follow_up_end")].(time.Time)
	}
	var first string
	switch {
	case end.IsZero():
		first = "This warehouse holds none of " + v.Filters.Council.Name + "'s referrals to children's social care child by child, so no child can be followed " +
			"and no share referred is given. A council shows it by loading its own records (hubs load-care)."
	case v.Filters.Period.Start.After(end):
		first = "The children first seen in this period cannot be followed yet: the children's social care records run to " + Day(end) +
			". Choose a period before then to see what happened next."
	case !d.Plotted():
		first = "No estimate can be shown: too few children were first seen in the period, still followed or referred (see the table)."
	default:
		first = "Each child is followed from their first contact to " + Day(end) + ", where the children's social care records end, or to their 18th birthday; " +
			"no estimate is given beyond the longest follow-up."
	}
	return []string{first, measures.StepUpCaution, "Method: " + measures.StepUpMethod}
}

// Reached is, of the children who started to be looked after (kind looked_after) or a protection
// plan (protection_plan) in the period, the share with a family hub contact in the 12 months
// before, for the council, each locality and each IDACI quintile (reached_before_crisis).
func Reached(kind, what string) *Figure {
	return &Figure{ID: "reached-" + kind, Kind: Bars, Question: "reached_before_crisis", Only: map[string]string{"kind": kind}, Horizontal: true,
		Title: "Children who started " + what + " in the period: the share the family hubs had seen in the 12 months before, by locality and deprivation",
		Shows: "Of the children who started " + what + ", the share with a contact with the council's family hubs in the 12 months before that start, with 95% confidence limits: " +
			"for the whole council, each locality and each fifth of England's neighbourhoods by IDACI (1 = the most deprived). The 24 months before are in the table.",
		Category: "category", Value: "share_reached_12m", Lower: "share_reached_12m_lower", Upper: "share_reached_12m_upper",
		ValueName: "Seen by the hubs in the 12 months before (%)", Axis: "% of the children starting",
		Label: func(r *queries.Result, row []any) string {
			c := r.Str(row, "category")
			switch r.Str(row, "breakdown") {
			case "all":
				return "Whole council"
			case "idaci_quintile":
				return quintileName(c)
			}
			if c == "not known" {
				return "Locality not known"
			}
			return c
		},
		Words: func(v *View, d *Drawn) []string { return reachedWords(v, d, what) },
		Brief: []string{"breakdown", "category", "children", "linked", "reached_12m", "share_reached_12m", "reached_24m", "share_reached_24m"},
	}
}

// ReachedFigures are the reached-before-crisis charts: children starting to be looked after, and
// starting a protection plan.
var ReachedFigures = []*Figure{Reached("looked_after", "to be looked after"), Reached("protection_plan", "a child protection plan")}

// reachedWords says the council's shares in a sentence, that they are a lower bound, and that they
// describe, not judge.
func reachedWords(v *View, d *Drawn, what string) []string {
	r := d.Result
	caution := "A lower bound: a child whose social care record is not linked to the hub records counts as not seen, so the share moves with the link rate. " +
		"Descriptive, not causal: it says which children the hubs had seen before, not what the hubs prevented or failed to prevent."
	for _, row := range d.Rows {
		if r.Str(row, "breakdown") != "all" {
			continue
		}
		if n, ok := measures.Number(row[r.MustCol("children")]); ok && n == 0 {
			return []string{"No child in the children's social care records held started " + what + " in this period: the records may not reach it yet.", caution}
		}
		cell := func(c string) string { return Cell(c, row[r.MustCol(c)]) }
		return []string{fmt.Sprintf("Of the %s children who started %s in %s, %s were seen by the family hubs in the 12 months before (%s%%, %s to %s) and %s in the 24 months before (%s%%); %s of them could be linked to the hub records.",
			cell("children"), what, v.Filters.Period.Label, cell("reached_12m"), cell("share_reached_12m"), cell("share_reached_12m_lower"), cell("share_reached_12m_upper"),
			cell("reached_24m"), cell("share_reached_24m"), cell("linked")), caution}
	}
	return []string{caution}
}

// ReachedTrend is, year by year, the share of the children starting to be looked after and of
// those starting a protection plan whom the hubs had seen in the 12 months before
// (reached_before_crisis_trend): set beside the council's looked-after rate (CareFigures[0]).
// Each line carries its 95% limits.
var ReachedTrend = &Figure{ID: "reached-trend", Kind: Lines, Question: "reached_before_crisis_trend",
	Title: "Children who started to be looked after, or a child protection plan, each year: the share the family hubs had seen in the 12 months before",
	Shows: "Each financial year the hub and care records cover whole, of the children who started to be looked after and of those who started a child protection plan, the share with a contact with the council's family hubs in the 12 months before that start; " +
		"with 95% confidence limits. Set it beside the council's rate of children looked after per 10,000 over the same years, in the chart of DfE's published figures.",
	Category: "year", SeriesBy: "kind", SeriesOrder: []string{"looked_after", "protection_plan"}, Value: "share_reached_12m",
	Lower: "share_reached_12m_lower", Upper: "share_reached_12m_upper",
	Axis:       "% of the children starting",
	SeriesName: func(v *View, name string) string { return reachedKinds[name] },
	Words:      reachedTrendWords,
	Brief:      []string{"kind", "year", "children", "linked", "reached_12m", "share_reached_12m", "share_reached_12m_lower", "share_reached_12m_upper"},
}

// reachedKinds name the kinds of start of the reached-before-crisis questions.
var reachedKinds = map[string]string{"looked_after": "Started to be looked after", "protection_plan": "Started a child protection plan"}

// reachedTrendWords say the latest year's shares with their limits and which years are given,
// that the shares are a lower bound moving with the link rate and describe, not judge, and
// that the council's looked-after rate is the chart to read them beside.
func reachedTrendWords(v *View, d *Drawn) []string {
	r := d.Result
	caution := "A lower bound: a child whose social care record is not linked to the hub records counts as not seen, so the share rises and falls with the link rate (linked, in the table) as much as with the hubs' reach. " +
		"Descriptive, not causal: it says which children the hubs had seen before, not what the hubs prevented or failed to prevent."
	beside := "Read it beside the council's rate of children looked after per 10,000 at 31 March (DfE's published figures, with England and the statistical neighbours): " +
		"whether more or fewer children came into care over the same years. The two are set side by side; neither explains the other."
	if len(d.Rows) == 0 {
		return []string{"No year can be shown: the warehouse holds none of " + v.Filters.Council.Name + "'s hub contacts, or none of its referrals to children's social care child by child, " +
			"so no whole year lies between the first 12 months of hub records and the end of the care records.", caution, beside}
	}
	first, last := r.Str(d.Rows[0], "year"), r.Str(d.Rows[len(d.Rows)-1], "year")
	var parts []string
	for _, kind := range []string{"looked_after", "protection_plan"} {
		var row []any
		for _, x := range d.Rows {
			if r.Str(x, "kind") == kind {
				row = x
			}
		}
		if row == nil {
			continue
		}
		cell := func(c string) string { return Cell(c, row[r.MustCol(c)]) }
		what := map[string]string{"looked_after": "started to be looked after", "protection_plan": "started a child protection plan"}[kind]
		parts = append(parts, fmt.Sprintf("of the %s children who %s, %s had been seen by the family hubs in the 12 months before (%s%%, %s to %s)",
			cell("children"), what, cell("reached_12m"), cell("share_reached_12m"), cell("share_reached_12m_lower"), cell("share_reached_12m_upper")))
		last = r.Str(row, "year")
	}
	said := fmt.Sprintf("In %s, %s.", last, strings.Join(parts, "; "))
	years := fmt.Sprintf("The years run from %s, the first whose 12 months before every start lie within the hub records, to %s, where the children's social care records end; "+
		"years outside these are left out, not shown as zero.", first, last)
	return []string{said, years, caution, beside}
}

// ReReferral is DfE's re-referral rate child by child, and the share of episodes stepped down to
// early help or hub support referred again within 12 months (re_referral).
var ReReferral = &Figure{ID: "re-referral", Kind: Bars, Question: "re_referral", Horizontal: true,
	Title: "Referred again within 12 months: re-referrals, and children stepped down to early help or the family hubs",
	Shows: "Re-referrals as DfE counts them (referrals in the period within 12 months of the child's previous one), and, of children's episodes of need that closed to early help or were followed by a hub contact, " +
		"the share referred again within 12 months of closure, with 95% confidence limits. Closures not yet followed 12 months are left out.",
	Category: "route", Value: "share_re_referred", Lower: "share_re_referred_lower", Upper: "share_re_referred_upper",
	ValueName: "Referred again within 12 months (%)", Axis: "% referred again within 12 months",
	Label: func(r *queries.Result, row []any) string {
		if r.Str(row, "measure") == "re_referral" {
			return "Re-referrals (DfE's measure)"
		}
		return "Stepped down: " + r.Str(row, "route")
	},
	Words: func(v *View, d *Drawn) []string {
		return []string{"Descriptive, not causal: children stepped down to early help or the hubs are not compared with children who were not, and the share referred again is not the hubs' effect."}
	},
	Brief: []string{"measure", "route", "cases", "re_referred", "short_follow_up", "share_re_referred", "share_re_referred_lower", "share_re_referred_upper"},
}

// LinkRates is how many of the children referred in the period could be linked to the hub
// records (link_rates): how far the questions over the links can see.
var LinkRates = &Figure{ID: "link-rates", Kind: Bars, Question: "link_rates", Horizontal: true,
	Title:    "Children referred to children's social care in the period whose records could be linked to the family hub records",
	Shows:    "The share of children referred in the period whose social care record carries the hub records' person id, by any method, by the person id of one system (the SSD's) and by a linkage key the council made in both extracts, with 95% confidence limits. Never guessed from names.",
	Category: "link_method", Value: "share_linked", Lower: "share_linked_lower", Upper: "share_linked_upper",
	ValueName: "Linked (%)", Axis: "% of children referred",
	Words: func(v *View, d *Drawn) []string { return []string{LinkRateSentence(d)} },
	Brief: []string{"link_method", "children_referred", "children_linked", "share_linked", "share_linked_lower", "share_linked_upper"},
}

// LinkRateSentence says the link rate in words: "n% of children with a referral could be linked
// to family hub records".
func LinkRateSentence(d *Drawn) string {
	r := d.Result
	for _, row := range d.Rows {
		if r.Str(row, "link_method") != "all" {
			continue
		}
		if _, ok := measures.Number(row[r.MustCol("share_linked")]); !ok {
			return "No child with a referral in this period is in the children's social care records held, so no link rate is given: the records may not reach it yet."
		}
		cell := func(c string) string { return Cell(c, row[r.MustCol(c)]) }
		return fmt.Sprintf("%s%% of children with a referral could be linked to family hub records (%s of %s referred in %s; 95%% limits %s to %s). "+
			"The outcome figures on the links are lower bounds that move with this rate: a child not linked may still have had hub help.",
			cell("share_linked"), cell("children_linked"), cell("children_referred"), d.view.Filters.Period.Label, cell("share_linked_lower"), cell("share_linked_upper"))
	}
	return "No link rate is given for this period."
}

// Care is the chart of one care measure against England and the statistical neighbours.
func Care(measure string) *Figure {
	return &Figure{ID: "care-" + measure, Kind: Lines, Question: "care_trend", Only: map[string]string{"measure": measure},
		Title:     CareName(measure) + " at 31 March per 10,000 children aged 0-17: council, England and statistical neighbours",
		Shows:     "DfE's published figures each year: the council's rate against England's and its ten statistical neighbours' average. Higher or lower is not by itself better or worse.",
		Category:  "year",
		Series:    []Series{{"council", "rate_per_10000"}, {"England", "england_rate_per_10000"}, {"Statistical neighbours (average)", "neighbours_rate_per_10000"}},
		Axis:      "per 10,000 children 0-17",
		TrimEmpty: true,
		Label: func(r *queries.Result, row []any) string {
			y := r.Str(row, "year")
			if r.Str(row, "series") == "predecessor" {
				return y + " (" + r.Str(row, "area_name") + ")"
			}
			return y
		},
		SeriesName: func(v *View, name string) string {
			if name == "council" {
				return v.Filters.Council.Name
			}
			return name
		},
		Subtitler: func(v *View, d *Drawn) string {
			return v.Filters.Council.Name + " · DfE, real figures · every year published"
		},
	}
}

// CareFigures are the three care charts, in order.
var CareFigures = []*Figure{Care("looked_after"), Care("in_need"), Care("protection_plan")}

// Benchmark is a care measure's benchmark table, as DfE's LA Interactive Tool gave it: the council,
// each statistical neighbour by name, their average, the region and England, with ranks,
// quartiles and the council's trend in its table.
func Benchmark(measure string) *Figure {
	return &Figure{ID: "benchmark-" + measure, Kind: Bars, Question: "care_benchmark", Only: map[string]string{"measure": measure},
		Title:      CareName(measure) + " at 31 March per 10,000 children aged 0-17: the council against each statistical neighbour, the region and England",
		Shows:      "The latest year DfE published: each neighbour by name, with every council's rank and quartile among English councils (1 = the lowest rate) in the table. Higher or lower is not by itself better or worse.",
		Category:   "area_name",
		Value:      "rate_per_10000",
		ValueName:  "Rate per 10,000",
		Axis:       "per 10,000 children 0-17",
		Horizontal: true,
		Subtitler: func(v *View, d *Drawn) string {
			year := ""
			if len(d.Rows) > 0 {
				year = " · 31 March " + d.Result.Str(d.Rows[0], "year")
			}
			return v.Filters.Council.Name + year + " · DfE, real figures"
		},
	}
}

// CareMeasure is one of the other measures a council benchmarks (care_measures: referrals,
// re-referrals, repeat protection plans, long plans): the council against its statistical
// neighbours' average, its region and England, rank and quartile in the table.
func CareMeasure(measure, title string) *Figure {
	return &Figure{ID: "care-measure-" + measure, Kind: Bars, Question: "care_measures", Only: map[string]string{"measure": measure},
		Title:      title + ": the council against its statistical neighbours' average, the region and England",
		Shows:      "The latest year DfE published for the council, with its rank and quartile among English councils (1 = the lowest) in the table. Higher or lower is not by itself better or worse.",
		Category:   "area_name",
		Value:      "value",
		ValueName:  title,
		Axis:       "",
		Horizontal: true,
		Subtitler: func(v *View, d *Drawn) string {
			s := v.Filters.Council.Name
			if len(d.Rows) > 0 {
				s += " · year to 31 March " + d.Result.Str(d.Rows[0], "year") + " · " + d.Result.Str(d.Rows[0], "value_unit")
			}
			return s + " · DfE, real figures"
		},
	}
}

// OtherCareFigures are the other measures' figures, in order.
var OtherCareFigures = []*Figure{
	CareMeasure("referrals", "Referrals to children's social care per 10,000 children aged 0-17"),
	CareMeasure("rereferrals", "Re-referrals within 12 months, % of referrals"),
	CareMeasure("subsequent_plans", "Second or later child protection plans, % of plans starting"),
	CareMeasure("plans_2_years_or_more", "Child protection plans lasting 2 years or more, % of plans at 31 March"),
}

// CareFactors are the factors identified at the end of children in need assessments (care_factors,
// DfE table C3) that a family hubs service works on: the council's share of episodes for each,
// beside its statistical neighbours' average, its region and England, in one chart; the table adds
// the council's counts and its rank and quartile among English councils. A figure DfE did not
// publish is its symbol in the cell, marked on the chart and printed in both tables.
var CareFactors = &Figure{ID: "care-factors", Kind: Grouped, Question: "care_factors", Horizontal: true,
	Title: "Factors identified at the end of children in need assessments, % of episodes with any factor: the council against its statistical neighbours' average, the region and England",
	Shows: "How often each factor a family hubs service works on was found when social workers completed an assessment, as a share of the episodes where any factor was recorded " +
		"(an episode can have several, so the shares do not add to 100), with the council's rank and quartile among English councils (1 = the lowest share) in the table. " +
		"A symbol (c, x, u, z) is a figure DfE did not publish, not a zero. Higher or lower is not by itself better or worse.",
	Category: "factor_name",
	Series: []Series{{"council", "percent"}, {"Statistical neighbours (average)", "neighbours_percent"},
		{"Region", "region_percent"}, {"England", "england_percent"}},
	Axis: "% of episodes with factors",
	SeriesName: func(v *View, name string) string {
		if name == "council" {
			return v.Filters.Council.Name
		}
		return name
	},
	Subtitler: func(v *View, d *Drawn) string {
		if len(d.Rows) == 0 {
			return v.Filters.Council.Name + " · no published figure on or before " + Day(v.Filters.Period.End)
		}
		return fmt.Sprintf("%s · year to 31 March %s · region: %s · DfE table C3, real figures",
			v.Filters.Council.Name, d.Result.Str(d.Rows[0], "year"), d.Result.Str(d.Rows[0], "region_name"))
	},
}

// Benchmarks are the three benchmark tables, in order.
var Benchmarks = []*Figure{Benchmark("looked_after"), Benchmark("in_need"), Benchmark("protection_plan")}

// Layout says which declared figures each page draws, in order, after any tiles of its own. A
// figure added here appears on the page; added to Briefing, in the briefing too.
var Layout = map[string][]*Figure{
	"overview": {ReachIDACI, ReachTrend},
	"reach":    {ReachIDACI, Expectant, Inequality, ReachIMD, Localities, England},
	"map":      {Neighbourhoods},
	"services": {ServiceMix, ChannelMix, Sites, SitesByLocality, ReachTrend},
	"care":     append(append(append(append([]*Figure{}, CareFigures...), Benchmarks...), OtherCareFigures...), CareFactors, CareModelled),
	"fund":     append([]*Figure{Fund}, ProgrammeFunds...), // Fund's every line as tiles, then a chart per programme
	"next":     {StepUp, StepUpByIDACI, StepUpGroups, ReachedFigures[0], CareFigures[0], ReachedTrend, ReachedFigures[1], ReReferral, Journeys, LinkRates},
	"access":   AccessFigures,
}

// Section is a part of the briefing: a heading and the figures under it.
type Section struct {
	Heading string
	Figures []*Figure
}

// Briefing lists the briefing's charts by section.
var Briefing = []Section{
	{"Reach and inequality", []*Figure{ReachIDACI, Expectant, ReachTrend, Localities, SitesByLocality}},
	// beside reach (and not last: the renderers print the last section, what happened next, after the services and the map)
	{AccessHeading, []*Figure{AccessCoverage, NextHub, GLD}},
	{"Children's social care", append(append([]*Figure{}, CareFigures...), Benchmarks[0], CareFactors, CareModelled)},
	{"What happened next", append(append([]*Figure{StepUp, StepUpByIDACI}, ReachedFigures...), ReachedTrend, ReReferral, Journeys, LinkRates)},
}

// All lists every declared figure: the pages and the briefing draw only these.
func All() []*Figure {
	return append([]*Figure{ReachIDACI, Expectant, ReachIMD, ReachTrend, Inequality, Localities, England, ServiceMix, ChannelMix, Sites,
		CareModelled, Fund, SitesByLocality, Neighbourhoods, CareFactors, StepUp, StepUpByIDACI, StepUpGroups, ReachedTrend, ReReferral, Journeys, LinkRates}, append(append(append(append(append([]*Figure{}, CareFigures...), Benchmarks...), append(append([]*Figure{}, OtherCareFigures...), ReachedFigures...)...), AccessFigures...), ProgrammeFunds...)...)
}
