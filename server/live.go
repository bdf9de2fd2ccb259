package server

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"familyhubs/answers"
	"familyhubs/dashboards"
	"familyhubs/warehouse"
)

// state is one warehouse the server answers from, with its answers layer and pages.
type state struct {
	db      *warehouse.DB
	answers *answers.Service
	site    *dashboards.Site
	file    fileID

	mu     sync.RWMutex // held for reading by each request using this state; for writing to close it
	closed bool
	gone   atomic.Bool // closed, readable without the lock (for /healthz during a switch)
}

// fileID identifies the warehouse file a state was opened from: a load renames a new file over
// it, which gives it a new inode.
type fileID struct {
	dev, ino uint64
}

func idOf(path string) (fileID, error) {
	info, err := os.Stat(path)
	if err != nil {
		return fileID{}, err
	}
	if info.Size() == 0 {
		return fileID{}, errors.New("the warehouse file is empty")
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return fileID{}, nil
	}
	return fileID{uint64(st.Dev), uint64(st.Ino)}, nil
}

func newState(db *warehouse.DB, logger *log.Logger) *state {
	a := answers.New(db, db.Version, db.DataEnd)
	st := &state{db: db, answers: a, site: dashboards.New(db, a)}
	st.site.Log = logger
	st.file, _ = idOf(db.Path)
	return st
}

// fileProblem says what is wrong with the state's warehouse file, if anything: gone, emptied, or
// replaced by a load not yet switched to.
func (st *state) fileProblem() string {
	if st.db.Path == "" {
		return ""
	}
	id, err := idOf(st.db.Path)
	switch {
	case err != nil:
		return "the warehouse file " + st.db.Path + " is gone or unreadable"
	case id != st.file:
		return "the warehouse file was replaced; switching to it"
	}
	return ""
}

type stateKey struct{}

// st is the state a request is being answered from.
func (s *Server) st(r *http.Request) *state {
	if st, ok := r.Context().Value(stateKey{}).(*state); ok {
		return st
	}
	return s.cur.Load()
}

// dispatch answers a request from the current state, holding it open until the answer is sent.
// Pages and API answers are admitted a few at a time (briefings have their own queue): waiting
// requests are parked, not running, so under a flood the machine's cores go to answering, and a
// probe of /healthz is not stuck behind hundreds of runnable requests.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/briefings/") {
		select {
		case s.admit <- struct{}{}:
			defer func() { <-s.admit }()
		case <-r.Context().Done():
			return
		}
	}
	for {
		st := s.cur.Load()
		st.mu.RLock()
		if st.closed {
			st.mu.RUnlock()
			if s.cur.Load() != st {
				continue // switched between loading and locking: take the new one
			}
			w.Header().Set("Retry-After", "5")
			http.Error(w, "warehouse unavailable: the new warehouse file could not be opened", http.StatusServiceUnavailable)
			return
		}
		defer st.mu.RUnlock()
		s.router.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), stateKey{}, st)))
		return
	}
}

// Version is the data version the server is answering from now.
func (s *Server) Version() string { return s.cur.Load().db.Version }

// Watch checks the warehouse file every interval until ctx ends: when a load has replaced it
// (a new file renamed over the old), it opens the new one, switches new requests to it, and
// closes the old one once the requests using it have finished. A file that is gone or empty is
// left alone (and /healthz fails) until a good one is back.
func (s *Server) Watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := s.Reload(ctx); err != nil {
			s.log.Printf("watching the warehouse: %v", err)
		}
	}
}

// Reload switches to the warehouse file if a load has replaced it since it was opened.
func (s *Server) Reload(ctx context.Context) error {
	old := s.cur.Load()
	if old.db.Path == "" {
		return nil
	}
	id, err := idOf(old.db.Path)
	if err != nil || (id == old.file && !old.closed) {
		return nil // gone (healthz says so) or unchanged
	}
	// The DuckDB driver keeps one database per path in a process, so the new file can only be
	// opened once the old one is closed: new requests wait (on the lock) while the requests still
	// using the old one finish, it is closed, the new one opened and switched to.
	old.mu.Lock()
	defer old.mu.Unlock()
	version := old.db.Version
	if !old.closed {
		old.db.Close()
		old.closed = true
		old.gone.Store(true)
	}
	db, err := warehouse.Open(ctx, old.db.Path)
	if err != nil {
		// requests get 503 (dispatch) until a good file is there: tried again on the next tick
		return fmt.Errorf("opening the new warehouse: %w", err)
	}
	next := newState(db, s.log)
	next.file = id
	s.cur.Store(next)
	s.log.Printf("switched to data version %s (was %s)", db.Version, version)
	return nil
}

// Close closes the warehouse, once the requests using it have finished (call it after the HTTP
// server's Shutdown has drained them).
func (s *Server) Close() error {
	st := s.cur.Load()
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed {
		return nil
	}
	st.closed = true
	st.gone.Store(true)
	return st.db.Close()
}

// errBusy is a briefing that waited too long for a slot.
var errBusy = errors.New("briefings busy")

// briefingCache keeps rendered briefings (a few dozen, newest kept) and bounds how many are
// rendered at once; the same briefing asked for while it is being rendered waits for that one.
type briefingCache struct {
	slots    chan struct{}
	mu       sync.Mutex
	done     map[string][]byte
	order    []string
	inflight map[string]*flight
}

type flight struct {
	wait chan struct{}
	pdf  []byte
	err  error
}

const keptBriefings = 64

// briefingWait is how long a briefing waits for a slot before the server says it is busy: under
// the 60 s a served response may take (hubs serve's WriteTimeout).
const briefingWait = 50 * time.Second

func newBriefingCache(renders int) *briefingCache {
	return &briefingCache{slots: make(chan struct{}, max(renders, 1)), done: map[string][]byte{}, inflight: map[string]*flight{}}
}

func (c *briefingCache) get(ctx context.Context, key string, render func() ([]byte, error)) ([]byte, error) {
	c.mu.Lock()
	if pdf, ok := c.done[key]; ok {
		c.mu.Unlock()
		return pdf, nil
	}
	if f, ok := c.inflight[key]; ok {
		c.mu.Unlock()
		select {
		case <-f.wait:
			return f.pdf, f.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	f := &flight{wait: make(chan struct{})}
	c.inflight[key] = f
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.inflight, key)
		if f.err == nil {
			c.done[key] = f.pdf
			c.order = append(c.order, key)
			if len(c.order) > keptBriefings {
				delete(c.done, c.order[0])
				c.order = c.order[1:]
			}
		}
		c.mu.Unlock()
		close(f.wait)
	}()
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		f.err = ctx.Err()
		return nil, f.err
	case <-time.After(briefingWait):
		f.err = errBusy
		return nil, f.err
	}
	defer func() { <-c.slots }()
	f.pdf, f.err = render()
	return f.pdf, f.err
}
