-- reference.sql: fills the real-data tables from the embedded Parquet files (read by name from
-- the folder the builder puts on DuckDB's file_search_path) and from the council network files,
-- which the builder has already appended to `network_councils`, `localities` and `sites`.

INSERT INTO population_council
SELECT area_code, level, area_name, mid_year, children_0_17
FROM read_parquet('population_la_0to17.parquet');

INSERT INTO councils
SELECT p.area_code, p.area_name,
       coalesce(n.slug, trim(regexp_replace(lower(p.area_name), '[^a-z0-9]+', '-', 'g'), '-')),
       p.dfe_number, p.region_code, p.region_name,
       n.council_code IS NOT NULL, n.transformation_fund,
       n.predecessor_code, n.predecessor_name, n.predecessor_dfe_number,
       p.children_0_17, n.network_file
FROM read_parquet('population_la_0to17.parquet') p
LEFT JOIN network_councils n ON n.council_code = p.area_code
WHERE p.level = 'Local authority' AND p.mid_year = (SELECT max(mid_year) FROM read_parquet('population_la_0to17.parquet'));

-- A neighbourhood's council is named by the code DfE publishes under: ONS recoded Barnsley
-- (E08000038) and Sheffield (E08000039) after their 2024 boundary change, while DfE's tables keep
-- E08000016 and E08000019; matched on the council's name, so their LSOAs are not orphaned.
INSERT INTO neighbourhoods
SELECT i.lsoa21_code, i.lsoa21_name, i.lad24_code, i.lad24_name, coalesce(c.council_code, n.council_code, la.utla_code),
       w.ward25_code, w.ward25_name, w.ward_fit, l.locality, l.illustrative, w.point_lon, w.point_lat
FROM read_parquet('iod2025_lsoa21.parquet') i
JOIN read_parquet('local_authorities.parquet') la ON la.lad_code = i.lad24_code
LEFT JOIN councils c ON c.council_code = la.utla_code
LEFT JOIN councils n ON n.name = la.utla_name
LEFT JOIN read_parquet('lsoa21_ward25_best_fit.parquet') w ON w.lsoa21_code = i.lsoa21_code
LEFT JOIN localities l ON l.council_code = la.utla_code AND l.ward_name = w.ward25_name;

INSERT INTO deprivation BY NAME
SELECT 'IoD2025' AS edition, * EXCLUDE (lsoa21_name, lad24_code, lad24_name)
FROM read_parquet('iod2025_lsoa21.parquet');

INSERT INTO deprivation BY NAME
SELECT 'IoD2019' AS edition, *
FROM read_parquet('iod2019_lsoa21_bridged.parquet');

INSERT INTO population
SELECT lsoa21_code, age, persons FROM read_parquet('population_lsoa21_mid2020.parquet');

-- Children by 2021 LSOA at each mid-year (issue 14, item 3; table comment in schema.sql). The
-- area whose published total of children 0-17 an LSOA shares is its council, or, in a mid-year
-- before the council existed, its predecessor, whose total is shared among all its successors'
-- LSOAs (ONS code changes: Cumbria 2023, North Yorkshire and Somerset 2023, Northamptonshire
-- 2021, Buckinghamshire 2020).
INSERT INTO neighbourhood_population
WITH successors(council_code, predecessor_code) AS (
    VALUES ('E06000063', 'E10000006'), ('E06000064', 'E10000006'), ('E06000065', 'E10000023'),
           ('E06000066', 'E10000027'), ('E06000061', 'E10000021'), ('E06000062', 'E10000021'),
           ('E06000060', 'E10000002')
),
totals AS (
    SELECT area_code, mid_year, children_0_17 FROM population_council
    WHERE level = 'Local authority' AND children_0_17 IS NOT NULL
),
areas AS (
    SELECT t.mid_year, c.council_code, t.area_code, t.children_0_17 AS total_0_17
    FROM (SELECT DISTINCT council_code FROM neighbourhoods) c JOIN totals t ON t.area_code = c.council_code
    UNION ALL
    SELECT t.mid_year, s.council_code, t.area_code, t.children_0_17
    FROM successors s JOIN totals t ON t.area_code = s.predecessor_code
    WHERE NOT EXISTS (SELECT 1 FROM totals o WHERE o.area_code = s.council_code AND o.mid_year = t.mid_year)
),
mid2020 AS (
    SELECT lsoa21_code,
           sum(persons) FILTER (WHERE age BETWEEN 16 AND 17) AS m16_17,
           sum(persons) FILTER (WHERE age BETWEEN 18 AND 19) AS m18_19
    FROM population GROUP BY lsoa21_code
),
members AS (
    SELECT a.mid_year, a.area_code, a.total_0_17, n.council_code, n.lsoa21_code, c.lad22_code,
           c.aged_0_15::DOUBLE AS c0_15, m.m16_17::DOUBLE AS m16_17, m.m18_19::DOUBLE AS m18_19
    FROM areas a
    JOIN neighbourhoods n ON n.council_code = a.council_code
    JOIN read_parquet('census2021_lsoa21_children.parquet') c ON c.lsoa21_code = n.lsoa21_code
    JOIN mid2020 m ON m.lsoa21_code = n.lsoa21_code
),
-- the area's Census 2021 age structure, summed over the districts its LSOAs lie in
census AS (
    SELECT d.mid_year, d.area_code, sum(t.aged_0_15) AS a0_15, sum(t.aged_16_17) AS a16_17, sum(t.aged_18_19) AS a18_19
    FROM (SELECT DISTINCT mid_year, area_code, lad22_code FROM members) d
    JOIN read_parquet('census2021_lad_age.parquet') t ON t.lad_code = d.lad22_code
    GROUP BY ALL
),
bands AS (
    SELECT mid_year, area_code,
           round(any_value(total_0_17) * a0_15 / (a0_15 + a16_17))::INTEGER AS t0_15,
           round(any_value(total_0_17) * a18_19 / (a0_15 + a16_17))::INTEGER AS t18_19
    FROM census JOIN members USING (mid_year, area_code)
    GROUP BY mid_year, area_code, a0_15, a16_17, a18_19
),
exact AS (
    SELECT m.*, b.t18_19,
           b.t0_15 * m.c0_15 / sum(m.c0_15) OVER w
             + (m.total_0_17 - b.t0_15) * m.m16_17 / sum(m.m16_17) OVER w AS x0_17,
           b.t18_19 * m.m18_19 / sum(m.m18_19) OVER w AS x18_19
    FROM members m JOIN bands b USING (mid_year, area_code)
    WINDOW w AS (PARTITION BY m.mid_year, m.area_code)
),
-- largest remainder, each part to its own total
ranked AS (
    SELECT *,
           total_0_17 - sum(floor(x0_17)::INTEGER) OVER w AS left0_17,
           row_number() OVER (w ORDER BY x0_17 - floor(x0_17) DESC, lsoa21_code) AS rk0_17,
           t18_19 - sum(floor(x18_19)::INTEGER) OVER w AS left18_19,
           row_number() OVER (w ORDER BY x18_19 - floor(x18_19) DESC, lsoa21_code) AS rk18_19
    FROM exact
    WINDOW w AS (PARTITION BY mid_year, area_code)
),
rounded AS (
    SELECT lsoa21_code, mid_year, council_code, area_code,
           floor(x0_17)::INTEGER + CASE WHEN rk0_17 <= left0_17 THEN 1 ELSE 0 END AS n0_17,
           floor(x18_19)::INTEGER + CASE WHEN rk18_19 <= left18_19 THEN 1 ELSE 0 END AS n18_19
    FROM ranked
)
SELECT lsoa21_code, mid_year, council_code, area_code, n0_17, n0_17 + n18_19
FROM rounded
ORDER BY council_code, mid_year, lsoa21_code;

-- Each financial year's denominator: the previous mid-year (the mid-year of the year it starts
-- in), or the latest the estimates hold, said so.
INSERT INTO denominator_years
WITH latest AS (SELECT max(mid_year) AS mid_year FROM neighbourhood_population)
SELECT y, least(y, l.mid_year),
       format('children 0-19 at ONS mid-{} (council total shared by Census 2021){}', least(y, l.mid_year),
              CASE WHEN y > l.mid_year THEN format(', the latest available for {}-{:02d}', y, (y + 1) % 100) ELSE '' END)
