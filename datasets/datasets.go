// Package datasets holds the real published data the warehouse is built from, embedded in the
// binary: compact Parquet files prepared from ../shared/datasets by prepare.sql and Prepare, the
// generalised boundaries (gzipped GeoJSON) and each council's editable network file. Where each
// file came from, and its licence, is in PROVENANCE.md beside it.
package datasets

import "embed"

// FS holds every file the warehouse needs.
//
//go:embed *.parquet councils/*.toml boundaries README.md PROVENANCE.md
var FS embed.FS

// Editions, as printed with every figure that uses them.
const (
	IoD2025 = "English Indices of Deprivation 2025 (MHCLG), 2021 LSOAs"
	IoD2019 = "English Indices of Deprivation 2019 (MHCLG), 2011 LSOAs bridged to 2021 LSOAs: not comparable rank for rank with IoD2025"
	MidYear = "DfE/ONS mid-year estimates of children by council (each financial year's previous mid-year, 2012-2024), shared among 2021 LSOAs by Census 2021 children 0-15 and ONS mid-2020 ages 16-19"
	OGL     = "Contains public sector information licensed under the Open Government Licence v3.0. " +
		"Source: Office for National Statistics licensed under the Open Government Licence v.3.0. " +
		"Contains OS data © Crown copyright and database right 2025."
)
