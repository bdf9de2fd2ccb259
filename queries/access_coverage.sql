-- name: access_coverage
-- answers: What share of the council's children aged 0-4 and 0-19 live within 1, 2 and 5 km in a straight line of the nearest family hub, and of any family site (hub, hublet, bridge or outreach; online excluded) open on the day, in the neighbourhoods of IDACI deciles 1-2 (the 20% most deprived nationally) against those of deciles 3-10.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_end DATE the day the sites are taken as open (opened by it and not closed by then, as sites_open)
-- units: ages = '0-4' or '0-19'; sites = 'hub' (family hubs only) or 'family site' (any of hub, hublet, bridge, outreach); idaci = '1-2', '3-10' or 'all' (national IoD2025 deciles of the LSOAs); children = residents of those ages (count: 0-4 ONS mid-2020, 0-19 at the previous mid-year of the day's financial year, named in denominator); within_1km, within_2km, within_5km = of them, those whose LSOA's centre is within that straight-line (haversine) distance of the nearest open site (count); share_within_1km, share_within_2km, share_within_5km = within / children (proportion 0-1, a whole population, so no interval). Every child of an LSOA is placed at its centre (the mean of its postcode centroids, else its interior point; access_neighbourhoods says which)
-- source: council network file (sites: positions and dates, some illustrative); ONS Postcode Directory November 2025 postcode centroids, LSOA by point in polygon (DERIVED for this project); ONS LSOA 2021 boundaries (interior points); IoD2025 (MHCLG); ONS mid-2020 single years of age apportioned to 2021 LSOAs; DfE/ONS mid-year council totals shared among 2021 LSOAs. Published populations, not service records: none of these counts is of families the hubs saw, so none is under disclosure control (ONS publishes these LSOA populations itself)
-- status: real, illustrative
WITH centres AS (SELECT * FROM access_centres($council)),
nearest AS (
    SELECT c.lsoa21_code,
           min(haversine_km(c.lat, c.lon, s.lat, s.lon)) FILTER (WHERE s.kind = 'hub') AS hub_km,
           min(haversine_km(c.lat, c.lon, s.lat, s.lon)) AS family_site_km
    FROM centres c CROSS JOIN access_sites($council, $period_end) s
    GROUP BY c.lsoa21_code
),
lsoas AS (
    SELECT k.*, CASE WHEN k.idaci_decile <= 2 THEN '1-2' ELSE '3-10' END AS idaci, n.hub_km, n.family_site_km
    FROM access_children($council, $period_end) k LEFT JOIN nearest n ON n.lsoa21_code = k.lsoa21_code
),
long AS (
    SELECT '0-4' AS ages, 1 AS age_order, 'hub' AS sites, 1 AS site_order, idaci, children_0_4 AS children, hub_km AS km FROM lsoas
    UNION ALL SELECT '0-4', 1, 'family site', 2, idaci, children_0_4, family_site_km FROM lsoas
    UNION ALL SELECT '0-19', 2, 'hub', 1, idaci, children_0_19, hub_km FROM lsoas
    UNION ALL SELECT '0-19', 2, 'family site', 2, idaci, children_0_19, family_site_km FROM lsoas
),
summed AS (
    SELECT ages, age_order, sites, site_order, coalesce(idaci, 'all') AS idaci,
           sum(children)::BIGINT AS children,
           coalesce(sum(children) FILTER (WHERE km <= 1), 0)::BIGINT AS within_1km,
           coalesce(sum(children) FILTER (WHERE km <= 2), 0)::BIGINT AS within_2km,
           coalesce(sum(children) FILTER (WHERE km <= 5), 0)::BIGINT AS within_5km
    FROM long
    GROUP BY GROUPING SETS ((ages, age_order, sites, site_order, idaci), (ages, age_order, sites, site_order))
)
SELECT ages, sites, idaci, children, within_1km, within_2km, within_5km,
       within_1km / nullif(children, 0) AS share_within_1km,
       within_2km / nullif(children, 0) AS share_within_2km,
       within_5km / nullif(children, 0) AS share_within_5km,
       (SELECT any_value(denominator) FROM lsoas) AS denominator
FROM summed
ORDER BY age_order, site_order, CASE idaci WHEN '1-2' THEN 1 WHEN '3-10' THEN 2 ELSE 3 END
