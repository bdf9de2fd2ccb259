-- name: reach_by_decile
-- answers: Who the hubs reach by how deprived their neighbourhood is: children and families reached in the period, and children resident, in each national IMD and IDACI decile of the council's own neighbourhoods, with the reach rate per 1,000 children and its 95% confidence interval.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
-- param: locality VARCHAR a locality (hub network) to restrict to, or '' for the whole council
-- param: service VARCHAR a service code to restrict contacts to, or '' for all services
-- units: part = the part of reach_total an IDACI row sums into (idaci_1_2, idaci_3_10; empty for IMD rows); children_reached = distinct children born and aged 0-19 with at least one contact in the period after birth (count); families_reached = distinct families with any contact in the period (count); expectant_families = distinct families with a contact before a child's birth in the period: unborn children, counted here and not as children reached, as no resident count holds them (count); children_resident = residents aged 0-19 at the previous mid-year of the period's financial year (its first day's; the latest, mid-2024, for years beyond the estimates) (count); reach_per_1000 = children reached per 1,000 children resident (a proportion: each child is reached or not; 95% limits by the Wilson score method)
-- source: SYNTHETIC service contacts; IoD2025 national deciles (1 = most deprived 10% of LSOAs in England); children 0-19 by year: DfE/ONS mid-year council totals shared among 2021 LSOAs by Census 2021 (0-15) and ONS mid-2020 (16-19)
-- status: synthetic, real
-- counts: children_reached, families_reached, expectant_families
-- totals: index
-- proportion: reach_per_1000 = children_reached / children_resident * 1000
WITH lsoas AS (
    SELECT n.lsoa21_code, n.imd_decile, n.idaci_decile, p.children_0_19 AS children
    FROM neighbourhood_profile n JOIN neighbourhood_population p USING (lsoa21_code)
    WHERE n.council_code = $council AND ($locality = '' OR n.locality = $locality)
      AND p.mid_year = (SELECT mid_year FROM denominator_years WHERE year_start = fy_year($period_start::DATE))
),
by_index AS (
    SELECT 'IMD' AS index, imd_decile AS decile, lsoa21_code, children FROM lsoas
    UNION ALL
    SELECT 'IDACI', idaci_decile, lsoa21_code, children FROM lsoas
),
resident AS (
    SELECT index, decile, sum(children) AS children_resident FROM by_index GROUP BY ALL
),
reached AS (
    -- children of 20-25 (SEND) and unborn children (a contact before birth: expectant families)
    -- are left out of children reached, as there is no resident count of
    -- them to set them against; families are every family with a contact, as in every other query.
    -- Distinct counts per LSOA add up: a family has one home LSOA (warehouse/rollups.sql).
    SELECT b.index, b.decile,
           sum(r.children_reached)::BIGINT AS children_reached,
           sum(r.families_reached)::BIGINT AS families_reached,
           cell_key(sum(r.children_key)) AS children_reached_ckey, cell_key(sum(r.families_key)) AS families_reached_ckey,
           sum(r.expectant_families)::BIGINT AS expectant_families, cell_key(sum(r.expectant_families_key)) AS expectant_families_ckey
    FROM reach_rollup r JOIN by_index b ON b.lsoa21_code = r.lsoa21_code
    WHERE r.council_code = $council AND r.period_start = $period_start AND r.period_end = $period_end
      AND r.service_code = $service
    GROUP BY ALL
),
grid AS (
    SELECT i.index, d.decile FROM (VALUES ('IMD'), ('IDACI')) i(index), range(1, 11) d(decile)
)
SELECT g.index, g.decile,
       -- which part of reach_total (the 20% most deprived against the rest) the row sums into
       CASE WHEN g.index <> 'IDACI' THEN '' WHEN g.decile <= 2 THEN 'idaci_1_2' ELSE 'idaci_3_10' END AS part,
       coalesce(r.children_resident, 0)::BIGINT AS children_resident,
       coalesce(x.children_reached, 0) AS children_reached,
       coalesce(x.families_reached, 0) AS families_reached,
       coalesce(x.children_reached_ckey, 0) AS children_reached_ckey, coalesce(x.families_reached_ckey, 0) AS families_reached_ckey,
       coalesce(x.expectant_families, 0) AS expectant_families, coalesce(x.expectant_families_ckey, 0) AS expectant_families_ckey,
       (SELECT label FROM denominator_years WHERE year_start = fy_year($period_start::DATE)) AS denominator
FROM grid g
LEFT JOIN resident r USING (index, decile)
LEFT JOIN reached x USING (index, decile)
ORDER BY g.index DESC, g.decile
