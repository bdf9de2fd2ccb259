-- name: inequality_summary
-- answers: Whether the gap in reach between the most and least deprived neighbourhoods is narrowing: for each complete financial year, the slope and relative indices of inequality (SII, RII) of the reach rate across the council's children by national IDACI decile, with confidence intervals, and the share of children reached who live in the 20% most deprived neighbourhoods against their share of the council's children.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- units: year = financial year; children_reached = distinct children born and aged 0-19 reached in the year, after birth (count); reach_per_1000 = per 1,000 children 0-19 at the previous mid-year of the financial year (rate); sii = fitted reach per 1,000 at the least deprived end minus at the most deprived end (negative: more reach where deprivation is higher), with 95% limits; rii = fitted least deprived / most deprived (below 1: more reach where deprivation is higher), with 95% limits; share_reached_idaci_1_2, share_children_idaci_1_2 = proportions (0-1)
-- source: SYNTHETIC service contacts; IoD2025 IDACI national deciles; children 0-19 by year: DfE/ONS mid-year council totals shared among 2021 LSOAs by Census 2021 (0-15) and ONS mid-2020 (16-19). SII and RII after Low and Low (2004) as OHID PHEindicatormethods phe_sii
-- status: synthetic, real
-- counts: children_reached, year_children_reached, year_children_1_2
-- finish: inequality
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
    SELECT y.year_start, l.idaci_decile, sum(r.children_reached)::BIGINT AS children_reached,
           cell_key(sum(r.children_key)) AS children_key
    FROM reach_rollup r
    JOIN years y ON r.period_start = y.first_day AND r.period_end = y.last_day
    JOIN lsoas l ON l.lsoa21_code = r.lsoa21_code AND l.mid_year = (SELECT mid_year FROM denominator_years WHERE year_start = y.year_start)
    WHERE r.council_code = $council AND r.service_code = ''
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
