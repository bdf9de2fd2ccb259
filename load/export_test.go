package load

// Fixtures the load's tests share: the internal tests (fuzz_test.go) and the external ones, which
// are external because they open the demo warehouse and the demo is built through this package.

var GoodLocalities = "council_code,locality,ward_name,illustrative\nE08000007,Heatons,Heatons North,true\nE08000007,Heatons,Heatons South,true\n"

var BrokenFiles = map[string]string{
	"localities.csv": GoodLocalities,
	"sites.csv": "site_id,council_code,name,kind,locality,lsoa21_code,lon,lat,opened,designated,closed,illustrative,note\n" +
		"S1,E08000007,Heatons Hub,hub,Heatons,E01005918,-2.18,53.42,2023-09-04,2023-09-04,,true,\n" +
		"S2,E08000007,Bad Kind,castle,Heatons,E01005918,-2.18,53.42,2023-09-04,2023-09-04,,true,\n" +
		"S3,E08000007,Nowhere,bridge,Heatons,E09999999,-2.18,53.42,2023-09-04,2023-09-04,,true,\n",
	"families.csv": "family_id,council_code,lsoa21_code\n1,E08000007,E01005918\n2,E08000007,E01005918\n2,E08000007,E01005918\nthree,E08000007,E01005918\n",
	"people.csv": "person_id,family_id,role,sex,birth_date,send,relation\n10,1,child,F,2020-05-01,false,\n11,1,carer,F,,,mother\n" +
		"12,1,child,M,2031-01-01,false,\n",
	"contacts.csv": "contact_id,contact_date,council_code,lsoa21_code,site_id,service_code,channel,family_id,child_id,carer_id,age_band\n" +
		"100,2024-06-03,E08000007,E01005918,S1,parenting,hub,1,10,11,3-4\n" +
		"101,2024-06-03,E08000007,E01005918,S9,parenting,hub,1,10,11,3-4\n" +
		"102,2009-01-02,E08000007,E01005918,S1,parenting,hub,1,10,11,0-2\n" +
		"103,2024-06-03,E08000007,E01005918,S1,parenting,hub,1,10,11,12-19\n" +
		"104,2024-06-03,E08000007,E09999999,S1,parenting,hub,1,10,11,3-4\n" +
		"105,2024-06-03,E08000007,E01005918,S1,knitting,hub,1,10,11,3-4\n" +
		"100,2024-06-04,E08000007,E01005918,S1,parenting,hub,1,10,11,3-4\n" +
		"107,2024-06-31,E08000007,E01005918,S1,parenting,hub,1,10,11,3-4\n" +
		"108,2024-06-03,E08000007,E01005918,S1,parenting,hub,1,10,11,\"3-4\n",
	// Latin-1 "£": not UTF-8
	"plan.csv": "council_code,id,indicator,measure,unit,baseline,target,due,plan_start,entered,entered_on,illustrative,note\n" +
		"E08000007,TF1,Budget \xa3 spent,entered,,0,1,2025-03-31,2024-04-01,1,2025-01-01,true,\n",
}

// A small clean folder for Stockport that the bulk path loads.
func CleanFolder() map[string]string {
	return map[string]string{
		"localities.csv": GoodLocalities,
		"sites.csv": "site_id,council_code,name,kind,locality,lsoa21_code,lon,lat,opened,designated,closed,illustrative,note\n" +
			"S1,E08000007,Heatons Hub,hub,Heatons,E01005918,-2.18,53.42,2023-09-04,2023-09-04,,true,\n",
		"families.csv": "family_id,council_code,lsoa21_code\n1,E08000007,E01005918\n2,E08000007,E01005918\n",
		"people.csv": "person_id,family_id,role,sex,birth_date,send,relation\n10,1,child,F,2020-05-01,false,\n11,1,carer,F,,,mother\n" +
			"20,2,child,M,2001-03-01,true,\n21,2,carer,M,,,father\n",
		"contacts.csv": "contact_id,contact_date,council_code,lsoa21_code,site_id,service_code,channel,family_id,child_id,carer_id,age_band\n" +
			"100,2024-06-03,E08000007,E01005918,S1,parenting,hub,1,10,11,3-4\n" +
			"101,2024-06-04,E08000007,E01005918,,send_support,home visit,2,20,,20-25\n" +
			"102,2019-11-01,E08000007,E01005918,S1,midwifery_antenatal,hub,1,10,11,0-2\n",
		"plan.csv": "council_code,id,indicator,measure,unit,baseline,target,due,plan_start,entered,entered_on,illustrative,note\n" +
			"E08000007,TF1,Budget spent,entered,,0,1,2025-03-31,2024-04-01,1,2025-01-01,true,\n",
	}
}

// What the external tests reach inside the package for.
var (
	CopyFile   = copyFile
	SQLText    = sqlText
	MapFolder  = mapFolder
	NewVersion = newVersion
	NewHash    = newHash
)

const ContactsHeader = contactsHeader

func ContactLines(from, n int) string { return contactLines(from, n) }

// LoadFiles names the six load files, in the order a load reads them.
func LoadFiles() []string {
	var n []string
	for _, f := range files {
		n = append(n, f.name)
	}
	return n
}

// WithGoReader sends every file through the Go reader, as when the bulk path declines.
func (o Options) WithGoReader() Options { o.goReader = true; return o }

// WithAfterAppend runs f once the rows are appended and before they are applied.
func (o Options) WithAfterAppend(f func()) Options { o.afterAppend = f; return o }

// ParseDate reads value in a mapping's date format, as the mapping pass does.
func ParseDate(format, value string) (string, bool, error) {
	f, err := compileDate(format)
	if err != nil {
		return "", false, err
	}
	got, ok := f.parse(value, nil)
	return string(got), ok, nil
}

// MappedRows is how many rows the mapping pass rewrote into our file name.
func MappedRows(mp *mapped, name string) int { return mp.files[name].rows }
