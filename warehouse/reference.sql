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

INSERT INTO lsoa11_lsoa21
SELECT lsoa11_code, lsoa11_name, lsoa21_code, lsoa21_name, change FROM read_parquet('lsoa11_lsoa21.parquet');
