package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"familyhubs/load"
	"familyhubs/postcodes"
	"familyhubs/ssd"
)

func cmdSSD(ctx context.Context, args []string) error {
	fs := newFlags("ssd")
	out := fs.String("out", "", "write the load files (families, people, contacts; the council's network from --db) into this folder")
	council := fs.String("council", "", "the council whose extract it is: ONS code or slug (needed with --out: the SSD does not name it)")
	db := fs.String("db", "", "warehouse to take the council's localities, sites and plan from (default: the embedded demo warehouse)")
	postcodeFile := fs.String("postcodes", "", "ONS's postcode look-up (NSPL or ONSPD CSV), or demo, to place each child counted at home in a 2021 LSOA")
	byLSOA := fs.Bool("by-lsoa", false, "with --postcodes, print the counts at each 31 March by 2021 LSOA")
	service := fs.String("service", "parenting", "service_code of a contact whose SSD row names no service (the SSD does not record it)")
	channel := fs.String("channel", "home visit", "channel of every contact (the SSD does not record it)")
	first := fs.Int("findings", 3, "how many of each kind of data-quality finding to list (all are counted)")
	fs.Usage = usageFor(fs, "hubs ssd DIR [--postcodes FILE|demo] [--out LOADDIR --council C]",
		"Read an extract of Data to Insight's Standard Safeguarding Dataset (the folder of SSD tables as\n"+
			"CSV: ssd_person, ssd_family, ssd_address, ssd_contacts, ssd_early_help_episodes, ssd_cin_episodes,\n"+
			"ssd_cp_plans, ssd_cla_episodes, ssd_legal_status), list its data-quality findings as warnings\n"+
			"(file, line, column number and name, SSD item), and count children in need, on protection plans\n"+
			"and looked after (short breaks V3/V4 and anyone 18 or over left out) at every 31 March it covers,\n"+
			"each child once; with --postcodes, at home in their 2021 LSOAs. With --out, write the load files:\n"+
			"families (with home postcodes), people and contacts from the extract, and the council's\n"+
			"localities, sites and plan from the warehouse; then hubs load --postcodes places the postcodes.\n"+
			"Only a table that cannot be read stops it.")
	dir, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	if dir == "" {
		fs.Usage()
		return fmt.Errorf("name the folder of the SSD extract")
	}
	if *out != "" && *council == "" {
		return fmt.Errorf("--out needs --council: the SSD does not say whose extract it is")
	}
	x, err := ssd.Read(dir)
	if err != nil {
		return err
	}
	var look *postcodes.Lookup
	switch *postcodeFile {
	case "":
	case "demo":
		if look, err = load.DemoPostcodes(ctx); err != nil {
			return err
		}
	default:
		f, err := os.Open(*postcodeFile)
		if err != nil {
			return err
		}
		look, err = postcodes.Read(bufio.NewReaderSize(f, 1<<20), filepath.Base(*postcodeFile), false)
		f.Close()
		if err != nil {
			return err
		}
	}

	fmt.Fprintf(stdout, "SSD extract %s (OFFICIAL-SENSITIVE): %d people, %d family rows, %d addresses, %d contacts, %d early help episodes, "+
		"%d episodes of need, %d protection plans, %d episodes of care, %d legal statuses\n", dir, len(x.People), len(x.Members), len(x.Addresses),
		len(x.Contacts), len(x.EarlyHelp), len(x.InNeed), len(x.Plans), len(x.LookedAfter), len(x.LegalStatuses))
	if len(x.Findings) > 0 {
		fmt.Fprintf(stdout, "%d data-quality finding(s), as warnings; %d row(s) not used:\n", len(x.Findings), x.Skipped)
		for _, line := range ssd.Summary(x.Findings, *first) {
			fmt.Fprintln(stdout, "  "+line)
		}
	}
	for _, y := range x.Years() {
		c := x.CountAt(y, look)
		fmt.Fprintf(stdout, "31 March %d: %d in need, %d on protection plans, %d looked after\n", y, c.InNeed, c.Protection, c.LookedAfter)
		if n := len(c.ShortBreaks) + len(c.Aged18) + c.OtherCouncils; n > 0 {
			var left []string
			if len(c.ShortBreaks) > 0 {
				left = append(left, fmt.Sprintf("%d on short breaks only (V3, V4): %s", len(c.ShortBreaks), strings.Join(first10(c.ShortBreaks), ", ")))
			}
			if len(c.Aged18) > 0 {
				left = append(left, fmt.Sprintf("%d aged 18 or over with an episode of care still open: %s", len(c.Aged18), strings.Join(first10(c.Aged18), ", ")))
			}
			if c.OtherCouncils > 0 {
				left = append(left, fmt.Sprintf("%d protection plan(s) of other councils", c.OtherCouncils))
			}
			fmt.Fprintf(stdout, "  left out: %s\n", strings.Join(left, "; "))
		}
		if look == nil {
			continue
		}
		by := c.ByLSOA()
		placed, unplaced := 0, map[string]int{}
		for _, ch := range c.Children {
			if ch.LSOA != "" {
				placed++
			} else {
				unplaced[ch.Unplaced]++
			}
		}
		areas := len(by)
		if areas > 0 && by[areas-1].LSOA == "" {
			areas--
		}
		fmt.Fprintf(stdout, "  %d of %d children placed at home in %d LSOA(s)", placed, len(c.Children), areas)
		reasons := make([]string, 0, len(unplaced))
		for r, n := range unplaced {
			reasons = append(reasons, fmt.Sprintf("%d %s", n, r))
		}
		sort.Strings(reasons)
		if len(reasons) > 0 {
			fmt.Fprintf(stdout, "; not placed: %s", strings.Join(reasons, ", "))
		}
		fmt.Fprintln(stdout)
		if *byLSOA {
			for _, n := range by {
				name := n.LSOA
				if name == "" {
					name = "not placed"
				}
				fmt.Fprintf(stdout, "    %-10s %d in need, %d on protection plans, %d looked after\n", name, n.InNeed, n.Protection, n.LookedAfter)
			}
		}
	}
	if *out == "" {
		return nil
	}

	w, c, err := openCouncil(ctx, *db, *council)
	if err != nil {
		return err
	}
	defer w.Close()
	wrote, err := x.WriteLoad(*out, ssd.Options{Council: c.Code, Service: *service, Channel: *channel})
	if err != nil {
		return err
	}
	if err := ssd.WriteNetwork(ctx, w, c.Code, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: families.csv %d families (home postcodes), people.csv %d, contacts.csv %d, ssd_ids.csv (which SSD row each id stands for); "+
		"%s of %s as the warehouse holds them (readable by you alone: personal-level records)\n",
		*out, wrote.Families, wrote.People, wrote.Contacts, strings.Join(ssd.NetworkFiles, ", "), c.Name)
	var defaulted []string
	for k, n := range wrote.Defaulted {
		defaulted = append(defaulted, fmt.Sprintf("%s for %d contact(s)", k, n))
	}
	sort.Strings(defaulted)
	mapped := 0
	for _, n := range wrote.Mapped {
		mapped += n
	}
	fmt.Fprintf(stdout, "defaulted (the SSD does not record them): %s; site_id and carer_id blank; service_code read from earl_episode_reason for %d contact(s)\n",
		strings.Join(defaulted, ", "), mapped)
	if wrote.OwnFamily > 0 {
		fmt.Fprintf(stdout, "%d person(s) with no ssd_family row, each a family of their own\n", wrote.OwnFamily)
	}
	if len(wrote.Findings) > 0 {
		fmt.Fprintf(stdout, "%d conversion finding(s):\n", len(wrote.Findings))
		for _, line := range ssd.Summary(wrote.Findings, *first) {
			fmt.Fprintln(stdout, "  "+line)
		}
	}
	pc := "FILE"
	if *postcodeFile != "" {
		pc = *postcodeFile
	}
	fmt.Fprintf(stdout, "next: hubs load --db WAREHOUSE --postcodes %s %s\n", pc, *out)
	return nil
}
