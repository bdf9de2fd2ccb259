package measures

import (
	"context"
	"fmt"
	"strings"

	"familyhubs/queries"
	"familyhubs/stats"
)

// SymbolSuffix names the column holding why a figure is missing, in DfE's symbols: NAME_symbol
// beside NAME.
const SymbolSuffix = "_symbol"

// dfeSymbols are the reasons DfE gives for a figure it did not publish.
var dfeSymbols = map[string]string{
	"c":   "confidential: not published by DfE, to protect children (small numbers)",
	"x":   "not available: not collected or not published by DfE that year",
	"u":   "low reliability: DfE did not publish it",
	"z":   "not applicable",
	"low": "rounds to 0 but is not 0 (DfE)",
}

// DfEReason says what a DfE symbol means.
func DfEReason(symbol string) string {
	if r, ok := dfeSymbols[symbol]; ok {
		return r
	}
	return "not published by DfE (" + symbol + ")"
}

// finishDfESymbols shows a figure DfE did not publish as DfE's symbol: where NAME is NULL and
// NAME_symbol holds a symbol, NAME becomes a suppressed value with that symbol and its reason, so
// pages, downloads and the briefing print "c" (never 0 or a blank) and charts mark it where its bar
// would be. The symbol columns, now in their figures, are dropped. These are DfE's published
// figures: nothing is protected or changed here, only a missing figure said to be missing.
func finishDfESymbols(_ context.Context, res *queries.Result, _ stats.Policy) (*queries.Result, error) {
	var drop []string
	for si, col := range res.Columns {
		if !strings.HasSuffix(col, SymbolSuffix) {
			continue
		}
		name := strings.TrimSuffix(col, SymbolSuffix)
		vi := res.Col(name)
		if vi < 0 {
			return nil, fmt.Errorf("%s has no figure %s", col, name)
		}
		for _, row := range res.Rows {
			if s := queries.Text(row[si]); row[si] != nil && s != "" && row[vi] == nil {
				row[vi] = stats.Suppressed{Symbol: s, Reason: DfEReason(s)}
			}
		}
		drop = append(drop, col)
	}
	dropColumns(res, drop...)
	res.Notes = append(res.Notes,
		"Figures DfE did not publish keep DfE's symbol (c confidential, x not available, u low reliability, z not applicable, low rounds to 0) and are never shown as zero.")
	return res, nil
}
