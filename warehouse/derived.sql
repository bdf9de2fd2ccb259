-- derived.sql: tables computed from the others once contacts are in.

DELETE FROM neighbourhood_profile;
INSERT INTO neighbourhood_profile
SELECT n.lsoa21_code, n.lsoa21_name, n.council_code, n.ward_name, n.locality, n.locality_illustrative,
       d.imd_decile, d.idaci_decile,
       sum(p.persons) FILTER (WHERE p.age <= 19) AS children_0_19,
       sum(p.persons) FILTER (WHERE p.age <= 17) AS children_0_17
FROM neighbourhoods n
JOIN deprivation d ON d.lsoa21_code = n.lsoa21_code AND d.edition = 'IoD2025'
JOIN population p ON p.lsoa21_code = n.lsoa21_code
GROUP BY ALL
ORDER BY n.council_code, n.lsoa21_code;

-- Modelled care numbers by neighbourhood. DfE publishes care numbers only by council; this shares
-- each published total among the council's LSOAs by children aged 0-17 (mid-2020) times a
-- deprivation gradient exp(0.25 * (10 - IDACI decile)), about 9.5x from the least to the most
-- deprived decile (the social gradient in Bywaters et al., 2020), then rounds by largest remainder
-- so the LSOAs add up exactly to the published total. Years DfE did not publish are not modelled.
INSERT INTO care_neighbourhood
WITH areas AS (
    -- a council with a network shares out its own totals; its predecessor's totals are shared
    -- across the LSOAs of every successor
    SELECT council_code AS area_code, council_code FROM councils WHERE has_network
    UNION ALL
    SELECT predecessor_code, council_code FROM councils WHERE has_network AND predecessor_code IS NOT NULL
),
weights AS (
    SELECT a.area_code, n.council_code, n.lsoa21_code,
           n.children_0_17 * exp(0.25 * (10 - n.idaci_decile)) AS w
    FROM areas a
    JOIN neighbourhood_profile n ON n.council_code = a.council_code
),
exact AS (
    SELECT c.measure, c.year, w.area_code, w.council_code, w.lsoa21_code, c.number,
           c.number * w.w / sum(w.w) OVER (PARTITION BY c.measure, c.year, w.area_code) AS x
    FROM care c JOIN weights w ON w.area_code = c.area_code
    WHERE c.number IS NOT NULL
),
ranked AS (
    SELECT *, floor(x)::INTEGER AS base,
           number - sum(floor(x)::INTEGER) OVER (PARTITION BY measure, year, area_code) AS leftover,
           row_number() OVER (PARTITION BY measure, year, area_code ORDER BY x - floor(x) DESC, lsoa21_code) AS rk
    FROM exact
)
SELECT measure, year, area_code, council_code, lsoa21_code, base + CASE WHEN rk <= leftover THEN 1 ELSE 0 END
FROM ranked;
