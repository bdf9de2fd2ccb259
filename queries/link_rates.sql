-- name: link_rates
-- answers: How many of the children referred to the council's children's social care in the period could be linked to the family hub records, and by which method: the children referred, those linked and the share linked, so that pages and briefings can say what share of children in social care records could be linked to family hub records, and how far the outcome questions over the links can see.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period in which the referrals fell
-- param: period_end DATE last day of the period in which the referrals fell
-- units: link_method = all (linked by any method), person id (both records from one system, the SSD's person id) or linkage key (a key the council made in both extracts, e.g. a keyed hash of NHS number; never a guess from names); children_referred = children (social care ids) of the council with a referral in the period, the same in each row (count); children_linked = of them, children whose referral carries the hub records' person id, by that method (a child linked both ways counts under person id; count); share_linked = children_linked / children_referred, % (95% limits). A child not linked may still have had hub help: outcome shares over linked children are lower bounds that move with this rate
-- source: SYNTHETIC children's social care histories (care_episodes: referrals, linked to hub children by person id)
-- status: synthetic
-- counts: children_referred, children_linked
-- proportion: share_linked = children_linked / children_referred * 100
WITH children AS (
    SELECT care_id, rkey(care_id) AS k, max(link_method) FILTER (WHERE person_id IS NOT NULL) AS method
    FROM care_episodes
    WHERE council_code = $council AND kind = 'referral' AND start_date BETWEEN $period_start AND $period_end
    GROUP BY care_id
),
methods AS (
    SELECT * FROM (VALUES ('all', 0), ('person id', 1), ('linkage key', 2)) m(link_method, o)
)
SELECT m.link_method,
       (SELECT count(*) FROM children) AS children_referred, (SELECT cell_key(sum(k)) FROM children) AS children_referred_ckey,
       count(c.care_id) AS children_linked, cell_key(sum(c.k)) AS children_linked_ckey
FROM methods m LEFT JOIN children c ON c.method IS NOT NULL AND (m.link_method = 'all' OR c.method = m.link_method)
GROUP BY m.link_method, m.o
ORDER BY m.o
