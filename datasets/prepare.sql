-- prepare.sql: turns the published files in ../shared/datasets into the compact Parquet files
-- embedded in the binary. Run by `hubs datasets --from ../shared/datasets` (developers only), from a
-- scratch folder where `shared/` links to the published files and `out/` to this folder, so that no
-- path is ever spliced into SQL. Values are never edited: only typed, renamed, subset and bridged.
-- Each output file is described in datasets/README.md.

-- IoD2025 on 2021 LSOAs, all England. File 3 (official) gives IDACI/IDAOPI; the IMD R package's
-- extract of File 7 gives scores for the IMD and its domains (its IMD rank equals File 3's for all
-- 33,755 LSOAs, checked in PROVENANCE.md and again by the tests).
CREATE TABLE iod25_f3 AS
SELECT * FROM read_csv('shared/iod2025/File_3_IoD2025_Supplementary_Indices_IDACI_and_IDAOPI.csv',
    header = true, all_varchar = true);

CREATE TABLE iod2025 AS
SELECT
    f3."LSOA code (2021)"                                   AS lsoa21_code,
    f3."LSOA name (2021)"                                   AS lsoa21_name,
    f3."Local Authority District code (2024)"               AS lad24_code,
    f3."Local Authority District name (2024)"               AS lad24_name,
    s.IMD_score::DOUBLE                                     AS imd_score,
    f3."Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"::INTEGER AS imd_rank,
    f3."Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"::INTEGER AS imd_decile,
    f3."Income Deprivation Affecting Children Index (IDACI) Rank (where 1 is most deprived)"::INTEGER AS idaci_rank,
    f3."Income Deprivation Affecting Children Index (IDACI) Decile (where 1 is most deprived 10% of LSOAs)"::INTEGER AS idaci_decile,
    f3."Income Deprivation Affecting Older People (IDAOPI) Rank (where 1 is most deprived)"::INTEGER AS idaopi_rank,
    f3."Income Deprivation Affecting Older People (IDAOPI) Decile (where 1 is most deprived 10% of LSOAs)"::INTEGER AS idaopi_decile,
    s.Income_score::DOUBLE AS income_score, s.Income_rank::INTEGER AS income_rank, s.Income_decile::INTEGER AS income_decile,
    s.Employment_score::DOUBLE AS employment_score, s.Employment_rank::INTEGER AS employment_rank, s.Employment_decile::INTEGER AS employment_decile,
    s.Education_score::DOUBLE AS education_score, s.Education_rank::INTEGER AS education_rank, s.Education_decile::INTEGER AS education_decile,
    s.Health_score::DOUBLE AS health_score, s.Health_rank::INTEGER AS health_rank, s.Health_decile::INTEGER AS health_decile,
    s.Crime_score::DOUBLE AS crime_score, s.Crime_rank::INTEGER AS crime_rank, s.Crime_decile::INTEGER AS crime_decile,
    s.Housing_and_Services_score::DOUBLE AS housing_services_score, s.Housing_and_Services_rank::INTEGER AS housing_services_rank,
    s.Housing_and_Services_decile::INTEGER AS housing_services_decile,
    s.Environment_score::DOUBLE AS environment_score, s.Environment_rank::INTEGER AS environment_rank, s.Environment_decile::INTEGER AS environment_decile,
    sd.children_and_young_people_score::DOUBLE AS cyp_score,
    sd.children_and_young_people_rank::INTEGER AS cyp_rank,
    sd.children_and_young_people_decile::INTEGER AS cyp_decile,
    -- children in income-deprived families (the IDACI numerator); blank where MHCLG suppressed it
    TRY_CAST(ind.income_deprivation_affecting_children_index_idaci_numerator AS INTEGER) AS idaci_numerator
FROM iod25_f3 f3
JOIN read_csv('shared/iod2025/humaniverse_imd2025_england_lsoa21_scores_ranks_deciles.csv', header = true, all_varchar = true) s
  ON s.lsoa21_code = f3."LSOA code (2021)"
JOIN read_csv('shared/iod2025/humaniverse_imd2025_england_lsoa21_subdomains.csv', header = true, all_varchar = true) sd
  ON sd.lsoa21_code = f3."LSOA code (2021)"
JOIN read_csv('shared/iod2025/humaniverse_imd2025_england_lsoa21_indicators.csv', header = true, all_varchar = true) ind
  ON ind.lsoa21_code = f3."LSOA code (2021)"
ORDER BY lsoa21_code;

COPY iod2025 TO 'out/iod2025_lsoa21.parquet' (FORMAT parquet, COMPRESSION zstd);

-- LSOA 2011 -> 2021, England only. CHGIND: U unchanged, S split, M merged, X complex.
CREATE TABLE lsoa_bridge AS
SELECT F_LSOA11CD AS lsoa11_code, LSOA11NM AS lsoa11_name, LSOA21CD AS lsoa21_code, LSOA21NM AS lsoa21_name,
       CHGIND AS change
FROM read_csv('shared/geography/LSOA11_to_LSOA21_to_LAD22_lookup_EW.csv', header = true, all_varchar = true)
WHERE F_LSOA11CD LIKE 'E%'
ORDER BY lsoa11_code, lsoa21_code;

COPY lsoa_bridge TO 'out/lsoa11_lsoa21.parquet' (FORMAT parquet, COMPRESSION zstd);

-- Census 2021 children aged 15 and under on 2021 LSOAs: the weights that share a 2011 LSOA's
-- mid-2020 children among the 2021 LSOAs it became (only where one was split or redrawn).
CREATE TABLE census21_children AS
SELECT lsoa21_code, usual_residents::INTEGER AS aged_0_15
FROM read_csv('shared/population/ons_census2021_lsoa21_usual_residents_by_age6_EW.csv', header = true, all_varchar = true)
WHERE age_group = 'Aged 15 years and under' AND lsoa21_code LIKE 'E%';

-- ONS mid-2020 single year of age on 2011 LSOAs, ages 0-25 (Family Hubs serve 0-19, and up to 25
-- with SEND), unpivoted.
CREATE TABLE sape20 AS
SELECT lsoa11_code, age::INTEGER AS age, persons::INTEGER AS persons
FROM (
    UNPIVOT (SELECT * FROM read_csv('shared/population/ons_sape_mid2020_lsoa11_single_year_of_age_persons_EW.csv',
                                    header = true, all_varchar = true)
             WHERE lsoa11_code LIKE 'E%')
    ON COLUMNS('^([0-9]|1[0-9]|2[0-5])$') INTO NAME age VALUE persons
);

