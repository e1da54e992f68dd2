package schema

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Loader builds a new snapshot (typically Load on the pool with the configured schemas).
type Loader func(ctx context.Context) (*Snapshot, error)

// LoaderFor returns a Loader that runs Load on q for schemas.
func LoaderFor(q Querier, schemas []string) Loader {
	schemas = append([]string(nil), schemas...)
	return func(ctx context.Context) (*Snapshot, error) { return Load(ctx, q, schemas) }
}

// Cache holds the current snapshot. Readers call Current, which is one atomic load and
// never waits; Reload builds the next snapshot off the request path and swaps it in.
type Cache struct {
	loader  Loader
	current atomic.Pointer[Snapshot]

	mu      sync.Mutex
	running *reloadRound // the load in flight
	queued  *reloadRound // the one load that starts after it, shared by later callers
	joined  int          // callers that joined a round (tests use it to sequence callers)

	statsMu sync.Mutex
	stats   Stats

	hooksMu sync.Mutex
	hooks   []func()
}

type reloadRound struct {
	done chan struct{}
	err  error
}

// Stats describe the cache's loads, for metrics and the admin server.
type Stats struct {
	// Loads and Failures count finished loads.
	Loads, Failures int64
	// LoadDuration is how long the last successful load took.
	LoadDuration time.Duration
	// LoadedAt is when the current snapshot was stored (zero before the first one).
	LoadedAt time.Time
	// LastError is the error of the last load if it failed, else nil.
	LastError error
	// Counts are the current snapshot's sizes.
	Counts Counts
}

// NewCache returns an empty cache that loads snapshots with loader.
func NewCache(loader Loader) *Cache { return &Cache{loader: loader} }

// Current returns the current snapshot, or nil before the first successful load (requests
// then answer PGRST002).
func (c *Cache) Current() *Snapshot { return c.current.Load() }

// Store replaces the current snapshot (tests, or a snapshot read with FromJSON).
func (c *Cache) Store(s *Snapshot) {
	c.current.Store(s)
	c.statsMu.Lock()
	c.stats.LoadedAt = time.Now()
	c.stats.Counts = s.Counts()
	c.statsMu.Unlock()
	c.changed()
}

// OnChange registers f to run after every new snapshot becomes current (a successful
// reload or Store), off the request path.
func (c *Cache) OnChange(f func()) {
	c.hooksMu.Lock()
	c.hooks = append(c.hooks, f)
	c.hooksMu.Unlock()
}

func (c *Cache) changed() {
	c.hooksMu.Lock()
	hooks := c.hooks
	c.hooksMu.Unlock()
	for _, f := range hooks {
		f()
	}
}

// Reload loads a new snapshot and makes it current, returning the load's error. On error
// the previous snapshot stays current.
//
// Reloads coalesce: at most one load runs and at most one waits behind it. A call made
// while a load runs waits for the queued load, which starts after the running one ends and
// so sees every catalog change made before the call; all callers arriving meanwhile share
// it. The load itself is not cancelled when ctx is (other callers may be waiting for it):
// ctx only bounds how long this caller waits. Bound the load inside the Loader.
func (c *Cache) Reload(ctx context.Context) error {
	c.mu.Lock()
	var r *reloadRound
	switch {
	case c.running == nil:
		r = &reloadRound{done: make(chan struct{})}
		c.running = r
		go c.run(context.WithoutCancel(ctx), r)
	case c.queued == nil:
		r = &reloadRound{done: make(chan struct{})}
		c.queued = r
	default:
		r = c.queued
	}
	c.joined++
	c.mu.Unlock()
	select {
	case <-r.done:
		return r.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Cache) run(ctx context.Context, r *reloadRound) {
	for r != nil {
		start := time.Now()
		s, err := c.safeLoad(ctx)
		if s == nil && err == nil {
			err = errors.New("schema: loader returned no snapshot")
		}
		took := time.Since(start)
		c.statsMu.Lock()
		if err == nil {
			c.current.Store(s)
			c.stats.Loads++
			c.stats.LoadDuration = took
			c.stats.LoadedAt = time.Now()
			c.stats.LastError = nil
			c.stats.Counts = s.Counts()
		} else {
			c.stats.Failures++
			c.stats.LastError = err
		}
		c.statsMu.Unlock()
		if err == nil {
			c.changed()
		}

		c.mu.Lock()
		r.err = err
		close(r.done)
		r = c.queued
		c.queued = nil
		c.running = r
		c.mu.Unlock()
	}
}

// safeLoad turns a panicking loader into a failed load, so that the round still ends and
// its waiters are released.
func (c *Cache) safeLoad(ctx context.Context) (s *Snapshot, err error) {
	defer func() {
		if p := recover(); p != nil {
			s, err = nil, fmt.Errorf("schema: loader panicked: %v", p)
		}
	}()
	return c.loader(ctx)
}

// Stats returns a copy of the load statistics.
func (c *Cache) Stats() Stats {
	c.statsMu.Lock()
	defer c.statsMu.Unlock()
	return c.stats
}
