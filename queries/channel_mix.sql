-- name: channel_mix
-- answers: How families got help in the period: contacts and families reached by channel (family hub, hublet, bridge, outreach, home visit, online), quarter by quarter.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
-- param: locality VARCHAR a locality (hub network) to restrict to, or '' for the whole council
-- param: service VARCHAR a service code to restrict contacts to, or '' for all services
-- units: quarter = financial-year quarter; contacts = contacts (count); families_reached = distinct families with a contact by that channel in the quarter (count)
-- source: SYNTHETIC service contacts
-- status: synthetic
-- counts: contacts, families_reached
-- totals: quarter
WITH picked AS (
    -- distinct families add up across localities: a family lives in one (warehouse/rollups.sql)
    SELECT r.*
    FROM channel_rollup r
    WHERE r.council_code = $council AND r.quarter_start BETWEEN $period_start AND $period_end
      AND r.service_code = $service AND ($locality = '' OR r.locality = $locality)
),
channels AS (SELECT * FROM (VALUES ('hub', 1), ('hublet', 2), ('bridge', 3), ('outreach', 4), ('home visit', 5), ('online', 6)) c(channel, channel_order)),
quarters AS (SELECT DISTINCT quarter_start FROM picked)
SELECT CASE WHEN month(q.quarter_start) >= 4
            THEN format('{}-{:02d}Q{}', year(q.quarter_start), (year(q.quarter_start) + 1) % 100, (month(q.quarter_start) - 4) // 3 + 1)
            ELSE format('{}-{:02d}Q4', year(q.quarter_start) - 1, year(q.quarter_start) % 100) END AS quarter,
       ch.channel,
       coalesce(sum(p.contacts), 0)::BIGINT AS contacts,
       coalesce(sum(p.families_reached), 0)::BIGINT AS families_reached,
       cell_key(sum(p.contacts_key)) AS contacts_ckey, cell_key(sum(p.families_key)) AS families_reached_ckey
FROM quarters q CROSS JOIN channels ch
LEFT JOIN picked p ON p.quarter_start = q.quarter_start AND p.channel = ch.channel
GROUP BY q.quarter_start, ch.channel, ch.channel_order
ORDER BY q.quarter_start, ch.channel_order
