-- schema.sql: the warehouse's tables. Every table and column is documented with COMMENT ON, so an
-- analyst can read the documentation from the database itself:
--   SELECT table_name, column_name, comment FROM duckdb_columns() WHERE comment IS NOT NULL;

CREATE TABLE metadata (key VARCHAR PRIMARY KEY, value VARCHAR);
COMMENT ON TABLE metadata IS 'How this warehouse was built: data_version (changes with any input), editions, synthetic period, generator version.';

CREATE TABLE councils (
    council_code           VARCHAR PRIMARY KEY,
    name                   VARCHAR NOT NULL,
    slug                   VARCHAR NOT NULL UNIQUE,
    dfe_number             INTEGER,
    region_code            VARCHAR,
    region_name            VARCHAR,
    has_network            BOOLEAN NOT NULL,
    transformation_fund    BOOLEAN,
    predecessor_code       VARCHAR,
    predecessor_name       VARCHAR,
    predecessor_dfe_number INTEGER,
    children_0_17          INTEGER,
    network_file           VARCHAR
);
COMMENT ON TABLE councils IS 'Children''s services authorities of England (upper tier, current codes). has_network: the council''s hub network is loaded (datasets/councils/*.toml).';
COMMENT ON COLUMN councils.council_code IS 'ONS 9-character code, e.g. E08000007 (Stockport).';
COMMENT ON COLUMN councils.dfe_number IS 'DfE 3-digit LA number (old_la_code), e.g. 356.';
COMMENT ON COLUMN councils.predecessor_code IS 'The council this one replaced, whose care figures run before the series break (Cumbria E10000006 until 2023 for Cumberland and Westmorland and Furness).';
COMMENT ON COLUMN councils.children_0_17 IS 'Children aged 0-17, ONS mid-2024 estimate as used by DfE (count).';

CREATE TABLE neighbourhoods (
    lsoa21_code          VARCHAR PRIMARY KEY,
    lsoa21_name          VARCHAR NOT NULL,
    lad_code             VARCHAR NOT NULL,
    lad_name             VARCHAR NOT NULL,
    council_code         VARCHAR NOT NULL,
    ward_code            VARCHAR,
    ward_name            VARCHAR,
    ward_fit             VARCHAR,
    locality             VARCHAR,
    locality_illustrative BOOLEAN,
    point_lon            DOUBLE,
    point_lat            DOUBLE
);
COMMENT ON TABLE neighbourhoods IS 'Every 2021 LSOA in England (33,755), with its council; for councils with a network, its May 2025 ward (best fit) and locality / hub network.';
COMMENT ON COLUMN neighbourhoods.lad_code IS 'Local authority district (2024) holding the LSOA, from IoD2025 File 3.';
COMMENT ON COLUMN neighbourhoods.council_code IS 'Children''s services authority (upper tier) of the district.';
COMMENT ON COLUMN neighbourhoods.ward_code IS 'May 2025 ward holding the LSOA''s interior point, computed by the project (no ONS LSOA21-to-WD25 lookup is published in the stored sources).';
COMMENT ON COLUMN neighbourhoods.ward_fit IS 'How the ward was chosen: interior point in ward, or nearest ward when the point falls in a gap between generalised boundaries.';
COMMENT ON COLUMN neighbourhoods.locality IS 'The council''s locality or hub network holding the ward (council network file).';
COMMENT ON COLUMN neighbourhoods.locality_illustrative IS 'True when the council has not published which wards make the locality: a plausible choice the council should replace.';
COMMENT ON COLUMN neighbourhoods.point_lon IS 'Longitude (WGS84) of a point inside the LSOA: its area centroid, or the nearest interior point when the centroid falls outside.';

CREATE TABLE deprivation (
    lsoa21_code             VARCHAR NOT NULL,
    edition                 VARCHAR NOT NULL,
    imd_score               DOUBLE,
    imd_rank                INTEGER NOT NULL,
    imd_decile              INTEGER NOT NULL,
    idaci_rank              INTEGER,
    idaci_decile            INTEGER,
    idaopi_rank             INTEGER,
    idaopi_decile           INTEGER,
    income_score DOUBLE, income_rank INTEGER, income_decile INTEGER,
    employment_score DOUBLE, employment_rank INTEGER, employment_decile INTEGER,
    education_score DOUBLE, education_rank INTEGER, education_decile INTEGER,
    health_score DOUBLE, health_rank INTEGER, health_decile INTEGER,
    crime_score DOUBLE, crime_rank INTEGER, crime_decile INTEGER,
    housing_services_score DOUBLE, housing_services_rank INTEGER, housing_services_decile INTEGER,
    environment_score DOUBLE, environment_rank INTEGER, environment_decile INTEGER,
    cyp_score               DOUBLE,
    cyp_rank                INTEGER,
    cyp_decile              INTEGER,
    idaci_numerator         INTEGER,
    from_lsoa11_code        VARCHAR,
    bridge_method           VARCHAR,
    PRIMARY KEY (lsoa21_code, edition)
);
COMMENT ON TABLE deprivation IS 'English Indices of Deprivation by 2021 LSOA, national ranks (1 = most deprived of 33,755 in 2025, of 32,844 in 2019) and deciles (1 = most deprived 10%). Two editions: IoD2025 (native 2021 LSOAs) and IoD2019 (2011 LSOAs bridged; NOT comparable rank for rank).';
COMMENT ON COLUMN deprivation.edition IS 'IoD2025 or IoD2019.';
COMMENT ON COLUMN deprivation.imd_score IS 'IMD score (IoD2025 only; IoD2019 scores are not in the stored sources).';
COMMENT ON COLUMN deprivation.idaci_rank IS 'Income Deprivation Affecting Children Index rank (IoD2025 only; IoD2019 File 3 is not in the stored sources).';
COMMENT ON COLUMN deprivation.idaci_decile IS 'IDACI decile, 1 = most deprived 10% of LSOAs nationally (IoD2025).';
COMMENT ON COLUMN deprivation.cyp_rank IS 'Children and Young People sub-domain of the Education domain, rank.';
COMMENT ON COLUMN deprivation.idaci_numerator IS 'Children aged 0-15 in income-deprived families (IoD2025 indicator; NULL where MHCLG suppressed it).';
COMMENT ON COLUMN deprivation.from_lsoa11_code IS 'IoD2019: the 2011 LSOA whose ranks this 2021 LSOA carries.';
COMMENT ON COLUMN deprivation.bridge_method IS 'IoD2019: unchanged, split (inherits parent), merged (parent with most children 0-15), complex.';

