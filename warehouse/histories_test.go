package warehouse_test

import (
	"context"
	"testing"

	"familyhubs/internal/testdata"
)

// The demo's synthetic care histories keep every count at 31 March equal to DfE's published
// figure (the modelled children are only given identities), and link children only as the
// method says: a hub child of the neighbourhood, first seen in the two years before the referral,
// under 18 on the day.
func TestCareHistoriesKeepThePublishedCounts(t *testing.T) {
	ctx := context.Background()
	db := testdata.Warehouse(t)
	// Stockport, from DfE's tables in ../shared/datasets/care/: children in need (b1, At31_episodes),
	// on protection plans (d5, CPP_At31), looked after (cla, number at 31 March)
	for _, c := range []struct {
		year                      int
		inNeed, plan, lookedAfter int
	}{{2025, 2587, 273, 485}, {2013, 1668, 309, 304}} {
		var inNeed, plan, looked int
		err := db.QueryRowContext(ctx, `SELECT
				count(DISTINCT care_id) FILTER (WHERE kind = 'in_need'),
				count(DISTINCT care_id) FILTER (WHERE kind = 'protection_plan'),
				count(DISTINCT care_id) FILTER (WHERE kind = 'looked_after')
			FROM care_episodes
			WHERE council_code = 'E08000007' AND start_date <= make_date($1, 3, 31) AND (end_date IS NULL OR end_date > make_date($1, 3, 31))`,
			c.year).Scan(&inNeed, &plan, &looked)
		if err != nil {
			t.Fatal(err)
		}
		if inNeed != c.inNeed || plan != c.plan || looked != c.lookedAfter {
			t.Errorf("Stockport 31 March %d: in need %d, plans %d, looked after %d; want %d, %d, %d", c.year, inNeed, plan, looked, c.inNeed, c.plan, c.lookedAfter)
		}
	}
	// every council and year: the episodes open at 31 March equal the modelled (published) numbers
	var differ int
	err := db.QueryRowContext(ctx, `
		WITH counted AS (
			SELECT e.council_code, y.year, e.kind AS measure, count(DISTINCT e.care_id) AS n
			FROM care_episodes e, range(2011, 2026) y(year)
			WHERE e.kind <> 'referral' AND e.start_date <= make_date(y.year::INTEGER, 3, 31)
			  AND (e.end_date IS NULL OR e.end_date > make_date(y.year::INTEGER, 3, 31))
			GROUP BY ALL),
		modelled AS (
			SELECT council_code, year, measure, sum(number) AS n FROM care_neighbourhood GROUP BY ALL HAVING sum(number) > 0)
		SELECT count(*) FROM modelled m FULL JOIN counted c USING (council_code, year, measure)
		WHERE m.n IS DISTINCT FROM c.n`).Scan(&differ)
	if err != nil {
		t.Fatal(err)
	}
	if differ != 0 {
		t.Errorf("%d council, year and measure counts differ from the model's", differ)
	}
	// links follow the method, and some exist
	var linked, total, wrong int
	err = db.QueryRowContext(ctx, `
		WITH firsts AS (SELECT child_id, min(contact_date) AS first FROM contacts GROUP BY 1)
		SELECT count(*) FILTER (WHERE e.person_id IS NOT NULL), count(*),
		       count(*) FILTER (WHERE e.person_id IS NOT NULL AND (f.first IS NULL OR f.first >= e.start_date
		           OR (f.first < e.start_date - INTERVAL 2 YEAR AND NOT again) OR fam.lsoa21_code <> e.lsoa21_code OR e.link_method <> 'person id'))
		FROM (SELECT *, EXISTS (SELECT 1 FROM care_episodes b WHERE b.care_id = a.care_id AND b.kind = 'referral' AND b.start_date < a.start_date) AS again
		      FROM care_episodes a) e
		LEFT JOIN firsts f ON f.child_id = e.person_id
		LEFT JOIN people p ON p.person_id = e.person_id
		LEFT JOIN families fam ON fam.family_id = p.family_id
		WHERE e.kind = 'referral'`).Scan(&linked, &total, &wrong)
	if err != nil {
		t.Fatal(err)
	}
	if wrong != 0 {
		t.Errorf("%d referrals linked against the method", wrong)
	}
	if total == 0 || linked*20 < total || linked > total*6/10 {
		t.Errorf("%d of %d referrals linked to hub children: want some, at most the link share", linked, total)
	}
	t.Logf("%d of %d referrals linked (%.1f%%)", linked, total, 100*float64(linked)/float64(total))
	// referred again within 12 months of an earlier referral (DfE's re-referral): some, not most
	var referrals, again int
	err = db.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM care_episodes b
			WHERE b.care_id = a.care_id AND b.kind = 'referral' AND b.start_date < a.start_date AND b.start_date >= a.start_date - INTERVAL 12 MONTH))
		FROM care_episodes a WHERE kind = 'referral' AND council_code = 'E08000007' AND year(start_date) BETWEEN 2020 AND 2025`).Scan(&referrals, &again)
	if err != nil {
		t.Fatal(err)
	}
	if again*50 < referrals || again*4 > referrals {
		t.Errorf("Stockport 2020-2025: %d of %d referrals within 12 months of another: want 2%% to 25%%", again, referrals)
	}
	t.Logf("Stockport 2020-2025: %d of %d referrals within 12 months of another (%.1f%%)", again, referrals, 100*float64(again)/float64(referrals))
}
