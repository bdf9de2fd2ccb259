-- name: care_factors
-- answers: Which factors social workers identified at the end of children in need assessments in the council, each as a share of the episodes with any factor recorded, against the average of its statistical neighbours, its region and England, with its rank and quartile among English councils: DfE's table C3 for the factors a family hubs service works on (domestic abuse, parents' and children's mental health, parents' alcohol and drug misuse, learning disability, neglect, emotional and physical abuse, going missing, exploitation, gangs, young carers).
-- param: council VARCHAR the council's ONS code, e.g. E08000007
-- param: period_end DATE the last 31 March on or before this day gives the reporting year (the council's latest year with a published count of episodes up to it)
-- units: factor = DfE's factor (table C3 column, lower case), factor_name = its name; year = the reporting year, named by the 31 March it ends on; number = the council's episodes whose assessment identified the factor (count; DfE's symbol where not published); episodes = the council's episodes with at least one factor identified at the end of assessment (count); percent = number as a percentage of episodes, to one decimal place (an episode can have several factors, so the factors do not add to 100); neighbours_percent = the unweighted mean of the statistical neighbours' percentages, each to one decimal place, of those that published one (neighbours_with_data, count); region_name, region_percent = the council's region; england_percent = England (region and England from DfE's counts rounded to 10); rank = the council's place among English councils with a published figure that year, 1 = the lowest percentage; quartile = 1 (lowest) to 4 (highest); councils_ranked = councils with a figure that year; a figure DfE did not publish is its symbol (c confidential, x not available, u low reliability, z not applicable, low rounds to 0), never 0; no judgement of better or worse
-- source: DfE Characteristics of children in need, table C3 (factors identified at the end of assessment), 2018-2025; DfE statistical neighbours (April 2021)
-- status: real
-- finish: symbols
WITH asked AS (
    SELECT CASE WHEN month($period_end::DATE) > 3 OR (month($period_end::DATE) = 3 AND day($period_end::DATE) = 31)
                THEN year($period_end::DATE) ELSE year($period_end::DATE) - 1 END AS year
),
shown(factor, factor_order, factor_name) AS (
    -- the factors shown, in order; care_factors holds all 39 DfE publishes
    VALUES ('domestic_abuse_parent', 1, 'Domestic abuse: concerns about the parent or carer'),
           ('domestic_abuse_child', 2, 'Domestic abuse: concerns about the child'),
           ('mental_health_parent', 3, 'Mental health: concerns about the parent or carer'),
           ('mental_health_child', 4, 'Mental health: concerns about the child'),
           ('alcohol_misuse_parent', 5, 'Alcohol misuse: concerns about the parent or carer'),
           ('drug_misuse_parent', 6, 'Drug misuse: concerns about the parent or carer'),
           ('learning_disability_parent', 7, 'Learning disability: concerns about the parent or carer'),
           ('learning_disability_child', 8, 'Learning disability: concerns about the child'),
           ('neglect', 9, 'Neglect'),
           ('emotional_abuse', 10, 'Emotional abuse'),
           ('physical_abuse_adult_on_child', 11, 'Physical abuse by an adult'),
           ('going_missing', 12, 'Going or gone missing'),
           ('child_sexual_exploitation', 13, 'Child sexual exploitation'),
           ('child_criminal_exploitation', 14, 'Child criminal exploitation'),
           ('gangs', 15, 'Gangs'),
           ('young_carer', 16, 'Young carer')
),
latest AS (
    -- the council's latest year up to the one asked with its episodes published
    SELECT max(c.year) AS year
    FROM care_factors c, asked a
    WHERE c.area_code = $council AND c.year <= a.year AND c.episodes IS NOT NULL
),
valued AS (
    SELECT c.factor, c.area_code, c.area_name, c.level, c.number, c.number_symbol, c.episodes, c.episodes_symbol,
           c.number * 100.0 / nullif(c.episodes, 0) AS pct,
           -- why a share is missing: the count's symbol, else the episodes'
           coalesce(c.number_symbol, c.episodes_symbol, CASE WHEN c.episodes = 0 THEN 'z' END) AS pct_symbol
    FROM care_factors c JOIN latest l USING (year) JOIN shown s USING (factor)
),
ranked AS (
    -- every English council with a published figure that year, 1 = the lowest percentage
    SELECT area_code, factor, rank() OVER w AS rank, ntile(4) OVER w AS quartile, count(*) OVER (PARTITION BY factor) AS councils_ranked
    FROM valued
    WHERE level = 'Local authority' AND pct IS NOT NULL
    WINDOW w AS (PARTITION BY factor ORDER BY pct)
),
region AS (
    SELECT r.area_code, r.area_name FROM councils k
    JOIN care_factors r ON r.level = 'Region' AND lower(r.area_name) = lower(k.region_name)
    WHERE k.council_code = $council
    LIMIT 1
),
neighbours AS (
    -- the neighbours' average, unweighted, of those with a published figure, as DfE's LAIT
    SELECT v.factor, avg(round(v.pct, 1)) AS pct, count(v.pct) AS neighbours_with_data
    FROM statistical_neighbours n JOIN valued v ON v.area_code = n.neighbour_code
    WHERE n.council_code = $council
    GROUP BY v.factor
)
SELECT s.factor, s.factor_name, l.year,
       c.number, c.number_symbol, c.episodes, c.episodes_symbol,
       round(c.pct, 1) AS percent, CASE WHEN c.pct IS NULL THEN coalesce(c.pct_symbol, 'x') END AS percent_symbol,
       round(n.pct, 1) AS neighbours_percent, CASE WHEN n.pct IS NULL THEN 'x' END AS neighbours_percent_symbol,
       coalesce(n.neighbours_with_data, 0) AS neighbours_with_data,
       (SELECT area_name FROM region) AS region_name,
       round(r.pct, 1) AS region_percent, CASE WHEN r.pct IS NULL THEN coalesce(r.pct_symbol, 'x') END AS region_percent_symbol,
       round(e.pct, 1) AS england_percent, CASE WHEN e.pct IS NULL THEN coalesce(e.pct_symbol, 'x') END AS england_percent_symbol,
       k.rank, k.quartile, k.councils_ranked
FROM shown s
CROSS JOIN latest l
LEFT JOIN valued c ON c.factor = s.factor AND c.area_code = $council
LEFT JOIN valued r ON r.factor = s.factor AND r.area_code = (SELECT area_code FROM region)
LEFT JOIN valued e ON e.factor = s.factor AND e.area_code = 'E92000001'
LEFT JOIN neighbours n ON n.factor = s.factor
LEFT JOIN ranked k ON k.factor = s.factor AND k.area_code = $council
WHERE l.year IS NOT NULL
ORDER BY s.factor_order
