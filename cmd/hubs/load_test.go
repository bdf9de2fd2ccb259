package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hubs load refuses to erase a council's contacts unless --allow-empty is given, and makes a new
// warehouse readable by its owner alone.
func TestLoadAllowEmpty(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"localities.csv": "council_code,locality,ward_name,illustrative\nE08000007,Heatons,Heatons North,true\n",
		"sites.csv":      "site_id,council_code,name,kind,locality,lsoa21_code,lon,lat,opened,designated,closed,illustrative,note\n",
		"families.csv":   "family_id,council_code,lsoa21_code\n",
		"people.csv":     "person_id,family_id,role,sex,birth_date,send,relation\n",
		"contacts.csv":   "contact_id,contact_date,council_code,lsoa21_code,site_id,service_code,channel,family_id,child_id,carer_id,age_band\n",
		"plan.csv":       "council_code,id,indicator,measure,unit,baseline,target,due,plan_start,entered,entered_on,illustrative,note\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(t.TempDir(), "council.duckdb")
	if _, _, err := hubs(t, "load", "--db", db, dir); err == nil || !strings.Contains(err.Error(), "E08000007 (Stockport)") || !strings.Contains(err.Error(), "--allow-empty") {
		t.Fatalf("erasing Stockport's contacts: %v", err)
	}
	if _, err := os.Stat(db); err == nil {
		t.Fatal("a refused load made the warehouse")
	}
	out, _, err := hubs(t, "load", "--allow-empty", "--wait", "--db", db, dir)
	if err != nil || !strings.Contains(out, "contacts 0") {
		t.Fatalf("%v: %s", err, out)
	}
	if st, err := os.Stat(db); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the new warehouse: %v, %v", st.Mode(), err)
	}
}