CREATE TABLE population (
    lsoa21_code VARCHAR NOT NULL,
    age         INTEGER NOT NULL,
    persons     INTEGER NOT NULL,
    PRIMARY KEY (lsoa21_code, age)
);
COMMENT ON TABLE population IS 'Residents by single year of age 0-25 per 2021 LSOA: ONS mid-2020 small area estimates on 2011 LSOAs, apportioned to 2021 LSOAs by Census 2021 children aged 0-15, rounded by largest remainder so every 2011 LSOA''s count is kept exactly.';
COMMENT ON COLUMN population.persons IS 'Residents (count), mid-2020.';

CREATE TABLE population_council (
    area_code     VARCHAR NOT NULL,
    level         VARCHAR NOT NULL,
    area_name     VARCHAR,
    mid_year      INTEGER NOT NULL,
    children_0_17 INTEGER,
    PRIMARY KEY (area_code, mid_year)
);
COMMENT ON TABLE population_council IS 'Children aged 0-17 by council, region and England at each mid-year 2012-2024 (ONS, as DfE uses for rates). A year to 31 March uses the previous mid-year.';

-- Denominators by year (issue 14, item 3), filled by reference.sql: every reach rate sets the
-- children reached in a period against the children resident at the previous mid-year of the
-- period's financial year (its first day's), as DfE does for care rates.
CREATE TABLE neighbourhood_population (
    lsoa21_code    VARCHAR NOT NULL,
    mid_year       INTEGER NOT NULL,
    council_code   VARCHAR NOT NULL,
    constrained_to VARCHAR NOT NULL,
    children_0_17  INTEGER NOT NULL,
    children_0_19  INTEGER NOT NULL,
    PRIMARY KEY (lsoa21_code, mid_year)
);
COMMENT ON TABLE neighbourhood_population IS 'Children aged 0-17 and 0-19 per 2021 LSOA at each mid-year the DfE/ONS council totals hold (2012-2024): the council''s published total of children 0-17 (or, before a reorganisation, its predecessor''s, shared among the successors), split into 0-15 and 16-17 and extended by 18-19 in the council''s Census 2021 (TS007) proportions, then shared among its LSOAs: ages 0-15 by Census 2021 children aged 15 and under, ages 16-17 and 18-19 by the ONS mid-2020 estimates apportioned to 2021 LSOAs; each part rounded by largest remainder, so the LSOAs'' children 0-17 add up exactly to the published total.';
COMMENT ON COLUMN neighbourhood_population.constrained_to IS 'The area whose published total of children 0-17 was shared: the council, or its predecessor before a reorganisation (Cumbria, Northamptonshire, North Yorkshire, Somerset, Buckinghamshire).';

CREATE TABLE denominator_years (
    year_start INTEGER PRIMARY KEY,
    mid_year   INTEGER NOT NULL,
    label      VARCHAR NOT NULL
);
COMMENT ON TABLE denominator_years IS 'For each financial year (by the year it starts), the mid-year whose children it is set against: the previous mid-year (2024-25: mid-2024, as DfE), or the latest the estimates hold for years beyond them, labelled as such.';
-- The financial year a day falls in, by the year it starts (2024-25: 2024).
CREATE MACRO fy_year(d) AS year(d) - CASE WHEN month(d) < 4 THEN 1 ELSE 0 END;

CREATE TABLE services (
    service_code  VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    funded_strand VARCHAR
);
COMMENT ON TABLE services IS 'Services a family hub joins up. funded_strand: the Family Hubs and Start for Life funded strand the service counts towards, if any.';

INSERT INTO services VALUES
    ('midwifery_antenatal', 'Midwifery and antenatal', NULL),
    ('health_visiting', 'Health visiting', NULL),
    ('infant_feeding', 'Infant feeding', 'Infant feeding'),
    ('perinatal_mental_health', 'Perinatal mental health and parent-infant relationships', 'Perinatal mental health and parent-infant relationships'),
    ('parenting', 'Parenting support', 'Parenting support'),
    ('early_learning', 'Stay and play, early language and home learning', 'Early language and home learning'),
    ('send_support', 'SEND support', NULL),
    ('youth_work', 'Youth work', NULL),
    ('children_mental_health', 'Children''s mental health', NULL),
    ('drug_alcohol', 'Drug and alcohol', NULL),
    ('domestic_abuse', 'Domestic abuse', NULL),
    ('relationship_support', 'Family mediation and relationship support', NULL),
    ('housing', 'Housing', NULL),
    ('benefits_debt', 'Benefits and debt', NULL),
    ('employment_learning', 'Employment and adult learning', NULL),
    ('food_fuel', 'Food and fuel', NULL);

CREATE TABLE localities (
    council_code VARCHAR NOT NULL,
    locality     VARCHAR NOT NULL,
    ward_name    VARCHAR NOT NULL,
    illustrative BOOLEAN NOT NULL,
    PRIMARY KEY (council_code, ward_name)
);
COMMENT ON TABLE localities IS 'Which wards make each locality / hub network (council network files).';

CREATE TABLE sites (
    site_id      VARCHAR PRIMARY KEY,
    council_code VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    locality     VARCHAR,
    lsoa21_code  VARCHAR,
    lon          DOUBLE,
    lat          DOUBLE,
    opened       DATE NOT NULL,
    designated   DATE NOT NULL,
    closed       DATE,
    illustrative BOOLEAN NOT NULL,
    note         VARCHAR
);
COMMENT ON TABLE sites IS 'Hubs, bridges, outreach bases, hublets and online hubs (council network files). Positions and dates flagged illustrative are plausible, not published.';
COMMENT ON COLUMN sites.kind IS 'hub, bridge, outreach, hublet or online.';
COMMENT ON COLUMN sites.opened IS 'First day the site offered family services.';
COMMENT ON COLUMN sites.designated IS 'First day it was part of the council''s family hub network.';
COMMENT ON COLUMN sites.lsoa21_code IS 'LSOA holding the site (NULL for online).';

