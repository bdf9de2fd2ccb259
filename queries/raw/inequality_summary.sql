-- name: inequality_summary
-- raw: queries/inequality_summary.sql asked of raw contacts, with no rollup: the reference its answers are tested against,
--      what `hubs bench` times as plain DuckDB, and the answer for a period the rollups do not keep whole.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
WITH lsoas AS (
    SELECT n.lsoa21_code, n.idaci_decile, p.mid_year, p.children_0_19 AS children
    FROM neighbourhood_profile n JOIN neighbourhood_population p USING (lsoa21_code)
    WHERE n.council_code = $council
),
years AS (
    SELECT y AS year_start, make_date(y, 4, 1) AS first_day, make_date(y + 1, 3, 31) AS last_day
    FROM range(2019, 2100) t(y)
    WHERE make_date(y + 1, 3, 31) <= (SELECT value::DATE FROM metadata WHERE key = 'synthetic_end')
),
reached AS (
    SELECT y.year_start, l.idaci_decile, count(DISTINCT c.child_id) AS children_reached,
           cell_key(sum(DISTINCT rkey(c.child_id))) AS children_key
    FROM contacts c
    JOIN years y ON c.contact_date BETWEEN y.first_day AND y.last_day
    JOIN lsoas l ON l.lsoa21_code = c.lsoa21_code AND l.mid_year = (SELECT mid_year FROM denominator_years WHERE year_start = y.year_start)
    LEFT JOIN people k ON k.person_id = c.child_id
    WHERE c.council_code = $council AND c.age_band <> '20-25' AND NOT before_birth(c.contact_date, k.birth_date)
    GROUP BY ALL
),
deciles AS (
    SELECT format('{}-{:02d}', y.year_start, (y.year_start + 1) % 100) AS year, d.decile AS idaci_decile,
           coalesce(sum(l.children), 0)::BIGINT AS children_resident,
           coalesce(any_value(r.children_reached), 0) AS children_reached,
           coalesce(any_value(r.children_key), 0) AS children_reached_ckey,
           any_value(dy.label) AS denominator
    FROM years y
    JOIN denominator_years dy ON dy.year_start = y.year_start
    CROSS JOIN range(1, 11) d(decile)
    LEFT JOIN lsoas l ON l.idaci_decile = d.decile AND l.mid_year = dy.mid_year
    LEFT JOIN reached r ON r.year_start = y.year_start AND r.idaci_decile = d.decile
    GROUP BY y.year_start, d.decile
)
-- the year's children reached, and those in deciles 1-2, are cells of their own (the same cells
-- as reach_total's for the financial year), not sums of the deciles' protected counts
SELECT *,
       (sum(children_reached) OVER w)::BIGINT AS year_children_reached,
       cell_key(sum(children_reached_ckey) OVER w) AS year_children_reached_ckey,
       (sum(CASE WHEN idaci_decile <= 2 THEN children_reached ELSE 0 END) OVER w)::BIGINT AS year_children_1_2,
       cell_key(sum(CASE WHEN idaci_decile <= 2 THEN children_reached_ckey ELSE 0 END) OVER w) AS year_children_1_2_ckey
FROM deciles
WINDOW w AS (PARTITION BY year)
ORDER BY year, idaci_decile
