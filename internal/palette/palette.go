// Package palette is the one definition of the colours the charts are drawn in: the dashboards'
// ECharts options and the PDF briefing's own charts both take them from here.
//
// The colours are the Government Analysis Function's accessible categorical palette
// (https://analysisfunction.civilservice.gov.uk/policy-store/data-visualisation-colours-in-charts/),
// in its order. Each meets 3:1 contrast against the white background (WCAG 2.2 SC 1.4.11,
// non-text contrast), and each with the colour after it, so series drawn side by side or stacked
// in this order are told apart by colour as well as by their second cue: bars carry ECharts'
// decal patterns, lines a marker shape and dash of their own (Symbols, Dashes).
package palette

import (
	"fmt"
	"math"
	"strconv"
)

// The palette's colours by name.
const (
	DarkBlue    = "#12436D"
	Turquoise   = "#28A197"
	DarkPink    = "#801650"
	Orange      = "#F46A25"
	DarkGrey    = "#3D3D3D"
	LightPurple = "#A285D1"
)

// Background is what the charts are drawn on.
const Background = "#FFFFFF"

// Categorical is the order series take their colours in: series k is Categorical[k % 6].
var Categorical = []string{DarkBlue, Turquoise, DarkPink, Orange, DarkGrey, LightPurple}

// Symbols are the marker shapes of line series in the same order (ECharts' symbol names), so a
// line is told apart by its markers as well as its colour.
var Symbols = []string{"circle", "rect", "triangle", "diamond", "roundRect", "pin"}

// Dashes are the line styles of line series in the same order (ECharts' lineStyle.type).
var Dashes = []string{"solid", "dashed", "dotted", "solid", "dashed", "dotted"}

// Colour is series k's colour.
func Colour(k int) string { return Categorical[k%len(Categorical)] }

// RGB is a colour "#RRGGBB" as its three 0-255 components.
func RGB(hex string) [3]int {
	if len(hex) != 7 || hex[0] != '#' {
		panic(fmt.Sprintf("palette: %q is not #RRGGBB", hex))
	}
	var c [3]int
	for i := range c {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			panic(fmt.Sprintf("palette: %q is not #RRGGBB", hex))
		}
		c[i] = int(v)
	}
	return c
}

// Luminance is a colour's relative luminance as WCAG 2.2 defines it (sRGB, 0 for black to 1
// for white).
func Luminance(hex string) float64 {
	lin := func(v int) float64 {
		c := float64(v) / 255
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	c := RGB(hex)
	return 0.2126*lin(c[0]) + 0.7152*lin(c[1]) + 0.0722*lin(c[2])
}

// Contrast is the WCAG contrast ratio of two colours, from 1 (the same) to 21 (black on white).
func Contrast(a, b string) float64 {
	x, y := Luminance(a), Luminance(b)
	if x < y {
		x, y = y, x
	}
	return (x + 0.05) / (y + 0.05)
}
