-- name: site_activity
-- answers: What each of a council's sites did in a period: contacts, families and children reached, by site, with its kind, locality and opening dates.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
-- param: locality VARCHAR a locality (hub network) to restrict to, or '' for the whole council
-- param: service VARCHAR a service code to restrict contacts to, or '' for all services
-- units: contacts = contacts (count); families, children = distinct families / children with at least one contact at the site in the period (count)
-- source: SYNTHETIC service contacts; council network file (sites)
-- status: synthetic, real, illustrative
-- counts: contacts, families, children
-- totals: *
SELECT s.site_id, s.name, s.kind, s.locality, s.opened, s.designated, s.lon, s.lat, s.illustrative,
       coalesce(r.contacts, 0) AS contacts,
       coalesce(r.families, 0) AS families,
       coalesce(r.children, 0) AS children,
       coalesce(r.contacts_key, 0) AS contacts_ckey, coalesce(r.families_key, 0) AS families_ckey,
       coalesce(r.children_key, 0) AS children_ckey
FROM sites s
LEFT JOIN site_rollup r
       ON r.site_id = s.site_id AND r.period_start = $period_start AND r.period_end = $period_end
      AND r.service_code = $service
WHERE s.council_code = $council AND ($locality = '' OR s.locality = $locality)
ORDER BY s.kind, s.site_id
