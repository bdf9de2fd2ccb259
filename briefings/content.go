package briefings

import (
	"fmt"
	"strings"
	"time"

	"familyhubs/answers"
	"familyhubs/datasets"
	"familyhubs/measures"
)

// The briefing's words and tables are worked out here, once, and printed by both renderers: the
// PDF (fpdf) and the HTML briefing (and through it the tagged PDF). Neither renderer formats a
// figure or words a sentence of its own, so the two cannot disagree.

// Table is a table as every renderer prints it: the same headers, the same cells.
type Table struct {
	Caption string
	Cols    []string
	Align   string     // per column: L (text) or R (numbers, right-aligned)
	Rows    [][]string // cells as printed
	Status  []string   // per row, the plan's red / amber / green of the last column ("" none); nil: none
}

// Numeric says whether column i holds numbers (right-aligned).
func (t Table) Numeric(i int) bool { return i < len(t.Align) && t.Align[i] == 'R' }

// Footer is the line every page of the PDF ends with, and the HTML briefing too.
const Footer = "Counts of 1 to 5 are shown as c (DfE disclosure control); figures from synthetic service data are labelled."

// Untagged is the label of a briefing written by fpdf, which cannot tag a PDF for screen readers.
const Untagged = "Untagged PDF: this file is not tagged for screen readers. Publish the HTML briefing (hubs brief --html) or the tagged PDF (hubs brief --tagged) instead."

// Cover is what the cover says about the briefing.
type Cover struct {
	Title   string // "Family Hubs briefing"
	Of      string // council · period
	Period  string // the period line: dates, filters, comparison, production date
	Data    string // the sources
	Labels  string // SYNTHETIC, MODELLED, ILLUSTRATIVE
	Partial string // the period runs past the data, or ""
}

func coverOf(f *Figures, date time.Time) Cover {
	fl := f.View.Filters
	filters := ""
	if fl.Locality != "" {
		filters += "Locality: " + fl.Locality + ". "
	}
	if fl.Service != "" {
		filters += "Service: " + fl.Service + ". "
	}
	synthetic := ""
	if f.View.Coverage.Synthetic {
		synthetic = "SYNTHETIC: service contacts, families and reach in this demonstration are generated, not real records. "
	}
	return Cover{
		Title: "Family Hubs briefing",
		Of:    fl.Council.Name + " · " + fl.Period.Label,
		Period: fmt.Sprintf("Period: %s. %sCompared with %s. Produced %s.", periodText(fl.Period), filters,
			answers.Compared(fl.Period), date.Format("2 January 2006")),
		Data: "Data: deprivation from the " + datasets.IoD2025 + "; population from " + datasets.MidYear +
			"; children's social care from DfE's published statistics (children looked after 2011-2025; children in need and child protection plans 2013-2025), real figures.",
		Labels: synthetic +
			"MODELLED: any neighbourhood split of care numbers is modelled from the published council totals, unless marked COUNCIL RECORDS (counted from the council's own records). " +
			"ILLUSTRATIVE: facts the council has not published (some localities, sites and plan targets) are marked and are for the council to replace.",
		Partial: f.Headlines.Partial,
	}
}

// headlineTable is the overview's tiles as a table: the same figures, the same words.
func headlineTable(f *Figures) Table {
	t := Table{Caption: "Headline figures", Cols: []string{"Figure", "Value", "Compared with, and notes"}, Align: "LRL"}
	for _, tile := range f.Headlines.Tiles {
		label := tile.Label
		if len(tile.Labels) > 0 {
			label += " (" + strings.Join(tile.Labels, ", ") + ")"
		}
		t.Rows = append(t.Rows, []string{label, tile.Value, strings.TrimSpace(tile.Change + ". " + tile.Note)})
	}
	return t
}

// planTable is the Transformation Fund plan with each line's red / amber / green; nil without a plan.
func planTable(f *Figures) *Table {
	pl := f.Plan
	if len(pl.Rows) == 0 {
		return nil
	}
	t := &Table{Caption: "Transformation Fund plan and Best Start local plan (each line's programme by its id): each indicator against its target",
		Cols: []string{"Id", "Indicator", "Baseline", "Target", "Due", "Achieved", "Measured for", "Status"}, Align: "LLRRLRLL"}
	r := pl.Result
	for _, row := range pl.Rows {
		indicator := r.Str(row, "indicator")
		if row[r.MustCol("illustrative")] == true {
			indicator += " (illustrative target)"
		}
		measured := r.Str(row, "as_of")
		if r.Col("measured_for") >= 0 {
			measured = r.Str(row, "measured_for")
		}
		t.Rows = append(t.Rows, []string{r.Str(row, "id"), indicator,
			answers.Plain(row[r.MustCol("baseline")]), answers.Plain(row[r.MustCol("target")]), r.Str(row, "due"),
			answers.Plain(row[r.MustCol("achieved")]), measured, r.Str(row, "status")})
		t.Status = append(t.Status, r.Str(row, "status"))
	}
	return t
}

