-- name: early_years
-- answers: How the council's early years outcomes compare, year by year, with England, its region and the average of its DfE statistical neighbours: children with a good level of development (GLD) at the end of reception, GLD of children eligible for free school meals and of all others and the gap between them, breastfeeding at 6-8 weeks, hospital admissions for injuries to children aged 0-14 and low birth weight, each with its polarity and the EYFS series breaks; and for GLD the straight line from the latest published year to 75% in 2027-28 and the yearly gain it needs.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- units: year = the year the period ends in (academic year 2025 = 2024/25; financial year 2024 = 2023-24; calendar year), said in words by period; value, england, region, neighbours_average, trajectory = in the indicator's unit (unit: percent, percentage points for the gap, per 10,000 children 0-14 for admissions), as published, rounded to the published decimals; value empty with missing_reason when not published or not collected (never zero); neighbours_average = unweighted mean of the statistical neighbours with a figure (neighbours_with_data, count); polarity = High (higher is better) or Low (lower is better); series = council; rebuilt from former Cumbria districts (pupil residence) for Cumberland's and Westmorland and Furness's GLD 2013/14 to 2018/19 (the districts' children with GLD over their pupils, by pupil residence while DfE's council figures are by school location: close, not identical); or former PREDECESSOR where the years are the predecessor's (Cumbria before 2022/23 otherwise); row_kind = published, or trajectory for a year to come on the line to 75%; trajectory = that line's value for the latest published year and each year to 2027-28 (GLD only); gain_needed_per_year = percentage points a year the line needs; old_framework = true for GLD years assessed under the EYFS 2012 framework (to 2018/19), not comparable with 2021/22 on
-- source: REAL, published. DfE Local Authority Interactive Tool (LAIT) bulk dataset (indicators FSP_NEW_GOODDEV, FSP_Gooddev_FSM, FSP_Gooddev_FSM_Other, 6wksBreast, HospAd0-14, Low_Birth_Weight_Babies; polarity and decimals from LAIT's data dictionary); GLD 2012/13 to 2014/15 from DfE's EYFSP 2018-2019 underlying data; DfE statistical neighbours (April 2021; Cumberland and Westmorland and Furness inherit Cumbria's). Cumberland's and Westmorland and Furness's GLD 2013/14 to 2018/19 rebuilt from the former Cumbria districts in DfE's EYFSP additional tables by district of pupil residence 2014-2019; other years before a reorganisation are the predecessor's (series = former Cumbria), for the whole former county
-- status: real
WITH me AS (
    SELECT council_code, predecessor_code, predecessor_name FROM councils WHERE council_code = $council
),
own AS (SELECT e.* FROM early_years e JOIN me ON e.area_code = me.council_code),
pred AS (SELECT e.* FROM early_years e JOIN me ON e.area_code = me.predecessor_code),
-- each indicator and year: the council's own row, or its predecessor's where the council did not
-- yet exist (its own row says so, or it has none)
picked AS (
    SELECT coalesce(o.indicator, p.indicator) AS indicator, coalesce(o.year, p.year) AS year,
           CASE WHEN o.indicator IS NULL OR (o.value IS NULL AND o.missing_reason LIKE 'the council was formed%' AND p.indicator IS NOT NULL)
                THEN 'predecessor' ELSE 'council' END AS series
    FROM own o FULL JOIN pred p ON p.indicator = o.indicator AND p.year = o.year
),
series AS (
    -- a year rebuilt from the former districts (its source says so) is marked as such
    SELECT o.*, CASE WHEN o.source LIKE 'rebuilt from former % districts%' THEN split_part(o.source, ':', 1) ELSE 'council' END AS series,
           CASE WHEN o.source LIKE 'rebuilt from former % districts%'
                THEN 'rebuilt from the former districts by pupil residence (DfE''s council figures are by school location): close to, not identical with, the council''s own figure' END AS series_note
    FROM picked k JOIN own o USING (indicator, year) WHERE k.series = 'council'
    UNION ALL BY NAME
    SELECT p.*, 'former ' || me.predecessor_name AS series,
           me.predecessor_name || '''s figure for the whole former county: the years DfE''s EYFSP tables by district (pupil residence, 2013/14 to 2018/19) do not cover, so not rebuilt for its successors' AS series_note
    FROM picked k JOIN pred p USING (indicator, year) CROSS JOIN me WHERE k.series = 'predecessor'
),
region AS (
    SELECT e.indicator, e.year, e.area_name AS region_name, e.value AS region
    FROM early_years e
    WHERE e.level = 'Region' AND e.dfe_number = (SELECT any_value(region_number) FROM own)
),
england AS (SELECT indicator, year, value AS england FROM early_years WHERE level = 'England'),
neighbours AS (
    SELECT e.indicator, e.year, avg(e.value) AS neighbours_mean, count(e.value) AS neighbours_with_data,
           any_value(sn.note) AS neighbours_note
    FROM statistical_neighbours sn JOIN early_years e ON e.area_code = sn.neighbour_code
    WHERE sn.council_code = $council
    GROUP BY ALL
),
published AS (
    SELECT s.indicator, s.lait_code, s.year, s.period, s.year_type, 'published' AS row_kind, s.series, s.area_code, s.area_name,
           s.value, s.missing_reason, en.england, r.region_name, r.region,
           round(n.neighbours_mean, s.decimals) AS neighbours_average, coalesce(n.neighbours_with_data, 0) AS neighbours_with_data,
           s.polarity, s.unit, s.framework, s.series_break, s.series_note, n.neighbours_note, s.source, s.decimals
    FROM series s
    LEFT JOIN england en USING (indicator, year)
    LEFT JOIN region r USING (indicator, year)
    LEFT JOIN neighbours n USING (indicator, year)
),
-- GLD's straight line from the latest published year to 75% in the academic year ending 2028
latest AS (
    SELECT year AS latest_year, value AS latest_value FROM published
    WHERE indicator = 'gld' AND value IS NOT NULL ORDER BY year DESC LIMIT 1
),
line AS (
    SELECT latest_year, latest_value, 2028 AS target_year, 75.0 AS target,
           (75.0 - latest_value) / (2028 - latest_year) AS gain
    FROM latest WHERE latest_year < 2028
),
future AS (
    SELECT 'gld' AS indicator, p.lait_code, y.year, format('{}/{:02d}', y.year - 1, y.year % 100) AS period, p.year_type,
           'trajectory' AS row_kind, p.series, p.area_code, p.area_name, NULL::DOUBLE AS value,
           'not yet published: a year on the line to 75% in 2027/28' AS missing_reason,
           NULL::DOUBLE AS england, p.region_name, NULL::DOUBLE AS region, NULL::DOUBLE AS neighbours_average, 0 AS neighbours_with_data,
           p.polarity, p.unit, 'EYFS 2021 framework (from 2021/22)' AS framework, NULL AS series_break, NULL AS series_note,
           NULL AS neighbours_note, 'Trajectory worked out here from the latest published GLD: not a DfE figure' AS source, p.decimals
    FROM line l JOIN published p ON p.indicator = 'gld' AND p.year = l.latest_year,
         range((SELECT max(year) FROM published WHERE indicator = 'gld') + 1, l.target_year + 1) y(year)
)
SELECT a.indicator, a.lait_code, a.year, a.period, a.year_type, a.row_kind, a.series, a.area_code, a.area_name, a.value, a.missing_reason,
       a.england, a.region_name, a.region, a.neighbours_average, a.neighbours_with_data, a.polarity, a.unit,
       CASE WHEN a.indicator LIKE 'gld%' THEN a.year <= 2019 END AS old_framework, a.framework, a.series_break,
       CASE WHEN a.indicator = 'gld' AND a.year >= l.latest_year
            THEN round(l.latest_value + l.gain * (a.year - l.latest_year), 1) END AS trajectory,
       CASE WHEN a.indicator = 'gld' AND a.year >= l.latest_year THEN round(l.gain, 2) END AS gain_needed_per_year,
       a.series_note, a.neighbours_note, a.source
FROM (SELECT * FROM published UNION ALL BY NAME SELECT * FROM future) a
LEFT JOIN line l ON true
ORDER BY a.indicator, a.year
