package answers

import (
	"net/url"
	"testing"
)

// Rendered pages are keyed by data version, page and the query with parameters in any order, and
// the least recently used go first once the byte budget is spent.
func TestRenderedPages(t *testing.T) {
	p := NewRendered("v1", 10)
	a := p.Key("reach", url.Values{"council": {"stockport"}, "period": {"2024-25"}})
	b := p.Key("reach", url.Values{"period": {"2024-25"}, "council": {"stockport"}})
	if a != b {
		t.Fatalf("the order of parameters changed the key: %q, %q", a, b)
	}
	if a == p.Key("map", url.Values{"council": {"stockport"}, "period": {"2024-25"}}) ||
		a == NewRendered("v2", 10).Key("reach", url.Values{"council": {"stockport"}, "period": {"2024-25"}}) {
		t.Fatal("another page or data version shares the key")
	}
	p.Put(a, []byte("aaaa"))
	p.Put("k2", []byte("bbbb"))
	if got, ok := p.Get(a); !ok || string(got) != "aaaa" {
		t.Fatalf("got %q %v", got, ok)
	}
	p.Put("k3", []byte("cccc")) // 12 bytes > 10: k2, the least recently used, goes
	if _, ok := p.Get("k2"); ok {
		t.Error("k2 should have been evicted")
	}
	for _, k := range []string{a, "k3"} {
		if _, ok := p.Get(k); !ok {
			t.Errorf("%s was evicted", k)
		}
	}
	p.Put("big", make([]byte, 11))
	if _, ok := p.Get("big"); ok || p.bytes != 8 {
		t.Errorf("a page over the whole budget is not kept (%d bytes held)", p.bytes)
	}
}
