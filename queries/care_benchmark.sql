-- name: care_benchmark
-- answers: How the council's children looked after, in need and on protection plans at 31 March compare, measure by measure, with each of its statistical neighbours by name, the neighbours' average, its region and England, with its rank and quartile among English councils and its five-year trend: the benchmark table DfE's Local Authority Interactive Tool gave.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_end DATE the last 31 March on or before this day gives the year (each measure's latest published year up to it)
-- units: role = council, neighbour (with its DfE rank of closeness), neighbours' average, region, England; number = children at 31 March (count; DfE's symbol where not published); rate_per_10000 = per 10,000 children aged 0-17 at the previous mid-year; rank = the council's place among English councils with a published figure that year, 1 = the lowest rate; quartile = 1 (lowest rates) to 4 (highest); councils_ranked = councils with a figure that year; trend = the council's own five-year trend marker (OHID Fingertips' rule); no judgement of better or worse
-- source: DfE Children looked after in England (SFR 2011-2017, releases 2018-2025), DfE Characteristics of children in need (tables B1, D5); DfE statistical neighbours (CSSNBT); ONS mid-year estimates 0-17
-- status: real
-- finish: benchmark
WITH asked AS (
    SELECT CASE WHEN month($period_end::DATE) > 3 OR (month($period_end::DATE) = 3 AND day($period_end::DATE) = 31)
                THEN year($period_end::DATE) ELSE year($period_end::DATE) - 1 END AS year
),
latest AS (
    -- each measure's latest year up to the one asked that DfE published for the council
    SELECT c.measure, max(c.year) AS year
    FROM care c, asked a
    WHERE c.area_code = $council AND c.year <= a.year AND c.number IS NOT NULL
    GROUP BY c.measure
),
rated AS (
    SELECT c.*, c.number * 10000.0 / nullif(c.children_0_17, 0) AS rate
    FROM care c JOIN latest l USING (measure, year)
),
ranked AS (
    -- every English council with a published figure that year, 1 = the lowest rate
    SELECT area_code, measure, rank() OVER w AS rank, ntile(4) OVER w AS quartile, count(*) OVER (PARTITION BY measure) AS councils_ranked
    FROM rated
    WHERE level = 'Local authority' AND rate IS NOT NULL
    WINDOW w AS (PARTITION BY measure ORDER BY rate)
),
region AS (
    SELECT r.area_code FROM councils k
    JOIN care r ON r.level = 'Region' AND lower(r.area_name) = lower(k.region_name)
    WHERE k.council_code = $council
    LIMIT 1
),
roles AS (
    SELECT $council AS area_code, 'council' AS role, 0 AS role_order, NULL::INTEGER AS closeness
    UNION ALL
    SELECT neighbour_code, 'neighbour', 1, rank FROM statistical_neighbours WHERE council_code = $council
    UNION ALL
    SELECT area_code, 'region', 3, NULL FROM region
    UNION ALL
    SELECT 'E92000001', 'England', 4, NULL
),
rows AS (
    SELECT r.measure, r.year, o.role, o.role_order, o.closeness, r.area_code, r.area_name, r.number, r.number_symbol,
           r.children_0_17, round(r.rate, 1) AS rate_per_10000, k.rank, k.quartile, k.councils_ranked
    FROM roles o
    JOIN rated r ON r.area_code = o.area_code
    LEFT JOIN ranked k ON k.area_code = r.area_code AND k.measure = r.measure
),
average AS (
    -- the neighbours' average, unweighted, of those with a published figure, as DfE's LAIT
    SELECT measure, any_value(year) AS year, 'neighbours'' average' AS role, 2 AS role_order, NULL::INTEGER AS closeness,
           NULL AS area_code, format('average of {} neighbours', count(rate_per_10000)) AS area_name,
           NULL::INTEGER AS number, NULL AS number_symbol, NULL::INTEGER AS children_0_17,
           round(avg(rate_per_10000), 1) AS rate_per_10000, NULL::BIGINT AS rank, NULL::BIGINT AS quartile, NULL::BIGINT AS councils_ranked
    FROM rows WHERE role = 'neighbour'
    GROUP BY measure
),
history AS (
    -- the council's own figures for the five years to the year shown, for its trend marker
    SELECT c.measure, list(c.year ORDER BY c.year) AS history_years, list(c.number ORDER BY c.year) AS history_numbers,
           list(c.children_0_17 ORDER BY c.year) AS history_children
    FROM care c JOIN latest l USING (measure)
    WHERE c.area_code = $council AND c.year BETWEEN l.year - 4 AND l.year AND c.number IS NOT NULL
    GROUP BY c.measure
)
SELECT x.measure, x.year, x.role, x.closeness, x.area_code, x.area_name, x.number, x.number_symbol, x.children_0_17,
       x.rate_per_10000, x.rank, x.quartile, x.councils_ranked,
       CASE WHEN x.role = 'council' THEN h.history_years END AS history_years,
       CASE WHEN x.role = 'council' THEN h.history_numbers END AS history_numbers,
       CASE WHEN x.role = 'council' THEN h.history_children END AS history_children
FROM (SELECT * FROM rows UNION ALL SELECT * FROM average) x
LEFT JOIN history h USING (measure)
ORDER BY x.measure, x.role_order, x.closeness, x.area_name
