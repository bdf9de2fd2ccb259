-- name: access_buildings
-- answers: How many children aged 0-4 and 0-19 in IDACI deciles 1-2 not yet within 2 km in a straight line of an open family hub each building the council lists as a candidate for a new hub (its network file's [[candidate]] lines: libraries, schools, health centres) would bring within 2 km on its own, ranked by children 0-4 (then 0-19, then id); access_candidates asks the same of every LSOA centre, access_next_hub_buildings chooses several together.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_end DATE the day the hubs are taken as open (opened by it and not closed by then, as sites_open)
-- units: rank = 1 for the building bringing the most children 0-4 within 2 km; candidate_id, candidate_name, candidate_kind (what the building is: library, school...), candidate_lat, candidate_lon = WGS84 degrees as the network file gives them; illustrative = true where the file flags the building illustrative (not the council's choice); lsoas = the deprived neighbourhoods it would bring within 2 km (count); new_0_4, new_0_19 = their children aged 0-4 (ONS mid-2020) and 0-19 (the day's financial year's denominator) (count); every listed building, 0 where it brings no one
-- source: council network file (sites: positions and dates, some illustrative; candidate buildings, illustrative where flagged); ONS Postcode Directory November 2025 postcode centroids, LSOA by point in polygon (DERIVED for this project); ONS LSOA 2021 boundaries (interior points); IoD2025 (MHCLG); ONS mid-2020 single years of age apportioned to 2021 LSOAs; DfE/ONS mid-year council totals shared among 2021 LSOAs. Published populations, not service records: no count here is of families the hubs saw, so none is under disclosure control
-- status: real, illustrative
WITH uncovered AS (SELECT * FROM access_deprived($council, $period_end) WHERE NOT covered),
gains AS (
    SELECT k.candidate_id, any_value(k.name) AS candidate_name, any_value(k.kind) AS candidate_kind,
           any_value(k.lat) AS candidate_lat, any_value(k.lon) AS candidate_lon, any_value(k.illustrative) AS illustrative,
           count(u.lsoa21_code) AS lsoas, coalesce(sum(u.children_0_4), 0)::BIGINT AS new_0_4, coalesce(sum(u.children_0_19), 0)::BIGINT AS new_0_19
    FROM site_candidates k LEFT JOIN uncovered u ON haversine_km(k.lat, k.lon, u.lat, u.lon) <= 2
    WHERE k.council_code = $council
    GROUP BY k.candidate_id
)
SELECT row_number() OVER (ORDER BY new_0_4 DESC, new_0_19 DESC, candidate_id) AS rank,
       candidate_id, candidate_name, candidate_kind, candidate_lat, candidate_lon, illustrative,
       lsoas, new_0_4, new_0_19
FROM gains
ORDER BY rank
