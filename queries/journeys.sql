-- name: journeys
-- answers: Families' journeys: of the children whose first family hub contact fell in the period, how many went from one stage to the next in the 24 months after that contact (or to the end of follow-up, if sooner), as flows between stages for a Sankey diagram: Family hub, then Referral to children's social care or No referral, then Child in need, Protection plan and Looked after (each where reached, in that order), then Closed or Still open. A lower bound: a child whose social care record is not linked to the hub records shows as No referral. Descriptive, not causal: the usual paths, not what the hubs caused.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period in which the cohort's first contacts fell
-- param: period_end DATE last day of the period in which the cohort's first contacts fell
-- units: source, target = the stages a flow joins: Family hub (every child of the cohort: children born and aged under 18 whose first contact with the council's hubs after birth fell in the period, as step_up), Referral (the child's first referral to the council's children's social care on or after that contact), Child in need, Protection plan, Looked after (the first episode of each kind starting on or after the stage before, in that order; a stage not reached is passed over, so Referral -> Looked after is a child looked after with no episode of need first), Closed (every episode of need, plan and period looked after started since the referral had ended by the end of the child's window; a referral with no episode after it counts as closed) or Still open, and No referral (not referred in the window); the window is the 24 months (730 days) after the first contact, cut short at the end of follow-up (step_up's follow_up_end) or the day before the 18th birthday; early help episodes are not a stage: the warehouse holds them as hub contacts (ssd_early_help_episodes load as contacts); children = children who went from source to target (count), every flow listed in a fixed order whether or not any child took it, so the flows out of a stage add up to the flows into it
-- source: SYNTHETIC service contacts; SYNTHETIC children's social care histories (care_episodes: referrals, episodes of need, protection plans and periods looked after, linked to hub children by person id)
-- status: synthetic
-- counts: children
-- finish: journeys
WITH ends AS (
    -- no referrals held child by child: nobody can be followed (NULL), rather than no one referred
    SELECT follow_up_end($council) AS follow_up_end
),
firsts AS (
    -- each child's first contact after birth with the council's hubs (warehouse/schema.sql)
    SELECT * FROM first_contacts($council)
),
cohort AS (
    -- each child's window: 730 days from the first contact, cut short at the end of follow-up
    -- or the day before the 18th birthday
    SELECT child_id, first_contact, rkey(child_id) AS k,
           least((first_contact + INTERVAL 730 DAY)::DATE, follow_up_end,
                 coalesce((birth_date + INTERVAL 18 YEAR - INTERVAL 1 DAY)::DATE, follow_up_end)) AS window_end
    FROM firsts, ends
    WHERE first_contact BETWEEN $period_start AND $period_end AND follow_up_end IS NOT NULL
),
cohort_in AS (
    SELECT * FROM cohort WHERE first_contact <= window_end
),
episodes AS (
    SELECT c.child_id, e.kind, e.start_date, e.end_date
    FROM cohort_in c JOIN care_episodes e ON e.person_id = c.child_id
    WHERE e.council_code = $council AND e.start_date >= c.first_contact AND e.start_date <= c.window_end
),
referral AS (
    SELECT child_id, min(start_date) AS d FROM episodes WHERE kind = 'referral' GROUP BY child_id
),
in_need AS (
    SELECT r.child_id, min(e.start_date) AS d FROM referral r JOIN episodes e USING (child_id)
    WHERE e.kind = 'in_need' AND e.start_date >= r.d GROUP BY r.child_id
),
plan AS (
    SELECT r.child_id, min(e.start_date) AS d FROM referral r JOIN episodes e USING (child_id) LEFT JOIN in_need n USING (child_id)
    WHERE e.kind = 'protection_plan' AND e.start_date >= coalesce(n.d, r.d) GROUP BY r.child_id
),
looked_after AS (
    SELECT r.child_id, min(e.start_date) AS d FROM referral r JOIN episodes e USING (child_id)
    LEFT JOIN in_need n USING (child_id) LEFT JOIN plan p USING (child_id)
    WHERE e.kind = 'looked_after' AND e.start_date >= coalesce(p.d, n.d, r.d) GROUP BY r.child_id
),
open AS (
    -- referred children with an episode started since the referral and not ended by the window's end
    SELECT DISTINCT r.child_id FROM referral r JOIN episodes e USING (child_id) JOIN cohort_in c USING (child_id)
    WHERE e.kind <> 'referral' AND e.start_date >= r.d AND (e.end_date IS NULL OR e.end_date > c.window_end)
),
paths AS (
    -- each child's stages in order; the list is the whole journey
    SELECT c.child_id, c.k,
           CASE WHEN r.child_id IS NULL THEN ['Family hub', 'No referral']
                ELSE list_filter(['Family hub', 'Referral',
                                  CASE WHEN n.child_id IS NOT NULL THEN 'Child in need' END,
                                  CASE WHEN p.child_id IS NOT NULL THEN 'Protection plan' END,
                                  CASE WHEN l.child_id IS NOT NULL THEN 'Looked after' END,
                                  CASE WHEN o.child_id IS NOT NULL THEN 'Still open' ELSE 'Closed' END], s -> s IS NOT NULL) END AS stages
    FROM cohort_in c
    LEFT JOIN referral r USING (child_id) LEFT JOIN in_need n USING (child_id) LEFT JOIN plan p USING (child_id)
    LEFT JOIN looked_after l USING (child_id) LEFT JOIN open o USING (child_id)
),
steps AS (
    SELECT child_id, k, stages[i] AS source, stages[i + 1] AS target
    FROM paths, range(1, 6) t(i)
    WHERE i < len(stages)
),
stage_order AS (
    SELECT * FROM (VALUES ('Family hub', 0), ('Referral', 1), ('No referral', 7), ('Child in need', 2), ('Protection plan', 3),
                          ('Looked after', 4), ('Closed', 5), ('Still open', 6)) s(stage, o)
),
flows AS (
    -- every flow a journey can take, in a fixed order: from Family hub to Referral or No referral,
    -- and from each stage of need to each later one or to Closed or Still open
    SELECT a.stage AS source, b.stage AS target, a.o AS so, b.o AS tgo
    FROM stage_order a, stage_order b
    WHERE (a.stage = 'Family hub' AND b.stage IN ('Referral', 'No referral'))
       OR (a.o BETWEEN 1 AND 4 AND b.o > a.o AND b.stage <> 'No referral')
)
SELECT f.source, f.target, count(s.child_id) AS children, cell_key(sum(s.k)) AS children_ckey
FROM flows f LEFT JOIN steps s ON s.source = f.source AND s.target = f.target
GROUP BY f.source, f.target, f.so, f.tgo
ORDER BY f.so, f.tgo
