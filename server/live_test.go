package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"familyhubs/internal/testdata"
	"familyhubs/server"
	"familyhubs/warehouse"
)

// ownWarehouse is a private copy of the demo warehouse, for a test that closes or replaces it.
func ownWarehouse(t *testing.T) string {
	t.Helper()
	src := testdata.Warehouse(t).Path
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "council.duckdb")
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}

// SIGTERM with briefings in flight: every request already being answered finishes (the server
// drains before the warehouse is closed), none fails with "database is closed".
func TestShutdownDrainsBriefingsInFlight(t *testing.T) {
	path := ownWarehouse(t)
	db, err := warehouse.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	h := server.New(db, log.New(io.Discard, "", 0))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	base := "http://" + ln.Addr().String()
	var urls []string
	for _, c := range []string{"stockport", "kirklees", "wolverhampton", "cumberland", "westmorland-furness"} {
		for _, p := range []string{"2022-23", "2023-24", "2024-25", "2025-26"} {
			urls = append(urls, base+"/briefings/"+c+"/"+p+".pdf")
		}
	}
	codes := make([]int, len(urls))
	var wg sync.WaitGroup
	started := make(chan struct{}, len(urls))
	for i, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started <- struct{}{}
			resp, err := http.Get(u)
			if err != nil {
				codes[i] = -1
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			codes[i] = resp.StatusCode
			if resp.StatusCode == 200 && !strings.HasPrefix(string(b), "%PDF") {
				codes[i] = -2
			}
		}()
	}
	for range urls {
		<-started
	}
	time.Sleep(300 * time.Millisecond) // all sent, a few written, most still being answered
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown did not drain: %v", err)
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	ok := 0
	for i, c := range codes {
		if c == 200 {
			ok++
		} else {
			t.Errorf("%s: %d", urls[i], c)
		}
	}
	t.Logf("%d of %d briefings in flight at shutdown completed", ok, len(urls))
}

// A load renames a new warehouse over the old: the running server notices, switches to the new
// data version (and /healthz says so), and /healthz fails when the file is gone.
func TestSwitchesToANewDataVersion(t *testing.T) {
	path := ownWarehouse(t)
	db, err := warehouse.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	h := server.New(db, log.New(io.Discard, "", 0))
	defer h.Close()
	get := func(u string) (int, string) {
		ln := httptestRecorder(h, u)
		return ln.code, ln.body
	}
	if code, body := get("/healthz"); code != 200 || body != "ok "+db.Version+"\n" {
		t.Fatalf("/healthz: %d %q", code, body)
	}
	// as a load does: a new file, then renamed over the warehouse
	b, _ := os.ReadFile(path)
	next := path + ".new"
	os.WriteFile(next, b, 0o600)
	c, err := duckdb.NewConnector(next, nil)
	if err != nil {
		t.Fatal(err)
	}
	w := sql.OpenDB(c)
	if _, err := w.Exec("UPDATE metadata SET value = 'test-version-2' WHERE key = 'data_version'; CHECKPOINT"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	c.Close()
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("a new file beside the warehouse, not yet renamed over it: %d", code)
	}
	if err := os.Rename(next, path); err != nil {
		t.Fatal(err)
	}
	if code, body := get("/healthz"); code != 503 || !strings.Contains(body, "replaced") {
		t.Errorf("after the file was replaced, before switching: %d %q", code, body)
	}
	if err := h.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if code, body := get("/healthz"); code != 200 || body != "ok test-version-2\n" {
		t.Errorf("after the switch: %d %q", code, body)
	}
	if code, _ := get("/overview?council=stockport"); code != 200 {
		t.Errorf("a page after the switch: %d", code)
	}
	if h.Version() != "test-version-2" {
		t.Errorf("answering from %s", h.Version())
	}
	os.Remove(path)
	if code, body := get("/healthz"); code != 503 || !strings.Contains(body, "gone") {
		t.Errorf("with the warehouse file gone: %d %q", code, body)
	}
	os.WriteFile(path, nil, 0o600)
	if code, _ := get("/healthz"); code != 503 {
		t.Errorf("with the warehouse file emptied: %d", code)
	}
}

type recorded struct {
	code int
	body string
}

func httptestRecorder(h http.Handler, u string) recorded {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return recorded{code: -1, body: err.Error()}
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	defer srv.Close()
	resp, err := http.Get(fmt.Sprintf("http://%s%s", ln.Addr(), u))
	if err != nil {
		return recorded{code: -1, body: err.Error()}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return recorded{resp.StatusCode, string(b)}
}
