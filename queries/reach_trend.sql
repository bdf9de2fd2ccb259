-- name: reach_trend
-- answers: How reach has moved quarter by quarter since April 2019: distinct children and families reached and contacts in each financial-year quarter, with the reach rate per 1,000 children and its 95% confidence interval.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: locality VARCHAR a locality (hub network) to restrict to, or '' for the whole council
-- param: service VARCHAR a service code to restrict contacts to, or '' for all services
-- units: quarter = financial-year quarter (2024-25Q1 = April-June 2024); children_reached, families_reached = distinct children (born and aged 0-19, a contact after birth) / families with a contact in the quarter (count); contacts = contacts (count); children_resident = the council's residents aged 0-19 at the previous mid-year of the quarter's financial year (the latest, mid-2024, for years beyond the estimates) (count); reach_per_1000 = children reached in the quarter per 1,000 resident (rate, 95% limits)
-- source: SYNTHETIC service contacts; children 0-19 by year: DfE/ONS mid-year council totals shared among 2021 LSOAs by Census 2021 (0-15) and ONS mid-2020 (16-19)
-- status: synthetic, real
-- counts: children_reached, families_reached, contacts
-- proportion: reach_per_1000 = children_reached / children_resident * 1000
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
    SELECT r.period_start AS quarter_start,
           sum(r.children_reached)::BIGINT AS children_reached,
           sum(r.families_reached)::BIGINT AS families_reached,
           sum(r.contacts)::BIGINT AS contacts,
           cell_key(sum(r.children_key)) AS children_key, cell_key(sum(r.families_key)) AS families_key,
           cell_key(sum(r.contacts_key)) AS contacts_key
    FROM reach_rollup r JOIN rollup_periods p USING (period_start, period_end)
    WHERE p.grain = 'quarter' AND r.council_code = $council AND r.service_code = $service
      AND ($locality = '' OR r.lsoa21_code IN (SELECT lsoa21_code FROM neighbourhoods WHERE council_code = $council AND locality = $locality))
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
