package load_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"familyhubs/internal/testdata"
	. "familyhubs/load"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
	"familyhubs/warehouse"
)

// splitExport splits an exported folder for a load of the span (SplitForSpan); edit may change
// the span folder's families and contacts lines before the load.
func splitExport(t testing.TB, all string, span warehouse.Span, edit func(families, contacts []string)) (string, string, int) {
	t.Helper()
	before, within := t.TempDir(), t.TempDir()
	n, err := SplitForSpan(all, before, within, span, "")
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		lines := func(f string) []string {
			b, err := os.ReadFile(filepath.Join(within, f))
			if err != nil {
				t.Fatal(err)
			}
			return strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		}
		families, contacts := lines("families.csv"), lines("contacts.csv")
		edit(families[1:], contacts[1:])
		for f, l := range map[string][]string{"families.csv": families, "contacts.csv": contacts} {
			if err := os.WriteFile(filepath.Join(within, f), []byte(strings.Join(l, "\n")+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	return before, within, n
}

func quarter(t testing.TB, s string) warehouse.Span {
	p, err := queries.ParsePeriod(s)
	if err != nil {
		t.Fatal(err)
	}
	return warehouse.Span{Start: p.Start, End: p.End}
}

// A load of one quarter gives the same warehouse as a load of everything: load every contact but
// the quarter's, then the quarter alone (its contacts, and only the families and people they
// name), and every named question answers for every council and period exactly as the demo does.
func TestLoadOneQuarterEqualsAWholeLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo twice; -short skips it")
	}
	demo := testdata.Warehouse(t)
	all := t.TempDir()
	if err := Export(ctx, demo, all); err != nil {
		t.Fatal(err)
	}
	span := quarter(t, "2024-25Q3")
	before, within, n := splitExport(t, all, span, nil)
	if n < 20000 {
		t.Fatalf("only %d contacts in the quarter", n)
	}
	target := filepath.Join(t.TempDir(), "council.duckdb")
	if _, err := Folder(ctx, target, demo.Path, before, Options{}); err != nil {
		t.Fatal(err)
	}
	sum, err := Folder(ctx, target, demo.Path, within, Options{Span: &span})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows["contacts"] != n || len(sum.Councils) != 5 || len(sum.RebuiltWhole) != 0 {
		t.Errorf("loaded %v for %v, rebuilt whole %v", sum.Rows, sum.Councils, sum.RebuiltWhole)
	}
	loaded, err := warehouse.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer loaded.Close()
	same(t, demo, loaded, []string{"E08000007", "E08000034", "E06000063"}, []string{"2024-25", "2024-25Q3", "2024-25Q2", "2023-24", "2025-26"})
}

// same holds every named question's answer equal between two warehouses.
// overCareHistories says whether a question reads the children's social care histories
// (care_episodes). A load of a council's hub records removes the demo's synthetic histories of
// that council, which follow its synthetic children (TestRoundTrip), so their
// answers rightly differ after a load; every other question must not.
func overCareHistories(q *queries.Query) bool { return strings.Contains(q.SQL, "care_episodes") }

func same(t *testing.T, want, got *warehouse.DB, councils, periods []string) {
	t.Helper()
	for _, council := range councils {
		c, err := queries.FindCouncil(ctx, want, council)
		if err != nil {
			t.Fatal(err)
		}
		for _, period := range periods {
			p, err := queries.ParsePeriod(period)
			if err != nil {
				t.Fatal(err)
			}
			args := queries.Filters{Council: c, Period: p}.Args()
			args["year"] = 2025
			for _, q := range queries.All() {
				if overCareHistories(q) {
					continue
				}
				a, err := measures.Run(ctx, want, q.Name, args, stats.Exact)
				if err != nil {
					t.Fatal(err)
				}
				b, err := measures.Run(ctx, got, q.Name, args, stats.Exact)
				if err != nil {
					t.Fatal(err)
				}
				if q.Name == "data_coverage" {
					col := a.MustCol("synthetic")
					a.Rows[0][col], b.Rows[0][col] = nil, nil
				}
				if fmt.Sprint(texts(a)) != fmt.Sprint(texts(b)) {
					t.Errorf("%s for %s, %s differs", q.Name, council, period)
				}
			}
		}
	}
}

// A family that moved home in the quarter takes its earlier contacts with it (as a load of its
// whole history places them), and its council's summaries are rebuilt for every period: the
// rollups still equal the same questions asked of raw contacts. What a load of one span must not
// do is refused: a contact outside the span, a contact id already held for another day.
func TestLoadOneQuarterMovesAFamilyAndRefusesWhatItMustNot(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo; -short skips it")
	}
	demo, target := copyOfDemo(t)
	db := testdata.Warehouse(t)
	all := t.TempDir()
	if err := Export(ctx, db, all); err != nil {
		t.Fatal(err)
	}
	span := quarter(t, "2024-25Q3")
	var moved, from, to string
	_, within, _ := splitExport(t, all, span, func(families, contacts []string) {
		// the first Stockport family moves to another Stockport LSOA
		for i, l := range families {
			f := strings.Split(l, ",")
			if f[1] != "E08000007" {
				continue
			}
			moved, from = f[0], f[2]
			to = "E01005822"
			if from == to {
				to = "E01005900"
			}
			families[i] = f[0] + "," + f[1] + "," + to
			break
		}
		for i, l := range contacts {
			f := strings.Split(l, ",")
			if f[7] == moved {
				f[3] = to
				contacts[i] = strings.Join(f, ",")
			}
		}
	})
	var held int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM contacts WHERE family_id = $1 AND contact_date < $2", moved, span.Start).Scan(&held); err != nil || held == 0 {
		t.Fatalf("family %s has %d contacts before the quarter (%v): pick another", moved, held, err)
	}
	sum, err := Folder(ctx, target, demo, within, Options{Span: &span})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(sum.RebuiltWhole, ",") != "E08000007" {
		t.Errorf("rebuilt whole: %v, want Stockport only", sum.RebuiltWhole)
	}
	loaded, err := warehouse.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	var stale int
	if err := loaded.QueryRowContext(ctx, "SELECT count(*) FROM contacts WHERE family_id = $1 AND lsoa21_code <> $2", moved, to).Scan(&stale); err != nil || stale != 0 {
		t.Errorf("%d of family %s's contacts still in %s (%v)", stale, moved, from, err)
	}
	// the summaries equal raw contacts for periods before, at and after the quarter
	c, _ := queries.FindCouncil(ctx, loaded, "E08000007")
	for _, period := range []string{"2023-24", "2024-25", "2024-25Q3"} {
		p, _ := queries.ParsePeriod(period)
		args := queries.Filters{Council: c, Period: p}.Args()
		for _, name := range []string{"reach_by_neighbourhood", "reach_by_locality", "reach_total", "service_mix"} {
			q, _ := queries.Get(name)
			a, err := q.Run(ctx, loaded, args)
			if err != nil {
				t.Fatal(err)
			}
			b, err := q.RunRaw(ctx, loaded, args)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(texts(a)) != fmt.Sprint(texts(b)) {
				t.Errorf("%s %s: the summaries differ from raw contacts after the family moved", name, period)
			}
		}
	}
	loaded.Close()

	// a contact outside the span, and a contact id already held for another day
	b, _ := os.ReadFile(filepath.Join(within, "contacts.csv"))
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	f := strings.Split(lines[1], ",")
	f[1] = "2025-01-01"
	lines[1] = strings.Join(f, ",")
	var other int64
	if err := db.QueryRowContext(ctx, "SELECT min(contact_id) FROM contacts WHERE contact_date < $1", span.Start).Scan(&other); err != nil {
		t.Fatal(err)
	}
	g := strings.Split(lines[2], ",")
	g[0] = fmt.Sprint(other)
	lines[2] = strings.Join(g, ",")
	os.WriteFile(filepath.Join(within, "contacts.csv"), []byte(strings.Join(lines, "\n")+"\n"), 0o600)
	before := fileHash(t, target)
	_, err = Folder(ctx, target, demo, within, Options{Span: &span})
	if err == nil {
		t.Fatal("a load of one span with a contact outside it went through")
	}
	for _, want := range []string{"contacts.csv:2:", "2025-01-01 is outside the period 2024-10-01 to 2024-12-31"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%s", want, err)
		}
	}
	lines[1] = strings.Join(append([]string{f[0], "2024-11-01"}, f[2:]...), ",")
	os.WriteFile(filepath.Join(within, "contacts.csv"), []byte(strings.Join(lines, "\n")+"\n"), 0o600)
	_, err = Folder(ctx, target, demo, within, Options{Span: &span})
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("contact ids already held for a day outside the period loaded, or for another council (ids are unique): %d", other)) {
		t.Errorf("a contact id held for another day: %v", err)
	}
	if fileHash(t, target) != before {
		t.Error("a refused load changed the warehouse")
	}
}

