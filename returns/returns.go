// Package returns fills, checks and writes a council's Family Hubs and Start for Life quarterly
// return to the tool's own specification of it (DfE publishes no open template). The
// specification is data (spec/*.toml): each field names the query that fills it, so a figure in a
// return is the same figure the dashboards and briefings show, but exact: returns are not
// suppressed, and are marked OFFICIAL-SENSITIVE. A return filled from generated contacts (the
// demo's) is marked SYNTHETIC in every file as well.
package returns

import (
	"bytes"
	"context"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/xuri/excelize/v2"

	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

//go:embed spec/*.toml
var specs embed.FS

// Spec is a versioned return specification.
type Spec struct {
	Version         string  `toml:"version"`
	Title           string  `toml:"title"`
	About           string  `toml:"about"` // what the specification is: the tool's own, not DfE's
	Classification  string  `toml:"classification"`
	ChangeThreshold float64 `toml:"change_threshold"`
	Fields          []Field `toml:"field"`
}

// Field is one figure of the return and how it is filled and checked.
type Field struct {
	ID           string              `toml:"id"`
	Section      string              `toml:"section"`
	Description  string              `toml:"description"`
	Unit         string              `toml:"unit"`
	Query        string              `toml:"query"`
	Only         map[string][]string `toml:"only"`
	Column       string              `toml:"column"`
	Aggregate    string              `toml:"aggregate"` // sum or value
	TotalOf      []string            `toml:"total_of"`
	AtMost       string              `toml:"at_most"`
	AtLeast      string              `toml:"at_least"`
	AtMostSumOf  []string            `toml:"at_most_sum_of"`
	AtLeastSumOf []string            `toml:"at_least_sum_of"`
	YesNo        bool                `toml:"yes_no"`
}

// QuarterlySpec loads the current quarterly return specification.
func QuarterlySpec() (*Spec, error) { return LoadSpec("spec/fhsfl-quarterly-v1.toml") }

// LoadSpec reads and checks a specification: every query exists, every field it refers to exists.
func LoadSpec(name string) (*Spec, error) {
	b, err := specs.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var s Spec
	if _, err := toml.Decode(string(b), &s); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if s.About == "" {
		return nil, fmt.Errorf("%s: no about: say what the specification is", name)
	}
	ids := map[string]bool{}
	for _, f := range s.Fields {
		if ids[f.ID] {
			return nil, fmt.Errorf("%s: field %s twice", name, f.ID)
		}
		ids[f.ID] = true
		if _, err := queries.Get(f.Query); err != nil {
			return nil, fmt.Errorf("%s: field %s: %w", name, f.ID, err)
		}
		if f.Aggregate != "sum" && f.Aggregate != "value" {
			return nil, fmt.Errorf("%s: field %s: aggregate %q is not sum or value", name, f.ID, f.Aggregate)
		}
	}
	for _, f := range s.Fields {
		for _, ref := range slices.Concat(f.TotalOf, f.AtMostSumOf, f.AtLeastSumOf, []string{f.AtMost, f.AtLeast}) {
			if ref != "" && !ids[ref] {
				return nil, fmt.Errorf("%s: field %s refers to unknown field %s", name, f.ID, ref)
			}
		}
	}
	return &s, nil
}

// Return is a filled return for one council and period, with the previous quarter for
// comparison.
type Return struct {
	Spec           *Spec
	Council        queries.Council
	Period         queries.Period
	PreviousPeriod queries.Period
	Values         map[string]float64 // a field absent here has no value
	Previous       map[string]float64
	Problems       map[string]string // why a field has no value
	// Synthetic: the council's contacts in the warehouse are generated (the demo's), not its own
	// records; every file says so (SyntheticMarking).
	Synthetic bool
}

// SyntheticMarking marks every file of a return filled from generated contacts.
const SyntheticMarking = "SYNTHETIC demo data: not for submission"

// LoadedKey is the warehouse metadata key that records a council's own contacts as loaded (by
// hubs load, replacing the generated ones): "contacts_loaded:" and the council's ONS code.
func LoadedKey(councilCode string) string { return "contacts_loaded:" + councilCode }

// coverage reads the council's data coverage (the data_coverage question): its first contact
// (zero when it has none) and whether its contacts are generated rather than its own records
// (they are when the warehouse was built by the generator and no load recorded the council's own,
// LoadedKey).
func coverage(ctx context.Context, a Answerer, councilCode string) (first time.Time, synthetic bool, err error) {
	res, err := a.Answer(ctx, "data_coverage", queries.Args{"council": councilCode}, stats.Exact)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("reading the council's data coverage: %w", err)
	}
	if len(res.Rows) != 1 {
		return time.Time{}, false, fmt.Errorf("data_coverage gave %d rows", len(res.Rows))
	}
	first, _ = res.Rows[0][res.MustCol("first_contact")].(time.Time)
	synthetic, _ = res.Rows[0][res.MustCol("synthetic")].(bool)
	return first, synthetic, nil
}

