package load

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"familyhubs/datasets"
	"familyhubs/fault"
	"familyhubs/postcodes"
)

// hasPostcodes says whether a load file's header row names a postcode column instead of (or
// beside) lsoa21_code.
func hasPostcodes(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	cr := csv.NewReader(bufio.NewReader(f))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return false, nil // the reader reports it, with its place
	}
	for _, h := range header {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		case "postcode", "home_postcode", "pcds":
			return true, nil
		}
	}
	return false, nil
}

// geocode places the postcodes of every load file that gives them (families, contacts, sites) in
// their 2021 LSOAs, writing the placed files, without their postcodes, into a private folder
// beside the warehouse and linking the others: the load then reads that folder. Every postcode
// not placed is a fault, by reason with the first few places: the load is all or nothing. It
// returns the folder to read (dir itself when no file has postcodes), a report per file and a
// function removing the folder.
func geocode(dir, dbFile string, l *postcodes.Lookup, k known) (string, []postcodes.Report, func(), error) {
	var with []fileSpec
	for _, f := range files {
		ok, err := hasPostcodes(filepath.Join(dir, f.name))
		if err != nil {
			return "", nil, nil, err
		}
		if ok {
			with = append(with, f)
		}
	}
	nothing := func() {}
	if len(with) == 0 {
		return dir, nil, nothing, nil
	}
	if l == nil {
		var l fault.List
		for _, f := range with {
			l = append(l, fault.In(f.name, 1, 0, "the file gives postcodes: give ONS's postcode look-up (NSPL or ONSPD CSV) with --postcodes FILE, "+
				"or --postcodes demo for the five demo councils"))
		}
		return "", nil, nil, l
	}
	work, err := os.MkdirTemp(filepath.Dir(dbFile), ".hubs-geocode-*")
	if err != nil {
		return "", nil, nil, fmt.Errorf("making a private folder beside %s for the placed files: %w", dbFile, err)
	}
	cleanup := func() { os.RemoveAll(work) }
	abs, err := filepath.Abs(dir)
	if err != nil {
		cleanup()
		return "", nil, nil, err
	}
	lsoaCouncil := func(code string) string { return k.lsoas[code].council }
	var reports []postcodes.Report
	var faults fault.List
	for _, f := range files {
		src := filepath.Join(abs, f.name)
		if !containsSpec(with, f) {
			if err := os.Symlink(src, filepath.Join(work, f.name)); err != nil {
				cleanup()
				return "", nil, nil, err
			}
			continue
		}
		in, err := os.Open(src)
		if err != nil {
			cleanup()
			return "", nil, nil, err
		}
		var rep postcodes.Report
		err = writePrivate(filepath.Join(work, f.name), func(w io.Writer) error {
			var err error
			rep, err = postcodes.Geocode(bufio.NewReaderSize(in, 1<<20), f.name, w, l, lsoaCouncil)
			return err
		})
		in.Close()
		if err != nil {
			cleanup()
			return "", nil, nil, err
		}
		reports = append(reports, rep)
		faults = append(faults, rep.Faults()...)
	}
	if len(faults) > 0 {
		cleanup()
		var b strings.Builder
		for _, r := range reports {
			b.WriteString(r.String() + "\n")
		}
		return "", reports, nil, fmt.Errorf("%severy record must be placed: nothing was loaded\n%w", b.String(), faults)
	}
	return work, reports, cleanup, nil
}

func containsSpec(list []fileSpec, f fileSpec) bool {
	for _, g := range list {
		if g.name == f.name {
			return true
		}
	}
	return false
}

// DemoPostcodes is the five demo councils' postcode look-up embedded in the binary: ONS's postcode
// directory (November 2025) with each postcode's 2021 LSOA assigned by point in polygon for this
// project (datasets/PROVENANCE.md), so a derived look-up, said so in every report.
func DemoPostcodes(ctx context.Context) (*postcodes.Lookup, error) {
	const name = "postcodes_5la_derived.parquet"
	b, err := fs.ReadFile(datasets.FS, name)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "familyhubs-postcodes-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, err
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, sqlText("demo_postcodes.sql"), path)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	entries := map[string]postcodes.Entry{}
	for rows.Next() {
		var p string
		var e postcodes.Entry
		if err := rows.Scan(&p, &e.LSOA, &e.Council); err != nil {
			return nil, err
		}
		entries[p] = e
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return postcodes.New("the demo councils' postcode look-up (ONS postcode directory November 2025)", true, entries), nil
}