// BenchmarkLoadOneQuarter times hubs load --period of one quarter of the five demo councils onto
// a warehouse holding every other contact: the whole load (copy, read, check, stage, replace the
// span, rebuild the quarter's and its year's summaries), reported as contacts a second.
// go test ./load -run '^$' -bench LoadOneQuarter -benchtime 3x
func BenchmarkLoadOneQuarter(b *testing.B) {
	demo := testdata.Warehouse(b)
	all := b.TempDir()
	if err := Export(ctx, demo, all); err != nil {
		b.Fatal(err)
	}
	span := quarter(b, "2024-25Q3")
	before, within, n := splitExport(b, all, span, nil)
	target := filepath.Join(b.TempDir(), "council.duckdb")
	if _, err := Folder(ctx, target, demo.Path, before, Options{}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		sum, err := Folder(ctx, target, demo.Path, within, Options{Span: &span})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(sum.Total())/sum.Took.Seconds(), "rows/s")
		b.ReportMetric(sum.Took.Seconds(), "s/load")
		b.ReportMetric(sum.Checked.Seconds(), "s/checked")
	}
	b.ReportMetric(float64(n), "contacts")
}

// BenchmarkLoadOneCouncilQuarter times a load of one council's quarter (Kirklees, the largest
// demo council) onto a warehouse holding every other contact.
// go test ./load -run '^$' -bench LoadOneCouncilQuarter -benchtime 3x
func BenchmarkLoadOneCouncilQuarter(b *testing.B) { benchCouncilQuarter(b, "E08000034", 1) }

