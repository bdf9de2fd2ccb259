-- histories_slots.sql: one council's modelled children at each 31 March by neighbourhood
-- (care_neighbourhood), the slots synthetic.Histories fills with children.
SELECT lsoa21_code, year,
       coalesce(sum(number) FILTER (WHERE measure = 'in_need'), 0)::INTEGER AS in_need,
       coalesce(sum(number) FILTER (WHERE measure = 'protection_plan'), 0)::INTEGER AS plan,
       coalesce(sum(number) FILTER (WHERE measure = 'looked_after'), 0)::INTEGER AS looked_after
FROM care_neighbourhood
WHERE council_code = $1
GROUP BY ALL
ORDER BY year, lsoa21_code
