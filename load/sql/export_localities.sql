-- The council network localities, as load/localities.csv.
SELECT council_code, locality, ward_name, illustrative FROM localities ORDER BY council_code, locality, ward_name
