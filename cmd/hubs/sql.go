package main

import (
	"context"
	"fmt"
	"strings"

	"familyhubs/queries"
	"familyhubs/warehouse"
)

func cmdSQL(ctx context.Context, args []string) error {
	fs := newFlags("sql")
	db := fs.String("db", "", "warehouse file (default: the embedded demo warehouse)")
	format := fs.String("format", "table", "output: table, csv or json")
	fs.Usage = usageFor(fs, `hubs sql "SELECT ..." [--db FILE] [--format table|csv|json]`,
		"Run one read-only SQL statement (SELECT, WITH ... SELECT, EXPLAIN, DESCRIBE, SHOW) against the\n"+
			"warehouse. Writes are refused. The tables are documented in the database:\n"+
			"  hubs sql \"SELECT table_name, column_name, comment FROM duckdb_columns() WHERE comment IS NOT NULL\"")
	text, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	if strings.TrimSpace(text) == "" {
		fs.Usage()
		return fmt.Errorf("give one SQL statement in quotes")
	}
	w, err := openWarehouse(ctx, *db)
	if err != nil {
		return err
	}
	defer w.Close()
	res, err := warehouse.ReadOnlyQuery(ctx, w, text)
	if err != nil {
		return err
	}
	return queries.Write(stdout, res, *format)
}
