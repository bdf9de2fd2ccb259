package answers

import (
	"strings"

	"familyhubs/queries"
)

// CouncilRecords is the source a care-by-neighbourhood row gives when it is counted from the
// council's own records (hubs load-care), not modelled.
const CouncilRecords = "council records"

// FromCouncilRecords says whether any of the rows drawn is counted from the council's own records.
func FromCouncilRecords(res *queries.Result, rows [][]any) bool {
	si := res.Col("source")
	if si < 0 {
		return false
	}
	for _, row := range rows {
		if queries.Text(row[si]) == CouncilRecords {
			return true
		}
	}
	return false
}

// ModelledRows says whether the rows drawn rest on a model: the question may answer from one,
// and some row is not from council records (a question without a source column is modelled
// throughout when it says so).
func ModelledRows(res *queries.Result, rows [][]any) bool {
	if !res.Query.Modelled() {
		return false
	}
	si := res.Col("source")
	if si < 0 {
		return true
	}
	for _, row := range rows {
		if queries.Text(row[si]) != CouncilRecords {
			return true
		}
	}
	return len(rows) == 0
}

// Reconciliations are the answer's notes reconciling council records with DfE's published
// figures (one per measure and 31 March drawn from council records).
func Reconciliations(res *queries.Result) []string {
	var out []string
	for _, n := range res.Notes {
		if strings.HasPrefix(n, "COUNCIL RECORDS") {
			out = append(out, n)
		}
	}
	return out
}
