// Command hubs is the familyhubs tool: it builds the warehouse, answers named questions over it,
// serves the dashboards and writes briefings and returns. Run `hubs help` for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string) error
}

var commands []command

// stdout and stderr are where commands write; tests replace them.
var (
	stdout io.Writer = os.Stdout
	stderr io.Writer = os.Stderr
)

func init() {
	commands = []command{
		{"serve", "serve the dashboards and the API over HTTP", cmdServe},
		{"query", "run a named question from queries/ (--list to list them)", cmdQuery},
		{"sql", "run read-only SQL against the warehouse", cmdSQL},
		{"brief", "write the cabinet briefing PDF for a council and period", cmdBrief},
		{"return", "fill, validate and write the Family Hubs and Start for Life quarterly return, to the tool's own specification (CSV, XLSX)", cmdReturn},
		{"ssda903", "count children looked after from an SSDA903 return and reconcile with DfE", cmdSSDA903},
		{"ssd", "read a Standard Safeguarding Dataset extract: findings, care counts at 31 March, load files", cmdSSD},
		{"cin", "count children in need, protection plans and referrals from a CIN census return and reconcile with DfE", cmdCIN},
		{"load", "check and load a council's own records (CSV) into a warehouse file", cmdLoad},
		{"load-care", "load a council's own SSDA903 or SSD records as care by neighbourhood (council records), reconciled with DfE", cmdLoadCare},
		{"export-demo", "write the demo records in the formats hubs load reads", cmdExportDemo},
		{"demo", "build a demo warehouse (five councils, or --scale national) into a DuckDB file", cmdDemo},
		{"screenshot", "save a PNG of every dashboard page (needs Chromium)", cmdScreenshot},
		{"audit", "print the audit trail of a server: who saw what, and what was refused", cmdAudit},
		{"bench", "time every question and page, the build, and a loopback load test, as one table", cmdBench},
		{"datasets", "rebuild datasets/ from ../shared/datasets (developers)", cmdDatasets},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if u := os.Getenv(probeEnv); u != "" {
		probe(ctx, u) // hubs bench --apart's /healthz prober, a process of its own
		return
	}
	if err := run(ctx, os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "hubs:", err)
			os.Exit(1)
		}
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage()
		return nil
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, args[1:])
		}
	}
	usage()
	return fmt.Errorf("unknown command %q", args[0])
}

func usage() {
	var b strings.Builder
	b.WriteString("hubs: Family Hubs outcomes analytics for English local authorities\n\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.summary)
	}
	b.WriteString("\nRun `hubs COMMAND --help` for a command's options. With no --db, every command uses the\nembedded demo warehouse (real public data; service contacts synthetic).\n")
	fmt.Fprint(stderr, b.String())
}

func usageFor(fs *flag.FlagSet, synopsis, about string) func() {
	return func() {
		fmt.Fprintf(fs.Output(), "usage: %s\n\n%s\n\nOptions:\n", synopsis, about)
		fs.PrintDefaults()
	}
}

func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseWithArg parses flags that may come before or after one positional argument (a query name,
// a folder, a SQL statement) and returns that argument, or "".
func parseWithArg(fs *flag.FlagSet, args []string) (string, error) {
	arg, rest := "", args
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		arg, rest = args[0], args[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return "", err
	}
	if arg == "" && fs.NArg() > 0 {
		arg = strings.Join(fs.Args(), " ")
	}
	return arg, nil
}
