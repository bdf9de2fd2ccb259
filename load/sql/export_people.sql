-- Children and carers, as load/people.csv.
SELECT person_id, family_id, role, sex, birth_date, send, relation FROM people ORDER BY person_id
