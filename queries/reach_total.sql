-- name: reach_total
-- answers: How many children and families the hubs reached in the period, in total and in the 20% most deprived neighbourhoods (national IDACI deciles 1-2) against the rest, with children resident and reach per 1,000 with 95% limits: the headline figures of the overview and the briefing, counted once.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
-- param: locality VARCHAR a locality (hub network) to restrict to, or '' for the whole council
-- param: service VARCHAR a service code to restrict contacts to, or '' for all services
-- units: part = all (the whole council or locality), idaci_1_2 (neighbourhoods in national IDACI deciles 1-2), idaci_3_10 (the rest); children_reached = distinct children born and aged 0-19 with a contact in the period, after birth (count); families_reached = distinct families with a contact in the period (count); expectant_families = distinct families with a contact before a child's birth in the period: unborn children, counted here and not as children reached (count); children_resident = residents aged 0-19 at the previous mid-year of the period's financial year (its first day's; the latest, mid-2024, for years beyond the estimates) (count); reach_per_1000 = children reached per 1,000 resident (rate, 95% limits)
-- source: SYNTHETIC service contacts; IoD2025 national IDACI deciles; children 0-19 by year: DfE/ONS mid-year council totals shared among 2021 LSOAs by Census 2021 (0-15) and ONS mid-2020 (16-19)
-- status: synthetic, real
-- counts: children_reached, families_reached, expectant_families
-- totals: split
-- within: reach_by_decile on part
-- proportion: reach_per_1000 = children_reached / children_resident * 1000
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
    -- distinct counts per LSOA add up: a family has one home LSOA (warehouse/rollups.sql)
    SELECT g.split, g.part, sum(r.children_reached)::BIGINT AS children_reached,
           sum(r.families_reached)::BIGINT AS families_reached,
           cell_key(sum(r.children_key)) AS children_reached_ckey, cell_key(sum(r.families_key)) AS families_reached_ckey,
           sum(r.expectant_families)::BIGINT AS expectant_families, cell_key(sum(r.expectant_families_key)) AS expectant_families_ckey
    FROM reach_rollup r JOIN grouped g ON g.lsoa21_code = r.lsoa21_code
    WHERE r.council_code = $council AND r.period_start = $period_start AND r.period_end = $period_end
      AND r.service_code = $service
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
