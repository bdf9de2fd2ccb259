package queries

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Text renders one value as the tool prints it everywhere: dates as YYYY-MM-DD, numbers in
// their shortest exact form, NULL as an empty string.
func Text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format(time.DateOnly)
		}
		return x.Format(time.RFC3339)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return ""
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case *big.Int:
		return x.String()
	case []byte:
		return string(x)
	default:
		return fmt.Sprint(x)
	}
}

// SafeCell neutralises spreadsheet formula injection: a cell a spreadsheet would run as a formula
// (starting =, +, -, @, tab or carriage return) is prefixed with an apostrophe. Plain negative
// numbers are left alone, since they are data, not formulas.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := strconv.ParseFloat(s, 64); err == nil && s[0] == '-' {
			return s
		}
		return "'" + s
	}
	return s
}

// WriteCSV writes the result as CSV with a header row; every cell passes through SafeCell.
func WriteCSV(w io.Writer, r *Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(r.Columns); err != nil {
		return err
	}
	rec := make([]string, len(r.Columns))
	for _, row := range r.Rows {
		for i, v := range row {
			rec[i] = SafeCell(Text(v))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteTable writes the result as an aligned text table, for a terminal.
func WriteTable(w io.Writer, r *Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(r.Columns, "\t"))
	for _, row := range r.Rows {
		cells := make([]string, len(row))
		for i, v := range row {
			cells[i] = Text(v)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// WriteJSON writes the result with what it answers, its units, source and parameters.
func WriteJSON(w io.Writer, r *Result) error {
	type out struct {
		Query   string           `json:"query"`
		Answers string           `json:"answers,omitempty"`
		Units   string           `json:"units,omitempty"`
		Source  string           `json:"source,omitempty"`
		Params  map[string]any   `json:"params,omitempty"`
		Notes   []string         `json:"notes,omitempty"`
		Columns []string         `json:"columns"`
		Rows    []map[string]any `json:"rows"`
	}
	o := out{Columns: r.Columns, Rows: make([]map[string]any, 0, len(r.Rows)), Notes: r.Notes}
	if r.Query != nil {
		o.Query, o.Answers, o.Units, o.Source = r.Query.Name, r.Query.Answers, r.Query.Units, r.Query.Source
	}
	if len(r.Args) > 0 {
		o.Params = map[string]any{}
		for k, v := range r.Args {
			o.Params[k] = jsonValue(v)
		}
	}
	for _, row := range r.Rows {
		m := make(map[string]any, len(row))
		for i, v := range row {
			m[r.Columns[i]] = jsonValue(v)
		}
		o.Rows = append(o.Rows, m)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(o)
}

func jsonValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return Text(x)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
	case *big.Int:
		return x.String()
	}
	return v
}

// Write renders r in format table, csv or json.
func Write(w io.Writer, r *Result, format string) error {
	switch format {
	case "table", "":
		return WriteTable(w, r)
	case "csv":
		return WriteCSV(w, r)
	case "json":
		return WriteJSON(w, r)
	}
	return fmt.Errorf("format %q: use table, csv or json", format)
}
