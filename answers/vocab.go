package answers

import (
	"fmt"
	"math"
	"strings"

	"familyhubs/measures"
	"familyhubs/stats"
)

// One vocabulary for pages, briefings and downloads: the codes the warehouse uses, in order, with
// the words a reader sees.
var (
	AgeBands     = []string{"0-2", "3-4", "5-11", "12-19", "20-25"}
	SiteKinds    = []string{"hub", "hublet", "bridge", "outreach", "online"}
	Channels     = []string{"hub", "hublet", "bridge", "outreach", "home visit", "online"}
	CareMeasures = []Term{
		{"looked_after", "Children looked after"},
		{"in_need", "Children in need"},
		{"protection_plan", "Children on child protection plans"},
	}
)

// Term is a code and its name.
type Term struct{ Code, Name string }

// SiteKindName is a site kind as a reader reads it, singular or plural.
func SiteKindName(kind string, n int) string {
	names := map[string][2]string{"hub": {"family hub", "family hubs"}, "hublet": {"hublet", "hublets"},
		"bridge": {"bridge", "bridges"}, "outreach": {"outreach site", "outreach sites"}, "online": {"online hub", "online hubs"}}
	w, ok := names[kind]
	if !ok {
		return kind
	}
	if n == 1 {
		return w[0]
	}
	return w[1]
}

// CareName names a care measure.
func CareName(code string) string {
	for _, m := range CareMeasures {
		if m.Code == code {
			return m.Name
		}
	}
	return code
}

// columnNames are plain-English headers for the columns the questions return.
var columnNames = map[string]string{
	"index": "Index", "decile": "Decile", "idaci_decile": "IDACI decile", "imd_decile": "IMD decile",
	"children_resident": "Children resident (0-19)", "children_reached": "Children reached",
	"families_reached": "Families reached", "reach_per_1000": "Reach per 1,000",
	"reach_per_1000_lower": "Lower 95% limit", "reach_per_1000_upper": "Upper 95% limit",
	"locality": "Locality", "locality_illustrative": "Locality illustrative", "lsoas": "Neighbourhoods",
	"share_children_idaci_1_2": "Share of children in IDACI deciles 1-2", "council_reach_per_1000": "Council reach per 1,000",
	"vs_council": "Compared with the council", "quarter": "Quarter", "quarter_start": "Quarter starts",
	"year": "Year", "sii": "SII", "sii_lower": "SII lower 95% limit", "sii_upper": "SII upper 95% limit",
	"rii": "RII", "rii_lower": "RII lower 95% limit", "rii_upper": "RII upper 95% limit",
	"share_reached_idaci_1_2": "Share of children reached in IDACI deciles 1-2", "deciles_used": "Deciles used",
	"sii_method": "Method", "service": "Service", "service_code": "Service code", "age_band": "Age band",
	"contacts": "Contacts", "funded_strand": "Start for Life funded strand", "channel": "Channel",
	"site_id": "Site id", "name": "Name", "kind": "Kind", "opened": "Opened", "closed": "Closed",
	"designated": "Designated", "families": "Families", "lon": "Longitude", "lat": "Latitude",
	"measure": "Measure", "series": "Series", "area_code": "Area code", "area_name": "Area",
	"number": "Number", "children_0_17": "Children resident (0-17)", "rate_per_10000": "Rate per 10,000",
	"rate_per_10000_lower": "Lower 95% limit", "rate_per_10000_upper": "Upper 95% limit",
	"england_number": "England number", "england_children_0_17": "England children (0-17)",
	"england_rate_per_10000": "England rate per 10,000", "neighbours_rate_per_10000": "Statistical neighbours' average rate",
	"vs_england": "Compared with England", "vs_neighbours": "Compared with statistical neighbours", "trend": "Trend",
	"id": "Id", "indicator": "Indicator", "unit": "Unit", "baseline": "Baseline", "target": "Target", "due": "Due",
	"plan_start": "Plan start", "achieved": "Achieved", "as_of": "Measured at", "illustrative": "Illustrative",
	"note": "Note", "progress": "Progress", "expected": "Expected by now", "status": "Status",
	"period": "Period", "measured_for": "Measured for", "lsoa21_code": "Neighbourhood (2021 LSOA)",
	"lsoa21_name": "Neighbourhood name", "ward_name": "Ward", "area": "Area", "councils": "Councils",
	"part": "Part", "split": "Split", "sites": "Sites",
	"factor": "Factor code", "factor_name": "Factor identified at the end of assessment", "episodes": "Episodes with factors",
	"percent": "% of episodes", "neighbours_percent": "Statistical neighbours' average %", "neighbours_with_data": "Neighbours with a figure",
	"region_name": "Region", "region_percent": "Region %", "england_percent": "England %",
	"months": "Months since the first contact", "days": "Days since the first contact", "cohort": "Children first seen",
	"followed": "Children still followed", "events": "Children referred", "follow_up_end": "Followed to",
	"cumulative_incidence": "Referred (cumulative %)", "cumulative_incidence_lower": "Lower 95% limit",
	"cumulative_incidence_upper": "Upper 95% limit", "cumulative_incidence_lower_998": "Lower 99.8% limit",
	"cumulative_incidence_upper_998": "Upper 99.8% limit",
	"breakdown":                      "Breakdown", "category": "Category", "children": "Children", "linked": "Linked to hub records",
	"reached_12m": "Seen by the hubs in the 12 months before", "reached_24m": "Seen by the hubs in the 24 months before",
	"share_reached_12m": "% seen in the 12 months before", "share_reached_12m_lower": "Lower 95% limit", "share_reached_12m_upper": "Upper 95% limit",
	"share_reached_24m": "% seen in the 24 months before", "share_reached_24m_lower": "Lower 95% limit", "share_reached_24m_upper": "Upper 95% limit",
	"route": "Route", "cases": "Referrals or closures", "re_referred": "Referred again within 12 months",
	"short_follow_up": "Closures not yet followed 12 months", "share_re_referred": "% referred again",
	"share_re_referred_lower": "Lower 95% limit", "share_re_referred_upper": "Upper 95% limit",
	"source": "From stage", "link_method": "Link method", "children_referred": "Children referred", "children_linked": "Children linked",
	"share_linked": "% linked", "share_linked_lower": "Lower 95% limit", "share_linked_upper": "Upper 95% limit",
}

