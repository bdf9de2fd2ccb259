package dashboards

import (
	"container/list"
	"fmt"
	"sort"
	"strings"
	"sync"

	"familyhubs/queries"
)

// Cache keeps recent answers, keyed by the warehouse's data version, the query, its arguments
// and the disclosure policy: a new warehouse is a new key space, so nothing stale is served.
// Callers must not change a cached result.
type Cache struct {
	version string
	size    int
	mu      sync.Mutex
	order   *list.List
	entries map[string]*list.Element
	flights map[string]*flight
}

type entry struct {
	key string
	res *queries.Result
}

type flight struct {
	done chan struct{}
	res  *queries.Result
	err  error
}

// NewCache holds up to size answers for one data version.
func NewCache(version string, size int) *Cache {
	return &Cache{version: version, size: size, order: list.New(), entries: map[string]*list.Element{}, flights: map[string]*flight{}}
}

func (c *Cache) key(name string, args queries.Args, policy string) string {
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%s|%s", c.version, name, policy)
	for _, k := range keys {
		fmt.Fprintf(&b, "|%s=%s", k, queries.Text(args[k]))
	}
	return b.String()
}

// Get returns the cached answer or computes it once, however many ask at the same time.
func (c *Cache) Get(name string, args queries.Args, policy string, compute func() (*queries.Result, error)) (*queries.Result, error) {
	k := c.key(name, args, policy)
	c.mu.Lock()
	if e, ok := c.entries[k]; ok {
		c.order.MoveToFront(e)
		c.mu.Unlock()
		return e.Value.(*entry).res, nil
	}
	if f, ok := c.flights[k]; ok {
		c.mu.Unlock()
		<-f.done
		return f.res, f.err
	}
	f := &flight{done: make(chan struct{})}
	c.flights[k] = f
	c.mu.Unlock()

	f.res, f.err = compute()
	close(f.done)

	c.mu.Lock()
	delete(c.flights, k)
	if f.err == nil {
		c.entries[k] = c.order.PushFront(&entry{k, f.res})
		for c.order.Len() > c.size {
			old := c.order.Back()
			c.order.Remove(old)
			delete(c.entries, old.Value.(*entry).key)
		}
	}
	c.mu.Unlock()
	return f.res, f.err
}
