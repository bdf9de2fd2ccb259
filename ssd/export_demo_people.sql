-- export_demo_people.sql: the council's children ($1 its ONS code), each with their family, its
-- LSOA and the family's first contact (an SSD holds children only: carers are left out).
SELECT p.person_id, p.family_id, p.sex, p.birth_date, coalesce(p.send, false) AS send, f.lsoa21_code, k.first_contact
FROM people p
JOIN families f USING (family_id)
LEFT JOIN (SELECT family_id, min(contact_date) AS first_contact FROM contacts WHERE council_code = $1 GROUP BY family_id) k USING (family_id)
WHERE f.council_code = $1 AND p.role = 'child'
ORDER BY p.person_id
