package answers

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

// Kind is how a figure is drawn.
type Kind string

const (
	Bars    Kind = "bars"    // one value per category, with 95% limits as whiskers where declared
	Lines   Kind = "lines"   // several series over the same categories
	Stacked Kind = "stacked" // several series stacked per category
	Grouped Kind = "grouped" // several series side by side per category
	Map     Kind = "map"     // neighbourhoods coloured by a value
	Sankey  Kind = "sankey"  // flows from Category to Target, each of size Value
)

// Figure declares one chart and its table: which question answers it, which rows, which columns
// are the categories, values, limits and series, what it is called and what it shows. Pages draw
// it with go-echarts and briefings with fpdf, from the same Drawn answer.
type Figure struct {
	ID, Title string
	Shows     string // one line: what this shows, in plain words
	Kind      Kind
	Question  string
	Only      map[string]string // the rows plotted: those equal to these column values
	Category  string            // the column of categories (x axis)
	// one series: Value with optional Lower and Upper limits, named ValueName
	Value, Lower, Upper, ValueName string
	// or several columns as series
	Series []Series
	// or one series per value of SeriesBy (in SeriesOrder, where given), each plotting Value
	// with its own limits from Lower and Upper, where given
	SeriesBy    string
	SeriesOrder []string
	Target      string // a Sankey's column of the stages its flows go to (Category: from)
	Axis        string // what the value axis measures
	Horizontal  bool
	TrimEmpty   bool                                      // drop leading and trailing categories where no series has a value
	Label       func(r *queries.Result, row []any) string // category label, where more than the category column
	SeriesName  func(v *View, name string) string         // a series' name for the view
	Subtitler   func(v *View, d *Drawn) string            // the subtitle, where more than Subtitle says
	// NoDenominator: the figure plots a count set against no resident children (expectant
	// families), so its subtitle does not name the question's denominator
	NoDenominator bool
	// Words are sentences every renderer prints in full view with the figure, not only among its
	// notes: how it was worked out, what it does not say, and why nothing is drawn where so
	Words func(v *View, d *Drawn) []string
	// Brief are the columns the briefing prints as a table under the chart (the page's table
	// holds every column)
	Brief []string
}

// Series is a column plotted as a series.
type Series struct{ Name, Column string }

// Line is a drawn series: its cells as the answer holds them (numbers, suppressed values or nil),
// with limits where declared.
type Line struct {
	Name          string
	Column        string // the question's column it plots (its decimals: Decimals)
	Values        []any
	Lower, Upper  []any
	SuppressedAny bool
}

// Drawn is a figure answered for a view: the rows, categories and series every renderer draws,
// and the words that go with them.
type Drawn struct {
	Limits string // which limits the whiskers show (every series' alike), for the legend and subtitle: "95% confidence limits" or "99.8% ..."
	*Figure
	Result     *queries.Result
	Rows       [][]any
	Categories []string
	Lines      []Line
	Subtitle   string
	Scope      []string // what the filters do not reach, in plain words
	Status     []string // real, modelled, synthetic, illustrative
	Said       []string // the figure's Words for the view
	view       *View
}

// Synthetic says whether the figure counts synthetic records: its question reads contacts and the
// council's contacts are generated, not its own.
func (d *Drawn) Synthetic() bool { return d.Result.Query.Synthetic() && d.view.Coverage.Synthetic }

// Modelled says whether the figure is modelled.
func (d *Drawn) Modelled() bool { return d.Result.Query.Modelled() }

// Draw answers a figure for a view.
func (s *Service) Draw(ctx context.Context, v *View, f *Figure) (*Drawn, error) {
	res, err := s.Run(ctx, v, f.Question)
	if err != nil {
		return nil, err
	}
	d := &Drawn{Figure: f, Result: res, Rows: Only(res, f.Only), Status: res.Query.Status, view: v}
	for _, c := range []string{f.Category, f.Value, f.Lower, f.Upper, f.SeriesBy, f.Target} {
		if c != "" {
			res.MustCol(c) // a declaration naming a column the question lacks fails loudly
		}
	}
	for _, sr := range f.Series {
		res.MustCol(sr.Column)
	}
	d.Subtitle, d.Scope = Subtitle(v, res.Query)
	if f.Subtitler != nil {
		d.Subtitle = f.Subtitler(v, d)
	}
	if den := Denominator(res); den != "" && !f.NoDenominator {
		d.Subtitle += " · " + den // which children reach is set against, and their vintage
	}
	switch {
	case f.SeriesBy != "":
		d.pivot()
	case len(f.Series) > 0:
		for _, row := range d.Rows {
			d.Categories = append(d.Categories, d.label(row))
		}
		for _, sr := range f.Series {
			name := sr.Name
			if f.SeriesName != nil {
				name = f.SeriesName(v, name)
			}
			d.Lines = append(d.Lines, d.line(name, sr.Column, "", ""))
		}
	default:
		for _, row := range d.Rows {
			d.Categories = append(d.Categories, d.label(row))
		}
		lower, upper := d.limits()
		d.Lines = []Line{d.line(f.ValueName, f.Value, lower, upper)}
	}
	if f.TrimEmpty {
		d.trim()
	}
	if f.Words != nil {
		d.Said = f.Words(v, d)
	}
	return d, nil
}

