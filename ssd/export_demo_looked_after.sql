-- export_demo_looked_after.sql: the council's children looked after ($1 its ONS code) at each 31
-- March by LSOA, as the warehouse shares DfE's published totals among neighbourhoods
-- (care_neighbourhood), as load/sql/export_looked_after.sql reads them for the SSDA903 return.
SELECT year, lsoa21_code, number FROM care_neighbourhood
WHERE measure = 'looked_after' AND council_code = $1 AND number > 0
ORDER BY year, lsoa21_code