// FirstContact is the day of the council's first service contact in the warehouse, or the zero
// time when it has none.
func FirstContact(ctx context.Context, a Answerer, councilCode string) (time.Time, error) {
	first, _, err := coverage(ctx, a, councilCode)
	return first, err
}

// quarterOf is the financial-year quarter holding day d.
func quarterOf(d time.Time) queries.Period {
	y, m := d.Year(), int(d.Month())
	if m < 4 {
		y--
	}
	p, _ := queries.ParsePeriod(fmt.Sprintf("%d-%02dQ%d", y, (y+1)%100, (m+8)%12/3+1))
	return p
}

// isQuarter says whether p covers exactly one financial-year quarter.
func isQuarter(p queries.Period) bool {
	q := quarterOf(p.Start)
	return q.Start.Equal(p.Start) && q.End.Equal(p.End)
}

// ParseQuarter reads the period a return is asked for and checks it is one whole financial-year
// quarter within the data: not before the quarter of the council's first contact (first; the zero
// time when it has none) and ending by dataEnd, the last day the data covers. A period spelt as
// dates that is exactly a quarter is that quarter. The error is one sentence saying which periods
// are accepted and the latest quarter available.
func ParseQuarter(s string, first, dataEnd time.Time) (queries.Period, error) {
	latest := LatestQuarter(dataEnd)
	var earliest queries.Period
	if !first.IsZero() {
		earliest = quarterOf(first)
	}
	refuse := func(why string) (queries.Period, error) {
		available := "quarters up to " + latest.Label + " are available"
		switch {
		case !earliest.Start.IsZero() && earliest.Start.After(latest.Start):
			available = "no whole quarter is available yet"
		case !earliest.Start.IsZero():
			available = "the quarters available are " + earliest.Label + " to " + latest.Label
		}
		return queries.Period{}, fmt.Errorf("%s: a return is for one whole financial-year quarter within the data, written like 2024-25Q3 "+
			"(Q1 = April to June); %s, and the latest quarter available is %s", why, available, latest.Label)
	}
	p, err := queries.ParsePeriod(s)
	switch {
	case err != nil || !isQuarter(p):
		return refuse(fmt.Sprintf("period %q is not a financial-year quarter", s))
	case p.End.After(dataEnd):
		return refuse(fmt.Sprintf("%s ends after the data does (%s)", quarterOf(p.Start).Label, dataEnd.Format(time.DateOnly)))
	case !earliest.Start.IsZero() && p.Start.Before(earliest.Start):
		return refuse(fmt.Sprintf("%s is before the council's first contact (%s)", quarterOf(p.Start).Label, first.Format(time.DateOnly)))
	}
	return quarterOf(p.Start), nil
}

