package palette

import (
	"math"
	"testing"
)

// Every colour a mark is drawn in meets 3:1 against the white background (WCAG 2.2 SC 1.4.11),
// as does each with the colour drawn next to it (the series after it, and the last with the
// first where a chart has more series than colours); a pair below 3:1 would need its second cue
// (decal, marker, dash) to be different, which is checked too.
func TestContrast(t *testing.T) {
	// the formula itself, against WCAG's own figures
	if c := Contrast("#000000", "#FFFFFF"); math.Abs(c-21) > 1e-9 {
		t.Fatalf("black on white: %v, want 21", c)
	}
	if c := Contrast("#767676", "#FFFFFF"); math.Abs(c-4.54) > 0.01 {
		t.Fatalf("#767676 on white: %.3f, want 4.54", c)
	}
	if len(Symbols) != len(Categorical) || len(Dashes) != len(Categorical) {
		t.Fatal("every colour needs its marker shape and dash")
	}
	for _, c := range Categorical {
		r := Contrast(c, Background)
		t.Logf("%s against white: %.2f:1", c, r)
		if r < 3 {
			t.Errorf("%s against white: %.2f:1, below 3:1", c, r)
		}
	}
	n := len(Categorical)
	for k := range Categorical {
		a, b := Categorical[k], Categorical[(k+1)%n]
		r := Contrast(a, b)
		t.Logf("%s next to %s: %.2f:1", a, b, r)
		if r < 3 {
			t.Logf("%s next to %s is below 3:1: told apart by marker %s/%s and dash %s/%s", a, b, Symbols[k], Symbols[(k+1)%n], Dashes[k], Dashes[(k+1)%n])
			if Symbols[k] == Symbols[(k+1)%n] && Dashes[k] == Dashes[(k+1)%n] {
				t.Errorf("%s next to %s: %.2f:1 and the same marker and dash", a, b, r)
			}
		}
	}
	// pairs further apart in the order are never drawn next to each other by colour alone: say
	// which are close, for the README's account
	for i := range Categorical {
		for j := i + 2; j < n; j++ {
			if (j+1)%n == i {
				continue
			}
			if r := Contrast(Categorical[i], Categorical[j]); r < 3 {
				t.Logf("%s and %s (not adjacent): %.2f:1, told apart by decal, marker %s/%s and dash %s/%s", Categorical[i], Categorical[j], r, Symbols[i], Symbols[j], Dashes[i], Dashes[j])
			}
		}
	}
	// no two series share both a marker and a dash
	seen := map[[2]string]bool{}
	for k := range Categorical {
		key := [2]string{Symbols[k], Dashes[k]}
		if seen[key] {
			t.Errorf("series %d has the marker and dash of another: %v", k, key)
		}
		seen[key] = true
	}
}