// Mode is how a figure is printed.
type Mode int

const (
	Chart     Mode = iota // a chart (bars or lines)
	Series                // its series as a table (stacked and grouped bars: clearer on paper)
	Unplotted             // nothing drawn: the words say why, the declared table what there is (and a Sankey's flows)
)

// item is a figure as the briefing prints it.
type item struct {
	*answers.Drawn
	Mode Mode
}

// items are the figures of section i of answers.Briefing as the briefing prints them.
func items(f *Figures, i int) []item {
	var out []item
	for _, dr := range f.Sections[i] {
		if dr.Figure == answers.AccessCoverage {
			dr = accessLead(f.Sections[i], dr)
		}
		switch {
		case dr.Kind == answers.Bars && len(dr.Categories) < 2:
			continue // a locality view has one locality: no chart of one bar
		case dr.Kind == answers.Sankey || (dr.Said != nil && !dr.Plotted()):
			out = append(out, item{dr, Unplotted})
		case dr.Kind == answers.Stacked || dr.Kind == answers.Grouped:
			out = append(out, item{dr, Series})
		default:
			out = append(out, item{dr, Chart})
		}
	}
	return out
}

// accessLead is the access coverage figure with the section's sentence a cabinet reads put first
// among its words ("X% of children aged 0-4 in the most deprived neighbourhoods live within 2 km
// of a family hub (Y% of other children); two more hubs at A and B would raise it to Z%"),
// worked from the coverage and next-hub figures' rows by answers.AccessSentence; the GLD
// figure's own words lead with its line. A copy, so that printing twice does not say it twice.
func accessLead(section []*answers.Drawn, cov *answers.Drawn) *answers.Drawn {
	for _, d := range section {
		if d.Figure == answers.NextHub {
			c := *cov
			c.Said = append([]string{answers.AccessSentence(cov, d)}, cov.Said...)
			return &c
		}
	}
	return cov
}

// subtitle is a figure's subtitle as printed: a chart's carries its data labels.
func subtitle(dr *answers.Drawn, m Mode) string {
	sub := dr.Subtitle + " · query " + dr.Question
	if m != Chart {
		return sub
	}
	if dr.Synthetic() {
		sub += " · SYNTHETIC service data"
	}
	if answers.ModelledRows(dr.Result, dr.Rows) {
		sub += " · MODELLED"
	}
	if answers.FromCouncilRecords(dr.Result, dr.Rows) {
		sub += " · COUNCIL RECORDS"
	}
	for _, sc := range dr.Scope {
		sub += " · " + sc
	}
	return sub
}

// reconciliations are the sentences a chart of council records prints under it.
func reconciliations(dr *answers.Drawn, m Mode) []string {
	if m == Chart && answers.FromCouncilRecords(dr.Result, dr.Rows) {
		return answers.Reconciliations(dr.Result)
	}
	return nil
}

