package warehouse_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"familyhubs/internal/testdata"
	"familyhubs/warehouse"
)

const stockport = "E08000007"

func one[T any](t *testing.T, db *warehouse.DB, query string, args ...any) T {
	t.Helper()
	var v T
	if err := db.QueryRowContext(context.Background(), query, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return v
}

// Figures quoted in shared/datasets/PROVENANCE.md and the issue, checked in the built warehouse.
func TestPublishedFigures(t *testing.T) {
	db := testdata.Warehouse(t)
	cases := []struct {
		name  string
		query string
		args  []any
		want  int64
	}{
		{"Stockport has 191 LSOAs in 2021", `SELECT count(*) FROM neighbourhoods WHERE council_code = $1`, []any{stockport}, 191},
		{"Stockport had 190 LSOAs in 2011", `SELECT count(DISTINCT b.lsoa11_code) FROM lsoa11_lsoa21 b
			JOIN neighbourhoods n USING (lsoa21_code) WHERE n.council_code = $1`, []any{stockport}, 190},
		{"Kirklees has 260 LSOAs", `SELECT count(*) FROM neighbourhoods WHERE council_code = 'E08000034'`, nil, 260},
		{"Wolverhampton has 161 LSOAs", `SELECT count(*) FROM neighbourhoods WHERE council_code = 'E08000031'`, nil, 161},
		{"Cumberland has 177 LSOAs", `SELECT count(*) FROM neighbourhoods WHERE council_code = 'E06000063'`, nil, 177},
		{"Westmorland and Furness has 142 LSOAs", `SELECT count(*) FROM neighbourhoods WHERE council_code = 'E06000064'`, nil, 142},
		{"England has 33,755 LSOAs", `SELECT count(*) FROM neighbourhoods`, nil, 33755},
		{"Stockport 014D has IMD 2025 rank 21", `SELECT imd_rank FROM deprivation WHERE lsoa21_code = 'E01005918' AND edition = 'IoD2025'`, nil, 21},
		{"Stockport 014D is in IDACI decile 1", `SELECT idaci_decile FROM deprivation WHERE lsoa21_code = 'E01005918' AND edition = 'IoD2025'`, nil, 1},
		{"Stockport 014D had IMD 2019 rank 58", `SELECT imd_rank FROM deprivation WHERE lsoa21_code = 'E01005918' AND edition = 'IoD2019'`, nil, 58},
		{"Stockport 004B has IMD 2025 rank 92", `SELECT imd_rank FROM deprivation WHERE lsoa21_code = 'E01005754' AND edition = 'IoD2025'`, nil, 92},
		{"Stockport has 17 LSOAs in IMD 2019 decile 1 (2011 LSOAs)", `SELECT count(DISTINCT from_lsoa11_code) FROM deprivation d
			JOIN neighbourhoods n USING (lsoa21_code) WHERE n.council_code = $1 AND d.edition = 'IoD2019' AND d.imd_decile = 1`, []any{stockport}, 17},
		{"Stockport children aged 0-19, mid-2020: 69,234", `SELECT sum(persons) FROM population JOIN neighbourhoods USING (lsoa21_code)
			WHERE council_code = $1 AND age <= 19`, []any{stockport}, 69234},
		{"Stockport children looked after at 31 March 2025: 485", `SELECT number FROM care WHERE measure = 'looked_after' AND area_code = $1 AND year = 2025`, []any{stockport}, 485},
		{"Stockport children in need at 31 March 2025: 2,587", `SELECT number FROM care WHERE measure = 'in_need' AND area_code = $1 AND year = 2025`, []any{stockport}, 2587},
		{"Stockport child protection plans at 31 March 2025: 273", `SELECT number FROM care WHERE measure = 'protection_plan' AND area_code = $1 AND year = 2025`, []any{stockport}, 273},
		{"Stockport 0-17 denominator for 2025 is mid-2024: 64,910", `SELECT children_0_17 FROM care WHERE measure = 'looked_after' AND area_code = $1 AND year = 2025`, []any{stockport}, 64910},
		{"Cumbria looked after at 31 March 2023: 740", `SELECT number FROM care WHERE measure = 'looked_after' AND area_code = 'E10000006' AND year = 2023`, nil, 740},
		{"Cumberland looked after at 31 March 2025: 458", `SELECT number FROM care WHERE measure = 'looked_after' AND area_code = 'E06000063' AND year = 2025`, nil, 458},
		{"Westmorland and Furness looked after at 31 March 2025: 261", `SELECT number FROM care WHERE measure = 'looked_after' AND area_code = 'E06000064' AND year = 2025`, nil, 261},
		{"England looked after at 31 March 2025: 81,770", `SELECT number FROM care WHERE measure = 'looked_after' AND area_code = 'E92000001' AND year = 2025`, nil, 81770},
		{"England looked after at 31 March 2018: 75,360 (national series)", `SELECT number FROM care WHERE measure = 'looked_after' AND area_code = 'E92000001' AND year = 2018`, nil, 75360},
		{"Stockport looked after at 31 March 2011: 295 (SFR21/2011)", `SELECT number FROM care WHERE measure = 'looked_after' AND area_code = $1 AND year = 2011`, []any{stockport}, 295},
		{"Stockport has ten statistical neighbours", `SELECT count(*) FROM statistical_neighbours WHERE council_code = $1`, []any{stockport}, 10},
		{"Cumberland inherits Cumbria's ten", `SELECT count(*) FROM statistical_neighbours WHERE council_code = 'E06000063' AND note LIKE 'inherited from Cumbria%'`, nil, 10},
		{"Stockport's closest statistical neighbour is DfE 896, Cheshire West and Chester", `SELECT c.dfe_number FROM statistical_neighbours s
			JOIN councils c ON c.council_code = s.neighbour_code WHERE s.council_code = $1 AND s.rank = 1`, []any{stockport}, 896},
		{"Stockport's network file names 19 sites", `SELECT count(*) FROM sites WHERE council_code = $1`, []any{stockport}, 19},
		{"Stockport has seven hub networks", `SELECT count(DISTINCT locality) FROM neighbourhoods WHERE council_code = $1`, []any{stockport}, 7},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := one[int64](t, db, c.query, c.args...); got != c.want {
				t.Errorf("got %d, want %d", got, c.want)
			}
		})
	}
}

