package answers_test

import (
	"strings"
	"testing"

	"familyhubs/answers"
	"familyhubs/measures"
)

// Expectant families are drawn as a count by IDACI decile, beside reach: ten deciles, the
// question's protected counts, and no claim in the subtitle to be set against resident children
// (no resident count holds unborn children).
func TestExpectantFamiliesDrawn(t *testing.T) {
	a := service(t)
	d, err := a.Draw(ctx, view(t, a, "council=stockport&period=2024-25"), answers.Expectant)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(d.Subtitle, "children 0-19") {
		t.Errorf("expectant families claim reach's denominator: %q", d.Subtitle)
	}
	if len(d.Categories) != 10 || len(d.Lines) != 1 || d.Lines[0].Lower != nil {
		t.Fatalf("%d categories, %d series (limits %v): want the 10 IDACI deciles as one series of counts", len(d.Categories), len(d.Lines), d.Lines[0].Lower != nil)
	}
	var sum float64
	for i, row := range d.Rows {
		if d.Result.Str(row, "index") != "IDACI" {
			t.Fatalf("row %d is not an IDACI decile", i)
		}
		n, ok := measures.Number(d.Lines[0].Values[i])
		if !ok || n < 0 {
			t.Errorf("decile %s: %v expectant families", d.Categories[i], d.Lines[0].Values[i])
		}
		sum += n
	}
	// 941 expectant families in Stockport in 2024-25 (measures/expectant_test.go), each decile
	// changed by at most 3 by the cell key method
	if sum < 941-30 || sum > 941+30 {
		t.Errorf("the deciles' published expectant families add to %g, far from 941", sum)
	}
}
