-- Contact ids the Go reader read more than once (load_contact_ids): each line after the first
-- with its id, the first $few in file order, and how many in all (n, on every row).
SELECT contact_id, line, col, first_line, count(*) OVER () AS n
FROM (SELECT contact_id, line, col, min(line) OVER (PARTITION BY contact_id) AS first_line FROM load_contact_ids)
WHERE line > first_line
ORDER BY line
LIMIT $few
