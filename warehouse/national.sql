-- national.sql: SYNTHETIC hub networks for every council without a network file, so that the
-- national demo (hubs demo --scale national) has families and contacts in every neighbourhood of
-- England. Nothing here is published: each locality is a local authority district of the
-- council, with a family hub in its most deprived LSOA (by IDACI) and a bridge in the next, and
-- each council has an online hub. Hubs are designated between April 2022 and March 2024, as the
-- Family Hubs programme's councils did; the exact month follows from the council's DfE number so
-- that every build is the same.
UPDATE neighbourhoods n SET locality = n.lad_name, locality_illustrative = true
FROM councils c
WHERE c.council_code = n.council_code AND NOT c.has_network;

INSERT INTO sites
WITH ranked AS (
    SELECT n.council_code, c.slug, c.dfe_number, n.locality, n.lsoa21_code, n.point_lon, n.point_lat,
           row_number() OVER (PARTITION BY n.council_code, n.locality ORDER BY d.idaci_rank, n.lsoa21_code) AS k,
           dense_rank() OVER (PARTITION BY n.council_code ORDER BY n.locality) AS locality_no
    FROM neighbourhoods n
    JOIN councils c USING (council_code)
    JOIN deprivation d ON d.lsoa21_code = n.lsoa21_code AND d.edition = 'IoD2025'
    WHERE NOT c.has_network
),
placed AS (
    SELECT *, (DATE '2022-04-01' + to_months((coalesce(dfe_number, 0) * 7 + locality_no * 5) % 24))::DATE AS designated
    FROM ranked WHERE k <= 2
)
SELECT slug || CASE k WHEN 1 THEN '-hub-' ELSE '-bridge-' END || locality_no, council_code,
       CASE k WHEN 1 THEN 'Family hub, ' ELSE 'Bridge, ' END || locality || ' (synthetic)',
       CASE k WHEN 1 THEN 'hub' ELSE 'bridge' END, locality, lsoa21_code, point_lon, point_lat,
       DATE '2019-04-01', CASE k WHEN 1 THEN designated ELSE (designated + INTERVAL 6 MONTH)::DATE END, NULL, true,
       'SYNTHETIC: national demo, placed in the locality''s ' || CASE k WHEN 1 THEN 'most' ELSE 'second most' END || ' deprived LSOA'
FROM placed
UNION ALL
SELECT slug || '-online', council_code, 'Online family hub (synthetic)', 'online', NULL, NULL, NULL, NULL,
       DATE '2020-04-01', (DATE '2022-04-01' + to_months((coalesce(dfe_number, 0) * 7) % 24))::DATE, NULL, true,
       'SYNTHETIC: national demo'
FROM councils WHERE NOT has_network;

UPDATE councils SET has_network = true, network_file = 'synthetic network (national demo)' WHERE NOT has_network;
