package datasets_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"familyhubs/datasets"
	"familyhubs/internal/testdata"
)

// The embedded files are exactly what prepare.sql and Prepare make from the published files: no
// value was edited by hand, and a refresh is reproducible.
func TestPrepareReproducesTheEmbeddedFiles(t *testing.T) {
	shared := testdata.SharedDir(t)
	out := t.TempDir()
	if err := os.CopyFS(filepath.Join(out, "councils"), mustSub(t, "councils")); err != nil {
		t.Fatal(err)
	}
	if err := datasets.Prepare(context.Background(), shared, out); err != nil {
		t.Fatal(err)
	}
	compared := 0
	err := fs.WalkDir(datasets.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == "README.md" || filepath.Dir(p) == "councils" {
			return err
		}
		embedded, _ := fs.ReadFile(datasets.FS, p)
		made, err := os.ReadFile(filepath.Join(out, p))
		if err != nil {
			t.Errorf("%s: not made by Prepare: %v", p, err)
			return nil
		}
		if !bytes.Equal(embedded, made) {
			t.Errorf("%s differs from what Prepare makes from %s: run `hubs datasets` and commit", p, shared)
		}
		compared++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if compared < 20 {
		t.Errorf("compared only %d files", compared)
	}
}

func mustSub(t *testing.T, dir string) fs.FS {
	sub, err := fs.Sub(datasets.FS, dir)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}
