-- name: fund_progress
-- raw: queries/fund_progress.sql asked of raw contacts, with no rollup: the reference its answers are tested against,
--      what `hubs bench` times as plain DuckDB, and the answer for a period the rollups do not keep whole.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period (for measures of reach)
-- param: period_end DATE the day progress is measured at (capped at the end of the data; a milestone about sites at its due date if earlier)
WITH as_of AS (
    SELECT least($period_end::DATE, (SELECT value::DATE FROM metadata WHERE key = 'synthetic_end')) AS day
),
lsoas AS (
    SELECT lsoa21_code, idaci_decile, children_0_19 AS children FROM neighbourhood_profile WHERE council_code = $council
),
period_contacts AS (
    SELECT c.*, l.idaci_decile
    FROM contacts c JOIN lsoas l USING (lsoa21_code)
    WHERE c.council_code = $council AND c.contact_date BETWEEN $period_start AND (SELECT day FROM as_of)
),
achieved AS (
    SELECT 'children_reached' AS measure, count(DISTINCT child_id) FILTER (WHERE age_band <> '20-25')::DOUBLE AS value
        FROM period_contacts
    UNION ALL
    SELECT 'families_reached', count(DISTINCT family_id)::DOUBLE FROM period_contacts
    UNION ALL
    SELECT 'fathers_reached', count(DISTINCT p.person_id)::DOUBLE
        FROM period_contacts c JOIN people p ON p.person_id = c.carer_id
        WHERE p.sex = 'M'
    UNION ALL
    SELECT 'reach_idaci_1_2_per_1000',
           round(count(DISTINCT child_id) FILTER (WHERE idaci_decile <= 2 AND age_band <> '20-25') * 1000.0
                 / nullif((SELECT sum(children) FROM lsoas WHERE idaci_decile <= 2), 0), 1)
        FROM period_contacts
    UNION ALL
    SELECT 'share_reach_idaci_1_2',
           round(100.0 * count(DISTINCT child_id) FILTER (WHERE idaci_decile <= 2 AND age_band <> '20-25')
                 / nullif(count(DISTINCT child_id) FILTER (WHERE age_band <> '20-25'), 0), 1)
        FROM period_contacts
),
-- a milestone about sites is judged on its due date (or now, if that is earlier): "two hubs
-- open at launch" does not count hubs opened later
plan AS (
    SELECT f.*, least(f.due, (SELECT day FROM as_of)) AS site_day FROM fund_plan f WHERE f.council_code = $council
),
site_counts AS (
    SELECT p.id,
           count(*) FILTER (WHERE s.kind = 'hub' AND s.designated <= p.site_day)::DOUBLE AS hubs,
           count(DISTINCT s.locality) FILTER (WHERE s.kind = 'hub' AND s.designated <= p.site_day)::DOUBLE AS networks,
           count(*) FILTER (WHERE s.kind = 'bridge' AND s.designated <= p.site_day)::DOUBLE AS bridges
    FROM plan p LEFT JOIN sites s ON s.council_code = p.council_code
    GROUP BY p.id
)
SELECT f.id, f.indicator, f.measure, f.unit, f.baseline, f.target, f.due, f.plan_start,
       CASE f.measure WHEN 'entered' THEN f.entered
                      WHEN 'family_hubs_designated' THEN sc.hubs
                      WHEN 'hub_networks' THEN sc.networks
                      WHEN 'bridges_designated' THEN sc.bridges
                      ELSE a.value END AS achieved,
       CASE WHEN f.measure = 'entered' THEN f.entered_on
            WHEN f.measure IN ('family_hubs_designated', 'hub_networks', 'bridges_designated') THEN f.site_day
            ELSE (SELECT day FROM as_of) END AS as_of,
       f.illustrative, f.note
FROM plan f
LEFT JOIN site_counts sc ON sc.id = f.id
LEFT JOIN achieved a ON a.measure = f.measure
ORDER BY f.id