-- Apportion to 2021 LSOAs. Each 2011 LSOA's count at each age is shared among the 2021 LSOAs it
-- maps to in proportion to their Census 2021 children, then rounded by largest remainder so that
-- every 2011 LSOA's total is kept exactly (no child invented or lost).
CREATE TABLE pop_shares AS
WITH w AS (
    SELECT b.lsoa11_code, b.lsoa21_code,
           coalesce(c.aged_0_15, 0) + 1 AS weight    -- +1: an LSOA with no children still gets a share
    FROM lsoa_bridge b LEFT JOIN census21_children c USING (lsoa21_code)
),
-- a 2021 LSOA formed by merging receives from each parent the parent's share
parts AS (
    SELECT lsoa11_code, lsoa21_code, weight / sum(weight) OVER (PARTITION BY lsoa11_code) AS share FROM w
),
exact AS (
    SELECT p.lsoa11_code, p.lsoa21_code, s.age, s.persons * p.share AS x, s.persons
    FROM parts p JOIN sape20 s USING (lsoa11_code)
),
floored AS (
    SELECT *, floor(x)::INTEGER AS base, x - floor(x) AS frac,
           persons - sum(floor(x)::INTEGER) OVER (PARTITION BY lsoa11_code, age) AS leftover,
           row_number() OVER (PARTITION BY lsoa11_code, age ORDER BY x - floor(x) DESC, lsoa21_code) AS rk
    FROM exact
)
SELECT lsoa21_code, age, sum(base + CASE WHEN rk <= leftover THEN 1 ELSE 0 END)::INTEGER AS persons
FROM floored
GROUP BY lsoa21_code, age;

COPY (SELECT * FROM pop_shares ORDER BY lsoa21_code, age)
TO 'out/population_lsoa21_mid2020.parquet' (FORMAT parquet, COMPRESSION zstd);

-- Denominators by year (issue 14, item 3): the warehouse shares each mid-year's council total of
-- children 0-17 (DfE/ONS) among the council's 2021 LSOAs. Census 2021 children aged 15 and under
-- give the LSOAs' shares of ages 0-15 (IDACI's ages); each LSOA carries its 2022 district (the
-- ONS lookup's LAD22, the districts of Census 2021's council tables) so that the council's Census
-- age structure can be summed over the districts it is made of.
COPY (
    SELECT c.lsoa21_code, l.lad22_code, c.aged_0_15
    FROM census21_children c
    JOIN (SELECT DISTINCT LSOA21CD AS lsoa21_code, LAD22CD AS lad22_code
          FROM read_csv('shared/geography/LSOA11_to_LSOA21_to_LAD22_lookup_EW.csv', header = true, all_varchar = true)) l
      USING (lsoa21_code)
    ORDER BY lsoa21_code
) TO 'out/census2021_lsoa21_children.parquet' (FORMAT parquet, COMPRESSION zstd);

-- Census 2021 TS007 (single year of age) by 2021 district, England: children 0-15 (its three
-- bands), 16-17 and 18-19 (single years). The warehouse splits a council's 0-17 total into 0-15
-- and 16-17, and adds 18-19, by these proportions.
COPY (
    SELECT "geography code" AS lad_code, geography AS lad_name,
           "Age: Aged 4 years and under; measures: Value"::INTEGER + "Age: Aged 5 to 9 years; measures: Value"::INTEGER
             + "Age: Aged 10 to 15 years; measures: Value"::INTEGER AS aged_0_15,
           "Age: Aged 16 years; measures: Value"::INTEGER + "Age: Aged 17 years; measures: Value"::INTEGER AS aged_16_17,
           "Age: Aged 18 years; measures: Value"::INTEGER + "Age: Aged 19 years; measures: Value"::INTEGER AS aged_18_19
    FROM read_csv('shared/population/census2021-ts007-ltla.csv', header = true, all_varchar = true)
    WHERE "geography code" LIKE 'E%'
    ORDER BY lad_code
) TO 'out/census2021_lad_age.parquet' (FORMAT parquet, COMPRESSION zstd);

-- IoD2019 on 2011 LSOAs (ranks and deciles; File 1's rank carries thousands separators, File 2's
-- does not and the two agree), with the Children and Young People sub-domain.
CREATE TABLE iod2019 AS
SELECT
    f2."LSOA code (2011)" AS lsoa11_code,
    f2."Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"::INTEGER AS imd_rank,
    f2."Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"::INTEGER AS imd_decile,
    f2."Income Rank (where 1 is most deprived)"::INTEGER AS income_rank,
    f2."Income Decile (where 1 is most deprived 10% of LSOAs)"::INTEGER AS income_decile,
    f2."Employment Rank (where 1 is most deprived)"::INTEGER AS employment_rank,
    f2."Employment Decile (where 1 is most deprived 10% of LSOAs)"::INTEGER AS employment_decile,
    f2."Education, Skills and Training Rank (where 1 is most deprived)"::INTEGER AS education_rank,
    f2."Education, Skills and Training Decile (where 1 is most deprived 10% of LSOAs)"::INTEGER AS education_decile,
    f2."Health Deprivation and Disability Rank (where 1 is most deprived)"::INTEGER AS health_rank,
    f2."Health Deprivation and Disability Decile (where 1 is most deprived 10% of LSOAs)"::INTEGER AS health_decile,
    f2."Crime Rank (where 1 is most deprived)"::INTEGER AS crime_rank,
    f2."Crime Decile (where 1 is most deprived 10% of LSOAs)"::INTEGER AS crime_decile,
    f2."Barriers to Housing and Services Rank (where 1 is most deprived)"::INTEGER AS housing_services_rank,
    f2."Barriers to Housing and Services Decile (where 1 is most deprived 10% of LSOAs)"::INTEGER AS housing_services_decile,
    f2."Living Environment Rank (where 1 is most deprived)"::INTEGER AS environment_rank,
    f2."Living Environment Decile (where 1 is most deprived 10% of LSOAs)"::INTEGER AS environment_decile,
    sd.Children_and_young_people_rank::INTEGER AS cyp_rank,
    sd.Children_and_young_people_decile::INTEGER AS cyp_decile,
    replace(f6."Total population: mid 2015 (excluding prisoners)", ',', '')::INTEGER AS population_mid2015,
    replace(f6."Dependent Children aged 0-15: mid 2015 (excluding prisoners)", ',', '')::INTEGER AS children_0_15_mid2015
