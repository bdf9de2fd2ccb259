-- name: reach_trend
-- raw: queries/reach_trend.sql asked of raw contacts, with no rollup: the reference its answers are tested against,
--      what `hubs bench` times as plain DuckDB, and the answer for a period the rollups do not keep whole.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: locality VARCHAR a locality (hub network) to restrict to, or '' for the whole council
-- param: service VARCHAR a service code to restrict contacts to, or '' for all services
WITH resident AS (
    -- each quarter is set against its financial year's denominator (denominator_years)
    SELECT p.mid_year, sum(p.children_0_19) AS children_resident
    FROM neighbourhood_profile n JOIN neighbourhood_population p USING (lsoa21_code)
    WHERE n.council_code = $council AND ($locality = '' OR n.locality = $locality)
    GROUP BY p.mid_year
),
quarters AS (
    SELECT q::DATE AS quarter_start
    FROM range(DATE '2019-04-01', (SELECT value::DATE + 1 FROM metadata WHERE key = 'synthetic_end'), INTERVAL 3 MONTH) t(q)
    -- only whole quarters
    WHERE q + INTERVAL 3 MONTH <= (SELECT value::DATE + 1 FROM metadata WHERE key = 'synthetic_end')
),
reached AS (
    SELECT date_trunc('quarter', c.contact_date)::DATE AS quarter_start,
           count(DISTINCT c.child_id) FILTER (WHERE c.age_band <> '20-25' AND NOT before_birth(c.contact_date, k.birth_date)) AS children_reached,
           count(DISTINCT c.family_id) AS families_reached,
           count(*) AS contacts,
           cell_key(sum(DISTINCT rkey(c.child_id)) FILTER (WHERE c.age_band <> '20-25' AND NOT before_birth(c.contact_date, k.birth_date))) AS children_key,
           cell_key(sum(DISTINCT rkey(c.family_id))) AS families_key,
           cell_key(sum(rkey(c.contact_id))) AS contacts_key
    FROM contacts c LEFT JOIN people k ON k.person_id = c.child_id
    WHERE c.council_code = $council AND ($service = '' OR c.service_code = $service)
      AND ($locality = '' OR c.lsoa21_code IN (SELECT lsoa21_code FROM neighbourhoods WHERE council_code = $council AND locality = $locality))
    GROUP BY ALL
)
SELECT
    CASE WHEN month(q.quarter_start) >= 4
         THEN format('{}-{:02d}Q{}', year(q.quarter_start), (year(q.quarter_start) + 1) % 100, (month(q.quarter_start) - 4) // 3 + 1)
         ELSE format('{}-{:02d}Q4', year(q.quarter_start) - 1, year(q.quarter_start) % 100)
    END AS quarter,
    q.quarter_start,
    coalesce(r.children_reached, 0) AS children_reached,
    coalesce(r.families_reached, 0) AS families_reached,
    coalesce(r.contacts, 0) AS contacts,
    coalesce(s.children_resident, 0)::BIGINT AS children_resident,
    coalesce(r.children_key, 0) AS children_reached_ckey,
    coalesce(r.families_key, 0) AS families_reached_ckey,
    coalesce(r.contacts_key, 0) AS contacts_ckey,
    d.label AS denominator
FROM quarters q LEFT JOIN reached r USING (quarter_start)
JOIN denominator_years d ON d.year_start = fy_year(q.quarter_start)
LEFT JOIN resident s ON s.mid_year = d.mid_year
ORDER BY q.quarter_start
