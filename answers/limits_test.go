package answers_test

import (
	"slices"
	"testing"

	"familyhubs/answers"
	"familyhubs/measures"
)

// A Lines figure split from one column into several series carries each series' own limits,
// taken from that series' rows: the reached-before-crisis trend's two lines (started to be looked
// after, started a protection plan) each hold the lower and upper limits of their own kind and
// year, the 99.8% columns where the reader chose them, and name them alike. A figure split the
// same way without limit columns (the step-up by IDACI) carries none.
func TestSeriesCarryTheirOwnLimits(t *testing.T) {
	a := service(t)
	for _, c := range []struct {
		q, suffix, limits string
	}{
		{"council=stockport&period=2024-25", "", "95% confidence limits"},
		{"council=stockport&period=2024-25&limits=99.8", measures.Wide, "99.8% confidence limits"},
	} {
		d, err := a.Draw(ctx, view(t, a, c.q), answers.ReachedTrend)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Lines) != 2 {
			t.Fatalf("%s: %d series, want 2", c.q, len(d.Lines))
		}
		if d.Limits != c.limits {
			t.Errorf("%s: limits named %q, want %q", c.q, d.Limits, c.limits)
		}
		res := d.Result
		checked := map[int]int{}
		for _, row := range d.Rows {
			k := slices.Index(answers.ReachedTrend.SeriesOrder, res.Str(row, "kind"))
			i := slices.Index(d.Categories, res.Str(row, "year"))
			if k < 0 || i < 0 {
				t.Fatalf("%s: row %v has no series or category", c.q, row)
			}
			l := d.Lines[k]
			if len(l.Lower) != len(d.Categories) || len(l.Upper) != len(d.Categories) {
				t.Fatalf("%s: %s has %d lower and %d upper limits for %d categories", c.q, l.Name, len(l.Lower), len(l.Upper), len(d.Categories))
			}
			for _, lim := range []struct {
				name string
				got  any
			}{{"share_reached_12m_lower", l.Lower[i]}, {"share_reached_12m_upper", l.Upper[i]}} {
				want := row[res.MustCol(lim.name+c.suffix)]
				if lim.got != want {
					t.Errorf("%s: %s %s %s = %v, its row holds %v", c.q, l.Name, d.Categories[i], lim.name+c.suffix, lim.got, want)
				}
			}
			if l.Values[i] != row[res.MustCol("share_reached_12m")] {
				t.Errorf("%s: %s %s plots %v, its row holds %v", c.q, l.Name, d.Categories[i], l.Values[i], row[res.MustCol("share_reached_12m")])
			}
			lo, okLo := measures.Number(l.Lower[i])
			hi, okHi := measures.Number(l.Upper[i])
			if okLo && okHi {
				if lo > hi {
					t.Errorf("%s: %s %s lower %g above upper %g", c.q, l.Name, d.Categories[i], lo, hi)
				}
				checked[k]++
			}
		}
		for k, l := range d.Lines {
			if checked[k] == 0 {
				t.Errorf("%s: no limits checked for %s", c.q, l.Name)
			}
		}
		// the two series' limits differ: each took its own rows, not the other's
		if slices.Equal(d.Lines[0].Lower, d.Lines[1].Lower) {
			t.Errorf("%s: both series carry the same lower limits %v", c.q, d.Lines[0].Lower)
		}
	}
	d, err := a.Draw(ctx, view(t, a, "council=stockport&period=2024-25"), answers.StepUpByIDACI)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range d.Lines {
		if l.Lower != nil || l.Upper != nil {
			t.Errorf("step-up by IDACI: %s carries limits it does not declare", l.Name)
		}
	}
}