// LatestQuarter is the last complete financial-year quarter that ends on or before dataEnd.
func LatestQuarter(dataEnd time.Time) queries.Period {
	for y := dataEnd.Year() + 1; y > 2000; y-- { // y: the year the financial year ends
		for q := 4; q >= 1; q-- {
			p, _ := queries.ParsePeriod(fmt.Sprintf("%d-%02dQ%d", y-1, y%100, q))
			if !p.End.After(dataEnd) {
				return p
			}
		}
	}
	return queries.Period{}
}

// Answerer answers a named question under a disclosure policy: the answers layer does, so a
// return's figure is the page's figure, exact.
type Answerer interface {
	Answer(ctx context.Context, name string, args queries.Args, policy stats.Policy) (*queries.Result, error)
}

// Fill runs the queries a return needs through the answers layer, exactly (returns are not
// suppressed), for the period and the quarter before it.
func Fill(ctx context.Context, a Answerer, spec *Spec, council queries.Council, period queries.Period) (*Return, error) {
	r := &Return{Spec: spec, Council: council, Period: period, Problems: map[string]string{}}
	var err error
	if _, r.Synthetic, err = coverage(ctx, a, council.Code); err != nil {
		return nil, err
	}
	if r.Values, err = fill(ctx, a, spec, council, period, r.Problems); err != nil {
		return nil, err
	}
	prev := queries.Period{Start: period.Start.AddDate(0, -3, 0), End: period.Start.AddDate(0, 0, -1)}
	prev.Label = prev.Start.Format(time.DateOnly) + " to " + prev.End.Format(time.DateOnly)
	if isQuarter(prev) {
		prev = quarterOf(prev.Start)
	}
	r.PreviousPeriod = prev
	if r.Previous, err = fill(ctx, a, spec, council, prev, map[string]string{}); err != nil {
		return nil, err
	}
	return r, nil
}

func fill(ctx context.Context, a Answerer, spec *Spec, council queries.Council, p queries.Period, problems map[string]string) (map[string]float64, error) {
	args := queries.Filters{Council: council, Period: p}.Args()
	results := map[string]*queries.Result{}
	values := map[string]float64{}
	for _, f := range spec.Fields {
		res, ok := results[f.Query]
		if !ok {
			var err error
			if res, err = a.Answer(ctx, f.Query, args, stats.Exact); err != nil {
				return nil, fmt.Errorf("field %s: %w", f.ID, err)
			}
			results[f.Query] = res
		}
		ci := res.Col(f.Column)
		if ci < 0 {
			return nil, fmt.Errorf("field %s: query %s has no column %s", f.ID, f.Query, f.Column)
		}
		var picked []float64
		for _, row := range res.Rows {
			keep := true
			for col, wanted := range f.Only {
				j := res.Col(col)
				if j < 0 || !slices.Contains(wanted, queries.Text(row[j])) {
					keep = false
				}
			}
			if !keep {
				continue
			}
			if v, ok := measures.Number(row[ci]); ok {
				picked = append(picked, v)
			}
		}
		switch {
		case f.Aggregate == "value" && len(picked) != 1:
			problems[f.ID] = fmt.Sprintf("%d rows of %s%s; want exactly one: record it (e.g. in the council's file) and fill again", len(picked), f.Query, where(f.Only))
		case f.Aggregate == "value":
			values[f.ID] = picked[0]
		default:
			var s float64
			for _, v := range picked {
				s += v
			}
			values[f.ID] = s
		}
	}
	return values, nil
}

// where says in words which rows a field picks: " where decile = 1 or 2 and index = IDACI", or
// nothing when it takes them all.
func where(only map[string][]string) string {
	cols := slices.Sorted(maps.Keys(only))
	if len(cols) == 0 {
		return ""
	}
	parts := make([]string, len(cols))
	for i, col := range cols {
		parts[i] = col + " = " + strings.Join(only[col], " or ")
	}
	return " where " + strings.Join(parts, " and ")
}

