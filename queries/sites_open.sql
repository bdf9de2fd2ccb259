-- name: sites_open
-- answers: Which sites were open on the last day of the period, by kind, and how many of them were designated family hub sites by then.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_end DATE the day the sites are counted
-- units: sites, designated = sites (count)
-- source: council network file (sites)
-- status: real, illustrative
WITH kinds AS (SELECT * FROM (VALUES ('hub', 1), ('hublet', 2), ('bridge', 3), ('outreach', 4), ('online', 5)) k(kind, kind_order))
SELECT k.kind,
       count(s.site_id) AS sites,
       count(s.site_id) FILTER (WHERE s.designated <= $period_end) AS designated
FROM kinds k
LEFT JOIN sites s ON s.kind = k.kind AND s.council_code = $council
      AND s.opened <= $period_end AND (s.closed IS NULL OR s.closed > $period_end)
GROUP BY k.kind, k.kind_order
ORDER BY k.kind_order
