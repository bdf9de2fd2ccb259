package access_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"familyhubs/access"
	"familyhubs/internal/testdata"
)

// The embedded postcode centres file is what PrepareCentres makes from the derived postcode
// look-up in ../shared/datasets (FAMILYHUBS_PREPARE_CENTRES=1 rewrites it).
func TestCentresFileFromShared(t *testing.T) {
	source := filepath.Join(testdata.SharedDir(t), "postcodes", "DERIVED_pcd_to_lsoa21_5LA_pointinpolygon.csv")
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b bytes.Buffer
	if err := access.PrepareCentres(context.Background(), db, source, &b); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("FAMILYHUBS_PREPARE_CENTRES") == "1" {
		if err := os.WriteFile(access.CentresFile, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", access.CentresFile, b.Len())
		return
	}
	if !bytes.Equal(b.Bytes(), access.Centres) {
		t.Errorf("%s differs from what PrepareCentres makes of %s: rewrite it with FAMILYHUBS_PREPARE_CENTRES=1 go test ./access -run CentresFile", access.CentresFile, source)
	}
}