// ColumnName is a column's header in plain English.
func ColumnName(col string) string {
	if n, ok := columnNames[col]; ok {
		return n
	}
	s := strings.ReplaceAll(col, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// Decimals is how many decimal places a column is printed with: rates and indices one (RII and
// shares more), counts none.
func Decimals(col string) int {
	switch {
	case strings.HasPrefix(col, "rii"):
		return 2
	case strings.HasPrefix(col, "share_reached"), strings.HasPrefix(col, "share_re_referred"), strings.HasPrefix(col, "share_linked"):
		return 1 // shares in %, to one place
	case strings.HasPrefix(col, "share_"), col == "progress", col == "expected":
		return 2
	case strings.Contains(col, "per_1000"), strings.HasPrefix(col, "sii"), col == "achieved", col == "baseline", col == "target":
		return 1
	case col == "percent", strings.HasSuffix(col, "_percent"), col == "value": // DfE's care percentages and rates, to one place
		return 1
	case strings.HasPrefix(col, "cumulative_incidence"): // step-up's %, to one place
		return 1
	case col == "lon" || col == "lat", strings.HasSuffix(col, "_lon"), strings.HasSuffix(col, "_lat"):
		return 5
	case col == "england", col == "region", col == "neighbours_average", col == "trajectory": // early_years: to one place, as value
		return 1
	case col == "gain_needed_per_year", strings.HasSuffix(col, "_km"): // km to 10 m
		return 2
	}
	return 0
}

// Format prints a number as every renderer prints it: with thousands separators, to the given
// decimal places; a suppressed value as its symbol; a missing one as "..".
func Format(v any, decimals int) string {
	if s, ok := v.(stats.Suppressed); ok {
		return s.Symbol
	}
	f, ok := measures.Number(v)
	if !ok {
		if v == nil {
			return ".."
		}
		return fmt.Sprint(v)
	}
	return Number(f, decimals)
}

// Number prints f to the given decimals with thousands separators ("4,934", "1,234.5").
func Number(f float64, decimals int) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return ".."
	}
	s := fmt.Sprintf("%.*f", decimals, f)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if hasFrac {
		out += "." + frac
	}
	if neg && strings.Trim(out, "0.,") != "" {
		out = "-" + out
	}
	return out
}

// Cell prints one cell of a column for a table: numbers by Format with the column's decimals,
// anything else as text.
func Cell(col string, v any) string {
	if _, ok := v.(stats.Suppressed); ok {
		return Format(v, 0)
	}
	if _, ok := measures.Number(v); ok {
		if col == "decile" || col == "idaci_decile" || col == "imd_decile" || col == "year" || col == "lsoas" || col == "deciles_used" {
			return fmt.Sprint(v)
		}
		return Format(v, Decimals(col))
	}
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "yes"
		}
		return "no"
	}
	return textOf(v)
}

// Numeric says whether a column holds numbers (and is right-aligned in tables).
func Numeric(col string, rows [][]any, i int) bool {
	for _, row := range rows {
		switch row[i].(type) {
		case nil:
			continue
		case stats.Suppressed:
			return true
		}
		_, ok := measures.Number(row[i])
		return ok
	}
	return false
}

// Plain prints a plan figure: whole numbers without decimals, others to one place.
func Plain(v any) string {
	if f, ok := measures.Number(v); ok && f == math.Trunc(f) {
		return Format(v, 0)
	}
	return Format(v, 1)
}
