-- name: fund_progress
-- answers: How the council's Family Hubs Transformation Fund plan stands: each indicator's baseline, target and due date against what was achieved by the end of the period, with a red / amber / green status by a written rule.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period (for measures of reach)
-- param: period_end DATE the day progress is measured at (capped at the end of the data; a milestone about sites at its due date if earlier)
-- units: baseline, target, achieved = in the indicator's unit (counts of sites, localities, children, families or fathers; reach per 1,000 children; percent of children reached); progress = share of the way from baseline to target achieved (0-1 or more); expected = share expected by now on a straight line from plan start to due date (0-1); status = green, amber or red
-- source: council network file (plan); sites; SYNTHETIC service contacts; IoD2025 IDACI deciles; ONS mid-2020 population
-- status: synthetic, real, illustrative
-- finish: fund
WITH as_of AS (
    SELECT least($period_end::DATE, (SELECT value::DATE FROM metadata WHERE key = 'synthetic_end')) AS day
),
lsoas AS (
    SELECT lsoa21_code, idaci_decile, children_0_19 AS children FROM neighbourhood_profile WHERE council_code = $council
),
-- reach in the period by home LSOA; the rollups end with the data, as as_of does
reach AS (
    SELECT r.children_reached, r.families_reached, l.idaci_decile
    FROM reach_rollup r JOIN lsoas l USING (lsoa21_code)
    WHERE r.council_code = $council AND r.period_start = $period_start AND r.period_end = $period_end
      AND r.service_code = ''
),
achieved AS (
    SELECT 'children_reached' AS measure, coalesce(sum(children_reached), 0)::DOUBLE AS value FROM reach
    UNION ALL
    SELECT 'families_reached', coalesce(sum(families_reached), 0)::DOUBLE FROM reach
    UNION ALL
    SELECT 'fathers_reached', coalesce(max(fathers), 0)::DOUBLE
        FROM people_rollup
        WHERE council_code = $council AND period_start = $period_start AND period_end = $period_end AND age_band = 'all'
    UNION ALL
    SELECT 'reach_idaci_1_2_per_1000',
           round(coalesce(sum(children_reached) FILTER (WHERE idaci_decile <= 2), 0) * 1000.0
                 / nullif((SELECT sum(children) FROM lsoas WHERE idaci_decile <= 2), 0), 1)
        FROM reach
    UNION ALL
    SELECT 'share_reach_idaci_1_2',
           round(100.0 * coalesce(sum(children_reached) FILTER (WHERE idaci_decile <= 2), 0)
                 / nullif(coalesce(sum(children_reached), 0), 0), 1)
        FROM reach
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
