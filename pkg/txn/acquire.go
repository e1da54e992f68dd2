package txn

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/rocksteady/rocksteady/pkg/apierr"
)

// acquireStats count what pgxpool.Stat does not: requests waiting for a connection now,
// and acquisitions that gave up (PGRST003).
type acquireStats struct {
	timeout  atomic.Int64 // nanoseconds; 0 = bounded by the request's context only
	waiting  atomic.Int64
	timeouts atomic.Int64
}

// SetAcquireTimeout bounds how long a request waits for a pool connection
// (PGRST_DB_POOL_ACQUISITION_TIMEOUT); past it the request fails with 504 PGRST003.
// Zero leaves the wait bounded only by the request's context.
func (r *Runner) SetAcquireTimeout(d time.Duration) { r.acq.timeout.Store(int64(d)) }

// Waiting is the number of requests waiting for a pool connection right now.
func (r *Runner) Waiting() int64 { return r.acq.waiting.Load() }

// PoolTimeouts counts the requests that gave up waiting for a connection (PGRST003).
func (r *Runner) PoolTimeouts() int64 { return r.acq.timeouts.Load() }

func (r *Runner) acquire(ctx context.Context) (*pgxpool.Conn, error) {
	r.acq.waiting.Add(1)
	defer r.acq.waiting.Add(-1)
	actx := ctx
	if d := time.Duration(r.acq.timeout.Load()); d > 0 {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	conn, err := r.pool.Acquire(actx)
	if err != nil {
		err = acquireError(ctx, err)
		if e, ok := apierr.As(err); ok && e.Code == "PGRST003" {
			r.acq.timeouts.Add(1)
		}
		return nil, err
	}
	return conn, nil
}
