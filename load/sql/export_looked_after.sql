-- export_looked_after.sql: the demo councils' children looked after at each 31 March by LSOA, as
-- the warehouse shares DfE's published totals among neighbourhoods (care_neighbourhood), from
-- which ExportSSDA903 writes a synthetic SSDA903 return per council. The last year the council has
-- a published figure for is the return's collection year.
SELECT n.council_code, c.slug, n.year, n.lsoa21_code, n.number,
       max(n.year) OVER (PARTITION BY n.council_code) AS last_year
FROM care_neighbourhood n JOIN councils c USING (council_code)
WHERE n.measure = 'looked_after' AND c.has_network AND n.number > 0
ORDER BY n.council_code, n.year, n.lsoa21_code
