package briefings

import (
	"fmt"
	"math"

	"codeberg.org/go-pdf/fpdf"
)

// Colour-blind-safe palette (Okabe and Ito), as the dashboards use.
var colours = [][3]int{{0, 114, 178}, {230, 159, 0}, {0, 158, 115}, {204, 121, 167}, {86, 180, 233}, {213, 94, 0}}

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

// lineChart draws series over categories, labelling every k-th category, with a legend.
func lineChart(pdf *fpdf.Fpdf, x, y, w, h float64, labels []string, series []line, yLabel string) {
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
	for k, s := range series {
		c := colours[k%len(colours)]
		pdf.SetDrawColor(c[0], c[1], c[2])
		pdf.SetFillColor(c[0], c[1], c[2])
		pdf.SetLineWidth(0.5)
		prev := -1
		for i, v := range s.values {
			if math.IsNaN(v) {
				prev = -1 // a missing year breaks the line
				continue
			}
			if prev >= 0 {
				pdf.Line(toX(prev), toY(s.values[prev]), toX(i), toY(v))
			}
			pdf.Circle(toX(i), toY(v), 0.6, "F")
			prev = i
		}
		for i := range s.lower {
			if math.IsNaN(s.values[i]) || math.IsNaN(s.lower[i]) || math.IsNaN(s.upper[i]) {
				continue
			}
			pdf.SetDrawColor(30, 30, 30)
			pdf.SetLineWidth(0.3)
			cx, yl, yu := toX(i), toY(s.lower[i]), toY(s.upper[i])
			pdf.Line(cx, yl, cx, yu)
			pdf.Line(cx-1.5, yl, cx+1.5, yl)
			pdf.Line(cx-1.5, yu, cx+1.5, yu)
			pdf.SetDrawColor(c[0], c[1], c[2])
		}
		// legend: entries side by side, a second row where they do not fit
		pdf.SetFont("DejaVu", "", 7)
		tw := pdf.GetStringWidth(s.name) + 9
		if k > 0 && lx+tw > x+w {
			lx, ly = x, ly+3.6
		}
		pdf.Rect(lx, ly+0.8, 3, 2, "F")
		pdf.SetXY(lx+4, ly)
		pdf.CellFormat(tw-5, 3.5, s.name, "", 0, "L", false, 0, "")
		lx += tw
	}
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
