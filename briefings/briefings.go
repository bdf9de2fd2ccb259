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

	"familyhubs/answers"
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
	Wide    bool      // 99.8% confidence limits on the charts instead of 95%
}

// Figures are what a briefing prints, all from the answers layer: the same tiles, key messages
// and declared figures as the pages.
type Figures struct {
	View                  *answers.View
	Headlines             *answers.Headlines
	Sections              [][]*answers.Drawn // the figures of answers.Briefing, section by section
	Services, Plan        *answers.Drawn
	Neighbourhoods, Sites *queries.Result
}

// ErrNoData is returned for a briefing about a period or council with no service data: a briefing
// of zeros would state findings that are not there.
type ErrNoData struct{ Problem string }

func (e ErrNoData) Error() string { return "no briefing: " + e.Problem }

// Gather answers everything the briefing prints.
func Gather(ctx context.Context, a *answers.Service, f queries.Filters, wide ...bool) (*Figures, error) {
	v, err := a.NewView(ctx, f, Policy, "")
	if err != nil {
		return nil, err
	}
	v.Wide = len(wide) > 0 && wide[0]
	if p := v.DataProblem(); p != "" {
		return nil, ErrNoData{p}
	}
	fig := &Figures{View: v}
	if fig.Headlines, err = a.Headlines(ctx, v); err != nil {
		return nil, err
	}
	draw := func(f *answers.Figure) *answers.Drawn {
		if err != nil {
			return nil
		}
		var d *answers.Drawn
		d, err = a.Draw(ctx, v, f)
		return d
	}
	for _, sec := range answers.Briefing {
		var ds []*answers.Drawn
		for _, f := range sec.Figures {
			ds = append(ds, draw(f))
		}
		fig.Sections = append(fig.Sections, ds)
	}
	fig.Services, fig.Plan = draw(answers.ServiceMix), draw(answers.Fund)
	if err != nil {
		return nil, err
	}
	if fig.Neighbourhoods, err = a.Run(ctx, v, "reach_by_neighbourhood"); err != nil {
		return nil, err
	}
	if fig.Sites, err = a.Run(ctx, v, "site_activity"); err != nil {
		return nil, err
	}
	return fig, nil
}

func num(v any) float64 {
	f, ok := measures.Number(v)
	if !ok {
		return math.NaN()
	}
	return f
}

// Write renders the briefing to w.
func Write(ctx context.Context, a *answers.Service, req Request, w io.Writer) error {
	fig, err := Gather(ctx, a, req.Filters, req.Wide)
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
	// the sections about the period's services first, then what happened next (the last section)
	last := len(answers.Briefing) - 1
	b.charts(fig, 0, last)
	b.services(fig)
	b.neighbourhoodMap(fig)
	b.charts(fig, last, last+1)
	b.methods(fig.View.Coverage.Synthetic)
	return b.pdf.Output(w)
}

