package briefings

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"familyhubs/answers"
	"familyhubs/browser"
	"familyhubs/internal/axe"
	"familyhubs/internal/browsertest"
)

var demoCouncils = []string{"stockport", "kirklees", "wolverhampton", "cumberland", "westmorland-furness"}

// both renders one Gather's figures as the PDF and as the HTML briefing.
func both(t *testing.T, council, period string) (*Figures, []byte, string, []byte) {
	t.Helper()
	fig, err := Gather(ctx, service(t), filters(t, council, period))
	if err != nil {
		t.Fatal(err)
	}
	var pdf, page bytes.Buffer
	if err := fig.PDF(date, &pdf); err != nil {
		t.Fatal(err)
	}
	if err := fig.HTML(date, &page); err != nil {
		t.Fatal(err)
	}
	return fig, pdf.Bytes(), pdfText(t, pdf.Bytes()), page.Bytes()
}

func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// squeeze drops spaces and hyphens: pdftotext joins a word hyphenated at the end of a line.
func squeeze(s string) string {
	return strings.NewReplacer(" ", "", "\n", "", "-", "").Replace(flat(s))
}

// text is an element's text content, whitespace collapsed.
func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return flat(b.String())
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func all(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// headings are the h1 to h6 in document order, as levels.
func headings(n *html.Node) []int {
	var out []int
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && len(n.Data) == 2 && n.Data[0] == 'h' && n.Data[1] >= '1' && n.Data[1] <= '6' {
			out = append(out, int(n.Data[1]-'0'))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// tables are the page's tables as the Table they print: caption, headers, cells and which cells
// are marked numeric.
func tables(doc *html.Node) []Table {
	var out []Table
	for _, tn := range all(doc, "table") {
		var t Table
		if cs := all(tn, "caption"); len(cs) == 1 {
			t.Caption = text(cs[0])
		}
		for i, tr := range all(tn, "tr") {
			var row []string
			align := ""
			for c := tr.FirstChild; c != nil; c = c.NextSibling {
				if c.Type != html.ElementNode || (c.Data != "th" && c.Data != "td") {
					continue
				}
				row = append(row, text(c))
				class, _ := attr(c, "class")
				if strings.Contains(class, "--numeric") {
					align += "R"
				} else {
					align += "L"
				}
			}
			if i == 0 {
				t.Cols, t.Align = row, align
				continue
			}
			if align != t.Align {
				t.Caption += " (row " + strconv.Itoa(i) + " aligned " + align + ")"
			}
			t.Rows = append(t.Rows, row)
		}
		out = append(out, t)
	}
	return out
}

// Every demo council's HTML briefing, for a year, a quarter and a month, is one well-formed accessible
// page: lang, a title, one h1 and no heading level skipped, a caption on every table, a name on
// every chart, no script and nothing to fetch; its tables are exactly the tables the briefing
// works out (the same functions the PDF prints from), and its figures are the PDF's: the key
// messages, the headline tiles and every number of every table the PDF prints appear in the
// PDF's text, both rendered from one Gather.
func TestHTMLBriefingMatchesThePDF(t *testing.T) {
	for _, council := range demoCouncils {
		for _, period := range []string{"2024-25", "2024-25Q3", "2024-11"} {
			t.Run(council+"/"+period, func(t *testing.T) {
				fig, _, pdfText, page := both(t, council, period)
				pdf := flat(pdfText)
				doc, err := html.Parse(bytes.NewReader(page))
				if err != nil {
					t.Fatal(err)
				}
				// the page itself
				htmls := all(doc, "html")
				if lang, _ := attr(htmls[0], "lang"); !strings.HasPrefix(lang, "en") {
					t.Errorf("lang=%q", lang)
				}
				name := fig.View.Filters.Council.Name
				if ts := all(doc, "title"); len(ts) < 1 || text(ts[0]) != "Family Hubs briefing: "+name+", "+fig.View.Filters.Period.Label {
					t.Errorf("document title %v", ts)
				}
				hs := headings(doc)
				if len(hs) == 0 || hs[0] != 1 {
					t.Fatalf("headings %v: want an h1 first", hs)
				}
				for i, h := range hs {
					if i > 0 && h == 1 {
						t.Errorf("a second h1 (heading %d)", i+1)
					}
					if i > 0 && h > hs[i-1]+1 {
						t.Errorf("heading %d is h%d after h%d: a level skipped", i+1, h, hs[i-1])
					}
				}
				for _, tag := range []string{"script", "link", "img", "iframe", "object"} {
					if n := len(all(doc, tag)); n > 0 {
						t.Errorf("%d <%s> elements: the briefing must stand alone", n, tag)
					}
				}
				if styles := all(doc, "style"); len(styles) != 1 {
					t.Errorf("%d style elements, want the one inlined", len(styles))
				}
				svgs := all(doc, "svg")
				if len(svgs) < 5 {
					t.Errorf("only %d charts", len(svgs))
				}
				for i, s := range svgs {
					role, _ := attr(s, "role")
					label, _ := attr(s, "aria-label")
					if role != "img" || len(label) < 40 || len(all(s, "title")) != 1 {
						t.Errorf("svg %d: role %q, label %q: want an image with a name and a title", i, role, label)
					}
				}
				for _, h := range all(doc, "h1") {
					if !strings.Contains(text(h), name) {
						t.Errorf("the h1 %q does not name %s", text(h), name)
					}
				}
				body := text(doc)
				// the tables: every one has a caption, and they are the tables worked out
				got := tables(doc)
				var want []Table
				p := fig.htmlPage(date)
				want = append(want, p.Headline)
				if p.Plan != nil {
					want = append(want, *p.Plan)
				}
				for _, s := range p.Sections {
					for _, b := range s.Blocks {
						want = append(want, b.Tables...)
					}
				}
				if len(got) != len(want) {
					t.Fatalf("%d tables, want %d", len(got), len(want))
				}
				for i, w := range want {
					g := got[i]
					if g.Caption == "" {
						t.Errorf("table %d has no caption", i)
					}
					w.Caption = flat(w.Caption)
					for r := range w.Rows {
						for c := range w.Rows[r] {
							w.Rows[r][c] = flat(w.Rows[r][c])
						}
					}
					if fmt.Sprint(g.Caption, g.Cols, g.Align, g.Rows) != fmt.Sprint(w.Caption, w.Cols, w.Align, w.Rows) {
						t.Errorf("table %d:\n got  %q %q %s %q\n want %q %q %s %q", i, g.Caption, g.Cols, g.Align, g.Rows, w.Caption, w.Cols, w.Align, w.Rows)
					}
				}
				// the same figures and words as the PDF
				squeezed := squeeze(pdf)
				for _, m := range fig.Headlines.Messages {
					if !strings.Contains(squeezed, squeeze(m)) || !strings.Contains(body, flat(m)) {
						t.Errorf("key message not in both: %q", m)
					}
				}
				for _, tile := range fig.Headlines.Tiles {
					if !strings.Contains(pdf, tile.Value) || !strings.Contains(body, tile.Value) {
						t.Errorf("tile %s %q not in both", tile.Label, tile.Value)
					}
				}
				for _, s := range append(methods(fig.View.Coverage.Synthetic), coverOf(fig, date).Period, servicesHeading, Footer) {
					if !strings.Contains(squeezed, squeeze(s)) || !strings.Contains(body, flat(s)) {
						t.Errorf("not in both: %.80q", s)
					}
				}
				// every number of every table the PDF prints is in the PDF's text
				tokens := map[string]bool{}
				for _, w := range strings.Fields(pdfText) {
					tokens[w] = true
				}
				printed := []Table{headlineTable(fig), servicesTable(fig)}
				if pl := planTable(fig); pl != nil {
					printed = append(printed, *pl)
				}
				for i := range answers.Briefing {
					for _, it := range items(fig, i) {
						if it.Mode == Series {
							printed = append(printed, seriesTable(it.Drawn, false))
						}
						if bt := briefTable(it.Drawn); bt != nil {
							printed = append(printed, *bt)
						}
					}
				}
				cells := 0
				for _, tb := range printed {
					for _, row := range tb.Rows {
						for c, cell := range row {
							if !tb.Numeric(c) || cell == "" {
								continue
							}
							cells++
							if !tokens[cell] && !strings.Contains(pdf, cell) {
								t.Errorf("%s: %q (column %s) not in the PDF", tb.Caption, cell, tb.Cols[c])
							}
							if !strings.Contains(body, cell) {
								t.Errorf("%s: %q not in the HTML", tb.Caption, cell)
							}
						}
					}
				}
				if cells < 50 {
					t.Errorf("only %d numbers compared", cells)
				}
			})
		}
	}
}

// A few figures by hand, for Stockport 2024-25, from the questions themselves: the children
// reached (reach_total) in the headline figures, the contacts of one service by age band
// (service_mix) and the share referred within 12 months of a first contact (step_up), the same
// in the PDF's text and in the HTML's tables.
func TestHTMLBriefingByHand(t *testing.T) {
	fig, _, pdfText, page := both(t, "stockport", "2024-25")
	f := fig.View.Filters
	doc, _ := html.Parse(bytes.NewReader(page))
	byCaption := map[string]Table{}
	for _, tb := range tables(doc) {
		byCaption[tb.Caption] = tb
	}
	row := func(caption, first string) []string {
		t.Helper()
		for _, r := range byCaption[caption].Rows {
			if r[0] == first || strings.HasPrefix(r[0], first+" (") {
				return r
			}
		}
		t.Fatalf("no row %q in the HTML table %q", first, caption)
		return nil
	}
	layout := pdfText
	total := answer(t, "reach_total", f, Policy)
	children := answers.Format(total.Rows[0][total.MustCol("children_reached")], 0)
	if got := row("Headline figures", "Children reached"); got[1] != children {
		t.Errorf("HTML: children reached %q, reach_total says %s", got[1], children)
	}
	if !strings.Contains(layout, children) {
		t.Errorf("PDF: children reached %s not printed", children)
	}
	mix := answer(t, "service_mix", f, Policy)
	var cells []string
	for _, r := range mix.Rows {
		if mix.Str(r, "service") == "Health visiting" {
			cells = append(cells, answers.Format(r[mix.Col("contacts")], 0))
		}
	}
	if len(cells) == 0 {
		t.Fatal("no Health visiting contacts in service_mix")
	}
	got := row("Contacts by service and age band of the child", "Health visiting")
	if strings.Join(got[2:2+len(cells)], " ") != strings.Join(cells, " ") {
		t.Errorf("HTML: Health visiting %q, service_mix says %q", got[2:], cells)
	}
	if !strings.Contains(flat(render2(t, fig)), "Health visiting "+strings.Join(cells, " ")) {
		t.Errorf("PDF: Health visiting %q not printed as a row", cells)
	}
	step := answer(t, "step_up", f, Policy)
	for _, r := range step.Rows {
		if step.Str(r, "months") != "12" {
			continue
		}
		share := answers.Cell("cumulative_incidence", r[step.MustCol("cumulative_incidence")])
		got := row(flat(answers.StepUp.Title), "12")
		if got[4] != share {
			t.Errorf("HTML: referred within 12 months %q, step_up says %s", got[4], share)
		}
		if !strings.Contains(layout, share) {
			t.Errorf("PDF: referred within 12 months %s not printed", share)
		}
	}
}

// render2 is the PDF of the figures as pdftotext -layout reads it.
func render2(t *testing.T, fig *Figures) string {
	var b bytes.Buffer
	if err := fig.PDF(date, &b); err != nil {
		t.Fatal(err)
	}
	return pdfText(t, b.Bytes(), "-layout")
}

// startChromium starts a headless Chromium, failing on CI without one and skipping elsewhere.
func startChromium(t *testing.T) context.Context {
	return browsertest.Start(t, 1280, 900)
}

// In Chromium, under the policy the server sends it with, the HTML briefing of two councils is
// styled (its inline stylesheet allowed by hash), asks for nothing, logs no error, and axe finds
// no violation of WCAG 2.2 AA. The check of the style proves itself: under a policy without the
// hash the page is unstyled.
func TestHTMLBriefingAxe(t *testing.T) {
	bctx := startChromium(t)
	h1Font := func() string {
		t.Helper()
		font, err := chromedp.Run(bctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('h1')).fontFamily`))
		if err != nil {
			t.Fatal(err)
		}
		return strings.ToLower(font)
	}
	{
		page, err := HTMLBytes(ctx, service(t), Request{Filters: filters(t, "stockport", "2024-25"), Date: date})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'sha256-AAAA'")
			w.Write(page)
		}))
		if _, err := browser.Load(bctx, srv.URL+"/"); err != nil {
			t.Fatal(err)
		}
		if font := h1Font(); strings.Contains(font, "arial") {
			t.Errorf("under a policy without the stylesheet's hash the h1 is still %q: the check proves nothing", font)
		}
		srv.Close()
	}
	for _, c := range []struct{ council, period string }{{"stockport", "2024-25"}, {"kirklees", "2024-25Q3"}} {
		page, err := HTMLBytes(ctx, service(t), Request{Filters: filters(t, c.council, c.period), Date: date})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
			w.Write(page)
		}))
		defer srv.Close()
		v, err := browser.Load(bctx, srv.URL+"/")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range v.Errors {
			t.Errorf("%s: %s", c.council, e)
		}
		if len(v.Requests) != 1 {
			t.Errorf("%s: the page asked for %v, want only itself", c.council, v.Requests)
		}
		if font := h1Font(); !strings.Contains(font, "arial") {
			t.Errorf("%s: the h1's font is %q: the stylesheet was not applied", c.council, font)
		}
		res, err := axe.Run(bctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.Passes < 10 {
			t.Errorf("%s: only %d rules passed: axe did not run", c.council, res.Passes)
		}
		for _, viol := range res.Violations {
			t.Errorf("%s %s: %s", c.council, c.period, viol)
		}
	}
}

// The tagged PDF, printed by Chromium, is tagged, has an outline of the headings and a text
// alternative for every chart, A4, and carries the same headline figures; the fpdf fallback is
// untagged and says so on its cover and in its subject.
func TestTaggedPDF(t *testing.T) {
	startChromium(t) // skips (or fails on CI) without Chromium
	info := poppler(t, "pdfinfo")
	fig, fpdf, fpdfText, page := both(t, "cumberland", "2024-25Q3")
	tagged, err := TaggedPDF(ctx, page)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pdfinfo := func(name string, pdf []byte, args ...string) string {
		t.Helper()
		file := filepath.Join(dir, name)
		os.WriteFile(file, pdf, 0o644)
		out, err := exec.Command(info, append(args, file)...).CombinedOutput()
		if err != nil {
			t.Fatalf("pdfinfo %s: %v: %s", name, err, out)
		}
		return string(out)
	}
	meta := pdfinfo("tagged.pdf", tagged)
	for _, want := range []string{"Tagged:          yes", "Title:           Family Hubs briefing: Cumberland, 2024-25Q3", "(A4)"} {
		if !strings.Contains(meta, want) {
			t.Errorf("the tagged PDF's metadata lacks %q:\n%s", want, meta)
		}
	}
	structure := pdfinfo("tagged.pdf", tagged, "-struct")
	for _, tag := range []string{"H1", "H2", "H3", "Table", "Caption", "TH", "TD", "Figure", "L (block)", "LI"} {
		if !strings.Contains(structure, tag) {
			t.Errorf("the tagged PDF's structure has no %s", tag)
		}
	}
	if !bytes.Contains(tagged, []byte("/Outlines")) {
		t.Error("the tagged PDF has no outline")
	}
	if n, svgs := bytes.Count(tagged, []byte("/Alt (")), bytes.Count(page, []byte("<svg")); n < svgs {
		t.Errorf("%d text alternatives in the PDF for %d charts", n, svgs)
	}
	text := flat(pdfText(t, tagged))
	for _, tile := range fig.Headlines.Tiles {
		if !strings.Contains(text, tile.Value) || !strings.Contains(flat(fpdfText), tile.Value) {
			t.Errorf("tile %s %q not in both PDFs", tile.Label, tile.Value)
		}
	}
	if strings.Contains(text, "Untagged PDF") {
		t.Error("the tagged PDF says it is untagged")
	}
	// the fallback
	meta = pdfinfo("fpdf.pdf", fpdf)
	if !strings.Contains(meta, "Tagged:          no") || !strings.Contains(meta, "untagged PDF") {
		t.Errorf("the fpdf briefing should be untagged and say so in its subject:\n%s", meta)
	}
	if !strings.Contains(flat(fpdfText), flat(Untagged)) {
		t.Error("the fpdf briefing does not say on its cover that it is untagged")
	}
}