FROM read_csv('shared/imd2019/File_2_-_IoD2019_Domains_of_Deprivation.csv', header = true, all_varchar = true) f2
JOIN read_csv('shared/imd2019/humaniverse_imd2019_england_lsoa11_subdomains.csv', header = true, all_varchar = true) sd
  ON sd.lsoa11_code = f2."LSOA code (2011)"
JOIN read_csv('shared/imd2019/File_6_-_IoD2019_Population_Denominators.csv', header = true, all_varchar = true) f6
  ON f6."LSOA code (2011)" = f2."LSOA code (2011)";

-- Bridge IoD2019 to 2021 LSOAs. A 2021 LSOA that is unchanged or split from one 2011 LSOA inherits
-- its parent's ranks. One formed by merging (or a complex change) takes the parent with the most
-- children aged 0-15 in mid-2015, the IoD2019 denominator; ties go to the lower (more deprived) rank.
-- Ranks stay 2019 ranks of 2011 LSOAs: a different edition, never comparable rank for rank.
CREATE TABLE iod2019_bridged AS
WITH candidates AS (
    SELECT b.lsoa21_code, b.lsoa11_code, b.change, i.*,
           count(*) OVER (PARTITION BY b.lsoa21_code) AS parents,
           row_number() OVER (PARTITION BY b.lsoa21_code ORDER BY i.children_0_15_mid2015 DESC, i.imd_rank) AS pick
    FROM lsoa_bridge b JOIN iod2019 i ON i.lsoa11_code = b.lsoa11_code
)
SELECT lsoa21_code, lsoa11_code AS from_lsoa11_code,
       CASE WHEN parents > 1 THEN 'merged: parent with most children 0-15'
            WHEN change = 'S' THEN 'split: inherits parent'
            WHEN change = 'X' THEN 'complex: inherits parent'
            ELSE 'unchanged' END AS bridge_method,
       imd_rank, imd_decile, income_rank, income_decile, employment_rank, employment_decile,
       education_rank, education_decile, health_rank, health_decile, crime_rank, crime_decile,
       housing_services_rank, housing_services_decile, environment_rank, environment_decile,
       cyp_rank, cyp_decile
FROM candidates WHERE pick = 1
ORDER BY lsoa21_code;

COPY iod2019_bridged TO 'out/iod2019_lsoa21_bridged.parquet' (FORMAT parquet, COMPRESSION zstd);

-- DfE's open data files name the level of each row and carry the area's code and name in
-- different columns for each level.
CREATE MACRO dfe_level(gl) AS CASE gl WHEN 'National' THEN 'England' WHEN 'Regional' THEN 'Region' ELSE 'Local authority' END;
-- dfe_area picks the column for the row's level: its code (or name) from country, region or LA.
CREATE MACRO dfe_area(gl, country, region, la) AS CASE gl WHEN 'National' THEN country WHEN 'Regional' THEN region ELSE la END;

