-- name: care_measures
-- answers: How the council's referrals, re-referrals, second or later child protection plans and plans lasting 2 years or more compare, measure by measure, with its region, England and the average of its statistical neighbours, with its rank and quartile among English councils: DfE's children in need census measures a council benchmarks, as DfE's Local Authority Interactive Tool gave them.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_end DATE the last 31 March on or before this day gives the reporting year (each measure's latest published year up to it)
-- units: measure = referrals (referrals in the year), rereferrals (referrals within 12 months of a previous referral), subsequent_plans (child protection plans starting in the year that were a second or later plan), plans_2_years_or_more (plans at 31 March that had lasted 2 years or more); year = the reporting year, named by the 31 March it ends on; role = council, region, England, neighbours' average; number = the count (DfE's symbol where not published); denominator = what it is set against, named in denominator_name (count); value = number per 10,000 of denominator for referrals (children aged 0-17 at the previous mid-year), number as a percentage of denominator for the others, to one decimal place; value_unit = per 10,000 children aged 0-17 or %; published_percent = DfE's own percentage, as published; rank = the council's place among English councils with a published figure that year, 1 = the lowest value; quartile = 1 (lowest values) to 4 (highest); councils_ranked = councils with a figure that year; no judgement of better or worse
-- source: DfE Characteristics of children in need, tables C1 (referrals and re-referrals), D3 (second or subsequent child protection plans) and D5 (plans at 31 March by duration), 2013-2025; DfE statistical neighbours (April 2021); ONS mid-year estimates 0-17
-- status: real
WITH asked AS (
    SELECT CASE WHEN month($period_end::DATE) > 3 OR (month($period_end::DATE) = 3 AND day($period_end::DATE) = 31)
                THEN year($period_end::DATE) ELSE year($period_end::DATE) - 1 END AS year
),
latest AS (
    -- each measure's latest year up to the one asked that DfE published for the council
    SELECT c.measure, max(c.year) AS year
    FROM care_measures c, asked a
    WHERE c.area_code = $council AND c.year <= a.year AND c.number IS NOT NULL AND c.denominator IS NOT NULL
    GROUP BY c.measure
),
valued AS (
    SELECT c.*, c.number * 1.0 * c.per / nullif(c.denominator, 0) AS value
    FROM care_measures c JOIN latest l USING (measure, year)
),
ranked AS (
    -- every English council with a published figure that year, 1 = the lowest value
    SELECT area_code, measure, rank() OVER w AS rank, ntile(4) OVER w AS quartile, count(*) OVER (PARTITION BY measure) AS councils_ranked
    FROM valued
    WHERE level = 'Local authority' AND value IS NOT NULL
    WINDOW w AS (PARTITION BY measure ORDER BY value)
),
region AS (
    SELECT r.area_code FROM councils k
    JOIN care_measures r ON r.level = 'Region' AND lower(r.area_name) = lower(k.region_name)
    WHERE k.council_code = $council
    LIMIT 1
),
roles AS (
    SELECT $council AS area_code, 'council' AS role, 0 AS role_order
    UNION ALL
    SELECT neighbour_code, 'neighbour', 1 FROM statistical_neighbours WHERE council_code = $council
    UNION ALL
    SELECT area_code, 'region', 3 FROM region
    UNION ALL
    SELECT 'E92000001', 'England', 4
),
rows AS (
    SELECT v.measure, v.year, o.role, o.role_order, v.area_code, v.area_name, v.number, v.number_symbol,
           v.denominator, v.denominator_symbol, v.denominator_name, v.per, v.value, v.published_percent,
           k.rank, k.quartile, k.councils_ranked
    FROM roles o
    JOIN valued v ON v.area_code = o.area_code
    LEFT JOIN ranked k ON k.area_code = v.area_code AND k.measure = v.measure
),
average AS (
    -- the neighbours' average, unweighted, of those with a published figure, as DfE's LAIT
    SELECT measure, any_value(year) AS year, 'neighbours'' average' AS role, 2 AS role_order,
           NULL AS area_code, format('average of {} neighbours', count(value)) AS area_name,
           NULL::INTEGER AS number, NULL AS number_symbol, NULL::INTEGER AS denominator, NULL AS denominator_symbol,
           any_value(denominator_name) AS denominator_name, any_value(per) AS per,
           avg(round(value, 1)) AS value, NULL::DOUBLE AS published_percent,
           NULL::BIGINT AS rank, NULL::BIGINT AS quartile, NULL::BIGINT AS councils_ranked
    FROM rows WHERE role = 'neighbour'
    GROUP BY measure
)
SELECT measure, year, role, area_code, area_name, number, number_symbol, denominator, denominator_symbol, denominator_name,
       round(value, 1) AS value, CASE per WHEN 10000 THEN 'per 10,000 children aged 0-17' ELSE '%' END AS value_unit,
       published_percent, rank, quartile, councils_ranked
FROM (SELECT * FROM rows WHERE role <> 'neighbour' UNION ALL SELECT * FROM average) x
ORDER BY CASE measure WHEN 'referrals' THEN 1 WHEN 'rereferrals' THEN 2 WHEN 'subsequent_plans' THEN 3 ELSE 4 END, role_order
