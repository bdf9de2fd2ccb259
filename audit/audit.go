// Package audit keeps the trail of who saw what: every page, API call, download, briefing,
// return, SQL statement, load and denied request, one JSON line each, appended to a file kept
// apart from the warehouse. A record says who (user, roles, client), what (route, parameters,
// disclosure policy), how much left (bytes) and the outcome; it never holds a figure.
package audit

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Record is one event.
type Record struct {
	Time    time.Time         `json:"time"`
	User    string            `json:"user"`            // subject (and name) of the signed-in person, "local" for the local demo, "" if none
	Roles   string            `json:"roles,omitempty"` // comma-separated
	Client  string            `json:"client,omitempty"`
	Action  string            `json:"action"` // page, api, download, briefing, return, sql, load, sign-in, sign-out, denied
	Route   string            `json:"route"`  // the path, or the command
	Params  map[string]string `json:"params,omitempty"`
	Policy  string            `json:"policy,omitempty"` // dfe, nhs, none
	Status  int               `json:"status,omitempty"` // HTTP status
	Bytes   int64             `json:"bytes,omitempty"`  // bytes sent (or rows, for a load, in Rows)
	Rows    int64             `json:"rows,omitempty"`
	Outcome string            `json:"outcome"` // ok, denied, error: ...
}

// Log appends records to a file: opened append-only, created 0600, one write per record.
type Log struct {
	mu sync.Mutex
	f  *os.File
}

// Open opens (or creates, 0600) the trail at path for appending.
func Open(path string) (*Log, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit trail: %w", err)
	}
	return &Log{f: f}, nil
}

// Write appends one record, timestamped now if it has no time. A trail that cannot be written
// is an error the caller must not ignore.
func (l *Log) Write(r Record) error {
	if r.Time.IsZero() {
		r.Time = time.Now().UTC()
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err = l.f.Write(append(b, '\n'))
	return err
}

// Close closes the file.
func (l *Log) Close() error { return l.f.Close() }

// Filter selects records to read.
type Filter struct {
	Since time.Time
	User  string
}

// Read returns the records of a trail that pass the filter, oldest first.
func Read(r io.Reader, f Filter) ([]Record, error) {
	var out []Record
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		var rec Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("audit trail line %d: %w", line, err)
		}
		if !f.Since.IsZero() && rec.Time.Before(f.Since) {
			continue
		}
		if f.User != "" && rec.User != f.User && !strings.HasPrefix(rec.User, f.User+" (") {
			continue
		}
		out = append(out, rec)
	}
	return out, sc.Err()
}
