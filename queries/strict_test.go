package queries

import (
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// question is a well-formed question file reading a rollup, with extra header lines (or "" for
// none) put in before the SQL; drop removes the header lines starting with that key.
func question(name, extra, drop string) string {
	lines := []string{
		"-- name: " + name,
		"-- answers: How many children the hubs reached.",
		"-- param: council VARCHAR the council's ONS code",
		"-- units: children_reached = children (count)",
		"-- source: SYNTHETIC service contacts; ONS mid-2020 population",
		"-- status: synthetic, real",
		"-- counts: children_reached",
	}
	var out []string
	for _, l := range lines {
		if drop == "" || !strings.HasPrefix(l, "-- "+drop+":") {
			out = append(out, l)
		}
	}
	if extra != "" {
		out = append(out, extra)
	}
	return strings.Join(out, "\n") + "\nSELECT sum(children_reached) AS children_reached FROM reach_rollup WHERE council_code = $council\n"
}

// twin is a raw twin of question(name, ...), reading contacts, with extra header lines.
func twin(name, extra, from string) string {
	h := "-- name: " + name + "\n" +
		"-- raw: queries/" + name + ".sql asked of raw contacts: the reference it is tested against,\n" +
		"--      what `hubs bench` times as plain DuckDB, and the answer: for a period not kept whole.\n" +
		"-- param: council VARCHAR the council's ONS code\n"
	if extra != "" {
		h += extra + "\n"
	}
	return h + "SELECT count(DISTINCT child_id) AS children_reached FROM " + from + " WHERE council_code = $council\n"
}

func mustFail(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted; want an error naming %q", want)
	}
	t.Logf("refused: %v", err)
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not name %q", err, w)
		}
	}
}

func TestStrictParseGoodQuestion(t *testing.T) {
	q, err := parse("reached.sql", question("reached", "", ""))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(q.Status, []string{"synthetic", "real"}) {
		t.Errorf("Status = %q, want [synthetic real]", q.Status)
	}
	if !q.Synthetic() || q.Modelled() || q.Illustrative() {
		t.Errorf("Synthetic, Modelled, Illustrative = %v %v %v; want true false false", q.Synthetic(), q.Modelled(), q.Illustrative())
	}
	q, err = parse("care.sql", strings.Replace(strings.Replace(question("care", "", ""),
		"-- status: synthetic, real", "-- status: modelled,real , illustrative", 1), "SYNTHETIC", "MODELLED", 1))
	if err != nil {
		t.Fatal(err)
	}
	if q.Synthetic() || !q.Modelled() || !q.Illustrative() {
		t.Errorf("status %q: Synthetic, Modelled, Illustrative = %v %v %v", q.Status, q.Synthetic(), q.Modelled(), q.Illustrative())
	}
}

func TestStrictHeaderUnknownKey(t *testing.T) {
	for _, line := range []string{"-- stauts: real", "-- Source: ONS", "-- note: a remark", "-- raw: not in a question", "-- unit : count"} {
		_, err := parse("reached.sql", question("reached", line, ""))
		key := strings.TrimSpace(strings.Split(strings.TrimPrefix(line, "-- "), ":")[0])
		mustFail(t, err, "queries/reached.sql", key)
	}
	// a continuation line, without the shape of a key, stays a comment
	for _, line := range []string{
		"--      and more on the line above: still part of it",
		"-- e.g. this: a remark",
		"--",
		"-- see warehouse/rollups.sql",
	} {
		if _, err := parse("reached.sql", question("reached", line, "")); err != nil {
			t.Errorf("%q: %v", line, err)
		}
	}
	// in a raw twin, only name, raw and param mean anything; the rest is the question's
	for _, line := range []string{"-- stauts: real", "-- status: synthetic", "-- units: count"} {
		fsys := fstest.MapFS{
			"reached.sql":     {Data: []byte(question("reached", "", ""))},
			"raw/reached.sql": {Data: []byte(twin("reached", line, "contacts"))},
		}
		_, err := load(fsys)
		key := strings.Split(strings.TrimPrefix(line, "-- "), ":")[0]
		mustFail(t, err, "queries/raw/reached.sql", key)
	}
}

