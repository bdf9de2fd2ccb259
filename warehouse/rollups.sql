-- rollups.sql: the summaries of service contacts that the named queries read (tables in
-- schema.sql), rebuilt for the councils in the temporary table rollup_councils whenever their
-- contacts are generated or loaded, so that a page reads a few thousand rows instead of every
-- contact. queries/raw/ asks each question again of raw contacts; a test holds the two equal.
--
-- Why sums of these are exact:
--   * counts of contacts add up across anything;
--   * distinct children and families add up across neighbourhoods, because a contact's LSOA is
--     its family's home LSOA (the loader refuses any other), so each family, and each child in
--     it, belongs to exactly one LSOA, one locality and one council;
--   * distinct counts do NOT add up across periods (a child seen in April and May is one child),
--     so every period a page offers is kept whole: each financial-year quarter and each financial
--     year. Other periods (a month, FROM..TO) are answered from raw contacts.
--   * nor across services, age bands, channels or sites (one child can use several), so the
--     "all services" figure is kept beside each service (service_code = '').
--   * each distinct count has its cell key beside it (NAME_key: the sum of the record keys of the
--     distinct records counted, modulo 2^60; see the macros in schema.sql): it adds up wherever
--     the count does, so a question's cell gets the same key from the rollups as from raw contacts.
--
-- periods.sql runs first, once per rebuild: it defines the macros fy_start, period_end and
-- rebuilding used here and lists the periods kept. rollup_only names the periods to rebuild after
-- a load of one span (a quarter, say): the quarters and financial years it overlaps; empty, every
-- period is rebuilt. Rows of other periods are left as they are: their contacts did not change.

-- Each contact once in its quarter and once in its financial year (of the periods rebuilt).
CREATE OR REPLACE TEMP VIEW contact_periods AS
SELECT * FROM (
    SELECT CASE g.grain WHEN 'quarter' THEN date_trunc('quarter', c.contact_date)::DATE ELSE fy_start(c.contact_date) END
               AS period_start,
           g.grain, c.*
    FROM contacts c CROSS JOIN (VALUES ('quarter'), ('year')) g(grain)
    WHERE c.council_code IN (SELECT council_code FROM rollup_councils)
      AND (NOT EXISTS (SELECT 1 FROM rollup_only)
           OR c.contact_date BETWEEN (SELECT min(only_start) FROM rollup_only) AND (SELECT max(only_end) FROM rollup_only))
) p
WHERE rebuilding(p.period_start, period_end(p.period_start, p.grain));

