-- name: access_neighbourhoods
-- answers: How far each of the council's 2021 LSOAs is, in a straight line, from the nearest family hub, hublet, bridge and outreach site open on the day (online hubs excluded), measured from where its people live, with its IDACI decile and children aged 0-4 and 0-19; for the access map layer and table.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_end DATE the day the sites are taken as open (opened by it and not closed by then, as sites_open)
-- units: hub_km, hublet_km, bridge_km, outreach_km, family_site_km = straight-line (haversine, great-circle) distance in km from the LSOA's centre to the nearest open site of that kind (family_site_km: of any of the four kinds), not a route or a journey time; empty when the council has no such site open; centre_method = 'postcodes' (the mean of the LSOA's postcode centroids, postcodes = how many) or 'interior point' (the LSOA's area centroid or nearest interior point, where the postcode file does not cover the council); centre_lat, centre_lon = WGS84 degrees; children_0_4 = residents aged 0-4, ONS mid-2020 (count); children_0_19 = residents aged 0-19 at the previous mid-year of the day's financial year (count, named in denominator); idaci_decile = national IoD2025 decile (1 = most deprived 10%)
-- source: council network file (sites: positions and dates, some illustrative); ONS Postcode Directory November 2025 postcode centroids, LSOA by point in polygon (DERIVED for this project); ONS LSOA 2021 boundaries (interior points); IoD2025 (MHCLG); ONS mid-2020 single years of age apportioned to 2021 LSOAs; DfE/ONS mid-year council totals shared among 2021 LSOAs. Published populations, not service records: no figure here counts families the hubs saw, so none is under disclosure control (ONS publishes these LSOA populations itself)
-- status: real, illustrative
WITH centres AS (SELECT * FROM access_centres($council)),
distances AS (
    SELECT c.lsoa21_code, s.site_id, s.name, s.kind, haversine_km(c.lat, c.lon, s.lat, s.lon) AS km
    FROM centres c CROSS JOIN access_sites($council, $period_end) s
),
nearest AS (
    SELECT lsoa21_code,
           min(km) FILTER (WHERE kind = 'hub') AS hub_km,
           min(km) FILTER (WHERE kind = 'hublet') AS hublet_km,
           min(km) FILTER (WHERE kind = 'bridge') AS bridge_km,
           min(km) FILTER (WHERE kind = 'outreach') AS outreach_km,
           min(km) AS family_site_km,
           arg_min(name, (km, site_id)) FILTER (WHERE kind = 'hub') AS nearest_hub,
           arg_min(name, (km, site_id)) AS nearest_family_site
    FROM distances
    GROUP BY lsoa21_code
)
SELECT c.lsoa21_code, c.lsoa21_name, c.locality, k.idaci_decile, c.centre_method, c.postcodes,
       round(c.lat, 6) AS centre_lat, round(c.lon, 6) AS centre_lon,
       round(n.hub_km, 3) AS hub_km, round(n.hublet_km, 3) AS hublet_km, round(n.bridge_km, 3) AS bridge_km,
       round(n.outreach_km, 3) AS outreach_km, round(n.family_site_km, 3) AS family_site_km,
       n.nearest_hub, n.nearest_family_site,
       k.children_0_4, k.children_0_19, k.denominator
FROM centres c
JOIN access_children($council, $period_end) k ON k.lsoa21_code = c.lsoa21_code
LEFT JOIN nearest n ON n.lsoa21_code = c.lsoa21_code
ORDER BY c.lsoa21_code