-- The synthetic tables carry no PRIMARY KEY: DuckDB would maintain an index on every appended row
-- (most of the build time). Their ids are unique by construction, which the tests check.
CREATE TABLE families (
    family_id    BIGINT NOT NULL,
    council_code VARCHAR NOT NULL,
    lsoa21_code  VARCHAR NOT NULL
);
COMMENT ON TABLE families IS 'SYNTHETIC. Families resident in the council (generated; no public source holds them).';

CREATE TABLE people (
    person_id  BIGINT NOT NULL,
    family_id  BIGINT NOT NULL,
    role       VARCHAR NOT NULL,
    sex        VARCHAR NOT NULL,
    birth_date DATE,
    send       BOOLEAN,
    relation   VARCHAR
);
COMMENT ON TABLE people IS 'SYNTHETIC. Children and carers of each family. Personal-level: never shown on a page, in a PDF or an export.';
COMMENT ON COLUMN people.role IS 'child or carer.';
COMMENT ON COLUMN people.send IS 'Children: special educational needs and disabilities (served to 25).';
COMMENT ON COLUMN people.relation IS 'Carers: mother, father or other carer (fathers and male carers are a reported group).';

CREATE TABLE contacts (
    contact_id   BIGINT NOT NULL,
    contact_date DATE NOT NULL,
    council_code VARCHAR NOT NULL,
    lsoa21_code  VARCHAR NOT NULL,
    site_id      VARCHAR,
    service_code VARCHAR NOT NULL,
    channel      VARCHAR NOT NULL,
    family_id    BIGINT NOT NULL,
    child_id     BIGINT NOT NULL,
    carer_id     BIGINT,
    age_band     VARCHAR NOT NULL
);
COMMENT ON TABLE contacts IS 'SYNTHETIC. One row per contact between a family and a service, April 2019 to the end of the synthetic period (metadata.synthetic_end). Personal-level: only aggregates leave the warehouse.';
COMMENT ON COLUMN contacts.lsoa21_code IS 'The family''s home LSOA (council_code is denormalised here so a council''s contacts are read without a join).';
COMMENT ON COLUMN contacts.channel IS 'hub, bridge, outreach, hublet, home visit or online.';
COMMENT ON COLUMN contacts.child_id IS 'The child the contact concerns (an unborn child for antenatal contacts).';
COMMENT ON COLUMN contacts.carer_id IS 'The carer who attended, if any.';
COMMENT ON COLUMN contacts.age_band IS 'Age band of the child on the contact date: 0-2 (Start for Life, including before birth), 3-4, 5-11, 12-19, 20-25 (SEND only).';

CREATE TABLE care (
    measure                  VARCHAR NOT NULL,
    year                     INTEGER NOT NULL,
    level                    VARCHAR NOT NULL,
    area_code                VARCHAR NOT NULL,
    area_name                VARCHAR,
    dfe_number               INTEGER,
    number                   INTEGER,
    number_symbol            VARCHAR,
    published_rate_per_10000 DOUBLE,
    children_0_17            INTEGER,
    source                   VARCHAR NOT NULL,
    PRIMARY KEY (measure, area_code, year)
);
COMMENT ON TABLE care IS 'REAL. Children at 31 March of `year`, by council, region and England, as DfE published them: looked_after (2011-2025; 2018 from DfE''s 2022 release), in_need and protection_plan (2013-2025). Cumbria (E10000006) runs to 2023; Cumberland and Westmorland and Furness from 2024.';
COMMENT ON COLUMN care.measure IS 'looked_after, in_need (children in need) or protection_plan (on a child protection plan).';
COMMENT ON COLUMN care.year IS 'The year of the 31 March count (2025 = 31 March 2025, reporting year 2024-25).';
COMMENT ON COLUMN care.number IS 'Children (count). NULL when DfE did not publish it: see number_symbol. Never zero for a missing figure.';
COMMENT ON COLUMN care.number_symbol IS 'Why the number is missing, in DfE''s symbols: c confidential, x not available, u low reliability, low rounds to zero.';
COMMENT ON COLUMN care.published_rate_per_10000 IS 'DfE''s published rate per 10,000 children aged 0-17 (looked after, 2018 on).';
COMMENT ON COLUMN care.children_0_17 IS 'The denominator DfE uses: children aged 0-17 at the previous mid-year (count).';

CREATE TABLE care_measures (
    measure            VARCHAR NOT NULL,
    year               INTEGER NOT NULL,
    level              VARCHAR NOT NULL,
    area_code          VARCHAR NOT NULL,
    area_name          VARCHAR,
    dfe_number         INTEGER,
    number             INTEGER,
    number_symbol      VARCHAR,
    denominator        INTEGER,
    denominator_symbol VARCHAR,
    denominator_name   VARCHAR NOT NULL,
    per                INTEGER NOT NULL,
    published_percent  DOUBLE,
    source             VARCHAR NOT NULL,
    PRIMARY KEY (measure, area_code, year)
);
COMMENT ON TABLE care_measures IS 'REAL. DfE children in need census measures that a council benchmarks, each a count with its own denominator, by council, region and England, 2013-2025 (reporting year to 31 March of `year`): referrals (per 10,000 children 0-17), rereferrals, subsequent_plans and plans_2_years_or_more (percentages). Cumbria (E10000006) runs to 2023; Cumberland and Westmorland and Furness from 2024.';
COMMENT ON COLUMN care_measures.measure IS 'referrals (referrals in the year, table C1), rereferrals (referrals within 12 months of a previous one, C1), subsequent_plans (protection plans starting in the year that were a second or later plan, D3) or plans_2_years_or_more (plans at 31 March that had lasted 2 years or more, D5).';
COMMENT ON COLUMN care_measures.year IS 'The reporting year, named by the 31 March it ends on (2025 = April 2024 to 31 March 2025).';
COMMENT ON COLUMN care_measures.number IS 'The count. NULL when DfE did not publish it: see number_symbol. Never zero for a missing figure.';
COMMENT ON COLUMN care_measures.number_symbol IS 'Why the number is missing, in DfE''s symbols: c confidential, x not available, u low reliability.';
COMMENT ON COLUMN care_measures.denominator IS 'What the count is set against, named in denominator_name: children aged 0-17 at the previous mid-year (referrals), referrals, plans starting, or plans at 31 March (count).';
COMMENT ON COLUMN care_measures.denominator_symbol IS 'Why the denominator is missing, in DfE''s symbols (x for a population the stored estimates do not hold).';
COMMENT ON COLUMN care_measures.per IS '10000 (a rate per 10,000 children) or 100 (a percentage).';
COMMENT ON COLUMN care_measures.published_percent IS 'DfE''s own published percentage (NULL for referrals, whose rate DfE does not publish in table C1).';

