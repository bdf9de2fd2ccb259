-- What a load is checked against: every 2021 LSOA with its council, the service codes, and the
-- councils with their names.
SELECT 'lsoa' AS kind, lsoa21_code AS code, council_code AS owner FROM neighbourhoods
UNION ALL
SELECT 'service', service_code, NULL FROM services
UNION ALL
SELECT 'council', council_code, name FROM councils
