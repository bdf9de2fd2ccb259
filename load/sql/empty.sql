-- Councils the load names whose contacts it would replace with none (their contacts.csv lines
-- are missing), with how many they have now: refused unless the load allows it (--allow-empty).
SELECT l.council_code, c.name, count(*) AS now
FROM load_councils l
JOIN councils c USING (council_code)
JOIN contacts x ON x.council_code = l.council_code
WHERE NOT EXISTS (SELECT 1 FROM load_contacts s WHERE s.council_code = l.council_code)
GROUP BY ALL
ORDER BY 1
