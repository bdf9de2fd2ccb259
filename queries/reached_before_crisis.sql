-- name: reached_before_crisis
-- answers: Of the children who started to be looked after, or started a child protection plan, in the period, how many and what share had a contact with the council's family hubs in the 12 and in the 24 months before that start: for the whole council, by locality and by IDACI quintile. A lower bound: a child whose social care record is not linked to the hub records counts as not reached. Descriptive, not causal: it says who the hubs had seen, not what they prevented.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period in which the starts fell
-- param: period_end DATE last day of the period in which the starts fell
-- units: kind = looked_after (started to be looked after) or protection_plan (started a child protection plan); breakdown = all (the council), locality or idaci_quintile; category = all, the locality ('not known' when the episode's neighbourhood has none) or the IDACI quintile of the episode's neighbourhood (1 = most deprived 20% nationally, IoD2025, from its deciles; 'not known' without one); children = children of the council's social care records whose first start of that kind in the period fell in it (each child once per kind, at that start; count); linked = of them, children whose social care record is linked to the hub records (count); reached_12m, reached_24m = of them, children with a contact with the council's hubs (any service, antenatal contacts included) in the 12 or 24 months before the start, the day of the start left out (count); share_reached_12m, share_reached_24m = reached / children, % (95% limits): a LOWER BOUND, since a child not linked counts as not reached, so it rises and falls with the link rate (linked / children); descriptive, not causal
-- source: SYNTHETIC service contacts; SYNTHETIC children's social care histories (care_episodes: periods looked after and protection plans, linked to hub children by person id); council network file (localities); IoD2025
-- status: synthetic, real, illustrative
-- counts: children, linked, reached_12m, reached_24m
-- proportion: share_reached_12m = reached_12m / children * 100
-- proportion: share_reached_24m = reached_24m / children * 100
WITH starts AS (
    -- each child's first start of each kind in the period, with that episode's neighbourhood
    SELECT kind, care_id, arg_min(person_id, start_date) AS person_id, min(start_date) AS start_date,
           arg_min(lsoa21_code, start_date) AS lsoa21_code
    FROM care_episodes
    WHERE council_code = $council AND kind IN ('looked_after', 'protection_plan')
      AND start_date BETWEEN $period_start AND $period_end
    GROUP BY kind, care_id
),
children AS (
    SELECT s.kind, s.care_id, rkey(s.care_id) AS k, s.person_id IS NOT NULL AS linked,
           coalesce(n.locality, 'not known') AS locality,
           coalesce(((d.idaci_decile + 1) // 2)::VARCHAR, 'not known') AS quintile,
           EXISTS (SELECT 1 FROM contacts c WHERE c.child_id = s.person_id AND c.council_code = $council
                   AND c.contact_date < s.start_date AND c.contact_date >= s.start_date - INTERVAL 12 MONTH) AS reached_12m,
           EXISTS (SELECT 1 FROM contacts c WHERE c.child_id = s.person_id AND c.council_code = $council
                   AND c.contact_date < s.start_date AND c.contact_date >= s.start_date - INTERVAL 24 MONTH) AS reached_24m
    FROM starts s
    LEFT JOIN neighbourhoods n ON n.lsoa21_code = s.lsoa21_code
    LEFT JOIN deprivation d ON d.lsoa21_code = s.lsoa21_code AND d.edition = 'IoD2025'
),
parts AS (
    -- every row shown whether or not a child started in it: the council, each of its localities,
    -- each quintile, and 'not known' where a child has none
    SELECT 'all' AS breakdown, 'all' AS category, 0 AS o
    UNION SELECT DISTINCT 'locality', locality, 1 FROM neighbourhoods WHERE council_code = $council AND locality IS NOT NULL
    UNION SELECT DISTINCT 'locality', locality, 1 FROM children
    UNION SELECT 'idaci_quintile', q::VARCHAR, 2 FROM range(1, 6) t(q)
    UNION SELECT DISTINCT 'idaci_quintile', quintile, 2 FROM children
),
kinds AS (
    SELECT * FROM (VALUES ('looked_after', 0), ('protection_plan', 1)) k(kind, ko)
)
SELECT k.kind, p.breakdown, p.category,
       count(c.care_id) AS children, cell_key(sum(c.k)) AS children_ckey,
       count(c.care_id) FILTER (WHERE c.linked) AS linked, cell_key(sum(c.k) FILTER (WHERE c.linked)) AS linked_ckey,
       count(c.care_id) FILTER (WHERE c.reached_12m) AS reached_12m, cell_key(sum(c.k) FILTER (WHERE c.reached_12m)) AS reached_12m_ckey,
       count(c.care_id) FILTER (WHERE c.reached_24m) AS reached_24m, cell_key(sum(c.k) FILTER (WHERE c.reached_24m)) AS reached_24m_ckey
FROM kinds k CROSS JOIN parts p
LEFT JOIN children c ON c.kind = k.kind AND (p.breakdown = 'all'
    OR (p.breakdown = 'locality' AND c.locality = p.category)
    OR (p.breakdown = 'idaci_quintile' AND c.quintile = p.category))
GROUP BY k.kind, k.ko, p.breakdown, p.category, p.o
ORDER BY k.ko, p.o, p.category = 'not known', p.category
