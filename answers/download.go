package answers

import (
	"regexp"
	"slices"
	"sort"
	"strings"

	"familyhubs/queries"
)

// Download is an answer as it leaves the server as a file: exactly the rows asked for, each
// carrying the council, the period, the filters, the disclosure policy and the data status, so a
// file saved on its own still says what it is.
func Download(res *queries.Result, v *View, only map[string]string) *queries.Result {
	out := *res
	out.Columns = append([]string{"council_code", "council", "period", "period_start", "period_end", "locality", "service",
		"disclosure", "data_status"}, res.Columns...)
	out.Rows = nil
	f := v.Filters
	locality, service := f.Locality, f.Service
	if !res.Query.Takes("locality") {
		locality = ""
	}
	if !res.Query.Takes("service") {
		service = ""
	}
	period, start, end := any(f.Period.Label), any(f.Period.Start), any(f.Period.End)
	if !res.Query.Takes("period_start") && !res.Query.Takes("period_end") {
		period, start, end = "every year", nil, nil
	}
	var statuses []string
	for _, st := range res.Query.Status {
		if st != "synthetic" || v.Coverage.Synthetic { // a council's own loaded contacts are not synthetic
			statuses = append(statuses, st)
		}
	}
	status := strings.Join(statuses, ", ")
	si := res.Col("source")
	for _, row := range Only(res, only) {
		st := status
		if si >= 0 && slices.Contains(statuses, CouncilRecords) {
			// a care-by-neighbourhood row is counted from council records or modelled, not both
			drop := CouncilRecords
			if queries.Text(row[si]) == CouncilRecords {
				drop = "modelled"
			}
			st = strings.Join(slices.DeleteFunc(slices.Clone(statuses), func(s string) bool { return s == drop }), ", ")
		}
		out.Rows = append(out.Rows, append([]any{f.Council.Code, f.Council.Name, period, start, end, or(locality, "whole council"),
			or(service, "all services"), v.Policy.Name, st}, row...))
	}
	return &out
}

func or(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

var unsafeName = regexp.MustCompile(`[^a-z0-9.]+`)

// DownloadName names a download after what it holds: question, council, period, filters and the
// rows picked, e.g. familyhubs-reach_by_decile-stockport-2024-25-idaci.
func DownloadName(query string, v *View, only map[string]string) string {
	parts := []string{"familyhubs", query, v.Filters.Council.Slug, v.Filters.Period.Label}
	for _, x := range []string{v.Filters.Locality, v.Filters.Service} {
		if x != "" {
			parts = append(parts, x)
		}
	}
	keys := make([]string, 0, len(only))
	for k := range only {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, only[k])
	}
	for i, p := range parts {
		if i > 1 {
			parts[i] = strings.Trim(unsafeName.ReplaceAllString(strings.ToLower(p), "-"), "-")
		}
	}
	return strings.Join(parts, "-")
}
