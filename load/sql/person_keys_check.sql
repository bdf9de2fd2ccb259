-- person_keys_check.sql: after apply.sql or apply_span.sql, in the load's transaction: a linkage key
-- the load gives that another person of the same council holds (in the files or, in a load of one
-- span, already in the warehouse). A key names one person: each such key, where it was read in
-- people.csv, and the other person. The load is then refused.
SELECT k.line, k.col, k.person_id, min(o.person_id) AS other, count(*) OVER () AS n
FROM load_person_keys k
JOIN person_keys pk ON pk.person_id = k.person_id AND pk.linkage_key = k.linkage_key
JOIN person_keys o ON o.council_code = pk.council_code AND o.linkage_key = pk.linkage_key AND o.person_id <> pk.person_id
GROUP BY k.line, k.col, k.person_id
ORDER BY k.line
LIMIT $few
