-- name: care_trend
-- answers: How many children were looked after, in need, and on child protection plans at 31 March each year in the council, against England and the average of its ten DfE statistical neighbours: numbers, rates per 10,000 children aged 0-17 with 95% confidence intervals, whether the council is higher, similar or lower than each benchmark, and the trend over the latest five years.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- units: number = children at 31 March (count); rate_per_10000 = per 10,000 children aged 0-17 at the previous mid-year (rate, 95% limits by Byar's method); neighbours_rate_per_10000 = unweighted mean of the statistical neighbours' rates; neighbours_with_data = neighbours with a published figure (count); vs_england, vs_neighbours = higher / similar / lower (95% limits against the benchmark; no judgement of better or worse); trend = increasing / decreasing / no significant change over the five years to this one (chi-squared test for trend)
-- source: REAL. DfE Children looked after in England (SFR 2011-2017; releases 2023, 2025); DfE Characteristics of children in need (tables B1, D5); DfE statistical neighbours (April 2021); ONS mid-year estimates 0-17. Years before a reorganisation are the predecessor's (series = predecessor)
-- status: real
-- finish: care
WITH series AS (
    SELECT council_code AS area_code, 'council' AS series FROM councils WHERE council_code = $council
    UNION ALL
    SELECT predecessor_code, 'predecessor' FROM councils WHERE council_code = $council AND predecessor_code IS NOT NULL
),
own AS (
    SELECT c.measure, c.year, s.series, c.area_code, c.area_name, c.number, c.number_symbol, c.children_0_17
    FROM care c JOIN series s USING (area_code)
),
england AS (
    SELECT measure, year, number AS england_number, children_0_17 AS england_children_0_17
    FROM care WHERE area_code = 'E92000001'
),
neighbours AS (
    SELECT c.measure, c.year,
           round(avg(c.number * 10000.0 / c.children_0_17), 2) AS neighbours_rate_per_10000,
           count(*) AS neighbours_with_data
    FROM statistical_neighbours sn
    JOIN care c ON c.area_code = sn.neighbour_code
    WHERE sn.council_code = $council AND c.number IS NOT NULL AND c.children_0_17 > 0
    GROUP BY ALL
)
SELECT o.measure, o.year, o.series, o.area_code, o.area_name, o.number, o.number_symbol, o.children_0_17,
       e.england_number, e.england_children_0_17,
       n.neighbours_rate_per_10000, coalesce(n.neighbours_with_data, 0) AS neighbours_with_data
FROM own o
LEFT JOIN england e USING (measure, year)
LEFT JOIN neighbours n USING (measure, year)
ORDER BY o.measure, o.year
