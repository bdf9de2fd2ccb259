-- name: reach_by_neighbourhood
-- raw: queries/reach_by_neighbourhood.sql asked of raw contacts, with no rollup: the reference its answers are tested against,
--      what `hubs bench` times as plain DuckDB, and the answer for a period the rollups do not keep whole.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
-- param: locality VARCHAR a locality (hub network) to restrict to, or '' for the whole council
-- param: service VARCHAR a service code to restrict contacts to, or '' for all services
WITH lsoas AS (
    SELECT n.lsoa21_code, n.lsoa21_name, n.ward_name, n.locality, n.imd_decile, n.idaci_decile, p.children_0_19 AS children_resident
    FROM neighbourhood_profile n JOIN neighbourhood_population p USING (lsoa21_code)
    WHERE n.council_code = $council AND ($locality = '' OR n.locality = $locality)
      AND p.mid_year = (SELECT mid_year FROM denominator_years WHERE year_start = fy_year($period_start::DATE))
),
reached AS (
    SELECT c.lsoa21_code, count(DISTINCT c.child_id) AS children_reached, cell_key(sum(DISTINCT rkey(c.child_id))) AS children_key
    FROM contacts c LEFT JOIN people k ON k.person_id = c.child_id
    WHERE c.council_code = $council AND c.contact_date BETWEEN $period_start AND $period_end
      AND c.age_band <> '20-25' AND NOT before_birth(c.contact_date, k.birth_date)
      AND ($service = '' OR c.service_code = $service)
    GROUP BY c.lsoa21_code
)
SELECT l.lsoa21_code, l.lsoa21_name, l.ward_name, l.locality, l.imd_decile, l.idaci_decile,
       l.children_resident::BIGINT AS children_resident, coalesce(r.children_reached, 0) AS children_reached,
       coalesce(r.children_key, 0) AS children_reached_ckey,
       (SELECT label FROM denominator_years WHERE year_start = fy_year($period_start::DATE)) AS denominator
FROM lsoas l LEFT JOIN reached r USING (lsoa21_code)
ORDER BY l.lsoa21_code
