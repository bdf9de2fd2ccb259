package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// One load at a time per warehouse file: WAREHOUSE.lock beside it, held with flock while a load
// runs (the kernel lets go of it when the process ends, however it ends), and naming the pid
// that holds it. Each load works on its own copy, WAREHOUSE.load-PID-*/copy.duckdb (a 0700
// folder, a 0600 file), removed when the load ends and, if the load was killed, by the next one
// once that pid is gone.

// Locked is the error of a load refused because another holds the warehouse's lock.
type Locked struct {
	Lock   string // the lock file
	Holder string // what the lock file says of its holder: "pid 1234 since ..."
}

func (e *Locked) Error() string {
	holder := e.Holder
	if holder == "" {
		holder = "another process"
	}
	return fmt.Sprintf("another load is running on this warehouse: %s is held by %s; nothing was loaded. "+
		"Wait for it to finish, or give --wait to wait for it", e.Lock, holder)
}

type lock struct {
	f    *os.File
	path string
}

// lockFor takes dbFile's lock, or fails at once with *Locked, or with wait waits for it (saying
// so on progress), until ctx ends.
func lockFor(ctx context.Context, dbFile string, wait bool, progress io.Writer) (*lock, error) {
	path := dbFile + ".lock"
	said := false
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("the load's lock: %w", err)
		}
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if errors.Is(err, syscall.EWOULDBLOCK) {
			holder := lockHolder(f)
			f.Close()
			if !wait {
				return nil, &Locked{Lock: path, Holder: holder}
			}
			if !said && progress != nil {
				fmt.Fprintf(progress, "waiting for the load of %s to finish (%s is held by %s)\n", dbFile, path, orElse(holder, "another process"))
				said = true
			}
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(200 * time.Millisecond):
			}
			continue
		}
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		// the holder before may have removed the file as we opened it: then ours is not the lock
		if !sameFile(f, path) {
			f.Close()
			continue
		}
		host, _ := os.Hostname()
		f.Truncate(0)
		f.WriteAt([]byte(fmt.Sprintf("pid %d on %s since %s\n", os.Getpid(), host, time.Now().Format(time.RFC3339))), 0)
		return &lock{f: f, path: path}, nil
	}
}

// release removes the lock file, then lets go of it.
func (l *lock) release() {
	os.Remove(l.path)
	l.f.Close()
}

func lockHolder(f *os.File) string {
	b := make([]byte, 200)
	n, _ := f.ReadAt(b, 0)
	return strings.TrimSpace(string(b[:n]))
}

func sameFile(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(path)
	return err == nil && os.SameFile(a, b)
}

func orElse(s, other string) string {
	if s == "" {
		return other
	}
	return s
}

// tempFor makes the load's working folder beside dbFile (0700: DuckDB makes its write-ahead log
// and any spill files beside the copy, with modes of its own) and the copy in it, empty, 0600.
func tempFor(dbFile string) (*os.File, error) {
	dir, err := os.MkdirTemp(filepath.Dir(dbFile), filepath.Base(dbFile)+".load-"+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, "copy.duckdb"), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		os.RemoveAll(dir)
	}
	return f, err
}

// removeTemp removes a load's working folder, given the copy in it.
func removeTemp(copy string) { os.RemoveAll(filepath.Dir(copy)) }

// cleanStale removes the working folders left by loads of dbFile that were killed: those whose
// pid is gone. (Called with the lock held, so no load of dbFile is running; a folder whose pid is
// alive is left alone all the same, in case it belongs to something else.) An older version's
// copy, dbFile.loading, has no pid: the lock says its load is over.
func cleanStale(dbFile string) {
	os.Remove(dbFile + ".loading")
	os.Remove(dbFile + ".loading.wal")
	matches, _ := filepath.Glob(globEscape(dbFile) + ".load-*-*")
	for _, m := range matches {
		rest := strings.TrimPrefix(m, dbFile+".load-")
		pid, err := strconv.Atoi(rest[:max(strings.IndexByte(rest, '-'), 0)])
		if err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			os.RemoveAll(m)
		}
	}
}

func globEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`)
	return r.Replace(s)
}

// keep gives the new file at tmp the permission bits and owner of the file it replaces (as far
// as this process may: chown to another owner needs privilege, to another of one's own groups
// does not), or 0600 for a new warehouse. It says what it could not keep.
func keep(tmp *os.File, old os.FileInfo) (warning string, err error) {
	if old == nil {
		return "", tmp.Chmod(0o600)
	}
	if st, ok := old.Sys().(*syscall.Stat_t); ok {
		if err := tmp.Chown(int(st.Uid), int(st.Gid)); err != nil {
			if err := tmp.Chown(-1, int(st.Gid)); err != nil {
				warning = fmt.Sprintf("could not give the new warehouse the old one's owner (uid %d, gid %d): it is owned by uid %d", st.Uid, st.Gid, os.Getuid())
			} else {
				warning = fmt.Sprintf("could not give the new warehouse the old one's owner (uid %d): it keeps its group (gid %d)", st.Uid, st.Gid)
			}
		}
	}
	// after chown, which may clear set-id bits
	return warning, tmp.Chmod(old.Mode().Perm() | old.Mode()&(os.ModeSetuid|os.ModeSetgid|os.ModeSticky))
}
