package server

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/rocksteady/rocksteady/pkg/apierr"
	"github.com/rocksteady/rocksteady/pkg/apireq"
	"github.com/rocksteady/rocksteady/pkg/plan"
	"github.com/rocksteady/rocksteady/pkg/reload"
	"github.com/rocksteady/rocksteady/pkg/schema"
)

// Reloader is the server's background schema reloader (SIGUSR1 calls its Request).
func (s *Server) Reloader() *reload.Reloader { return s.reloader }

// ReloadConfig does what NOTIFY `reload config` does (SIGUSR2).
func (s *Server) ReloadConfig() { s.onConfig() }

// startBackground runs the reloader and, unless PGRST_DB_CHANNEL_ENABLED=false, the
// LISTEN connection, until ctx ends; the returned function waits for both to stop.
func (s *Server) startBackground(ctx context.Context) (wait func()) {
	var wg sync.WaitGroup
	if s.stages.Schema != nil {
		wg.Go(func() { s.reloader.Run(ctx) })
	}
	if s.cfg.DBChannelEnabled && s.stages.Schema != nil {
		cc, err := pgx.ParseConfig(s.cfg.DBURI)
		if err != nil {
			s.log.Error("schema listener disabled: cannot parse PGRST_DB_URI", "err", err)
		} else {
			l := &reload.Listener{Config: cc, Channel: s.cfg.DBChannel, Log: s.log,
				OnSchema: s.reloader.Request, OnConfig: s.onConfig}
			wg.Go(func() { l.Run(ctx) })
		}
	}
	return wg.Wait
}

// replanUnknown gives a request naming a table or function the snapshot does not know one
// more chance: if the catalog has changed since the snapshot was loaded (a table created a
// moment ago, before its NOTIFY arrived), a rate-limited reload finds it and the request is
// planned again. Only failing requests come here, never successful ones.
func (p *pipeline) replanUnknown(ctx context.Context, req *apireq.Request, snap *schema.Snapshot, err error) (any, error) {
	e, ok := apierr.As(err)
	if !ok || e.Code != "PGRST205" && e.Code != "PGRST202" || p.reloader == nil {
		return nil, err
	}
	fresh := p.st.Schema.Current()
	if fresh == snap {
		if p.reloader.Refresh(ctx) != nil {
			return nil, err
		}
		fresh = p.st.Schema.Current()
		if fresh == snap {
			return nil, err
		}
	}
	return plan.Build(req, fresh, p.planOpt)
}
