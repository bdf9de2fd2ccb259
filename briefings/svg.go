package briefings

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"slices"
	"strings"

	"familyhubs/answers"
	"familyhubs/internal/palette"
)

// The HTML briefing's charts: inline SVG drawn here from the same Drawn figure the PDF draws,
// each an image (role="img") named by a sentence that says what it shows and where the figures
// are (the table after it). Nothing is fetched and nothing runs: presentation attributes only,
// no style attributes, so the page's content security policy needs no 'unsafe-inline'.

func rgb(c [3]int) string { return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2]) }

const svgText = `font-family="Arial, sans-serif" fill="#0b0c0c"`

// svgOpen starts an svg image of the given size, named by label.
func svgOpen(b *strings.Builder, w, h float64, label string) {
	fmt.Fprintf(b, `<svg class="fh-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-label="%s" focusable="false"><title>%s</title>`,
		w, h, w, h, html.EscapeString(label), html.EscapeString(label))
}

// wrapLabel splits a label into lines of at most n characters, at spaces; at most two lines.
func wrapLabel(s string, n int) []string {
	var out []string
	cur := ""
	for _, w := range strings.Fields(s) {
		if cur != "" && len(cur)+1+len(w) > n {
			out = append(out, cur)
			cur = w
			continue
		}
		if cur != "" {
			cur += " "
		}
		cur += w
	}
	out = append(out, cur)
	if len(out) > 2 {
		out = append(out[:1], strings.Join(out[1:], " "))
		if len(out[1]) > n {
			out[1] = out[1][:n-1] + "…"
		}
	}
	return out
}

// chartLabel is a chart's text alternative: its kind, what it plots and its extremes or latest
// values, and that every value is in the table after it.
func chartLabel(dr *answers.Drawn) string {
	what := dr.Axis
	if what == "" && len(dr.Lines) > 0 {
		what = dr.Lines[0].Name
	}
	switch dr.Kind {
	case answers.Bars:
		l := dr.Lines[0]
		hi, lo := -1, -1
		for i, x := range l.Values {
			v := num(x)
			if math.IsNaN(v) {
				continue
			}
			if hi < 0 || v > num(l.Values[hi]) {
				hi = i
			}
			if lo < 0 || v < num(l.Values[lo]) {
				lo = i
			}
		}
		s := fmt.Sprintf("Bar chart of %s (%s) for %d categories", l.Name, what, len(dr.Categories))
		if hi >= 0 {
			d := answers.Decimals(l.Column)
			s += fmt.Sprintf(": highest %s, %s; lowest %s, %s", categoryName(dr, hi), answers.Format(l.Values[hi], d), categoryName(dr, lo), answers.Format(l.Values[lo], d))
		}
		if l.Lower != nil {
			s += "; whiskers show " + dr.Limits
		}
		return s + ". Every value is in the table after the chart."
	default:
		var names []string
		for _, l := range dr.Lines {
			names = append(names, l.Name)
		}
		s := fmt.Sprintf("Line chart of %s (%s)", strings.Join(names, ", "), what)
		if limited(dr) {
			s += ", whiskers showing " + dr.Limits
		}
		if n := len(dr.Categories); n > 0 {
			s += fmt.Sprintf(", from %s to %s", dr.Categories[0], dr.Categories[n-1])
			var last []string
			for _, l := range dr.Lines {
				last = append(last, l.Name+" "+answers.Format(l.Values[n-1], answers.Decimals(l.Column)))
			}
			s += fmt.Sprintf("; at %s: %s", dr.Categories[n-1], strings.Join(last, ", "))
		}
		return s + ". Every value is in the table after the chart."
	}
}

// limited says whether any of a figure's series carries limits.
func limited(dr *answers.Drawn) bool {
	return slices.ContainsFunc(dr.Lines, func(l answers.Line) bool { return l.Lower != nil })
}

// categoryName is a category as a sentence names it: a bare number with its column's name
// ("Decile 1", "Year 2024").
func categoryName(dr *answers.Drawn, i int) string {
	c := dr.Categories[i]
	if strings.Trim(c, "0123456789-") == "" && dr.Category != "" {
		return answers.ColumnName(dr.Category) + " " + c
	}
	return c
}

// chartSVG draws a bars or lines figure.
func chartSVG(dr *answers.Drawn) template.HTML {
	if dr.Kind == answers.Bars {
		return barSVG(dr)
	}
	return lineSVG(dr)
}

