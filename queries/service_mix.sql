-- name: service_mix
-- answers: What help families used in the period: contacts, children and families reached by service and by the age band of the child the contact concerned, with each service's Family Hubs and Start for Life funded strand.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
-- units: contacts = contacts (count); children_reached, families_reached = distinct children / families with a contact of that service and age band in the period (count); age_band = 0-2 (Start for Life, including before birth), 3-4, 5-11, 12-19, 20-25 (SEND only)
-- source: SYNTHETIC service contacts
-- status: synthetic
-- counts: contacts, children_reached, families_reached
-- totals: service_code; age_band
WITH bands AS (SELECT * FROM (VALUES ('0-2', 1), ('3-4', 2), ('5-11', 3), ('12-19', 4), ('20-25', 5)) b(age_band, band_order)),
used AS (
    SELECT service_code, age_band, contacts, children_reached, families_reached, contacts_key, children_key, families_key
    FROM service_rollup
    WHERE council_code = $council AND period_start = $period_start AND period_end = $period_end
)
SELECT s.service_code, s.name AS service, s.funded_strand, b.age_band,
       coalesce(u.contacts, 0) AS contacts, coalesce(u.children_reached, 0) AS children_reached,
       coalesce(u.families_reached, 0) AS families_reached,
       coalesce(u.contacts_key, 0) AS contacts_ckey, coalesce(u.children_key, 0) AS children_reached_ckey,
       coalesce(u.families_key, 0) AS families_reached_ckey
FROM services s CROSS JOIN bands b
LEFT JOIN used u ON u.service_code = s.service_code AND u.age_band = b.age_band
ORDER BY s.name, b.band_order
