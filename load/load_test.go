package load_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
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

var ctx = context.Background()

// TestMain doubles as a helper process: with LOAD_HELPER set, it loads and is stopped half-way
// (os.Exit after the rows are appended, before they are applied), as a killed load would be.
func TestMain(m *testing.M) {
	if target := os.Getenv("LOAD_HELPER_TARGET"); target != "" {
		_, err := Folder(ctx, target, os.Getenv("LOAD_HELPER_BASE"), os.Getenv("LOAD_HELPER_DIR"),
			Options{}.WithAfterAppend(func() { os.Exit(3) }))
		fmt.Println("load finished, which it must not:", err)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func fileHash(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil))
}

func copyOfDemo(t testing.TB) (string, string) {
	t.Helper()
	demo := testdata.Warehouse(t)
	target := filepath.Join(t.TempDir(), "council.duckdb")
	if err := CopyFile(demo.Path, target); err != nil {
		t.Fatal(err)
	}
	return demo.Path, target
}

// export-demo then load gives a warehouse whose every named query answers exactly as the demo's.
func TestRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("the round trip writes and loads 2.7 million rows; -short skips it")
	}
	demo := testdata.Warehouse(t)
	dir := t.TempDir()
	if err := Export(ctx, demo, dir); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "loaded.duckdb")
	sum, err := Folder(ctx, target, demo.Path, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows["contacts"] < 1_000_000 || len(sum.Councils) != 5 {
		t.Fatalf("loaded %v for %v", sum.Rows, sum.Councils)
	}
	if !sum.Bulk {
		t.Error("the exported demo did not take the bulk path")
	}
	loaded, err := warehouse.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer loaded.Close()
	if loaded.Version == demo.Version {
		t.Error("the loaded warehouse kept the demo's data version: caches would serve stale answers")
	}
	// the council's own hub records replace the synthetic children the demo's care histories follow
	var before, after int
	demo.QueryRowContext(ctx, "SELECT count(*) FROM care_episodes WHERE source = 'synthetic'").Scan(&before)
	loaded.QueryRowContext(ctx, "SELECT count(*) FROM care_episodes WHERE source = 'synthetic'").Scan(&after)
	if before == 0 || after != 0 {
		t.Errorf("synthetic care histories: %d in the demo, %d after loading every council's records; want some, then none", before, after)
	}
	for _, council := range []string{"E08000007", "E06000064"} {
		for _, q := range queries.All() {
			if overCareHistories(q) {
				continue
			}
			c, _ := queries.FindCouncil(ctx, demo, council)
			p, _ := queries.ParsePeriod("2024-25")
			args := queries.Filters{Council: c, Period: p}.Args()
			args["year"] = 2025
			a, err := measures.Run(ctx, demo, q.Name, args, stats.Exact)
			if err != nil {
				t.Fatal(err)
			}
			b, err := measures.Run(ctx, loaded, q.Name, args, stats.Exact)
			if err != nil {
				t.Fatal(err)
			}
			if q.Name == "data_coverage" {
				// the same days, but the contacts are now the council's own: no longer synthetic
				col := a.MustCol("synthetic")
				if a.Rows[0][col] != true || b.Rows[0][col] != false {
					t.Errorf("%s: synthetic %v before the load and %v after, want true then false", council, a.Rows[0][col], b.Rows[0][col])
				}
				a.Rows[0][col], b.Rows[0][col] = nil, nil
			}
			if fmt.Sprint(texts(a)) != fmt.Sprint(texts(b)) {
				t.Errorf("%s for %s differs after the round trip", q.Name, council)
			}
		}
	}
}

func texts(r *queries.Result) [][]string {
	var out [][]string
	for _, row := range r.Rows {
		var cells []string
		for _, v := range row {
			cells = append(cells, queries.Text(v))
		}
		out = append(out, cells)
	}
	return out
}

