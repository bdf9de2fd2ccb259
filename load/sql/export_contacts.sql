-- Contacts, as load/contacts.csv.
SELECT contact_id, contact_date, council_code, lsoa21_code, site_id, service_code, channel, family_id, child_id, carer_id, age_band
FROM contacts ORDER BY contact_id
