-- Families, as load/families.csv.
SELECT family_id, council_code, lsoa21_code FROM families ORDER BY family_id
