-- Empty staging tables shaped like their targets; the loader appends the checked rows to them.
CREATE TABLE load_localities AS SELECT * FROM localities LIMIT 0;
CREATE TABLE load_sites AS SELECT * FROM sites LIMIT 0;
CREATE TABLE load_families AS SELECT * FROM families LIMIT 0;
CREATE TABLE load_people AS SELECT * FROM people LIMIT 0;
CREATE TABLE load_contacts AS SELECT * FROM contacts LIMIT 0;
CREATE TABLE load_fund_plan AS SELECT * FROM fund_plan LIMIT 0;
CREATE TABLE load_councils (council_code VARCHAR PRIMARY KEY);
