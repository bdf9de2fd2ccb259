package briefings

import (
	"fmt"
	"math"
	"slices"

	"codeberg.org/go-pdf/fpdf"

	"familyhubs/internal/palette"
)

// colours are the dashboards' accessible categorical palette (internal/palette, the one
// definition), in its order: each 3:1 or more against the white page and against the next.
var colours = func() [][3]int {
	out := make([][3]int, len(palette.Categorical))
	for i, c := range palette.Categorical {
		out[i] = palette.RGB(c)
	}
	return out
}()

// dashes are the line series' dash patterns in the same order (palette.Dashes, in mm): a line is
// told apart by its dash and marker as well as its colour, in print as on screen.
func dash(k int) []float64 {
	switch palette.Dashes[k%len(palette.Dashes)] {
	case "dashed":
		return []float64{2, 1}
	case "dotted":
		return []float64{0.5, 0.8}
	}
	return nil
}

// marker draws line series k's marker at x, y: the palette's shapes (circle, square, triangle,
// diamond), r across half.
func marker(pdf *fpdf.Fpdf, k int, x, y, r float64) {
	switch palette.Symbols[k%len(palette.Symbols)] {
	case "rect", "roundRect":
		pdf.Rect(x-r, y-r, 2*r, 2*r, "F")
	case "triangle":
		pdf.Polygon([]fpdf.PointType{{X: x, Y: y - r*1.2}, {X: x + r*1.1, Y: y + r*0.8}, {X: x - r*1.1, Y: y + r*0.8}}, "F")
	case "diamond":
		pdf.Polygon([]fpdf.PointType{{X: x, Y: y - r*1.3}, {X: x + r, Y: y}, {X: x, Y: y + r*1.3}, {X: x - r, Y: y}}, "F")
	default:
		pdf.Circle(x, y, r, "F")
	}
}

// ticks chooses about n round steps covering [lo, hi].
func ticks(lo, hi float64, n int) (start, step float64, count int) {
	if hi <= lo {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		step = m * mag
		if step >= raw {
			break
		}
	}
	start = math.Floor(lo/step) * step
	count = int(math.Ceil((hi-start)/step-1e-9)) + 1
	return start, step, count
}

func tickLabel(v, step float64) string {
	if step >= 1 {
		return groupThousands(fmt.Sprintf("%.0f", v))
	}
	d := int(math.Ceil(-math.Log10(step)))
	return fmt.Sprintf("%.*f", d, v)
}

// frame draws the axes box, horizontal grid and y labels; returns the value-to-y mapping.
func frame(pdf *fpdf.Fpdf, x, y, w, h, lo, hi float64, yLabel string) (func(float64) float64, float64, float64) {
	start, step, n := ticks(lo, hi, 5)
	top := start + step*float64(n-1)
	if top < hi {
		top += step
	}
	toY := func(v float64) float64 { return y + h - (v-start)/(top-start)*h }
	pdf.SetFont("DejaVu", "", 7)
	pdf.SetDrawColor(220, 220, 220)
	pdf.SetLineWidth(0.2)
	for v := start; v <= top+step/2; v += step {
		yy := toY(v)
		pdf.Line(x, yy, x+w, yy)
		pdf.SetXY(x-16, yy-2)
		pdf.CellFormat(15, 4, tickLabel(v, step), "", 0, "R", false, 0, "")
	}
	pdf.SetDrawColor(80, 80, 80)
	pdf.Line(x, y+h, x+w, y+h)
	pdf.Line(x, y, x, y+h)
	if yLabel != "" {
		pdf.SetXY(x-16, y-6)
		pdf.CellFormat(80, 4, yLabel, "", 0, "L", false, 0, "")
	}
	return toY, start, top
}

// barChart draws one value per category with 95% confidence whiskers; missing values (suppressed)
// draw no bar and print their symbol instead.
func barChart(pdf *fpdf.Fpdf, x, y, w, h float64, labels []string, values, lower, upper []float64, shown []string, yLabel string) {
	lo, hi := 0.0, 0.0
	for i := range values {
		for _, v := range []float64{values[i], lower[i], upper[i]} {
			if !math.IsNaN(v) {
				hi = math.Max(hi, v)
				lo = math.Min(lo, v)
			}
		}
	}
	toY, _, _ := frame(pdf, x, y, w, h, lo, hi, yLabel)
	slot := w / float64(len(labels))
	zero := toY(0)
	for i, l := range labels {
		cx := x + slot*(float64(i)+0.5)
		pdf.SetFont("DejaVu", "", 6.5)
		lines := pdf.SplitText(l, slot-1)
		for k, line := range lines {
			if k > 2 {
				break
			}
			pdf.SetXY(cx-slot/2, y+h+1+float64(k)*3)
			pdf.CellFormat(slot, 3, line, "", 0, "C", false, 0, "")
		}
		if math.IsNaN(values[i]) {
			pdf.SetXY(cx-slot/2, zero-5)
			pdf.SetFont("DejaVu", "B", 7)
			pdf.CellFormat(slot, 4, shown[i], "", 0, "C", false, 0, "")
			continue
		}
		c := colours[0]
		pdf.SetFillColor(c[0], c[1], c[2])
		top := toY(values[i])
		pdf.Rect(cx-slot*0.32, math.Min(top, zero), slot*0.64, math.Abs(zero-top), "F")
		if !math.IsNaN(lower[i]) && !math.IsNaN(upper[i]) {
			pdf.SetDrawColor(30, 30, 30)
			pdf.SetLineWidth(0.3)
			yl, yu := toY(lower[i]), toY(upper[i])
			pdf.Line(cx, yl, cx, yu)
			pdf.Line(cx-1.5, yl, cx+1.5, yl)
			pdf.Line(cx-1.5, yu, cx+1.5, yu)
		}
	}
}

