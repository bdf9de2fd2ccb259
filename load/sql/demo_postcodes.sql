-- demo_postcodes.sql: the five demo councils' derived postcode look-up ($1 is the embedded Parquet
-- file, written to a private temporary folder).
SELECT postcode, lsoa21_code, council_code FROM read_parquet($1)
