package reload

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/rocksteady/rocksteady/pkg/schema"
)

// DefaultRefreshGap is the least time between two forced reloads started by requests that
// named an unknown object.
const DefaultRefreshGap = 500 * time.Millisecond

// ErrRateLimited is Refresh's answer when a forced reload ran too recently.
var ErrRateLimited = errors.New("reload: a forced reload ran less than the minimum gap ago")

// Reloader reloads a schema cache in the background.
type Reloader struct {
	cache *schema.Cache
	log   *slog.Logger
	kick  chan struct{}
	// RefreshGap is the least time between two forced reloads (DefaultRefreshGap).
	RefreshGap time.Duration
	// LoadTimeout bounds one forced reload (10 s).
	LoadTimeout time.Duration

	mu     sync.Mutex
	forced *round
}

type round struct {
	started time.Time
	done    chan struct{}
	err     error
}

func (r *round) finished() bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

// New returns a Reloader for cache; nothing happens until Run.
func New(cache *schema.Cache, log *slog.Logger) *Reloader {
	if log == nil {
		log = slog.Default()
	}
	return &Reloader{cache: cache, log: log, kick: make(chan struct{}, 1),
		RefreshGap: DefaultRefreshGap, LoadTimeout: 10 * time.Second}
}

// Request asks for a reload and returns at once. Requests made while one is pending
// merge into it; one made while a load runs starts another load after it, so the cache
// always ends up at least as new as the catalog was when Request was called.
func (r *Reloader) Request() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// Run performs requested reloads until ctx ends.
func (r *Reloader) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.kick:
		}
		start := time.Now()
		err := r.cache.Reload(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			r.log.Error("schema cache reload failed; keeping the previous one", "err", err)
		default:
			c := r.cache.Stats().Counts
			r.log.Info("schema cache reloaded", "took_ms", time.Since(start).Milliseconds(),
				"relations", c.Relations, "functions", c.Functions)
		}
	}
}

// Refresh reloads the cache now and waits for it (bounded by ctx and LoadTimeout), for a
// request about to answer "not found". At most one forced reload starts per RefreshGap
// (or four times the last load's duration, if that is longer);
// callers arriving while one runs wait for it, callers arriving after it finished but
// within the gap get ErrRateLimited at once.
func (r *Reloader) Refresh(ctx context.Context) error {
	// A large catalog takes long to load: keep forced reloads to a quarter of the time at
	// most, so that a stream of requests for names that do not exist cannot keep the
	// database busy reloading.
	gap := max(r.RefreshGap, 4*r.cache.Stats().LoadDuration)
	r.mu.Lock()
	f := r.forced
	switch {
	case f == nil || f.finished() && time.Since(f.started) >= gap:
		f = &round{started: time.Now(), done: make(chan struct{})}
		r.forced = f
		go func() {
			lctx, cancel := context.WithTimeout(context.Background(), r.LoadTimeout)
			defer cancel()
			f.err = r.cache.Reload(lctx)
			close(f.done)
		}()
	case f.finished():
		r.mu.Unlock()
		return ErrRateLimited
	}
	r.mu.Unlock()
	select {
	case <-f.done:
		return f.err
	case <-ctx.Done():
		return ctx.Err()
	}
}
