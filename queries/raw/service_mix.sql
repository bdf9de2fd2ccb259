-- name: service_mix
-- raw: queries/service_mix.sql asked of raw contacts, with no rollup: the reference its answers are tested against,
--      what `hubs bench` times as plain DuckDB, and the answer for a period the rollups do not keep whole.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
WITH bands AS (SELECT * FROM (VALUES ('0-2', 1), ('3-4', 2), ('5-11', 3), ('12-19', 4), ('20-25', 5)) b(age_band, band_order)),
used AS (
    SELECT service_code, age_band, count(*) AS contacts, count(DISTINCT child_id) AS children_reached,
           count(DISTINCT family_id) AS families_reached,
           cell_key(sum(rkey(contact_id))) AS contacts_key, cell_key(sum(DISTINCT rkey(child_id))) AS children_key,
           cell_key(sum(DISTINCT rkey(family_id))) AS families_key
    FROM contacts
    WHERE council_code = $council AND contact_date BETWEEN $period_start AND $period_end
    GROUP BY ALL
)
SELECT s.service_code, s.name AS service, s.funded_strand, b.age_band,
       coalesce(u.contacts, 0) AS contacts, coalesce(u.children_reached, 0) AS children_reached,
       coalesce(u.families_reached, 0) AS families_reached,
       coalesce(u.contacts_key, 0) AS contacts_ckey, coalesce(u.children_key, 0) AS children_reached_ckey,
       coalesce(u.families_key, 0) AS families_reached_ckey
FROM services s CROSS JOIN bands b
LEFT JOIN used u ON u.service_code = s.service_code AND u.age_band = b.age_band
ORDER BY s.name, b.band_order
