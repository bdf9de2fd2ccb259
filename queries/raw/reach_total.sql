-- name: reach_total
-- raw: queries/reach_total.sql asked of raw contacts, with no rollup: the reference its answers are tested against,
--      what `hubs bench` times as plain DuckDB, and the answer for a period the rollups do not keep whole.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
-- param: locality VARCHAR a locality (hub network) to restrict to, or '' for the whole council
-- param: service VARCHAR a service code to restrict contacts to, or '' for all services
WITH lsoas AS (
    SELECT n.lsoa21_code, n.idaci_decile, p.children_0_19 AS children
    FROM neighbourhood_profile n JOIN neighbourhood_population p USING (lsoa21_code)
    WHERE n.council_code = $council AND ($locality = '' OR n.locality = $locality)
      AND p.mid_year = (SELECT mid_year FROM denominator_years WHERE year_start = fy_year($period_start::DATE))
),
parts AS (
    SELECT * FROM (VALUES ('all', 'all', 1), ('idaci', 'idaci_1_2', 2), ('idaci', 'idaci_3_10', 3)) p(split, part, part_order)
),
grouped AS (
    SELECT 'all' AS split, 'all' AS part, lsoa21_code, children FROM lsoas
    UNION ALL
    SELECT 'idaci', CASE WHEN idaci_decile <= 2 THEN 'idaci_1_2' ELSE 'idaci_3_10' END, lsoa21_code, children FROM lsoas
),
resident AS (
    SELECT split, part, sum(children) AS children_resident FROM grouped GROUP BY ALL
),
reached AS (
    SELECT g.split, g.part,
           count(DISTINCT c.child_id) FILTER (WHERE c.age_band <> '20-25' AND NOT before_birth(c.contact_date, k.birth_date)) AS children_reached,
           count(DISTINCT c.family_id) AS families_reached,
           cell_key(sum(DISTINCT rkey(c.child_id)) FILTER (WHERE c.age_band <> '20-25' AND NOT before_birth(c.contact_date, k.birth_date))) AS children_reached_ckey,
           cell_key(sum(DISTINCT rkey(c.family_id))) AS families_reached_ckey,
           count(DISTINCT c.family_id) FILTER (WHERE before_birth(c.contact_date, k.birth_date)) AS expectant_families,
           cell_key(sum(DISTINCT rkey(c.family_id)) FILTER (WHERE before_birth(c.contact_date, k.birth_date))) AS expectant_families_ckey
    FROM contacts c JOIN grouped g ON g.lsoa21_code = c.lsoa21_code
    LEFT JOIN people k ON k.person_id = c.child_id
    WHERE c.council_code = $council AND c.contact_date BETWEEN $period_start AND $period_end
      AND ($service = '' OR c.service_code = $service)
    GROUP BY ALL
)
SELECT p.split, p.part,
       coalesce(s.children_resident, 0)::BIGINT AS children_resident,
       coalesce(x.children_reached, 0)::BIGINT AS children_reached,
       coalesce(x.families_reached, 0)::BIGINT AS families_reached,
       coalesce(x.children_reached_ckey, 0) AS children_reached_ckey, coalesce(x.families_reached_ckey, 0) AS families_reached_ckey,
       coalesce(x.expectant_families, 0)::BIGINT AS expectant_families, coalesce(x.expectant_families_ckey, 0) AS expectant_families_ckey,
       (SELECT label FROM denominator_years WHERE year_start = fy_year($period_start::DATE)) AS denominator
FROM parts p
LEFT JOIN resident s USING (split, part)
LEFT JOIN reached x USING (split, part)
ORDER BY p.part_order
