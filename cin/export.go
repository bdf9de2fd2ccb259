package cin

import (
	"context"
	_ "embed"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"familyhubs/internal/files"
	"familyhubs/postcodes"
	"familyhubs/queries"
)

//go:embed export_demo.sql
var exportDemoSQL string

// DemoIDBase is the first LAchildID (and SSD person id) of the demo's SYNTHETIC children in need:
// above every person id the demo warehouse gives, so an SSD extract can hold both.
const DemoIDBase = 9_000_000_000

// DemoChild is one SYNTHETIC child in need at one 31 March, invented for a child the warehouse
// places in a neighbourhood then (care_neighbourhood, measure in_need), deterministically: the
// same warehouse gives the same children, ids, dates and codes on every run. Their episode of need
// is open on that 31 March only: referred on or before it, after the previous 31 March, and closed
// within the year after it. A child on a protection plan (measure protection_plan) has one open
// on that 31 March only too, started on or after the referral, ended by the closure.
type DemoChild struct {
	Council, Slug string
	LEA           int // the council's DfE number
	Year          int // the 31 March the child is counted at
	LSOA          string
	Postcode      string // a real postcode of the LSOA, from the look-up (the CIN census holds none)
	ID            string // LAchildID, a whole number from DemoIDBase
	Sex           string // M or F
	DOB           time.Time
	Referral      time.Time
	Source, Need  string    // ReferralSource, PrimaryNeedCode
	Closure       time.Time // within the year after Year's 31 March
	Reason        string    // ReasonForClosure
	AssessStart   time.Time // the assessment, started on or after the referral
	AssessEnd     time.Time // and authorised by the 31 March
	Factor        string    // the factor identified at assessment
	Plan          bool      // on a child protection plan at the 31 March
	PlanStart     time.Time
	PlanEnd       time.Time
	Abuse         string // initial and latest category of abuse
}

func hash64(s string) uint64 {
	h := fnv.New64a()
	io.WriteString(h, s)
	return h.Sum64()
}