FROM latest l, range(2012, 2041) t(y);

-- Care at 31 March, with DfE's denominator: children 0-17 at the previous mid-year.
INSERT INTO care
SELECT c.measure, c.year, c.level, c.area_code, c.area_name, c.dfe_number, c.number, c.number_symbol,
       c.published_rate_per_10000,
       coalesce(c.published_denominator, p.children_0_17), c.source
FROM read_parquet('care_at_31_march.parquet') c
LEFT JOIN population_council p ON p.area_code = c.area_code AND p.mid_year = c.year - 1;

-- Care measures with their own denominators; referrals are set against children 0-17 at the
-- previous mid-year, as DfE's rates are.
INSERT INTO care_measures
SELECT c.measure, c.year, c.level, c.area_code, c.area_name, c.dfe_number, c.number, c.number_symbol,
       CASE WHEN c.measure = 'referrals' THEN p.children_0_17 ELSE c.denominator END,
       CASE WHEN c.measure = 'referrals' THEN CASE WHEN p.children_0_17 IS NULL THEN 'x' END ELSE c.denominator_symbol END,
       CASE WHEN c.measure = 'referrals' THEN 'children aged 0-17 at the previous mid-year' ELSE c.denominator_name END,
       c.per, c.published_percent, c.source
FROM read_parquet('care_measures.parquet') c
LEFT JOIN population_council p ON c.measure = 'referrals' AND p.area_code = c.area_code AND p.mid_year = c.year - 1;

