-- name: care_at_31_march
-- answers: How many children were looked after, in need, and on a child protection plan at 31 March each year in a council (and its predecessor before a reorganisation), and in England, with rates per 10,000 children aged 0-17.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- units: number = children (count); rate_per_10000 = per 10,000 children aged 0-17 at the previous mid-year; published_rate_per_10000 = DfE's own rounded rate where published
-- source: DfE Children looked after in England (SFR 2011-2017, releases 2022 (2018), 2023 and 2025), DfE Characteristics of children in need (tables B1, D5); ONS mid-year estimates 0-17
-- status: real
WITH areas AS (
    SELECT council_code AS area_code, 'council' AS series FROM councils WHERE council_code = $council
    UNION ALL
    SELECT predecessor_code, 'predecessor' FROM councils WHERE council_code = $council AND predecessor_code IS NOT NULL
    UNION ALL
    SELECT 'E92000001', 'England'
)
SELECT c.measure, c.year, a.series, c.area_code, c.area_name, c.number, c.number_symbol, c.children_0_17,
       round(c.number * 10000.0 / c.children_0_17, 1) AS rate_per_10000,
       c.published_rate_per_10000, c.source
FROM care c JOIN areas a ON a.area_code = c.area_code
ORDER BY c.measure, c.year, a.series
