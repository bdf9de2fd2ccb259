-- name: site_activity
-- answers: What each of a council's sites did in a period: contacts, families and children reached, by site, with its kind, locality and opening dates.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
-- units: contacts = contacts (count); families, children = distinct families / children with at least one contact at the site in the period (count)
-- source: SYNTHETIC service contacts; council network file (sites)
-- counts: contacts, families, children
-- totals: *
SELECT s.site_id, s.name, s.kind, s.locality, s.opened, s.designated,
       count(c.contact_id) AS contacts,
       count(DISTINCT c.family_id) AS families,
       count(DISTINCT c.child_id) AS children
FROM sites s
LEFT JOIN contacts c
       ON c.site_id = s.site_id AND c.contact_date BETWEEN $period_start AND $period_end
WHERE s.council_code = $council
GROUP BY ALL
ORDER BY s.kind, s.site_id