CREATE TABLE care_factors (
    factor          VARCHAR NOT NULL,
    year            INTEGER NOT NULL,
    level           VARCHAR NOT NULL,
    area_code       VARCHAR NOT NULL,
    area_name       VARCHAR,
    dfe_number      INTEGER,
    number          INTEGER,
    number_symbol   VARCHAR,
    episodes        INTEGER,
    episodes_symbol VARCHAR,
    source          VARCHAR NOT NULL,
    PRIMARY KEY (factor, area_code, year)
);
COMMENT ON TABLE care_factors IS 'REAL. Factors identified at the end of assessment (DfE children in need census, table C3), by council, region and England, 2018-2025 (reporting year to 31 March of `year`): for each factor, the episodes of need whose assessment identified it, of the episodes with any factor recorded. An episode can have several factors. Councils'' counts exact; region and England rounded to 10 by DfE. Cumbria (E10000006) runs to 2023; Cumberland and Westmorland and Furness from 2024.';
COMMENT ON COLUMN care_factors.factor IS 'DfE''s factor, its column name in table C3 in lower case: e.g. domestic_abuse_parent (domestic abuse: concerns about the parent or carer), domestic_abuse_child, domestic_abuse_person (another person in the household), mental_health_parent, alcohol_misuse_parent, drug_misuse_parent, neglect, emotional_abuse, going_missing, child_sexual_exploitation, child_criminal_exploitation (from 2022), gangs; 39 in all.';
COMMENT ON COLUMN care_factors.year IS 'The reporting year, named by the 31 March it ends on (2025 = April 2024 to 31 March 2025).';
COMMENT ON COLUMN care_factors.number IS 'Episodes whose assessment identified the factor (count). NULL when DfE did not publish it: see number_symbol. Never zero for a missing figure.';
COMMENT ON COLUMN care_factors.number_symbol IS 'Why the number is missing, in DfE''s symbols: c confidential, x not available (or not collected that year), u low reliability, z not applicable, low rounds to 0 but is not 0.';
COMMENT ON COLUMN care_factors.episodes IS 'Episodes of need with at least one factor identified at the end of assessment (Episodes_with_assessment_factor): the denominator of a factor''s share (count). NULL with episodes_symbol when not published.';
COMMENT ON COLUMN care_factors.episodes_symbol IS 'Why episodes is missing, in DfE''s symbols.';

CREATE TABLE statistical_neighbours (
    council_code           VARCHAR NOT NULL,
    rank                   INTEGER NOT NULL,
    neighbour_code         VARCHAR NOT NULL,
    neighbour_name         VARCHAR,
    closeness              VARCHAR,
    note                   VARCHAR,
    PRIMARY KEY (council_code, rank)
);
-- Early years outcomes (issue 18), filled by reference.sql from early_years.parquet.
CREATE TABLE early_years (
    indicator      VARCHAR NOT NULL,
    lait_code      VARCHAR,
    year           INTEGER NOT NULL,
    period         VARCHAR NOT NULL,
    year_type      VARCHAR NOT NULL,
    level          VARCHAR NOT NULL,
    dfe_number     INTEGER NOT NULL,
    area_code      VARCHAR,
    area_name      VARCHAR,
    region_number  INTEGER,
    region_name    VARCHAR,
    value          DOUBLE,
    missing_reason VARCHAR,
    unit           VARCHAR NOT NULL,
    polarity       VARCHAR NOT NULL,
    decimals       INTEGER NOT NULL,
    framework      VARCHAR,
    series_break   VARCHAR,
    source         VARCHAR NOT NULL,
    PRIMARY KEY (indicator, dfe_number, year)
);
COMMENT ON TABLE early_years IS 'REAL, published. Early years outcomes by council, region and England, as DfE''s Local Authority Interactive Tool (LAIT) holds them, with GLD for 2012/13 to 2014/15 from DfE''s EYFSP 2018-2019 underlying data: gld (good level of development at the end of reception, 2013-2025), gld_fsm and gld_not_fsm (children eligible for free school meals and all others, 2016-2025), gld_fsm_gap (their difference in percentage points, derived), breastfeeding_6_8_weeks, injury_admissions_0_14 and low_birth_weight (2016-2024). Cumbria (909) runs to 2022; Cumberland (942) and Westmorland and Furness (943) from 2023.';
COMMENT ON COLUMN early_years.year IS 'The year the period ends in: academic year (2025 = 2024/25), financial year (2024 = 2023-24) or calendar year, as year_type says; period says it in words.';
COMMENT ON COLUMN early_years.dfe_number IS 'DfE 3-digit number: councils below 970, England 970, regions 980-990.';
COMMENT ON COLUMN early_years.area_code IS 'ONS code of the council (the one DfE published under, Cumbria E10000006 for 909), region or England.';
COMMENT ON COLUMN early_years.value IS 'The published value, rounded to `decimals` (LAIT''s text carries float noise). NULL with missing_reason when not published or not collected: never zero.';
COMMENT ON COLUMN early_years.missing_reason IS 'Why value is missing: no EYFS collection in 2019/20 or 2020/21, the council did not exist that year, or not published (breastfeeding: withheld by OHID where the data fail its checks).';
COMMENT ON COLUMN early_years.polarity IS 'From LAIT''s data dictionary: High (higher is better) or Low (lower is better).';
COMMENT ON COLUMN early_years.framework IS 'For the GLD indicators: the EYFS framework the year was assessed under (2012 framework to 2018/19, 2021 framework from 2021/22); not comparable across the break.';
COMMENT ON COLUMN early_years.series_break IS 'For the GLD indicators: the break at this year (no collection 2019/20 and 2020/21; framework changed in 2021/22).';

