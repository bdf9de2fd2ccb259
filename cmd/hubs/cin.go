package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"familyhubs/cin"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

func cmdCIN(ctx context.Context, args []string) error {
	fs := newFlags("cin")
	db := fs.String("db", "", "warehouse file (default: the embedded demo warehouse)")
	council := fs.String("council", "stockport", "council: ONS code or slug, for the published figures")
	year := fs.Int("year", 0, "the 31 March to count (default: every year the file covers)")
	first := fs.Int("findings", 3, "how many of each kind of data-quality finding to list (all are counted)")
	fs.Usage = usageFor(fs, "hubs cin --council C [--year 2025] CENSUS.xml",
		"Read a Children in Need census return (DfE's XML: Message, Header, Children/Child with CINdetails,\n"+
			"assessments and child protection plans) and count, for every 31 March it covers as DfE's tables do:\n"+
			"children in need at 31 March (B1: an episode open on the day, each child once, referrals with no\n"+
			"further action left out), children on a child protection plan (D5), referrals and re-referrals in\n"+
			"the year (C1) and the factors identified at the end of assessment (C3); each of the first three is\n"+
			"compared with DfE's published figure for the council. Data-quality findings are warnings, grouped\n"+
			"by DfE's validation rule with file, line and element; counting goes on. Only a file that cannot\n"+
			"be read stops it.")
	var files []string
	for rest := args; len(rest) > 0; rest = fs.Args()[1:] {
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
	}
	if len(files) != 1 {
		fs.Usage()
		return fmt.Errorf("give one CIN census XML file")
	}
	file := files[0]
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	ret, err := cin.Read(f, file)
	if err != nil {
		return err
	}
	w, c, err := openCouncil(ctx, *db, *council)
	if err != nil {
		return err
	}
	defer w.Close()
	at31, err := measures.Run(ctx, w, "care_at_31_march", queries.Args{"council": c.Code}, stats.Exact)
	if err != nil {
		return err
	}
	years := ret.Years()
	if *year != 0 {
		years = []int{*year}
	}
	fmt.Fprintf(stdout, "%s: %d children, %d CIN episodes, %d child protection plans read from %s (OFFICIAL-SENSITIVE)\n",
		c.Name, len(ret.Children), len(ret.Episodes)+ret.SkippedEpisodes, len(ret.Plans)+ret.SkippedPlans, file)
	if len(ret.Findings) > 0 {
		fmt.Fprintf(stdout, "%d data-quality finding(s), as warnings; %d episode(s) and %d plan(s) could not be counted (their dates cannot be placed):\n",
			len(ret.Findings), ret.SkippedEpisodes, ret.SkippedPlans)
		for _, line := range cin.Summary(ret.Findings, *first) {
			fmt.Fprintln(stdout, "  "+line)
		}
	}
	for _, y := range years {
		n := ret.CountAt(y)
		// published: at 31 March from care_at_31_march; referrals and re-referrals from care_measures
		atDay := func(measure string) (int, string) {
			for _, row := range at31.Rows {
				if queries.Text(row[at31.Col("measure")]) == measure && queries.Text(row[at31.Col("series")]) == "council" &&
					queries.Text(row[at31.Col("year")]) == fmt.Sprint(y) {
					if p, ok := measures.Number(row[at31.Col("number")]); ok {
						return int(p), ""
					}
					return -1, queries.Text(row[at31.Col("number_symbol")])
				}
			}
			return -1, ""
		}
		inYear, err := measures.Run(ctx, w, "care_measures", queries.Args{"council": c.Code, "period_end": time.Date(y, time.March, 31, 0, 0, 0, 0, time.UTC)}, stats.Exact)
		if err != nil {
			return err
		}
		ofYear := func(measure string) (int, string) {
			for _, row := range inYear.Rows {
				if queries.Text(row[inYear.Col("measure")]) == measure && queries.Text(row[inYear.Col("role")]) == "council" &&
					queries.Text(row[inYear.Col("year")]) == fmt.Sprint(y) {
					if p, ok := measures.Number(row[inYear.Col("number")]); ok {
						return int(p), ""
					}
					return -1, queries.Text(row[inYear.Col("number_symbol")])
				}
			}
			return -1, ""
		}
		line := func(label string, counted int, published func(string) (int, string), measure, check string) {
			p, symbol := published(measure)
			verdict := "no published figure for this year"
			switch {
			case p >= 0:
				verdict = cin.Reconcile(y, counted, p, check).Verdict + fmt.Sprintf(" (published %d)", p)
			case symbol != "":
				verdict = "no published figure (" + symbol + ")"
			}
			fmt.Fprintf(stdout, "  %s: %d; %s\n", label, counted, verdict)
		}
		fmt.Fprintf(stdout, "31 March %d:\n", y)
		line("children in need at 31 March", n.InNeed, atDay, "in_need", "episodes open on 31 March, closure dates and referrals with no further action")
		if n.InNeedEpisodes > n.InNeed {
			fmt.Fprintf(stdout, "    %d open episodes (DfE counts episodes: At31_episodes): some children have more than one open episode (rules 8815, 8820)\n", n.InNeedEpisodes)
		}
		if n.OpenNFA > 0 {
			fmt.Fprintf(stdout, "    %d referral(s) with no further action and no closure date, not counted as in need\n", n.OpenNFA)
		}
		line("on a child protection plan at 31 March", n.Protection, atDay, "protection_plan", "plans open on 31 March and their end dates")
		line("referrals in the year", n.Referrals, ofYear, "referrals", "referral dates in the year, and that every referral (no further action too) is returned")
		if n.ReReferralsCounted {
			line("re-referrals within 12 months", n.ReReferrals, ofYear, "rereferrals", "the referrals of the year before")
		} else {
			fmt.Fprintf(stdout, "  re-referrals within 12 months: not counted: the file does not cover the year before\n")
		}
		if n.NFA > 0 {
			fmt.Fprintf(stdout, "    %d referral(s) in the year with no further action\n", n.NFA)
		}
		fmt.Fprintf(stdout, "  assessments completed in the year: %d; episodes with factors identified at the end of assessment: %d", n.Assessments, n.FactorEpisodes)
		if len(n.Factors) > 0 {
			var codes []string
			for code := range n.Factors {
				codes = append(codes, code)
			}
			slices.Sort(codes)
			var parts []string
			for _, code := range codes {
				parts = append(parts, fmt.Sprintf("%s %d", code, n.Factors[code]))
			}
			fmt.Fprintf(stdout, " (episodes by factor code: %s)", strings.Join(parts, ", "))
		}
		fmt.Fprintln(stdout)
	}
	return nil
}
