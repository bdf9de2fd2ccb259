package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"familyhubs/queries"
	"familyhubs/returns"
)

func cmdReturn(ctx context.Context, args []string) error {
	fs := newFlags("return")
	db := fs.String("db", "", "warehouse file (default: the embedded demo warehouse)")
	council := fs.String("council", "stockport", "council: ONS code or slug")
	period := fs.String("period", "", "financial-year quarter, e.g. 2025-26Q4 (default: the latest complete quarter)")
	out := fs.String("o", "", "base name of the files to write: BASE.csv, BASE.xlsx and BASE-validation.txt")
	fs.Usage = usageFor(fs, "hubs return --council C --period 2025-26Q4 -o BASE",
		"Fill the Family Hubs and Start for Life quarterly return (specification returns/spec/fhsfl-quarterly-v1.toml)\n"+
			"from the named questions, validate it, and write CSV, XLSX and a validation report. Exact counts:\n"+
			"OFFICIAL-SENSITIVE. Exits with an error when validation finds something to fix.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return fmt.Errorf("-o BASE is required")
	}
	base := strings.TrimSuffix(strings.TrimSuffix(*out, ".csv"), ".xlsx")
	w, c, err := openCouncil(ctx, *db, *council)
	if err != nil {
		return err
	}
	defer w.Close()
	p := returns.LatestQuarter(w.DataEnd)
	if *period != "" {
		if p, err = queries.ParsePeriod(*period); err != nil {
			return err
		}
	}
	spec, err := returns.QuarterlySpec()
	if err != nil {
		return err
	}
	r, err := returns.Fill(ctx, w, spec, c, p)
	if err != nil {
		return err
	}
	findings := r.Validate(w.DataEnd)
	now := time.Now()
	var csvBuf, xlsxBuf, report bytes.Buffer
	if err := r.WriteCSV(&csvBuf); err != nil {
		return err
	}
	if err := r.WriteXLSX(&xlsxBuf, findings, now); err != nil {
		return err
	}
	r.WriteReport(&report, findings, now)
	for name, b := range map[string][]byte{base + ".csv": csvBuf.Bytes(), base + ".xlsx": xlsxBuf.Bytes(), base + "-validation.txt": report.Bytes()} {
		if err := os.WriteFile(name, b, 0o600); err != nil { // OFFICIAL-SENSITIVE: owner only
			return err
		}
	}
	fmt.Fprint(stdout, report.String())
	fmt.Fprintf(stdout, "\nwrote %s.csv, %s.xlsx, %s-validation.txt (OFFICIAL-SENSITIVE)\n", base, base, base)
	if n := returns.Errors(findings); n > 0 {
		return fmt.Errorf("the return has %d validation error(s): fix them before submitting", n)
	}
	return nil
}
