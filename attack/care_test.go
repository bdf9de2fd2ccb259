package attack

import (
	"encoding/csv"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"familyhubs/carerecords"
	"familyhubs/internal/testdata"
	"familyhubs/load"
	"familyhubs/server"
	"familyhubs/stats"
	"familyhubs/warehouse"
)

// councilRecords writes an SSDA903 return for Stockport with many small neighbourhood counts:
// child i lives at the (i*i mod 97)th of the first postcodes of 97 Stockport LSOAs, so the LSOAs
// hold 1 to 9 children each, all looked after at 31 March 2025.
func councilRecords(t *testing.T, dir string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(testdata.SharedDir(t), "postcodes", "DERIVED_pcd_to_lsoa21_5LA_pointinpolygon.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	head, err := cr.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	seen := map[string]bool{}
	var pcs []string
	for len(pcs) < 97 {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rec[col["lad25cd"]] != "E08000007" || rec[col["lsoa21_lad_derived"]] != "E08000007" || seen[rec[col["lsoa21cd_derived"]]] {
			continue
		}
		seen[rec[col["lsoa21cd_derived"]]] = true
		pcs = append(pcs, rec[col["pcd7"]])
	}
	var h, e strings.Builder
	h.WriteString("CHILD,SEX,DOB\n")
	e.WriteString("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n")
	for i := 0; i < 400; i++ {
		fmt.Fprintf(&h, "K%d,1,01/01/2015\n", i)
		fmt.Fprintf(&e, "K%d,01/06/2024,S,C2,N1,U1,PR1,,,,%s,,\n", i, pcs[(i*i)%len(pcs)])
	}
	paths := []string{filepath.Join(dir, "header.csv"), filepath.Join(dir, "episodes.csv")}
	os.WriteFile(paths[0], []byte(h.String()), 0o600)
	os.WriteFile(paths[1], []byte(e.String()), 0o600)
	return paths
}

// Care by neighbourhood from council records survives the linked-table attacker: the published
// IDACI deciles against the neighbourhoods summed into them, under DfE's and NHS's presentation.
func TestCouncilRecordsSurviveTheAttacker(t *testing.T) {
	demo := testdata.Warehouse(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "council.duckdb")
	look, err := load.DemoPostcodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := carerecords.Read(councilRecords(t, dir), 3)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := carerecords.Load(ctx, db, demo.Path, "E08000007", recs, look, false, nil); err != nil {
		t.Fatal(err)
	}
	w, err := warehouse.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	srv := httptest.NewServer(server.New(w, log.New(io.Discard, "", 0)))
	defer srv.Close()

	keyColumns["care_by_neighbourhood"] = []string{"measure", "lsoa21_code"}
	keyColumns["care_by_decile"] = []string{"measure", "idaci_decile"}
	countColumns["care_by_neighbourhood"] = []string{"number"}
	countColumns["care_by_decile"] = []string{"number"}
	defer func() {
		for _, q := range []string{"care_by_neighbourhood", "care_by_decile"} {
			delete(keyColumns, q)
			delete(countColumns, q)
		}
	}()
	tr := newTruth(w)
	for _, disclosure := range []string{"", "nhs", "suppression"} {
		src := HTTP(srv.URL, srv.Client())
		if disclosure == "suppression" { // the control: table-by-table suppression, which it must beat
			src = InProcess(w, stats.Suppression)
		}
		r := &run{families: map[Family]bool{Linked: true}, tables: map[string]*tableRef{}}
		vals := url.Values{"council": {"stockport"}, "period": {"2024-25"}}
		if disclosure == "nhs" {
			vals.Set("disclosure", disclosure)
		}
		get := func(q string) *tableRef {
			tb, err := src.Get(ctx, q, vals)
			if err != nil {
				t.Fatal(err)
			}
			ref := &tableRef{key: q + "?" + vals.Encode(), question: q, values: vals, t: tb, rows: map[string]int{}}
			for i := range tb.Rows {
				ref.rows[rowKey(ref, i)] = i
			}
			r.tables[ref.key] = ref
			r.order = append(r.order, ref.key)
			return ref
		}
		nb, dec := get("care_by_neighbourhood"), get("care_by_decile")
		equations := 0
		for i := range dec.t.Rows {
			if dec.t.Str(i, "source") != "council records" {
				continue
			}
			m, d := dec.t.Str(i, "measure"), dec.t.Str(i, "idaci_decile")
			parts := r.cells(nb, "number", func(j int) bool {
				return nb.t.Str(j, "measure") == m && nb.t.Str(j, "idaci_decile") == d && nb.t.Str(j, "source") == "council records"
			})
			if len(parts) == 0 {
				continue
			}
			r.equal(Linked, "care_by_decile decile = its care_by_neighbourhood rows (council records)", true, one(r.cell(dec, i, "number")), parts)
			equations++
		}
		if equations < 5 {
			t.Fatalf("%q: only %d deciles from council records to attack", disclosure, equations)
		}
		r.findRounding()
		found := r.solve()
		for _, c := range r.checks {
			t.Logf("%q check: %s", disclosure, c)
		}
		s := scoreAll(t, tr, found)
		t.Logf("%q: %d equations, %d recoveries, %d verified, %d chance matches", disclosure, equations, s.recoveries, s.verified, s.chance)
		if n := s.total(); disclosure == "suppression" {
			if n == 0 {
				t.Error("the attacker recovered no count of 1 to 5 from table-by-table suppression of council records: it is not looking")
			}
		} else if n > 0 {
			t.Errorf("%q: %d verified counts of 1 to 5 recovered from council records (%v)", disclosure, n, s.examples)
		}
	}
}
