-- span_check.sql: what a load of one span (load_span) must not do, by kind, with how many and the
-- first few ids: a contact id already held for a day outside the span or another council (ids are
-- unique across the warehouse), and a family moving council (the contacts of both councils would
-- need reloading whole).
SELECT 'contacts.csv' AS file, 'contact id already loaded' AS kind, count(*) AS n,
       string_agg(l.contact_id::VARCHAR, ', ' ORDER BY l.contact_id) FILTER (WHERE rn <= 5) AS first
FROM (SELECT l.*, row_number() OVER (ORDER BY l.contact_id) AS rn
      FROM load_contacts l JOIN contacts c USING (contact_id)
      WHERE c.contact_date NOT BETWEEN (SELECT first_day FROM load_span) AND (SELECT last_day FROM load_span)
         OR c.council_code NOT IN (SELECT council_code FROM load_councils)) l
HAVING count(*) > 0
UNION ALL
SELECT 'families.csv', 'family moved council', count(*),
       string_agg(family_id::VARCHAR || ' (' || old || ' to ' || new || ')', ', ' ORDER BY family_id) FILTER (WHERE rn <= 5)
FROM (SELECT f.family_id, o.council_code AS old, f.council_code AS new, row_number() OVER (ORDER BY f.family_id) AS rn
      FROM load_families f JOIN families o USING (family_id)
      WHERE o.council_code <> f.council_code)
HAVING count(*) > 0
