-- name: neighbourhoods_by_decile
-- answers: How a council's neighbourhoods and children spread across England's deprivation deciles (IoD2025): LSOAs and children aged 0-19 in each national IMD and IDACI decile.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- units: lsoas = 2021 LSOAs (count); children_0_19 = residents aged 0-19, mid-2020 (count); share_of_children = proportion (0-1)
-- source: IoD2025 (MHCLG), national deciles, 1 = most deprived 10%; ONS mid-2020 population apportioned to 2021 LSOAs
-- status: real
WITH kids AS (
    SELECT lsoa21_code, imd_decile, idaci_decile, children_0_19 AS children
    FROM neighbourhood_profile WHERE council_code = $council
),
by_index AS (
    SELECT 'IMD' AS index, imd_decile AS decile, lsoa21_code, children FROM kids
    UNION ALL
    SELECT 'IDACI', idaci_decile, lsoa21_code, children FROM kids
),
deciles AS (SELECT unnest(range(1, 11)) AS decile)
SELECT i.index, d.decile,
       count(b.lsoa21_code) AS lsoas,
       coalesce(sum(b.children), 0)::BIGINT AS children_0_19,
       coalesce(sum(b.children), 0) / sum(sum(b.children)) OVER (PARTITION BY i.index) AS share_of_children
FROM (VALUES ('IMD'), ('IDACI')) i(index)
CROSS JOIN deciles d
LEFT JOIN by_index b ON b.index = i.index AND b.decile = d.decile
GROUP BY i.index, d.decile
ORDER BY i.index DESC, d.decile
