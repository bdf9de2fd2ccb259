package dashboards

import "strings"

// headers are plain-English table headers for columns whose header answers.ColumnName makes
// mechanically from the column's name and reads poorly.
var headers = map[string]string{
	"id":                    "ID",
	"site_id":               "Site ID",
	"has_hub":               "Has a hub",
	"number_symbol":         "Number (DfE's symbol)",
	"denominator_symbol":    "Denominator (DfE's symbol)",
	"published_percent":     "Published %",
	"locality_illustrative": "Locality is illustrative",
	"value_unit":            "Unit of the value",
}

// heading is a table column's header: the declared one, unless it is only the column's name with
// spaces for underscores, when a plain one is said instead (99.8% limits by their level). It never
// shows a column's snake_case name.
func heading(column, header string) string {
	if !mechanical(column, header) {
		return header
	}
	if h, ok := headers[column]; ok {
		return h
	}
	for suffix, h := range map[string]string{"_lower_998": "Lower 99.8% limit", "_upper_998": "Upper 99.8% limit",
		"_lower": "Lower 95% limit", "_upper": "Upper 95% limit"} {
		if strings.HasSuffix(column, suffix) {
			return h
		}
	}
	return strings.ReplaceAll(header, "_", " ")
}

// mechanical says whether a header is the column's name with spaces for underscores.
func mechanical(column, header string) bool {
	s := strings.ReplaceAll(column, "_", " ")
	return s != "" && strings.EqualFold(header, s)
}
