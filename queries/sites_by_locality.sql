-- name: sites_by_locality
-- answers: Which localities (hub networks) had a family hub open on the last day of the period, and how many hubs, hublets, bridges and outreach sites each had open.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_end DATE the day the sites are counted
-- units: hubs, hublets, bridges, outreach = sites open on the day (count); has_hub = 1 when the locality has a family hub open on the day, else 0
-- source: council network file (localities, sites)
-- status: real, illustrative
WITH localities AS (
    SELECT DISTINCT locality FROM localities WHERE council_code = $council
),
open AS (
    SELECT locality, kind FROM sites
    WHERE council_code = $council AND opened <= $period_end AND (closed IS NULL OR closed > $period_end)
)
SELECT l.locality,
       count(o.kind) FILTER (WHERE o.kind = 'hub') AS hubs,
       count(o.kind) FILTER (WHERE o.kind = 'hublet') AS hublets,
       count(o.kind) FILTER (WHERE o.kind = 'bridge') AS bridges,
       count(o.kind) FILTER (WHERE o.kind = 'outreach') AS outreach,
       (count(o.kind) FILTER (WHERE o.kind = 'hub') > 0)::INTEGER AS has_hub
FROM localities l
LEFT JOIN open o USING (locality)
GROUP BY l.locality
ORDER BY l.locality
