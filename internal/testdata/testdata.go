// Package testdata gives tests the demo warehouse and the published source files, once per test
// binary.
package testdata

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"familyhubs/demo"
	"familyhubs/warehouse"
)

var (
	once sync.Once
	db   *warehouse.DB
	err  error
)

// Warehouse opens the demo warehouse (building it into the cache on first use, through the door
// a council's records come through: package demo).
func Warehouse(tb testing.TB) *warehouse.DB {
	tb.Helper()
	once.Do(func() { db, err = demo.Open(context.Background()) })
	if err != nil {
		tb.Fatalf("opening the demo warehouse: %v", err)
	}
	return db
}

// ReferenceDir is ../shared/reference/phe: OHID's published reference values for the statistics.
func ReferenceDir(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(SharedDir(tb), "..", "reference", "phe")
}

// SharedDir is ../shared/datasets beside the project. CI always has it, so there a missing
// folder fails the test; on a developer's machine without it the test is skipped, saying why.
func SharedDir(tb testing.TB) string {
	tb.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "datasets")
	if _, err := os.Stat(filepath.Join(dir, "PROVENANCE.md")); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("CI must have ../shared/datasets beside the project: %v", err)
		}
		tb.Skipf("no ../shared/datasets beside the project (%v): cross-checks against the published files skipped", err)
	}
	return dir
}

// ReadCSV reads a published CSV file (a path under shared/datasets, or absolute) as
// header-keyed records.
func ReadCSV(tb testing.TB, rel string) []map[string]string {
	tb.Helper()
	path := rel
	if !filepath.IsAbs(rel) {
		path = filepath.Join(SharedDir(tb), rel)
	}
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		tb.Fatalf("%s: %v", rel, err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			if i < len(rec) {
				m[h] = rec[i]
			}
		}
		out = append(out, m)
	}
	return out
}
