package answers

import (
	"sort"
	"strings"

	"familyhubs/queries"
)

// Denominator says, in one short line, which children a reach figure is set against: the
// question's own label (the `denominator` column, from the warehouse's denominator_years) when
// every row shares it, or, for a figure over several financial years, the rule and the mid-years
// it used. "" for a question without one.
func Denominator(res *queries.Result) string {
	i := res.Col("denominator")
	if i < 0 {
		return ""
	}
	seen := map[string]bool{}
	var labels []string
	for _, row := range res.Rows {
		if l := queries.Text(row[i]); l != "" && !seen[l] {
			seen[l] = true
			labels = append(labels, l)
		}
	}
	switch len(labels) {
	case 0:
		return ""
	case 1:
		return labels[0]
	}
	// several years: "children 0-19 at ONS mid-YYYY (...)..." each; name the first and last mid-year
	var years []string
	latest := false
	for _, l := range labels {
		if y, ok := midYear(l); ok && !contains(years, y) {
			years = append(years, y)
		}
		latest = latest || strings.Contains(l, "the latest available")
	}
	sort.Strings(years)
	s := "children 0-19 at each financial year's previous ONS mid-year"
	if len(years) > 0 {
		s += " (mid-" + years[0] + " to mid-" + years[len(years)-1]
		if latest {
			s += "; mid-" + years[len(years)-1] + ", the latest available, for later years"
		}
		s += ")"
	}
	return s + ", council totals shared by Census 2021"
}

func midYear(label string) (string, bool) {
	_, after, ok := strings.Cut(label, "mid-")
	if !ok || len(after) < 4 {
		return "", false
	}
	return after[:4], true
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
