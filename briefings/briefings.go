// Package briefings writes the cabinet briefing: an A4 PDF per council and period, from the same
// named questions as the dashboards (through package measures), with key messages worded by
// statistical significance, vector charts, the plan's red / amber / green, and a methods page.
// Disclosure control is always on. Given a fixed date, the same warehouse gives the same bytes.
package briefings

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"familyhubs/datasets"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

var (
	//go:embed fonts/DejaVuSans.ttf
	dejaVu []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	dejaVuBold []byte
)

// Policy is the disclosure control every briefing applies.
var Policy = stats.DfE

// Request says which briefing to write.
type Request struct {
	Filters queries.Filters
	Date    time.Time // the production date printed and stored; zero: today
}

// Figures are the numbers a briefing prints, each from a named query.
type Figures struct {
	Deciles, PrevDeciles, Localities, Trend, Inequality, Care, Plan, Services *queries.Result
	Neighbourhoods, Sites                                                     *queries.Result
	Reached, PrevReached, Families                                            float64
	Reach12, Reach12Lower, Reach12Upper                                       float64 // per 1,000 in IDACI deciles 1-2
	ReachRest, ReachRestLower, ReachRestUpper                                 float64 // deciles 3-10
	PrevRate, Rate, RateLower, RateUpper, PrevLower, PrevUpper                float64 // council reach per 1,000
	SIIRow, PrevSIIRow                                                        []any
	CareRows                                                                  map[string][]any // latest row per measure
}

// Gather runs the named questions the briefing needs.
func Gather(ctx context.Context, db queries.Querier, f queries.Filters) (*Figures, error) {
	run := func(name string, fl queries.Filters) (*queries.Result, error) {
		return measures.Run(ctx, db, name, fl.Args(), Policy)
	}
	prev := f
	prev.Period = queries.Period{Label: "previous year", Start: f.Period.Start.AddDate(-1, 0, 0), End: f.Period.End.AddDate(-1, 0, 0)}
	fig := &Figures{CareRows: map[string][]any{}}
	var err error
	steps := []struct {
		dst  **queries.Result
		name string
		fl   queries.Filters
	}{
		{&fig.Deciles, "reach_by_decile", f}, {&fig.PrevDeciles, "reach_by_decile", prev},
		{&fig.Localities, "reach_by_locality", f}, {&fig.Trend, "reach_trend", f},
		{&fig.Inequality, "inequality_summary", f}, {&fig.Care, "care_trend", f},
		{&fig.Plan, "fund_progress", f}, {&fig.Services, "service_mix", f},
		{&fig.Neighbourhoods, "reach_by_neighbourhood", f}, {&fig.Sites, "site_activity", f},
	}
	for _, s := range steps {
		if *s.dst, err = run(s.name, s.fl); err != nil {
			return nil, err
		}
	}
	// Totals and the deprivation split, computed once for the overview tile and the briefing.
	now, before := measures.SplitByDeprivation(fig.Deciles), measures.SplitByDeprivation(fig.PrevDeciles)
	fig.Reached, fig.PrevReached, fig.Families = now.Reached, before.Reached, now.Families
	fig.Rate, fig.RateLower, fig.RateUpper = now.All.Value, now.All.Lower, now.All.Upper
	fig.PrevRate, fig.PrevLower, fig.PrevUpper = before.All.Value, before.All.Lower, before.All.Upper
	fig.Reach12, fig.Reach12Lower, fig.Reach12Upper = now.Deprived.Value, now.Deprived.Lower, now.Deprived.Upper
	fig.ReachRest, fig.ReachRestLower, fig.ReachRestUpper = now.Rest.Value, now.Rest.Lower, now.Rest.Upper
	fy := queries.FinancialYear(f.Period.Start)
	prevFY := queries.FinancialYear(f.Period.Start.AddDate(-1, 0, 0))
	for _, row := range fig.Inequality.Rows {
		switch queries.Text(row[fig.Inequality.Col("year")]) {
		case fy:
			fig.SIIRow = row
		case prevFY:
			fig.PrevSIIRow = row
		}
	}
	endYear := f.Period.End.Year()
	for _, row := range fig.Care.Rows {
		y, _ := measures.Number(row[fig.Care.Col("year")])
		if int(y) <= endYear && row[fig.Care.Col("rate_per_10000")] != nil {
			fig.CareRows[queries.Text(row[fig.Care.Col("measure")])] = row
		}
	}
	return fig, nil
}

