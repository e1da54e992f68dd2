package auth

import (
	"sync"
	"sync/atomic"
)

// cached is what a verified token resolves to. Everything in it is read-only once stored;
// only the time claims are checked again on each use.
type cached struct {
	token  string
	gen    uint64 // key snapshot the signature was checked against
	times  times
	result Result

	visited    atomic.Bool
	prev, next *cached // towards the head (newer) / tail (older)
}

// tokenCache is a bounded map of verified tokens with SIEVE eviction: a hit only sets a
// flag, so lookups share a read lock and never reorder anything; an insert into a full cache
// moves a hand from the tail towards the head, clearing flags, and evicts the first entry
// not visited since the hand last passed it.
type tokenCache struct {
	max int

	mu         sync.RWMutex
	items      map[string]*cached
	head, tail *cached
	hand       *cached

	hits, misses, evictions atomic.Uint64
}

func newTokenCache(max int) *tokenCache {
	return &tokenCache{max: max, items: make(map[string]*cached, min(max, 1024))}
}

// get returns the entry for token, marking it visited, if it was verified against key
// snapshot gen; an entry from an older snapshot is dropped. Hits and misses are counted.
func (c *tokenCache) get(token string, gen uint64) *cached {
	c.mu.RLock()
	e := c.items[token]
	c.mu.RUnlock()
	if e != nil && e.gen != gen {
		c.remove(e)
		e = nil
	}
	if e == nil {
		c.misses.Add(1)
		return nil
	}
	if !e.visited.Load() {
		e.visited.Store(true)
	}
	c.hits.Add(1)
	return e
}

func (c *tokenCache) put(e *cached) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.items[e.token]; old != nil {
		c.unlink(old)
		delete(c.items, old.token)
	}
	for len(c.items) >= c.max {
		c.evictOne()
	}
	e.next = c.head
	if c.head != nil {
		c.head.prev = e
	}
	c.head = e
	if c.tail == nil {
		c.tail = e
	}
	c.items[e.token] = e
}

// remove drops an entry that must not be served again (expired, stale key snapshot).
func (c *tokenCache) remove(e *cached) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.items[e.token] == e {
		c.unlink(e)
		delete(c.items, e.token)
	}
}

func (c *tokenCache) evictOne() {
	h := c.hand
	if h == nil {
		h = c.tail
	}
	for h.visited.Load() {
		h.visited.Store(false)
		h = h.prev
		if h == nil {
			h = c.tail
		}
	}
	c.hand = h.prev
	c.unlink(h)
	delete(c.items, h.token)
	c.evictions.Add(1)
}

func (c *tokenCache) unlink(e *cached) {
	if c.hand == e {
		c.hand = e.prev
	}
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		c.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		c.tail = e.prev
	}
	e.prev, e.next = nil, nil
}

func (c *tokenCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}