func writeFolder(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A folder of broken files gets every fault reported with file:line:column, and the database is
// unchanged afterwards.
func TestBrokenFilesAreReportedAndNothingChanges(t *testing.T) {
	base, target := copyOfDemo(t)
	before := fileHash(t, target)
	_, err := Folder(ctx, target, base, writeFolder(t, BrokenFiles), Options{})
	if err == nil {
		t.Fatal("a broken folder loaded")
	}
	msg := err.Error()
	for _, want := range []string{
		"nothing was loaded",
		"sites.csv:3:23: kind: \"castle\": use hub, hublet, bridge, outreach or online",
		"sites.csv:4:37: lsoa21_code: \"E09999999\" is not a 2021 LSOA code in England",
		"families.csv:4:1: family_id: 2 is already on line 3: ids must be unique",
		"families.csv:5:1: family_id: \"three\" is not a whole number",
		"people.csv:4:14: birth_date: 2031-01-01 is not a possible birth date",
		"contacts.csv:3:36: site_id: \"S9\" is not a site in sites.csv",
		"contacts.csv:4:5: contact_date: 2009-01-02 is outside the period",
		"contacts.csv:5:61: age_band: \"12-19\", but the child is 4 on 2024-06-03 (band 3-4): an impossible age for the band",
		"contacts.csv:6:26: lsoa21_code: \"E09999999\" is not a 2021 LSOA code in England",
		"contacts.csv:7:39: service_code: \"knitting\" is not a service code",
		"contacts.csv:8:1: contact_id: 100 is already on line 2: ids must be unique",
		"contacts.csv:9:5: contact_date: \"2024-06-31\" is not a date as YYYY-MM-DD",
		"contacts.csv:10:61: this quote is never closed",
		"plan.csv:2:15: the file is not UTF-8",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
	if after := fileHash(t, target); after != before {
		t.Error("the database changed after a failed load")
	}
	// a missing column
	files := map[string]string{}
	for k, v := range BrokenFiles {
		files[k] = v
	}
	files["localities.csv"] = "council_code,locality,illustrative\nE08000007,Heatons,true\n"
	_, err = Folder(ctx, target, base, writeFolder(t, files), Options{})
	if want := "localities.csv:1:4: missing column ward_name"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("missing %q in: %v", want, err)
	}
	// a missing file is named as missing, not placed at line 0
	delete(files, "plan.csv")
	_, err = Folder(ctx, target, base, writeFolder(t, files), Options{})
	if want := "nothing was loaded.\nplan.csv: not found in "; err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), ":0:0") {
		t.Errorf("missing %q in: %v", want, err)
	}
	if after := fileHash(t, target); after != before {
		t.Error("the database changed after a failed load")
	}
	noCopies(t, target)
}

// noCopies fails if a load's copy, its write-ahead log or its lock is left beside the warehouse.
func noCopies(t *testing.T, target string) {
	t.Helper()
	left, _ := filepath.Glob(target + ".*")
	if len(left) > 0 {
		t.Errorf("left beside the warehouse: %v", left)
	}
}

// A load killed half-way (after its rows are appended, before they are applied) leaves the
// database exactly as it was; the next load succeeds.
func TestInterruptedLoadLeavesTheDatabaseUnchanged(t *testing.T) {
	base, target := copyOfDemo(t)
	before := fileHash(t, target)
	good := map[string]string{
		"localities.csv": GoodLocalities,
		"sites.csv": "site_id,council_code,name,kind,locality,lsoa21_code,lon,lat,opened,designated,closed,illustrative,note\n" +
			"S1,E08000007,Heatons Hub,hub,Heatons,E01005918,-2.18,53.42,2023-09-04,2023-09-04,,true,\n",
		"families.csv": "family_id,council_code,lsoa21_code\n1,E08000007,E01005918\n",
		"people.csv":   "person_id,family_id,role,sex,birth_date,send,relation\n10,1,child,F,2020-05-01,false,\n11,1,carer,M,,,father\n",
		"contacts.csv": "contact_id,contact_date,council_code,lsoa21_code,site_id,service_code,channel,family_id,child_id,carer_id,age_band\n" +
			"100,2024-06-03,E08000007,E01005918,S1,parenting,hub,1,10,11,3-4\n",
		"plan.csv": "council_code,id,indicator,measure,unit,baseline,target,due,plan_start,entered,entered_on,illustrative,note\n" +
			"E08000007,TF1,Start for Life offer published,entered,,0,1,2025-03-31,2024-04-01,1,2025-01-01,true,\n",
	}
	dir := writeFolder(t, good)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "LOAD_HELPER_TARGET="+target, "LOAD_HELPER_BASE="+base, "LOAD_HELPER_DIR="+dir)
	out, err := cmd.CombinedOutput()
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 3 {
		t.Fatalf("the helper load was not stopped half-way: %v\n%s", err, out)
	}
	if after := fileHash(t, target); after != before {
		t.Fatal("a load killed half-way changed the database")
	}
	// the killed load could not clean up: its folder (0700, named by its pid) with its copy
	// (0600) and lock file remain, to be removed by the next load
	dirs, _ := filepath.Glob(target + fmt.Sprintf(".load-%d-*", cmd.Process.Pid))
	if len(dirs) != 1 {
		t.Fatalf("the killed load's folder: %v", dirs)
	}
	if st, err := os.Stat(dirs[0]); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("the killed load's folder: %v, %v", st.Mode(), err)
	}
	if st, err := os.Stat(filepath.Join(dirs[0], "copy.duckdb")); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the killed load's copy: %v, %v", st.Mode(), err)
	}
	// the same load, not interrupted, replaces Stockport's records and nothing else
	sum, err := Folder(ctx, target, base, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db, err := warehouse.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var stockport, kirklees int
	db.QueryRow("SELECT count(*) FROM contacts WHERE council_code = 'E08000007'").Scan(&stockport)
	db.QueryRow("SELECT count(*) FROM contacts WHERE council_code = 'E08000034'").Scan(&kirklees)
	if stockport != 1 || kirklees < 100000 || sum.Rows["contacts"] != 1 {
		t.Errorf("after loading Stockport alone: Stockport %d contacts, Kirklees %d", stockport, kirklees)
	}
	noCopies(t, target)
}
