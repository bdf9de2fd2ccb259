-- What is staged for a load: rows by table, before apply.sql replaces the councils' records.
SELECT 'localities' AS table_name, count(*) AS n FROM load_localities
UNION ALL SELECT 'sites', count(*) FROM load_sites
UNION ALL SELECT 'families', count(*) FROM load_families
UNION ALL SELECT 'people', count(*) FROM load_people
UNION ALL SELECT 'contacts', count(*) FROM load_contacts
UNION ALL SELECT 'fund_plan', count(*) FROM load_fund_plan
