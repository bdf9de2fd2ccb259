-- looked_after_by_council.sql: children looked after at each 31 March by demo council, as the
-- warehouse places them in its neighbourhoods (care_neighbourhood): what each council's
-- synthetic SSDA903 return must count, read back through the SSDA903 reader.
SELECT c.slug, n.year, sum(n.number)::INTEGER AS looked_after
FROM care_neighbourhood n JOIN councils c USING (council_code)
WHERE n.measure = 'looked_after' AND c.has_network
GROUP BY ALL
ORDER BY c.slug, n.year
