package load

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/duckdb/duckdb-go/v2"

	"familyhubs/warehouse"
)

// Apply changes the warehouse file dbFile as a load does, all or nothing: it holds dbFile's lock
// (waiting for another load if wait), copies dbFile (or base, the demo warehouse's file, when
// dbFile does not exist) into a private folder beside it, runs change on the copy, sets the data
// version from the old one and hash (what was loaded), and renames the copy into place only if
// change succeeded, keeping dbFile's permissions and owner (a new file is 0600). A refused,
// failed or interrupted change leaves dbFile exactly as it was, and no copy. It returns the new
// data version and any warning about what it could not keep.
func Apply(ctx context.Context, dbFile, base string, wait bool, progress io.Writer, hash string,
	change func(ctx context.Context, db *sql.DB) error) (version, warning string, err error) {
	lk, err := lockFor(ctx, dbFile, wait, progress)
	if err != nil {
		return "", "", err
	}
	defer lk.release()
	cleanStale(dbFile)
	source := base
	old, err := os.Stat(dbFile)
	switch {
	case err == nil:
		source = dbFile
	case errors.Is(err, fs.ErrNotExist):
		old = nil
	default:
		return "", "", err
	}
	tmp, err := tempFor(dbFile)
	if err != nil {
		return "", "", fmt.Errorf("making the load's copy beside %s: %w", dbFile, err)
	}
	placed := false
	defer func() {
		if !placed {
			tmp.Close()
			removeTemp(tmp.Name())
		}
	}()
	if err := copyInto(tmp, source); err != nil {
		return "", "", err
	}
	if version, err = applyTo(ctx, tmp.Name(), hash, change); err != nil {
		return "", "", err
	}
	if warning, err = keep(tmp, old); err != nil {
		return "", "", err
	}
	if err := tmp.Sync(); err != nil {
		return "", "", err
	}
	if err := tmp.Close(); err != nil {
		return "", "", err
	}
	if err := os.Rename(tmp.Name(), dbFile); err != nil {
		return "", "", err
	}
	placed = true
	removeTemp(tmp.Name())
	return version, warning, nil
}

func applyTo(ctx context.Context, file, hash string, change func(ctx context.Context, db *sql.DB) error) (string, error) {
	connector, err := duckdb.NewConnector(warehouse.WritableDSN(file), nil)
	if err != nil {
		return "", err
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	db.SetMaxOpenConns(1) // one connection: temporary tables are seen by every statement
	var prev string
	if err := db.QueryRowContext(ctx, "SELECT value FROM metadata WHERE key = 'data_version'").Scan(&prev); err != nil {
		return "", err
	}
	if err := change(ctx, db); err != nil {
		return "", err
	}
	version := newVersion(prev, hash)
	if _, err := db.ExecContext(ctx, "UPDATE metadata SET value = $1 WHERE key = 'data_version'", version); err != nil {
		return "", err
	}
	if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return "", err
	}
	return version, db.Close()
}
