-- histories_children.sql: one council's hub children, where their family lives, their birth
-- date and their first hub contact (children with a contact only).
SELECT p.person_id, f.lsoa21_code, p.birth_date, min(c.contact_date) AS first_contact
FROM contacts c
JOIN people p ON p.person_id = c.child_id
JOIN families f ON f.family_id = p.family_id
WHERE c.council_code = $1 AND p.role = 'child' AND p.birth_date IS NOT NULL
GROUP BY ALL
ORDER BY p.person_id
