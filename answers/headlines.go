package answers

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

// Tile is a headline figure as every renderer shows it.
type Tile struct {
	Label, Value, Change, Note string
	Status                     string   // green, amber, red or "" (plan tiles)
	Labels                     []string // data status a reader must see: synthetic, modelled, illustrative
}

// Headlines are the overview's tiles and the briefing's key messages, from the same answers.
type Headlines struct {
	Tiles    []Tile
	Messages []string
	Problem  string // why there is nothing to show about service use, or ""
	Partial  string // a warning that the period runs past the data, or ""
}

// figure is a value with its 95% limits, or a suppressed or missing one.
type figure struct {
	raw             any
	value, lo, hi   float64
	ok, suppressed  bool
	symbol, display string
}

func figureOf(r *queries.Result, row []any, col string, decimals int) figure {
	f := figure{raw: row[r.MustCol(col)]}
	f.display = Format(f.raw, decimals)
	if s, ok := f.raw.(stats.Suppressed); ok {
		f.suppressed, f.symbol = true, s.Symbol
		return f
	}
	f.value, f.ok = measures.Number(f.raw)
	f.lo, f.hi = f.value, f.value
	if j := r.Col(col + "_lower"); j >= 0 {
		f.lo, _ = measures.Number(row[j])
		f.hi, _ = measures.Number(row[r.MustCol(col+"_upper")])
	}
	return f
}

// countLimits are exact Poisson limits of a count, so that two counts can be compared as rates
// over the same population are.
func countLimits(f figure) figure {
	if f.ok {
		if iv, err := stats.Rate(f.value, 1, 1, 0.95); err == nil {
			f.lo, f.hi = iv.Lower, iv.Upper
		}
	}
	return f
}

func overlaps(a, b figure) bool { return a.lo <= b.hi && b.lo <= a.hi }

// movement says how a figure moved against the comparison period, in words: "rose/fell" only
// where the 95% intervals do not overlap.
func movement(now, before figure, compared string, unit string) string {
	if !now.ok || !before.ok {
		if before.suppressed {
			return "no comparison: the figure for " + compared + " is suppressed"
		}
		return "no comparison with " + compared
	}
	was := before.display + unit + " in " + compared
	switch {
	case overlaps(now, before):
		return "similar to " + was + " (95% intervals overlap)"
	case now.value > before.value:
		return "up from " + was + " (a significant rise)"
	}
	return "down from " + was + " (a significant fall)"
}

func part(r *queries.Result, name string) []any {
	for _, row := range r.Rows {
		if r.Str(row, "part") == name {
			return row
		}
	}
	return nil
}