func (d *Drawn) label(row []any) string {
	if d.Label != nil {
		return d.Label(d.Result, row)
	}
	return d.Result.Str(row, d.Category)
}

// limits are the columns of the limits the view draws, and names them (Limits): the figure's
// Lower and Upper, or their 99.8% columns where the reader chose those and the question has them;
// none where the figure declares none.
func (d *Drawn) limits() (lower, upper string) {
	lower, upper = d.Lower, d.Upper
	if lower == "" {
		return "", ""
	}
	d.Result.MustCol(upper) // a lower limit without its upper fails as loudly as a missing column
	d.Limits = "95% confidence limits"
	if d.view.Wide && d.Result.Col(lower+measures.Wide) >= 0 {
		lower, upper = lower+measures.Wide, upper+measures.Wide // the reader chose 99.8% limits
		d.Limits = "99.8% confidence limits"
	}
	return lower, upper
}

func (d *Drawn) line(name, value, lower, upper string) Line {
	l := Line{Name: name, Column: value}
	for _, row := range d.Rows {
		x := row[d.Result.MustCol(value)]
		l.Values = append(l.Values, x)
		if _, ok := x.(stats.Suppressed); ok {
			l.SuppressedAny = true
		}
		if lower != "" {
			l.Lower = append(l.Lower, row[d.Result.MustCol(lower)])
			l.Upper = append(l.Upper, row[d.Result.MustCol(upper)])
		}
	}
	return l
}

// pivot makes one series per value of SeriesBy over the distinct categories, in the order met,
// each with its own limits (the Lower and Upper columns of its rows) where the figure declares
// them. A category a series has no row for holds nil, its limits too.
func (d *Drawn) pivot() {
	r := d.Result
	lower, upper := d.limits()
	seen := map[string]int{}
	for _, row := range d.Rows {
		c := d.label(row)
		if _, ok := seen[c]; !ok {
			seen[c] = len(d.Categories)
			d.Categories = append(d.Categories, c)
		}
	}
	order := d.SeriesOrder
	if len(order) == 0 {
		met := map[string]bool{}
		for _, row := range d.Rows {
			if s := r.Str(row, d.SeriesBy); !met[s] {
				met[s] = true
				order = append(order, s)
			}
		}
	}
	for _, name := range order {
		l := Line{Name: name, Column: d.Value, Values: make([]any, len(d.Categories))}
		if lower != "" {
			l.Lower, l.Upper = make([]any, len(d.Categories)), make([]any, len(d.Categories))
		}
		if d.SeriesName != nil {
			l.Name = d.SeriesName(d.view, name)
		}
		any := false
		for _, row := range d.Rows {
			if r.Str(row, d.SeriesBy) != name {
				continue
			}
			x := row[r.MustCol(d.Value)]
			i := seen[d.label(row)]
			l.Values[i] = x
			if lower != "" {
				l.Lower[i], l.Upper[i] = row[r.MustCol(lower)], row[r.MustCol(upper)]
			}
			any = true
			if _, ok := x.(stats.Suppressed); ok {
				l.SuppressedAny = true
			}
		}
		if any {
			d.Lines = append(d.Lines, l)
		}
	}
}

// Plotted says whether any series has a value to draw.
func (d *Drawn) Plotted() bool {
	for _, l := range d.Lines {
		for _, x := range l.Values {
			if _, ok := measures.Number(x); ok {
				return true
			}
		}
	}
	return false
}

