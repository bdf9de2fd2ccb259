-- name: england_reach_by_decile
-- raw: queries/england_reach_by_decile.sql asked of raw contacts, with no rollup: the reference its answers are tested against,
--      what `hubs bench` times as plain DuckDB, and the answer for a period the rollups do not keep whole.
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
WITH reporting AS (
    SELECT DISTINCT council_code FROM contacts WHERE contact_date BETWEEN $period_start AND $period_end
),
lsoas AS (
    SELECT n.lsoa21_code, n.council_code, c.region_name, n.idaci_decile, p.children_0_19
    FROM neighbourhood_profile n JOIN councils c USING (council_code) JOIN neighbourhood_population p USING (lsoa21_code)
    WHERE n.council_code IN (SELECT council_code FROM reporting) AND p.mid_year = (SELECT mid_year FROM denominator_years WHERE year_start = fy_year($period_start::DATE))
),
areas AS (
    SELECT 'England' AS area, 0 AS area_order, l.* FROM lsoas l
    UNION ALL
    SELECT region_name, 1, l.* FROM lsoas l
),
resident AS (
    SELECT area, area_order, idaci_decile, count(DISTINCT council_code) AS councils, sum(children_0_19)::BIGINT AS children_resident
    FROM areas GROUP BY ALL
),
reached AS (
    SELECT a.area, a.idaci_decile,
           count(DISTINCT c.child_id) FILTER (WHERE c.age_band <> '20-25' AND NOT before_birth(c.contact_date, k.birth_date)) AS children_reached,
           count(DISTINCT c.family_id) AS families_reached,
           cell_key(sum(DISTINCT rkey(c.child_id)) FILTER (WHERE c.age_band <> '20-25' AND NOT before_birth(c.contact_date, k.birth_date))) AS children_reached_ckey,
           cell_key(sum(DISTINCT rkey(c.family_id))) AS families_reached_ckey
    FROM contacts c JOIN areas a USING (lsoa21_code)
    LEFT JOIN people k ON k.person_id = c.child_id
    WHERE c.contact_date BETWEEN $period_start AND $period_end
    GROUP BY ALL
)
SELECT r.area, r.idaci_decile, r.councils, r.children_resident,
       coalesce(x.children_reached, 0) AS children_reached,
       coalesce(x.families_reached, 0) AS families_reached,
       coalesce(x.children_reached_ckey, 0) AS children_reached_ckey, coalesce(x.families_reached_ckey, 0) AS families_reached_ckey,
       (SELECT label FROM denominator_years WHERE year_start = fy_year($period_start::DATE)) AS denominator
FROM resident r LEFT JOIN reached x USING (area, idaci_decile)
ORDER BY r.area_order, r.area, r.idaci_decile
