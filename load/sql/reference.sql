-- What a load is checked against: every 2021 LSOA with its council, and the service codes.
SELECT 'lsoa' AS kind, lsoa21_code AS code, council_code AS owner FROM neighbourhoods
UNION ALL
SELECT 'service', service_code, NULL FROM services
UNION ALL
SELECT 'council', council_code, NULL FROM councils
