package ssd

import (
	"context"
	_ "embed"
	"encoding/csv"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"familyhubs/cin"
	"familyhubs/internal/files"
	"familyhubs/load"
	"familyhubs/postcodes"
	"familyhubs/queries"
)

var (
	//go:embed export_demo_councils.sql
	demoCouncilsSQL string
	//go:embed export_demo_people.sql
	demoPeopleSQL string
	//go:embed export_demo_contacts.sql
	demoContactsSQL string
	//go:embed export_demo_looked_after.sql
	demoLookedAfterSQL string
)

// lookedAfterIDBase is the first person id of the demo's SYNTHETIC children looked after, above
// the children in need's (cin.DemoIDBase) and every id the demo warehouse gives.
const lookedAfterIDBase = cin.DemoIDBase + 500_000_000

func hash64(s string) uint64 {
	h := fnv.New64a()
	io.WriteString(h, s)
	return h.Sum64()
}

// ExportDemo writes, for each council with a network, a SYNTHETIC extract of the Standard
// Safeguarding Dataset in DIR/ssd-SLUG/: the tables Read reads, built from the warehouse.
//
//   - ssd_person, ssd_family, ssd_address: the council's children (the SSD holds no carers) in
//     their families, each at home from birth (or from the family's first contact, if earlier) at
//     the family's postcode (homePostcode: a real postcode of its LSOA, as load.ExportStandard
//     gives it); a child born after the extract's date (its latest contact) has an expected date
//     of birth;
//   - ssd_contacts: every contact of the council, for the child it names, on its day;
//     ssd_early_help_episodes is empty (the warehouse holds contacts, not episodes: an episode
//     would be converted into one more contact);
//   - ssd_cin_episodes and ssd_cp_plans: the children in need and on protection plans
//     cin.DemoChildren invents (the same children, ids and dates as cin.ExportDemo's census), each
//     at home in the LSOA the warehouse places them in;
//   - ssd_cla_episodes and ssd_legal_status (C2): one child for each child the warehouse places
//     in a neighbourhood as looked after at each 31 March, with the dates and home postcode
//     load.ExportSSDA903 gives that child (a placement changing within the year starts a second
//     episode), the episode ceasing within the year after, as every episode of need and plan
//     does, so nothing is open at 31 March 2026, for which DfE has published nothing.
//
// So Read counts DfE's published children in need, on protection plans and looked after at every
// 31 March, each child at home in the neighbourhood the warehouse places them in, and WriteLoad's
// load files give the warehouse's families, children and contacts back (each care child a
// family of their own, without contacts). Care children, their dates and codes are invented;
// dates are written YYYY-MM-DD. It returns the folders written.
func ExportDemo(ctx context.Context, db queries.Querier, dir string, l *postcodes.Lookup) ([]string, error) {
	children, err := cin.DemoChildren(ctx, db, l)
	if err != nil {
		return nil, err
	}
	inNeed := map[string][]cin.DemoChild{}
	for _, c := range children {
		inNeed[c.Council] = append(inNeed[c.Council], c)
	}
	rows, err := db.QueryContext(ctx, demoCouncilsSQL)
	if err != nil {
		return nil, err
	}
	type council struct {
		code, slug string
		date       time.Time
	}
	var councils []council
	for rows.Next() {
		var c council
		var date *time.Time
		if err := rows.Scan(&c.code, &c.slug, &date); err != nil {
			rows.Close()
			return nil, err
		}
		if date != nil {
			c.date = *date
		}
		councils = append(councils, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	inLSOA := l.InLSOA()
	var folders []string
	for _, c := range councils {
		folder := filepath.Join(dir, "ssd-"+c.slug)
		if err := os.MkdirAll(folder, 0o700); err != nil {
			return nil, err
		}
		if err := os.Chmod(folder, 0o700); err != nil {
			return nil, err
		}
		e := &demoExtract{dir: folder, council: c.code, date: c.date, inLSOA: inLSOA, homes: load.NewHomes(l), source: l.Source, inNeed: inNeed[c.code]}
		if err := e.write(ctx, db); err != nil {
			return nil, fmt.Errorf("%s: %w", c.slug, err)
		}
		folders = append(folders, folder)
	}
	return folders, nil
}

type demoExtract struct {
	dir, council string
	date         time.Time // the extract's date: the council's latest contact
	inLSOA       map[string][]string
	homes        *load.Homes
	source       string
	inNeed       []cin.DemoChild
}

// careChild is a SYNTHETIC child in need or looked after, as ssd_person and ssd_address hold it.
type careChild struct {
	id, sex  string
	dob      time.Time
	postcode string
}

type lookedAfter struct {
	careChild
	episodes [][2]time.Time
}

var demoHeaders = map[string][]string{
	"ssd_person":              {"pers_person_id", "pers_sex", "pers_gender", "pers_dob", "pers_expected_dob", "pers_send_flag"},
	"ssd_family":              {"fami_table_id", "fami_family_id", "fami_person_id"},
	"ssd_address":             {"addr_table_id", "addr_person_id", "addr_address_type", "addr_address_start_date", "addr_address_end_date", "addr_address_postcode"},
	"ssd_contacts":            {"cont_contact_id", "cont_person_id", "cont_contact_date"},
	"ssd_early_help_episodes": {"earl_episode_id", "earl_person_id", "earl_episode_start_date", "earl_episode_end_date", "earl_episode_reason"},
	"ssd_cin_episodes":        {"cine_referral_id", "cine_person_id", "cine_referral_date", "cine_cin_primary_need_code", "cine_referral_source_code", "cine_close_reason", "cine_close_date", "cine_referral_nfa"},
	"ssd_cp_plans":            {"cppl_cp_plan_id", "cppl_referral_id", "cppl_person_id", "cppl_cp_plan_start_date", "cppl_cp_plan_end_date", "cppl_cp_plan_ola", "cppl_cp_plan_initial_category", "cppl_cp_plan_latest_category"},
	"ssd_cla_episodes":        {"clae_cla_episode_id", "clae_person_id", "clae_cla_episode_start_date", "clae_cla_episode_start_reason", "clae_cla_primary_need_code", "clae_cla_episode_ceased_date", "clae_cla_episode_ceased_reason"},
	"ssd_legal_status":        {"lega_legal_status_id", "lega_person_id", "lega_legal_status", "lega_legal_status_start_date", "lega_legal_status_end_date"},
}

// table writes one table of the extract, readable by its owner alone.
func (e *demoExtract) table(name string, rows func(put func(...string) error) error) error {
	return files.WritePrivate(filepath.Join(e.dir, name+".csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(demoHeaders[name]); err != nil {
			return err
		}
		if err := rows(func(r ...string) error { return cw.Write(r) }); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	})
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

func spaceless(pc string) string { return strings.ReplaceAll(pc, " ", "") }

func (e *demoExtract) write(ctx context.Context, db queries.Querier) error {
	// the warehouse's children
	type child struct {
		id, family, sex, lsoa string
		birth, home           time.Time
		send                  bool
	}
	var kids []child
	rows, err := db.QueryContext(ctx, demoPeopleSQL, e.council)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, family int64
		var k child
		var first *time.Time
		if err := rows.Scan(&id, &family, &k.sex, &k.birth, &k.send, &k.lsoa, &first); err != nil {
			rows.Close()
			return err
		}
		if id >= cin.DemoIDBase {
			rows.Close()
			return fmt.Errorf("person %d: the warehouse's ids reach the synthetic care children's (from %d)", id, int64(cin.DemoIDBase))
		}
		k.id, k.family = strconv.FormatInt(id, 10), strconv.FormatInt(family, 10)
		k.home = k.birth
		if first != nil && first.Before(k.home) {
			k.home = *first
		}
		if k.home.After(e.date) {
			k.home = e.date
		}
		kids = append(kids, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// the children looked after, as load.ExportSSDA903 invents them
	var cla []lookedAfter
	rows, err = db.QueryContext(ctx, demoLookedAfterSQL, e.council)
	if err != nil {
		return err
	}
	for rows.Next() {
		var year, n int
		var lsoa string
		if err := rows.Scan(&year, &lsoa, &n); err != nil {
			rows.Close()
			return err
		}
		pcs := e.inLSOA[lsoa]
		if len(pcs) == 0 {
			rows.Close()
			return fmt.Errorf("no postcode in %s's look-up for LSOA %s", e.source, lsoa)
		}
		march := time.Date(year, 3, 31, 0, 0, 0, 0, time.UTC)
		for i := 0; i < n; i++ {
			h := hash64(fmt.Sprintf("%s|%d|%s|%d", e.council, year, lsoa, i))
			age := int(h % 18)
			dob := march.AddDate(-age-1, 0, 1+int(h>>8%364)) // aged `age` on the day
			start := march.AddDate(0, 0, -int(h>>20%365))    // within the year to the day
			if start.Before(dob) {
				start = dob
			}
			end := march.AddDate(0, 0, 1+int(h>>32%364)) // ceases within the next year
			sex := "M"
			if h>>44%2 == 1 {
				sex = "F"
			}
			c := lookedAfter{careChild: careChild{id: strconv.FormatInt(lookedAfterIDBase+int64(len(cla)+1), 10), sex: sex, dob: dob, postcode: pcs[int(h>>48)%len(pcs)]}}
			if days := int(march.Sub(start).Hours() / 24); days > 30 {
				// a change of placement within the year: a second episode from then
				mid := start.AddDate(0, 0, 1+int(h>>56%uint64(days-1)))
				c.episodes = [][2]time.Time{{start, mid}, {mid, end}}
			} else {
				c.episodes = [][2]time.Time{{start, end}}
			}
			cla = append(cla, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var care []careChild
	for _, c := range e.inNeed {
		care = append(care, careChild{id: c.ID, sex: c.Sex, dob: c.DOB, postcode: spaceless(c.Postcode)})
	}
	for _, c := range cla {
		care = append(care, c.careChild)
	}
	gender := map[string]string{"M": "01", "F": "02"}

	err = e.table("ssd_person", func(put func(...string) error) error {
		for _, k := range kids {
			dob, expected := day(k.birth), ""
			if k.birth.After(e.date) {
				dob, expected = "", day(k.birth)
			}
			send := "N"
			if k.send {
				send = "Y"
			}
			if err := put(k.id, k.sex, gender[k.sex], dob, expected, send); err != nil {
				return err
			}
		}
		for _, c := range care {
			if err := put(c.id, c.sex, gender[c.sex], day(c.dob), "", "N"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = e.table("ssd_family", func(put func(...string) error) error {
		for i, k := range kids {
			if err := put(strconv.Itoa(i+1), k.family, k.id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = e.table("ssd_address", func(put func(...string) error) error {
		n := 0
		for _, k := range kids {
			// the family's home as load.ExportStandard gives it, without a space as the SSD holds it
			pc, err := e.homes.Postcode(k.family, k.lsoa)
			if err != nil {
				return err
			}
			pc = strings.ReplaceAll(pc, " ", "")
			n++
			if err := put(strconv.Itoa(n), k.id, "Home", day(k.home), "", pc); err != nil {
				return err
			}
		}
		for _, c := range care {
			n++
			if err := put(strconv.Itoa(n), c.id, "Home", day(c.dob), "", c.postcode); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = e.table("ssd_contacts", func(put func(...string) error) error {
		rows, err := db.QueryContext(ctx, demoContactsSQL, e.council)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, child int64
			var date time.Time
			if err := rows.Scan(&id, &child, &date); err != nil {
				return err
			}
			if err := put(strconv.FormatInt(id, 10), strconv.FormatInt(child, 10), day(date)); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	if err := e.table("ssd_early_help_episodes", func(func(...string) error) error { return nil }); err != nil {
		return err
	}
	err = e.table("ssd_cin_episodes", func(put func(...string) error) error {
		for _, c := range e.inNeed {
			if err := put(c.ID, c.ID, day(c.Referral), c.Need, c.Source, c.Reason, day(c.Closure), "N"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = e.table("ssd_cp_plans", func(put func(...string) error) error {
		for _, c := range e.inNeed {
			if !c.Plan {
				continue
			}
			if err := put(c.ID, c.ID, c.ID, day(c.PlanStart), day(c.PlanEnd), "N", c.Abuse, c.Abuse); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = e.table("ssd_cla_episodes", func(put func(...string) error) error {
		for _, c := range cla {
			for i, ep := range c.episodes {
				reason, ceased := "S", "X1" // started looked after; ceased: the episode ends, care continues
				if i > 0 {
					reason = "P"
				}
				if i == len(c.episodes)-1 {
					ceased = "E4A" // returned home
				}
				if err := put(fmt.Sprintf("%s-%d", c.id, i+1), c.id, day(ep[0]), reason, "N1", day(ep[1]), ceased); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return e.table("ssd_legal_status", func(put func(...string) error) error {
		for _, c := range cla {
			if err := put(c.id, c.id, "C2", day(c.episodes[0][0]), day(c.episodes[len(c.episodes)-1][1])); err != nil {
				return err
			}
		}
		return nil
	})
}
