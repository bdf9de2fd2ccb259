-- Replace the loaded councils' records with the staged ones, in one transaction with the rest
-- of the load (apply_network.sql follows). Reference data (deprivation, population, care) is
-- untouched.
DELETE FROM contacts WHERE council_code IN (SELECT council_code FROM load_councils);
DELETE FROM people WHERE family_id IN (SELECT family_id FROM families WHERE council_code IN (SELECT council_code FROM load_councils));
DELETE FROM families WHERE council_code IN (SELECT council_code FROM load_councils);
INSERT INTO families SELECT * FROM load_families;
INSERT INTO people SELECT * FROM load_people;
INSERT INTO contacts SELECT * FROM load_contacts;
-- the linkage keys of the councils' people: replaced whole, as the people are
DELETE FROM person_keys WHERE council_code IN (SELECT council_code FROM load_councils);
INSERT INTO person_keys
SELECT f.council_code, k.person_id, k.linkage_key
FROM load_person_keys k JOIN load_people p USING (person_id) JOIN load_families f USING (family_id);
DROP TABLE load_families; DROP TABLE load_people; DROP TABLE load_contacts;