-- Children aged 0-17 by local authority and mid-year (DfE's rate denominators), with England and
-- regions. DfE uses the previous mid-year's estimate for a year ending 31 March.
COPY (
    SELECT time_period::INTEGER AS mid_year,
           dfe_level(geographic_level) AS level,
           dfe_area(geographic_level, country_code, region_code, new_la_code) AS area_code,
           dfe_area(geographic_level, country_name, region_name, la_name) AS area_name,
           nullif(old_la_code, '')::INTEGER AS dfe_number,
           region_code, region_name,
           TRY_CAST(population_estimate AS INTEGER) AS children_0_17
    FROM read_csv('shared/population/dfe_ons_mid-year_population_estimates_0to17_LA_2012_to_2024.csv', header = true, all_varchar = true)
    ORDER BY mid_year, level, area_code
) TO 'out/population_la_0to17.parquet' (FORMAT parquet, COMPRESSION zstd);

-- Care numbers at 31 March, long format: one row per area, year (the year in which 31 March falls)
-- and measure. DfE's symbols stay as the reason a number is missing, never as zero.
CREATE TABLE care_raw (
    measure VARCHAR, year INTEGER, level VARCHAR, area_code VARCHAR, area_name VARCHAR, dfe_number INTEGER,
    region_code VARCHAR, value VARCHAR, published_rate VARCHAR, published_denominator VARCHAR, source VARCHAR
);

-- Looked after, 2021-2025 release (latest figures for 2021 on).
INSERT INTO care_raw
SELECT 'looked_after', time_period::INTEGER,
       dfe_level(geographic_level),
       dfe_area(geographic_level, country_code, region_code, new_la_code),
       dfe_area(geographic_level, country_name, region_name, la_name),
       nullif(old_la_code, '')::INTEGER, nullif(region_code, ''),
       children_count, rate_per_10000, population_estimate,
       'DfE Children looked after in England, 2025 release (2021-2025)'
FROM read_csv('shared/care/dfe_cla_number_and_rate_per_10k_children_2021_to_2025.csv', header = true, all_varchar = true)
WHERE population_type = 'Children looked after on 31 March each year';

-- Looked after, 2024 release for 2019 and 2020 (not revised by the later release's years).
INSERT INTO care_raw
SELECT 'looked_after', time_period::INTEGER,
       dfe_level(geographic_level),
       dfe_area(geographic_level, country_code, region_code, new_la_code),
       dfe_area(geographic_level, country_name, region_name, la_name),
       nullif(old_la_code, '')::INTEGER, nullif(region_code, ''),
       number, rate_per_10000, population_estimate,
       'DfE Children looked after in England, 2023 release (2019-2023)'
FROM read_csv('shared/care/dfe_cla_number_and_rate_per_10k_children_2019_to_2023.csv', header = true, all_varchar = true)
WHERE population_count = 'Children looked after at 31 March each year' AND time_period::INTEGER < 2021;

-- Looked after, 2011-2017 Statistical First Releases (counts only; rates computed in the warehouse).
CREATE MACRO sfr_level(l) AS CASE upper(l) WHEN 'NATIONAL' THEN 'England' WHEN 'REGION' THEN 'Region' ELSE 'Local authority' END;
INSERT INTO care_raw
SELECT 'looked_after', y, sfr_level(geog_l), New_geog_code,
       CASE WHEN upper(geog_l) = 'NATIONAL' THEN 'England' ELSE geog_n END,
       CASE WHEN upper(geog_l) = 'LA' THEN TRY_CAST(geog_c AS INTEGER) END, NULL,
       cla, NULL, NULL, src
FROM (
    SELECT 2011 AS y, geog_l, geog_c, geog_n, New_geog_code, CLA_Mar2011 AS cla, 'DfE SFR21/2011' AS src FROM read_csv('shared/care/historic_sfr_cla/SFR21_2011_CLA_LA.csv', header = true, all_varchar = true)
    UNION ALL SELECT 2012, geog_l, geog_c, geog_n, New_geog_code, CLA_Mar2012, 'DfE SFR20/2012' FROM read_csv('shared/care/historic_sfr_cla/SFR20_2012_CLA_LA.csv', header = true, all_varchar = true)
    UNION ALL SELECT 2013, geog_l, geog_c, geog_n, New_geog_code, CLA_Mar2013, 'DfE SFR36/2013' FROM read_csv('shared/care/historic_sfr_cla/SFR36_2013_CLA_LA.csv', header = true, all_varchar = true)
    UNION ALL SELECT 2014, geog_l, geog_c, geog_n, New_geog_code, CLA_Mar2014, 'DfE SFR36/2014' FROM read_csv('shared/care/historic_sfr_cla/SFR36_2014_CLA_LA.csv', header = true, all_varchar = true)
    UNION ALL SELECT 2015, geog_l, geog_c, geog_n, New_geog_code, CLA_Mar2015, 'DfE SFR34/2015' FROM read_csv('shared/care/historic_sfr_cla/SFR34_2015_CLA_LA.csv', header = true, all_varchar = true)
    UNION ALL SELECT 2016, geog_l, geog_c, geog_n, New_geog_code, CLA_Mar2016, 'DfE SFR41/2016' FROM read_csv('shared/care/historic_sfr_cla/SFR41_2016_CLA_LA.csv', header = true, all_varchar = true)
    UNION ALL SELECT 2017, geog_l, geog_c, geog_n, New_geog_code, CLA_Mar2017, 'DfE SFR50/2017' FROM read_csv('shared/care/historic_sfr_cla/SFR50_2017_CLA_LA.csv', header = true, all_varchar = true)
)
-- Inner London and Outer London repeat the London region code: keep regions by their own name only
WHERE upper(geog_l) IN ('NATIONAL', 'LA') OR (upper(geog_l) = 'REGION' AND geog_n NOT ILIKE '%INNER%' AND geog_n NOT ILIKE '%OUTER%');

-- 2018: England's figure comes from the national time series (the 2024 release, the newest to hold
-- 2018; the 2022 release below gives the same 75,360).
INSERT INTO care_raw
SELECT 'looked_after', time_period::INTEGER, 'England', country_code, country_name, NULL, NULL, number, NULL, NULL,
       'DfE CLA national time series 1994-2024'
FROM read_csv('shared/care/dfe_cla_national_time_series_1994_2024.csv', header = true, all_varchar = true)
WHERE population_count = 'Children looked after at 31 March' AND time_period = '2018';

-- Looked after, 2022 release (2018-2022) for councils and regions in 2018 only: each year is taken
-- from the newest release that has it, and 2019-2022 are in the 2023 and 2025 releases (which revise
-- some of them, and recode councils reorganised since). Its 2018 rows name councils as they stood
-- on 31 March 2018 (Cumbria, Northamptonshire, Bournemouth, Poole and old Dorset; 'z' for the
-- councils formed later, dropped below). Its denominator is ONS's mid-2017 estimate as it stood
-- before ONS revised mid-2012 to mid-2020 after Census 2021; the later releases' denominators are the
-- revised estimates, as in the population file. By the same newest-release rule the warehouse takes
-- the revised mid-2017 (so 2017, 2018 and 2019 rates share a vintage); the release's own is kept only
-- for an area the population file does not hold at mid-2017 (Bournemouth, Poole, old Dorset, and
-- Buckinghamshire under its 2020 code). DfE's rounded 2018 rate is kept as published.
CREATE TABLE newest_mid2017 AS
SELECT dfe_area(geographic_level, country_code, region_code, new_la_code) AS area_code
FROM read_csv('shared/population/dfe_ons_mid-year_population_estimates_0to17_LA_2012_to_2024.csv', header = true, all_varchar = true)
WHERE time_period = '2017' AND TRY_CAST(population_estimate AS INTEGER) IS NOT NULL;

INSERT INTO care_raw
SELECT 'looked_after', time_period::INTEGER,
       dfe_level(geographic_level),
       dfe_area(geographic_level, country_code, region_code, new_la_code),
       dfe_area(geographic_level, country_name, region_name, la_name),
       nullif(old_la_code, '')::INTEGER, nullif(region_code, ''),
       number, rate_per_10000,
       CASE WHEN dfe_area(geographic_level, country_code, region_code, new_la_code) NOT IN (SELECT area_code FROM newest_mid2017)
            THEN population_estimate END,
       'DfE Children looked after in England, 2022 release (2018-2022)'
FROM read_csv('shared/care/dfe_cla_number_and_rate_per_10k_children_2018_to_2022.csv', header = true, all_varchar = true)
WHERE population_count = 'Children looked after at 31 March each year' AND time_period::INTEGER = 2018
  AND geographic_level <> 'National';

-- A council with figures for 2017 and 2019 but no 2018 row in any stored release: record the gap as
-- DfE would ('x', not available) rather than leave a hole. (None today; kept for a refresh.)
INSERT INTO care_raw
SELECT 'looked_after', 2018, 'Local authority', a.area_code, a.area_name, a.dfe_number, b.region_code, 'x', NULL, NULL,
       'not in the stored sources'
FROM care_raw a JOIN care_raw b ON a.area_code = b.area_code AND a.measure = b.measure
WHERE a.measure = 'looked_after' AND a.level = 'Local authority' AND a.year = 2017 AND b.year = 2019
  AND NOT EXISTS (SELECT 1 FROM care_raw c WHERE c.measure = 'looked_after' AND c.area_code = a.area_code AND c.year = 2018);

-- Children in need at 31 March (CIN census table B1, open episodes at 31 March, one per child).
INSERT INTO care_raw
SELECT 'in_need', time_period::INTEGER,
       dfe_level(geographic_level),
       dfe_area(geographic_level, country_code, region_code, new_la_code),
       dfe_area(geographic_level, country_name, region_name, la_name),
       nullif(old_la_code, '')::INTEGER, nullif(region_code, ''), At31_episodes, NULL, NULL,
       'DfE Characteristics of children in need, table B1 (2013-2025)'
FROM read_csv('shared/care/dfe_b1_children_in_need_2013_to_2025.csv', header = true, all_varchar = true);

-- Child protection plans at 31 March (CIN census table D5).
INSERT INTO care_raw
SELECT 'protection_plan', time_period::INTEGER,
       dfe_level(geographic_level),
       dfe_area(geographic_level, country_code, region_code, new_la_code),
       dfe_area(geographic_level, country_name, region_name, la_name),
       nullif(old_la_code, '')::INTEGER, nullif(region_code, ''), CPP_At31, NULL, NULL,
       'DfE Characteristics of children in need, table D5 (2013-2025)'
FROM read_csv('shared/care/dfe_d5_cpps_at31march_by_duration_2013_to_2025.csv', header = true, all_varchar = true);

COPY (
    SELECT measure, year, level, area_code, area_name, dfe_number, region_code,
           TRY_CAST(replace(value, ',', '') AS INTEGER) AS number,
           -- the DfE symbol when the number is not published (c, x, z, low, ...), else NULL
           CASE WHEN TRY_CAST(replace(value, ',', '') AS INTEGER) IS NULL THEN coalesce(nullif(trim(value), ''), 'x') END AS number_symbol,
           TRY_CAST(published_rate AS DOUBLE) AS published_rate_per_10000,
           TRY_CAST(published_denominator AS INTEGER) AS published_denominator,
           source
    FROM care_raw
    -- a council that did not exist yet (or no longer) is not a missing figure: drop those rows,
    -- keeping the series break visible by which code has which years
    WHERE NOT (trim(value) IN ('z') AND level = 'Local authority')
    ORDER BY measure, level, area_code, year
) TO 'out/care_at_31_march.parquet' (FORMAT parquet, COMPRESSION zstd);

-- Care measures in the year or as a share, from the CIN census (2013-2025): each a count with its
-- own denominator, as DfE publishes it. DfE's symbols (c, x, u, z) stay as the reason a number is
-- missing, never zero. Cumbria (E10000006) runs to 2023; Cumberland and Westmorland and Furness
-- from 2024, as in the source.
--   referrals              referrals in the year (table C1); the denominator, children aged 0-17 at
--                          the previous mid-year, is joined in the warehouse, as for care
--   rereferrals            referrals within 12 months of a previous referral, of referrals (C1)
--   subsequent_plans       protection plans starting in the year that were a second or later plan,
--                          of plans starting (D3)
--   plans_2_years_or_more  plans at 31 March that had lasted 2 years or more, of plans at 31 March (D5)
CREATE TABLE care_measures_raw AS
WITH c1 AS (SELECT * FROM read_csv('shared/care/dfe_c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv', header = true, all_varchar = true)),
     d3 AS (SELECT * FROM read_csv('shared/care/dfe_d3_cpps_subsequent_plan_2013_to_2025.csv', header = true, all_varchar = true)),
     d5 AS (SELECT * FROM read_csv('shared/care/dfe_d5_cpps_at31march_by_duration_2013_to_2025.csv', header = true, all_varchar = true)),
     long AS (
         SELECT 'referrals' AS measure, time_period, geographic_level, country_code, country_name, region_code, region_name, old_la_code, new_la_code, la_name, referral_count AS value, NULL AS denominator, NULL AS published_percent,
                NULL AS denominator_name, 10000 AS per, 'DfE Characteristics of children in need, table C1 (2013-2025)' AS source FROM c1
         UNION ALL
         SELECT 'rereferrals', time_period, geographic_level, country_code, country_name, region_code, region_name, old_la_code, new_la_code, la_name, rereferral_count, referral_count, rereferral_percent,
                'referrals in the year', 100, 'DfE Characteristics of children in need, table C1 (2013-2025)' FROM c1
         UNION ALL
         SELECT 'subsequent_plans', time_period, geographic_level, country_code, country_name, region_code, region_name, old_la_code, new_la_code, la_name, CPP_subsequent, CPP_start, CPP_subsequent_percent,
                'child protection plans starting in the year', 100, 'DfE Characteristics of children in need, table D3 (2013-2025)' FROM d3
         UNION ALL
         SELECT 'plans_2_years_or_more', time_period, geographic_level, country_code, country_name, region_code, region_name, old_la_code, new_la_code, la_name, "2_years_or_more", CPP_At31, "2_years_or_more_percent",
                'child protection plans at 31 March', 100, 'DfE Characteristics of children in need, table D5 (2013-2025)' FROM d5
     )
SELECT measure, time_period::INTEGER AS year,
       dfe_level(geographic_level) AS level,
       dfe_area(geographic_level, country_code, region_code, new_la_code) AS area_code,
       dfe_area(geographic_level, country_name, region_name, la_name) AS area_name,
       nullif(old_la_code, '')::INTEGER AS dfe_number, nullif(region_code, '') AS region_code,
       value, denominator, published_percent, denominator_name, per, source
FROM long;

COPY (
    SELECT measure, year, level, area_code, area_name, dfe_number, region_code,
           TRY_CAST(replace(value, ',', '') AS INTEGER) AS number,
           CASE WHEN TRY_CAST(replace(value, ',', '') AS INTEGER) IS NULL THEN coalesce(nullif(trim(value), ''), 'x') END AS number_symbol,
           TRY_CAST(replace(denominator, ',', '') AS INTEGER) AS denominator,
           -- referrals' denominator (children 0-17) is not in the source: no symbol, joined in the warehouse
           CASE WHEN denominator IS NOT NULL AND TRY_CAST(replace(denominator, ',', '') AS INTEGER) IS NULL
                THEN coalesce(nullif(trim(denominator), ''), 'x') END AS denominator_symbol,
           denominator_name, per,
           TRY_CAST(published_percent AS DOUBLE) AS published_percent,
           source
    FROM care_measures_raw
    WHERE NOT (trim(value) IN ('z') AND level = 'Local authority')
    ORDER BY measure, level, area_code, year
) TO 'out/care_measures.parquet' (FORMAT parquet, COMPRESSION zstd);

-- Factors identified at the end of assessment (CIN census table C3, 2018-2025): for each factor
-- column of the source, the episodes of need whose assessment identified it, beside the episodes
-- with any factor recorded (Episodes_with_assessment_factor), the share's denominator. An episode
-- can have several factors, so shares do not add to 100. Every factor DfE publishes is kept (the
-- question picks those it shows); the factor is the source's column name in lower case.
-- Councils' counts are exact, region and England rounded to 10 by DfE. DfE's symbols (c, x, u, z,
-- low) stay as the reason a number is missing, never zero: x for factors not yet collected (child
-- criminal exploitation before 2022, physical and sexual abuse by whom before 2021) and Hackney's
-- 2021 and 2022 returns, u for Hampshire's and Herefordshire's 2024 returns, z for Isles of Scilly
-- 2019, c for small counts.
CREATE TABLE c3_raw AS SELECT * FROM read_csv('shared/care/dfe_c3_factors_identified_at_end_of_assessment_2018_to_2025.csv', header = true, all_varchar = true);

COPY (
    SELECT lower(factor) AS factor, time_period::INTEGER AS year,
           dfe_level(geographic_level) AS level,
           dfe_area(geographic_level, country_code, region_code, new_la_code) AS area_code,
           dfe_area(geographic_level, country_name, region_name, la_name) AS area_name,
           nullif(old_la_code, '')::INTEGER AS dfe_number, nullif(region_code, '') AS region_code,
           TRY_CAST(replace(value, ',', '') AS INTEGER) AS number,
           CASE WHEN TRY_CAST(replace(value, ',', '') AS INTEGER) IS NULL THEN coalesce(nullif(trim(value), ''), 'x') END AS number_symbol,
           TRY_CAST(replace(Episodes_with_assessment_factor, ',', '') AS INTEGER) AS episodes,
           CASE WHEN TRY_CAST(replace(Episodes_with_assessment_factor, ',', '') AS INTEGER) IS NULL
                THEN coalesce(nullif(trim(Episodes_with_assessment_factor), ''), 'x') END AS episodes_symbol,
           'DfE Characteristics of children in need, table C3 (2018-2025)' AS source
    FROM c3_raw UNPIVOT INCLUDE NULLS (value FOR factor IN (COLUMNS(* EXCLUDE (time_period, time_identifier, geographic_level,
          country_code, country_name, region_code, region_name, old_la_code, new_la_code, la_name, category,
          Episodes_with_assessment_factor))))
    ORDER BY factor, level, area_code, year
) TO 'out/care_factors.parquet' (FORMAT parquet, COMPRESSION zstd);

-- DfE statistical neighbours (April 2021): ten per council, closest first. The source has one
-- "SNP" (closeness) column per neighbour under the same name; read by position.
CREATE TABLE sn_raw AS SELECT * FROM read_csv('shared/care/dfe_New_Statistical_Neighbour_Groupings_April_2021.csv',
    header = false, skip = 1, all_varchar = true);
COPY (
    SELECT column00::INTEGER AS dfe_number, column01 AS la_name, rank::INTEGER AS rank,
           neighbour::INTEGER AS neighbour_dfe_number, closeness
    FROM (
        SELECT column00, column01, 1 AS rank, column05 AS neighbour, column06 AS closeness FROM sn_raw
        UNION ALL SELECT column00, column01, 2, column07, column08 FROM sn_raw
        UNION ALL SELECT column00, column01, 3, column09, column10 FROM sn_raw
        UNION ALL SELECT column00, column01, 4, column11, column12 FROM sn_raw
        UNION ALL SELECT column00, column01, 5, column13, column14 FROM sn_raw
        UNION ALL SELECT column00, column01, 6, column15, column16 FROM sn_raw
        UNION ALL SELECT column00, column01, 7, column17, column18 FROM sn_raw
        UNION ALL SELECT column00, column01, 8, column19, column20 FROM sn_raw
        UNION ALL SELECT column00, column01, 9, column21, column22 FROM sn_raw
        UNION ALL SELECT column00, column01, 10, column23, column24 FROM sn_raw
    )
    WHERE column00 IS NOT NULL
    ORDER BY dfe_number, rank
) TO 'out/statistical_neighbours_2021.parquet' (FORMAT parquet, COMPRESSION zstd);

-- Local authorities: every code in use since 2011 with its current successor and region.
COPY (
    SELECT LADCD AS lad_code, LADNM AS lad_name, LADCD_ACTIVE AS active_lad_code, LADNM_ACTIVE AS active_lad_name,
           UTLACD AS utla_code, UTLANM AS utla_name, RGNCD AS region_code, RGNNM AS region_name
    FROM read_csv('shared/geography/drkane_la_all_codes.csv', header = true, all_varchar = true)
    WHERE CTRYCD = 'E92000001'
    ORDER BY lad_code
) TO 'out/local_authorities.parquet' (FORMAT parquet, COMPRESSION zstd);

-- Postcodes of the five demo councils placed in 2021 LSOAs: the DERIVED look-up in shared/ (ONS's
-- postcode directory, November 2025, with each postcode's LSOA assigned by point in polygon for
-- this project, not ONS's own assignment: see PROVENANCE.md). Postcodes are normalised to capitals
-- without spaces; terminated postcodes cannot be told apart in the source. `hubs load --postcodes
-- demo` uses it; a council gives ONS's NSPL or ONSPD instead.
COPY (
    SELECT replace(upper(pcd7), ' ', '') AS postcode, lsoa21cd_derived AS lsoa21_code, lad25cd AS council_code, match_flag
    FROM read_csv('shared/postcodes/DERIVED_pcd_to_lsoa21_5LA_pointinpolygon.csv', header = true, all_varchar = true)
    ORDER BY postcode
) TO 'out/postcodes_5la_derived.parquet' (FORMAT parquet, COMPRESSION zstd);

-- Early years outcomes (issue 18, item 2): DfE's Local Authority Interactive Tool (LAIT) bulk
-- dataset, long format (one row per indicator, area and year, `Values` as text: '-' not available,
-- numbers with float noise, so cast and rounded to the decimals LAIT's data dictionary gives;
-- the dictionary gives none for the EYFS profile, which DfE publishes to 1 decimal). Every council,
-- region and England, every year LAIT holds. `year` is the year a period ends in: an academic
-- year (2025 = 2024/25), a financial year (2024 = 2023-24) or a calendar year, as `year_type` says.
-- A missing value stays missing with its reason, never zero.
CREATE TABLE lait AS SELECT * FROM read_parquet('shared/early_years/dfe_lait_bds_long_0.parquet');
CREATE TABLE lait_dictionary AS
SELECT Measure_short AS lait_code, Polarity AS polarity, Year_Type AS year_type, TRY_CAST(dps AS INTEGER) AS dps,
       "Data Owner (DO) /Supplier and Contact Details" AS owner
FROM read_csv('shared/early_years/dfe_lait_data_dictionary.csv', header = true, all_varchar = true);

CREATE TABLE ey_indicators(indicator, lait_code, unit, decimals_if_none) AS VALUES
    ('gld', 'FSP_NEW_GOODDEV', 'percent of children at the end of reception with a good level of development', 1),
    ('gld_fsm', 'FSP_Gooddev_FSM', 'percent of children eligible for free school meals at the end of reception with a good level of development', 1),
    ('gld_not_fsm', 'FSP_Gooddev_FSM_Other', 'percent of all other children at the end of reception with a good level of development', 1),
    ('breastfeeding_6_8_weeks', '6wksBreast', 'percent of infants totally or partially breastfed at 6-8 weeks', 2),
    ('injury_admissions_0_14', 'HospAd0-14', 'hospital admissions for unintentional and deliberate injuries per 10,000 children aged 0-14', 2),
    ('low_birth_weight', 'Low_Birth_Weight_Babies', 'percent of full-term live births weighing under 2,500 g', 2);

-- each area's DfE number, name and region (a council's region by name, matched without case:
-- LAIT spells 'Yorkshire and The Humber' on councils and 'Yorkshire and the Humber' on the region)
CREATE TABLE ey_areas AS
WITH a AS (
    SELECT "LA Number"::INTEGER AS dfe_number, any_value("LA and Regions") AS area_name, any_value("Region") AS region
    FROM lait GROUP BY 1
)
SELECT a.dfe_number,
       CASE WHEN a.dfe_number = 970 THEN 'England' WHEN a.dfe_number > 970 THEN 'Region' ELSE 'Local authority' END AS level,
       a.area_name,
       CASE WHEN a.dfe_number < 970 THEN r.dfe_number WHEN a.dfe_number > 970 THEN a.dfe_number END AS region_number,
       CASE WHEN a.dfe_number < 970 THEN r.area_name WHEN a.dfe_number > 970 THEN a.area_name END AS region_name
FROM a LEFT JOIN a r ON a.dfe_number < 970 AND r.dfe_number > 970 AND lower(r.area_name) = lower(a.region);

-- the EYFS profile's framework and its breaks: the 2012 framework to 2018/19, no collection in
-- 2019/20 or 2020/21 (COVID-19), the reformed 2021 framework from 2021/22, not comparable with before
CREATE MACRO eyfs_framework(y) AS CASE WHEN y <= 2019 THEN 'EYFS 2012 framework (old, to 2018/19)'
                                       WHEN y >= 2022 THEN 'EYFS 2021 framework (from 2021/22)' END;
CREATE MACRO eyfs_break(y) AS CASE WHEN y IN (2020, 2021) THEN 'no collection: the EYFS profile was not collected in 2019/20 or 2020/21 (COVID-19)'
                                   WHEN y = 2022 THEN 'series break: the EYFS framework changed in 2021/22, so 2021/22 on is not comparable with 2018/19 and before' END;

CREATE TABLE ey_lait AS
SELECT i.indicator, i.lait_code, l."Years"::INTEGER AS year, ar.level, ar.dfe_number, ar.area_name, ar.region_number, ar.region_name,
       round(TRY_CAST(l."Values" AS DOUBLE), coalesce(d.dps, i.decimals_if_none)) AS value,
       i.unit, d.polarity, coalesce(d.dps, i.decimals_if_none) AS decimals, lower(d.year_type) AS year_type,
       'DfE Local Authority Interactive Tool (LAIT) bulk dataset, indicator ' || i.lait_code || '; data owner: ' || d.owner AS source
FROM lait l
JOIN ey_indicators i ON i.lait_code = l."Short Desc"
JOIN lait_dictionary d ON d.lait_code = i.lait_code
JOIN ey_areas ar ON ar.dfe_number = l."LA Number"::INTEGER;

-- GLD 2012/13 to 2014/15, which LAIT does not hold: DfE's EYFSP 2018-2019 underlying data (old
-- framework, Total rows); regions by name, England as 970
CREATE TABLE ey_eyfsp AS
SELECT 'gld' AS indicator, 'FSP_NEW_GOODDEV' AS lait_code, ('20' || right(e.time_period, 2))::INTEGER AS year,
       coalesce(ar.level, CASE e.geographic_level WHEN 'National' THEN 'England' WHEN 'Regional' THEN 'Region' ELSE 'Local authority' END) AS level,
       coalesce(ar.dfe_number, nullif(trim(e.old_la_code), '')::INTEGER) AS dfe_number,
       coalesce(ar.area_name, e.la_name) AS area_name, ar.region_number, ar.region_name,
       round(e.gld_percent::DOUBLE, 1) AS value
