-- The Transformation Fund plans, as load/plan.csv.
SELECT council_code, id, indicator, measure, unit, baseline, target, due, plan_start, entered, entered_on, illustrative, note
FROM fund_plan ORDER BY council_code, id
