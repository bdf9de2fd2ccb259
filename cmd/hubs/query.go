package main

import (
	"context"
	"fmt"
	"strings"

	"familyhubs/demo"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
	"familyhubs/warehouse"
)

func cmdQuery(ctx context.Context, args []string) error {
	fs := newFlags("query")
	db := fs.String("db", "", "warehouse file (default: the embedded demo warehouse)")
	council := fs.String("council", "stockport", "council: ONS code (E08000007) or slug (stockport)")
	locality := fs.String("locality", "", "restrict to one locality (hub network), where the query allows")
	service := fs.String("service", "", "restrict to one service code (see the services table), where the query allows")
	period := fs.String("period", "", "financial year 2024-25, quarter 2024-25Q1, month 2024-06, or FROM..TO (default: the latest complete financial year)")
	format := fs.String("format", "table", "output: table, csv or json")
	disclosure := fs.String("disclosure", "dfe", "disclosure control: dfe (1-5 as c, secondary suppression), nhs (1-7 as *, others rounded to 5), or none (exact counts: OFFICIAL-SENSITIVE)")
	list := fs.Bool("list", false, "list the named queries with what each answers")
	raw := fs.Bool("raw", false, "answer from raw contacts (queries/raw/), not the rollups: the two always agree")
	fs.Usage = usageFor(fs, "hubs query NAME [--council C] [--period P] [--format table|csv|json] [--db FILE]\n       hubs query --list",
		"Run a named question from queries/*.sql. Every figure on a page, in a briefing or in a return\ncomes from one of these.")
	name, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	if *list {
		for _, q := range queries.All() {
			ps := "none"
			if len(q.Params) > 0 {
				var names []string
				for _, p := range q.Params {
					names = append(names, p.Name)
				}
				ps = strings.Join(names, ", ")
			}
			fmt.Fprintf(stdout, "%-26s %s\n%-26s params: %s\n", q.Name, q.Answers, "", ps)
		}
		return nil
	}
	if name == "" {
		fs.Usage()
		return fmt.Errorf("name a query (hubs query --list shows them)")
	}
	q, err := queries.Get(name)
	if err != nil {
		return err
	}
	policy, err := stats.PolicyNamed(*disclosure)
	if err != nil {
		return err
	}
	w, err := openWarehouse(ctx, *db)
	if err != nil {
		return err
	}
	defer w.Close()
	f, err := filters(ctx, w, *council, *period)
	if err != nil {
		return err
	}
	f.Locality, f.Service = *locality, *service
	qargs := f.Args()
	if *raw {
		ctx = queries.RawOnly(ctx)
	}
	res, err := measures.Run(ctx, w, q.Name, qargs, policy)
	if err != nil {
		return err
	}
	if *format == "table" {
		fmt.Fprintf(stdout, "# %s: %s\n# units: %s\n# source: %s\n", q.Name, q.Answers, q.Units, q.Source)
		for _, p := range q.Params {
			fmt.Fprintf(stdout, "# %s = %s\n", p.Name, queries.Text(qargs[p.Name]))
		}
		for _, n := range res.Notes {
			fmt.Fprintf(stdout, "# note: %s\n", n)
		}
	}
	return queries.Write(stdout, res, *format)
}

// filters reads the council (by code or slug) and the period (default: the latest complete
// financial year).
func filters(ctx context.Context, w *warehouse.DB, council, period string) (queries.Filters, error) {
	c, err := queries.FindCouncil(ctx, w, council)
	if err != nil {
		return queries.Filters{}, err
	}
	p := queries.LatestCompleteYear(w.DataEnd)
	if period != "" {
		if p, err = queries.ParsePeriod(period); err != nil {
			return queries.Filters{}, err
		}
	}
	return queries.Filters{Council: c, Period: p}, nil
}

func openWarehouse(ctx context.Context, file string) (*warehouse.DB, error) {
	if file == "" {
		return demo.Open(ctx)
	}
	return warehouse.Open(ctx, file)
}

// openCouncil opens the warehouse and finds the council named on the command line in it.
func openCouncil(ctx context.Context, file, council string) (*warehouse.DB, queries.Council, error) {
	w, err := openWarehouse(ctx, file)
	if err != nil {
		return nil, queries.Council{}, err
	}
	c, err := queries.FindCouncil(ctx, w, council)
	if err != nil {
		w.Close()
		return nil, queries.Council{}, err
	}
	return w, c, nil
}
