package demo_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"familyhubs/demo"
	"familyhubs/internal/testdata"
	"familyhubs/warehouse"
)

var ctx = context.Background()

// fingerprint is each table's row count and the sum of its rows' hashes: equal for two tables
// holding the same rows, in whatever order.
func fingerprint(t *testing.T, db *warehouse.DB) map[string]string {
	t.Helper()
	rows, err := db.QueryContext(ctx, "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND table_name <> 'metadata' ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		tables = append(tables, s)
	}
	rows.Close()
	out := map[string]string{}
	for _, table := range tables {
		var n int
		var sum string
		if err := db.QueryRowContext(ctx, "SELECT count(*), coalesce(sum(hash(t)), 0)::VARCHAR FROM query_table($1::VARCHAR) t", table).Scan(&n, &sum); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		out[table] = sum
		if n == 0 {
			out[table] = "empty"
		}
	}
	return out
}

func metadata(t *testing.T, db *warehouse.DB) map[string]string {
	t.Helper()
	rows, err := db.QueryContext(ctx, "SELECT key, value FROM metadata")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var k, v string
		rows.Scan(&k, &v)
		m[k] = v
	}
	return m
}

// The demo warehouse comes in through the door a council's records come through (hub attendance
// with home postcodes through the postcode pass and hubs load; each council's SSDA903 return
// through its reader), and holds exactly what appending the generated records straight to the
// tables gives: every table, row for row.
func TestTheDemoThroughTheDoorEqualsTheGeneratedWarehouse(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo warehouse a second way; -short skips it")
	}
	door := testdata.Warehouse(t)
	direct := filepath.Join(t.TempDir(), "direct.duckdb")
	if err := warehouse.Build(ctx, direct); err != nil {
		t.Fatal(err)
	}
	gen, err := warehouse.Open(ctx, direct)
	if err != nil {
		t.Fatal(err)
	}
	defer gen.Close()
	a, b := fingerprint(t, door), fingerprint(t, gen)
	if len(a) < 30 {
		t.Fatalf("only %d tables", len(a))
	}
	var differ []string
	for table, sum := range b {
		if a[table] != sum {
			differ = append(differ, table)
		}
	}
	sort.Strings(differ)
	if len(differ) > 0 {
		t.Errorf("tables that differ: %v", differ)
	}
	for _, table := range []string{"contacts", "families", "people", "reach_rollup", "care_neighbourhood"} {
		if a[table] == "empty" {
			t.Errorf("%s is empty", table)
		}
	}
	ma, mb := metadata(t, door), metadata(t, gen)
	for k, v := range mb {
		if strings.HasPrefix(k, "build_") || k == "data_version" {
			continue
		}
		if ma[k] != v {
			t.Errorf("metadata %s = %q through the door, %q generated", k, ma[k], v)
		}
	}
	for k := range ma {
		if _, ok := mb[k]; !ok && k != "demo_door" {
			t.Errorf("metadata %s = %q through the door only", k, ma[k])
		}
	}
	if !strings.Contains(ma["demo_door"], "SYNTHETIC") || !strings.Contains(ma["demo_door"], "--postcodes demo") {
		t.Errorf("the demo does not say how its records came in: %q", ma["demo_door"])
	}
	// no postcode is kept once placed (care_records_loaded.postcodes names the look-up used)
	var n int
	if err := door.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_columns() WHERE column_name ILIKE '%postcode%' AND NOT internal
		AND NOT (table_name = 'care_records_loaded' AND column_name = 'postcodes')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d postcode columns in the demo warehouse", n)
	}
}

// A build is cached under its version and reused.
func TestCacheIsKeyedByVersion(t *testing.T) {
	db := testdata.Warehouse(t)
	v, err := demo.Version()
	if err != nil {
		t.Fatal(err)
	}
	if db.Version != v {
		t.Errorf("opened warehouse version %s, want %s", db.Version, v)
	}
	dir, err := warehouse.CacheDir()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(db.Path) != dir || filepath.Base(db.Path) != "demo-"+v+".duckdb" {
		t.Errorf("demo warehouse at %s, want %s/demo-%s.duckdb", db.Path, dir, v)
	}
	wv, err := warehouse.DemoVersion()
	if err != nil {
		t.Fatal(err)
	}
	if v == wv {
		t.Error("the demo's version does not cover the door: a change to the load would not rebuild it")
	}
	again, err := demo.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.Path != db.Path {
		t.Errorf("second open used %s", again.Path)
	}
}

// A failed build leaves nothing behind: no half-made file, no records.
func TestFailedBuildLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	target := filepath.Join(dir, "demo.duckdb")
	if err := demo.Build(cctx, target); err == nil {
		t.Fatal("a cancelled build succeeded")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		t.Errorf("left behind: %s", e.Name())
	}
}
