-- apply_span.sql: a load of one span (hubs load --period), in one transaction with the rest of the
-- load. The named councils' contacts within the span (load_span) are replaced; families and
-- people in the files are added, or replaced by id, and every other one is kept, so a quarter's
-- files need hold only the families and people its contacts name. The network files (localities,
-- sites, plan) are replaced whole by apply_network.sql, as in any load. A family whose home LSOA changed takes its
-- earlier contacts with it, as a load of its whole history would place them (a contact's LSOA is
-- its family's home LSOA): load_moved and load_changed name the councils whose rollups must then
-- be rebuilt for every period, not only the span's.
CREATE OR REPLACE TEMP TABLE load_moved AS
SELECT DISTINCT f.council_code FROM load_families f JOIN families o USING (family_id)
WHERE o.lsoa21_code IS DISTINCT FROM f.lsoa21_code;
CREATE OR REPLACE TEMP TABLE load_changed AS
SELECT DISTINCT f.council_code
FROM load_people p JOIN people o USING (person_id) JOIN families f ON f.family_id = o.family_id
-- (a birth date decides whether earlier contacts were before birth: unborn children are not reached)
WHERE o.sex IS DISTINCT FROM p.sex OR o.role IS DISTINCT FROM p.role OR o.family_id IS DISTINCT FROM p.family_id
   OR o.birth_date IS DISTINCT FROM p.birth_date;
-- whether the network changed: the modelled tables (derived.sql) follow localities and sites only
CREATE OR REPLACE TEMP TABLE load_network_changed AS
SELECT EXISTS (
    (SELECT * FROM load_localities EXCEPT SELECT * FROM localities WHERE council_code IN (SELECT council_code FROM load_councils))
    UNION ALL
    (SELECT * FROM localities WHERE council_code IN (SELECT council_code FROM load_councils) EXCEPT SELECT * FROM load_localities)
) OR NOT (SELECT bool_and(has_network) FROM councils WHERE council_code IN (SELECT council_code FROM load_councils)) AS changed;
DELETE FROM contacts
WHERE council_code IN (SELECT council_code FROM load_councils)
  AND contact_date BETWEEN (SELECT first_day FROM load_span) AND (SELECT last_day FROM load_span);
UPDATE contacts SET lsoa21_code = f.lsoa21_code
FROM load_families f
WHERE contacts.family_id = f.family_id AND contacts.lsoa21_code IS DISTINCT FROM f.lsoa21_code;
DELETE FROM people WHERE person_id IN (SELECT person_id FROM load_people);
-- the people in the files are replaced whole, their linkage keys with them (none when people.csv
-- gives no linkage_key column)
DELETE FROM person_keys WHERE person_id IN (SELECT person_id FROM load_people);
DELETE FROM families WHERE family_id IN (SELECT family_id FROM load_families);
INSERT INTO families SELECT * FROM load_families;
INSERT INTO people SELECT * FROM load_people;
INSERT INTO contacts SELECT * FROM load_contacts;
INSERT INTO person_keys
SELECT f.council_code, k.person_id, k.linkage_key
FROM load_person_keys k JOIN load_people p USING (person_id) JOIN load_families f USING (family_id);
DROP TABLE load_families; DROP TABLE load_people; DROP TABLE load_contacts;