func TestStrictHeaderStatusRequired(t *testing.T) {
	_, err := parse("reached.sql", question("reached", "", "status"))
	mustFail(t, err, "queries/reached.sql", "status")
	_, err = parse("reached.sql", question("reached", "-- status: ", "status"))
	mustFail(t, err, "queries/reached.sql", "status")
}

func TestStrictHeaderStatusValues(t *testing.T) {
	for status, want := range map[string]string{
		"synthetic, fake":          "fake",
		"synthetic; real":          "synthetic; real",
		"Synthetic":                "Synthetic",
		"synthetic, real, real":    "real",
		"synthetic illustrative":   "synthetic illustrative",
		"synthetic, , real, other": "other",
	} {
		_, err := parse("reached.sql", question("reached", "-- status: "+status, "status"))
		mustFail(t, err, "queries/reached.sql", want)
	}
	// a source that says SYNTHETIC or MODELLED must say so in its status too
	_, err := parse("reached.sql", question("reached", "-- status: real", "status"))
	mustFail(t, err, "queries/reached.sql", "SYNTHETIC", "synthetic")
	modelled := strings.Replace(question("reached", "", ""), "SYNTHETIC", "MODELLED", 1)
	_, err = parse("reached.sql", modelled)
	mustFail(t, err, "queries/reached.sql", "MODELLED", "modelled")
	// a repeated header line is refused, not the last one silently winning
	_, err = parse("reached.sql", question("reached", "-- status: real", ""))
	mustFail(t, err, "queries/reached.sql", "status")
}

func TestStrictRollupNeedsTwin(t *testing.T) {
	fsys := fstest.MapFS{"reached.sql": {Data: []byte(question("reached", "", ""))}}
	_, err := load(fsys)
	mustFail(t, err, "queries/reached.sql", "reach_rollup", "raw/reached.sql")

	fsys["raw/reached.sql"] = &fstest.MapFile{Data: []byte(twin("reached", "", "contacts"))}
	reg, err := load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if q := reg["reached"]; q == nil || q.RawSQL == "" || q.RawFile != "queries/raw/reached.sql" {
		t.Errorf("the twin was not attached: %+v", q)
	}

	// any identifier ending _rollup counts, quoted, qualified or in any case; a comment or a
	// string naming one does not
	for sql, reads := range map[string]bool{
		`SELECT * FROM people_rollup`:                                   true,
		`SELECT * FROM main."site_rollup" r`:                            true,
		`SELECT * FROM Decile_Rollup`:                                   true,
		`SELECT * FROM contacts -- unlike reach_rollup` + "\nWHERE 1=1": false,
		`SELECT * FROM contacts /* not reach_rollup */`:                 false,
		`SELECT 'reach_rollup' AS name FROM contacts`:                   false,
		`SELECT * FROM rollup_periods JOIN reach_rollups USING (x)`:     false,
		`SELECT 'it''s' AS a, x_rollup FROM t`:                          true,
	} {
		if got := readsRollup(sql); len(got) > 0 != reads {
			t.Errorf("readsRollup(%q) = %q, want reads %v", sql, got, reads)
		}
	}
}

func TestStrictTwinReadsRollup(t *testing.T) {
	fsys := fstest.MapFS{
		"reached.sql":     {Data: []byte(question("reached", "", ""))},
		"raw/reached.sql": {Data: []byte(twin("reached", "", "people_rollup"))},
	}
	_, err := load(fsys)
	mustFail(t, err, "queries/raw/reached.sql", "people_rollup")
}

