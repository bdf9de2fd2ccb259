-- name: channel_mix
-- raw: queries/channel_mix.sql asked of raw contacts, with no rollup: the reference its answers are tested against,
--      what `hubs bench` times as plain DuckDB, and the answer for a period the rollups do not keep whole.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
-- param: locality VARCHAR a locality (hub network) to restrict to, or '' for the whole council
-- param: service VARCHAR a service code to restrict contacts to, or '' for all services
WITH picked AS (
    SELECT c.*, date_trunc('quarter', c.contact_date)::DATE AS quarter_start
    FROM contacts c
    WHERE c.council_code = $council AND c.contact_date BETWEEN $period_start AND $period_end
      AND ($service = '' OR c.service_code = $service)
      AND ($locality = '' OR c.lsoa21_code IN (SELECT lsoa21_code FROM neighbourhoods WHERE council_code = $council AND locality = $locality))
),
channels AS (SELECT * FROM (VALUES ('hub', 1), ('hublet', 2), ('bridge', 3), ('outreach', 4), ('home visit', 5), ('online', 6)) c(channel, channel_order)),
quarters AS (SELECT DISTINCT quarter_start FROM picked)
SELECT CASE WHEN month(q.quarter_start) >= 4
            THEN format('{}-{:02d}Q{}', year(q.quarter_start), (year(q.quarter_start) + 1) % 100, (month(q.quarter_start) - 4) // 3 + 1)
            ELSE format('{}-{:02d}Q4', year(q.quarter_start) - 1, year(q.quarter_start) % 100) END AS quarter,
       ch.channel,
       count(p.contact_id) AS contacts,
       count(DISTINCT p.family_id) AS families_reached,
       cell_key(sum(rkey(p.contact_id))) AS contacts_ckey, cell_key(sum(DISTINCT rkey(p.family_id))) AS families_reached_ckey
FROM quarters q CROSS JOIN channels ch
LEFT JOIN picked p ON p.quarter_start = q.quarter_start AND p.channel = ch.channel
GROUP BY q.quarter_start, ch.channel, ch.channel_order
ORDER BY q.quarter_start, ch.channel_order
