-- Whether the bulk files are clean: one row per rule with the lines that break it. Stricter than
-- the Go reader on form (a value must be written the one canonical way: 7 not 007, true not yes,
-- no spaces around it), exactly as strict on meaning: every rule the Go reader applies to these
-- files is here. Any line counted sends the load to the Go reader, which names each fault by
-- file, line and column. Parameters: earliest, latest (contact dates), latest_birth. Reads the
-- tables bulk_read.sql makes.
SELECT 'families.csv: malformed value', count(*) FILTER (WHERE NOT well_formed) FROM bulk_families
UNION ALL SELECT 'families.csv: family_id repeated', count(*) - count(DISTINCT family_id) FROM bulk_families
UNION ALL SELECT 'families.csv: LSOA not in its council', count(*) FROM bulk_families f
    WHERE NOT EXISTS (SELECT 1 FROM neighbourhoods n WHERE n.lsoa21_code = f.lsoa21_code AND n.council_code = f.council_code)
UNION ALL SELECT 'people.csv: malformed value', count(*) FILTER (WHERE NOT well_formed) FROM bulk_people
UNION ALL SELECT 'people.csv: person_id repeated', count(*) - count(DISTINCT person_id) FROM bulk_people
UNION ALL SELECT 'people.csv: family not in families.csv', count(*) FROM bulk_people p
    WHERE NOT EXISTS (SELECT 1 FROM bulk_families f WHERE f.family_id = p.family_id)
UNION ALL SELECT 'people.csv: impossible birth date', count(*) FROM bulk_people
    WHERE birth_date IS NOT NULL AND (birth_date > $latest_birth OR year(birth_date) < 1900)
UNION ALL SELECT 'contacts.csv: malformed value', count(*) FILTER (WHERE NOT well_formed) FROM bulk_contacts
UNION ALL SELECT 'contacts.csv: contact_id repeated', count(*) - count(DISTINCT contact_id) FROM bulk_contacts
UNION ALL SELECT 'contacts.csv: a broken reference or rule', count(*) FROM bulk_contacts c
    LEFT JOIN neighbourhoods n ON n.lsoa21_code = c.lsoa21_code
    LEFT JOIN load_sites s ON s.site_id = c.site_id
    LEFT JOIN bulk_families f ON f.family_id = c.family_id
    LEFT JOIN bulk_people ch ON ch.person_id = c.child_id
    LEFT JOIN bulk_people ca ON ca.person_id = c.carer_id
    WHERE n.council_code IS DISTINCT FROM c.council_code
       OR c.contact_date NOT BETWEEN $earliest AND $latest
       OR (c.site_id IS NOT NULL AND s.council_code IS DISTINCT FROM c.council_code)
       OR c.service_code NOT IN (SELECT service_code FROM services)
       OR c.channel NOT IN ('hub', 'hublet', 'bridge', 'outreach', 'home visit', 'online')
       OR f.council_code IS DISTINCT FROM c.council_code OR f.lsoa21_code IS DISTINCT FROM c.lsoa21_code
       OR ch.role IS DISTINCT FROM 'child' OR ch.family_id IS DISTINCT FROM c.family_id
       OR band_on(ch.birth_date, c.contact_date, coalesce(ch.send, false)) IS DISTINCT FROM c.age_band
       OR (c.carer_id IS NOT NULL AND (ca.role IS DISTINCT FROM 'carer' OR ca.family_id IS DISTINCT FROM c.family_id))
UNION ALL SELECT 'a council code that is not an English council', count(*) FROM (
    SELECT council_code FROM bulk_families UNION ALL SELECT council_code FROM bulk_contacts) x
    WHERE council_code NOT IN (SELECT council_code FROM councils);
