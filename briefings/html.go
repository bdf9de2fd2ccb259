package briefings

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"familyhubs/answers"
	"familyhubs/internal/govuk"
	"familyhubs/measures"
)

// The HTML briefing is the accessible briefing: the same figures and words as the PDF, worked
// out once (content.go), as one standalone page styled with GOV.UK Frontend, with its stylesheet
// inlined, no script and nothing fetched, so a council can publish the file as it is. Headings
// run in order (one h1, an h2 per section, an h3 per figure), every table has a caption, numbers
// are right-aligned, and every chart is an inline SVG image named by a sentence with its table
// after it. Printed in Chromium it becomes the tagged PDF (tagged.go).

//go:embed templates/briefing.html
var templates embed.FS

var page = template.Must(template.New("briefing.html").Funcs(template.FuncMap{
	// statusTag is the GOV.UK tag colour of a plan line's red / amber / green, in its last column
	"statusTag": func(t Table, r, i int) string {
		if t.Status == nil || i != len(t.Cols)-1 {
			return ""
		}
		switch strings.Fields(t.Status[r] + " x")[0] {
		case "green":
			return "govuk-tag--green"
		case "amber":
			return "govuk-tag--orange"
		case "red":
			return "govuk-tag--red"
		}
		return "govuk-tag--grey"
	},
}).ParseFS(templates, "templates/briefing.html"))

// printCSS lays the page out on A4 when printed (GOV.UK Frontend carries its own print styles):
// a figure's heading, words and chart kept together, no heading left alone at the foot of a
// page, no chart or table row split.
const printCSS = `
.fh-of{display:block;margin-top:10px}
.fh-labels{font-weight:700}
.fh-subtitle{color:#505a5f}
.fh-chart{display:block;max-width:100%;height:auto}
.fh-image{margin:0 0 20px}
.fh-figure{margin-bottom:30px}
@page{size:A4;margin:16mm 15mm 18mm}
@media print{
.govuk-main-wrapper{padding-top:0}
h1,h2,h3,caption{break-after:avoid;break-inside:avoid}
.fh-keep,.fh-image,tr,li{break-inside:avoid}
thead{display:table-header-group}
.govuk-table{font-size:10pt}
.govuk-footer{border-top:1px solid #b1b4b6;background:none;padding:10px 0}
}
`

// style is the whole stylesheet the page inlines.
var style = string(govuk.CSS) + printCSS

// ContentSecurityPolicy is the policy the server sends with the HTML briefing: nothing but its
// own inline stylesheet, by hash (no 'unsafe-inline'), and images from data: URLs; no script,
// no connection, no form, no framing.
var ContentSecurityPolicy = func() string {
	sum := sha256.Sum256([]byte(style))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; img-src data:; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}()

// block is a figure (or the services table, or the map) as the HTML briefing prints it.
type block struct {
	Title, Shows, Subtitle string
	SVG                    template.HTML
	Before                 []string // sentences between the chart and its table (reconciliations)
	Tables                 []Table
	Said                   []string
}

type htmlSection struct {
	ID, Heading string
	Blocks      []block
}

type htmlPage struct {
	Title, Description, Author, Produced string
	Style                                template.CSS
	Cover                                Cover
	Messages                             []string
	Headline                             Table
	Plan                                 *Table
	FundRule                             string
	Sections                             []htmlSection
	Methods                              []string
	Footer                               string
}

// figureBlock is a declared figure: its title, what it shows, its subtitle, its chart (bars and
// lines) and its table (the declared table where the figure has one, else its series), and its
// words, as the PDF prints them.
func figureBlock(it item) block {
	dr := it.Drawn
	b := block{Title: dr.Title, Shows: dr.Shows, Subtitle: subtitle(dr, it.Mode), Before: reconciliations(dr, it.Mode), Said: dr.Said}
	brief := briefTable(dr)
	switch it.Mode {
	case Chart:
		b.SVG = chartSVG(dr)
		if brief == nil {
			b.Tables = append(b.Tables, seriesTable(dr, true))
		}
	case Series:
		b.Tables = append(b.Tables, seriesTable(dr, false))
	}
	if brief != nil {
		b.Tables = append(b.Tables, *brief)
	}
	return b
}

func sectionID(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func (f *Figures) htmlPage(date time.Time) *htmlPage {
	fl := f.View.Filters
	c := coverOf(f, date)
	p := &htmlPage{
		Title:       fmt.Sprintf("Family Hubs briefing: %s, %s", fl.Council.Name, fl.Period.Label),
		Description: "Reach of family hubs, inequality, children's social care and the Transformation Fund plan: " + fl.Council.Name + ", " + periodText(fl.Period),
		Author:      fl.Council.Name,
		Produced:    date.Format("2 January 2006"),
		Style:       template.CSS(style),
		Cover:       c,
		Messages:    f.Headlines.Messages,
		Headline:    headlineTable(f),
		Plan:        planTable(f),
		FundRule:    measures.FundRule,
		Methods:     methods(f.View.Coverage.Synthetic),
		Footer:      Footer,
	}
	section := func(i int) htmlSection {
		s := htmlSection{ID: sectionID(answers.Briefing[i].Heading), Heading: answers.Briefing[i].Heading}
		for _, it := range items(f, i) {
			s.Blocks = append(s.Blocks, figureBlock(it))
		}
		return s
	}
	// the same order as the PDF: the period's services, the map, then what happened next
	last := len(answers.Briefing) - 1
	for i := 0; i < last; i++ {
		p.Sections = append(p.Sections, section(i))
	}
	p.Sections = append(p.Sections, htmlSection{ID: "services", Heading: servicesHeading,
		Blocks: []block{{Tables: []Table{servicesTable(f)}, Said: []string{servicesNote(f)}}}})
	if m := choroplethOf(f); m != nil {
		p.Sections = append(p.Sections, htmlSection{ID: "neighbourhoods", Heading: mapHeading,
			Blocks: []block{{Subtitle: m.subtitle, Shows: m.shows, SVG: m.svg(f), Tables: []Table{m.table()}}}})
	}
	p.Sections = append(p.Sections, section(last))
	return p
}

// HTML writes the briefing as a standalone HTML page, dated date.
func (f *Figures) HTML(date time.Time, w io.Writer) error {
	return page.ExecuteTemplate(w, "briefing.html", f.htmlPage(date.UTC()))
}

// HTMLBytes gathers the figures and renders the HTML briefing into memory.
func HTMLBytes(ctx context.Context, a *answers.Service, req Request) ([]byte, error) {
	fig, err := Gather(ctx, a, req.Filters, req.Wide)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := fig.HTML(dateOf(req), &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// dateOf is the request's production date: today, unless given.
func dateOf(req Request) time.Time {
	if req.Date.IsZero() {
		return time.Now().UTC()
	}
	return req.Date.UTC()
}
