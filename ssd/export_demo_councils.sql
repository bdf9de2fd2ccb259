-- export_demo_councils.sql: the demo councils (those with a network), with the latest contact
-- date each holds: the date of ssd.ExportDemo's SYNTHETIC SSD extract of the council.
SELECT c.council_code, c.slug, (SELECT max(k.contact_date) FROM contacts k WHERE k.council_code = c.council_code) AS extract_date
FROM councils c WHERE c.has_network ORDER BY c.council_code
