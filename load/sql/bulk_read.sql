-- The bulk files read by DuckDB itself, every value first as text, then typed beside a flag that
-- says whether each value was written the one canonical way (7 not 007, true not yes, a date as
-- YYYY-MM-DD, no spaces around it, nothing missing that is required). Parameters: the three files'
-- paths. Run only on files whose header is exactly the documented one and that hold no quote,
-- carriage return or byte-order mark (bulkReady), so each line is one record.
CREATE OR REPLACE TEMP MACRO canonical_int(x) AS x IS NULL OR TRY_CAST(x AS BIGINT)::VARCHAR IS NOT DISTINCT FROM x;
CREATE OR REPLACE TEMP MACRO canonical_date(x) AS x IS NULL OR TRY_CAST(x AS DATE)::VARCHAR IS NOT DISTINCT FROM x;
CREATE OR REPLACE TEMP MACRO canonical_text(x) AS x IS NULL OR (x = trim(x) AND NOT starts_with(x, ''''));
CREATE OR REPLACE TEMP MACRO age_on(birth, d) AS
    year(d) - year(birth) - CASE WHEN month(d) < month(birth) OR (month(d) = month(birth) AND day(d) < day(birth)) THEN 1 ELSE 0 END;
CREATE OR REPLACE TEMP MACRO band_on(birth, d, send) AS
    CASE WHEN d < birth THEN (CASE WHEN date_diff('day', d, birth) <= 280 THEN '0-2' END)
         WHEN age_on(birth, d) <= 2 THEN '0-2' WHEN age_on(birth, d) <= 4 THEN '3-4' WHEN age_on(birth, d) <= 11 THEN '5-11'
         WHEN age_on(birth, d) <= 19 THEN '12-19' WHEN age_on(birth, d) <= 25 AND send THEN '20-25' END;

CREATE OR REPLACE TEMP TABLE bulk_families AS
SELECT TRY_CAST(family_id AS BIGINT) AS family_id, council_code, lsoa21_code,
       canonical_int(family_id) AND family_id IS NOT NULL AND council_code IS NOT NULL AND lsoa21_code IS NOT NULL
       AND canonical_text(council_code) AND canonical_text(lsoa21_code) AS well_formed
FROM read_csv($families, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', strict_mode = true,
    columns = {'family_id': 'VARCHAR', 'council_code': 'VARCHAR', 'lsoa21_code': 'VARCHAR'});

CREATE OR REPLACE TEMP TABLE bulk_people AS
SELECT TRY_CAST(person_id AS BIGINT) AS person_id, TRY_CAST(family_id AS BIGINT) AS family_id, role, sex,
       TRY_CAST(birth_date AS DATE) AS birth_date, send = 'true' AS send, relation,
       canonical_int(person_id) AND canonical_int(family_id) AND person_id IS NOT NULL AND family_id IS NOT NULL
       AND role IN ('child', 'carer') AND sex IN ('F', 'M') AND canonical_date(birth_date)
       AND (send IS NULL OR send IN ('true', 'false')) AND canonical_text(relation)
       AND (birth_date IS NOT NULL OR role <> 'child') AS well_formed
FROM read_csv($people, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', strict_mode = true,
    columns = {'person_id': 'VARCHAR', 'family_id': 'VARCHAR', 'role': 'VARCHAR', 'sex': 'VARCHAR', 'birth_date': 'VARCHAR',
               'send': 'VARCHAR', 'relation': 'VARCHAR'});

CREATE OR REPLACE TEMP TABLE bulk_contacts AS
SELECT TRY_CAST(contact_id AS BIGINT) AS contact_id, TRY_CAST(contact_date AS DATE) AS contact_date, council_code, lsoa21_code,
       site_id, service_code, channel, TRY_CAST(family_id AS BIGINT) AS family_id, TRY_CAST(child_id AS BIGINT) AS child_id,
       TRY_CAST(carer_id AS BIGINT) AS carer_id, age_band,
       canonical_int(contact_id) AND canonical_date(contact_date) AND canonical_int(family_id) AND canonical_int(child_id)
       AND canonical_int(carer_id) AND contact_id IS NOT NULL AND contact_date IS NOT NULL AND council_code IS NOT NULL
       AND lsoa21_code IS NOT NULL AND service_code IS NOT NULL AND channel IS NOT NULL AND family_id IS NOT NULL
       AND child_id IS NOT NULL AND age_band IS NOT NULL
       AND canonical_text(council_code) AND canonical_text(lsoa21_code) AND canonical_text(site_id)
       AND canonical_text(service_code) AND canonical_text(channel) AND canonical_text(age_band) AS well_formed
FROM read_csv($contacts, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', strict_mode = true,
    columns = {'contact_id': 'VARCHAR', 'contact_date': 'VARCHAR', 'council_code': 'VARCHAR', 'lsoa21_code': 'VARCHAR',
               'site_id': 'VARCHAR', 'service_code': 'VARCHAR', 'channel': 'VARCHAR', 'family_id': 'VARCHAR',
               'child_id': 'VARCHAR', 'carer_id': 'VARCHAR', 'age_band': 'VARCHAR'});

