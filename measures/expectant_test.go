package measures_test

import (
	"testing"

	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

// Unborn children are not children reached; their families are expectant families (issue 14).
//
// Worked by hand from the demo's contacts in Stockport 001D (E01005891), January to
// March 2025 (2024-25Q4), every service: 17 contacts, 14 families, one child each.
//
//	date        family      child       born        band   service
//	2025-03-28  3000185884  3000185886  2008-06-21  12-19  youth_work
//	2025-03-13  3000185892  3000185896  2009-12-22  12-19  youth_work
//	2025-01-03  3000185898  3000185901  2025-01-07  0-2    midwifery_antenatal   before birth
//	2025-03-06  3000185898  3000185901  2025-01-07  0-2    domestic_abuse        after birth
//	2025-01-10  3000185919  3000185922  2000-08-11  20-25  send_support          aged 24: not 0-19
//	2025-02-18  3000185928  3000185932  2005-03-21  12-19  drug_alcohol
//	2025-02-28  3000185934  3000185937  2013-03-15  5-11   send_support
//	2025-03-01  3000185934  3000185937  2013-03-15  5-11   domestic_abuse
//	2025-03-31  3000185934  3000185937  2013-03-15  12-19  send_support
//	2025-01-28  3000185957  3000185959  2008-06-14  12-19  relationship_support
//	2025-02-21  3000185971  3000185973  2005-12-27  12-19  children_mental_health
//	2025-03-21  3000185980  3000185982  2025-07-10  0-2    domestic_abuse        before birth only
//	2025-02-28  3000186009  3000186011  2016-09-07  5-11   employment_learning
//	2025-01-22  3000186022  3000186025  2014-11-25  5-11   benefits_debt
//	2025-01-06  3000186068  3000186071  2018-02-22  5-11   children_mental_health
//	2025-01-24  3000186396  3000186401  2008-01-24  12-19  children_mental_health
//	2025-03-02  3000186434  3000186437  2011-10-01  12-19  send_support
//
// 14 distinct children; less 3000185922 (20-25, SEND) is 13, the count before this rule; less
// 3000185982, seen only before birth, is 12 children reached. 3000185901, seen before and after
// birth in the quarter, counts once. Families reached stay 14 (every family with a contact);
// expectant families are 2 (3000185898 and 3000185980).
func TestUnbornChildrenAreExpectantFamilies(t *testing.T) {
	db := testdata.Warehouse(t)
	var children, families, contacts, expectant, keyGot, keyWant int64
	err := db.QueryRowContext(ctx, `SELECT children_reached, families_reached, contacts, expectant_families, expectant_families_key,
			cell_key(rkey(3000185898::BIGINT) + rkey(3000185980::BIGINT))
		FROM reach_rollup WHERE council_code = 'E08000007' AND lsoa21_code = 'E01005891' AND service_code = ''
		  AND period_start = DATE '2025-01-01' AND period_end = DATE '2025-03-31'`).
		Scan(&children, &families, &contacts, &expectant, &keyGot, &keyWant)
	if err != nil {
		t.Fatal(err)
	}
	if children != 12 || families != 14 || contacts != 17 || expectant != 2 {
		t.Errorf("E01005891 2024-25Q4: %d children reached, %d families, %d contacts, %d expectant families; by hand 12, 14, 17, 2",
			children, families, contacts, expectant)
	}
	// the key follows the count: the two expectant families' record keys summed
	if keyGot != keyWant {
		t.Errorf("expectant families' cell key %d, the two families' keys give %d", keyGot, keyWant)
	}
	// the neighbourhood's answer, from the rollups and from raw contacts alike
	a := args(t, "E08000007", "2024-25Q4")
	for _, c := range []struct {
		how string
		res *queries.Result
	}{{"rollups", run(t, "reach_by_neighbourhood", a, stats.Exact)}, {"raw contacts", runRaw(t, "reach_by_neighbourhood", a)}} {
		row := one(t, c.res, map[string]string{"lsoa21_code": "E01005891"})
		if got := num(t, row[c.res.MustCol("children_reached")]); got != 12 {
			t.Errorf("reach_by_neighbourhood from %s: E01005891 reached %g children, by hand 12", c.how, got)
		}
	}
	// the antenatal service alone in the same quarter: the child of 3000185898 was seen by it
	// only before birth, so that service reached no child here but one expectant family
	var antenatalChildren, antenatalExpectant int64
	err = db.QueryRowContext(ctx, `SELECT children_reached, expectant_families FROM reach_rollup
		WHERE council_code = 'E08000007' AND lsoa21_code = 'E01005891' AND service_code = 'midwifery_antenatal'
		  AND period_start = DATE '2025-01-01' AND period_end = DATE '2025-03-31'`).Scan(&antenatalChildren, &antenatalExpectant)
	if err != nil {
		t.Fatal(err)
	}
	if antenatalChildren != 0 || antenatalExpectant != 1 {
		t.Errorf("midwifery_antenatal in E01005891 2024-25Q4: %d children, %d expectant families; by hand 0 and 1", antenatalChildren, antenatalExpectant)
	}
}

// Stockport 2024-25, re-worked for the rule. Before it, 23,973 children had a contact in the
// year in an age band other than 20-25 (342.5 per 1,000 of 69,991). 821 of them were seen in the
// year only before birth (128 more were seen before and after, and stay), so 23,973 - 821 =
// 23,152 children are reached: 23,152 / 69,991 x 1,000 = 330.785 per 1,000. 941 families had a
// contact before a child's birth in the year (949 children, 821 + 128: a family can expect more
// than one). Families reached are unchanged, 21,241.
func TestStockportReachWithoutUnbornChildren(t *testing.T) {
	const year = `c.council_code = 'E08000007' AND c.contact_date BETWEEN '2024-04-01' AND '2025-03-31'`
	old := sqlInt(t, `SELECT count(DISTINCT c.child_id) FROM contacts c WHERE c.age_band <> '20-25' AND `+year)
	onlyBefore := sqlInt(t, `SELECT count(*) FROM (SELECT c.child_id FROM contacts c JOIN people k ON k.person_id = c.child_id
		WHERE `+year+` GROUP BY c.child_id HAVING bool_and(c.contact_date < k.birth_date))`)
	if old != 23973 || onlyBefore != 821 {
		t.Fatalf("the demo changed: %g children by the old count, %g seen only before birth; the hand-work says 23,973 and 821", old, onlyBefore)
	}
	a := args(t, "E08000007", "2024-25")
	for _, res := range []*queries.Result{run(t, "reach_total", a, stats.Exact), runRaw(t, "reach_total", a)} {
		all := one(t, res, map[string]string{"part": "all"})
		got := map[string]float64{}
		for _, c := range []string{"children_reached", "families_reached", "expectant_families", "children_resident", "reach_per_1000"} {
			got[c] = num(t, all[res.MustCol(c)])
		}
		want := map[string]float64{"children_reached": 23152, "families_reached": 21241, "expectant_families": 941,
			"children_resident": 69991, "reach_per_1000": 330.785}
		for c, w := range want {
			if got[c] != w {
				t.Errorf("reach_total (raw %v) %s = %g, by hand %g", res.Raw, c, got[c], w)
			}
		}
	}
	// the deciles add up to the council: each family has one home neighbourhood
	dec := run(t, "reach_by_decile", a, stats.Exact)
	var sum float64
	for _, row := range rows(dec, map[string]string{"index": "IDACI"}) {
		sum += num(t, row[dec.MustCol("expectant_families")])
	}
	if sum != 941 {
		t.Errorf("IDACI deciles hold %g expectant families, want 941", sum)
	}
}

func runRaw(t testing.TB, name string, a queries.Args) *queries.Result {
	t.Helper()
	res, err := measures.Run(queries.RawOnly(ctx), testdata.Warehouse(t), name, a, stats.Exact)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Raw {
		t.Fatalf("%s: not answered from raw contacts", name)
	}
	return res
}
