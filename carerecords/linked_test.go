package carerecords

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"familyhubs/load"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
	"familyhubs/warehouse"
)

// The keys in testdata/linked, made as README says a council makes them, with the secret
// "stockport-linkage-test":
//
//	printf '%s' 9434765919 | openssl dgst -sha256 -hmac stockport-linkage-test
const (
	key1 = "3be1687997f19a03ea9fce5a6bf8e54987af2da831af2afc19bc49910ee0dd9c" // 9434765919: person 10, care id C1
	key2 = "9d0669f77145a816dfe97f16d82f3715743e9f47a4c36f9d1cb180f55a49eb4b" // 9434765870: person 20, care id C2 (upper case in linkage_keys.csv)
	key3 = "e03c9da3dfee525eec241897e70496e218c4ad528a402e6ea9eb66e8cf41ea51" // 9434765862: person 30 only
	key4 = "b5ea817e8786996ee1de65f416e46ed519a98706cd2a64829d254a08ef2a1678" // 9434765854: care id C3 only
)

// A council's social care records from another system than its hub records (an SSDA903 return
// and a CIN census, testdata/linked) link to the hub records (testdata/linked/hub, loaded by hubs
// load) by linkage key only. By hand:
//
// Hub people of Stockport with a key: 10 (key1), 20 (key2), 30 (key3); 40 has none.
// linkage_keys.csv: C1 key1, C2 key2 (in upper case), C3 key4 (no hub person has it), C4 blank;
// C6 (census only) not listed. So C1 -> 10 and C2 -> 20 by linkage key; C3, C4 and C6 unlinked.
//
// Periods looked after (episodes.csv):
//
//	C1: 01/06/2023 S to 10/09/2023, then P to 15/01/2024 (same day: one period); 01/03/2024 P after a
//	    gap: a new period, open -> 2023-06-01..2024-01-15, 2024-03-01..open
//	C2: 01/09/2023 S to 15/06/2024, L to 20/12/2024 -> 2023-09-01..2024-12-20
//	C3: 01/01/2024 S, open -> 2024-01-01..open
//	C4: 01/02/2024 S to 01/05/2024, then S again the same day: a new period -> two
//	C5: short breaks (V3) only: no period
//
// Census (census.xml): C1 referral 2023-04-20, in need to 2023-11-30 (RC9), plan 2023-05-01 to
// 2023-08-15; C2 referral 2024-02-01 with no further action (no episode of need), referral
// 2024-06-01 in need and on a plan from 2024-07-01, both open; C3 referral 2023-12-01 in need to
// 2024-04-01 (RC2); C6 referral 2024-03-05 in need to 2024-09-30 (RC1).
//
// 17 rows of 5 children (C1-C4, C6); 2 linked (40.0%), both by linkage key; 3 children keyed.
func TestLinkByLinkageKey(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a copy of the demo warehouse; -short skips it")
	}
	base, db := copyOfDemo(t)
	if _, err := load.Folder(ctx, db, base, "testdata/linked/hub", load.Options{}); err != nil {
		t.Fatal(err)
	}
	look, err := load.DemoPostcodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := "testdata/linked/"
	recs, err := Read([]string{dir + "header.csv", dir + "episodes.csv", dir + "census.xml", dir + "linkage_keys.csv"}, 3)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load(ctx, db, base, stockport, recs, look, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Episodes != 17 || s.Children != 5 || s.Linked != 2 || s.ByPersonID != 0 || s.ByKey != 2 || s.Keyed != 3 {
		t.Errorf("summary %+v; want 17 rows of 5 children, 2 linked, 0 by person id, 2 by key, 3 keyed", s)
	}
	want := "child by child: 17 referrals and episodes of 5 children; 2 of them (40.0%) linked to the hub records: " +
		"0 (0.0%) by person id (the same system's ids), 2 (40.0%) by linkage key (3 children had a key); the rest unlinked"
	if got := s.LinkRate(); got != want {
		t.Errorf("link rate\n%s\nwant\n%s", got, want)
	}
	// looked after at 31 March 2024: C1-C4 (C5 short breaks); 2025: C1, C3, C4
	if len(s.Lines) != 2 || s.Lines[0].Counted != 4 || s.Lines[1].Counted != 3 {
		t.Errorf("lines %+v; want looked after 4 at 31 March 2024, 3 at 2025", s.Lines)
	}

	w, err := warehouse.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var keys []string
	rows, err := w.QueryContext(ctx, "SELECT person_id, linkage_key FROM person_keys WHERE council_code = $1 ORDER BY person_id", stockport)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var k string
		if err := rows.Scan(&id, &k); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, fmt.Sprintf("%d %s", id, k))
	}
	rows.Close()
	if got, want := strings.Join(keys, "\n"), "10 "+key1+"\n20 "+key2+"\n30 "+key3; got != want {
		t.Errorf("person_keys\n%s\nwant\n%s", got, want)
	}

	rows, err = w.QueryContext(ctx, `SELECT care_id, coalesce(person_id::VARCHAR, '-'), coalesce(link_method, '-'), kind, start_date,
		coalesce(end_date::VARCHAR, 'open'), coalesce(end_reason, '-')
		FROM care_episodes WHERE council_code = $1 ORDER BY care_id, kind, start_date`, stockport)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var care, person, method, kind, end, reason string
		var start time.Time
		if err := rows.Scan(&care, &person, &method, &kind, &start, &end, &reason); err != nil {
			t.Fatal(err)
		}
		got = append(got, strings.Join([]string{care, person, method, kind, start.Format(time.DateOnly), end, reason}, " "))
	}
	rows.Close()
	wantRows := []string{
		"C1 10 linkage key in_need 2023-04-20 2023-11-30 RC9",
		"C1 10 linkage key looked_after 2023-06-01 2024-01-15 -",
		"C1 10 linkage key looked_after 2024-03-01 open -",
		"C1 10 linkage key protection_plan 2023-05-01 2023-08-15 -",
		"C1 10 linkage key referral 2023-04-20 open -",
		"C2 20 linkage key in_need 2024-06-01 open -",
		"C2 20 linkage key looked_after 2023-09-01 2024-12-20 -",
		"C2 20 linkage key protection_plan 2024-07-01 open -",
		"C2 20 linkage key referral 2024-02-01 open -",
		"C2 20 linkage key referral 2024-06-01 open -",
		"C3 - - in_need 2023-12-01 2024-04-01 RC2",
		"C3 - - looked_after 2024-01-01 open -",
		"C3 - - referral 2023-12-01 open -",
		"C4 - - looked_after 2024-02-01 2024-05-01 -",
		"C4 - - looked_after 2024-05-01 open -",
		"C6 - - in_need 2024-03-05 2024-09-30 RC1",
		"C6 - - referral 2024-03-05 open -",
	}
	if strings.Join(got, "\n") != strings.Join(wantRows, "\n") {
		t.Errorf("care_episodes:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantRows, "\n"))
	}

	// link_rates over 1 April 2023 to 31 March 2025: referred C1, C2, C3, C6; linked C1 and C2,
	// both by linkage key
	res, err := measures.Run(ctx, w, "link_rates", queries.Args{"council": stockport, "period_start": "2023-04-01", "period_end": "2025-03-31"}, stats.Exact)
	if err != nil {
		t.Fatal(err)
	}
	var rates []string
	for _, row := range res.Rows {
		rates = append(rates, fmt.Sprintf("%s %v %v %v", res.Str(row, "link_method"), row[res.MustCol("children_referred")],
			row[res.MustCol("children_linked")], row[res.MustCol("share_linked")]))
	}
	if got, want := strings.Join(rates, "; "), "all 4 2 50; person id 4 0 0; linkage key 4 2 50"; got != want {
		t.Errorf("link_rates %s, want %s", got, want)
	}
}

// A keys file's bad key, a child given two keys, and an SSD extract given with an SSDA903 return,
// are refused, each named.
func TestLinkageKeyRefusals(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys.csv")
	os.WriteFile(keys, []byte("care_id,linkage_key\nC1,"+key1+"\nC2,not-a-key\nC1,"+key2+"\nC3,"+key1[:63]+"\n"), 0o600)
	_, err := Read([]string{"testdata/linked/header.csv", "testdata/linked/episodes.csv", keys}, 3)
	for _, want := range []string{
		keys + `:3:4: linkage_key: "not-a-key" is not a linkage key: 64 hexadecimal characters`,
		keys + ":4:4: linkage_key: child C1 has another key on line 2: a child has one key",
		keys + `:5:4: linkage_key: "` + key1[:63] + `" is not a linkage key`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in: %v", want, err)
		}
	}
	if _, err := Read([]string{"testdata/linked/header.csv", "testdata/linked/episodes.csv", "../ssd/testdata/extract"}, 3); err == nil || !strings.Contains(err.Error(), "not both") {
		t.Errorf("an SSD extract with an SSDA903 return: %v", err)
	}
}