// Headlines computes the tiles and key messages for a view.
func (s *Service) Headlines(ctx context.Context, v *View) (*Headlines, error) {
	h := &Headlines{Problem: v.DataProblem(), Partial: v.PartialNote()}
	where := "the council"
	rest := "the rest of the council"
	if v.Filters.Locality != "" {
		where, rest = v.Filters.Locality, "the rest of "+v.Filters.Locality
	}
	compared := Compared(v.Filters.Period)
	if h.Problem == "" {
		total, err := s.Run(ctx, v, "reach_total")
		if err != nil {
			return nil, err
		}
		before, err := s.RunPrevious(ctx, v, "reach_total")
		if err != nil {
			return nil, err
		}
		all, prev := part(total, "all"), part(before, "all")
		children, families := figureOf(total, all, "children_reached", 0), figureOf(total, all, "families_reached", 0)
		rate := figureOf(total, all, "reach_per_1000", 1)
		prevChildren, prevFamilies := figureOf(before, prev, "children_reached", 0), figureOf(before, prev, "families_reached", 0)
		prevRate := figureOf(before, prev, "reach_per_1000", 1)
		comparable := v.Comparable()
		change := func(now, was figure, unit string) string {
			if !comparable {
				return "not compared: " + strings.TrimSuffix(firstClause(h.Partial, compared), ".")
			}
			return movement(now, was, compared, unit)
		}
		synthetic := statusLabels(v, total.Query)
		h.Tiles = append(h.Tiles,
			Tile{Label: "Children reached", Value: children.display, Change: change(countLimits(children), countLimits(prevChildren), ""),
				Note: "distinct children born and aged 0-19 with at least one contact after birth, " + v.Filters.Period.Label, Labels: synthetic},
			Tile{Label: "Families reached", Value: families.display, Change: change(countLimits(families), countLimits(prevFamilies), ""),
				Note: "distinct families, " + v.Filters.Period.Label, Labels: synthetic})
		deprived := figureOf(total, part(total, "idaci_1_2"), "reach_per_1000", 1)
		others := figureOf(total, part(total, "idaci_3_10"), "reach_per_1000", 1)
		tile := Tile{Label: "Reach in the 20% most deprived neighbourhoods", Labels: synthetic,
			Note: "IDACI deciles 1-2 against 3-10, per 1,000 children 0-19, with 95% intervals"}
		switch {
		case deprived.ok && others.ok && others.value > 0:
			tile.Value = deprived.display + " per 1,000"
			tile.Change = fmt.Sprintf("%s times %s (%s per 1,000): %s", Number(deprived.value/others.value, 1), rest, others.display, relation(deprived, others))
		case deprived.suppressed || others.suppressed:
			tile.Value = Format(stats.Suppressed{Symbol: v.Policy.Symbol}, 0)
			tile.Change = "too few children reached to show the rate (suppressed)"
		default:
			tile.Value = "n/a"
			tile.Change = "no children live in one of the two groups in " + where
		}
		h.Tiles = append(h.Tiles, tile)

		// key messages
		msg := fmt.Sprintf("Family hubs reached %s children and young people and %s families in %s", children.display, families.display, PeriodName(v.Filters.Period))
		if v.Filters.Locality != "" {
			msg = fmt.Sprintf("In %s, family hubs reached %s children and young people and %s families in %s", v.Filters.Locality, children.display, families.display, PeriodName(v.Filters.Period))
		}
		switch {
		case children.suppressed:
			msg += fmt.Sprintf(" (%s: fewer than the smallest number shown under the disclosure rules).", children.symbol)
		case rate.ok:
			msg += fmt.Sprintf(": %s per 1,000 children (95%% confidence interval %s to %s)", rate.display, Number(rate.lo, 1), Number(rate.hi, 1))
			if comparable && prevRate.ok {
				switch {
				case overlaps(rate, prevRate):
					msg += fmt.Sprintf(", similar to %s per 1,000 in %s.", prevRate.display, compared)
				case rate.value > prevRate.value:
					msg += fmt.Sprintf(", a significant rise from %s per 1,000 in %s.", prevRate.display, compared)
				default:
					msg += fmt.Sprintf(", a significant fall from %s per 1,000 in %s.", prevRate.display, compared)
				}
			} else {
				msg += "."
			}
		default:
			msg += "."
		}
		h.Messages = append(h.Messages, msg)
		if deprived.ok && others.ok && others.value > 0 {
			h.Messages = append(h.Messages, fmt.Sprintf("Children in the 20%% most deprived neighbourhoods (national IDACI deciles 1-2) were reached at %s per 1,000 (%s to %s), %s %s at %s per 1,000: %s times the rate.",
				deprived.display, Number(deprived.lo, 1), Number(deprived.hi, 1), relationWords(deprived, others), rest, others.display, Number(deprived.value/others.value, 1)))
		}
		if v.Filters.Locality == "" && v.Filters.Service == "" {
			m, err := s.inequalityMessage(ctx, v)
			if err != nil {
				return nil, err
			}
			if m != "" {
				h.Messages = append(h.Messages, m)
			}
			m, err = s.localityMessage(ctx, v)
			if err != nil {
				return nil, err
			}
			if m != "" {
				h.Messages = append(h.Messages, m)
			}
		}
	}
	sites, err := s.sitesTile(ctx, v)
	if err != nil {
		return nil, err
	}
	h.Tiles = append(h.Tiles, sites)
	plan, msg, err := s.planTile(ctx, v)
	if err != nil {
		return nil, err
	}
	if plan != nil {
		h.Tiles = append(h.Tiles, *plan)
		h.Messages = append(h.Messages, msg)
	}
	care, msg, err := s.careTile(ctx, v)
	if err != nil {
		return nil, err
	}
	if care != nil {
		h.Tiles = append(h.Tiles, *care)
		h.Messages = append(h.Messages, msg)
	}
	return h, nil
}

func firstClause(partial, compared string) string {
	if partial != "" {
		return "the period runs past the data"
	}
	return "no complete data for " + compared
}

// statusLabels are the labels a figure carries: its question's status but "real", and
// "synthetic" only where the council's contacts are generated.
func statusLabels(v *View, q *queries.Query) []string {
	var out []string
	for _, s := range q.Status {
		if s != "real" && (s != "synthetic" || v.Coverage.Synthetic) {
			out = append(out, s)
		}
	}
	return out
}

func relation(a, b figure) string {
	switch {
	case overlaps(a, b):
		return "similar (95% intervals overlap)"
	case a.value > b.value:
		return "significantly higher"
	}
	return "significantly lower"
}

func relationWords(a, b figure) string {
	switch {
	case overlaps(a, b):
		return "similar to"
	case a.value > b.value:
		return "significantly higher than"
	}
	return "significantly lower than"
}

