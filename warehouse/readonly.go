package warehouse

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/duckdb/duckdb-go/v2"

	"familyhubs/queries"
)

// ReadOnlyQuery runs one analyst's statement after checking, with DuckDB's own parser, that it
// only reads. The warehouse is also opened read-only, so this is the second of two locks: it
// turns DuckDB's terse refusal into a clear message and also refuses COPY ... TO and EXPORT,
// which write files even from a read-only database.
func ReadOnlyQuery(ctx context.Context, db *DB, text string) (*queries.Result, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var kind duckdb.StmtType
	err = conn.Raw(func(dc any) error {
		st, err := dc.(driver.ConnPrepareContext).PrepareContext(ctx, text)
		if err != nil {
			return err
		}
		defer st.Close()
		kind, err = st.(*duckdb.Stmt).StatementType()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("SQL: %w", err)
	}
	switch kind {
	case duckdb.STATEMENT_TYPE_SELECT, duckdb.STATEMENT_TYPE_EXPLAIN, duckdb.STATEMENT_TYPE_PRAGMA:
	default:
		return nil, fmt.Errorf("refused: hubs sql only reads (SELECT, WITH, EXPLAIN, DESCRIBE, SHOW); this statement would change "+
			"the warehouse or write files (DuckDB statement type %d). To change data, edit the council's files and run `hubs load`", kind)
	}
	q := &queries.Query{Name: "sql", SQL: text}
	return q.Run(ctx, conn, nil)
}
