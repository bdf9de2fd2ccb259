-- name: access_next_hub_buildings
-- answers: Where the next family hubs would bring most disadvantaged children within 2 km: the best 1 to 5 additional sites chosen one at a time (greedy maximal coverage) from the buildings the council lists as candidates in its network file ([[candidate]] lines: libraries, schools, health centres), each pick the one bringing the most children aged 0-4 (and, separately, 0-19) in IDACI deciles 1-2 not yet within 2 km of an open hub within 2 km, with the share of those children within 2 km of a hub before and after each pick.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_end DATE the day the hubs are taken as open (opened by it and not closed by then, as sites_open)
-- units: objective = 'children 0-4' or 'children 0-19', the children each pick is chosen for; pick = 1 to 5, the order of choice; candidate_id, candidate_name, candidate_kind (what the building is: library, school...), candidate_lat, candidate_lon = WGS84 degrees as the network file gives them; new_0_4, new_0_19 = children aged 0-4 / 0-19 in IDACI deciles 1-2 the pick brings within 2 km in a straight line that no hub or earlier pick did (count); share_0_4_before, share_0_4_after, share_0_19_before, share_0_19_after = of the council's children in IDACI deciles 1-2 of those ages, the share within 2 km of a hub or an earlier pick, before and after this pick (proportion 0-1). Greedy choice is within 1 - 1/e (63%) of the best possible set's gain (Nemhauser, Wolsey and Fisher 1978); ties go to the lower candidate id; access_next_hub chooses from every LSOA centre instead
-- source: council network file (sites: positions and dates, some illustrative; candidate buildings, illustrative where flagged); ONS Postcode Directory November 2025 postcode centroids, LSOA by point in polygon (DERIVED for this project); ONS LSOA 2021 boundaries (interior points); IoD2025 (MHCLG); ONS mid-2020 single years of age apportioned to 2021 LSOAs; DfE/ONS mid-year council totals shared among 2021 LSOAs. Published populations, not service records: no count here is of families the hubs saw, so none is under disclosure control
-- status: real, illustrative
-- finish: next_hub
-- One row per candidate and deprived neighbourhood it would newly cover (the greedy choice, in Go,
-- package access, reads them), each with the council's totals; a council with no such pair gets
-- one row of totals and no candidate.
WITH deprived AS (SELECT * FROM access_deprived($council, $period_end)),
totals AS (
    SELECT coalesce(sum(children_0_4), 0)::BIGINT AS deprived_0_4,
           coalesce(sum(children_0_19), 0)::BIGINT AS deprived_0_19,
           coalesce(sum(children_0_4) FILTER (WHERE covered), 0)::BIGINT AS covered_0_4,
           coalesce(sum(children_0_19) FILTER (WHERE covered), 0)::BIGINT AS covered_0_19
    FROM deprived
),
candidates AS (
    SELECT candidate_id, name AS candidate_name, kind AS candidate_kind, lat AS candidate_lat, lon AS candidate_lon
    FROM site_candidates WHERE council_code = $council
),
gains AS (
    SELECT k.*, d.lsoa21_code, d.children_0_4, d.children_0_19
    FROM candidates k JOIN deprived d ON NOT d.covered
    WHERE haversine_km(k.candidate_lat, k.candidate_lon, d.lat, d.lon) <= 2
)
SELECT t.deprived_0_4, t.deprived_0_19, t.covered_0_4, t.covered_0_19,
       g.candidate_id, g.candidate_name, g.candidate_kind, round(g.candidate_lat, 6) AS candidate_lat,
       round(g.candidate_lon, 6) AS candidate_lon, g.lsoa21_code, g.children_0_4, g.children_0_19
FROM totals t LEFT JOIN gains g ON true
ORDER BY g.candidate_id, g.lsoa21_code
