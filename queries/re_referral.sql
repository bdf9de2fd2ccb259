-- name: re_referral
-- answers: Re-referrals to children's social care as DfE defines them: of the referrals in the period, how many and what share came within 12 months of a previous referral of the same child. And step-down: of the episodes of need closed in the period to early help (CIN census reason RC9) or followed by a contact with the council's family hubs within 90 days, how many and what share were referred again within 12 months of the closure, counting only closures followed for 12 months, with the closures left out for shorter follow-up. Descriptive, not causal.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period in which the referrals fell or the episodes closed
-- param: period_end DATE last day of the period in which the referrals fell or the episodes closed
-- units: measure = re_referral (DfE's: referrals) or step_down (episodes of need closed); route = all, or for step-down closed to early help (RC9, whether or not a hub contact followed) or a hub contact only (closed otherwise, then a contact with the council's hubs 0 to 90 days after the closure, which needs the child linked to the hub records); cases = re_referral: referrals of the council's children in the period (a child referred twice counts twice, as DfE counts); step_down: episodes of need closed in the period to early help or with a hub contact after, followed for 12 months after the closure (count); re_referred = re_referral: those within 12 months of a previous referral of the same child by the council (a previous referral before the care records begin is not seen, so the first year held reads low); step_down: those with a referral of the same child 1 day to 12 months after the closure (count); short_follow_up = step-down closures left out because the 12 months after the closure run past the end of follow-up (count; NULL for re_referral); share_re_referred = re_referred / cases, % (95% limits); follow_up_end = the last day followed, as for step_up: the earlier of the data end (metadata synthetic_end) and the 31 March ending the financial year of the council's last referral; NULL when the warehouse holds no referral of the council's child by child
-- source: SYNTHETIC service contacts; SYNTHETIC children's social care histories (care_episodes: referrals and episodes of need, with CIN census closure reasons, linked to hub children by person id)
-- status: synthetic
-- counts: cases, re_referred, short_follow_up
-- proportion: share_re_referred = re_referred / cases * 100
WITH ends AS (
    -- no referrals held child by child: nobody can be followed (NULL), rather than no one referred
    SELECT follow_up_end($council) AS follow_up_end
),
referrals AS (
    SELECT care_id, start_date FROM care_episodes WHERE council_code = $council AND kind = 'referral'
),
in_period AS (
    -- each referral is a record of its own: its key is the child's social care id and the day
    SELECT rkey(r.care_id || '|referral|' || r.start_date::VARCHAR) AS k,
           EXISTS (SELECT 1 FROM referrals p WHERE p.care_id = r.care_id AND p.start_date < r.start_date
                   AND p.start_date >= r.start_date - INTERVAL 12 MONTH) AS again
    FROM referrals r
    WHERE r.start_date BETWEEN $period_start AND $period_end
),
closures AS (
    SELECT e.care_id, e.end_date, rkey(e.care_id || '|in_need|' || e.start_date::VARCHAR) AS k,
           coalesce(e.end_reason = 'RC9', false) AS to_early_help,
           EXISTS (SELECT 1 FROM contacts c WHERE c.child_id = e.person_id AND c.council_code = $council
                   AND c.contact_date >= e.end_date AND c.contact_date <= e.end_date + INTERVAL 90 DAY) AS hub_after
    FROM care_episodes e
    WHERE e.council_code = $council AND e.kind = 'in_need' AND e.end_date BETWEEN $period_start AND $period_end
),
stepped AS (
    SELECT c.k, CASE WHEN c.to_early_help THEN 'closed to early help (RC9)' ELSE 'hub contact only' END AS route,
           coalesce((c.end_date + INTERVAL 12 MONTH)::DATE <= e.follow_up_end, false) AS followed,
           EXISTS (SELECT 1 FROM referrals r WHERE r.care_id = c.care_id AND r.start_date > c.end_date
                   AND r.start_date <= c.end_date + INTERVAL 12 MONTH) AS again
    FROM closures c, ends e
    WHERE c.to_early_help OR c.hub_after
),
routes AS (
    SELECT * FROM (VALUES ('all', 1), ('closed to early help (RC9)', 2), ('hub contact only', 3)) r(route, o)
),
step_down AS (
    SELECT 'step_down' AS measure, r.route, r.o,
           count(s.k) FILTER (WHERE s.followed) AS cases, cell_key(sum(s.k) FILTER (WHERE s.followed)) AS cases_ckey,
           count(s.k) FILTER (WHERE s.followed AND s.again) AS re_referred,
           cell_key(sum(s.k) FILTER (WHERE s.followed AND s.again)) AS re_referred_ckey,
           count(s.k) FILTER (WHERE NOT s.followed) AS short_follow_up, cell_key(sum(s.k) FILTER (WHERE NOT s.followed)) AS short_follow_up_ckey
    FROM routes r LEFT JOIN stepped s ON r.route = 'all' OR s.route = r.route
    GROUP BY r.route, r.o
),
re_referral AS (
    SELECT 're_referral' AS measure, 'all' AS route, 0 AS o,
           count(*) AS cases, cell_key(sum(k)) AS cases_ckey,
           count(*) FILTER (WHERE again) AS re_referred, cell_key(sum(k) FILTER (WHERE again)) AS re_referred_ckey,
           NULL::BIGINT AS short_follow_up, NULL::BIGINT AS short_follow_up_ckey
    FROM in_period
)
SELECT a.measure, a.route, a.cases, a.cases_ckey, a.re_referred, a.re_referred_ckey, a.short_follow_up, a.short_follow_up_ckey,
       e.follow_up_end
FROM (SELECT * FROM re_referral UNION ALL SELECT * FROM step_down) a, ends e
ORDER BY a.o
