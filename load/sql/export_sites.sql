-- Sites, as load/sites.csv.
SELECT site_id, council_code, name, kind, locality, lsoa21_code, lon, lat, opened, designated, closed, illustrative, note
FROM sites ORDER BY site_id
