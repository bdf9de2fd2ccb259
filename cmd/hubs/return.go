package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"familyhubs/answers"
	"familyhubs/returns"
)

func cmdReturn(ctx context.Context, args []string) error {
	fs := newFlags("return")
	db := fs.String("db", "", "warehouse file (default: the embedded demo warehouse)")
	council := fs.String("council", "stockport", "council: ONS code or slug")
	period := fs.String("period", "", "one financial-year quarter within the data, e.g. 2025-26Q4 (default: the latest complete quarter)")
	out := fs.String("o", "", "base name of the files to write: BASE.csv, BASE.xlsx and BASE-validation.txt")
	fs.Usage = usageFor(fs, "hubs return --council C --period 2025-26Q4 -o BASE",
		"Fill a council's quarterly return to fhsfl-quarterly-v1,\n"+
			"the tool's own specification of the Family Hubs and Start for Life quarterly return\n"+
			"(returns/spec/fhsfl-quarterly-v1.toml; DfE publishes no open template), from the named questions;\n"+
			"validate it, and write CSV, XLSX and a validation report. Exact counts: OFFICIAL-SENSITIVE. A return\n"+
			"from generated contacts (the demo's) is marked \""+returns.SyntheticMarking+"\" in every file.\n"+
			"A period that is not one whole quarter within the data is refused and nothing is written. Exits\n"+
			"with an error when validation finds something to fix.")
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
	if *period == "" {
		*period = returns.LatestQuarter(w.DataEnd).Label
	}
	a := answers.New(w, w.Version, w.DataEnd)
	first, err := returns.FirstContact(ctx, a, c.Code)
	if err != nil {
		return err
	}
	p, err := returns.ParseQuarter(*period, first, w.DataEnd)
	if err != nil {
		return err // refused before anything is filled or written
	}
	spec, err := returns.QuarterlySpec()
	if err != nil {
		return err
	}
	r, err := returns.Fill(ctx, a, spec, c, p)
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
	marking := spec.Classification
	if r.Synthetic {
		marking += "; " + returns.SyntheticMarking
	}
	fmt.Fprintf(stdout, "\nwrote %s.csv, %s.xlsx, %s-validation.txt (%s)\n", base, base, base, marking)
	if n := returns.Errors(findings); n > 0 {
		return fmt.Errorf("the return has %d validation error(s): fix them before submitting", n)
	}
	return nil
}
