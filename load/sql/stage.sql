-- Empty staging tables shaped like their targets; the loader appends the checked rows to them.
-- (OR REPLACE: a load the bulk path declines stages again through the Go reader.)
CREATE OR REPLACE TABLE load_localities AS SELECT * FROM localities LIMIT 0;
CREATE OR REPLACE TABLE load_sites AS SELECT * FROM sites LIMIT 0;
CREATE OR REPLACE TABLE load_families AS SELECT * FROM families LIMIT 0;
CREATE OR REPLACE TABLE load_people AS SELECT * FROM people LIMIT 0;
CREATE OR REPLACE TABLE load_contacts AS SELECT * FROM contacts LIMIT 0;
CREATE OR REPLACE TABLE load_fund_plan AS SELECT * FROM fund_plan LIMIT 0;
-- people.csv's optional linkage_key column, with where each key was read (a key held by another
-- person of the council already is reported there: person_keys_check.sql)
CREATE OR REPLACE TABLE load_person_keys (person_id BIGINT, linkage_key VARCHAR, line BIGINT, col INTEGER);
CREATE OR REPLACE TABLE load_councils (council_code VARCHAR PRIMARY KEY);
-- every contact id the Go reader reads, with its place: repeats are found here (repeated.sql), so
-- the reader holds no set of millions of ids
CREATE OR REPLACE TABLE load_contact_ids (contact_id BIGINT, line BIGINT, col INTEGER);