// codes the synthetic children are given, each valid in DfE's CIN census for 2025-26.
var (
	demoSources = []string{"1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4", "5A", "5B", "5C", "5D", "6", "7", "8", "9", "10"}
	demoNeeds   = []string{"N1", "N1", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"}
	demoFactors = []string{"1B", "2B", "3B", "4B", "5B", "6B", "7A", "8B", "9A", "10A", "16A", "17A", "18B", "19B", "20", "22A"}
	demoAbuse   = []string{"NEG", "NEG", "EMO", "EMO", "PHY", "SAB", "MUL"}
)

// DemoChildren invents, for each council with a network, one child for each child in need the
// warehouse places in a neighbourhood at each 31 March, the first of each LSOA's on a protection
// plan as many as the warehouse places there on one, each with a home postcode of the LSOA from
// the look-up. In council, year and LSOA order.
func DemoChildren(ctx context.Context, db queries.Querier, l *postcodes.Lookup) ([]DemoChild, error) {
	rows, err := db.QueryContext(ctx, exportDemoSQL)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	inLSOA := l.InLSOA()
	var out []DemoChild
	n := map[string]int{} // children so far, by council
	for rows.Next() {
		var council, slug, lsoa string
		var year, need, plans, lea int
		if err := rows.Scan(&council, &slug, &year, &lsoa, &need, &plans, &lea); err != nil {
			return nil, err
		}
		pcs := inLSOA[lsoa]
		if len(pcs) == 0 {
			return nil, fmt.Errorf("no postcode in %s's look-up for LSOA %s", l.Source, lsoa)
		}
		if plans > need {
			return nil, fmt.Errorf("%s %d %s: %d children on protection plans but %d in need", council, year, lsoa, plans, need)
		}
		march := time.Date(year, 3, 31, 0, 0, 0, 0, time.UTC)
		for i := 0; i < need; i++ {
			n[council]++
			h := hash64(fmt.Sprintf("%s|%d|%s|%d|in_need", council, year, lsoa, i))
			g := hash64(fmt.Sprintf("%d|%s", h, "cin"))
			c := DemoChild{Council: council, Slug: slug, LEA: lea, Year: year, LSOA: lsoa,
				ID: strconv.FormatInt(DemoIDBase+int64(n[council]), 10), Sex: "M"}
			pc := pcs[int(h>>48)%len(pcs)]
			c.Postcode = pc[:len(pc)-3] + " " + pc[len(pc)-3:]
			if h>>44%2 == 1 {
				c.Sex = "F"
			}
			age := int(h % 18)
			c.DOB = march.AddDate(-age-1, 0, 1+int(h>>8%364)) // aged `age` on the day
			c.Referral = march.AddDate(0, 0, -int(h>>20%365)) // after the previous 31 March
			if c.Referral.Before(c.DOB) {
				c.Referral = c.DOB
			}
			c.Closure = march.AddDate(0, 0, 1+int(h>>32%364)) // before the next 31 March
			c.Reason = "RC7"                                  // services ceased: no longer in need
			c.Source = demoSources[g%uint64(len(demoSources))]
			c.Need = demoNeeds[g>>8%uint64(len(demoNeeds))]
			c.Factor = demoFactors[g>>16%uint64(len(demoFactors))]
			c.AssessStart = minDate(c.Referral.AddDate(0, 0, int(g>>24%10)), march)
			c.AssessEnd = minDate(c.AssessStart.AddDate(0, 0, 1+int(g>>32%44)), march)
			if i < plans {
				c.Plan = true
				c.Need = "N1" // abuse or neglect
				c.PlanStart = minDate(c.AssessEnd.AddDate(0, 0, int(g>>40%30)), march)
				c.PlanEnd = march.AddDate(0, 0, 1+int(uint64(c.Closure.Sub(march).Hours()/24)*(g>>48%1000)/1000))
				if c.PlanEnd.After(c.Closure) {
					c.PlanEnd = c.Closure
				}
				c.Abuse = demoAbuse[g>>56%uint64(len(demoAbuse))]
			}
			out = append(out, c)
		}
	}
	return out, rows.Err()
}

func minDate(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// ExportDemo writes, for each council with a network, a SYNTHETIC Children in Need census in
// DfE's 2025-26 XML shape (the shape Read reads) for each collection year the warehouse has
// children in need for, as DIR/cin-SLUG/cin-YEAR.xml: one child for each child the warehouse
// places in a neighbourhood at that 31 March as in need, those it places on a protection plan with
// one open (DemoChildren), their episodes open on the reference date; and, as a census holds
// every episode open at any time in its year, the previous year's children with the episodes and
// plans that closed in the year. So Read counts DfE's published children in need and on
// protection plans at every 31 March, with no findings. The census holds no postcode, so the
// children's homes are not in it (ssd.ExportDemo gives the same children with their homes).
// Children, dates and codes are invented. It returns the folders written.
func ExportDemo(ctx context.Context, db queries.Querier, dir string, l *postcodes.Lookup) ([]string, error) {
	children, err := DemoChildren(ctx, db, l)
	if err != nil {
		return nil, err
	}
	type key struct {
		council string
		year    int
	}
	byYear := map[key][]DemoChild{}
	var folders []string
	var order []key
	for _, c := range children {
		k := key{c.Council, c.Year}
		if byYear[k] == nil {
			order = append(order, k)
		}
		byYear[k] = append(byYear[k], c)
	}
	seen := map[string]bool{}
	for _, k := range order {
		cs := byYear[k]
		folder := filepath.Join(dir, "cin-"+cs[0].Slug)
		if !seen[k.council] {
			seen[k.council] = true
			if err := os.MkdirAll(folder, 0o700); err != nil {
				return nil, err
			}
			if err := os.Chmod(folder, 0o700); err != nil {
				return nil, err
			}
			folders = append(folders, folder)
		}
		closed := byYear[key{k.council, k.year - 1}]
		path := filepath.Join(folder, fmt.Sprintf("cin-%d.xml", k.year))
		if err := files.WritePrivate(path, func(w io.Writer) error { return writeCensus(w, k.year, cs, closed) }); err != nil {
			return nil, err
		}
	}
	return folders, nil
}

// writeCensus writes one year's census: the children open at its reference date, then those of
// the year before, whose episodes closed in the year.
func writeCensus(w io.Writer, year int, open, closed []DemoChild) error {
	ref := time.Date(year, 3, 31, 0, 0, 0, 0, time.UTC)
	lea := open[0].LEA
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<!-- SYNTHETIC: the familyhubs demo's invented Children in Need census for %s, 1 April %d to 31 March %d.
     No real child: one invented child for each child the demo warehouse places in a neighbourhood as
     in need at 31 March %d (DfE's published total shared among LSOAs), with invented ids, dates and
     codes, and the previous year's invented children whose episodes closed in the year. -->
<Message>
  <Header>
    <CollectionDetails>
      <Collection>CIN</Collection>
      <Year>%d</Year>
      <ReferenceDate>%s</ReferenceDate>
    </CollectionDetails>
    <Source>
      <SourceLevel>L</SourceLevel>
      <LEA>%d</LEA>
      <SoftwareCode>familyhubs demo</SoftwareCode>
      <Release>1</Release>
      <SerialNo>1</SerialNo>
      <DateTime>%sT00:00:00</DateTime>
    </Source>
  </Header>
  <Children>
`, open[0].Slug, year-1, year, year, year, ref.Format(layout), lea, ref.AddDate(0, 1, 0).Format(layout))
	for _, c := range open {
		writeChild(w, c, ref)
	}
	for _, c := range closed {
		writeChild(w, c, ref)
	}
	_, err := io.WriteString(w, "  </Children>\n</Message>\n")
	return err
}

// writeChild writes one Child as the census holds it on the reference date ref: what happened
// after ref is not yet known.
func writeChild(w io.Writer, c DemoChild, ref time.Time) {
	d := func(t time.Time) string { return t.Format(layout) }
	fmt.Fprintf(w, `    <Child>
      <ChildIdentifiers>
        <LAchildID>%s</LAchildID>
        <PersonBirthDate>%s</PersonBirthDate>
        <Sex>%s</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics>
        <Ethnicity>NOBT</Ethnicity>
        <Disabilities>
          <Disability>NONE</Disability>
        </Disabilities>
      </ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>%s</CINreferralDate>
        <ReferralSource>%s</ReferralSource>
        <PrimaryNeedCode>%s</PrimaryNeedCode>
`, c.ID, d(c.DOB), c.Sex, d(c.Referral), c.Source, c.Need)
	if !c.Closure.After(ref) {
		fmt.Fprintf(w, "        <CINclosureDate>%s</CINclosureDate>\n        <ReasonForClosure>%s</ReasonForClosure>\n", d(c.Closure), c.Reason)
	}
	if c.Plan {
		fmt.Fprintf(w, "        <DateOfInitialCPC>%s</DateOfInitialCPC>\n", d(c.PlanStart))
	}
	fmt.Fprintf(w, `        <ReferralNFA>0</ReferralNFA>
        <Assessments>
          <AssessmentActualStartDate>%s</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>%s</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment>
            <AssessmentFactors>%s</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>
`, d(c.AssessStart), d(c.AssessEnd), c.Factor)
	if c.Plan {
		fmt.Fprintf(w, "        <ChildProtectionPlans>\n          <CPPstartDate>%s</CPPstartDate>\n", d(c.PlanStart))
		if !c.PlanEnd.After(ref) {
			fmt.Fprintf(w, "          <CPPendDate>%s</CPPendDate>\n", d(c.PlanEnd))
		}
		fmt.Fprintf(w, `          <InitialCategoryOfAbuse>%s</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>%s</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
        </ChildProtectionPlans>
`, c.Abuse, c.Abuse)
	}
	io.WriteString(w, "      </CINdetails>\n    </Child>\n")
}
