-- The checked bulk files become the staging tables themselves (renamed, not copied: a copy of
-- millions of rows would take longer than reading them), and their councils join the others
-- being loaded. apply.sql then reads and drops them like any staging table.
DROP TABLE load_families;
DROP TABLE load_people;
DROP TABLE load_contacts;
ALTER TABLE bulk_families DROP COLUMN well_formed;
ALTER TABLE bulk_people DROP COLUMN well_formed;
ALTER TABLE bulk_contacts DROP COLUMN well_formed;
ALTER TABLE bulk_families RENAME TO load_families;
ALTER TABLE bulk_people RENAME TO load_people;
ALTER TABLE bulk_contacts RENAME TO load_contacts;
INSERT INTO load_councils
SELECT DISTINCT council_code FROM (SELECT council_code FROM load_families UNION ALL SELECT council_code FROM load_contacts)
WHERE council_code NOT IN (SELECT council_code FROM load_councils);
