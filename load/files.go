// Package load brings a council's own records into a warehouse, and writes the demo data out in
// the same documented CSV formats (export), so the two can be checked against each other.
//
// The files, one folder per load (all UTF-8 CSV with a header row; dates YYYY-MM-DD; booleans
// true/false):
//
//	localities.csv  council_code, locality, ward_name, illustrative
//	sites.csv       site_id, council_code, name, kind, locality, lsoa21_code, lon, lat, opened, designated, closed, illustrative, note
//	families.csv    family_id, council_code, lsoa21_code
//	people.csv      person_id, family_id, role (child|carer), sex (F|M), birth_date, send, relation[, linkage_key]
//	contacts.csv    contact_id, contact_date, council_code, lsoa21_code, site_id, service_code, channel, family_id, child_id, carer_id, age_band
//	plan.csv        council_code, id, indicator, measure, unit, baseline, target, due, plan_start, entered, entered_on, illustrative, note
//
// people.csv may add a column linkage_key (optionalColumns): the person's linkage key, a keyed hash
// of their NHS number or UPN (64 hex characters), by which children's social care records from
// another system are linked to them (person_keys; carerecords).
//
// A load replaces these records for the councils it names and keeps everything else (the real
// reference data) as it was. It is all or nothing.
package load

// column is one column of a file: its name, type and whether a value is required.
type column struct {
	name     string
	kind     string // text, int, float, date, bool
	required bool
}

type fileSpec struct {
	name    string
	table   string
	columns []column
}

func c(name, kind string, required bool) column { return column{name, kind, required} }

// files in load order: each may refer to those before it.
var files = []fileSpec{
	{"localities.csv", "localities", []column{c("council_code", "text", true), c("locality", "text", true), c("ward_name", "text", true), c("illustrative", "bool", true)}},
	{"sites.csv", "sites", []column{c("site_id", "text", true), c("council_code", "text", true), c("name", "text", true), c("kind", "text", true),
		c("locality", "text", false), c("lsoa21_code", "text", false), c("lon", "float", false), c("lat", "float", false), c("opened", "date", true),
		c("designated", "date", true), c("closed", "date", false), c("illustrative", "bool", true), c("note", "text", false)}},
	{"families.csv", "families", []column{c("family_id", "int", true), c("council_code", "text", true), c("lsoa21_code", "text", true)}},
	{"people.csv", "people", []column{c("person_id", "int", true), c("family_id", "int", true), c("role", "text", true), c("sex", "text", true),
		c("birth_date", "date", false), c("send", "bool", false), c("relation", "text", false)}},
	{"contacts.csv", "contacts", []column{c("contact_id", "int", true), c("contact_date", "date", true), c("council_code", "text", true),
		c("lsoa21_code", "text", true), c("site_id", "text", false), c("service_code", "text", true), c("channel", "text", true),
		c("family_id", "int", true), c("child_id", "int", true), c("carer_id", "int", false), c("age_band", "text", true)}},
	{"plan.csv", "fund_plan", []column{c("council_code", "text", true), c("id", "text", true), c("indicator", "text", true), c("measure", "text", true),
		c("unit", "text", false), c("baseline", "float", true), c("target", "float", true), c("due", "date", true), c("plan_start", "date", true),
		c("entered", "float", false), c("entered_on", "date", false), c("illustrative", "bool", true), c("note", "text", false)}},
}

// optionalColumns are columns a file may add to its documented ones: read when the header names
// them, never required. They are not staged with the file's table: people.csv's linkage_key goes
// to person_keys (load_person_keys). A file that names one is read by the Go reader, not the bulk
// path (its header is not the documented one).
var optionalColumns = map[string][]column{
	"people.csv": {c("linkage_key", "text", false)},
}
