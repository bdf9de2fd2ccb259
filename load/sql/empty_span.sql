-- Councils a load of one span names whose contacts within it it would replace with none, with
-- how many they have there now: refused unless the load allows it (--allow-empty).
SELECT l.council_code, c.name, count(*) AS now
FROM load_councils l
JOIN councils c USING (council_code)
JOIN contacts x ON x.council_code = l.council_code
WHERE NOT EXISTS (SELECT 1 FROM load_contacts s WHERE s.council_code = l.council_code)
  AND x.contact_date BETWEEN (SELECT first_day FROM load_span) AND (SELECT last_day FROM load_span)
GROUP BY ALL
ORDER BY 1