COMMENT ON TABLE statistical_neighbours IS 'DfE children''s services statistical neighbours (April 2021): ten per council, rank 1 closest. Cumberland and Westmorland and Furness postdate the groupings and inherit Cumbria''s.';

CREATE TABLE care_neighbourhood (
    measure      VARCHAR NOT NULL,
    year         INTEGER NOT NULL,
    area_code    VARCHAR NOT NULL,
    council_code VARCHAR NOT NULL,
    lsoa21_code  VARCHAR NOT NULL,
    number       INTEGER NOT NULL,
    PRIMARY KEY (measure, year, area_code, lsoa21_code)
);
COMMENT ON TABLE care_neighbourhood IS 'MODELLED, not published: each council''s real DfE count at 31 March shared among its LSOAs in proportion to children aged 0-17 times a deprivation gradient by IDACI decile (about 9.5x from decile 10 to decile 1, after Bywaters et al.), rounded by largest remainder so the LSOAs add up exactly to the published total.';
COMMENT ON COLUMN care_neighbourhood.area_code IS 'The council whose published total is shared out (Cumbria E10000006 for years to 2023, across the LSOAs of both successors).';
COMMENT ON COLUMN care_neighbourhood.council_code IS 'The current council holding the LSOA.';

-- Council records (hubs load-care): a council's own SSDA903 or SSD extract counted at each 31
-- March, each child placed in the 2021 LSOA of their home postcode on the day. Where these exist
-- for a council, measure and year, the care-by-neighbourhood questions read them, not the model.
CREATE TABLE care_records (
    council_code VARCHAR NOT NULL,
    measure      VARCHAR NOT NULL,
    year         INTEGER NOT NULL,
    lsoa21_code  VARCHAR NOT NULL,
    number       INTEGER NOT NULL,
    number_ckey  BIGINT NOT NULL,
    PRIMARY KEY (council_code, measure, year, lsoa21_code)
);
COMMENT ON TABLE care_records IS 'COUNCIL RECORDS, exact, OFFICIAL-SENSITIVE: children at 31 March of `year` by the 2021 LSOA of their home postcode on the day, from the council''s own return (hubs load-care). number_ckey is the cell key: the children''s record keys summed (rkey, cell_key). Only LSOAs of the council; children placed elsewhere or not placed are in care_records_loaded.';
CREATE TABLE care_records_loaded (
    council_code    VARCHAR NOT NULL,
    measure         VARCHAR NOT NULL,
    year            INTEGER NOT NULL,
    source          VARCHAR NOT NULL,
    postcodes       VARCHAR NOT NULL,
    counted         INTEGER NOT NULL,
    counted_ckey    BIGINT NOT NULL,
    placed          INTEGER NOT NULL,
    placed_ckey     BIGINT NOT NULL,
    outside         INTEGER NOT NULL,
    outside_ckey    BIGINT NOT NULL,
    not_placed      INTEGER NOT NULL,
    not_placed_ckey BIGINT NOT NULL,
    loaded_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (council_code, measure, year)
);
COMMENT ON TABLE care_records_loaded IS 'COUNCIL RECORDS: for each council, measure and 31 March loaded by hubs load-care, the file and postcode look-up, the children counted, those placed in the council''s LSOAs, those whose home was in another council''s area, and those whose postcode could not be placed (blank, not a postcode, not in the look-up), each with its cell key, for the reconciliation with DfE''s published figure.';

CREATE TABLE lsoa11_lsoa21 (
    lsoa11_code VARCHAR NOT NULL,
    lsoa11_name VARCHAR,
    lsoa21_code VARCHAR NOT NULL,
    lsoa21_name VARCHAR,
    change      VARCHAR NOT NULL,
    PRIMARY KEY (lsoa11_code, lsoa21_code)
);
COMMENT ON TABLE lsoa11_lsoa21 IS 'ONS LSOA (2011) to LSOA (2021) lookup, England. Bridges IoD2019 and mid-2020 population (2011 LSOAs) to 2021 LSOAs.';
COMMENT ON COLUMN lsoa11_lsoa21.change IS 'U unchanged, S split, M merged, X complex (redrawn).';

CREATE TABLE fund_plan (
    council_code VARCHAR NOT NULL,
    id           VARCHAR NOT NULL,
    indicator    VARCHAR NOT NULL,
    measure      VARCHAR NOT NULL,
    unit         VARCHAR,
    baseline     DOUBLE NOT NULL,
    target       DOUBLE NOT NULL,
    due          DATE NOT NULL,
    plan_start   DATE NOT NULL,
    entered      DOUBLE,
    entered_on   DATE,
    illustrative BOOLEAN NOT NULL,
    note         VARCHAR,
    PRIMARY KEY (council_code, id)
);
COMMENT ON TABLE fund_plan IS 'Each council''s Family Hubs Transformation Fund plan (council network files): indicator, baseline, target, due date, and how it is measured: a warehouse measure computed by queries/fund_progress.sql, or a value the council enters.';
COMMENT ON COLUMN fund_plan.measure IS 'family_hubs_designated, hub_networks, bridges_designated, children_reached, families_reached, fathers_reached, reach_idaci_1_2_per_1000, share_reach_idaci_1_2, or entered.';
COMMENT ON COLUMN fund_plan.entered IS 'For measure = entered: the value the council recorded (1 = done, 0 = not done, or a number), on entered_on.';

