-- export_demo.sql: the demo councils' children in need at each 31 March by LSOA, as the warehouse
-- shares DfE's published totals among neighbourhoods (care_neighbourhood, measure in_need), with
-- how many of them are on a child protection plan (measure protection_plan: those children are
-- in need too), from which cin.ExportDemo writes a SYNTHETIC CIN census per council and year and
-- ssd.ExportDemo the SSD's episodes of need and plans. lea is the council's DfE number.
SELECT n.council_code, c.slug, n.year, n.lsoa21_code, n.number AS in_need,
       coalesce(p.number, 0) AS protection_plan,
       coalesce((SELECT max(d.dfe_number) FROM care d WHERE d.area_code = n.council_code), 0) AS lea
FROM care_neighbourhood n
JOIN councils c USING (council_code)
LEFT JOIN care_neighbourhood p
       ON p.measure = 'protection_plan' AND p.year = n.year AND p.area_code = n.area_code AND p.lsoa21_code = n.lsoa21_code
WHERE n.measure = 'in_need' AND c.has_network AND n.number > 0
ORDER BY n.council_code, n.year, n.lsoa21_code