func dashboardsOnly(r *queries.Result, col, want string) [][]any {
	var out [][]any
	for _, row := range r.Rows {
		if queries.Text(row[r.Col(col)]) == want {
			out = append(out, row)
		}
	}
	return out
}

// overlap reports whether two 95% intervals overlap: if they do, a difference is not significant.
func overlap(aLo, aHi, bLo, bHi float64) bool { return aLo <= bHi && bLo <= aHi }

// KeyMessages are the briefing's sentences, each with its figure, worded by significance:
// "rose" or "fell" only where the 95% intervals do not overlap, "similar" where they do.
func KeyMessages(f *Figures, council string, period queries.Period) []string {
	var msgs []string
	change := "was similar to the year before"
	if f.PrevRate > 0 && !overlap(f.RateLower, f.RateUpper, f.PrevLower, f.PrevUpper) {
		if f.Rate > f.PrevRate {
			change = fmt.Sprintf("rose from %s per 1,000 the year before", one(f.PrevRate))
		} else {
			change = fmt.Sprintf("fell from %s per 1,000 the year before", one(f.PrevRate))
		}
	}
	msgs = append(msgs, fmt.Sprintf("Family hubs reached %s children and young people and %s families in %s: %s per 1,000 children (95%% CI %s to %s), which %s.",
		whole(f.Reached), whole(f.Families), period.Label, one(f.Rate), one(f.RateLower), one(f.RateUpper), change))
	if f.ReachRest > 0 && !math.IsNaN(f.Reach12) {
		rel := "similar to"
		if !overlap(f.Reach12Lower, f.Reach12Upper, f.ReachRestLower, f.ReachRestUpper) {
			if f.Reach12 > f.ReachRest {
				rel = "significantly higher than"
			} else {
				rel = "significantly lower than"
			}
		}
		msgs = append(msgs, fmt.Sprintf("Children in the 20%% most deprived neighbourhoods (IDACI deciles 1-2) were reached at %s per 1,000 (%s to %s), %s the rest of the council at %s per 1,000: %s times the rate.",
			one(f.Reach12), one(f.Reach12Lower), one(f.Reach12Upper), rel, one(f.ReachRest), two(f.Reach12/f.ReachRest)))
	}
	if f.SIIRow != nil {
		r := f.Inequality
		sii, lo, hi := num(f.SIIRow[r.Col("sii")]), num(f.SIIRow[r.Col("sii_lower")]), num(f.SIIRow[r.Col("sii_upper")])
		msg := fmt.Sprintf("The slope index of inequality in reach was %s per 1,000 (%s to %s) in %s", one(sii), one(lo), one(hi), queries.Text(f.SIIRow[r.Col("year")]))
		if f.PrevSIIRow != nil {
			psii, plo, phi := num(f.PrevSIIRow[r.Col("sii")]), num(f.PrevSIIRow[r.Col("sii_lower")]), num(f.PrevSIIRow[r.Col("sii_upper")])
			switch {
			case overlap(lo, hi, plo, phi):
				msg += fmt.Sprintf(", not significantly different from %s the year before", one(psii))
			case math.Abs(sii) > math.Abs(psii):
				msg += fmt.Sprintf(", a steeper gradient than the year before (%s): reach is concentrated more where deprivation is higher", one(psii))
			default:
				msg += fmt.Sprintf(", a shallower gradient than the year before (%s)", one(psii))
			}
		}
		msgs = append(msgs, msg+".")
	}
	if row, ok := f.CareRows["looked_after"]; ok {
		r := f.Care
		vs := queries.Text(row[r.Col("vs_england")])
		word := map[string]string{stats.Higher: "higher than", stats.Lower: "lower than", stats.Similar: "similar to"}[vs]
		if word == "" {
			word = "not compared with"
		}
		trend := queries.Text(row[r.Col("trend")])
		tw := map[string]string{stats.Increasing: "rising over the last five years", stats.Decreasing: "falling over the last five years",
			stats.NoChange: "with no significant change over the last five years", stats.TooFewPoints: "with too few years since the last reorganisation to judge a trend"}[trend]
		msgs = append(msgs, fmt.Sprintf("At 31 March %s, %s children were looked after, %s per 10,000 children (%s to %s): %s England (%s) and the statistical neighbours' average (%s is %s), %s.",
			queries.Text(row[r.Col("year")]), whole(num(row[r.Col("number")])), one(num(row[r.Col("rate_per_10000")])),
			one(num(row[r.Col("rate_per_10000_lower")])), one(num(row[r.Col("rate_per_10000_upper")])), word,
			one(num(row[r.Col("england_rate_per_10000")])), one(num(row[r.Col("neighbours_rate_per_10000")])),
			queries.Text(row[r.Col("vs_neighbours")]), tw))
	}
	if len(f.Plan.Rows) > 0 {
		counts := map[string]int{}
		var reds []string
		for _, row := range f.Plan.Rows {
			s := queries.Text(row[f.Plan.Col("status")])
			counts[s]++
			if s == "red" {
				reds = append(reds, queries.Text(row[f.Plan.Col("id")]))
			}
		}
		msg := fmt.Sprintf("Of %d plan milestones, %d are green, %d amber and %d red", len(f.Plan.Rows), counts["green"], counts["amber"], counts["red"])
		if len(reds) > 0 {
			msg += " (" + strings.Join(reds, ", ") + ")"
		}
		msgs = append(msgs, msg+".")
	}
	if len(f.Localities.Rows) > 1 {
		r := f.Localities
		hi, lo := f.Localities.Rows[0], f.Localities.Rows[0]
		for _, row := range r.Rows {
			if num(row[r.Col("reach_per_1000")]) > num(hi[r.Col("reach_per_1000")]) {
				hi = row
			}
			if num(row[r.Col("reach_per_1000")]) < num(lo[r.Col("reach_per_1000")]) {
				lo = row
			}
		}
		rel := "a difference that is statistically significant"
		if overlap(num(hi[r.Col("reach_per_1000_lower")]), num(hi[r.Col("reach_per_1000_upper")]),
			num(lo[r.Col("reach_per_1000_lower")]), num(lo[r.Col("reach_per_1000_upper")])) {
			rel = "a difference that may be chance"
		}
		msgs = append(msgs, fmt.Sprintf("Reach was highest in %s (%s per 1,000) and lowest in %s (%s per 1,000), %s.",
			queries.Text(hi[r.Col("locality")]), one(num(hi[r.Col("reach_per_1000")])),
			queries.Text(lo[r.Col("locality")]), one(num(lo[r.Col("reach_per_1000")])), rel))
	}
	return msgs
}

