-- name: care_by_decile
-- answers: MODELLED unless the council has loaded its own records (then source = council records, hubs load-care, for that measure and year): how the council's children looked after, in need and on protection plans at 31 March spread across its neighbourhoods' national IDACI deciles, summed by decile before any small number is suppressed, with rates per 10,000 children aged 0-17; for the latest 31 March with published figures on or before the end of the period.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_end DATE the last 31 March on or before this day, or the latest published before it, gives the year
-- units: year = the 31 March counted; number = children, counted from council records or modelled (count); source = council records or modelled; children_0_17 = residents aged 0-17, mid-2020 (count); rate_per_10000 = modelled per 10,000 children 0-17 (rate, 95% limits); idaci_decile = national IDACI decile (1 = most deprived 10%)
-- source: COUNCIL RECORDS where loaded (care_records: the council's SSDA903 or SSD extract, each child at the home postcode's 2021 LSOA on the day), else MODELLED from the REAL DfE council totals (care_neighbourhood); IoD2025; ONS mid-2020 population apportioned to 2021 LSOAs
-- status: council records, modelled, real
-- counts: number
-- totals: measure
-- rate: rate_per_10000 = number / children_0_17 * 10000
WITH asked AS (
    SELECT CASE WHEN month($period_end::DATE) > 3 OR (month($period_end::DATE) = 3 AND day($period_end::DATE) = 31)
                THEN year($period_end::DATE) ELSE year($period_end::DATE) - 1 END AS year
),
held AS (
    -- the measures and years the council has loaded its own records for (hubs load-care)
    SELECT DISTINCT measure, year FROM care_records_loaded WHERE council_code = $council
),
latest AS (
    SELECT m.measure, max(m.year) AS year
    FROM (SELECT measure, year FROM care_neighbourhood WHERE council_code = $council
          UNION ALL SELECT measure, year FROM held) m, asked a
    WHERE m.year <= a.year
    GROUP BY m.measure
),
lsoas AS (
    SELECT lsoa21_code, idaci_decile, children_0_17 FROM neighbourhood_profile WHERE council_code = $council
),
grid AS (
    SELECT l.measure, l.year, d.idaci_decile FROM latest l, range(1, 11) d(idaci_decile)
),
resident AS (
    SELECT idaci_decile, sum(children_0_17) AS children_0_17 FROM lsoas GROUP BY ALL
),
modelled AS (
    SELECT m.measure, n.idaci_decile, sum(m.number) AS number, NULL::BIGINT AS number_ckey
    FROM care_neighbourhood m
    JOIN latest l ON l.measure = m.measure AND l.year = m.year
    JOIN lsoas n ON n.lsoa21_code = m.lsoa21_code
    WHERE m.council_code = $council
      AND NOT EXISTS (SELECT 1 FROM held h WHERE h.measure = m.measure AND h.year = m.year)
    GROUP BY ALL
),
records AS (
    -- each child counts in one LSOA, so the cell keys of the LSOAs add up to the decile's
    SELECT r.measure, n.idaci_decile, sum(r.number) AS number, cell_key(sum(r.number_ckey)) AS number_ckey
    FROM care_records r
    JOIN latest l ON l.measure = r.measure AND l.year = r.year
    JOIN lsoas n ON n.lsoa21_code = r.lsoa21_code
    WHERE r.council_code = $council
    GROUP BY ALL
),
counted AS (
    SELECT * FROM modelled UNION ALL SELECT * FROM records
)
SELECT g.measure, g.year,
       CASE WHEN EXISTS (SELECT 1 FROM held h WHERE h.measure = g.measure AND h.year = g.year) THEN 'council records' ELSE 'modelled' END AS source,
       g.idaci_decile,
       coalesce(r.children_0_17, 0)::BIGINT AS children_0_17,
       CASE WHEN r.children_0_17 > 0 THEN coalesce(x.number, 0)::BIGINT END AS number,
       CASE WHEN EXISTS (SELECT 1 FROM held h WHERE h.measure = g.measure AND h.year = g.year) THEN coalesce(x.number_ckey, 0) END AS number_ckey
FROM grid g
LEFT JOIN resident r USING (idaci_decile)
LEFT JOIN counted x USING (measure, idaci_decile)
ORDER BY g.measure, g.idaci_decile
