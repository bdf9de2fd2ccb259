package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"familyhubs/queries"
)

// ExampleMapping maps an export shaped like a case system's (column names in the style of
// Liquidlogic's EHM, DD/MM/YYYY dates, codes written as words) to the load formats. The README
// shows it; ExportMapped writes the demo's records in its shape, and hubs bench times their load.
const ExampleMapping = `# The council's early help export, mapped once. Left: our column; right: the council's.
[families]
file = "EHM_Families.csv"
[families.columns]
family_id = "Family ID"
council_code = "LA Code"
lsoa21_code = "LSOA 2021"        # or: postcode = "Home Postcode" (then load with --postcodes)

[people]
file = "EHM_Family_Members.csv"
dates = "DD/MM/YYYY"
[people.columns]
person_id = "Person ID"
family_id = "Family ID"
role = "Member Type"
sex = "Gender"
birth_date = "Date of Birth"
send = "SEND"
relation = "Relationship"
[people.codes.role]
"Child" = "child"
"Parent/Carer" = "carer"
[people.codes.sex]
"Female" = "F"
"Male" = "M"
[people.codes.send]
"Y" = "true"
"N" = "false"
[people.codes.relation]
"Mother" = "mother"
"Father" = "father"
"Other Carer" = "other carer"

[contacts]
file = "EHM_Attendance.csv"
dates = "DD/MM/YYYY"
[contacts.columns]
contact_id = "Attendance ID"
contact_date = "Session Date"
council_code = "LA Code"
lsoa21_code = "LSOA 2021"
site_id = "Venue Code"
service_code = "Session Type"
channel = "Delivery Method"
family_id = "Family ID"
child_id = "Child Person ID"
carer_id = "Carer Person ID"
age_band = "Age Group"
[contacts.codes.service_code]
"Antenatal" = "midwifery_antenatal"
"Health Visiting" = "health_visiting"
"Infant Feeding" = "infant_feeding"
"Perinatal Mental Health" = "perinatal_mental_health"
"Parenting Programme" = "parenting"
"Stay and Play" = "early_learning"
"SEND Support" = "send_support"
"Youth Club" = "youth_work"
"Emotional Wellbeing" = "children_mental_health"
"Substance Misuse" = "drug_alcohol"
"Domestic Abuse" = "domestic_abuse"
"Relationship Support" = "relationship_support"
"Housing Advice" = "housing"
"Welfare Rights" = "benefits_debt"
"Adult Learning" = "employment_learning"
"Food Bank" = "food_fuel"
[contacts.codes.channel]
"Family Hub" = "hub"
"Hublet" = "hublet"
"Bridge Venue" = "bridge"
"Outreach" = "outreach"
"Home Visit" = "home visit"
"Virtual" = "online"
[contacts.codes.age_band]
"0-2 years" = "0-2"
"3-4 years" = "3-4"
"5-11 years" = "5-11"
"12-19 years" = "12-19"
"20-25 years (SEND)" = "20-25"
`

// ExportMapped writes the warehouse's records to dir as ExampleMapping describes a council's
// export (its file names, its column names in an order of its own, DD/MM/YYYY dates, its codes),
// and the mapping beside them as mapping.toml; the network files stay in the load formats. It
// returns the mapping file's path. Each file is 0600.
func ExportMapped(ctx context.Context, db queries.Querier, dir string) (string, error) {
	if err := Export(ctx, db, dir); err != nil {
		return "", err
	}
	m, err := ParseMapping("mapping.toml", []byte(ExampleMapping))
	if err != nil {
		return "", err
	}
	for _, fm := range m.files {
		if err := exportAs(fm, filepath.Join(dir, fm.spec.name), filepath.Join(dir, fm.from)); err != nil {
			return "", err
		}
		if err := os.Remove(filepath.Join(dir, fm.spec.name)); err != nil {
			return "", err
		}
	}
	path := filepath.Join(dir, "mapping.toml")
	err = writePrivate(path, func(w io.Writer) error { _, err := io.WriteString(w, ExampleMapping); return err })
	return path, err
}

// exportAs rewrites one of our files (from) as the council's (to): the mapping run backwards.
func exportAs(fm *fileMapping, from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	cr := newCSVReader(in)
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s: %w", from, err)
	}
	at := map[string]int{}
	for i, h := range header {
		at[h] = i
	}
	// the council's columns in an order of their own (by name)
	var cols []*colMapping
	for _, c := range fm.cols {
		if c.from != "" {
			cols = append(cols, c)
		}
	}
	sort.Slice(cols, func(i, j int) bool { return cols[i].from < cols[j].from })
	back := make([]map[string]string, len(cols))
	for i, c := range cols {
		if _, ok := at[c.ours]; !ok {
			return fmt.Errorf("%s has no column %s", from, c.ours)
		}
		if c.codes != nil {
			back[i] = map[string]string{}
			for _, code := range sortedKeys(c.codes) {
				if _, seen := back[i][c.codes[code]]; !seen {
					back[i][c.codes[code]] = code
				}
			}
		}
	}
	return writePrivate(to, func(w io.Writer) error {
		var line []byte
		for i, c := range cols {
			if i > 0 {
				line = append(line, ',')
			}
			line = append(line, c.from...)
		}
		line = append(line, '\n')
		for {
			if _, err := w.Write(line); err != nil {
				return err
			}
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%s: %w", from, err)
			}
			line = line[:0]
			for i, c := range cols {
				if i > 0 {
					line = append(line, ',')
				}
				v := rec[at[c.ours]]
				switch {
				case v == "":
				case back[i] != nil:
					code, ok := back[i][v]
					if !ok {
						return fmt.Errorf("%s: %s %q has no code in the example mapping", from, c.ours, v)
					}
					v = code
				case c.kind == "date":
					d, err := time.Parse(time.DateOnly, v)
					if err != nil {
						return fmt.Errorf("%s: %s %q: %w", from, c.ours, v, err)
					}
					v = fm.dates.format(d)
				}
				if strings.ContainsAny(v, ",\"\n\r") {
					v = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
				}
				line = append(line, v...)
			}
			line = append(line, '\n')
		}
	})
}
