-- apply_network.sql: after apply.sql or apply_span.sql, the loaded councils' networks (localities,
-- sites, plan) are replaced whole, as in every load, and the councils are marked as holding
-- loaded (not generated) contacts: returns mark the others synthetic.
DELETE FROM sites WHERE council_code IN (SELECT council_code FROM load_councils);
DELETE FROM localities WHERE council_code IN (SELECT council_code FROM load_councils);
DELETE FROM fund_plan WHERE council_code IN (SELECT council_code FROM load_councils);
INSERT INTO localities SELECT * FROM load_localities;
INSERT INTO sites SELECT * FROM load_sites;
INSERT INTO fund_plan SELECT * FROM load_fund_plan;
UPDATE councils SET has_network = true WHERE council_code IN (SELECT council_code FROM load_councils);
UPDATE neighbourhoods n SET locality = l.locality, locality_illustrative = l.illustrative
FROM localities l
WHERE l.council_code = n.council_code AND l.ward_name = n.ward_name AND n.council_code IN (SELECT council_code FROM load_councils);
-- the demo's synthetic care histories follow its synthetic hub children, gone with them
DELETE FROM care_episodes WHERE source = 'synthetic' AND council_code IN (SELECT council_code FROM load_councils);
INSERT OR REPLACE INTO metadata SELECT 'contacts_loaded:' || council_code, current_date::VARCHAR FROM load_councils;
DROP TABLE load_localities; DROP TABLE load_sites; DROP TABLE load_fund_plan; DROP TABLE IF EXISTS load_contact_ids;
DROP TABLE load_councils;