// DfE's symbols are kept as the reason a number is missing, never as zero, and every missing
// number has a reason.
func TestCareSymbolsAreNeverZero(t *testing.T) {
	db := testdata.Warehouse(t)
	if n := one[int64](t, db, `SELECT count(*) FROM care WHERE number IS NULL AND number_symbol IS NULL`); n != 0 {
		t.Errorf("%d care rows have neither a number nor a DfE symbol", n)
	}
	if n := one[int64](t, db, `SELECT count(*) FROM care WHERE number IS NOT NULL AND number_symbol IS NOT NULL`); n != 0 {
		t.Errorf("%d care rows have both a number and a symbol", n)
	}
	// 2018 for councils is DfE's 2022 release (TestCareLookedAfter2018FromThe2022Release), no longer x
	if s := one[string](t, db, `SELECT coalesce(number_symbol, '') FROM care WHERE measure = 'looked_after' AND area_code = $1 AND year = 2018`, stockport); s != "" {
		t.Errorf("Stockport 2018 looked after: symbol %q, want a number", s)
	}
	// some councils' figures are confidential in the source: the symbol survives
	if n := one[int64](t, db, `SELECT count(*) FROM care WHERE number_symbol = 'c'`); n == 0 {
		t.Error("no 'c' (confidential) figures kept: the DfE files have some")
	}
}

// Cumbria runs to 2023, its successors from 2024: the series break is kept, not papered over.
func TestCumbriaSeriesBreak(t *testing.T) {
	db := testdata.Warehouse(t)
	span := func(code string) string {
		return one[string](t, db, `SELECT min(year) || '-' || max(year) FROM care WHERE measure = 'looked_after' AND area_code = $1 AND number IS NOT NULL`, code)
	}
	if got := span("E10000006"); got != "2011-2023" {
		t.Errorf("Cumbria looked after years %s, want 2011-2023", got)
	}
	for _, code := range []string{"E06000063", "E06000064"} {
		if got := span(code); got != "2024-2025" {
			t.Errorf("%s looked after years %s, want 2024-2025", code, got)
		}
	}
	if got := one[string](t, db, `SELECT predecessor_code FROM councils WHERE council_code = 'E06000064'`); got != "E10000006" {
		t.Errorf("Westmorland and Furness predecessor %q", got)
	}
}