// Finding is one result of validation.
type Finding struct {
	Rule     string // complete, whole, total, bounds, change
	Field    string
	Severity string // error: must be fixed; check: a person must confirm before submission
	Message  string
}

// Validation rules, written down:
//   - complete: the period is a whole quarter, wholly within the data, and every field has a value;
//   - whole: every value is a whole number of at least 0; a yes/no field is 0 or 1;
//   - total: a total equals the sum of its parts;
//   - bounds: a part is at most its whole (fathers <= carers; a band <= all children; reach in the
//     most deprived <= all reach and <= the children living there; a strand <= all contacts), and
//     distinct counts by band add to at least the distinct total;
//   - change: a figure more than the spec's threshold (25%) away from the previous quarter is
//     flagged for a person to confirm (a check, not an error).
const Rules = "complete: whole quarter within the data, every field filled; whole: whole numbers >= 0, yes/no fields 0 or 1; " +
	"total: totals equal the sum of their parts; bounds: parts at most their wholes, distinct counts by band add to at least the total; " +
	"change: more than the threshold away from the previous quarter is flagged for a person to confirm."

// Validate checks the return against the rules; dataEnd is the last day the data covers.
func (r *Return) Validate(dataEnd time.Time) []Finding {
	var out []Finding
	add := func(rule, field, sev, format string, a ...any) {
		out = append(out, Finding{rule, field, sev, fmt.Sprintf(format, a...)})
	}
	q := LatestQuarter(r.Period.End)
	if q.Start != r.Period.Start || q.End != r.Period.End {
		add("complete", "", "error", "the period %s is not a whole financial-year quarter", r.Period.Label)
	}
	if r.Period.End.After(dataEnd) {
		add("complete", "", "error", "the period ends %s, after the data does (%s): the quarter is not complete",
			r.Period.End.Format(time.DateOnly), dataEnd.Format(time.DateOnly))
	}
	for _, f := range r.Spec.Fields {
		v, ok := r.Values[f.ID]
		if !ok {
			add("complete", f.ID, "error", "%s has no value: %s", f.ID, r.Problems[f.ID])
			continue
		}
		if v < 0 || v != math.Trunc(v) || math.IsNaN(v) {
			add("whole", f.ID, "error", "%s = %v: must be a whole number of at least 0", f.ID, v)
		}
		if f.YesNo && v != 0 && v != 1 {
			add("whole", f.ID, "error", "%s = %v: a yes/no field must be 0 or 1", f.ID, v)
		}
	}
	get := func(id string) (float64, bool) { v, ok := r.Values[id]; return v, ok }
	sum := func(ids []string) (float64, bool) {
		var s float64
		for _, id := range ids {
			v, ok := get(id)
			if !ok {
				return 0, false
			}
			s += v
		}
		return s, true
	}
	for _, f := range r.Spec.Fields {
		v, ok := get(f.ID)
		if !ok {
			continue
		}
		if len(f.TotalOf) > 0 {
			if s, ok := sum(f.TotalOf); ok && s != v {
				add("total", f.ID, "error", "%s = %v, but its parts %s add to %v", f.ID, v, strings.Join(f.TotalOf, " + "), s)
			}
		}
		if w, ok := get(f.AtMost); ok && v > w {
			add("bounds", f.ID, "error", "%s = %v is more than %s = %v, of which it is a part", f.ID, v, f.AtMost, w)
		}
		if w, ok := get(f.AtLeast); ok && v < w {
			add("bounds", f.ID, "error", "%s = %v is less than %s = %v, which it must hold", f.ID, v, f.AtLeast, w)
		}
		if s, ok := sum(f.AtMostSumOf); ok && len(f.AtMostSumOf) > 0 && v > s {
			add("bounds", f.ID, "error", "%s = %v is more than %s added together (%v)", f.ID, v, strings.Join(f.AtMostSumOf, " + "), s)
		}
		if s, ok := sum(f.AtLeastSumOf); ok && len(f.AtLeastSumOf) > 0 && v < s {
			add("bounds", f.ID, "error", "%s = %v is less than %s added together (%v)", f.ID, v, strings.Join(f.AtLeastSumOf, " + "), s)
		}
		if p, ok := r.Previous[f.ID]; ok && !f.YesNo {
			field := fmt.Sprintf("%s %s (%s): %s against %s in %s", f.ID, f.Description, f.Section, grouped(v), grouped(p), r.PreviousPeriod.Label)
			switch {
			case p == 0 && v != 0:
				add("change", f.ID, "check", "%s, up from nothing: confirm before submission", field)
			case p != 0 && math.Abs(v-p)/p > r.Spec.ChangeThreshold:
				way := "up"
				if v < p {
					way = "down"
				}
				add("change", f.ID, "check", "%s, %s %.1f%%: confirm before submission", field, way, math.Abs(v-p)/p*100)
			}
		}
	}
	return out
}

