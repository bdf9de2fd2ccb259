-- name: site_activity
-- raw: queries/site_activity.sql asked of raw contacts, with no rollup: the reference its answers are tested against,
--      what `hubs bench` times as plain DuckDB, and the answer for a period the rollups do not keep whole.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
-- param: locality VARCHAR a locality (hub network) to restrict to, or '' for the whole council
-- param: service VARCHAR a service code to restrict contacts to, or '' for all services
SELECT s.site_id, s.name, s.kind, s.locality, s.opened, s.designated, s.lon, s.lat, s.illustrative,
       count(c.contact_id) AS contacts,
       count(DISTINCT c.family_id) AS families,
       count(DISTINCT c.child_id) AS children,
       cell_key(sum(rkey(c.contact_id))) AS contacts_ckey, cell_key(sum(DISTINCT rkey(c.family_id))) AS families_ckey,
       cell_key(sum(DISTINCT rkey(c.child_id))) AS children_ckey
FROM sites s
LEFT JOIN contacts c
       ON c.site_id = s.site_id AND c.contact_date BETWEEN $period_start AND $period_end
      AND ($service = '' OR c.service_code = $service)
WHERE s.council_code = $council AND ($locality = '' OR s.locality = $locality)
GROUP BY ALL
ORDER BY s.kind, s.site_id
