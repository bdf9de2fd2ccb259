-- name: reach_by_decile
-- raw: queries/reach_by_decile.sql asked of raw contacts, with no rollup: the reference its answers are tested against,
--      what `hubs bench` times as plain DuckDB, and the answer for a period the rollups do not keep whole.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
-- param: locality VARCHAR a locality (hub network) to restrict to, or '' for the whole council
-- param: service VARCHAR a service code to restrict contacts to, or '' for all services
WITH lsoas AS (
    SELECT n.lsoa21_code, n.imd_decile, n.idaci_decile, p.children_0_19 AS children
    FROM neighbourhood_profile n JOIN neighbourhood_population p USING (lsoa21_code)
    WHERE n.council_code = $council AND ($locality = '' OR n.locality = $locality)
      AND p.mid_year = (SELECT mid_year FROM denominator_years WHERE year_start = fy_year($period_start::DATE))
),
by_index AS (
    SELECT 'IMD' AS index, imd_decile AS decile, lsoa21_code, children FROM lsoas
    UNION ALL
    SELECT 'IDACI', idaci_decile, lsoa21_code, children FROM lsoas
),
resident AS (
    SELECT index, decile, sum(children) AS children_resident FROM by_index GROUP BY ALL
),
reached AS (
    -- children of 20-25 (SEND) and unborn children (a contact before birth: expectant families)
    -- are left out of children reached, as there is no resident count of
    -- them to set them against; families are every family with a contact, as in every other query
    SELECT b.index, b.decile,
           count(DISTINCT c.child_id) FILTER (WHERE c.age_band <> '20-25' AND NOT before_birth(c.contact_date, k.birth_date)) AS children_reached,
           count(DISTINCT c.family_id) AS families_reached,
           cell_key(sum(DISTINCT rkey(c.child_id)) FILTER (WHERE c.age_band <> '20-25' AND NOT before_birth(c.contact_date, k.birth_date))) AS children_reached_ckey,
           cell_key(sum(DISTINCT rkey(c.family_id))) AS families_reached_ckey,
           count(DISTINCT c.family_id) FILTER (WHERE before_birth(c.contact_date, k.birth_date)) AS expectant_families,
           cell_key(sum(DISTINCT rkey(c.family_id)) FILTER (WHERE before_birth(c.contact_date, k.birth_date))) AS expectant_families_ckey
    FROM contacts c JOIN by_index b ON b.lsoa21_code = c.lsoa21_code
    LEFT JOIN people k ON k.person_id = c.child_id
    WHERE c.council_code = $council AND c.contact_date BETWEEN $period_start AND $period_end
      AND ($service = '' OR c.service_code = $service)
    GROUP BY ALL
),
grid AS (
    SELECT i.index, d.decile FROM (VALUES ('IMD'), ('IDACI')) i(index), range(1, 11) d(decile)
)
SELECT g.index, g.decile,
       -- which part of reach_total (the 20% most deprived against the rest) the row sums into
       CASE WHEN g.index <> 'IDACI' THEN '' WHEN g.decile <= 2 THEN 'idaci_1_2' ELSE 'idaci_3_10' END AS part,
       coalesce(r.children_resident, 0)::BIGINT AS children_resident,
       coalesce(x.children_reached, 0) AS children_reached,
       coalesce(x.families_reached, 0) AS families_reached,
       coalesce(x.children_reached_ckey, 0) AS children_reached_ckey, coalesce(x.families_reached_ckey, 0) AS families_reached_ckey,
       coalesce(x.expectant_families, 0) AS expectant_families, coalesce(x.expectant_families_ckey, 0) AS expectant_families_ckey,
       (SELECT label FROM denominator_years WHERE year_start = fy_year($period_start::DATE)) AS denominator
FROM grid g
LEFT JOIN resident r USING (index, decile)
LEFT JOIN reached x USING (index, decile)
ORDER BY g.index DESC, g.decile