FROM read_csv('shared/early_years/dfe_eyfsp_APS_GLD_ELG_EXP_2013_2019.csv', header = true, all_varchar = true) e
LEFT JOIN ey_areas ar ON (e.geographic_level = 'National' AND ar.dfe_number = 970)
                      -- the file has Inner and Outer London but no London row; LAIT names them London (Inner), (Outer)
                      OR (e.geographic_level = 'Regional' AND ar.level = 'Region'
                          AND lower(ar.area_name) = lower(CASE e.region_name WHEN 'Inner London' THEN 'London (Inner)'
                                                                            WHEN 'Outer London' THEN 'London (Outer)'
                                                                            ELSE e.region_name END))
                      OR (e.geographic_level = 'Local Authority' AND ar.dfe_number = nullif(trim(e.old_la_code), '')::INTEGER)
WHERE e.gender = 'Total'
  AND ('20' || right(e.time_period, 2))::INTEGER NOT IN (SELECT DISTINCT year FROM ey_lait WHERE indicator = 'gld');

-- GLD for Cumberland (942) and Westmorland and Furness (943) before they existed, 2013/14 to
-- 2018/19, rebuilt from the former Cumbria districts they were made of: the sum of the districts'
-- children with a good level of development over the sum of their pupils, from DfE's EYFSP
-- additional tables by local authority district of PUPIL RESIDENCE (an xlsx, which Prepare hands
-- over as eyfsp_lad_pr.csv). DfE's council figures are by school location, so these are close to
-- but not the same as what the council would have published. Years the file lacks (2012/13, and
-- 2021/22 for want of any district table) keep Cumbria's figure in the answer, as before.
CREATE TABLE ey_cumbria_districts(lad_code, lad_name, dfe_number) AS VALUES
    ('E07000026', 'Allerdale', 942), ('E07000028', 'Carlisle', 942), ('E07000029', 'Copeland', 942),
    ('E07000027', 'Barrow-in-Furness', 943), ('E07000030', 'Eden', 943), ('E07000031', 'South Lakeland', 943);