func num(v any) float64 {
	f, ok := measures.Number(v)
	if !ok {
		return math.NaN()
	}
	return f
}

// one prints a figure to one decimal place; a figure that cannot be computed (no one resident)
// prints as n/a, never as a number.
func one(f float64) string {
	if math.IsNaN(f) {
		return "n/a"
	}
	return groupThousands(fmt.Sprintf("%.1f", f))
}
func two(f float64) string   { return fmt.Sprintf("%.1f", f) }
func whole(f float64) string { return groupThousands(fmt.Sprintf("%.0f", f)) }

// shown prints a cell as the briefing shows it: the number (1 decimal for rates), or the
// suppression symbol.
func shown(v any, decimals int) string {
	if s, ok := v.(stats.Suppressed); ok {
		return s.Symbol
	}
	f, ok := measures.Number(v)
	if !ok {
		if v == nil {
			return ".."
		}
		return queries.Text(v)
	}
	return groupThousands(fmt.Sprintf("%.*f", decimals, f))
}

// Write renders the briefing to w.
func Write(ctx context.Context, db queries.Querier, req Request, w io.Writer) error {
	fig, err := Gather(ctx, db, req.Filters)
	if err != nil {
		return err
	}
	date := req.Date
	if date.IsZero() {
		date = time.Now()
	}
	date = date.UTC()
	b := newDoc(req.Filters, date)
	b.cover(fig, date)
	b.headlines(fig)
	b.charts(fig)
	b.neighbourhoodMap(fig)
	b.services(fig)
	b.methods()
	return b.pdf.Output(w)
}

