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
	"time"

	"codeberg.org/go-pdf/fpdf"

	"familyhubs/answers"
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
	return fig.PDF(dateOf(req), w)
}

// PDF writes the figures as the fpdf briefing, dated date: an untagged PDF, labelled so.
func (fig *Figures) PDF(date time.Time, w io.Writer) error {
	date = date.UTC()
	b := newDoc(fig.View.Filters, date)
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
	pdf.SetSubject("Reach of family hubs, inequality, children's social care and the Transformation Fund plan (untagged PDF: not for publishing; see the HTML briefing)", true)
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
		pdf.CellFormat(width*0.8, 4, Footer, "", 0, "L", false, 0, "")
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
	c := coverOf(f, date)
	p := d.pdf
	p.AddPage()
	p.SetFont("DejaVu", "B", 22)
	p.SetTextColor(11, 61, 100)
	p.MultiCell(width, 10, c.Title, "", "L", false)
	p.SetFont("DejaVu", "", 16)
	p.MultiCell(width, 8, c.Of, "", "L", false)
	p.SetTextColor(0, 0, 0)
	p.Ln(2)
	d.para(c.Period, 9.5)
	d.para(c.Data, 8.5)
	p.SetFillColor(232, 241, 251)
	p.SetFont("DejaVu", "B", 8.5)
	p.MultiCell(width, 4.5, c.Labels, "", "L", true)
	p.Ln(1.5)
	// fpdf cannot tag a PDF: say so where a publisher will see it
	p.SetFont("DejaVu", "B", 8.5)
	p.SetTextColor(177, 78, 18)
	p.MultiCell(width, 4.5, Untagged, "", "L", false)
	p.SetTextColor(0, 0, 0)
	p.Ln(3)
	if c.Partial != "" {
		d.para(c.Partial, 9)
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

// table draws a Table with the given column widths, never splitting a row across pages (the
// header repeats); the plan's statuses fill their cells red, amber or green.
func (d *doc) table(t Table, widths []float64) {
	cols, aligns, rows := t.Cols, t.Align, t.Rows
	var fills [][3]int
	for _, s := range t.Status {
		fills = append(fills, ragFill[s])
	}
	if widths == nil {
		for range cols {
			widths = append(widths, width/float64(len(cols)))
		}
	}
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
	d.table(headlineTable(f), []float64{58, 30, 86})
	if t := planTable(f); t != nil {
		d.heading("Transformation Fund plan")
		d.table(*t, []float64{10, 56, 15, 15, 21, 16, 25, 16})
		d.para(measures.FundRule, 7.5)
	}
}

// figure draws a declared figure with its title, subtitle and what it shows: bars and lines as
// vector charts.
func (d *doc) figure(dr *answers.Drawn, h float64) {
	d.chartBox(dr.Title, subtitle(dr, Chart), dr.Shows, h, func(x, y, w, hh float64) {
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
			lineChart(d.pdf, x, y, w, hh, dr.Categories, linesOf(dr), dr.Axis, dr.Limits)
		}
	})
	for _, r := range reconciliations(dr, Chart) {
		d.para(r, 7.5)
	}
}

// linesOf are a figure's series as numbers (NaN: no point).
func linesOf(dr *answers.Drawn) []line {
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
	return ls
}

// titled prints a figure drawn as no chart: its title, what it shows and its subtitle.
func (d *doc) titled(dr *answers.Drawn, m Mode) {
	d.need(40)
	p := d.pdf
	p.SetFont("DejaVu", "B", 10)
	p.MultiCell(width, 5, dr.Title, "", "L", false)
	p.SetFont("DejaVu", "", 8)
	p.MultiCell(width, 4, "What this shows: "+dr.Shows, "", "L", false)
	p.SetFont("DejaVu", "", 7.5)
	p.SetTextColor(90, 90, 90)
	p.MultiCell(width, 3.8, subtitle(dr, m), "", "L", false)
	p.SetTextColor(0, 0, 0)
	p.Ln(1)
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
		for _, it := range items(f, i) {
			dr := it.Drawn
			switch it.Mode {
			case Series: // stacked and grouped bars print as a table of their series (clearer on paper)
				d.titled(dr, it.Mode)
				t := seriesTable(dr, false)
				widths := []float64{width - 22*float64(len(dr.Lines))}
				for range dr.Lines {
					widths = append(widths, 22)
				}
				d.table(t, widths)
			case Unplotted: // nothing to draw (a Sankey prints as its table of flows): the words say why
				d.titled(dr, it.Mode)
			default:
				h := 55.0
				if dr.Kind == answers.Lines && dr.Question == "care_trend" {
					h = 42
				}
				d.figure(dr, h)
			}
			d.said(dr)
		}
	}
}

// said prints a figure's declared table (Brief) and its words, as the page shows them.
func (d *doc) said(dr *answers.Drawn) {
	if t := briefTable(dr); t != nil {
		d.table(*t, nil)
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
	d.heading(servicesHeading)
	d.table(servicesTable(f), []float64{54, 40, 16, 16, 16, 16, 16})
	d.para(servicesNote(f), 7.5)
}

func (d *doc) methods(synthetic bool) {
	d.need(60)
	d.heading("Methods and sources")
	for _, s := range methods(synthetic) {
		d.para(s, 8.5)
	}
}
