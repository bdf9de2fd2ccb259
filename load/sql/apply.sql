-- Replace the loaded councils' records with the staged ones, in one transaction with the rest
-- of the load. Reference data (deprivation, population, care) is untouched.
DELETE FROM contacts WHERE council_code IN (SELECT council_code FROM load_councils);
DELETE FROM people WHERE family_id IN (SELECT family_id FROM families WHERE council_code IN (SELECT council_code FROM load_councils));
DELETE FROM families WHERE council_code IN (SELECT council_code FROM load_councils);
DELETE FROM sites WHERE council_code IN (SELECT council_code FROM load_councils);
DELETE FROM localities WHERE council_code IN (SELECT council_code FROM load_councils);
DELETE FROM fund_plan WHERE council_code IN (SELECT council_code FROM load_councils);
INSERT INTO localities SELECT * FROM load_localities;
INSERT INTO sites SELECT * FROM load_sites;
INSERT INTO families SELECT * FROM load_families;
INSERT INTO people SELECT * FROM load_people;
INSERT INTO contacts SELECT * FROM load_contacts;
INSERT INTO fund_plan SELECT * FROM load_fund_plan;
UPDATE councils SET has_network = true WHERE council_code IN (SELECT council_code FROM load_councils);
UPDATE neighbourhoods n SET locality = l.locality, locality_illustrative = l.illustrative
FROM localities l
WHERE l.council_code = n.council_code AND l.ward_name = n.ward_name AND n.council_code IN (SELECT council_code FROM load_councils);
DROP TABLE load_localities; DROP TABLE load_sites; DROP TABLE load_families; DROP TABLE load_people;
-- record which councils hold loaded (not generated) contacts: returns mark the others synthetic
INSERT OR REPLACE INTO metadata SELECT 'contacts_loaded:' || council_code, current_date::VARCHAR FROM load_councils;
DROP TABLE load_contacts; DROP TABLE load_fund_plan; DROP TABLE load_councils; DROP TABLE IF EXISTS load_contact_ids;