type line struct {
	name         string
	values       []float64 // NaN: no point
	lower, upper []float64 // confidence limits drawn as whiskers at each point (nil: none)
}

// lineChart draws series over categories, labelling every k-th category, with a legend. A
// series' limits are whiskers at each point: dark for one line; for several, each in its own
// line's colour and dash and a little beside its point, so two lines' limits are told apart.
// The legend names them (limits).
func lineChart(pdf *fpdf.Fpdf, x, y, w, h float64, labels []string, series []line, yLabel, limits string) {
	lo, hi := 0.0, 0.0
	for _, s := range series {
		for _, v := range append(append(append([]float64{}, s.values...), s.upper...), s.lower...) {
			if !math.IsNaN(v) {
				hi = math.Max(hi, v)
			}
		}
	}
	toY, _, _ := frame(pdf, x, y, w, h, lo, hi, yLabel)
	n := len(labels)
	toX := func(i int) float64 { return x + w*(float64(i)+0.5)/float64(n) }
	every := int(math.Ceil(float64(n) / 10))
	pdf.SetFont("DejaVu", "", 6.5)
	for i, l := range labels {
		if i%every == 0 {
			pdf.SetXY(toX(i)-10, y+h+1)
			pdf.CellFormat(20, 3, l, "", 0, "C", false, 0, "")
		}
	}
	lx, ly := x, y+h+5.2
	aside := beside(series, w/float64(n))
	for k, s := range series {
		c := colours[k%len(colours)]
		pdf.SetDrawColor(c[0], c[1], c[2])
		pdf.SetFillColor(c[0], c[1], c[2])
		pdf.SetLineWidth(0.5)
		pdf.SetDashPattern(dash(k), 0)
		prev := -1
		for i, v := range s.values {
			if math.IsNaN(v) {
				prev = -1 // a missing year breaks the line
				continue
			}
			if prev >= 0 {
				pdf.Line(toX(prev), toY(s.values[prev]), toX(i), toY(v))
			}
			prev = i
		}
		pdf.SetDashPattern(nil, 0)
		for i, v := range s.values {
			if !math.IsNaN(v) {
				marker(pdf, k, toX(i), toY(v), 0.8)
			}
		}
		for i := range s.lower {
			if math.IsNaN(s.values[i]) || math.IsNaN(s.lower[i]) || math.IsNaN(s.upper[i]) {
				continue
			}
			pdf.SetDrawColor(30, 30, 30)
			if len(series) > 1 {
				pdf.SetDrawColor(c[0], c[1], c[2])
				pdf.SetDashPattern(dash(k), 0)
			}
			pdf.SetLineWidth(0.3)
			cx, yl, yu := toX(i)+aside[k], toY(s.lower[i]), toY(s.upper[i])
			pdf.Line(cx, yl, cx, yu)
			pdf.SetDashPattern(nil, 0)
			pdf.Line(cx-1.5, yl, cx+1.5, yl)
			pdf.Line(cx-1.5, yu, cx+1.5, yu)
			pdf.SetDrawColor(c[0], c[1], c[2])
		}
		// legend: entries side by side, a second row where they do not fit
		pdf.SetFont("DejaVu", "", 7)
		tw := pdf.GetStringWidth(s.name) + 12
		if k > 0 && lx+tw > x+w {
			lx, ly = x, ly+3.6
		}
		// the key: the line's colour, dash and marker
		pdf.SetLineWidth(0.5)
		pdf.SetDashPattern(dash(k), 0)
		pdf.Line(lx, ly+1.8, lx+6, ly+1.8)
		pdf.SetDashPattern(nil, 0)
		marker(pdf, k, lx+3, ly+1.8, 0.8)
		pdf.SetXY(lx+7, ly)
		pdf.CellFormat(tw-8, 3.5, s.name, "", 0, "L", false, 0, "")
		lx += tw
	}
	// the limits' key: a whisker, dark (each line's are in its own colour where there are several)
	if limits == "" || !slices.ContainsFunc(series, func(s line) bool { return s.lower != nil }) {
		return
	}
	pdf.SetFont("DejaVu", "", 7)
	tw := pdf.GetStringWidth(limits) + 12
	if lx+tw > x+w {
		lx, ly = x, ly+3.6
	}
	pdf.SetDrawColor(30, 30, 30)
	pdf.SetLineWidth(0.3)
	pdf.Line(lx+3, ly+0.3, lx+3, ly+3.3)
	pdf.Line(lx+1.5, ly+0.3, lx+4.5, ly+0.3)
	pdf.Line(lx+1.5, ly+3.3, lx+4.5, ly+3.3)
	pdf.SetXY(lx+7, ly)
	pdf.CellFormat(tw-8, 3.5, limits, "", 0, "L", false, 0, "")
}

// beside is how far each series' whiskers stand beside its points, as on the dashboards: where
// several series carry limits, side by side about the point, each a 16th of a category's width
// (slot) from the next, so that two series' whiskers at one category do not overlie one another.
func beside(series []line, slot float64) []float64 {
	var with []int
	for k, s := range series {
		if s.lower != nil {
			with = append(with, k)
		}
	}
	out := make([]float64, len(series))
	if len(series) < 2 {
		return out
	}
	for j, k := range with {
		out[k] = (float64(j) - float64(len(with)-1)/2) / 16 * slot
	}
	return out
}

func groupThousands(s string) string {
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	intPart, frac := s, ""
	for i, r := range s {
		if r == '.' {
			intPart, frac = s[:i], s[i:]
			break
		}
	}
	var out []byte
	for i := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, intPart[i])
	}
	if neg {
		return "-" + string(out) + frac
	}
	return string(out) + frac
}