// inequalityMessage says in plain words how reach follows deprivation, from the slope index of
// inequality for the financial year of the period (or the latest complete one before its end).
func (s *Service) inequalityMessage(ctx context.Context, v *View) (string, error) {
	r, err := s.Run(ctx, v, "inequality_summary")
	if err != nil {
		return "", err
	}
	var row, prev []any
	for i, x := range r.Rows {
		year := r.Str(x, "year")
		end, err := queries.ParsePeriod(year)
		if err != nil || end.End.After(v.Filters.Period.End) {
			continue
		}
		row = x
		if i > 0 {
			prev = r.Rows[i-1]
		} else {
			prev = nil
		}
	}
	if row == nil {
		return "", nil
	}
	sii := figureOf(r, row, "sii", 1)
	if !sii.ok {
		return "", nil
	}
	year := r.Str(row, "year")
	var msg string
	switch {
	case sii.lo <= 0 && sii.hi >= 0:
		msg = fmt.Sprintf("In %s reach showed no clear gradient with deprivation: the difference between the most and the least deprived ends of the council was %s children per 1,000 (95%% interval %s to %s, which includes no difference)",
			year, Number(math.Abs(sii.value), 1), Number(sii.lo, 1), Number(sii.hi, 1))
	case sii.value < 0:
		msg = fmt.Sprintf("In %s the hubs reached more children where deprivation is higher: about %s more per 1,000 children at the most deprived end of the council than at the least deprived (95%% interval %s to %s; the slope index of inequality)",
			year, Number(-sii.value, 1), Number(-sii.hi, 1), Number(-sii.lo, 1))
	default:
		msg = fmt.Sprintf("In %s the hubs reached fewer children where deprivation is higher: about %s fewer per 1,000 children at the most deprived end of the council than at the least deprived (95%% interval %s to %s; the slope index of inequality)",
			year, Number(sii.value, 1), Number(sii.lo, 1), Number(sii.hi, 1))
	}
	if prev != nil {
		p := figureOf(r, prev, "sii", 1)
		if p.ok {
			pyear := r.Str(prev, "year")
			switch {
			case overlaps(sii, p):
				msg += fmt.Sprintf("; not significantly different from %s", pyear)
			case math.Abs(sii.value) > math.Abs(p.value):
				msg += fmt.Sprintf("; a steeper gradient than in %s", pyear)
			default:
				msg += fmt.Sprintf("; a shallower gradient than in %s", pyear)
			}
		}
	}
	return msg + ".", nil
}

// localityMessage names the localities with the highest and lowest reach, only among those with
// a shown rate, and only when there are two different ones.
func (s *Service) localityMessage(ctx context.Context, v *View) (string, error) {
	r, err := s.Run(ctx, v, "reach_by_locality")
	if err != nil {
		return "", err
	}
	var hi, lo []any
	var hiF, loF figure
	for _, row := range r.Rows {
		f := figureOf(r, row, "reach_per_1000", 1)
		if !f.ok {
			continue
		}
		if hi == nil || f.value > hiF.value {
			hi, hiF = row, f
		}
		if lo == nil || f.value < loF.value {
			lo, loF = row, f
		}
	}
	if hi == nil || r.Str(hi, "locality") == r.Str(lo, "locality") {
		return "", nil
	}
	rel := "a difference that is statistically significant (95% intervals do not overlap)"
	if overlaps(hiF, loF) {
		rel = "a difference that may be chance (95% intervals overlap)"
	}
	return fmt.Sprintf("Among the localities, reach was highest in %s (%s per 1,000) and lowest in %s (%s per 1,000): %s.",
		r.Str(hi, "locality"), hiF.display, r.Str(lo, "locality"), loF.display, rel), nil
}

// sitesTile counts the sites open on the period's last day, by kind (the return's figure).
func (s *Service) sitesTile(ctx context.Context, v *View) (Tile, error) {
	r, err := s.Run(ctx, v, "sites_open")
	if err != nil {
		return Tile{}, err
	}
	total := 0
	var parts []string
	for _, kind := range SiteKinds {
		for _, row := range r.Rows {
			if r.Str(row, "kind") != kind {
				continue
			}
			n, _ := measures.Number(row[r.MustCol("sites")])
			if n > 0 {
				total += int(n)
				parts = append(parts, fmt.Sprintf("%d %s", int(n), SiteKindName(kind, int(n))))
			}
		}
	}
	t := Tile{Label: "Sites open on " + Day(v.Filters.Period.End), Value: strconv.Itoa(total), Change: strings.Join(parts, ", "),
		Labels: statusLabels(v, r.Query)}
	if total == 0 {
		t.Change = "no site open on that day"
	}
	if v.Filters.Locality != "" {
		t.Note = "whole council: sites are counted for the council"
	}
	return t, nil
}

