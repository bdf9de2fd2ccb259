package answers

import (
	"container/list"
	"fmt"
	"net/url"
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

// Rendered holds rendered pages for one data version, up to a budget of bytes, least recently used
// out first. A page is a pure function of the data version and its URL's query, so once rendered
// it is served as it is: rendering the charts costs more than answering from cached answers.
type Rendered struct {
	version string
	budget  int
	mu      sync.Mutex
	bytes   int
	order   *list.List
	entries map[string]*list.Element
}

type page struct {
	key  string
	body []byte
}

// NewRendered holds up to budget bytes of pages for one data version.
func NewRendered(version string, budget int) *Rendered {
	return &Rendered{version: version, budget: budget, order: list.New(), entries: map[string]*list.Element{}}
}

// Key is the cache key of a page: its slug and its query string with the parameters sorted.
func (p *Rendered) Key(slug string, query url.Values) string {
	return p.version + "|" + slug + "?" + query.Encode() // Encode sorts by key
}

// Get returns a rendered page, if held.
func (p *Rendered) Get(key string) ([]byte, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.entries[key]
	if !ok {
		return nil, false
	}
	p.order.MoveToFront(e)
	return e.Value.(*page).body, true
}

// Put keeps a rendered page.
func (p *Rendered) Put(key string, body []byte) {
	if len(body) > p.budget {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.entries[key]; ok {
		return
	}
	p.entries[key] = p.order.PushFront(&page{key, body})
	p.bytes += len(body)
	for p.bytes > p.budget {
		old := p.order.Back()
		p.order.Remove(old)
		delete(p.entries, old.Value.(*page).key)
		p.bytes -= len(old.Value.(*page).body)
	}
}
