-- name: step_up_by_group
-- answers: step_up by group: of the children whose first family hub contact fell in the period, the share referred to children's social care within 6, 12 and 24 months of that first contact (Kaplan-Meier, as step_up), for the whole council and by the IDACI quintile and the locality of the family's home at that first contact, the child's age band then and the service of that contact. Descriptive, not causal: the groups are not compared as if a difference between them were the hubs' effect.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period in which the cohort's first contacts fell
-- param: period_end DATE last day of the period in which the cohort's first contacts fell
-- units: breakdown = council (the whole cohort, the same children and counts as step_up), idaci_quintile, locality, age_band or service; category = all (the council), the IDACI quintile of the family's home LSOA at the first contact (1 = most deprived 20% nationally, IoD2025, from its deciles; 'not known' without one), its locality ('not known' when the neighbourhood has none), the child's age band at the first contact (0-2, 3-4, 5-11, 12-19) or that contact's service (service_code; the first by contact id when a child had several that day); each child is in exactly one category of each breakdown, so a breakdown's rows add up to the council's; months, days, cohort, followed, events, cumulative_incidence and follow_up_end as step_up: cohort = children of the group (count); followed = of them, children still followed, not referred or censored before that day (count); events = of them, children referred within that many days (count); cumulative_incidence = the Kaplan-Meier probability of having been referred by that day, %, with 95% limits (log-log, Greenwood's variance)
-- source: SYNTHETIC service contacts; SYNTHETIC children's social care histories (care_episodes: referrals, linked to hub children by person id); council network file (localities); IoD2025
-- status: synthetic, real, illustrative
-- counts: cohort, followed, events
-- finish: step_up
WITH ends AS (
    -- no referrals held child by child: nobody can be followed (NULL), rather than no one referred
    SELECT follow_up_end($council) AS follow_up_end
),
firsts AS (
    -- each child's first contact after birth with the council's hubs (warehouse/schema.sql)
    SELECT * FROM first_contacts($council)
),
cohort AS (
    SELECT f.child_id, f.first_contact, f.lsoa21_code, f.age_band, f.service_code,
           least(e.follow_up_end, coalesce((f.birth_date + INTERVAL 18 YEAR - INTERVAL 1 DAY)::DATE, e.follow_up_end)) AS last_day
    FROM firsts f, ends e
    WHERE f.first_contact BETWEEN $period_start AND $period_end AND e.follow_up_end IS NOT NULL
),
referred AS (
    SELECT c.child_id, min(r.start_date) AS referral_date
    FROM cohort c JOIN care_episodes r ON r.person_id = c.child_id
    WHERE r.council_code = $council AND r.kind = 'referral'
      AND r.start_date >= c.first_contact AND r.start_date <= c.last_day
    GROUP BY c.child_id
),
followed AS (
    SELECT c.child_id, rkey(c.child_id) AS k, r.referral_date IS NOT NULL AS event,
           datediff('day', c.first_contact, coalesce(r.referral_date, c.last_day)) AS days,
           coalesce(((d.idaci_decile + 1) // 2)::VARCHAR, 'not known') AS quintile,
           coalesce(n.locality, 'not known') AS locality, c.age_band, c.service_code
    FROM cohort c LEFT JOIN referred r USING (child_id)
    LEFT JOIN neighbourhoods n ON n.lsoa21_code = c.lsoa21_code
    LEFT JOIN deprivation d ON d.lsoa21_code = c.lsoa21_code AND d.edition = 'IoD2025'
    WHERE c.first_contact <= c.last_day
),
grouped AS (
    -- each child once in each breakdown
    SELECT 'council' AS breakdown, 'all' AS category, * FROM followed
    UNION ALL SELECT 'idaci_quintile', quintile, * FROM followed
    UNION ALL SELECT 'locality', locality, * FROM followed
    UNION ALL SELECT 'age_band', age_band, * FROM followed
    UNION ALL SELECT 'service', service_code, * FROM followed
),
parts AS (
    -- every row shown whether or not a child of the cohort is in it: the council, the five
    -- quintiles, the council's localities, the four age bands, and any other category a child has
    SELECT 'council' AS breakdown, 'all' AS category, 0 AS o
    UNION SELECT 'idaci_quintile', q::VARCHAR, 1 FROM range(1, 6) t(q)
    UNION SELECT DISTINCT 'locality', locality, 2 FROM neighbourhoods WHERE council_code = $council AND locality IS NOT NULL
    UNION SELECT 'age_band', a, 3 FROM (VALUES ('0-2'), ('3-4'), ('5-11'), ('12-19')) b(a)
    UNION SELECT DISTINCT breakdown, category, CASE breakdown WHEN 'idaci_quintile' THEN 1 WHEN 'locality' THEN 2
                 WHEN 'age_band' THEN 3 ELSE 4 END FROM grouped WHERE breakdown <> 'council'
),
curves AS (
    -- the counts per day of follow-up of each group, the only detail the Kaplan-Meier estimate
    -- needs: no child-level row leaves the question
    SELECT breakdown, category, list(days ORDER BY days) AS curve_days,
           list(events ORDER BY days) AS curve_events, list(censored ORDER BY days) AS curve_censored
    FROM (SELECT breakdown, category, days, count(*) FILTER (WHERE event) AS events, count(*) FILTER (WHERE NOT event) AS censored
          FROM grouped GROUP BY breakdown, category, days)
    GROUP BY breakdown, category
),
horizons AS (
    SELECT * FROM (VALUES (6, 182), (12, 365), (24, 730)) h(months, days)
),
counted AS (
    SELECT p.breakdown, p.category, p.o, h.months, h.days,
           count(g.child_id) AS cohort, cell_key(sum(g.k)) AS cohort_ckey,
           count(g.child_id) FILTER (WHERE g.days >= h.days) AS followed,
           cell_key(sum(g.k) FILTER (WHERE g.days >= h.days)) AS followed_ckey,
           count(g.child_id) FILTER (WHERE g.event AND g.days <= h.days) AS events,
           cell_key(sum(g.k) FILTER (WHERE g.event AND g.days <= h.days)) AS events_ckey
    FROM parts p CROSS JOIN horizons h
    LEFT JOIN grouped g ON g.breakdown = p.breakdown AND g.category = p.category
    GROUP BY p.breakdown, p.category, p.o, h.months, h.days
)
SELECT n.breakdown, n.category, n.months, n.days, n.cohort, n.cohort_ckey, n.followed, n.followed_ckey, n.events, n.events_ckey,
       coalesce(c.curve_days, []) AS curve_days, coalesce(c.curve_events, []) AS curve_events,
       coalesce(c.curve_censored, []) AS curve_censored, e.follow_up_end
FROM counted n CROSS JOIN ends e
LEFT JOIN curves c ON c.breakdown = n.breakdown AND c.category = n.category
ORDER BY n.o, n.category = 'not known',
         CASE n.category WHEN '0-2' THEN 0 WHEN '3-4' THEN 1 WHEN '5-11' THEN 2 WHEN '12-19' THEN 3 END, n.category, n.days