// planTile sums up the plan's red / amber / green, naming the indicators behind any red.
func (s *Service) planTile(ctx context.Context, v *View) (*Tile, string, error) {
	r, err := s.Run(ctx, v, "fund_progress")
	if err != nil {
		return nil, "", err
	}
	if len(r.Rows) == 0 {
		return nil, "", nil
	}
	counts := map[string]int{}
	var reds []string
	illustrative := 0
	for _, row := range r.Rows {
		st := r.Str(row, "status")
		counts[st]++
		if st == "red" {
			name := r.Str(row, "indicator") + " (" + r.Str(row, "id") + ")"
			reds = append(reds, name)
		}
		if row[r.MustCol("illustrative")] == true {
			illustrative++
		}
	}
	other := len(r.Rows) - counts["green"] - counts["amber"] - counts["red"]
	summary := fmt.Sprintf("%d green, %d amber, %d red", counts["green"], counts["amber"], counts["red"])
	if other > 0 {
		summary += fmt.Sprintf(", %d not yet measurable", other)
	}
	t := &Tile{Label: "Transformation Fund plan", Value: fmt.Sprintf("%d of %d on track", counts["green"], len(r.Rows)), Change: summary,
		Labels: statusLabels(v, r.Query)}
	if illustrative > 0 {
		t.Note = fmt.Sprintf("%d of %d targets are illustrative, for the council to replace", illustrative, len(r.Rows))
	}
	worst := ""
	for _, st := range []string{"green", "amber", "red"} {
		if counts[st] > 0 {
			worst = st
		}
	}
	t.Status = worst
	msg := fmt.Sprintf("Of %d plan indicators, %s", len(r.Rows), summary)
	if len(reds) > 0 {
		msg += ". Red: " + strings.Join(reds, "; ")
	}
	if illustrative > 0 {
		msg += fmt.Sprintf(". %d of the targets are illustrative, not the council's published commitments", illustrative)
	}
	return t, msg + ".", nil
}

// careTile is the latest published children looked after figure at or before the period's end.
func (s *Service) careTile(ctx context.Context, v *View) (*Tile, string, error) {
	r, err := s.Run(ctx, v, "care_trend")
	if err != nil {
		return nil, "", err
	}
	var latest []any
	for _, row := range r.Rows {
		if r.Str(row, "measure") != "looked_after" {
			continue
		}
		if _, ok := measures.Number(row[r.MustCol("rate_per_10000")]); !ok {
			continue
		}
		if y, _ := measures.Number(row[r.MustCol("year")]); int(y) <= v.Filters.Period.End.Year() {
			latest = row
		}
	}
	if latest == nil {
		return nil, "", nil
	}
	rate := figureOf(r, latest, "rate_per_10000", 1)
	year := r.Str(latest, "year")
	england, neighbours := Format(latest[r.MustCol("england_rate_per_10000")], 1), Format(latest[r.MustCol("neighbours_rate_per_10000")], 1)
	vsE, vsN := r.Str(latest, "vs_england"), r.Str(latest, "vs_neighbours")
	against := func(vs, what, value string) string {
		switch vs {
		case stats.Higher:
			return "higher than " + what + " (" + value + ")"
		case stats.Lower:
			return "lower than " + what + " (" + value + ")"
		case stats.Similar:
			return "similar to " + what + " (" + value + ")"
		}
		return "not compared with " + what
	}
	trend := map[string]string{stats.Increasing: "a significant rise over the five years to " + year + " (Fingertips' test at 99.8%, holding with any one year left out)",
		stats.Decreasing: "a significant fall over the five years to " + year + " (Fingertips' test at 99.8%, holding with any one year left out)",
		stats.NoChange:   "no significant change over the five years to " + year, stats.TooFewPoints: "too few consecutive years to judge a trend"}[r.Str(latest, "trend")]
	t := &Tile{Label: "Children looked after, 31 March " + year, Value: rate.display + " per 10,000",
		Change: against(vsE, "England", england) + "; " + against(vsN, "the statistical neighbours' average", neighbours) + "; " + trend,
		Note:   Format(latest[r.MustCol("number")], 0) + " children; DfE's published figures (real); council-wide"}
	msg := fmt.Sprintf("At 31 March %s, %s children were looked after, %s per 10,000 children (95%% interval %s to %s): %s, and %s; %s.",
		year, Format(latest[r.MustCol("number")], 0), rate.display, Number(rate.lo, 1), Number(rate.hi, 1),
		against(vsE, "England", england), against(vsN, "the statistical neighbours' average", neighbours), trend)
	return t, msg, nil
}