// trim drops leading and trailing categories where no series holds a value (nor a suppressed one).
func (d *Drawn) trim() {
	has := func(i int) bool {
		for _, l := range d.Lines {
			if l.Values[i] != nil {
				if _, ok := measures.Number(l.Values[i]); ok {
					return true
				}
				if _, ok := l.Values[i].(stats.Suppressed); ok {
					return true
				}
			}
		}
		return false
	}
	lo, hi := 0, len(d.Categories)
	for lo < hi && !has(lo) {
		lo++
	}
	for hi > lo && !has(hi-1) {
		hi--
	}
	// the rows stay whole: the table and the download show every year, published or not
	d.Categories = d.Categories[lo:hi]
	for i := range d.Lines {
		l := &d.Lines[i]
		l.Values = l.Values[lo:hi]
		if l.Lower != nil {
			l.Lower, l.Upper = l.Lower[lo:hi], l.Upper[lo:hi]
		}
	}
}

// DrawAll answers several figures for a view at once (DuckDB answers their questions in
// parallel) and returns them in order.
func (s *Service) DrawAll(ctx context.Context, v *View, fs []*Figure) ([]*Drawn, error) {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Question
	}
	s.Prefetch(ctx, v.Args(), v.Policy, names...)
	out := make([]*Drawn, len(fs))
	for i, f := range fs {
		d, err := s.Draw(ctx, v, f)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

// Prefetch answers questions side by side into the cache; errors surface when they are asked again.
func (s *Service) Prefetch(ctx context.Context, args queries.Args, policy stats.Policy, names ...string) {
	asks := make([]Ask, len(names))
	for i, n := range names {
		asks[i] = Ask{n, args}
	}
	s.PrefetchAsks(ctx, policy, asks...)
}

// Ask is one question with its parameters.
type Ask struct {
	Name string
	Args queries.Args
}

// PrefetchAsks answers questions, each with its own parameters, side by side into the cache: a
// page asks everything it will need at once (the filter form's choices, its figures, the
// comparison period), so it waits for its slowest question, not for the sum of them.
func (s *Service) PrefetchAsks(ctx context.Context, policy stats.Policy, asks ...Ask) {
	var wg sync.WaitGroup
	seen := map[string]bool{}
	// one question per core at a time: DuckDB's own threads share the same cores, and more at
	// once only lengthens each (measured with hubs bench on the national warehouse)
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, a := range asks {
		key := a.Name + "\x00" + fmt.Sprint(a.Args)
		if seen[key] {
			continue
		}
		seen[key] = true
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			s.Answer(ctx, a.Name, a.Args, policy)
		}()
	}
	wg.Wait()
}

// Subtitle says whom and when a question's answer covers for the view, naming any filter the
// question does not take, so a chart never claims a filter it ignores.
func Subtitle(v *View, q *queries.Query) (string, []string) {
	parts := []string{v.Filters.Council.Name}
	var scope []string
	if v.Filters.Locality != "" {
		if q.Takes("locality") {
			parts = append(parts, v.Filters.Locality)
		} else {
			parts = append(parts, "whole council")
			scope = append(scope, "This figure covers the whole council: its question does not take the locality filter.")
		}
	}
	if v.Filters.Service != "" {
		if q.Takes("service") {
			parts = append(parts, "service: "+v.Filters.Service)
		} else {
			parts = append(parts, "all services")
			scope = append(scope, "This figure covers every service: its question does not take the service filter.")
		}
	}
	if q.Takes("period_start") {
		parts = append(parts, PeriodName(v.Filters.Period))
	} else if q.Takes("period_end") {
		parts = append(parts, "on "+Day(v.Filters.Period.End))
	}
	return strings.Join(parts, " · "), scope
}

// Only keeps the rows whose columns equal the given values (as text); nil keeps all.
func Only(res *queries.Result, only map[string]string) [][]any {
	if len(only) == 0 {
		return res.Rows
	}
	var out [][]any
	for _, row := range res.Rows {
		keep := true
		for col, want := range only {
			if i := res.Col(col); i < 0 || queries.Text(row[i]) != want {
				keep = false
			}
		}
		if keep {
			out = append(out, row)
		}
	}
	return out
}

// Table is a figure's rows as a reader's table: plain-English headers, numbers formatted alike
// everywhere, and which columns are numeric (right-aligned).
type Table struct {
	Columns []string // the question's column names
	Headers []string
	Numeric []bool
	Rows    [][]string
}

// TableOf prints rows of an answer.
func TableOf(res *queries.Result, rows [][]any) Table {
	t := Table{Columns: res.Columns}
	for i, c := range res.Columns {
		t.Headers = append(t.Headers, ColumnName(c))
		t.Numeric = append(t.Numeric, Numeric(c, rows, i))
	}
	for _, row := range rows {
		cells := make([]string, len(row))
		for i, x := range row {
			cells[i] = Cell(res.Columns[i], x)
		}
		t.Rows = append(t.Rows, cells)
	}
	return t
}

func textOf(v any) string { return queries.Text(v) }