// seriesTable is a figure's categories and series: the table stacked and grouped bars print as,
// and the table beside a chart in the HTML briefing (with the chart's limits).
func seriesTable(dr *answers.Drawn, limits bool) Table {
	head := "Category"
	if dr.Category != "" {
		head = answers.ColumnName(dr.Category)
	}
	t := Table{Caption: dr.Title, Cols: []string{head}, Align: "L"}
	for _, l := range dr.Lines {
		name := l.Name
		if name == "" {
			name = answers.ColumnName(l.Column)
		}
		t.Cols, t.Align = append(t.Cols, name), t.Align+"R"
		if limits && l.Lower != nil {
			lim := "95%"
			if strings.HasPrefix(dr.Limits, "99.8") {
				lim = "99.8%"
			}
			t.Cols, t.Align = append(t.Cols, "Lower "+lim+" limit", "Upper "+lim+" limit"), t.Align+"RR"
		}
	}
	for i, c := range dr.Categories {
		row := []string{c}
		for _, l := range dr.Lines {
			row = append(row, answers.Format(l.Values[i], answers.Decimals(l.Column)))
			if limits && l.Lower != nil {
				row = append(row, answers.Format(l.Lower[i], answers.Decimals(l.Column)), answers.Format(l.Upper[i], answers.Decimals(l.Column)))
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// briefTable is a figure's declared table (Brief), as the page shows it; nil without one.
func briefTable(dr *answers.Drawn) *Table {
	if len(dr.Brief) == 0 || len(dr.Rows) == 0 {
		return nil
	}
	r := dr.Result
	t := &Table{Caption: dr.Title}
	for _, c := range dr.Brief {
		align := "L"
		if answers.Numeric(c, dr.Rows, r.MustCol(c)) {
			align = "R"
		}
		t.Cols, t.Align = append(t.Cols, answers.ColumnName(c)), t.Align+align
	}
	for _, row := range dr.Rows {
		var cells []string
		for _, c := range dr.Brief {
			cells = append(cells, answers.Cell(c, row[r.MustCol(c)]))
		}
		t.Rows = append(t.Rows, cells)
	}
	return t
}

// servicesTable is contacts by service and age band, with each service's Start for Life funded
// strand, under disclosure control: the services figure's own rows.
func servicesTable(f *Figures) Table {
	s := f.Services
	r := s.Result
	strand := map[string]string{}
	for _, row := range s.Rows {
		strand[r.Str(row, "service")] = r.Str(row, "funded_strand")
	}
	t := Table{Caption: "Contacts by service and age band of the child", Cols: append([]string{"Service", "Start for Life funded strand"}, answers.AgeBands...), Align: "LL" + strings.Repeat("R", len(answers.AgeBands))}
	for i, svc := range s.Categories {
		row := []string{svc, strand[svc]}
		for _, b := range answers.AgeBands {
			cell := ""
			for _, l := range s.Lines {
				if l.Name == b {
					cell = answers.Format(l.Values[i], 0)
					if l.Values[i] == nil {
						cell = ""
					}
				}
			}
			row = append(row, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

const servicesHeading = "Services used: contacts by service and age band"

// servicesNote is what the services table shows, printed under it.
func servicesNote(f *Figures) string {
	return "What this shows: " + f.Services.Shows + syntheticNote(f.Services) + " Query service_mix. Age band of the child the contact concerned (0-2 includes before birth; 20-25 with SEND only). " + Policy.Description()
}

// syntheticNote labels a figure of generated contacts.
func syntheticNote(dr *answers.Drawn) string {
	if dr.Synthetic() {
		return " SYNTHETIC service data."
	}
	return ""
}

// methods are the paragraphs of the methods and sources.
func methods(synthetic bool) []string {
	demo := ""
	if synthetic {
		demo = " In this demonstration the records are SYNTHETIC: generated with a fixed seed to behave like real use, not real families."
	}
	return []string{
		"Reach: distinct children and young people born and aged 0-19 with at least one contact in the period, and distinct families, from service contact records. A contact before a child's birth (antenatal help) counts its family as an expectant family, not the unborn child as a child reached: no count of residents holds unborn children." + demo,
		"Rates: reach per 1,000 children aged 0-19 resident at the previous mid-year of the period's financial year (DfE/ONS council totals shared among 2021 LSOAs by Census 2021 children 0-15 and ONS mid-2020 ages 16-19; the latest, mid-2024, for later years); care per 10,000 children aged 0-17 at the previous mid-year, as DfE. Reach is a proportion, with 95% limits by the Wilson score method; care rates by Byar's method, with exact Poisson limits from the chi-squared distribution under 10 events (PHEindicatormethods, OHID Fingertips).",
		fmt.Sprintf("Inequality: slope index (SII) and relative index (RII) of inequality across national IDACI deciles after Low and Low (2004), as PHEindicatormethods phe_sii and Fingertips: deciles ordered most to least deprived, each at the midpoint of its cumulative population share, regression weighted by population share; confidence limits by simulation, %d repetitions, seed %d. A negative SII means more reach where deprivation is higher. IDACI ranks neighbourhoods by children aged 0-15 in income-deprived families; reach counts children aged 0-19.", measures.SIIRepetitions, measures.SIISeed),
		"Wording: a figure 'rose' or 'fell', or is 'higher' or 'lower' than a benchmark, only where the 95% confidence intervals do not overlap (or the interval excludes the benchmark value); otherwise it is 'similar'. Care figures carry no judgement of better or worse. Trends: OHID Fingertips' trend marker: chi-squared test for trend over the latest five consecutive years of the same series at 99.8%, called only if its direction holds with each year left out; otherwise no significant change.",
		"Disclosure control: " + Policy.Description() + " A suppressed figure is never shown as zero.",
		"Deprivation: " + datasets.IoD2025 + ". IoD2019 ranks, where shown elsewhere, are a different edition and not comparable rank for rank. National deciles: 1 = the most deprived 10% of neighbourhoods in England.",
		"Children's social care: DfE, Children looked after in England including adoptions (SFR 2011-2017; releases 2023 and 2025); DfE, Characteristics of children in need (tables B1 and D5; table C3 for the factors identified at the end of assessment, as a share of episodes with any factor, region and England from DfE's counts rounded to 10); DfE statistical neighbours (April 2021). Figures DfE did not publish keep its symbols (c, x, u, z). Cumbria's series runs to 2023; Cumberland and Westmorland and Furness from 2024.",
		"Transformation Fund plan: the council's own file; indicators the council has not published are marked illustrative there. " + measures.FundRule,
		datasets.OGL,
	}
}