// grouped writes a figure with its thousands separated by commas: 1,234.
func grouped(v float64) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

// Errors counts the findings that must be fixed.
func Errors(fs []Finding) int {
	n := 0
	for _, f := range fs {
		if f.Severity == "error" {
			n++
		}
	}
	return n
}

func value(r *Return, id string) string {
	v, ok := r.Values[id]
	if !ok {
		return ""
	}
	return queries.Text(v)
}

// data says whose records the return's figures come from.
func (r *Return) data() string {
	if r.Synthetic {
		return SyntheticMarking
	}
	return "the council's own records"
}

// WriteCSV writes one row per field, each carrying the classification and whose records the
// figures come from (data: SyntheticMarking for the demo's generated contacts).
func (r *Return) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"classification", "data", "return", "council_code", "council", "period", "period_start", "period_end",
		"field_id", "section", "description", "unit", "value"})
	for _, f := range r.Spec.Fields {
		rec := []string{r.Spec.Classification, r.data(), r.Spec.Version, r.Council.Code, r.Council.Name, r.Period.Label,
			r.Period.Start.Format(time.DateOnly), r.Period.End.Format(time.DateOnly), f.ID, f.Section, f.Description, f.Unit, value(r, f.ID)}
		for i := range rec {
			rec[i] = queries.SafeCell(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteReport writes the validation report as text.
func (r *Return) WriteReport(w io.Writer, findings []Finding, generated time.Time) error {
	fmt.Fprintln(w, r.Spec.Classification)
	if r.Synthetic {
		fmt.Fprintf(w, "%s. %s's service contacts in this warehouse are generated, not the council's records (hubs load puts those in).\n",
			SyntheticMarking, r.Council.Name)
	}
	fmt.Fprintf(w, "%s (%s)\n%s\n%s, %s (%s to %s)\nGenerated %s\n\n", r.Spec.Title, r.Spec.Version, r.Spec.About,
		r.Council.Name, r.Period.Label, r.Period.Start.Format(time.DateOnly), r.Period.End.Format(time.DateOnly), generated.Format(time.DateOnly))
	errs := Errors(findings)
	switch {
	case errs == 0 && len(findings) == 0:
		fmt.Fprintln(w, "Validation: clean. No errors, nothing to confirm.")
	case errs == 0:
		fmt.Fprintf(w, "Validation: no errors; %d figure(s) to confirm before submission.\n", len(findings))
	default:
		fmt.Fprintf(w, "Validation: %d error(s) to fix before submission.\n", errs)
	}
	fmt.Fprintf(w, "Rules: %s\n\n", Rules)
	sorted := append([]Finding(nil), findings...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Severity > sorted[j].Severity })
	for _, f := range sorted {
		fmt.Fprintf(w, "%-5s %-8s %-4s %s\n", f.Severity, f.Rule, f.Field, f.Message)
	}
	return nil
}

// WriteXLSX writes the return as a workbook: the figures, the validation, and what it is, with
// the classification in every sheet's header and footer. The first sheet's first row says what
// the return is or, for the demo's generated contacts, SyntheticMarking, which every header and
// footer then carries as well.
func (r *Return) WriteXLSX(w io.Writer, findings []Finding, generated time.Time) error {
	x := excelize.NewFile()
	defer x.Close()
	const data = "Return"
	x.SetSheetName("Sheet1", data)
	bold, _ := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if r.Synthetic {
		warn, _ := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}})
		x.SetCellValue(data, "A1", SyntheticMarking)
		x.SetCellStyle(data, "A1", "A1", warn)
	} else {
		x.SetCellValue(data, "A1", r.Spec.Title+": "+r.Council.Name+", "+r.Period.Label+" ("+r.Spec.Version+", the tool's own specification)")
		x.SetCellStyle(data, "A1", "A1", bold)
	}
	headers := []any{"Field", "Section", "Description", "Unit", "Value", "Previous quarter (" + r.PreviousPeriod.Label + ")"}
	x.SetSheetRow(data, "A2", &headers)
	x.SetCellStyle(data, "A2", "F2", bold)
	for i, f := range r.Spec.Fields {
		row := []any{f.ID, f.Section, f.Description, f.Unit, nil, nil}
		if v, ok := r.Values[f.ID]; ok {
			row[4] = v
		}
		if v, ok := r.Previous[f.ID]; ok {
			row[5] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		x.SetSheetRow(data, cell, &row)
	}
	x.SetColWidth(data, "B", "B", 24)
	x.SetColWidth(data, "C", "C", 80)
	x.SetColWidth(data, "D", "F", 16)

	x.NewSheet("Validation")
	vh := []any{"Severity", "Rule", "Field", "Finding"}
	x.SetSheetRow("Validation", "A1", &vh)
	x.SetCellStyle("Validation", "A1", "D1", bold)
	for i, f := range findings {
		row := []any{f.Severity, f.Rule, f.Field, f.Message}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		x.SetSheetRow("Validation", cell, &row)
	}
	x.SetColWidth("Validation", "D", "D", 100)

	x.NewSheet("About")
	about := [][]any{{"Classification", r.Spec.Classification}, {"Data", r.data()}, {"Return", r.Spec.Title},
		{"Specification", r.Spec.Version}, {"What it is", r.Spec.About},
		{"Council", r.Council.Name + " (" + r.Council.Code + ")"}, {"Period", r.Period.Label},
		{"From", r.Period.Start.Format(time.DateOnly)}, {"To", r.Period.End.Format(time.DateOnly)},
		{"Generated", generated.Format(time.DateOnly)}, {"Errors", Errors(findings)}, {"Validation rules", Rules},
		{"Disclosure", "Exact counts: the return is not suppressed. Handle as " + r.Spec.Classification + "."}}
	for i, row := range about {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		x.SetSheetRow("About", cell, &row)
	}
	x.SetColWidth("About", "A", "A", 18)
	x.SetColWidth("About", "B", "B", 100)
	marking, title, keywords := "&C"+r.Spec.Classification, r.Spec.Title+": "+r.Council.Name+", "+r.Period.Label, r.Spec.Classification
	if r.Synthetic {
		marking = "&L" + SyntheticMarking + marking
		title += " (" + SyntheticMarking + ")"
		keywords += "; SYNTHETIC"
	}
	for _, sheet := range x.GetSheetList() {
		x.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddHeader: marking, OddFooter: marking + "&R&P of &N"})
	}
	x.SetDocProps(&excelize.DocProperties{Title: title, Description: r.Spec.About,
		Subject: r.Spec.Version, Creator: "familyhubs", Keywords: keywords,
		Created: generated.UTC().Format(time.RFC3339), Modified: generated.UTC().Format(time.RFC3339)})
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
