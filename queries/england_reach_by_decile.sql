-- name: england_reach_by_decile
-- answers: Who family hubs reach across England and in each region, by how deprived the neighbourhood is: children and families reached in the period, children resident and the reach rate per 1,000 in each national IDACI decile, over every council whose contacts the warehouse holds.
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
-- units: area = England or a region; councils = councils with contacts in the period (count); children_reached = distinct children born and aged 0-19 with a contact in the period after birth (unborn children, seen antenatally, are not counted: no resident count holds them) (count); families_reached = distinct families (count); children_resident = residents aged 0-19 of those councils at the previous mid-year of the period's financial year (count); reach_per_1000 = per 1,000 children resident (rate, 95% limits)
-- source: SYNTHETIC service contacts; IoD2025 national IDACI deciles; children 0-19 by year: DfE/ONS mid-year council totals shared among 2021 LSOAs by Census 2021 (0-15) and ONS mid-2020 (16-19); ONS regions
-- status: synthetic, real
-- counts: children_reached, families_reached
-- totals: area
-- proportion: reach_per_1000 = children_reached / children_resident * 1000
WITH reached AS (
    SELECT council_code, idaci_decile, children_reached, families_reached, children_key, families_key
    FROM decile_rollup
    WHERE period_start = $period_start AND period_end = $period_end
),
resident AS (
    SELECT n.council_code, c.region_name, n.idaci_decile, sum(p.children_0_19) AS children
    FROM neighbourhood_profile n JOIN councils c USING (council_code) JOIN neighbourhood_population p USING (lsoa21_code)
    WHERE n.council_code IN (SELECT council_code FROM reached) AND p.mid_year = (SELECT mid_year FROM denominator_years WHERE year_start = fy_year($period_start::DATE))
    GROUP BY ALL
),
joined AS (
    SELECT r.*, coalesce(x.children_reached, 0) AS children_reached, coalesce(x.families_reached, 0) AS families_reached,
           coalesce(x.children_key, 0) AS children_key, coalesce(x.families_key, 0) AS families_key
    FROM resident r LEFT JOIN reached x USING (council_code, idaci_decile)
),
areas AS (
    SELECT 'England' AS area, 0 AS area_order, j.* FROM joined j
    UNION ALL
    SELECT region_name, 1, j.* FROM joined j
)
SELECT area, idaci_decile,
       count(DISTINCT council_code) AS councils,
       sum(children)::BIGINT AS children_resident,
       sum(children_reached)::BIGINT AS children_reached,
       sum(families_reached)::BIGINT AS families_reached,
       cell_key(sum(children_key)) AS children_reached_ckey, cell_key(sum(families_key)) AS families_reached_ckey,
       (SELECT label FROM denominator_years WHERE year_start = fy_year($period_start::DATE)) AS denominator
FROM areas
GROUP BY area, area_order, idaci_decile
ORDER BY area_order, area, idaci_decile
