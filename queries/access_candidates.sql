-- name: access_candidates
-- answers: How many children aged 0-4 and 0-19 in IDACI deciles 1-2 not yet within 2 km in a straight line of an open family hub each candidate site would bring within 2 km on its own, candidates at every LSOA centre of the council ranked by children 0-4 (then 0-19, then id); access_next_hub chooses several together.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_end DATE the day the hubs are taken as open (opened by it and not closed by then, as sites_open)
-- units: rank = 1 for the candidate bringing the most children 0-4 within 2 km; candidate_id, candidate_name, candidate_kind ('neighbourhood centre': the LSOA's centre, as access_neighbourhoods), candidate_lat, candidate_lon = WGS84 degrees; lsoas = the deprived neighbourhoods it would bring within 2 km (count); new_0_4, new_0_19 = their children aged 0-4 (ONS mid-2020) and 0-19 (the day's financial year's denominator) (count); only candidates bringing someone are listed
-- source: council network file (sites: positions and dates, some illustrative); ONS Postcode Directory November 2025 postcode centroids, LSOA by point in polygon (DERIVED for this project); ONS LSOA 2021 boundaries (interior points); IoD2025 (MHCLG); ONS mid-2020 single years of age apportioned to 2021 LSOAs; DfE/ONS mid-year council totals shared among 2021 LSOAs. Published populations, not service records: no count here is of families the hubs saw, so none is under disclosure control
-- status: real, illustrative
WITH centres AS (SELECT * FROM access_centres($council)),
uncovered AS (SELECT * FROM access_deprived($council, $period_end) WHERE NOT covered),
gains AS (
    SELECT k.lsoa21_code AS candidate_id, any_value(k.lsoa21_name) AS candidate_name, 'neighbourhood centre' AS candidate_kind,
           any_value(k.lat) AS candidate_lat, any_value(k.lon) AS candidate_lon,
           count(*) AS lsoas, sum(u.children_0_4)::BIGINT AS new_0_4, sum(u.children_0_19)::BIGINT AS new_0_19
    FROM centres k JOIN uncovered u ON haversine_km(k.lat, k.lon, u.lat, u.lon) <= 2
    GROUP BY k.lsoa21_code
)
SELECT row_number() OVER (ORDER BY new_0_4 DESC, new_0_19 DESC, candidate_id) AS rank,
       candidate_id, candidate_name, candidate_kind, round(candidate_lat, 6) AS candidate_lat, round(candidate_lon, 6) AS candidate_lon,
       lsoas, new_0_4, new_0_19
FROM gains
ORDER BY rank
