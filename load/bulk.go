package load

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The bulk path: DuckDB reads families.csv, people.csv and contacts.csv itself (read_csv) and SQL
// decides whether they are clean (sql/bulk_check.sql), so a load of millions of rows never passes
// them one by one through Go. It is stricter than the Go reader on form and exactly as strict on
// meaning, so it may send a load back to the Go reader but never accepts what the Go reader
// refuses; the Go reader then names every fault by file, line and column.

// bulkFiles are the files the bulk path reads.
var bulkFiles = map[string]string{"families.csv": "families", "people.csv": "people", "contacts.csv": "contacts"}

// errNotClean sends a load from the bulk path to the Go reader.
var errNotClean = errors.New("the bulk path found something to report")

// bulkReady says whether DuckDB can read a bulk file line for line: its header is exactly the
// documented one (so no byte-order mark), and it holds no quote or carriage return. It streams the
// file into h on the way, so a file of gigabytes is never held in memory.
func bulkReady(f fileSpec, path string, h io.Writer) (bool, error) {
	var header []string
	for _, c := range f.columns {
		header = append(header, c.name)
	}
	want := []byte(strings.Join(header, ",") + "\n")
	file, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer file.Close()
	ready := true
	buf := make([]byte, 1<<20)
	for first := true; ; first = false {
		n, err := io.ReadFull(file, buf)
		chunk := buf[:n]
		h.Write(chunk)
		if first && !bytes.HasPrefix(chunk, want) {
			ready = false
		}
		// invalid UTF-8 is left to read_csv, which refuses it
		if bytes.IndexByte(chunk, '"') >= 0 || bytes.IndexByte(chunk, '\r') >= 0 {
			ready = false
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return ready, nil
		}
		if err != nil {
			return false, err
		}
	}
}

// bulkLoad reads, checks and stages the bulk files of dir into the load_ tables.
func bulkLoad(ctx context.Context, conn *sql.Conn, dir string, opt Options) error {
	args := map[string]any{"earliest": opt.Earliest, "latest": day(opt.Latest), "latest_birth": day(opt.Latest.AddDate(1, 0, 0))}
	for name, param := range bulkFiles {
		args[param] = filepath.Join(dir, name)
	}
	if err := execEach(ctx, conn, sqlText("bulk_read.sql"), args); err != nil {
		return fmt.Errorf("%w: %v", errNotClean, err)
	}
	rows, err := conn.QueryContext(ctx, sqlText("bulk_check.sql"), sql.Named("earliest", args["earliest"]),
		sql.Named("latest", args["latest"]), sql.Named("latest_birth", args["latest_birth"]))
	if err != nil {
		return err
	}
	defer rows.Close()
	var broken []string
	for rows.Next() {
		var rule string
		var n int64
		if err := rows.Scan(&rule, &n); err != nil {
			return err
		}
		if n > 0 {
			broken = append(broken, fmt.Sprintf("%s (%d)", rule, n))
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(broken) > 0 {
		return fmt.Errorf("%w: %s", errNotClean, strings.Join(broken, "; "))
	}
	_, err = conn.ExecContext(ctx, sqlText("bulk_insert.sql"))
	return err
}

func day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }

// execEach runs a file of statements one by one, each with the named arguments it uses (DuckDB
// binds parameters to one statement at a time).
func execEach(ctx context.Context, conn *sql.Conn, text string, args map[string]any) error {
	for _, s := range strings.Split(text, ";\n") {
		var bound []any
		for name, v := range args {
			if strings.Contains(s, "$"+name) {
				bound = append(bound, sql.Named(name, v))
			}
		}
		if strings.TrimSpace(s) == "" {
			continue
		}
		if _, err := conn.ExecContext(ctx, s, bound...); err != nil {
			return fmt.Errorf("%.60s...: %w", strings.TrimSpace(s), err)
		}
	}
	return nil
}
