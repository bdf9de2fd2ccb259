package load_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"familyhubs/internal/testdata"
	. "familyhubs/load"
	"familyhubs/queries"
	"familyhubs/warehouse"
)

// A load keeps the warehouse's permission bits and owner; a new warehouse is 0600.
func TestLoadKeepsModeAndOwner(t *testing.T) {
	base, target := copyOfDemo(t)
	if err := os.Chmod(target, 0o640); err != nil {
		t.Fatal(err)
	}
	uid, gid := os.Getuid(), os.Getgid()
	if uid == 0 { // root may give the file to anyone: the load must give it back
		uid, gid = 4321, 8765
		if err := os.Chown(target, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	dir := writeFolder(t, CleanFolder())
	sum, err := Folder(ctx, target, base, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(target)
	if err != nil {
		t.Fatal(err)
	}
	sys := st.Sys().(*syscall.Stat_t)
	if st.Mode().Perm() != 0o640 || int(sys.Uid) != uid || int(sys.Gid) != gid || len(sum.Warnings) > 0 {
		t.Errorf("after the load: %v uid %d gid %d (warnings %v), want -rw-r----- uid %d gid %d", st.Mode(), sys.Uid, sys.Gid, sum.Warnings, uid, gid)
	}
	fresh := filepath.Join(t.TempDir(), "new.duckdb")
	if _, err := Folder(ctx, fresh, base, dir, Options{}); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(fresh); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("a new warehouse: %v, %v; want -rw-------", st.Mode(), err)
	}
	noCopies(t, target)
	noCopies(t, fresh)
}

// One load at a time: while one holds the lock, a second refuses at once naming the lock and its
// holder, or with Wait waits and then loads over the first one's result.
func TestOneLoadAtATime(t *testing.T) {
	base, target := copyOfDemo(t)
	dir := writeFolder(t, CleanFolder())
	holding, release := make(chan struct{}), make(chan struct{})
	type result struct {
		sum *Summary
		err error
	}
	first := make(chan result, 1)
	go func() {
		sum, err := Folder(ctx, target, base, dir, Options{}.WithAfterAppend(func() { close(holding); <-release }))
		first <- result{sum, err}
	}()
	select {
	case <-holding:
	case r := <-first:
		t.Fatalf("the first load ended before it was held: %v", r.err)
	}
	_, err := Folder(ctx, target, base, dir, Options{})
	var locked *Locked
	if !errors.As(err, &locked) || locked.Lock != target+".lock" || !strings.Contains(err.Error(), fmt.Sprintf("held by pid %d ", os.Getpid())) ||
		!strings.Contains(err.Error(), "--wait") {
		t.Fatalf("a second load while the first runs: %v", err)
	}
	// one that waits, given up
	gone, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if _, err := Folder(gone, target, base, dir, Options{Wait: true}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a waiting load given up: %v", err)
	}
	// one that waits, to the end
	second := make(chan result, 1)
	var said strings.Builder
	go func() {
		sum, err := Folder(ctx, target, base, dir, Options{Wait: true, Progress: &said})
		second <- result{sum, err}
	}()
	close(release)
	a, b := <-first, <-second
	if a.err != nil || b.err != nil {
		t.Fatalf("the first load: %v; the one that waited: %v", a.err, b.err)
	}
	if b.sum.Version != NewVersion(a.sum.Version, hashOf(t, dir)) {
		t.Errorf("the load that waited did not start from the first one's result")
	}
	if !strings.Contains(said.String(), "waiting for the load of") {
		t.Errorf("the load that waited said %q", said.String())
	}
	w, err := warehouse.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if w.Version != b.sum.Version {
		t.Errorf("the warehouse holds version %s, the last load made %s", w.Version, b.sum.Version)
	}
	noCopies(t, target)
}

// hashOf is the hash of a folder's files as a load computes it.
func hashOf(t *testing.T, dir string) string {
	t.Helper()
	h := NewHash()
	for _, name := range LoadFiles() {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		h.Write([]byte(name))
		h.Write(b)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// A contacts.csv with no contacts for a council that has some is refused, unless allowed.
func TestEmptyContactsAreRefused(t *testing.T) {
	base, target := copyOfDemo(t)
	before := fileHash(t, target)
	folder := CleanFolder()
	folder["contacts.csv"] = ContactsHeader
	dir := writeFolder(t, folder)
	_, err := Folder(ctx, target, base, dir, Options{})
	if !errors.Is(err, ErrEmpty) || !strings.Contains(err.Error(), "E08000007 (Stockport), which has") || !strings.Contains(err.Error(), "--allow-empty") {
		t.Fatalf("a header-only contacts.csv: %v", err)
	}
	if fileHash(t, target) != before {
		t.Fatal("the refused load changed the warehouse")
	}
	noCopies(t, target)
	if _, err := Folder(ctx, target, base, dir, Options{AllowEmpty: true}); err != nil {
		t.Fatal(err)
	}
	w, err := warehouse.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var n int
	if err := w.QueryRow("SELECT count(*) FROM contacts WHERE council_code = 'E08000007'").Scan(&n); err != nil || n != 0 {
		t.Errorf("allowed: Stockport has %d contacts (%v)", n, err)
	}
}

// Many problems are summarised by kind, each with its count and the first few places; what
// refers to a line that could not be read is not reported line by line.
func TestProblemsAreSummarisedByKind(t *testing.T) {
	base, target := copyOfDemo(t)
	folder := CleanFolder()
	lines := ContactLines(1000, 6000)
	lines = strings.Replace(lines, "1000,2024-06-03", "1000,2024-06-03,", 1) // one line with 12 values
	lines = strings.ReplaceAll(lines, "1,2024-06-03,E08000007,E01005918", "1,2024-13-03,E08000007,E01005918")
	lines = strings.ReplaceAll(lines, "5,2024-06-03,E08000007,E01005918", "5,2024-06-03,E08000007,E01999999")
	folder["contacts.csv"] = ContactsHeader + lines
	_, err := Folder(ctx, target, base, writeFolder(t, folder), Options{})
	if err == nil {
		t.Fatal("loaded")
	}
	msg := err.Error()
	for _, want := range []string{
		"1,201 problems in the files; nothing was loaded. By file and kind, with the first 5 of each:",
		"contacts.csv: wrong number of fields: 1\n  contacts.csv:2:1: malformed CSV line: 12 values, but the header names 11",
		"contacts.csv: bad date: 600\n  contacts.csv:3:6: contact_date: \"2024-13-03\" is not a date as YYYY-MM-DD\n  contacts.csv:13:6: ",
		"  ... and 595 more",
		"contacts.csv: unknown LSOA: 600\n  contacts.csv:7:27: lsoa21_code: \"E01999999\" is not a 2021 LSOA code in England",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
	if n := strings.Count(msg, "\n"); n > 20 {
		t.Errorf("%d lines for three kinds of problem:\n%s", n, msg)
	}

	// one bad byte on a site's line: one problem, not one for each contact at the site
	folder = CleanFolder()
	folder["sites.csv"] = strings.Replace(folder["sites.csv"], "Heatons Hub", "Heatons \xa3 Hub", 1)
	folder["contacts.csv"] = ContactsHeader + ContactLines(1000, 3000)
	_, err = Folder(ctx, target, base, writeFolder(t, folder), Options{})
	var p *Problems
	if !errors.As(err, &p) || p.Total() != 1 || !strings.Contains(err.Error(), "sites.csv:2:14: the file is not UTF-8") ||
		!strings.Contains(err.Error(), "not checked until the lines above are fixed: 3,000 lines of contacts.csv name a site_id not found in sites.csv (the first at contacts.csv:2:") {
		t.Errorf("one bad byte in sites.csv: %v", err)
	}
	noCopies(t, target)
}

// A large file with a stray quote and a line of megabytes is refused for those two problems,
// at their places, having read every line.
func TestLargeMalformedFile(t *testing.T) {
	base, target := copyOfDemo(t)
	folder := CleanFolder()
	var b strings.Builder
	b.WriteString(ContactsHeader)
	b.WriteString("1,2024-06-03,E08000007,E01005918,S1,parenting,hub,1,10,11,\"3-4\n")
	b.WriteString(ContactLines(2, 200000))
	b.WriteString(strings.Repeat("7", 4<<20) + "\n")
	b.WriteString(ContactLines(300000, 200000))
	b.WriteString("1,2024-06-03,E08000007,E01005918,S1,parenting,hub,1,10,11,3-4\n") // the first is unreadable, so this is no repeat
	b.WriteString("2,2024-06-03,E08000007,E01005918,S1,parenting,hub,1,10,11,3-4\n")
	folder["contacts.csv"] = b.String()
	_, err := Folder(ctx, target, base, writeFolder(t, folder), Options{})
	var p *Problems
	if !errors.As(err, &p) || p.Total() != 3 {
		t.Fatalf("want 3 problems: %v", err)
	}
	for _, want := range []string{
		"contacts.csv:2:59: a value starting with this quote runs on for more than 64 KiB: a stray quote?",
		"contacts.csv:200003:1: the line is longer than 1 MiB",
		"contacts.csv:400005:1: contact_id: 2 is already on line 3: ids must be unique",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
	noCopies(t, target)
}

// export-demo writes personal-level records: 0600 files in a 0700 folder, even over an older
// export's files.
func TestExportIsPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "export")
	db := firstRows{testdata.Warehouse(t)}
	if err := Export(ctx, db, dir); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(dir); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("the folder: %v, %v", st.Mode(), err)
	}
	os.Chmod(filepath.Join(dir, "contacts.csv"), 0o644) // as an older export left it
	if err := Export(ctx, db, dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range LoadFiles() {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil || st.Mode().Perm() != 0o600 || st.Size() < 100 {
			t.Errorf("%s: %v, %v", name, st.Mode(), err)
		}
	}
}

// firstRows answers each query with its first 100 rows: enough to export a few of each file.
type firstRows struct{ db queries.Querier }

func (f firstRows) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return f.db.QueryContext(ctx, "SELECT * FROM (\n"+q+"\n) LIMIT 100", args...)
}