// Bytes renders the briefing into memory.
func Bytes(ctx context.Context, db queries.Querier, req Request) ([]byte, error) {
	var buf bytes.Buffer
	if err := Write(ctx, db, req, &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type doc struct {
	pdf *fpdf.Fpdf
	f   queries.Filters
}

const (
	left, right, top, bottom = 18.0, 192.0, 22.0, 275.0
	width                    = right - left
)

func newDoc(f queries.Filters, date time.Time) *doc {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("DejaVu", "", dejaVu)
	pdf.AddUTF8FontFromBytes("DejaVu", "B", dejaVuBold)
	pdf.SetMargins(left, top, 210-right)
	pdf.SetAutoPageBreak(true, 297-bottom)
	// reproducible: fixed dates, sorted catalogue
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.SetCatalogSort(true)
	title := fmt.Sprintf("Family Hubs briefing: %s, %s", f.Council.Name, f.Period.Label)
	pdf.SetTitle(title, true)
	pdf.SetSubject("Reach of family hubs, inequality, children's social care and the Transformation Fund plan", true)
	pdf.SetAuthor(f.Council.Name, true)
	pdf.SetKeywords("family hubs, Start for Life, deprivation, IDACI, slope index of inequality, children looked after, "+f.Council.Name, true)
	pdf.SetCreator("familyhubs", true)
	pdf.SetLang("en-GB")
	pdf.AliasNbPages("{nb}")
	d := &doc{pdf: pdf, f: f}
	pdf.SetHeaderFunc(func() {
		pdf.SetFont("DejaVu", "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.SetXY(left, 10)
		pdf.CellFormat(width/2, 5, "Family Hubs briefing · "+f.Council.Name, "", 0, "L", false, 0, "")
		pdf.CellFormat(width/2, 5, periodText(f.Period), "", 0, "R", false, 0, "")
		pdf.SetDrawColor(200, 200, 200)
		pdf.Line(left, 16, right, 16)
		pdf.SetTextColor(0, 0, 0)
		pdf.SetXY(left, top)
	})
	pdf.SetFooterFunc(func() {
		pdf.SetFont("DejaVu", "", 7)
		pdf.SetTextColor(90, 90, 90)
		pdf.SetXY(left, 280)
		pdf.CellFormat(width*0.8, 4, "Counts of 1 to 5 are shown as c (DfE disclosure control); figures from synthetic service data are labelled.", "", 0, "L", false, 0, "")
		pdf.CellFormat(width*0.2, 4, fmt.Sprintf("Page %d of {nb}", pdf.PageNo()), "", 0, "R", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	return d
}

func periodText(p queries.Period) string {
	return fmt.Sprintf("%s (%s to %s)", p.Label, p.Start.Format("2 January 2006"), p.End.Format("2 January 2006"))
}

func (d *doc) heading(s string) {
	d.need(14)
	d.pdf.SetFont("DejaVu", "B", 13)
	d.pdf.SetTextColor(11, 61, 100)
	d.pdf.MultiCell(width, 6, s, "", "L", false)
	d.pdf.SetTextColor(0, 0, 0)
	d.pdf.Ln(1.5)
}

func (d *doc) para(s string, size float64) {
	d.pdf.SetFont("DejaVu", "", size)
	d.pdf.MultiCell(width, size*0.5, s, "", "L", false)
	d.pdf.Ln(1.2)
}

// need starts a new page unless h millimetres fit on this one.
func (d *doc) need(h float64) {
	if d.pdf.GetY()+h > bottom {
		d.pdf.AddPage()
	}
}

func (d *doc) cover(f *Figures, date time.Time) {
	p := d.pdf
	p.AddPage()
	p.SetFont("DejaVu", "B", 22)
	p.SetTextColor(11, 61, 100)
	p.MultiCell(width, 10, "Family Hubs briefing", "", "L", false)
	p.SetFont("DejaVu", "", 16)
	p.MultiCell(width, 8, d.f.Council.Name+" · "+d.f.Period.Label, "", "L", false)
	p.SetTextColor(0, 0, 0)
	p.Ln(2)
	filters := ""
	if d.f.Locality != "" {
		filters += "Locality: " + d.f.Locality + ". "
	}
	if d.f.Service != "" {
		filters += "Service: " + d.f.Service + ". "
	}
	d.para(fmt.Sprintf("Period: %s. %sProduced %s.", periodText(d.f.Period), filters, date.Format("2 January 2006")), 9.5)
	d.para("Data: deprivation from the "+datasets.IoD2025+"; population from "+datasets.MidYear+
		"; children's social care from DfE's published statistics (children looked after 2011-2025; children in need and child protection plans 2013-2025), real figures.", 8.5)
	p.SetFillColor(232, 241, 251)
	p.SetFont("DejaVu", "B", 8.5)
	p.MultiCell(width, 4.5, "SYNTHETIC: service contacts, families and reach in this demonstration are generated, not real records. "+
		"MODELLED: any neighbourhood split of care numbers is modelled from the published council totals.", "", "L", true)
	p.Ln(4)
	d.heading("Key messages")
	for _, m := range KeyMessages(f, d.f.Council.Name, d.f.Period) {
		d.need(12)
		p.SetFont("DejaVu", "", 10)
		x := p.GetX()
		p.CellFormat(5, 5, "•", "", 0, "L", false, 0, "")
		p.MultiCell(width-5, 5, m, "", "L", false)
		p.SetX(x)
		p.Ln(1.5)
	}
}

// table draws rows with a header, never splitting a row across pages (the header repeats).
func (d *doc) table(cols []string, widths []float64, aligns string, rows [][]string, fills [][3]int) {
	p := d.pdf
	header := func() {
		p.SetFont("DejaVu", "B", 7.5)
		p.SetFillColor(235, 238, 241)
		h := 0.0
		for i, c := range cols {
			h = math.Max(h, float64(len(p.SplitText(c, widths[i]-2)))*3.6+1)
		}
		x, y := p.GetX(), p.GetY()
		for i, c := range cols {
			p.Rect(x, y, widths[i], h, "FD")
			p.SetXY(x+1, y+0.5)
			p.MultiCell(widths[i]-2, 3.6, c, "", "L", false)
			x += widths[i]
		}
		p.SetXY(left, y+h)
	}
	d.need(16)
	p.SetDrawColor(200, 200, 200)
	header()
	for r, row := range rows {
		p.SetFont("DejaVu", "", 7.5)
		h := 0.0
		for i, c := range row {
			h = math.Max(h, float64(len(p.SplitText(c, widths[i]-2)))*3.6+1)
		}
		if p.GetY()+h > bottom {
			p.AddPage()
			p.SetDrawColor(200, 200, 200)
			header()
			p.SetFont("DejaVu", "", 7.5)
		}
		x, y := left, p.GetY()
		for i, c := range row {
			fill := ""
			if fills != nil && fills[r] != [3]int{} && i == len(row)-1 {
				p.SetFillColor(fills[r][0], fills[r][1], fills[r][2])
				p.SetTextColor(255, 255, 255)
				fill = "F"
			}
			p.Rect(x, y, widths[i], h, "D"+fill)
			p.SetXY(x+1, y+0.5)
			p.MultiCell(widths[i]-2, 3.6, c, "", string(aligns[i]), false)
			p.SetTextColor(0, 0, 0)
			x += widths[i]
		}
		p.SetXY(left, y+h)
	}
	p.Ln(3)
}

var ragFill = map[string][3]int{"green": {0, 112, 60}, "amber": {177, 78, 18}, "red": {212, 53, 28}}

func (d *doc) headlines(f *Figures) {
	d.pdf.AddPage()
	d.heading("Headline figures")
	rows := [][]string{
		{"Children and young people reached (0-19)", whole(f.Reached), "", "previous year " + whole(f.PrevReached)},
		{"Families reached", whole(f.Families), "", ""},
		{"Reach per 1,000 children", one(f.Rate), one(f.RateLower) + " to " + one(f.RateUpper), "previous year " + one(f.PrevRate)},
		{"Reach per 1,000, IDACI deciles 1-2", one(f.Reach12), one(f.Reach12Lower) + " to " + one(f.Reach12Upper), "rest of council " + one(f.ReachRest)},
	}
	if f.SIIRow != nil {
		r := f.Inequality
		rows = append(rows, []string{"Slope index of inequality in reach, " + queries.Text(f.SIIRow[r.Col("year")]),
			one(num(f.SIIRow[r.Col("sii")])), one(num(f.SIIRow[r.Col("sii_lower")])) + " to " + one(num(f.SIIRow[r.Col("sii_upper")])),
			"RII " + fmt.Sprintf("%.2f", num(f.SIIRow[r.Col("rii")]))})
	}
	for _, m := range []struct{ code, name string }{{"looked_after", "Children looked after"}, {"in_need", "Children in need"}, {"protection_plan", "Child protection plans"}} {
		row, ok := f.CareRows[m.code]
		if !ok {
			continue
		}
		r := f.Care
		rows = append(rows, []string{fmt.Sprintf("%s per 10,000, 31 March %s (%s children)", m.name, queries.Text(row[r.Col("year")]), shown(row[r.Col("number")], 0)),
			shown(row[r.Col("rate_per_10000")], 1), shown(row[r.Col("rate_per_10000_lower")], 1) + " to " + shown(row[r.Col("rate_per_10000_upper")], 1),
			fmt.Sprintf("England %s (%s); neighbours %s (%s); trend %s", shown(row[r.Col("england_rate_per_10000")], 1), queries.Text(row[r.Col("vs_england")]),
				shown(row[r.Col("neighbours_rate_per_10000")], 1), queries.Text(row[r.Col("vs_neighbours")]), queries.Text(row[r.Col("trend")]))})
	}
	d.table([]string{"Indicator", "Value", "95% confidence interval", "Compared with"}, []float64{66, 20, 34, 54}, "LRRL", rows, nil)
	if len(f.Plan.Rows) > 0 {
		d.heading("Transformation Fund plan")
		r := f.Plan
		var prow [][]string
		var fills [][3]int
		for _, row := range r.Rows {
			prow = append(prow, []string{queries.Text(row[r.Col("id")]), queries.Text(row[r.Col("indicator")]),
				queries.Text(row[r.Col("baseline")]), queries.Text(row[r.Col("target")]), queries.Text(row[r.Col("due")]),
				queries.Text(row[r.Col("achieved")]), queries.Text(row[r.Col("status")])})
			fills = append(fills, ragFill[queries.Text(row[r.Col("status")])])
		}
		d.table([]string{"Id", "Indicator", "Baseline", "Target", "Due", "Achieved", "Status"}, []float64{12, 74, 17, 17, 20, 18, 16}, "LLRRLRL", prow, fills)
		d.para(measures.FundRule, 7.5)
	}
}

func (d *doc) chartBox(title, subtitle string, h float64, draw func(x, y, w, h float64)) {
	d.need(h + 16)
	p := d.pdf
	p.SetFont("DejaVu", "B", 10)
	p.MultiCell(width, 5, title, "", "L", false)
	p.SetFont("DejaVu", "", 7.5)
	p.SetTextColor(90, 90, 90)
	p.MultiCell(width, 3.8, subtitle, "", "L", false)
	p.SetTextColor(0, 0, 0)
	y := p.GetY() + 8
	draw(left+18, y, width-22, h)
	p.SetXY(left, y+h+12)
}

func (d *doc) charts(f *Figures) {
	d.pdf.AddPage()
	d.heading("Reach and inequality")
	r := f.Deciles
	rows := dashboardsOnly(r, "index", "IDACI")
	var labels, shownVals []string
	var vals, lo, hi []float64
	for _, row := range rows {
		labels = append(labels, queries.Text(row[r.Col("decile")]))
		vals = append(vals, num(row[r.Col("reach_per_1000")]))
		lo = append(lo, num(row[r.Col("reach_per_1000_lower")]))
		hi = append(hi, num(row[r.Col("reach_per_1000_upper")]))
		shownVals = append(shownVals, shown(row[r.Col("reach_per_1000")], 1))
	}
	d.chartBox("Children reached per 1,000, by national IDACI decile (1 = most deprived)",
		d.f.Council.Name+" · "+d.f.Period.Label+" · bars with 95% confidence intervals · SYNTHETIC service data · query reach_by_decile", 62,
		func(x, y, w, h float64) {
			barChart(d.pdf, x, y, w, h, labels, vals, lo, hi, shownVals, "per 1,000 children 0-19")
		})

	t := f.Trend
	var q []string
	var ch, fam []float64
	for _, row := range t.Rows {
		// a briefing for a period shows the quarters up to its end, not later ones
		if start, ok := row[t.Col("quarter_start")].(time.Time); ok && start.After(d.f.Period.End) {
			continue
		}
		q = append(q, queries.Text(row[t.Col("quarter")]))
		ch = append(ch, num(row[t.Col("children_reached")]))
		fam = append(fam, num(row[t.Col("families_reached")]))
	}
	d.chartBox("Children and families reached each quarter, April 2019 to the end of the period", d.f.Council.Name+" · SYNTHETIC service data · query reach_trend", 55,
		func(x, y, w, h float64) {
			lineChart(d.pdf, x, y, w, h, q, []line{{"Children reached", ch}, {"Families reached", fam}}, "distinct people per quarter")
		})

	l := f.Localities
	var names, lshown []string
	var lv, llo, lhi []float64
	for _, row := range l.Rows {
		names = append(names, queries.Text(row[l.Col("locality")]))
		lv = append(lv, num(row[l.Col("reach_per_1000")]))
		llo = append(llo, num(row[l.Col("reach_per_1000_lower")]))
		lhi = append(lhi, num(row[l.Col("reach_per_1000_upper")]))
		lshown = append(lshown, shown(row[l.Col("reach_per_1000")], 1))
	}
	d.chartBox("Children reached per 1,000, by locality (hub network)", d.f.Council.Name+" · "+d.f.Period.Label+" · 95% confidence intervals · query reach_by_locality", 58,
		func(x, y, w, h float64) {
			barChart(d.pdf, x, y, w, h, names, lv, llo, lhi, lshown, "per 1,000 children 0-19")
		})

	d.heading("Children's social care")
	c := f.Care
	for _, m := range []struct{ code, name string }{{"looked_after", "Children looked after"}, {"in_need", "Children in need"}, {"protection_plan", "Children on child protection plans"}} {
		var years []string
		var own, eng, nbr []float64
		for _, row := range dashboardsOnly(c, "measure", m.code) {
			y := queries.Text(row[c.Col("year")])
			if queries.Text(row[c.Col("series")]) == "predecessor" {
				y += "*"
			}
			years = append(years, y)
			own = append(own, num(row[c.Col("rate_per_10000")]))
			eng = append(eng, num(row[c.Col("england_rate_per_10000")]))
			nbr = append(nbr, num(row[c.Col("neighbours_rate_per_10000")]))
		}
		sub := d.f.Council.Name + " · DfE, real figures · per 10,000 children aged 0-17 · query care_trend"
		if strings.Contains(strings.Join(years, ""), "*") {
			sub += " · * predecessor council (Cumbria) before the 2023 reorganisation"
		}
		d.chartBox(m.name+" at 31 March: council, England and statistical neighbours", sub, 45,
			func(x, y, w, h float64) {
				lineChart(d.pdf, x, y, w, h, years, []line{{d.f.Council.Name, own}, {"England", eng}, {"Statistical neighbours", nbr}}, "per 10,000")
			})
	}
}

// services prints contacts by service and age band, with each service's Start for Life funded
// strand, under disclosure control.
func (d *doc) services(f *Figures) {
	r := f.Services
	d.heading("Services used: contacts by service and age band")
	bands := []string{"0-2", "3-4", "5-11", "12-19", "20-25"}
	var order []string
	cells := map[string]map[string]string{}
	strand := map[string]string{}
	for _, row := range r.Rows {
		svc := queries.Text(row[r.Col("service")])
		if cells[svc] == nil {
			cells[svc] = map[string]string{}
			order = append(order, svc)
			strand[svc] = queries.Text(row[r.Col("funded_strand")])
		}
		cells[svc][queries.Text(row[r.Col("age_band")])] = shown(row[r.Col("contacts")], 0)
	}
	var rows [][]string
	for _, s := range order {
		row := []string{s, strand[s]}
		for _, b := range bands {
			row = append(row, cells[s][b])
		}
		rows = append(rows, row)
	}
	d.table(append([]string{"Service", "Start for Life funded strand"}, bands...), []float64{54, 40, 16, 16, 16, 16, 16}, "LLRRRRR", rows, nil)
	d.para("SYNTHETIC service data. Query service_mix. Age band of the child the contact concerned (0-2 includes before birth; 20-25 with SEND only). "+Policy.Description(), 7.5)
}

func (d *doc) methods() {
	d.pdf.AddPage()
	d.heading("Methods and sources")
	for _, s := range []string{
		"Reach: distinct children and young people aged 0-19 (including unborn children through antenatal contacts) with at least one contact in the period, and distinct families, from service contact records. In this demonstration the records are SYNTHETIC: generated with a fixed seed to behave like real use, not real families.",
		"Rates: reach per 1,000 children aged 0-19 resident (ONS mid-2020 small area estimates, apportioned from 2011 to 2021 LSOAs); care per 10,000 children aged 0-17 at the previous mid-year, as DfE. 95% confidence intervals by Byar's method, with exact Poisson limits from the chi-squared distribution under 10 events; proportions by the Wilson score method (PHEindicatormethods, OHID Fingertips).",
		fmt.Sprintf("Inequality: slope index (SII) and relative index (RII) of inequality across national IDACI deciles after Low and Low (2004), as PHEindicatormethods phe_sii and Fingertips: deciles ordered most to least deprived, each at the midpoint of its cumulative population share, regression weighted by population share; confidence limits by simulation, %d repetitions, seed %d. A negative SII means more reach where deprivation is higher.", measures.SIIRepetitions, measures.SIISeed),
		"Wording: a figure 'rose' or 'fell', or is 'higher' or 'lower' than a benchmark, only where the 95% confidence intervals do not overlap (or the interval excludes the benchmark value); otherwise it is 'similar'. Care figures carry no judgement of better or worse. Trends: chi-squared test for trend over the latest five consecutive years of the same series.",
		"Disclosure control: " + Policy.Description() + " A suppressed figure is never shown as zero.",
		"Deprivation: " + datasets.IoD2025 + ". IoD2019 ranks, where shown elsewhere, are a different edition and not comparable rank for rank. National deciles: 1 = the most deprived 10% of neighbourhoods in England.",
		"Children's social care: DfE, Children looked after in England including adoptions (SFR 2011-2017; releases 2023 and 2025); DfE, Characteristics of children in need (tables B1 and D5); DfE statistical neighbours (April 2021). Figures DfE did not publish keep its symbols (c, x, u). Cumbria's series runs to 2023; Cumberland and Westmorland and Furness from 2024.",
		"Transformation Fund plan: the council's own file; indicators the council has not published are marked illustrative there. " + measures.FundRule,
		datasets.OGL,
	} {
		d.para(s, 8.5)
	}
}
