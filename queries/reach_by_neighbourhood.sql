-- name: reach_by_neighbourhood
-- answers: Where the hubs reach children, neighbourhood by neighbourhood: for each of the council's 2021 LSOAs, its ward, locality and deprivation deciles, children resident, children reached in the period and the reach rate per 1,000 with its 95% confidence interval; for the neighbourhood map.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
-- param: locality VARCHAR a locality (hub network) to restrict to, or '' for the whole council
-- param: service VARCHAR a service code to restrict contacts to, or '' for all services
-- units: children_resident = residents aged 0-19 at the previous mid-year of the period's financial year (its first day's; the latest, mid-2024, for years beyond the estimates) (count); children_reached = distinct children born and aged 0-19 with a contact in the period after birth (unborn children, seen antenatally, are not counted: no resident count holds them) (count); reach_per_1000 = per 1,000 children resident (rate, 95% limits); imd_decile, idaci_decile = national IoD2025 deciles (1 = most deprived 10%)
-- source: SYNTHETIC service contacts; IoD2025; children 0-19 by year: DfE/ONS mid-year council totals shared among 2021 LSOAs by Census 2021 (0-15) and ONS mid-2020 (16-19); ONS boundaries; council network file (localities)
-- status: synthetic, real, illustrative
-- counts: children_reached
-- totals: *
-- proportion: reach_per_1000 = children_reached / children_resident * 1000
WITH lsoas AS (
    SELECT n.lsoa21_code, n.lsoa21_name, n.ward_name, n.locality, n.imd_decile, n.idaci_decile, p.children_0_19 AS children_resident
    FROM neighbourhood_profile n JOIN neighbourhood_population p USING (lsoa21_code)
    WHERE n.council_code = $council AND ($locality = '' OR n.locality = $locality)
      AND p.mid_year = (SELECT mid_year FROM denominator_years WHERE year_start = fy_year($period_start::DATE))
),
reached AS (
    SELECT lsoa21_code, children_reached, children_key
    FROM reach_rollup
    WHERE council_code = $council AND period_start = $period_start AND period_end = $period_end
      AND service_code = $service
)
SELECT l.lsoa21_code, l.lsoa21_name, l.ward_name, l.locality, l.imd_decile, l.idaci_decile,
       l.children_resident::BIGINT AS children_resident, coalesce(r.children_reached, 0) AS children_reached,
       coalesce(r.children_key, 0) AS children_reached_ckey,
       (SELECT label FROM denominator_years WHERE year_start = fy_year($period_start::DATE)) AS denominator
FROM lsoas l LEFT JOIN reached r USING (lsoa21_code)
ORDER BY l.lsoa21_code