-- Factors identified at the end of assessment (table C3), each with the episodes it is a share of.
INSERT INTO care_factors
SELECT factor, year, level, area_code, area_name, dfe_number, number, number_symbol, episodes, episodes_symbol, source
FROM read_parquet('care_factors.parquet');

-- Statistical neighbours by DfE number, mapped to current codes. Councils created after April
-- 2021 inherit their predecessor's group.
INSERT INTO statistical_neighbours
WITH sn AS (SELECT * FROM read_parquet('statistical_neighbours_2021.parquet')),
     codes AS (
         -- every DfE number ever used for a council in the care tables, with the code it had
         SELECT DISTINCT dfe_number, area_code, area_name FROM care WHERE level = 'Local authority' AND dfe_number IS NOT NULL
     ),
     own AS (
         SELECT c.council_code, sn.rank, sn.neighbour_dfe_number, sn.closeness, NULL AS note
         FROM councils c JOIN sn ON sn.dfe_number = c.dfe_number
         UNION ALL
         SELECT c.council_code, sn.rank, sn.neighbour_dfe_number, sn.closeness,
                'inherited from ' || c.predecessor_name || ' (' || c.predecessor_dfe_number || '), whose group dates from April 2021'
         FROM councils c JOIN sn ON sn.dfe_number = c.predecessor_dfe_number
         WHERE NOT EXISTS (SELECT 1 FROM sn s2 WHERE s2.dfe_number = c.dfe_number)
     )
SELECT o.council_code, o.rank,
       -- a neighbour that has since been replaced is named by its code at the time
       coalesce(cur.council_code, old.area_code), coalesce(cur.name, old.area_name), o.closeness, o.note
FROM own o
LEFT JOIN councils cur ON cur.dfe_number = o.neighbour_dfe_number
LEFT JOIN (SELECT dfe_number, any_value(area_code) AS area_code, any_value(area_name) AS area_name FROM codes GROUP BY dfe_number) old
  ON old.dfe_number = o.neighbour_dfe_number;

-- Early years outcomes (issue 18) by DfE number, with the ONS code of the council (current, or the
-- code it had in the care tables: Cumbria, Northamptonshire), region (by name) or England.
INSERT INTO early_years
WITH codes AS (
    SELECT dfe_number, council_code AS area_code FROM councils WHERE dfe_number IS NOT NULL
    UNION ALL
    SELECT dfe_number, any_value(area_code) FROM care
    WHERE level = 'Local authority' AND dfe_number IS NOT NULL AND dfe_number NOT IN (SELECT dfe_number FROM councils WHERE dfe_number IS NOT NULL)
    GROUP BY dfe_number
),
regions AS (SELECT DISTINCT lower(area_name) AS name, area_code FROM care WHERE level = 'Region')
SELECT e.indicator, e.lait_code, e.year, e.period, e.year_type, e.level, e.dfe_number,
       CASE e.level WHEN 'England' THEN 'E92000001' WHEN 'Region' THEN r.area_code ELSE c.area_code END,
       e.area_name, e.region_number, e.region_name, e.value, e.missing_reason, e.unit, e.polarity, e.decimals,
       e.framework, e.series_break, e.source
FROM read_parquet('early_years.parquet') e
LEFT JOIN codes c ON e.level = 'Local authority' AND c.dfe_number = e.dfe_number
LEFT JOIN regions r ON e.level = 'Region' AND r.name = lower(e.area_name);

INSERT INTO lsoa11_lsoa21
SELECT lsoa11_code, lsoa11_name, lsoa21_code, lsoa21_name, change FROM read_parquet('lsoa11_lsoa21.parquet');