// Bytes renders the briefing into memory.
func Bytes(ctx context.Context, a *answers.Service, req Request) ([]byte, error) {
	var buf bytes.Buffer
	if err := Write(ctx, a, req, &buf); err != nil {
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
	d.need(40) // never a heading alone at the foot of a page
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
	d.para(fmt.Sprintf("Period: %s. %sCompared with %s. Produced %s.", periodText(d.f.Period), filters,
		answers.Compared(d.f.Period), date.Format("2 January 2006")), 9.5)
	d.para("Data: deprivation from the "+datasets.IoD2025+"; population from "+datasets.MidYear+
		"; children's social care from DfE's published statistics (children looked after 2011-2025; children in need and child protection plans 2013-2025), real figures.", 8.5)
	p.SetFillColor(232, 241, 251)
	p.SetFont("DejaVu", "B", 8.5)
	synthetic := ""
	if f.View.Coverage.Synthetic {
		synthetic = "SYNTHETIC: service contacts, families and reach in this demonstration are generated, not real records. "
	}
	p.MultiCell(width, 4.5, synthetic+
		"MODELLED: any neighbourhood split of care numbers is modelled from the published council totals, unless marked COUNCIL RECORDS (counted from the council's own records). "+
		"ILLUSTRATIVE: facts the council has not published (some localities, sites and plan targets) are marked and are for the council to replace.", "", "L", true)
	p.Ln(3)
	if f.Headlines.Partial != "" {
		d.para(f.Headlines.Partial, 9)
	}
	d.heading("Key messages")
	for _, m := range f.Headlines.Messages {
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

// headlines prints the overview's tiles as a table: the same figures, the same words.
func (d *doc) headlines(f *Figures) {
	d.pdf.Ln(2)
	d.heading("Headline figures")
	var rows [][]string
	for _, t := range f.Headlines.Tiles {
		label := t.Label
		if len(t.Labels) > 0 {
			label += " (" + strings.Join(t.Labels, ", ") + ")"
		}
		rows = append(rows, []string{label, t.Value, strings.TrimSpace(t.Change + ". " + t.Note)})
	}
	d.table([]string{"Figure", "Value", "Compared with, and notes"}, []float64{58, 30, 86}, "LRL", rows, nil)
	pl := f.Plan
	if len(pl.Rows) > 0 {
		d.heading("Transformation Fund plan")
		r := pl.Result
		var prow [][]string
		var fills [][3]int
		for _, row := range pl.Rows {
			indicator := r.Str(row, "indicator")
			if row[r.MustCol("illustrative")] == true {
				indicator += " (illustrative target)"
			}
			measured := r.Str(row, "as_of")
			if r.Col("measured_for") >= 0 {
				measured = r.Str(row, "measured_for")
			}
			prow = append(prow, []string{r.Str(row, "id"), indicator,
				answers.Plain(row[r.MustCol("baseline")]), answers.Plain(row[r.MustCol("target")]), r.Str(row, "due"),
				answers.Plain(row[r.MustCol("achieved")]), measured, r.Str(row, "status")})
			fills = append(fills, ragFill[r.Str(row, "status")])
		}
		d.table([]string{"Id", "Indicator", "Baseline", "Target", "Due", "Achieved", "Measured for", "Status"},
			[]float64{10, 56, 15, 15, 21, 16, 25, 16}, "LLRRLRLL", prow, fills)
		d.para(measures.FundRule, 7.5)
	}
}

// figure draws a declared figure with its title, subtitle and what it shows: bars and lines as
// vector charts, stacked and grouped bars as a table of their series (clearer on paper).
func (d *doc) figure(dr *answers.Drawn, h float64) {
	if dr.Kind == answers.Stacked || dr.Kind == answers.Grouped {
		d.figureTable(dr)
		return
	}
	sub := dr.Subtitle + " · query " + dr.Question
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
	d.chartBox(dr.Title, sub, dr.Shows, h, func(x, y, w, hh float64) {
		switch dr.Kind {
		case answers.Bars:
			l := dr.Lines[0]
			vals, lo, hi, shown := make([]float64, len(l.Values)), make([]float64, len(l.Values)), make([]float64, len(l.Values)), make([]string, len(l.Values))
			for i, x := range l.Values {
				vals[i], shown[i] = num(x), answers.Format(x, answers.Decimals(l.Column)) // a count of families prints whole
				lo[i], hi[i] = math.NaN(), math.NaN()
				if l.Lower != nil {
					lo[i], hi[i] = num(l.Lower[i]), num(l.Upper[i])
				}
			}
			barChart(d.pdf, x, y, w, hh, dr.Categories, vals, lo, hi, shown, dr.Axis)
		default:
			var ls []line
			for _, l := range dr.Lines {
				vals := make([]float64, len(l.Values))
				var lo, hi []float64
				for i, x := range l.Values {
					vals[i] = num(x)
					if l.Lower != nil {
						lo, hi = append(lo, num(l.Lower[i])), append(hi, num(l.Upper[i]))
					}
				}
				ls = append(ls, line{l.Name, vals, lo, hi})
			}
			lineChart(d.pdf, x, y, w, hh, dr.Categories, ls, dr.Axis)
		}
	})
	if answers.FromCouncilRecords(dr.Result, dr.Rows) {
		for _, r := range answers.Reconciliations(dr.Result) {
			d.para(r, 7.5)
		}
	}
}

func (d *doc) figureTable(dr *answers.Drawn) {
	d.need(40)
	p := d.pdf
	p.SetFont("DejaVu", "B", 10)
	p.MultiCell(width, 5, dr.Title, "", "L", false)
	p.SetFont("DejaVu", "", 8)
	p.MultiCell(width, 4, "What this shows: "+dr.Shows, "", "L", false)
	p.SetFont("DejaVu", "", 7.5)
	p.SetTextColor(90, 90, 90)
	p.MultiCell(width, 3.8, dr.Subtitle+" · query "+dr.Question, "", "L", false)
	p.SetTextColor(0, 0, 0)
	p.Ln(1)
	cols := []string{answers.ColumnName(dr.Category)}
	widths := []float64{width - 22*float64(len(dr.Lines))}
	aligns := "L"
	for _, l := range dr.Lines {
		cols, widths, aligns = append(cols, l.Name), append(widths, 22), aligns+"R"
	}
	var rows [][]string
	for i, c := range dr.Categories {
		row := []string{c}
		for _, l := range dr.Lines {
			row = append(row, answers.Format(l.Values[i], answers.Decimals(l.Column)))
		}
		rows = append(rows, row)
	}
	d.table(cols, widths, aligns, rows, nil)
}

func (d *doc) chartBox(title, subtitle, shows string, h float64, draw func(x, y, w, h float64)) {
	d.need(h + 48) // title, what it shows, subtitle, the chart, its labels and legend
	p := d.pdf
	p.SetFont("DejaVu", "B", 10)
	p.MultiCell(width, 5, title, "", "L", false)
	p.SetFont("DejaVu", "", 8)
	p.MultiCell(width, 4, "What this shows: "+shows, "", "L", false)
	p.SetFont("DejaVu", "", 7.5)
	p.SetTextColor(90, 90, 90)
	p.MultiCell(width, 3.8, subtitle, "", "L", false)
	p.SetTextColor(0, 0, 0)
	y := p.GetY() + 8
	// a chart is drawn whole on its page: no automatic break inside it
	p.SetAutoPageBreak(false, 297-bottom)
	draw(left+18, y, width-22, h)
	p.SetAutoPageBreak(true, 297-bottom)
	p.SetXY(left, y+h+12)
}

// charts prints the sections of answers.Briefing from from to to (not included).
func (d *doc) charts(f *Figures, from, to int) {
	for i := from; i < to; i++ {
		sec := answers.Briefing[i]
		d.need(60 + 48 + 14) // the heading with its first chart
		d.heading(sec.Heading)
		for _, dr := range f.Sections[i] {
			if dr.Kind == answers.Bars && len(dr.Categories) < 2 {
				continue // a locality view has one locality: no chart of one bar
			}
			h := 55.0
			if dr.Kind == answers.Lines && dr.Question == "care_trend" {
				h = 42
			}
			if dr.Kind == answers.Sankey || (dr.Said != nil && !dr.Plotted()) {
				// a Sankey prints as its table of flows (clearer on paper)
				d.unplotted(dr) // nothing to draw: the words say why, and the table what there is
			} else {
				d.figure(dr, h)
			}
			d.said(dr)
		}
	}
}

// unplotted prints a figure with nothing to draw: its title, what it would show and its subtitle.
func (d *doc) unplotted(dr *answers.Drawn) {
	d.need(40)
	p := d.pdf
	p.SetFont("DejaVu", "B", 10)
	p.MultiCell(width, 5, dr.Title, "", "L", false)
	p.SetFont("DejaVu", "", 8)
	p.MultiCell(width, 4, "What this shows: "+dr.Shows, "", "L", false)
	p.SetFont("DejaVu", "", 7.5)
	p.SetTextColor(90, 90, 90)
	p.MultiCell(width, 3.8, dr.Subtitle+" · query "+dr.Question, "", "L", false)
	p.SetTextColor(0, 0, 0)
	p.Ln(1)
}

// said prints a figure's declared table (Brief) and its words, as the page shows them.
func (d *doc) said(dr *answers.Drawn) {
	if len(dr.Brief) > 0 && len(dr.Rows) > 0 {
		r := dr.Result
		var cols []string
		var widths []float64
		aligns := ""
		for _, c := range dr.Brief {
			align := "L"
			if answers.Numeric(c, dr.Rows, r.MustCol(c)) {
				align = "R"
			}
			cols, widths, aligns = append(cols, answers.ColumnName(c)), append(widths, width/float64(len(dr.Brief))), aligns+align
		}
		var rows [][]string
		for _, row := range dr.Rows {
			var cells []string
			for _, c := range dr.Brief {
				cells = append(cells, answers.Cell(c, row[r.MustCol(c)]))
			}
			rows = append(rows, cells)
		}
		d.table(cols, widths, aligns, rows, nil)
	}
	for _, s := range dr.Said {
		d.pdf.SetFont("DejaVu", "", 8)
		d.need(float64(len(d.pdf.SplitText(s, width)))*4 + 2) // a sentence is never split across pages
		d.para(s, 8)
	}
}

// services prints contacts by service and age band, with each service's Start for Life funded
// strand, under disclosure control: the services figure's own rows.
func (d *doc) services(f *Figures) {
	s := f.Services
	r := s.Result
	d.heading("Services used: contacts by service and age band")
	strand := map[string]string{}
	for _, row := range s.Rows {
		strand[r.Str(row, "service")] = r.Str(row, "funded_strand")
	}
	var rows [][]string
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
		rows = append(rows, row)
	}
	d.table(append([]string{"Service", "Start for Life funded strand"}, answers.AgeBands...), []float64{54, 40, 16, 16, 16, 16, 16}, "LLRRRRR", rows, nil)
	d.para("What this shows: "+s.Shows+syntheticNote(s)+" Query service_mix. Age band of the child the contact concerned (0-2 includes before birth; 20-25 with SEND only). "+Policy.Description(), 7.5)
}

// syntheticNote labels a figure of generated contacts.
func syntheticNote(dr *answers.Drawn) string {
	if dr.Synthetic() {
		return " SYNTHETIC service data."
	}
	return ""
}

func (d *doc) methods(synthetic bool) {
	demo := ""
	if synthetic {
		demo = " In this demonstration the records are SYNTHETIC: generated with a fixed seed to behave like real use, not real families."
	}
	d.need(60)
	d.heading("Methods and sources")
	for _, s := range []string{
		"Reach: distinct children and young people born and aged 0-19 with at least one contact in the period, and distinct families, from service contact records. A contact before a child's birth (antenatal help) counts its family as an expectant family, not the unborn child as a child reached: no count of residents holds unborn children." + demo,
		"Rates: reach per 1,000 children aged 0-19 resident at the previous mid-year of the period's financial year (DfE/ONS council totals shared among 2021 LSOAs by Census 2021 children 0-15 and ONS mid-2020 ages 16-19; the latest, mid-2024, for later years); care per 10,000 children aged 0-17 at the previous mid-year, as DfE. Reach is a proportion, with 95% limits by the Wilson score method; care rates by Byar's method, with exact Poisson limits from the chi-squared distribution under 10 events (PHEindicatormethods, OHID Fingertips).",
		fmt.Sprintf("Inequality: slope index (SII) and relative index (RII) of inequality across national IDACI deciles after Low and Low (2004), as PHEindicatormethods phe_sii and Fingertips: deciles ordered most to least deprived, each at the midpoint of its cumulative population share, regression weighted by population share; confidence limits by simulation, %d repetitions, seed %d. A negative SII means more reach where deprivation is higher. IDACI ranks neighbourhoods by children aged 0-15 in income-deprived families; reach counts children aged 0-19.", measures.SIIRepetitions, measures.SIISeed),
		"Wording: a figure 'rose' or 'fell', or is 'higher' or 'lower' than a benchmark, only where the 95% confidence intervals do not overlap (or the interval excludes the benchmark value); otherwise it is 'similar'. Care figures carry no judgement of better or worse. Trends: OHID Fingertips' trend marker: chi-squared test for trend over the latest five consecutive years of the same series at 99.8%, called only if its direction holds with each year left out; otherwise no significant change.",
		"Disclosure control: " + Policy.Description() + " A suppressed figure is never shown as zero.",
		"Deprivation: " + datasets.IoD2025 + ". IoD2019 ranks, where shown elsewhere, are a different edition and not comparable rank for rank. National deciles: 1 = the most deprived 10% of neighbourhoods in England.",
		"Children's social care: DfE, Children looked after in England including adoptions (SFR 2011-2017; releases 2023 and 2025); DfE, Characteristics of children in need (tables B1 and D5; table C3 for the factors identified at the end of assessment, as a share of episodes with any factor, region and England from DfE's counts rounded to 10); DfE statistical neighbours (April 2021). Figures DfE did not publish keep its symbols (c, x, u, z). Cumbria's series runs to 2023; Cumberland and Westmorland and Furness from 2024.",
		"Transformation Fund plan: the council's own file; indicators the council has not published are marked illustrative there. " + measures.FundRule,
		datasets.OGL,
	} {
		d.para(s, 8.5)
	}
}