// BenchmarkLoadLargeCouncilQuarter loads one quarter of about 100,000 contacts of one council
// (Kirklees' 2024-25 Q3, each contact five times over) onto the rest of its records: the size
// issue 15 sets a 2 s target for.
//
//	go test ./load -run '^$' -bench LoadLargeCouncilQuarter -benchtime 1x
func BenchmarkLoadLargeCouncilQuarter(b *testing.B) { benchCouncilQuarter(b, "E08000034", 5) }

// benchCouncilQuarter loads the demo's records but the council's 2024-25 Q3, then times loads of
// that quarter alone, each of its contacts `times` times over (Inflate).
func benchCouncilQuarter(b *testing.B, council string, times int) {
	demo := testdata.Warehouse(b)
	all := b.TempDir()
	if err := Export(ctx, demo, all); err != nil {
		b.Fatal(err)
	}
	span := quarter(b, "2024-25Q3")
	before, within := b.TempDir(), b.TempDir()
	n, err := SplitForSpan(all, before, within, span, council)
	if err != nil {
		b.Fatal(err)
	}
	if times > 1 {
		if n, err = Inflate(within, times); err != nil {
			b.Fatal(err)
		}
	}
	target := filepath.Join(b.TempDir(), "council.duckdb")
	if _, err := Folder(ctx, target, demo.Path, before, Options{}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		sum, err := Folder(ctx, target, demo.Path, within, Options{Span: &span})
		if err != nil {
			b.Fatal(err)
		}
		if len(sum.Councils) != 1 || sum.Rows["contacts"] != n {
			b.Fatalf("councils %v, %d contacts loaded, want %d", sum.Councils, sum.Rows["contacts"], n)
		}
		b.ReportMetric(float64(n), "contacts")
		b.ReportMetric(float64(sum.Total())/sum.Took.Seconds(), "rows/s")
		b.ReportMetric(sum.Checked.Seconds(), "s-checked")
		b.ReportMetric(sum.Took.Seconds(), "s/load")
	}
}