// barSVG draws one value per category as horizontal bars with their limits as whiskers; a
// suppressed value draws no bar and prints its symbol.
func barSVG(dr *answers.Drawn) template.HTML {
	l := dr.Lines[0]
	dec := answers.Decimals(l.Column)
	lo, hi := 0.0, 0.0
	for i, x := range l.Values {
		for _, v := range []float64{num(x), lim(l.Lower, i), lim(l.Upper, i)} {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	start, step, n := ticks(lo, hi, 5)
	top := start + step*float64(n-1)
	if top < hi {
		top += step
	}
	const W, labelW, rowH, axisH = 680.0, 230.0, 30.0, 34.0
	plotX, plotW := labelW+8, W-labelW-8-60
	toX := func(v float64) float64 { return plotX + (v-start)/(top-start)*plotW }
	H := rowH*float64(len(dr.Categories)) + axisH
	var b strings.Builder
	svgOpen(&b, W, H, chartLabel(dr))
	// grid and value axis
	for v := start; v <= top+step/2; v += step {
		x := toX(v)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="0" x2="%.1f" y2="%.1f" stroke="#d8d8d8"/>`, x, x, H-axisH+4)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="middle" %s>%s</text>`, x, H-axisH+18, svgText, tickLabel(v, step))
	}
	if dr.Axis != "" {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="middle" %s>%s</text>`, plotX+plotW/2, H-4, svgText, html.EscapeString(dr.Axis))
	}
	zero := toX(0)
	for i, c := range dr.Categories {
		y := rowH * float64(i)
		lines := wrapLabel(c, 34)
		for k, s := range lines {
			dy := y + rowH/2 + 4 + (float64(k)-float64(len(lines)-1)/2)*13
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="end" %s>%s</text>`, labelW, dy, svgText, html.EscapeString(s))
		}
		v := num(l.Values[i])
		shown := answers.Format(l.Values[i], dec)
		if math.IsNaN(v) {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" font-weight="bold" %s>%s</text>`, zero+4, y+rowH/2+4, svgText, html.EscapeString(shown))
			continue
		}
		x0, x1 := math.Min(zero, toX(v)), math.Max(zero, toX(v))
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`, x0, y+6, x1-x0, rowH-12, rgb(colours[0]))
		end := x1
		if a, z := lim(l.Lower, i), lim(l.Upper, i); !math.IsNaN(a) && !math.IsNaN(z) {
			xa, xz, cy := toX(a), toX(z), y+rowH/2
			fmt.Fprintf(&b, `<path d="M%.1f %.1fH%.1fM%.1f %.1fV%.1fM%.1f %.1fV%.1f" stroke="#0b0c0c" stroke-width="1.5" fill="none"/>`,
				xa, cy, xz, xa, cy-5, cy+5, xz, cy-5, cy+5)
			end = math.Max(end, xz)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" %s>%s</text>`, end+4, y+rowH/2+4, svgText, html.EscapeString(shown))
	}
	fmt.Fprintf(&b, `<line x1="%.1f" y1="0" x2="%.1f" y2="%.1f" stroke="#505a5f"/>`, zero, zero, H-axisH)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// svgDash is line series k's dash pattern (palette.Dashes), as the PDF draws it.
func svgDash(k int) string {
	switch palette.Dashes[k%len(palette.Dashes)] {
	case "dashed":
		return ` stroke-dasharray="8 4"`
	case "dotted":
		return ` stroke-dasharray="2 3"`
	}
	return ""
}

