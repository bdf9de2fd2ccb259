-- name: reach_by_neighbourhood
-- answers: Where the hubs reach children, neighbourhood by neighbourhood: for each of the council's 2021 LSOAs, its ward, locality and deprivation deciles, children resident, children reached in the period and the reach rate per 1,000 with its 95% confidence interval; for the neighbourhood map.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
-- param: locality VARCHAR a locality (hub network) to restrict to, or '' for the whole council
-- param: service VARCHAR a service code to restrict contacts to, or '' for all services
-- units: children_resident = residents aged 0-19, mid-2020 (count); children_reached = distinct children 0-19 with a contact in the period (count); reach_per_1000 = per 1,000 children resident (rate, 95% limits); imd_decile, idaci_decile = national IoD2025 deciles (1 = most deprived 10%)
-- source: SYNTHETIC service contacts; IoD2025; ONS mid-2020 population apportioned to 2021 LSOAs; ONS boundaries; council network file (localities)
-- status: synthetic, real, illustrative
-- counts: children_reached
-- totals: *
-- proportion: reach_per_1000 = children_reached / children_resident * 1000
WITH lsoas AS (
    SELECT lsoa21_code, lsoa21_name, ward_name, locality, imd_decile, idaci_decile, children_0_19 AS children_resident
    FROM neighbourhood_profile
    WHERE council_code = $council AND ($locality = '' OR locality = $locality)
),
reached AS (
    SELECT lsoa21_code, children_reached, children_key
    FROM reach_rollup
    WHERE council_code = $council AND period_start = $period_start AND period_end = $period_end
      AND service_code = $service
)
SELECT l.lsoa21_code, l.lsoa21_name, l.ward_name, l.locality, l.imd_decile, l.idaci_decile,
       l.children_resident::BIGINT AS children_resident, coalesce(r.children_reached, 0) AS children_reached,
       coalesce(r.children_key, 0) AS children_reached_ckey
FROM lsoas l LEFT JOIN reached r USING (lsoa21_code)
ORDER BY l.lsoa21_code
