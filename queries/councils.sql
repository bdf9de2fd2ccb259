-- name: councils
-- answers: Which councils the warehouse holds: code, name, slug, DfE number, region, whether its hub network is loaded, its predecessor, and its children aged 0-17.
-- units: children_0_17 = children aged 0-17, ONS mid-2024 (count); lsoas = 2021 LSOAs (count); sites = sites in its network file (count)
-- source: DfE/ONS mid-year estimates; IoD2025 File 3 (LSOAs); council network files
-- status: real, illustrative
SELECT c.council_code, c.name, c.slug, c.dfe_number, c.region_name, c.has_network, c.transformation_fund,
       c.predecessor_code, c.predecessor_name, c.children_0_17,
       (SELECT count(*) FROM neighbourhoods n WHERE n.council_code = c.council_code) AS lsoas,
       (SELECT count(*) FROM sites s WHERE s.council_code = c.council_code) AS sites
FROM councils c
ORDER BY c.has_network DESC, c.name
