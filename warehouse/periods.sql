-- periods.sql: run once before the rollups of any council are rebuilt (rollups.sql, a council at a
-- time). Defines how a day maps to its financial year and a period to its last day, and lists in
-- rollup_periods the periods the rollups keep whole: every financial-year quarter and financial
-- year from the first contact to the last, whichever council's.
CREATE OR REPLACE TEMP MACRO fy_start(d) AS make_date(year(d) - CASE WHEN month(d) < 4 THEN 1 ELSE 0 END, 4, 1);
CREATE OR REPLACE TEMP MACRO period_end(s, grain) AS
    (CASE grain WHEN 'quarter' THEN s + INTERVAL 3 MONTH ELSE s + INTERVAL 1 YEAR END - INTERVAL 1 DAY)::DATE;
-- the periods a rebuild is limited to (empty: every period), and whether a period is one of them
-- (its columns are named apart from every rollup's, so the macro's arguments cannot bind to them)
CREATE TEMP TABLE IF NOT EXISTS rollup_only (only_start DATE, only_end DATE);
CREATE OR REPLACE TEMP MACRO rebuilding(s, e) AS
    (NOT EXISTS (SELECT 1 FROM rollup_only) OR EXISTS (SELECT 1 FROM rollup_only o WHERE o.only_start = s AND o.only_end = e));

DELETE FROM rollup_periods;
INSERT INTO rollup_periods
WITH span AS (SELECT min(contact_date) AS first_day, max(contact_date) AS last_day FROM contacts),
quarters AS (
    SELECT q::DATE AS q FROM span, range(date_trunc('quarter', first_day), last_day + 1, INTERVAL 3 MONTH) t(q)
    WHERE first_day IS NOT NULL
)
SELECT DISTINCT period_start, period_end(period_start, grain), grain
FROM (SELECT q AS period_start, 'quarter' AS grain FROM quarters UNION ALL SELECT fy_start(q), 'year' FROM quarters)
ORDER BY 1, 3;