CREATE TABLE ey_cumbria_rebuilt AS
SELECT 'gld' AS indicator, 'FSP_NEW_GOODDEV' AS lait_code, ('20' || right(p.time_period, 2))::INTEGER AS year,
       ar.level, ar.dfe_number, ar.area_name, ar.region_number, ar.region_name,
       round(100 * sum(p.gld_number::INTEGER) / sum(p.all_pupils::INTEGER), 1) AS value,
       'rebuilt from former Cumbria districts (pupil residence): the sum of gld_number over the sum of all_pupils of '
           || string_agg(c.lad_name || ' ' || c.lad_code, ', ' ORDER BY c.lad_code)
           || ' in DfE''s EYFSP additional tables by local authority district of pupil residence 2014-2019 (dfe_EYFSP_LAD_pr_additional_tables_2014_2019.xlsx); '
           || 'DfE''s council figures are by school location, so this is close to but not the council''s own figure' AS source
FROM read_csv('eyfsp_lad_pr.csv', header = true, all_varchar = true) p
JOIN ey_cumbria_districts c ON c.lad_code = p.lad_code_pupil
JOIN ey_areas ar ON ar.dfe_number = c.dfe_number
WHERE p.geographic_level = 'Local Authority District' AND p.time_identifier = 'Academic year'
GROUP BY ALL
HAVING count(*) = 3; -- every district of the council, or no rebuilt year

