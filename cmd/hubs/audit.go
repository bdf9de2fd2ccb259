package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"text/tabwriter"
	"time"

	"familyhubs/audit"
)

func cmdAudit(ctx context.Context, args []string) error {
	fs := newFlags("audit")
	file := fs.String("file", "", "the audit trail (default: the demo warehouse's, beside it)")
	since := fs.String("since", "", "only records from this day or time on (2026-12-01 or RFC 3339)")
	user := fs.String("user", "", "only this user's records (as the trail names them)")
	fs.Usage = usageFor(fs, "hubs audit [--file TRAIL] [--since 2026-12-01] [--user NAME]",
		"Print the audit trail: who saw what, when, under which disclosure policy, and what was refused.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f := audit.Filter{User: *user}
	if *since != "" {
		t, err := time.Parse(time.DateOnly, *since)
		if err != nil {
			if t, err = time.Parse(time.RFC3339, *since); err != nil {
				return fmt.Errorf("--since %q: want 2026-12-01 or an RFC 3339 time", *since)
			}
		}
		f.Since = t
	}
	path := *file
	if path == "" {
		w, err := openWarehouse(ctx, "")
		if err != nil {
			return err
		}
		path = w.Path + ".audit.jsonl"
		w.Close()
	}
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	recs, err := audit.Read(in, f)
	if err != nil {
		return err
	}
	out := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(out, "time\tuser\troles\tclient\taction\troute\tparameters\tpolicy\tstatus\tbytes\toutcome")
	for _, r := range recs {
		var keys []string
		for k := range r.Params {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		params := ""
		for _, k := range keys {
			params += k + "=" + r.Params[k] + " "
		}
		fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", r.Time.Format(time.RFC3339), r.User, r.Roles, r.Client,
			r.Action, r.Route, params, r.Policy, r.Status, r.Bytes, r.Outcome)
	}
	return out.Flush()
}
