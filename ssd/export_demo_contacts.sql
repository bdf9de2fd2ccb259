-- export_demo_contacts.sql: the council's contacts ($1 its ONS code), each for the child it names.
SELECT contact_id, child_id, contact_date FROM contacts WHERE council_code = $1 ORDER BY contact_id