// svgMarker is line series k's marker (palette.Symbols: circle, square, triangle, diamond) at x, y.
func svgMarker(k int, x, y, r float64, colour string) string {
	switch palette.Symbols[k%len(palette.Symbols)] {
	case "rect", "roundRect":
		return fmt.Sprintf(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`, x-r, y-r, 2*r, 2*r, colour)
	case "triangle":
		return fmt.Sprintf(`<path d="M%.1f %.1fL%.1f %.1fL%.1f %.1fZ" fill="%s"/>`, x, y-r*1.2, x+r*1.1, y+r*0.8, x-r*1.1, y+r*0.8, colour)
	case "diamond":
		return fmt.Sprintf(`<path d="M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ" fill="%s"/>`, x, y-r*1.3, x+r, y, x, y+r*1.3, x-r, y, colour)
	}
	return fmt.Sprintf(`<circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s"/>`, x, y, r, colour)
}

func lim(xs []any, i int) float64 {
	if xs == nil {
		return math.NaN()
	}
	return num(xs[i])
}

// lineSVG draws series over the categories with limits as whiskers and a legend: one line's
// whiskers dark, several lines' each in its own line's colour and dash and a little beside its
// point, so that they are told apart; the legend names the limits.
func lineSVG(dr *answers.Drawn) template.HTML {
	ls := linesOf(dr)
	hi := 0.0
	for _, s := range ls {
		for _, v := range append(append(append([]float64{}, s.values...), s.upper...), s.lower...) {
			if !math.IsNaN(v) {
				hi = math.Max(hi, v)
			}
		}
	}
	start, step, n := ticks(0, hi, 5)
	top := start + step*float64(n-1)
	if top < hi {
		top += step
	}
	const W, left, right, plotTop, plotH = 680.0, 64.0, 16.0, 24.0, 200.0
	plotW := W - left - right
	cats := len(dr.Categories)
	toX := func(i int) float64 { return left + plotW*(float64(i)+0.5)/float64(cats) }
	toY := func(v float64) float64 { return plotTop + plotH - (v-start)/(top-start)*plotH }
	keys := len(ls)
	if limited(dr) {
		keys++ // the limits' key
	}
	H := plotTop + plotH + 30 + 20*float64(keys) + 8
	var b strings.Builder
	svgOpen(&b, W, H, chartLabel(dr))
	if dr.Axis != "" {
		fmt.Fprintf(&b, `<text x="0" y="12" font-size="12" %s>%s</text>`, svgText, html.EscapeString(dr.Axis))
	}
	for v := start; v <= top+step/2; v += step {
		y := toY(v)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#d8d8d8"/>`, left, y, W-right, y)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="end" %s>%s</text>`, left-6, y+4, svgText, tickLabel(v, step))
	}
	fmt.Fprintf(&b, `<path d="M%.1f %.1fV%.1fH%.1f" stroke="#505a5f" fill="none"/>`, left, plotTop, plotTop+plotH, W-right)
	every := int(math.Ceil(float64(cats) / 8))
	for i, c := range dr.Categories {
		if i%every == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="middle" %s>%s</text>`, toX(i), plotTop+plotH+18, svgText, html.EscapeString(c))
		}
	}
	aside := beside(ls, plotW/float64(cats))
	for k, s := range ls {
		c := rgb(colours[k%len(colours)])
		var d strings.Builder
		pen := "M"
		for i, v := range s.values {
			if math.IsNaN(v) {
				pen = "M" // a missing value breaks the line
				continue
			}
			fmt.Fprintf(&d, "%s%.1f %.1f", pen, toX(i), toY(v))
			pen = "L"
		}
		fmt.Fprintf(&b, `<path d="%s" stroke="%s" stroke-width="2.5" fill="none"%s/>`, d.String(), c, svgDash(k))
		for i, v := range s.values {
			if math.IsNaN(v) {
				continue
			}
			if i < len(s.lower) && !math.IsNaN(s.lower[i]) && !math.IsNaN(s.upper[i]) {
				x, yl, yu := toX(i), toY(s.lower[i]), toY(s.upper[i])
				if len(ls) > 1 {
					x += aside[k]
					fmt.Fprintf(&b, `<path d="M%.1f %.1fV%.1f" stroke="%s" stroke-width="1.5" fill="none"%s/><path d="M%.1f %.1fH%.1fM%.1f %.1fH%.1f" stroke="%s" stroke-width="1.5" fill="none"/>`,
						x, yl, yu, c, svgDash(k), x-4, yl, x+4, x-4, yu, x+4, c)
				} else {
					fmt.Fprintf(&b, `<path d="M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fH%.1f" stroke="#0b0c0c" stroke-width="1.2" fill="none"/>`,
						x, yl, yu, x-4, yl, x+4, x-4, yu, x+4)
				}
			}
			b.WriteString(svgMarker(k, toX(i), toY(v), 4, c))
		}
		// the key: the line's colour, dash and marker
		ly := plotTop + plotH + 38 + 20*float64(k)
		fmt.Fprintf(&b, `<path d="M%.1f %.1fH%.1f" stroke="%s" stroke-width="2.5" fill="none"%s/>`, left, ly-4, left+24, c, svgDash(k))
		b.WriteString(svgMarker(k, left+12, ly-4, 4, c))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" %s>%s</text>`, left+32, ly, svgText, html.EscapeString(s.name))
	}
	if limited(dr) {
		// the limits' key: a whisker, dark (each line's are in its own colour where there are several)
		ly, x := plotTop+plotH+38+20*float64(len(ls)), left+12
		fmt.Fprintf(&b, `<path d="M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fH%.1f" stroke="#0b0c0c" stroke-width="1.2" fill="none"/>`,
			x, ly-11, ly+3, x-4, ly-11, x+4, x-4, ly+3, x+4)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" %s>%s</text>`, left+32, ly, svgText, html.EscapeString(dr.Limits))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
