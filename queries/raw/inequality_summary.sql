-- name: inequality_summary
-- raw: queries/inequality_summary.sql asked of raw contacts, with no rollup: the reference its answers are tested against,
--      what `hubs bench` times as plain DuckDB, and the answer for a period the rollups do not keep whole.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
WITH lsoas AS (
    SELECT lsoa21_code, idaci_decile, children_0_19 AS children FROM neighbourhood_profile WHERE council_code = $council
),
years AS (
    SELECT y AS year_start, make_date(y, 4, 1) AS first_day, make_date(y + 1, 3, 31) AS last_day
    FROM range(2019, 2100) t(y)
    WHERE make_date(y + 1, 3, 31) <= (SELECT value::DATE FROM metadata WHERE key = 'synthetic_end')
),
reached AS (
    SELECT y.year_start, l.idaci_decile, count(DISTINCT c.child_id) AS children_reached
    FROM contacts c
    JOIN years y ON c.contact_date BETWEEN y.first_day AND y.last_day
    JOIN lsoas l ON l.lsoa21_code = c.lsoa21_code
    WHERE c.council_code = $council AND c.age_band <> '20-25'
    GROUP BY ALL
)
SELECT format('{}-{:02d}', y.year_start, (y.year_start + 1) % 100) AS year, d.decile AS idaci_decile,
       coalesce(sum(l.children), 0)::BIGINT AS children_resident,
       coalesce(any_value(r.children_reached), 0) AS children_reached
FROM years y
CROSS JOIN range(1, 11) d(decile)
LEFT JOIN lsoas l ON l.idaci_decile = d.decile
LEFT JOIN reached r ON r.year_start = y.year_start AND r.idaci_decile = d.decile
GROUP BY y.year_start, d.decile
ORDER BY y.year_start, d.decile