-- Beside fund_plan, not in it: a council's plan.csv (load/files.go) is appended to a copy of
-- fund_plan column for column and has no period, so a column here would stop `hubs load`.
CREATE TABLE fund_plan_period (
    council_code VARCHAR NOT NULL,
    id           VARCHAR NOT NULL,
    measure      VARCHAR NOT NULL,
    period       VARCHAR NOT NULL,
    programme    VARCHAR NOT NULL DEFAULT 'transformation_fund',
    PRIMARY KEY (council_code, id)
);
COMMENT ON COLUMN fund_plan_period.programme IS 'The plan the line belongs to: transformation_fund (the Family Hubs Transformation Fund plan) or best_start (the council''s Best Start Family Hubs local plan); a line with none (plan.csv) is a Transformation Fund line. Both are judged by one rule.';
COMMENT ON TABLE fund_plan_period IS 'The period each plan line of a council network file is measured over (councils.Periods): financial year, quarter, to date (from plan start), on the day, or academic year (a published outcome). queries/fund_progress.sql reads it for the fund_plan line of the same council, id and measure; a line with none (a plan loaded from plan.csv) takes its measure''s default, a financial year for reach and the day for sites and entered milestones.';

-- One definition of each neighbourhood's deprivation and resident children, for every query
-- that sets reach against population. A table (filled by derived.sql, and again whenever a load
-- changes a council's localities), not a view: every page reads it, and a view would aggregate
-- the whole population table each time.
CREATE TABLE neighbourhood_profile (
    lsoa21_code           VARCHAR PRIMARY KEY,
    lsoa21_name           VARCHAR NOT NULL,
    council_code          VARCHAR NOT NULL,
    ward_name             VARCHAR,
    locality              VARCHAR,
    locality_illustrative BOOLEAN,
    imd_decile            INTEGER NOT NULL,
    idaci_decile          INTEGER,
    children_0_19         BIGINT NOT NULL,
    children_0_17         BIGINT NOT NULL
);
COMMENT ON TABLE neighbourhood_profile IS 'Each 2021 LSOA with its council, ward, locality, IoD2025 national IMD and IDACI deciles, and residents aged 0-19 and 0-17 (mid-2020): the population every reach rate is set against.';

-- Access to hubs (issue 18, queries/access_*.sql): where each neighbourhood's families live, as one
-- point, and the straight-line distance measured from it. Filled from the access package's
-- embedded postcode centres (access/centres.sql).
CREATE TABLE neighbourhood_centres (
    lsoa21_code VARCHAR PRIMARY KEY,
    centroids   INTEGER NOT NULL,
    lat         DOUBLE NOT NULL,
    lon         DOUBLE NOT NULL
);
COMMENT ON TABLE neighbourhood_centres IS 'DERIVED: for each 2021 LSOA of the five demo councils, the mean of its postcodes'' centroids (ONS Postcode Directory November 2025, LSOA by point in polygon; terminated postcodes included, each postcode once; centroids = how many were averaged, no postcode itself is kept): a proxy for where its people live, nearer it than the area''s interior point. Other LSOAs have no row and take neighbourhoods.point_lat/point_lon.';
-- Buildings a council lists in its network file as candidates for a new hub ([[candidate]]).
CREATE TABLE site_candidates (
    candidate_id VARCHAR PRIMARY KEY,
    council_code VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    lat          DOUBLE NOT NULL,
    lon          DOUBLE NOT NULL,
    illustrative BOOLEAN NOT NULL,
    note         VARCHAR
);
COMMENT ON TABLE site_candidates IS 'Buildings (libraries, schools, health centres...) each council lists in its network file as candidates for a new family hub, weighed by access_buildings and access_next_hub_buildings (access_candidates and access_next_hub weigh the LSOA centres). Positions flagged illustrative are plausible, not the council''s choice.';
-- Great-circle (haversine) distance in km between two WGS84 points on a sphere of the Earth's
-- mean radius, 6,371.0088 km (IUGG): a straight line, not a route.
CREATE MACRO haversine_km(lat1, lon1, lat2, lon2) AS
    2 * 6371.0088 * asin(least(1, sqrt(pow(sin(radians(lat2 - lat1) / 2), 2)
        + cos(radians(lat1)) * cos(radians(lat2)) * pow(sin(radians(lon2 - lon1) / 2), 2))));
-- Each LSOA of a council with the point access is measured from: the mean of its postcode
-- centroids where neighbourhood_centres holds it, else its interior point; centre_method says which.
CREATE MACRO access_centres(council) AS TABLE
    SELECT n.lsoa21_code, n.lsoa21_name, n.locality,
           coalesce(c.lat, n.point_lat) AS lat, coalesce(c.lon, n.point_lon) AS lon,
           CASE WHEN c.lsoa21_code IS NULL THEN 'interior point' ELSE 'postcodes' END AS centre_method,
           coalesce(c.centroids, 0) AS postcodes
    FROM neighbourhoods n LEFT JOIN neighbourhood_centres c ON c.lsoa21_code = n.lsoa21_code
    WHERE n.council_code = council;
-- A council's sites open on a day with a place to measure to: hubs, hublets, bridges and outreach
-- bases opened by the day and not closed by then, as sites_open counts them (online hubs excluded).
CREATE MACRO access_sites(council, day) AS TABLE
    SELECT site_id, name, kind, lat, lon, illustrative
    FROM sites
    WHERE council_code = council AND kind IN ('hub', 'hublet', 'bridge', 'outreach')
      AND lat IS NOT NULL AND lon IS NOT NULL
      AND opened <= day AND (closed IS NULL OR closed > day);
-- Each LSOA of a council with its IoD2025 IDACI decile and the children access is counted for:
-- aged 0-4 (ONS mid-2020 single years, the only single years by LSOA) and 0-19 (reach's
-- denominator for the day's financial year, neighbourhood_population), with that year's label.
CREATE MACRO access_children(council, day) AS TABLE
    SELECT n.lsoa21_code, n.idaci_decile, coalesce(p.children_0_4, 0)::BIGINT AS children_0_4,
           y.children_0_19::BIGINT AS children_0_19, d.label AS denominator
    FROM neighbourhood_profile n
    JOIN denominator_years d ON d.year_start = fy_year(day::DATE)
    JOIN neighbourhood_population y ON y.lsoa21_code = n.lsoa21_code AND y.mid_year = d.mid_year
    LEFT JOIN (SELECT lsoa21_code, sum(persons) AS children_0_4 FROM population
               WHERE age <= 4 AND lsoa21_code IN (SELECT lsoa21_code FROM neighbourhoods WHERE council_code = council)
               GROUP BY lsoa21_code) p ON p.lsoa21_code = n.lsoa21_code
    WHERE n.council_code = council;
-- The council's LSOAs in IDACI deciles 1-2 with their children and centre, and whether the
-- centre is within 2 km in a straight line of a hub open on the day (covered): what the
-- next-hub questions weigh candidates against, defined once for all four of them.
CREATE MACRO access_deprived(council, day) AS TABLE
    WITH centres AS (SELECT * FROM access_centres(council)),
    hub AS (
        SELECT c.lsoa21_code, min(haversine_km(c.lat, c.lon, s.lat, s.lon)) AS hub_km
        FROM centres c CROSS JOIN access_sites(council, day) s
        WHERE s.kind = 'hub'
        GROUP BY c.lsoa21_code
    )
    SELECT k.lsoa21_code, k.children_0_4, k.children_0_19, coalesce(h.hub_km <= 2, false) AS covered, c.lat, c.lon
    FROM access_children(council, day) k
    JOIN centres c ON c.lsoa21_code = k.lsoa21_code
    LEFT JOIN hub h ON h.lsoa21_code = k.lsoa21_code
    WHERE k.idaci_decile <= 2;

-- Record and cell keys for the cell key method (stats/cellkey.go). A record's key is a keyed hash
-- of its id (child, family, carer or contact) with the warehouse's secret salt, an integer in
-- [0, 2^60): fixed for the record's life, the same in every copy of it. A cell's key is the sum of
-- the keys of the distinct records it counts, modulo 2^60; sums of disjoint parts add (a family
-- has one home LSOA), so the rollups keep key sums beside their distinct counts (NAME_key) and
-- the questions add them up as they add the counts.
CREATE MACRO rkey(id) AS CASE WHEN id IS NOT NULL THEN (hash(id, (SELECT value FROM metadata WHERE key = 'record_key_salt')) >> 4)::BIGINT END;
CREATE MACRO cell_key(s) AS coalesce(s % 1152921504606846976, 0)::BIGINT;
-- A contact before the child's birth (antenatal: an unborn child) counts its family as an expectant
-- family, not the child as a child reached: reach's numerator and denominator are children born
-- and aged 0-19 (issue 14). A child with no birth date (none are loaded) is taken as born.
CREATE MACRO before_birth(contact_date, birth_date) AS coalesce(contact_date < birth_date, false);
COMMENT ON MACRO rkey IS 'Record key of an id: keyed hash with metadata.record_key_salt, in [0, 2^60). Never published.';

-- Rollups: summaries of contacts kept by the warehouse itself (rollups.sql), rebuilt for a council
-- whenever its contacts are generated or loaded. The named queries read these; queries/raw/ asks
-- each question again of raw contacts, and a test holds the two answers equal.
CREATE TABLE rollup_periods (
    period_start DATE NOT NULL,
    period_end   DATE NOT NULL,
    grain        VARCHAR NOT NULL,
    PRIMARY KEY (period_start, period_end)
);
COMMENT ON TABLE rollup_periods IS 'The periods the rollups keep whole: every financial-year quarter and financial year from the first contact to the last. Distinct counts do not add up across periods, so a question about any other period (a month, FROM..TO) is answered from raw contacts.';
COMMENT ON COLUMN rollup_periods.grain IS 'quarter or year (financial).';

CREATE TABLE reach_rollup (
    period_start     DATE NOT NULL,
    period_end       DATE NOT NULL,
    council_code     VARCHAR NOT NULL,
    lsoa21_code      VARCHAR NOT NULL,
    service_code     VARCHAR NOT NULL,
    children_reached BIGINT NOT NULL,
    families_reached BIGINT NOT NULL,
    contacts         BIGINT NOT NULL,
    children_key BIGINT NOT NULL,
    families_key BIGINT NOT NULL,
    contacts_key BIGINT NOT NULL,
    expectant_families     BIGINT NOT NULL,
    expectant_families_key BIGINT NOT NULL
);
COMMENT ON TABLE reach_rollup IS 'ROLLUP of contacts: per period (quarter and financial year), home LSOA and service, distinct children 0-19 and families reached and contacts. service_code = '''' is every service (not the sum of the services: a child may use several). Sums across LSOAs are exact: a family has one home LSOA.';
COMMENT ON COLUMN reach_rollup.children_reached IS 'Distinct children born and aged 0-19 on the day of a contact in the period: a contact before the child''s birth does not count it (issue 14).';
COMMENT ON COLUMN reach_rollup.expectant_families IS 'Distinct families with a contact before a child''s birth (antenatal) in the period: unborn children are counted here, not as children reached.';

CREATE TABLE channel_rollup (
    quarter_start    DATE NOT NULL,
    council_code     VARCHAR NOT NULL,
    locality         VARCHAR,
    service_code     VARCHAR NOT NULL,
    channel          VARCHAR NOT NULL,
    contacts         BIGINT NOT NULL,
    families_reached BIGINT NOT NULL,
    contacts_key BIGINT NOT NULL,
    families_key BIGINT NOT NULL
);
COMMENT ON TABLE channel_rollup IS 'ROLLUP of contacts: per financial-year quarter, locality of the home LSOA, service ('''' = every service) and channel, contacts and distinct families.';

CREATE TABLE service_rollup (
    period_start     DATE NOT NULL,
    period_end       DATE NOT NULL,
    council_code     VARCHAR NOT NULL,
    service_code     VARCHAR NOT NULL,
    age_band         VARCHAR NOT NULL,
    contacts         BIGINT NOT NULL,
    children_reached BIGINT NOT NULL,
    families_reached BIGINT NOT NULL,
    contacts_key BIGINT NOT NULL,
    children_key BIGINT NOT NULL,
    families_key BIGINT NOT NULL
);
COMMENT ON TABLE service_rollup IS 'ROLLUP of contacts: per period, council, service and age band of the child, contacts and distinct children (all ages) and families.';

CREATE TABLE site_rollup (
    period_start DATE NOT NULL,
    period_end   DATE NOT NULL,
    council_code VARCHAR NOT NULL,
    site_id      VARCHAR NOT NULL,
    service_code VARCHAR NOT NULL,
    contacts     BIGINT NOT NULL,
    families     BIGINT NOT NULL,
    children     BIGINT NOT NULL,
    contacts_key BIGINT NOT NULL,
    families_key BIGINT NOT NULL,
    children_key BIGINT NOT NULL
);
COMMENT ON TABLE site_rollup IS 'ROLLUP of contacts: per period, site and service ('''' = every service), contacts and distinct families and children (all ages). Contacts with no site are not here.';

CREATE TABLE people_rollup (
    period_start DATE NOT NULL,
    period_end   DATE NOT NULL,
    council_code VARCHAR NOT NULL,
    age_band     VARCHAR NOT NULL,
    families     BIGINT NOT NULL,
    children     BIGINT NOT NULL,
    carers       BIGINT NOT NULL,
    fathers      BIGINT NOT NULL,
    families_key BIGINT NOT NULL,
    children_key BIGINT NOT NULL,
    carers_key BIGINT NOT NULL,
    fathers_key BIGINT NOT NULL
);
CREATE TABLE decile_rollup (
    period_start     DATE NOT NULL,
    period_end       DATE NOT NULL,
    council_code     VARCHAR NOT NULL,
    idaci_decile     INTEGER,
    lsoas            BIGINT NOT NULL,
    children_reached BIGINT NOT NULL,
    families_reached BIGINT NOT NULL,
    children_key BIGINT NOT NULL,
    families_key BIGINT NOT NULL
);
COMMENT ON TABLE decile_rollup IS 'ROLLUP of reach_rollup (every service): per period, council and national IDACI decile, distinct children 0-19 and families reached, for questions about England and its regions.';

COMMENT ON TABLE people_rollup IS 'ROLLUP of contacts: per period, council and age band of the child (''all'' = any band, not the sum of the bands), distinct families, children, carers and fathers or male carers reached.';

-- Children's social care child by child: each referral and episode (in need, protection plan,
-- looked after) of each child, with the hub records' person id where the two are linked. In the
-- demo these are SYNTHETIC (source 'synthetic', synthetic/histories.go): the children the model
-- places in neighbourhoods at each 31 March, some given a hub child's identity, so every count
-- at 31 March still equals DfE's published figure.
CREATE TABLE care_episodes (
    council_code VARCHAR NOT NULL,
    care_id      VARCHAR NOT NULL,
    person_id    BIGINT,
    kind         VARCHAR NOT NULL CHECK (kind IN ('referral', 'in_need', 'protection_plan', 'looked_after')),
    start_date   DATE NOT NULL,
    end_date     DATE,
    end_reason   VARCHAR,
    lsoa21_code  VARCHAR,
    link_method  VARCHAR CHECK (link_method IN ('person id', 'linkage key')),
    source       VARCHAR NOT NULL
);
COMMENT ON TABLE care_episodes IS 'PERSONAL-LEVEL (OFFICIAL-SENSITIVE for a council''s records; SYNTHETIC in the demo, source = ''synthetic''): each child''s referrals (an event: no end_date) and episodes of need, protection plans and periods looked after, by the social care system''s child id (care_id), with the hub records'' person_id where linked (link_method: ''person id'' when both come from one system, ''linkage key'' when matched on a key the council made in both extracts; never guessed from names). end_reason: the CIN census reason for closure (RC9 = closed after assessment, referred to early help).';

CREATE TABLE person_keys (
    council_code VARCHAR NOT NULL,
    person_id    BIGINT NOT NULL,
    linkage_key  VARCHAR NOT NULL
);
COMMENT ON TABLE person_keys IS 'PERSONAL-LEVEL (OFFICIAL-SENSITIVE; empty in the demo): the linkage key of a person of the council''s hub records, from the people file''s linkage_key column (hubs load): a keyed hash (HMAC-SHA256, 64 lower-case hex characters) of the child''s NHS number or UPN, made by the council with a secret that never leaves it, the same in its social care extract, so care_episodes can link children from another system (link_method ''linkage key''). One key per person, unique within a council. Never shown on a page, in a PDF or an export.';

-- The outcome questions' shared definitions (queries/step_up.sql, step_up_by_group.sql,
-- journeys.sql, re_referral.sql), kept once so the questions cannot drift apart.
-- follow_up_end: the last day a council's children can be followed in its care histories: the
-- earlier of the data end and the 31 March ending the financial year of its last referral; NULL
-- when it holds no referral child by child (nobody can be followed, rather than no one referred).
CREATE MACRO follow_up_end(council) AS (
    SELECT CASE WHEN max(start_date) IS NOT NULL
                THEN least((SELECT value::DATE FROM metadata WHERE key = 'synthetic_end'),
                           make_date(fy_year(max(start_date)) + 1, 3, 31)) END
    FROM care_episodes WHERE council_code = council AND kind = 'referral'
);
-- first_contacts: each child's first contact after birth with the council's hubs (an unborn
-- child is not a child reached: before_birth), with the child's birth date and that contact's
-- home LSOA, age band and service (the lowest contact id breaks a tie on the day).
CREATE MACRO first_contacts(council) AS TABLE
    SELECT c.child_id, min(c.contact_date) AS first_contact, any_value(k.birth_date) AS birth_date,
           arg_min(c.lsoa21_code, (c.contact_date, c.contact_id)) AS lsoa21_code,
           arg_min(c.age_band, (c.contact_date, c.contact_id)) AS age_band,
           arg_min(c.service_code, (c.contact_date, c.contact_id)) AS service_code
    FROM contacts c LEFT JOIN people k ON k.person_id = c.child_id
    WHERE c.council_code = council AND c.age_band <> '20-25' AND NOT before_birth(c.contact_date, k.birth_date)
    GROUP BY c.child_id;
