-- name: return_people
-- raw: queries/return_people.sql asked of raw contacts, with no rollup: the reference its answers are tested against,
--      what `hubs bench` times as plain DuckDB, and the answer for a period the rollups do not keep whole.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
WITH c AS (
    SELECT c.*, p.sex AS carer_sex
    FROM contacts c LEFT JOIN people p ON p.person_id = c.carer_id
    WHERE c.council_code = $council AND c.contact_date BETWEEN $period_start AND $period_end
),
bands AS (SELECT * FROM (VALUES ('all', 0), ('0-2', 1), ('3-4', 2), ('5-11', 3), ('12-19', 4), ('20-25', 5)) b(age_band, band_order))
SELECT b.age_band,
       count(DISTINCT c.family_id) AS families,
       count(DISTINCT c.child_id) AS children,
       count(DISTINCT c.carer_id) AS carers,
       count(DISTINCT c.carer_id) FILTER (WHERE c.carer_sex = 'M') AS fathers
FROM bands b
LEFT JOIN c ON b.age_band = 'all' OR c.age_band = b.age_band
GROUP BY b.age_band, b.band_order
ORDER BY b.band_order