-- Children reached are children born and aged 0-19 on the contact's day, the people the
-- denominator counts: a contact before the child's birth (an antenatal contact; the loader and
-- the generator give it age band 0-2) does not count the child, which is counted only if it also
-- had a contact after birth in the period. Its family is counted as an expectant family (a
-- family with a contact before a child's birth in the period), with its own key beside it.
DELETE FROM reach_rollup WHERE council_code IN (SELECT council_code FROM rollup_councils) AND rebuilding(period_start, period_end);
INSERT INTO reach_rollup
SELECT period_start, period_end(period_start, grain) AS period_end, council_code, lsoa21_code,
       coalesce(service_code, '') AS service_code,
       count(DISTINCT child_id) FILTER (WHERE age_band <> '20-25' AND NOT before_birth) AS children_reached,
       count(DISTINCT family_id) AS families_reached,
       count(*) AS contacts,
       cell_key(sum(DISTINCT rkey(child_id)) FILTER (WHERE age_band <> '20-25' AND NOT before_birth)) AS children_key,
       cell_key(sum(DISTINCT rkey(family_id))) AS families_key,
       cell_key(sum(rkey(contact_id))) AS contacts_key,
       count(DISTINCT family_id) FILTER (WHERE before_birth) AS expectant_families,
       cell_key(sum(DISTINCT rkey(family_id)) FILTER (WHERE before_birth)) AS expectant_families_key
FROM (SELECT c.*, before_birth(c.contact_date, k.birth_date) AS before_birth
      FROM contact_periods c LEFT JOIN (
          -- the council's children only: a join to every person in England would not fit the
          -- build's memory for the largest councils
          SELECT p.person_id, p.birth_date FROM people p JOIN families f USING (family_id)
          WHERE f.council_code IN (SELECT council_code FROM rollup_councils)) k ON k.person_id = c.child_id) c
GROUP BY GROUPING SETS ((period_start, grain, council_code, lsoa21_code, service_code),
                        (period_start, grain, council_code, lsoa21_code))
ORDER BY council_code, period_start, period_end, service_code, lsoa21_code;

DELETE FROM decile_rollup WHERE council_code IN (SELECT council_code FROM rollup_councils) AND rebuilding(period_start, period_end);
INSERT INTO decile_rollup
SELECT r.period_start, r.period_end, r.council_code, n.idaci_decile, count(*) AS lsoas,
       sum(r.children_reached)::BIGINT, sum(r.families_reached)::BIGINT,
       cell_key(sum(r.children_key)), cell_key(sum(r.families_key))
FROM reach_rollup r JOIN neighbourhood_profile n USING (lsoa21_code)
WHERE r.council_code IN (SELECT council_code FROM rollup_councils) AND r.service_code = '' AND rebuilding(r.period_start, r.period_end)
GROUP BY ALL
ORDER BY r.period_start, r.council_code, n.idaci_decile;

DELETE FROM channel_rollup WHERE council_code IN (SELECT council_code FROM rollup_councils)
    AND rebuilding(quarter_start, period_end(quarter_start, 'quarter'));
INSERT INTO channel_rollup
SELECT date_trunc('quarter', c.contact_date)::DATE AS quarter_start, c.council_code, n.locality,
       coalesce(c.service_code, '') AS service_code, c.channel,
       count(*) AS contacts,
       count(DISTINCT c.family_id) AS families_reached,
       cell_key(sum(rkey(c.contact_id))) AS contacts_key,
       cell_key(sum(DISTINCT rkey(c.family_id))) AS families_key
FROM contacts c JOIN neighbourhoods n USING (lsoa21_code)
WHERE c.council_code IN (SELECT council_code FROM rollup_councils)
  AND rebuilding(date_trunc('quarter', c.contact_date)::DATE, period_end(date_trunc('quarter', c.contact_date)::DATE, 'quarter'))
GROUP BY GROUPING SETS ((quarter_start, c.council_code, n.locality, c.service_code, c.channel),
                        (quarter_start, c.council_code, n.locality, c.channel))
ORDER BY council_code, quarter_start, service_code, locality, channel;

DELETE FROM service_rollup WHERE council_code IN (SELECT council_code FROM rollup_councils) AND rebuilding(period_start, period_end);
INSERT INTO service_rollup
SELECT period_start, period_end(period_start, grain) AS period_end, council_code, service_code, age_band,
       count(*) AS contacts,
       count(DISTINCT child_id) AS children_reached,
       count(DISTINCT family_id) AS families_reached,
       cell_key(sum(rkey(contact_id))) AS contacts_key,
       cell_key(sum(DISTINCT rkey(child_id))) AS children_key,
       cell_key(sum(DISTINCT rkey(family_id))) AS families_key
FROM contact_periods
GROUP BY period_start, grain, council_code, service_code, age_band
ORDER BY council_code, period_start, period_end, service_code, age_band;

DELETE FROM site_rollup WHERE council_code IN (SELECT council_code FROM rollup_councils) AND rebuilding(period_start, period_end);
INSERT INTO site_rollup
SELECT period_start, period_end(period_start, grain) AS period_end, council_code, site_id,
       coalesce(service_code, '') AS service_code,
       count(*) AS contacts,
       count(DISTINCT family_id) AS families,
       count(DISTINCT child_id) AS children,
       cell_key(sum(rkey(contact_id))) AS contacts_key,
       cell_key(sum(DISTINCT rkey(family_id))) AS families_key,
       cell_key(sum(DISTINCT rkey(child_id))) AS children_key
FROM contact_periods
WHERE site_id IS NOT NULL
GROUP BY GROUPING SETS ((period_start, grain, council_code, site_id, service_code),
                        (period_start, grain, council_code, site_id))
ORDER BY council_code, period_start, period_end, service_code, site_id;

DELETE FROM people_rollup WHERE council_code IN (SELECT council_code FROM rollup_councils) AND rebuilding(period_start, period_end);
INSERT INTO people_rollup
SELECT c.period_start, period_end(c.period_start, c.grain) AS period_end, c.council_code,
       coalesce(c.age_band, 'all') AS age_band,
       count(DISTINCT c.family_id) AS families,
       count(DISTINCT c.child_id) AS children,
       count(DISTINCT c.carer_id) AS carers,
       count(DISTINCT c.carer_id) FILTER (WHERE p.sex = 'M') AS fathers,
       cell_key(sum(DISTINCT rkey(c.family_id))) AS families_key,
       cell_key(sum(DISTINCT rkey(c.child_id))) AS children_key,
       coalesce(cell_key(sum(DISTINCT rkey(c.carer_id))), 0) AS carers_key,
       coalesce(cell_key(sum(DISTINCT rkey(c.carer_id)) FILTER (WHERE p.sex = 'M')), 0) AS fathers_key
FROM contact_periods c LEFT JOIN people p ON p.person_id = c.carer_id
GROUP BY GROUPING SETS ((c.period_start, c.grain, c.council_code, c.age_band), (c.period_start, c.grain, c.council_code))
ORDER BY council_code, period_start, period_end, age_band;

DROP VIEW contact_periods;
