-- name: data_coverage
-- answers: Which days the warehouse holds service contacts for the council (the first and the last contact), so that a period outside them is said to have no data, never shown as zeros.
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- units: first_contact, last_contact = dates (NULL when the council has no contacts); data_end = the last day of the data the warehouse was built or loaded with; synthetic = true when the council's contacts were generated (the warehouse was built by the generator and no load has recorded the council's own contacts under metadata contacts_loaded:CODE)
-- source: SYNTHETIC service contacts (a council's own, once loaded); warehouse metadata
-- status: synthetic
SELECT min(contact_date) AS first_contact, max(contact_date) AS last_contact,
       (SELECT value::DATE FROM metadata WHERE key = 'synthetic_end') AS data_end,
       EXISTS (SELECT 1 FROM metadata WHERE key = 'synthetic_generator')
           AND NOT EXISTS (SELECT 1 FROM metadata WHERE key = 'contacts_loaded:' || $council) AS synthetic
FROM contacts
WHERE council_code = $council