CREATE TABLE early_years AS
WITH published AS (
    SELECT indicator, lait_code, year, level, dfe_number, area_name, region_number, region_name, value, unit, polarity,
           decimals, year_type, source
    FROM ey_lait
    UNION ALL
    SELECT e.indicator, e.lait_code, e.year, e.level, e.dfe_number, e.area_name, e.region_number, e.region_name, e.value,
           i.unit, d.polarity, 1, 'academic year',
           'DfE Early years foundation stage profile results 2018 to 2019, underlying data APS_GLD_ELG_EXP_2013_2019.csv (2012/13 to 2014/15, which LAIT does not hold)'
    FROM ey_eyfsp e JOIN ey_indicators i USING (indicator) JOIN lait_dictionary d ON d.lait_code = i.lait_code
),
-- a rebuilt Cumberland or Westmorland and Furness year takes the place of the council's empty row
rows AS (
    SELECT p.* FROM published p
    WHERE NOT EXISTS (SELECT 1 FROM ey_cumbria_rebuilt r WHERE r.indicator = p.indicator AND r.dfe_number = p.dfe_number AND r.year = p.year)
    UNION ALL
    SELECT r.indicator, r.lait_code, r.year, r.level, r.dfe_number, r.area_name, r.region_number, r.region_name, r.value,
           i.unit, d.polarity, 1, 'academic year', r.source
    FROM ey_cumbria_rebuilt r JOIN ey_indicators i USING (indicator) JOIN lait_dictionary d ON d.lait_code = i.lait_code
),
-- the gap in GLD between children eligible for free school meals and all others, in percentage
-- points: LAIT holds no gap indicator for the EYFS profile, so it is the difference of the two it holds
gap AS (
    SELECT 'gld_fsm_gap' AS indicator, NULL AS lait_code, o.year, o.level, o.dfe_number, o.area_name, o.region_number, o.region_name,
           round(o.value - f.value, 1) AS value,
           'percentage points: GLD of all other children minus GLD of children eligible for free school meals' AS unit,
           'Low' AS polarity, 1 AS decimals, 'academic year' AS year_type,
           'Derived: DfE LAIT FSP_Gooddev_FSM_Other minus FSP_Gooddev_FSM (LAIT holds no EYFSP gap indicator)' AS source
    FROM rows o JOIN rows f ON f.indicator = 'gld_fsm' AND f.dfe_number = o.dfe_number AND f.year = o.year
    WHERE o.indicator = 'gld_not_fsm'
),
joined AS (SELECT * FROM rows UNION ALL SELECT * FROM gap)
SELECT j.indicator, j.lait_code, j.year,
       CASE j.year_type WHEN 'academic year' THEN format('{}/{:02d}', j.year - 1, j.year % 100)
                        WHEN 'financial year' THEN format('{}-{:02d}', j.year - 1, j.year % 100)
                        ELSE j.year::VARCHAR END AS period,
       j.year_type, j.level, j.dfe_number, j.area_name, j.region_number, j.region_name, j.value,
       CASE WHEN j.value IS NOT NULL THEN NULL
            WHEN j.indicator LIKE 'gld%' AND j.year IN (2020, 2021) THEN eyfs_break(j.year)
            WHEN j.dfe_number IN (942, 943) AND j.year < 2023 THEN 'the council was formed in April 2023: Cumbria (909) before'
            WHEN j.dfe_number = 909 AND j.year >= 2023 THEN 'Cumbria was replaced by Cumberland (942) and Westmorland and Furness (943) in April 2023'
            WHEN j.dfe_number IN (940, 941) AND j.year < 2022 THEN 'the council was formed in April 2021: Northamptonshire (928) before'
            WHEN j.dfe_number = 928 AND j.year >= 2022 THEN 'Northamptonshire was replaced by North (940) and West Northamptonshire (941) in April 2021'
            WHEN j.indicator = 'breastfeeding_6_8_weeks'
                THEN 'not published (LAIT ''-''): OHID publishes breastfeeding at 6-8 weeks only where the area''s data pass its coverage and quality checks'
            ELSE 'not published (LAIT ''-'')' END AS missing_reason,
       j.unit, j.polarity, j.decimals,
       CASE WHEN j.indicator LIKE 'gld%' THEN eyfs_framework(j.year) END AS framework,
       CASE WHEN j.indicator LIKE 'gld%' THEN eyfs_break(j.year) END AS series_break,
       j.source
FROM joined j;

COPY (SELECT * FROM early_years ORDER BY indicator, dfe_number, year)
TO 'out/early_years.parquet' (FORMAT parquet, COMPRESSION zstd);
