-- name: return_people
-- answers: For the quarterly return: unique families, children and carers reached in the period, and fathers and male carers, in total and by the age band of the child (0-2 Start for Life, 3-4, 5-11, 12-19, 20-25 SEND).
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
-- units: families, children, carers, fathers = distinct people with at least one contact in the period (count); a child whose birthday moves them between bands in the period counts in both bands, so the bands can add to more than the total
-- source: SYNTHETIC service contacts; people (children and carers)
-- status: synthetic
-- counts: families, children, carers, fathers
-- output: exact
WITH bands AS (SELECT * FROM (VALUES ('all', 0), ('0-2', 1), ('3-4', 2), ('5-11', 3), ('12-19', 4), ('20-25', 5)) b(age_band, band_order))
SELECT b.age_band,
       coalesce(r.families, 0) AS families,
       coalesce(r.children, 0) AS children,
       coalesce(r.carers, 0) AS carers,
       coalesce(r.fathers, 0) AS fathers
FROM bands b
LEFT JOIN people_rollup r ON r.age_band = b.age_band AND r.council_code = $council
      AND r.period_start = $period_start AND r.period_end = $period_end
ORDER BY b.band_order
