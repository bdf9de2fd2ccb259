-- name: site_activity
-- answers: What each of a council's sites did in a period: contacts, families and children reached, by site, with its kind, locality and opening dates.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
-- param: locality VARCHAR a locality (hub network) to restrict to, or '' for the whole council
-- param: service VARCHAR a service code to restrict contacts to, or '' for all services
-- units: contacts = contacts (count); families, children = distinct families / children with at least one contact at the site in the period (count)
-- source: SYNTHETIC service contacts; council network file (sites)
-- counts: contacts, families, children
-- totals: *
SELECT s.site_id, s.name, s.kind, s.locality, s.opened, s.designated, s.lon, s.lat, s.illustrative,
       count(c.contact_id) AS contacts,
       count(DISTINCT c.family_id) AS families,
       count(DISTINCT c.child_id) AS children
FROM sites s
LEFT JOIN contacts c
       ON c.site_id = s.site_id AND c.contact_date BETWEEN $period_start AND $period_end
      AND ($service = '' OR c.service_code = $service)
WHERE s.council_code = $council AND ($locality = '' OR s.locality = $locality)
GROUP BY ALL
ORDER BY s.kind, s.site_id
