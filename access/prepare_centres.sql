-- The postcode centres file (access.PrepareCentres): for each 2021 LSOA, the number of the demo
-- councils' postcodes placed in it and the mean of their centroids, WGS84 to 6 decimals (about
-- 0.1 m; the directory places postcodes to 100 m). $1 is the derived postcode look-up.
SELECT lsoa21cd_derived AS lsoa21_code, count(*)::INTEGER AS postcodes,
       round(avg(lat_wgs84_derived::DOUBLE), 6) AS lat, round(avg(long_wgs84_derived::DOUBLE), 6) AS lon
FROM read_csv($1, header = true, all_varchar = true)
WHERE lsoa21cd_derived IS NOT NULL AND lat_wgs84_derived IS NOT NULL
GROUP BY lsoa21cd_derived
ORDER BY lsoa21cd_derived
