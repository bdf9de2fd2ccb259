-- name: reach_by_locality
-- raw: queries/reach_by_locality.sql asked of raw contacts, with no rollup: the reference its answers are tested against,
--      what `hubs bench` times as plain DuckDB, and the answer for a period the rollups do not keep whole.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
WITH lsoas AS (
    SELECT n.lsoa21_code, n.locality, n.locality_illustrative AS illustrative, n.idaci_decile, p.children_0_19 AS children
    FROM neighbourhood_profile n JOIN neighbourhood_population p USING (lsoa21_code)
    WHERE n.council_code = $council AND p.mid_year = (SELECT mid_year FROM denominator_years WHERE year_start = fy_year($period_start::DATE))
),
resident AS (
    SELECT locality, bool_or(illustrative) AS illustrative, count(*) AS lsoas, sum(children) AS children_resident,
           sum(children) FILTER (WHERE idaci_decile <= 2) / sum(children) AS share_children_idaci_1_2
    FROM lsoas GROUP BY locality
),
reached AS (
    SELECT l.locality, count(DISTINCT c.child_id) FILTER (WHERE c.age_band <> '20-25' AND NOT before_birth(c.contact_date, k.birth_date)) AS children_reached,
           count(DISTINCT c.family_id) AS families_reached,
           cell_key(sum(DISTINCT rkey(c.child_id)) FILTER (WHERE c.age_band <> '20-25' AND NOT before_birth(c.contact_date, k.birth_date))) AS children_reached_ckey,
           cell_key(sum(DISTINCT rkey(c.family_id))) AS families_reached_ckey
    FROM contacts c JOIN lsoas l ON l.lsoa21_code = c.lsoa21_code
    LEFT JOIN people k ON k.person_id = c.child_id
    WHERE c.council_code = $council AND c.contact_date BETWEEN $period_start AND $period_end
    GROUP BY l.locality
)
SELECT r.locality, r.illustrative AS locality_illustrative, r.lsoas, r.children_resident::BIGINT AS children_resident,
       round(coalesce(r.share_children_idaci_1_2, 0), 4) AS share_children_idaci_1_2,
       coalesce(x.children_reached, 0) AS children_reached, coalesce(x.families_reached, 0) AS families_reached,
       coalesce(x.children_reached_ckey, 0) AS children_reached_ckey, coalesce(x.families_reached_ckey, 0) AS families_reached_ckey,
       (SELECT label FROM denominator_years WHERE year_start = fy_year($period_start::DATE)) AS denominator
FROM resident r LEFT JOIN reached x USING (locality)
ORDER BY r.locality
