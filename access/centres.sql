-- Fill neighbourhood_centres (warehouse/schema.sql) from the embedded postcode centres file
-- (access.Centres), staged in the build's file search path.
INSERT INTO neighbourhood_centres
SELECT lsoa21_code, postcodes, lat, lon
FROM read_csv('lsoa21_postcode_centres_5la.csv', header = true,
              columns = {'lsoa21_code': 'VARCHAR', 'postcodes': 'INTEGER', 'lat': 'DOUBLE', 'lon': 'DOUBLE'})
WHERE lsoa21_code IN (SELECT lsoa21_code FROM neighbourhoods);