// Every question the package embeds loads under the strict rules, and has the status its SQL
// and source call for.
func TestStrictEmbeddedQuestions(t *testing.T) {
	reg, err := load(files)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"care_at_31_march":         "real",
		"care_by_neighbourhood":    "council records, modelled, real, illustrative",
		"care_trend":               "real",
		"channel_mix":              "synthetic",
		"councils":                 "real, illustrative",
		"england_reach_by_decile":  "synthetic, real",
		"fund_progress":            "synthetic, real, illustrative",
		"inequality_summary":       "synthetic, real",
		"neighbourhoods_by_decile": "real",
		"reach_by_decile":          "synthetic, real",
		"reach_by_locality":        "synthetic, real, illustrative",
		"reach_by_neighbourhood":   "synthetic, real, illustrative",
		"reach_trend":              "synthetic, real",
		"return_people":            "synthetic",
		"service_mix":              "synthetic",
		"site_activity":            "synthetic, real, illustrative",
		"sites_open":               "real, illustrative",
	}
	for name, status := range want {
		q := reg[name]
		if q == nil {
			t.Errorf("no question %s", name)
			continue
		}
		if got := strings.Join(q.Status, ", "); got != status {
			t.Errorf("%s: status %q, want %q", name, got, status)
		}
	}
	for name, q := range reg {
		if len(q.Status) == 0 {
			t.Errorf("%s: no status", name)
		}
		if len(readsRollup(q.SQL)) > 0 && q.RawSQL == "" {
			t.Errorf("%s reads rollups with no raw twin", name)
		}
	}
}

func TestStrictMustCol(t *testing.T) {
	r := &Result{Query: &Query{Name: "reached"}, Columns: []string{"locality", "children_reached", "reach_per_1000", "big", "note"}}
	row := []any{"Heatons", int64(1200), 41.5, big.NewInt(7), nil}
	if got := r.MustCol("reach_per_1000"); got != 2 {
		t.Errorf("MustCol(reach_per_1000) = %d", got)
	}
	for col, want := range map[string]float64{"children_reached": 1200, "reach_per_1000": 41.5, "big": 7} {
		if f, ok := r.Float(row, col); !ok || f != want {
			t.Errorf("Float(%s) = %v %v, want %v", col, f, ok, want)
		}
	}
	for _, col := range []string{"locality", "note"} {
		if f, ok := r.Float(row, col); ok {
			t.Errorf("Float(%s) = %v, true; want false for text and NULL", col, f)
		}
	}
	if got := r.Str(row, "locality"); got != "Heatons" {
		t.Errorf("Str(locality) = %q", got)
	}
	if got := r.Str(row, "children_reached"); got != "1200" {
		t.Errorf("Str(children_reached) = %q", got)
	}
	if got := r.Str(row, "note"); got != "" {
		t.Errorf("Str(note) = %q, want empty for NULL", got)
	}

	for name, call := range map[string]func(){
		"MustCol": func() { r.MustCol("children") },
		"Float":   func() { r.Float(row, "children") },
		"Str":     func() { r.Str(row, "children") },
	} {
		msg := func() (msg string) {
			defer func() { msg = fmt.Sprint(recover()) }()
			call()
			return "no panic"
		}()
		for _, want := range []string{"query reached has no column children", "locality, children_reached, reach_per_1000"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s of a missing column: %q, want it to say %q", name, msg, want)
			}
		}
	}
}

// within must name a question that counts the same columns, and is read into Query.Within.
func TestStrictWithin(t *testing.T) {
	twin := []byte("-- name: reached\n-- raw: the same of contacts\n-- param: council VARCHAR the council's ONS code\nSELECT $council\n")
	twin2 := []byte("-- name: parts\n-- raw: the same of contacts\n-- param: council VARCHAR the council's ONS code\nSELECT $council\n")
	for _, c := range []struct {
		within, wants string
	}{{"-- within: nowhere on part", "which is no question"}, {"-- within: parts", "want QUESTION on COLUMN"}, {"-- within: parts on part", ""}} {
		fsys := fstest.MapFS{
			"reached.sql":     {Data: []byte(question("reached", c.within, ""))},
			"raw/reached.sql": {Data: twin},
			"parts.sql":       {Data: []byte(question("parts", "", ""))},
			"raw/parts.sql":   {Data: twin2},
		}
		reg, err := load(fsys)
		switch {
		case c.wants == "" && err != nil:
			t.Errorf("%s: %v", c.within, err)
		case c.wants == "" && (reg["reached"].Within == nil || reg["reached"].Within.Question != "parts" || reg["reached"].Within.Column != "part"):
			t.Errorf("%s: read as %+v", c.within, reg["reached"].Within)
		case c.wants != "" && (err == nil || !strings.Contains(err.Error(), c.wants)):
			t.Errorf("%s: %v, want an error saying %q", c.within, err, c.wants)
		}
	}
}
