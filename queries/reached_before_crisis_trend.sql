-- name: reached_before_crisis_trend
-- answers: Year by year, of the children who started to be looked after, or started a child protection plan, in each financial year the records cover whole, how many and what share had a contact with the council's family hubs in the 12 months before that start: reached_before_crisis's council row for each year, to set beside the council's looked-after rate over time. A lower bound: a child whose social care record is not linked to the hub records counts as not reached, so the share moves with the link rate. Descriptive, not causal: it says who the hubs had seen, not what they prevented.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- units: kind = looked_after (started to be looked after) or protection_plan (started a child protection plan); year = the financial year of the starts (April to March, e.g. 2023-24), year_start and year_end its first and last day; ONLY THE YEARS THE RECORDS COVER WHOLE ARE GIVEN: from the first year beginning at least 12 months after the council's first hub contact held (so the 12 months before every start in it fall within the hub records) to the last year ending on or before the end of the care records (follow_up_end: the earlier of the data end and the 31 March ending the financial year of the council's last referral); a year outside these is left out, never shown as zero, and no year is given when the warehouse holds none of the council's hub contacts or none of its referrals child by child; children = children of the council's social care records whose first start of that kind in the year fell in it (each child once per kind and year, at that start; a child may start again in a later year; count); linked = of them, children whose social care record is linked to the hub records (count); reached_12m = of them, children with a contact with the council's hubs (any service, antenatal contacts included) in the 12 months before the start, the day of the start left out (count); share_reached_12m = reached_12m / children, % (95% limits): a LOWER BOUND, since a child not linked counts as not reached, so it rises and falls with the link rate (linked / children); descriptive, not causal
-- source: SYNTHETIC service contacts; SYNTHETIC children's social care histories (care_episodes: periods looked after and protection plans, linked to hub children by person id)
-- status: synthetic, real, illustrative
-- counts: children, linked, reached_12m
-- proportion: share_reached_12m = reached_12m / children * 100
WITH bounds AS (
    -- the hub records cover the 12 months before a start from covered_from; the care records
    -- run to covered_to (warehouse/schema.sql: follow_up_end); either NULL: no year
    SELECT ((SELECT min(contact_date) FROM contacts WHERE council_code = $council) + INTERVAL 12 MONTH)::DATE AS covered_from,
           follow_up_end($council) AS covered_to
),
years AS (
    -- whole financial years between the two, and only those
    SELECT y, make_date(y, 4, 1) AS year_start, make_date(y + 1, 3, 31) AS year_end
    FROM (SELECT unnest(range(fy_year(covered_from), fy_year(covered_to) + 1)) AS y, covered_from, covered_to
          FROM bounds WHERE covered_from IS NOT NULL AND covered_to IS NOT NULL)
    WHERE make_date(y, 4, 1) >= covered_from AND make_date(y + 1, 3, 31) <= covered_to
),
starts AS (
    -- each child's first start of each kind in each year, as reached_before_crisis takes it for
    -- a period of that year
    SELECT e.kind, y.y, e.care_id, arg_min(e.person_id, e.start_date) AS person_id, min(e.start_date) AS start_date
    FROM care_episodes e JOIN years y ON e.start_date BETWEEN y.year_start AND y.year_end
    WHERE e.council_code = $council AND e.kind IN ('looked_after', 'protection_plan')
    GROUP BY e.kind, y.y, e.care_id
),
children AS (
    SELECT s.kind, s.y, s.care_id, rkey(s.care_id) AS k, s.person_id IS NOT NULL AS linked,
           EXISTS (SELECT 1 FROM contacts c WHERE c.child_id = s.person_id AND c.council_code = $council
                   AND c.contact_date < s.start_date AND c.contact_date >= s.start_date - INTERVAL 12 MONTH) AS reached_12m
    FROM starts s
),
kinds AS (
    SELECT * FROM (VALUES ('looked_after', 0), ('protection_plan', 1)) k(kind, ko)
)
SELECT k.kind, y.y::VARCHAR || '-' || lpad(((y.y + 1) % 100)::VARCHAR, 2, '0') AS year, y.year_start, y.year_end,
       count(c.care_id) AS children, cell_key(sum(c.k)) AS children_ckey,
       count(c.care_id) FILTER (WHERE c.linked) AS linked, cell_key(sum(c.k) FILTER (WHERE c.linked)) AS linked_ckey,
       count(c.care_id) FILTER (WHERE c.reached_12m) AS reached_12m, cell_key(sum(c.k) FILTER (WHERE c.reached_12m)) AS reached_12m_ckey
FROM kinds k CROSS JOIN years y
LEFT JOIN children c ON c.kind = k.kind AND c.y = y.y
GROUP BY k.kind, k.ko, y.y, y.year_start, y.year_end
ORDER BY k.ko, y.y