// The modelled neighbourhood numbers add up exactly to the published totals, for every council,
// measure and year, and only years with a published number are modelled.
func TestModelledCareAddsUpToPublished(t *testing.T) {
	db := testdata.Warehouse(t)
	rows, err := db.Query(`
		SELECT c.measure, c.year, c.area_code, c.number, sum(m.number) AS modelled, count(m.lsoa21_code) AS lsoas
		FROM care c JOIN care_neighbourhood m USING (measure, year, area_code)
		GROUP BY ALL ORDER BY ALL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	checked := map[string]int{}
	for rows.Next() {
		var measure, area string
		var year, number, modelled, lsoas int64
		if err := rows.Scan(&measure, &year, &area, &number, &modelled, &lsoas); err != nil {
			t.Fatal(err)
		}
		if number != modelled {
			t.Errorf("%s %s %d: published %d, modelled LSOAs add to %d", area, measure, year, number, modelled)
		}
		checked[area]++
	}
	// five councils and Cumbria; looked after 2011-2025, in need and plans 2013-2025
	for _, area := range []string{"E08000007", "E08000034", "E08000031"} {
		if checked[area] != 15+13+13 {
			t.Errorf("%s: %d measure-years modelled, want 41", area, checked[area])
		}
	}
	if checked["E10000006"] == 0 || checked["E06000063"] != 6 || checked["E06000064"] != 6 {
		t.Errorf("Cumbria %d, Cumberland %d, Westmorland and Furness %d measure-years modelled", checked["E10000006"], checked["E06000063"], checked["E06000064"])
	}
	// Cumbria's totals are shared over both successors' LSOAs (177 + 142)
	if n := one[int64](t, db, `SELECT count(*) FROM care_neighbourhood WHERE area_code = 'E10000006' AND measure = 'looked_after' AND year = 2023`); n != 319 {
		t.Errorf("Cumbria 2023 modelled over %d LSOAs, want 319", n)
	}
	// more deprived neighbourhoods carry more of the modelled count per child
	ratio := one[float64](t, db, `
		WITH k AS (SELECT lsoa21_code, sum(persons) FILTER (WHERE age <= 17) AS kids FROM population GROUP BY 1)
		SELECT (sum(m.number) FILTER (WHERE d.idaci_decile = 1) / sum(k.kids) FILTER (WHERE d.idaci_decile = 1))
		     / (sum(m.number) FILTER (WHERE d.idaci_decile >= 9) / sum(k.kids) FILTER (WHERE d.idaci_decile >= 9))
		FROM care_neighbourhood m JOIN k USING (lsoa21_code)
		JOIN deprivation d ON d.lsoa21_code = m.lsoa21_code AND d.edition = 'IoD2025'
		WHERE m.area_code = $1 AND m.measure = 'looked_after' AND m.year = 2025`, stockport)
	if ratio < 5 || ratio > 12 {
		t.Errorf("Stockport modelled looked-after rate, IDACI decile 1 vs 9-10: %.1fx, want the 5-12x the model sets", ratio)
	}
}

// Every neighbourhood of a council with a network has a ward and a locality, and every ward
// named in a network file exists.
func TestNetworksCoverEveryNeighbourhood(t *testing.T) {
	db := testdata.Warehouse(t)
	if n := one[int64](t, db, `SELECT count(*) FROM neighbourhoods n JOIN councils c USING (council_code)
		WHERE c.has_network AND (n.ward_code IS NULL OR n.locality IS NULL)`); n != 0 {
		t.Errorf("%d neighbourhoods of councils with networks lack a ward or locality", n)
	}
	if n := one[int64](t, db, `SELECT count(*) FROM councils WHERE has_network`); n != 5 {
		t.Errorf("%d councils with networks, want 5", n)
	}
	// every May 2025 ward of Stockport (21) holds at least one LSOA's interior point
	if n := one[int64](t, db, `SELECT count(DISTINCT ward_code) FROM neighbourhoods WHERE council_code = $1`, stockport); n != 21 {
		t.Errorf("Stockport LSOAs fall in %d wards, want 21", n)
	}
	// a site lies in its own council
	if n := one[int64](t, db, `SELECT count(*) FROM sites s JOIN neighbourhoods n USING (lsoa21_code) WHERE n.council_code <> s.council_code`); n != 0 {
		t.Errorf("%d sites lie outside their council", n)
	}
	// Westmorland Drive is in Brinnington
	if w := one[string](t, db, `SELECT n.ward_name FROM sites s JOIN neighbourhoods n USING (lsoa21_code) WHERE s.site_id = 'STK-H01'`); w != "Brinnington & Stockport Central" {
		t.Errorf("Westmorland Drive family hub is in ward %q", w)
	}
}

// The IoD2025 ranks and deciles, IDACI included, match the official File 3 for every LSOA of the
// five councils; the mid-2020 population keeps every 2011 LSOA's children exactly.
func TestAgainstPublishedFiles(t *testing.T) {
	db := testdata.Warehouse(t)
	type dep struct{ imd, idaci, imdDecile, idaciDecile int }
	got := map[string]dep{}
	rows, err := db.Query(`SELECT d.lsoa21_code, d.imd_rank, d.idaci_rank, d.imd_decile, d.idaci_decile
		FROM deprivation d JOIN neighbourhoods n USING (lsoa21_code)
		JOIN councils c USING (council_code) WHERE c.has_network AND d.edition = 'IoD2025'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code string
		var d dep
		if err := rows.Scan(&code, &d.imd, &d.idaci, &d.imdDecile, &d.idaciDecile); err != nil {
			t.Fatal(err)
		}
		got[code] = d
	}
	rows.Close()
	matched := 0
	for _, r := range testdata.ReadCSV(t, "iod2025/File_3_IoD2025_Supplementary_Indices_IDACI_and_IDAOPI.csv") {
		g, ok := got[r["LSOA code (2021)"]]
		if !ok {
			continue
		}
		matched++
		want := dep{atoi(t, r["Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"]),
			atoi(t, r["Income Deprivation Affecting Children Index (IDACI) Rank (where 1 is most deprived)"]),
			atoi(t, r["Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"]),
			atoi(t, r["Income Deprivation Affecting Children Index (IDACI) Decile (where 1 is most deprived 10% of LSOAs)"])}
		if g != want {
			t.Errorf("%s: warehouse %+v, File 3 %+v", r["LSOA code (2021)"], g, want)
		}
	}
	if matched != 191+260+161+177+142 {
		t.Errorf("matched %d LSOAs of the five councils in File 3, want 931", matched)
	}

	// children aged 0-19 over every 2011 LSOA in England, from the published file, equal the
	// warehouse's total over 2021 LSOAs: apportionment neither adds nor loses a child
	var published int64
	for _, r := range testdata.ReadCSV(t, "population/ons_sape_mid2020_lsoa11_single_year_of_age_persons_EW.csv") {
		if !strings.HasPrefix(r["lsoa11_code"], "E") {
			continue
		}
		for age := 0; age <= 19; age++ {
			published += int64(atoi(t, r[strconv.Itoa(age)]))
		}
	}
	if w := one[int64](t, db, `SELECT sum(persons) FROM population WHERE age <= 19`); w != published {
		t.Errorf("England children 0-19: warehouse %d, published %d", w, published)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return n
}

// The synthetic records are consistent: ids unique, dates in the period and after each site
// opened, 20-25 only for children with SEND, every contact's family lives where it says.
func TestSyntheticRecordsAreConsistent(t *testing.T) {
	db := testdata.Warehouse(t)
	checks := map[string]string{
		"duplicate contact ids": `SELECT count(*) - count(DISTINCT contact_id) FROM contacts`,
		"duplicate person ids":  `SELECT count(*) - count(DISTINCT person_id) FROM people`,
		"duplicate family ids":  `SELECT count(*) - count(DISTINCT family_id) FROM families`,
		"contacts outside April 2019 to the end of the period": `SELECT count(*) FROM contacts
			WHERE contact_date < DATE '2019-04-01' OR contact_date > (SELECT value::DATE FROM metadata WHERE key = 'synthetic_end')`,
		"contacts at a site before it opened": `SELECT count(*) FROM contacts c JOIN sites s USING (site_id) WHERE c.contact_date < s.opened`,
		"contacts at another council's site":  `SELECT count(*) FROM contacts c JOIN sites s USING (site_id) WHERE c.council_code <> s.council_code`,
		"20-25 contacts for a child without SEND": `SELECT count(*) FROM contacts c JOIN people p ON p.person_id = c.child_id
			WHERE c.age_band = '20-25' AND NOT p.send`,
		"contacts whose family lives elsewhere": `SELECT count(*) FROM contacts c JOIN families f USING (family_id) WHERE f.lsoa21_code <> c.lsoa21_code`,
		"contacts whose child is not a child of the family": `SELECT count(*) FROM contacts c JOIN people p ON p.person_id = c.child_id
			WHERE p.family_id <> c.family_id OR p.role <> 'child'`,
		"contacts whose carer is not a carer of the family": `SELECT count(*) FROM contacts c JOIN people p ON p.person_id = c.carer_id
			WHERE p.family_id <> c.family_id OR p.role <> 'carer'`,
		"contacts whose age band does not fit the child's age on the day": `SELECT count(*) FROM contacts c JOIN people p ON p.person_id = c.child_id
			WHERE c.age_band <> CASE
				WHEN c.contact_date < p.birth_date OR date_sub('year', p.birth_date, c.contact_date) <= 2 THEN '0-2'
				WHEN date_sub('year', p.birth_date, c.contact_date) <= 4 THEN '3-4'
				WHEN date_sub('year', p.birth_date, c.contact_date) <= 11 THEN '5-11'
				WHEN date_sub('year', p.birth_date, c.contact_date) <= 19 THEN '12-19'
				ELSE '20-25' END`,
		"contacts with an unknown service": `SELECT count(*) FROM contacts c LEFT JOIN services s USING (service_code) WHERE s.name IS NULL`,
		"face-to-face contacts at a building on a weekend": `SELECT count(*) FROM contacts
			WHERE channel IN ('hub', 'bridge', 'outreach', 'hublet') AND dayofweek(contact_date) IN (0, 6)`,
	}
	for name, q := range checks {
		if n := one[int64](t, db, q); n != 0 {
			t.Errorf("%s: %d", name, n)
		}
	}
	if n := one[int64](t, db, `SELECT count(*) FROM contacts`); n < 500_000 {
		t.Errorf("only %d contacts: the demo should have years of activity for five councils", n)
	}
}

// The synthetic contacts behave like the real thing, so the dashboards have something to find.
func TestSyntheticBehaviour(t *testing.T) {
	db := testdata.Warehouse(t)
	// use rises with deprivation: contacts per child, IDACI decile 1-2 vs 9-10, Stockport 2024-25
	ratio := one[float64](t, db, `
		WITH kids AS (SELECT d.idaci_decile <= 2 AS deprived, sum(p.persons) AS n
		              FROM population p JOIN neighbourhoods n USING (lsoa21_code)
		              JOIN deprivation d ON d.lsoa21_code = n.lsoa21_code AND d.edition = 'IoD2025'
		              WHERE n.council_code = $1 AND p.age <= 19 AND (d.idaci_decile <= 2 OR d.idaci_decile >= 9) GROUP BY 1),
		     use AS (SELECT d.idaci_decile <= 2 AS deprived, count(*) AS n FROM contacts c
		              JOIN deprivation d ON d.lsoa21_code = c.lsoa21_code AND d.edition = 'IoD2025'
		              WHERE c.council_code = $1 AND c.contact_date BETWEEN '2024-04-01' AND '2025-03-31'
		                AND (d.idaci_decile <= 2 OR d.idaci_decile >= 9) GROUP BY 1)
		SELECT (max(use.n / kids.n) FILTER (WHERE deprived)) / (max(use.n / kids.n) FILTER (WHERE NOT deprived))
		FROM use JOIN kids USING (deprived)`, stockport)
	if ratio < 2 {
		t.Errorf("contacts per child in IDACI deciles 1-2 vs 9-10: %.2fx, want at least 2x", ratio)
	}
	// face-to-face help dipped in 2020-21 and online rose
	f2f := func(fy int) int64 {
		return one[int64](t, db, `SELECT count(*) FROM contacts WHERE council_code = $1 AND channel NOT IN ('online', 'home visit')
			AND contact_date BETWEEN make_date($2, 4, 1) AND make_date($2 + 1, 3, 31)`, stockport, fy)
	}
	if a, b := f2f(2019), f2f(2020); float64(b) > 0.8*float64(a) {
		t.Errorf("face-to-face contacts 2019-20 %d, 2020-21 %d: want a clear COVID-19 dip", a, b)
	}
	// reach grows around a new hub: families from Marple's LSOAs reached before and after it opened
	before := one[int64](t, db, `SELECT count(DISTINCT family_id) FROM contacts c JOIN neighbourhoods n USING (lsoa21_code)
		WHERE n.locality = 'Marple' AND c.contact_date BETWEEN '2023-04-01' AND '2024-03-31'`)
	after := one[int64](t, db, `SELECT count(DISTINCT family_id) FROM contacts c JOIN neighbourhoods n USING (lsoa21_code)
		WHERE n.locality = 'Marple' AND c.contact_date BETWEEN '2024-10-01' AND '2025-09-30'`)
	if float64(after) < 1.1*float64(before) {
		t.Errorf("Marple families reached: %d the year before its hub opened, %d the year after; want growth", before, after)
	}
}

// The warehouse refuses writes and never fetches extensions.
func TestReadOnly(t *testing.T) {
	db := testdata.Warehouse(t)
	ctx := context.Background()
	for _, q := range []string{
		"DELETE FROM care",
		"INSERT INTO metadata VALUES ('a', 'b')",
		"CREATE TABLE x (a INTEGER)",
		"DROP TABLE care",
		"COPY care TO '/tmp/familyhubs-should-not-exist.csv'",
		"UPDATE care SET number = 0",
		"ATTACH ':memory:' AS other",
		"SELECT * FROM read_csv('/etc/passwd')",
		"SELECT * FROM read_text('/etc/hostname')",
	} {
		// refused by the statement's kind, or by DuckDB with external access off
		if _, err := warehouse.ReadOnlyQuery(ctx, db, q); err == nil ||
			(!strings.Contains(err.Error(), "refused") && !strings.Contains(err.Error(), "disabled by configuration")) {
			t.Errorf("%s: want a refusal, got %v", q, err)
		}
	}
	if _, err := os.Stat("/tmp/familyhubs-should-not-exist.csv"); err == nil {
		t.Error("COPY wrote a file")
	}
	for _, q := range []string{
		"SELECT count(*) FROM care",
		"WITH x AS (SELECT 1 AS a) SELECT a FROM x",
		"DESCRIBE care",
		"EXPLAIN SELECT * FROM care",
	} {
		if _, err := warehouse.ReadOnlyQuery(ctx, db, q); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
	// even past the statement check, the database itself is read-only
	if _, err := db.ExecContext(ctx, "DELETE FROM care"); err == nil {
		t.Error("the warehouse accepted a DELETE through the raw connection")
	}
	var autoload string
	if err := db.QueryRowContext(ctx, "SELECT current_setting('autoload_known_extensions')::VARCHAR").Scan(&autoload); err != nil {
		t.Fatal(err)
	}
	if autoload != "false" {
		t.Errorf("autoload_known_extensions = %s, want false", autoload)
	}
	start := time.Now()
	if _, err := db.QueryContext(ctx, "SELECT * FROM st_read('x.shp')"); err == nil {
		t.Error("a spatial-extension function ran: extensions must not load on demand")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("a missing extension took %s to fail: it must fail at once, not wait on the network", d)
	}
}

// A failed build leaves nothing behind: no half-made file in the cache.
func TestFailedBuildLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	target := filepath.Join(dir, "demo.duckdb")
	if err := warehouse.Build(ctx, target); err == nil {
		t.Fatal("a cancelled build succeeded")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		t.Errorf("left behind: %s", e.Name())
	}
	if _, err := warehouse.Open(context.Background(), target); err == nil {
		t.Error("opened a warehouse that was never built")
	}
}

// The national demo's synthetic networks: a locality per district, a hub in its most deprived
// LSOA and a bridge in the next, an online hub per council, every site inside its own council and
// locality; the five published networks are left as they are.
func TestSyntheticNetworks(t *testing.T) {
	ctx := context.Background()
	src := testdata.Warehouse(t)
	file := filepath.Join(t.TempDir(), "national.duckdb")
	b, err := os.ReadFile(src.Path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var publishedSites int
	db.QueryRowContext(ctx, "SELECT count(*) FROM sites").Scan(&publishedSites)
	if err := warehouse.AddSyntheticNetworks(ctx, db); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		what, query string
		want        int
	}{
		{"councils without a network", "SELECT count(*) FROM councils WHERE NOT has_network", 0},
		{"LSOAs in no locality", "SELECT count(*) FROM neighbourhoods WHERE locality IS NULL", 0},
		{"published sites changed", `SELECT count(*) FROM sites WHERE council_code IN ('E08000007', 'E08000034', 'E08000031', 'E06000063', 'E06000064')`, publishedSites},
		{"online hubs of synthetic networks", "SELECT count(*) FROM sites WHERE site_id LIKE '%-online'", 148},
		{"districts without a synthetic hub", `SELECT count(*) FROM (SELECT DISTINCT council_code, lad_name FROM neighbourhoods
			WHERE council_code NOT IN (SELECT council_code FROM localities)) d
			WHERE NOT EXISTS (SELECT 1 FROM sites s WHERE s.council_code = d.council_code AND s.locality = d.lad_name AND s.kind = 'hub')`, 0},
		{"sites outside their council or locality", `SELECT count(*) FROM sites s JOIN neighbourhoods n USING (lsoa21_code)
			WHERE s.council_code <> n.council_code OR s.locality <> n.locality`, 0},
		{"synthetic hubs not in their locality's most deprived LSOA", `SELECT count(*) FROM sites s
			JOIN deprivation d ON d.lsoa21_code = s.lsoa21_code AND d.edition = 'IoD2025'
			WHERE s.kind = 'hub' AND s.illustrative AND s.note LIKE 'SYNTHETIC%' AND d.idaci_rank > (
				SELECT min(d2.idaci_rank) FROM neighbourhoods n2 JOIN deprivation d2 ON d2.lsoa21_code = n2.lsoa21_code AND d2.edition = 'IoD2025'
				WHERE n2.council_code = s.council_code AND n2.locality = s.locality)`, 0},
		{"synthetic hubs designated outside April 2022 to March 2024", `SELECT count(*) FROM sites
			WHERE note LIKE 'SYNTHETIC%' AND kind = 'hub' AND designated NOT BETWEEN DATE '2022-04-01' AND DATE '2024-03-31'`, 0},
	}
	for _, c := range checks {
		var got int
		if err := db.QueryRowContext(ctx, c.query).Scan(&got); err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		if got != c.want {
			t.Errorf("%s: %d, want %d", c.what, got, c.want)
		}
	}
	var hubs, districts int
	db.QueryRowContext(ctx, "SELECT count(*) FROM sites WHERE note LIKE 'SYNTHETIC%' AND kind = 'hub'").Scan(&hubs)
	db.QueryRowContext(ctx, `SELECT count(DISTINCT (council_code, lad_name)) FROM neighbourhoods
		WHERE council_code NOT IN ('E08000007', 'E08000034', 'E08000031', 'E06000063', 'E06000064')`).Scan(&districts)
	if hubs != districts || districts < 250 {
		t.Errorf("%d synthetic hubs for %d districts", hubs, districts)
	}
}

// A warehouse built before the cell key method (no record key salt, no cell keys in its rollups)
// is refused at open with what to do, not failed on the first page with DuckDB's error.
func TestOpenRefusesAWarehouseWithoutCellKeys(t *testing.T) {
	src := testdata.Warehouse(t).Path
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(t.TempDir(), "old.duckdb")
	if err := os.WriteFile(old, b, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := duckdb.NewConnector(old, nil)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	if _, err := db.Exec("DELETE FROM metadata WHERE key = 'record_key_salt'; CHECKPOINT"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	c.Close()
	_, err = warehouse.Open(context.Background(), old)
	if err == nil || !strings.Contains(err.Error(), "older hubs") || !strings.Contains(err.Error(), "hubs demo") {
		t.Errorf("opening a warehouse without cell keys: %v", err)
	}
}
