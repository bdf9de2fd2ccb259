-- name: fund_progress
-- raw: queries/fund_progress.sql asked of raw contacts, with no rollup: the reference its answers are tested against,
--      what `hubs bench` times as plain DuckDB, and the answer for a period the rollups do not keep whole.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period viewed (a line measured over exactly the period viewed names it plainly)
-- param: period_end DATE last day of the period viewed (capped at the end of the data): each line is measured over its own period ending on or before it; a milestone about sites at its due date if earlier
WITH bounds AS (
    SELECT least($period_end::DATE, (SELECT value::DATE FROM metadata WHERE key = 'synthetic_end')) AS day,
           (SELECT value::DATE FROM metadata WHERE key = 'synthetic_start') AS first_day
),
-- the latest complete financial year and quarter ending on or before that day
latest AS (
    SELECT day, first_day,
           make_date(year(day + 1) - CASE WHEN month(day + 1) < 4 THEN 1 ELSE 0 END, 4, 1) - 1 AS year_end,
           date_trunc('quarter', day + 1)::DATE - 1 AS quarter_end
    FROM bounds
),
lsoas AS (
    SELECT lsoa21_code, idaci_decile, children_0_19 AS children FROM neighbourhood_profile WHERE council_code = $council
),
resident_1_2 AS (
    SELECT p.mid_year, sum(p.children_0_19) AS children
    FROM neighbourhood_profile n JOIN neighbourhood_population p USING (lsoa21_code)
    WHERE n.council_code = $council AND n.idaci_decile <= 2
    GROUP BY p.mid_year
),
-- a line with no period of its own (a plan loaded from plan.csv) takes its measure's default,
-- as councils.DefaultPeriod
plan AS (
    SELECT f.*, coalesce(p.period, CASE WHEN f.measure IN ('family_hubs_designated', 'hub_networks', 'bridges_designated',
                                                           'share_0_4_idaci_1_2_near_hub', 'entered') THEN 'on the day'
                                        WHEN f.measure = 'gld_percent' THEN 'academic year'
                                        ELSE 'financial year' END) AS period,
           coalesce(p.programme, 'transformation_fund') AS programme
    FROM fund_plan f LEFT JOIN fund_plan_period p USING (council_code, id, measure)
    WHERE f.council_code = $council
),
-- a published outcome by academic year (GLD): the latest academic year ending (31 August) by the
-- day whose figure DfE has published for the council
gld AS (
    SELECT make_date(e.year, 8, 31) AS year_end, e.period AS academic_year, e.value
    FROM early_years e
    WHERE e.indicator = 'gld' AND e.area_code = $council AND e.value IS NOT NULL
),
-- each line's span: a whole financial year or quarter, the plan's start to the day, or the day
-- (a milestone about sites is judged on its due date if that is earlier: "two hubs open at
-- launch" does not count hubs opened later)
spans AS (
    SELECT p.*, l.day, l.first_day,
           CASE p.period WHEN 'financial year' THEN (l.year_end + 1 - INTERVAL 1 YEAR)::DATE
                         WHEN 'quarter' THEN (l.quarter_end + 1 - INTERVAL 3 MONTH)::DATE
                         WHEN 'to date' THEN p.plan_start
                         WHEN 'academic year' THEN (SELECT max(year_end) FROM gld WHERE year_end <= l.day) - INTERVAL 1 YEAR + INTERVAL 1 DAY
                         END::DATE AS span_start,
           CASE p.period WHEN 'financial year' THEN l.year_end
                         WHEN 'quarter' THEN l.quarter_end
                         WHEN 'to date' THEN l.day
                         WHEN 'academic year' THEN (SELECT max(year_end) FROM gld WHERE year_end <= l.day)
                         ELSE CASE WHEN p.measure = 'entered' THEN l.day ELSE least(p.due, l.day) END END AS span_end
    FROM plan p, latest l
),
-- a span is measured when the data hold all of it and it ends once the plan has begun (an
-- academic year's outcome when DfE has published one for a year ending once the plan has begun)
judged AS (
    SELECT *, CASE WHEN period = 'on the day' THEN true
                   WHEN period = 'academic year' THEN coalesce(span_end >= plan_start, false)
                   ELSE span_start >= first_day AND span_end >= plan_start END AS measured,
           strftime(day, '%-d %B %Y') AS day_words
    FROM spans
),
wanted AS (
    SELECT DISTINCT council_code, period, span_start, span_end FROM judged WHERE measured AND period NOT IN ('on the day', 'academic year')
),
-- every span is counted from contacts: a whole financial year or quarter as the rollups keep
-- it, or the plan's start to the day
span_contacts AS (
    SELECT w.period, w.span_start, w.span_end, c.child_id, c.family_id, c.carer_id, c.age_band, l.idaci_decile,
           -- a child reached is born and aged 0-19 on the contact's day (warehouse/rollups.sql)
           c.age_band <> '20-25' AND NOT before_birth(c.contact_date, k.birth_date) AS reached
    FROM wanted w
    JOIN contacts c ON c.council_code = w.council_code AND c.contact_date BETWEEN w.span_start AND w.span_end
    JOIN lsoas l ON l.lsoa21_code = c.lsoa21_code
    LEFT JOIN (SELECT p.person_id, p.birth_date FROM people p JOIN families f USING (family_id)
               WHERE f.council_code = $council) k ON k.person_id = c.child_id
),
reach AS (
    SELECT w.period, w.span_start, w.span_end,
           count(DISTINCT c.child_id) FILTER (WHERE c.reached) AS children,
           count(DISTINCT c.family_id) AS families,
           count(DISTINCT c.child_id) FILTER (WHERE c.reached AND c.idaci_decile <= 2) AS children_1_2,
           cell_key(sum(DISTINCT rkey(c.child_id)) FILTER (WHERE c.reached)) AS children_ckey,
           cell_key(sum(DISTINCT rkey(c.family_id))) AS families_ckey,
           cell_key(sum(DISTINCT rkey(c.child_id)) FILTER (WHERE c.reached AND c.idaci_decile <= 2)) AS children_1_2_ckey
    FROM wanted w LEFT JOIN span_contacts c USING (period, span_start, span_end)
    GROUP BY ALL
),
fathers AS (
    SELECT w.period, w.span_start, w.span_end, count(DISTINCT p.person_id) AS fathers,
           cell_key(sum(DISTINCT rkey(p.person_id))) AS fathers_ckey
    FROM wanted w LEFT JOIN span_contacts c USING (period, span_start, span_end)
    LEFT JOIN people p ON p.person_id = c.carer_id AND p.sex = 'M'
    GROUP BY ALL
),
achieved AS (
    SELECT r.period, r.span_start, r.span_end,
           r.children::DOUBLE AS children_reached,
           r.families::DOUBLE AS families_reached,
           f.fathers::DOUBLE AS fathers_reached,
           round(r.children_1_2::DOUBLE * 1000 / nullif(s.children, 0), 1)
               AS reach_idaci_1_2_per_1000,
           round(100 * r.children_1_2::DOUBLE / nullif(r.children, 0), 1) AS share_reach_idaci_1_2,
           r.children, r.children_ckey, r.families, r.families_ckey, f.fathers, f.fathers_ckey, r.children_1_2, r.children_1_2_ckey,
           s.children::BIGINT AS resident_1_2
    FROM reach r JOIN fathers f USING (period, span_start, span_end)
    -- children 0-19 in IDACI deciles 1-2 at the previous mid-year of the financial year the span starts in
    LEFT JOIN denominator_years dy ON dy.year_start = fy_year(r.span_start::DATE)
    LEFT JOIN resident_1_2 s ON s.mid_year = dy.mid_year
),
site_counts AS (
    SELECT j.id,
           count(*) FILTER (WHERE s.kind = 'hub' AND s.designated <= j.span_end)::DOUBLE AS hubs,
           count(DISTINCT s.locality) FILTER (WHERE s.kind = 'hub' AND s.designated <= j.span_end)::DOUBLE AS networks,
           count(*) FILTER (WHERE s.kind = 'bridge' AND s.designated <= j.span_end)::DOUBLE AS bridges
    FROM judged j LEFT JOIN sites s ON s.council_code = j.council_code
    GROUP BY j.id
),
-- children aged 0-4 (ONS mid-2020) in the council's IDACI deciles 1-2 whose neighbourhood's centre
-- lies within 2 km (haversine) of a family hub open on the line's day: access_coverage's
-- share_within_2km for ages 0-4, hubs, deciles 1-2 (access_deprived, the macro the next-hub questions read)
near_hub AS (
    SELECT j.id,
           round(100 * coalesce(sum(d.children_0_4) FILTER (WHERE d.covered), 0)::DOUBLE / nullif(sum(d.children_0_4), 0), 1) AS share
    FROM judged j, access_deprived($council, j.span_end) d
    WHERE j.measure = 'share_0_4_idaci_1_2_near_hub'
    GROUP BY j.id
)
SELECT j.id, j.programme, j.indicator, j.measure, j.period, j.unit, j.baseline, j.target, j.due, j.plan_start,
       CASE WHEN NOT j.measured THEN NULL
            -- an entered value counts from the day it was entered
            WHEN j.measure = 'entered' THEN CASE WHEN j.entered_on <= j.span_end THEN j.entered ELSE j.baseline END
            WHEN j.measure = 'family_hubs_designated' THEN sc.hubs
            WHEN j.measure = 'hub_networks' THEN sc.networks
            WHEN j.measure = 'bridges_designated' THEN sc.bridges
            WHEN j.measure = 'children_reached' THEN a.children_reached
            WHEN j.measure = 'families_reached' THEN a.families_reached
            WHEN j.measure = 'fathers_reached' THEN a.fathers_reached
            WHEN j.measure = 'reach_idaci_1_2_per_1000' THEN a.reach_idaci_1_2_per_1000
            WHEN j.measure = 'share_reach_idaci_1_2' THEN a.share_reach_idaci_1_2
            WHEN j.measure = 'gld_percent' THEN (SELECT value FROM gld WHERE year_end = j.span_end)
            WHEN j.measure = 'share_0_4_idaci_1_2_near_hub' THEN nh.share END AS achieved,
       CASE WHEN j.period IN ('financial year', 'quarter') AND NOT j.measured
                THEN 'no complete ' || j.period
                     || CASE WHEN j.span_start < j.first_day THEN ' of data'
                             ELSE ' since the plan began (' || strftime(j.plan_start, '%-d %B %Y') || ')' END
                     || ' by ' || j.day_words
            WHEN j.period = 'academic year' AND NOT j.measured
                THEN 'no academic year published since the plan began (' || strftime(j.plan_start, '%-d %B %Y') || ') by ' || j.day_words
            WHEN j.period = 'to date' AND NOT j.measured
                THEN CASE WHEN j.day < j.plan_start THEN 'nothing to date: the plan begins ' || strftime(j.plan_start, '%-d %B %Y')
                          ELSE 'not measurable to date: the data begin ' || strftime(j.first_day, '%-d %B %Y')
                               || ', after the plan began' END
            WHEN j.period = 'financial year'
                THEN format('{}-{:02d}', year(j.span_start), (year(j.span_start) + 1) % 100)
                     || CASE WHEN j.span_start = $period_start::DATE AND j.span_end = $period_end::DATE THEN ''
                             ELSE ', the latest complete financial year by ' || j.day_words END
            WHEN j.period = 'quarter'
                THEN format('{}-{:02d}Q{}', year(j.span_start) - CASE WHEN month(j.span_start) < 4 THEN 1 ELSE 0 END,
                            (year(j.span_start) + CASE WHEN month(j.span_start) < 4 THEN 0 ELSE 1 END) % 100,
                            (month(j.span_start) + 8) % 12 // 3 + 1)
                     || CASE WHEN j.span_start = $period_start::DATE AND j.span_end = $period_end::DATE THEN ''
                             ELSE ', the latest complete quarter by ' || j.day_words END
            WHEN j.period = 'to date' THEN strftime(j.span_start, '%-d %B %Y') || ' to ' || j.day_words
            WHEN j.period = 'academic year'
                THEN (SELECT academic_year FROM gld WHERE year_end = j.span_end) || ', the latest academic year DfE has published by ' || j.day_words
            WHEN j.measure = 'entered'
                THEN j.day_words || CASE WHEN j.entered_on <= j.span_end THEN ' (as entered ' || strftime(j.entered_on, '%-d %B %Y') || ')'
                                         ELSE ' (nothing entered by then)' END
            WHEN j.span_end < j.day THEN strftime(j.span_end, '%-d %B %Y') || ', its due date'
            ELSE j.day_words END AS measured_for,
       CASE WHEN j.measured THEN j.span_end END AS as_of,
       j.illustrative, j.note,
       -- the count a line about children, families or fathers is measured by, with its cell key, so
       -- that what is published is the protected count (and a rate or share is built from
       -- protected counts): the numerator, and for a share its base
       CASE WHEN NOT j.measured THEN NULL
            WHEN j.measure = 'children_reached' THEN a.children
            WHEN j.measure = 'families_reached' THEN a.families
            WHEN j.measure = 'fathers_reached' THEN a.fathers
            WHEN j.measure IN ('reach_idaci_1_2_per_1000', 'share_reach_idaci_1_2') THEN a.children_1_2 END::BIGINT AS achieved_count,
       CASE WHEN j.measure = 'children_reached' THEN a.children_ckey
            WHEN j.measure = 'families_reached' THEN a.families_ckey
            WHEN j.measure = 'fathers_reached' THEN a.fathers_ckey
            WHEN j.measure IN ('reach_idaci_1_2_per_1000', 'share_reach_idaci_1_2') THEN a.children_1_2_ckey END AS achieved_count_ckey,
       CASE WHEN j.measured AND j.measure = 'share_reach_idaci_1_2' THEN a.children END::BIGINT AS achieved_base,
       CASE WHEN j.measure = 'share_reach_idaci_1_2' THEN a.children_ckey END AS achieved_base_ckey,
       CASE WHEN j.measure = 'reach_idaci_1_2_per_1000' THEN a.resident_1_2 END AS resident_1_2
FROM judged j
LEFT JOIN site_counts sc ON sc.id = j.id
LEFT JOIN near_hub nh ON nh.id = j.id
LEFT JOIN achieved a ON a.period = j.period AND a.span_start = j.span_start AND a.span_end = j.span_end
ORDER BY j.id
