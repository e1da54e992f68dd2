package reload

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// ListenerApplicationName is the application_name of the listening connection, so it can
// be told apart from the pool's in pg_stat_activity.
const ListenerApplicationName = "rocksteady listener"

// Listener LISTENs on one channel on a connection of its own.
type Listener struct {
	// Config is the connection to open (copied; application_name is set on the copy).
	Config *pgx.ConnConfig
	// Channel is PGRST_DB_CHANNEL.
	Channel string
	// OnSchema runs on `reload schema`, an empty payload, and after every (re)connect.
	OnSchema func()
	// OnConfig runs on `reload config`.
	OnConfig func()
	Log      *slog.Logger
	// MinBackoff and MaxBackoff bound the wait between connection attempts (250 ms, 4 s).
	MinBackoff, MaxBackoff time.Duration
	// OnListening, when set, runs each time LISTEN succeeds (tests use it).
	OnListening func()
}

// Run listens until ctx ends, reconnecting whenever the connection is lost.
func (l *Listener) Run(ctx context.Context) {
	log := l.Log
	if log == nil {
		log = slog.Default()
	}
	minB, maxB := l.MinBackoff, l.MaxBackoff
	if minB <= 0 {
		minB = 250 * time.Millisecond
	}
	if maxB < minB {
		maxB = max(4*time.Second, minB)
	}
	delay := minB
	for ctx.Err() == nil {
		listened, err := l.session(ctx)
		if ctx.Err() != nil {
			return
		}
		if listened {
			delay = minB
		}
		log.Error("schema listener: connection lost; reconnecting", "channel", l.Channel, "err", err, "retry_in_ms", delay.Milliseconds())
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		if !listened {
			delay = min(2*delay, maxB)
		}
	}
}

// session connects, LISTENs and dispatches notifications until the connection fails. It
// reports whether LISTEN succeeded.
func (l *Listener) session(ctx context.Context) (bool, error) {
	cfg := l.Config.Copy()
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["application_name"] = ListenerApplicationName
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	conn, err := pgx.ConnectConfig(cctx, cfg)
	if err == nil {
		_, err = conn.Exec(cctx, "LISTEN "+pgx.Identifier{l.Channel}.Sanitize())
	}
	cancel()
	if err != nil {
		if conn != nil {
			conn.Close(context.Background())
		}
		return false, err
	}
	defer conn.Close(context.Background())
	if l.OnListening != nil {
		l.OnListening()
	}
	// Whatever was announced while nobody listened is lost: reload once now.
	if l.OnSchema != nil {
		l.OnSchema()
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true, err
		}
		switch n.Payload {
		case "", "reload schema":
			if l.OnSchema != nil {
				l.OnSchema()
			}
		case "reload config":
			if l.OnConfig != nil {
				l.OnConfig()
			}
		}
	}
}
