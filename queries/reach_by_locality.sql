-- name: reach_by_locality
-- answers: How reach differs between the council's localities (hub networks): children and families reached in the period, children resident and the reach rate per 1,000 with its 95% confidence interval, how deprived each locality is, and whether its reach is better, similar or worse than the council's.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_start DATE first day of the period
-- param: period_end DATE last day of the period
-- units: children_reached = distinct children born and aged 0-19 with a contact in the period after birth (unborn children, seen antenatally, are not counted: no resident count holds them) (count); families_reached = distinct families with any contact in the period (count); children_resident = residents aged 0-19 at the previous mid-year of the period's financial year (its first day's; the latest, mid-2024, for years beyond the estimates) (count); share_children_idaci_1_2 = proportion of the locality's children living in IDACI deciles 1-2 (0-1); reach_per_1000 = children reached per 1,000 resident (rate, 95% limits); council_reach_per_1000 = the whole council's rate; vs_council = better / similar / worse than the council (higher reach is better; 95% interval against the council's rate)
-- source: SYNTHETIC service contacts; council network file (localities); IoD2025; children 0-19 by year: DfE/ONS mid-year council totals shared among 2021 LSOAs by Census 2021 (0-15) and ONS mid-2020 (16-19)
-- status: synthetic, real, illustrative
-- counts: children_reached, families_reached
-- totals: *
-- finish: localities
-- proportion: reach_per_1000 = children_reached / children_resident * 1000
WITH lsoas AS (
    SELECT n.lsoa21_code, n.locality, n.locality_illustrative AS illustrative, n.idaci_decile, p.children_0_19 AS children
    FROM neighbourhood_profile n JOIN neighbourhood_population p USING (lsoa21_code)
    WHERE n.council_code = $council AND p.mid_year = (SELECT mid_year FROM denominator_years WHERE year_start = fy_year($period_start::DATE))
),
resident AS (
    SELECT locality, bool_or(illustrative) AS illustrative, count(*) AS lsoas, sum(children) AS children_resident,
           sum(children) FILTER (WHERE idaci_decile <= 2) / sum(children) AS share_children_idaci_1_2
    FROM lsoas GROUP BY locality
),
reached AS (
    SELECT l.locality, sum(r.children_reached)::BIGINT AS children_reached,
           sum(r.families_reached)::BIGINT AS families_reached,
           cell_key(sum(r.children_key)) AS children_reached_ckey, cell_key(sum(r.families_key)) AS families_reached_ckey
    FROM reach_rollup r JOIN lsoas l ON l.lsoa21_code = r.lsoa21_code
    WHERE r.council_code = $council AND r.period_start = $period_start AND r.period_end = $period_end
      AND r.service_code = ''
    GROUP BY l.locality
)
SELECT r.locality, r.illustrative AS locality_illustrative, r.lsoas, r.children_resident::BIGINT AS children_resident,
       round(coalesce(r.share_children_idaci_1_2, 0), 4) AS share_children_idaci_1_2,
       coalesce(x.children_reached, 0) AS children_reached, coalesce(x.families_reached, 0) AS families_reached,
       coalesce(x.children_reached_ckey, 0) AS children_reached_ckey, coalesce(x.families_reached_ckey, 0) AS families_reached_ckey,
       (SELECT label FROM denominator_years WHERE year_start = fy_year($period_start::DATE)) AS denominator
FROM resident r LEFT JOIN reached x USING (locality)
ORDER BY r.locality
