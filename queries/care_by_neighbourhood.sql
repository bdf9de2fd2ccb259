-- name: care_by_neighbourhood
-- answers: MODELLED unless the council has loaded its own records (then source = council records, hubs load-care, for that measure and year): how the council's children looked after, in need and on protection plans at 31 March spread across its neighbourhoods, set against each neighbourhood's IDACI decile, with rates per 10,000 children aged 0-17. The neighbourhood numbers are the published council total shared out by children and deprivation; they add up exactly to that total.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_end DATE the last 31 March on or before this day gives the year
-- units: number = children, counted from council records or modelled (count); source = council records or modelled; children_0_17 = residents aged 0-17, mid-2020 (count); rate_per_10000 = modelled per 10,000 children 0-17 (rate, 95% limits); idaci_decile = national IDACI decile (1 = most deprived 10%)
-- source: COUNCIL RECORDS where loaded (care_records: the council's SSDA903 or SSD extract, each child at the home postcode's 2021 LSOA on the day), else MODELLED from the REAL DfE council totals (care_neighbourhood); IoD2025; ONS mid-2020 population apportioned to 2021 LSOAs; council network file (localities)
-- status: council records, modelled, real, illustrative
-- counts: number
-- totals: measure
-- rate: rate_per_10000 = number / children_0_17 * 10000
WITH target AS (
    SELECT CASE WHEN month($period_end::DATE) > 3 OR (month($period_end::DATE) = 3 AND day($period_end::DATE) = 31)
                THEN year($period_end::DATE) ELSE year($period_end::DATE) - 1 END AS year
),
held AS (
    -- the measures and years the council has loaded its own records for (hubs load-care)
    SELECT DISTINCT measure, year FROM care_records_loaded WHERE council_code = $council
),
counts AS (
    SELECT m.measure, m.year, m.area_code, m.lsoa21_code, m.number, NULL::BIGINT AS number_ckey, 'modelled' AS source
    FROM care_neighbourhood m
    JOIN target t ON t.year = m.year
    WHERE m.council_code = $council
      AND NOT EXISTS (SELECT 1 FROM held h WHERE h.measure = m.measure AND h.year = m.year)
    UNION ALL
    SELECT h.measure, h.year, $council, n.lsoa21_code, coalesce(r.number, 0), coalesce(r.number_ckey, 0), 'council records'
    FROM held h
    JOIN target t ON t.year = h.year
    JOIN neighbourhood_profile n ON n.council_code = $council
    LEFT JOIN care_records r ON r.council_code = $council AND r.measure = h.measure AND r.year = h.year AND r.lsoa21_code = n.lsoa21_code
)
SELECT m.measure, m.year, m.source, m.area_code, m.lsoa21_code, n.lsoa21_name, n.ward_name, n.locality, n.idaci_decile,
       n.children_0_17::BIGINT AS children_0_17, m.number, m.number_ckey
FROM counts m
JOIN neighbourhood_profile n ON n.lsoa21_code = m.lsoa21_code AND n.council_code = $council
ORDER BY m.measure, n.idaci_decile, m.lsoa21_code
