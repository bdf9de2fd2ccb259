-- name: step_up
-- answers: Of the children whose first family hub contact fell in the period, the share referred to children's social care within 6, 12 and 24 months of that first contact, by the Kaplan-Meier method so that children not yet followed that long count for as long as they were followed: cumulative incidence with 95% limits, the cohort, the children still followed and the children referred. Descriptive, not causal: these children are not compared with children not helped.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period in which the cohort's first contacts fell
-- param: period_end DATE last day of the period in which the cohort's first contacts fell
-- units: months, days = the time since the first contact (6, 12, 24 months = 182, 365, 730 days); cohort = children born and aged under 18 whose first contact with the council's hubs after birth (the first since the records begin, April 2019) fell in the period, on or before the end of follow-up (count); followed = children of the cohort still followed, not referred or censored before that day (count); events = children of the cohort whose first referral to the council's children's social care on or after their first contact came within that many days (a referral before the first contact is not an event; count); cumulative_incidence = the Kaplan-Meier probability of having been referred by that day, %, with 95% limits (log-log, Greenwood's variance); follow_up_end = the last day followed: the earlier of the data end (metadata synthetic_end) and the end of the care records (the 31 March ending the financial year of their last referral); each child is censored there or at their 18th birthday; NULL, and no cohort, when the warehouse holds no referral of the council's child by child
-- source: SYNTHETIC service contacts; SYNTHETIC children's social care histories (care_episodes: referrals, linked to hub children by person id)
-- status: synthetic
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
    -- followed to the end of follow-up or the day before the 18th birthday, whichever is first
    SELECT f.child_id, f.first_contact,
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
           datediff('day', c.first_contact, coalesce(r.referral_date, c.last_day)) AS days
    FROM cohort c LEFT JOIN referred r USING (child_id)
    WHERE c.first_contact <= c.last_day
),
curve AS (
    -- the counts per day of follow-up, the only detail the Kaplan-Meier estimate needs: no
    -- child-level row leaves the question
    SELECT coalesce(list(days ORDER BY days), []) AS curve_days,
           coalesce(list(events ORDER BY days), []) AS curve_events,
           coalesce(list(censored ORDER BY days), []) AS curve_censored
    FROM (SELECT days, count(*) FILTER (WHERE event) AS events, count(*) FILTER (WHERE NOT event) AS censored
          FROM followed GROUP BY days)
),
horizons AS (
    SELECT * FROM (VALUES (6, 182), (12, 365), (24, 730)) h(months, days)
),
counted AS (
    SELECT h.months, h.days,
           count(f.child_id) AS cohort, cell_key(sum(f.k)) AS cohort_ckey,
           count(f.child_id) FILTER (WHERE f.days >= h.days) AS followed,
           cell_key(sum(f.k) FILTER (WHERE f.days >= h.days)) AS followed_ckey,
           count(f.child_id) FILTER (WHERE f.event AND f.days <= h.days) AS events,
           cell_key(sum(f.k) FILTER (WHERE f.event AND f.days <= h.days)) AS events_ckey
    FROM horizons h LEFT JOIN followed f ON true
    GROUP BY h.months, h.days
)
SELECT n.months, n.days, n.cohort, n.cohort_ckey, n.followed, n.followed_ckey, n.events, n.events_ckey,
       c.curve_days, c.curve_events, c.curve_censored, e.follow_up_end
FROM counted n, curve c, ends e
ORDER BY n.days
