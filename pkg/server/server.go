package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"
	"github.com/rocksteady/rocksteady/pkg/config"
	"github.com/rocksteady/rocksteady/pkg/reload"
)

// Server runs the API and admin listeners.
type Server struct {
	cfg   *config.Config
	log   *slog.Logger
	pool  *pgxpool.Pool
	api   *echo.Echo
	admin *echo.Echo
	ready func(ctx context.Context) error
	pipe  *pipeline

	stages   Stages
	metrics  requestMetrics
	reloader *reload.Reloader
	onConfig func()
}

// Options wires the server to its stages.
type Options struct {
	Config *config.Config
	Log    *slog.Logger
	Pool   *pgxpool.Pool
	Stages Stages
	// Reloader reloads the schema cache in the background; nil makes one.
	Reloader *reload.Reloader
	// OnConfigReload runs on NOTIFY `reload config`; nil reloads the schema cache, which
	// holds the role settings (the only configuration read from the database).
	OnConfigReload func()
}

// New builds the server; nothing listens until Serve.
func New(o Options) *Server {
	s := &Server{cfg: o.Config, log: o.Log, pool: o.Pool, stages: o.Stages, reloader: o.Reloader, onConfig: o.OnConfigReload}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.reloader == nil {
		s.reloader = reload.New(o.Stages.Schema, s.log)
	}
	if s.onConfig == nil {
		s.onConfig = s.reloader.Request
	}
	if o.Stages.Runner != nil {
		o.Stages.Runner.SetAcquireTimeout(o.Config.DBPoolAcquisitionTimeout)
		if o.Stages.Schema != nil {
			// Statements prepared against the old schema may carry stale parameter types.
			o.Stages.Schema.OnChange(o.Stages.Runner.ClosePrepared)
		}
	}
	s.pipe = newPipeline(o.Config, o.Stages, s.log)
	s.pipe.reloader = s.reloader
	s.ready = func(ctx context.Context) error {
		if !o.Stages.SchemaLoaded() {
			return errors.New("schema cache not loaded")
		}
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		return o.Pool.Ping(ctx)
	}
	s.api = newEcho()
	s.api.Use(s.recoverAndLog, s.cors)
	s.api.Any("/*", s.serveAPI)
	s.api.Any("/", s.serveAPI)
	s.admin = newEcho()
	s.admin.GET("/live", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	s.admin.GET("/ready", func(c echo.Context) error {
		if err := s.ready(c.Request().Context()); err != nil {
			return c.NoContent(http.StatusServiceUnavailable)
		}
		return c.NoContent(http.StatusOK)
	})
	s.admin.GET("/metrics", s.metricsHandler)
	return s
}

func newEcho() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.DisableHTTP2 = true
	return e
}

// Handler is the API's http.Handler.
func (s *Server) Handler() http.Handler { return s.api }

// AdminHandler is the admin server's http.Handler.
func (s *Server) AdminHandler() http.Handler { return s.admin }

// Serve listens on the API (and admin, when configured) addresses until ctx ends, then
// shuts down gracefully: it stops accepting, lets in-flight requests finish (bounded by
// grace) and returns. ready is called with the bound API address once listening.
func (s *Server) Serve(ctx context.Context, apiAddr, adminAddr string, grace time.Duration, ready func(api, admin net.Addr)) error {
	bg, stopBackground := context.WithCancel(ctx)
	waitBackground := s.startBackground(bg)
	defer func() {
		stopBackground()
		waitBackground()
	}()
	apiLn, err := net.Listen("tcp", apiAddr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", apiAddr, err)
	}
	servers := []*http.Server{{Handler: s.api, ReadHeaderTimeout: 10 * time.Second}}
	listeners := []net.Listener{apiLn}
	var adminBound net.Addr
	if adminAddr != "" {
		adminLn, err := net.Listen("tcp", adminAddr)
		if err != nil {
			apiLn.Close()
			return fmt.Errorf("listen %s: %w", adminAddr, err)
		}
		servers = append(servers, &http.Server{Handler: s.admin, ReadHeaderTimeout: 10 * time.Second})
		listeners = append(listeners, adminLn)
		adminBound = adminLn.Addr()
	}
	errc := make(chan error, len(servers))
	for i, srv := range servers {
		go func(srv *http.Server, ln net.Listener) {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}(srv, listeners[i])
	}
	if ready != nil {
		ready(apiLn.Addr(), adminBound)
	}
	select {
	case <-ctx.Done():
	case err := <-errc:
		return err
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	var firstErr error
	for _, srv := range servers {
		if err := srv.Shutdown(sctx); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

func requestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// cors applies PostgREST's CORS (only when an Origin header is present), answering
// preflights itself, without a key.
func (s *Server) cors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		origin := req.Header.Get("Origin")
		if origin == "" {
			return next(c)
		}
		h := c.Response().Header()
		allowed := len(s.cfg.ServerCORSOrigins) == 0
		if allowed {
			h.Set("Access-Control-Allow-Origin", "*")
		} else {
			for _, o := range s.cfg.ServerCORSOrigins {
				if o == origin {
					allowed = true
					h.Set("Access-Control-Allow-Origin", origin)
					h.Set("Access-Control-Allow-Credentials", "true")
				}
			}
		}
		if req.Method == http.MethodOptions && req.Header.Get("Access-Control-Request-Method") != "" {
			if allowed {
				h.Set("Access-Control-Allow-Methods", "GET, POST, PATCH, PUT, DELETE, OPTIONS, HEAD")
				headers := []string{"Authorization"}
				for _, v := range req.Header.Values("Access-Control-Request-Headers") {
					for _, p := range strings.Split(v, ",") {
						if p = strings.TrimSpace(p); p != "" {
							headers = append(headers, p)
						}
					}
				}
				headers = append(headers, "Accept", "Accept-Language", "Content-Language")
				h.Set("Access-Control-Allow-Headers", strings.Join(headers, ", "))
				h.Set("Access-Control-Max-Age", "86400")
			}
			h.Set("Content-Length", "0")
			return c.NoContent(http.StatusOK)
		}
		if allowed {
			h.Set("Access-Control-Expose-Headers", "Content-Encoding, Content-Location, Content-Range, Content-Type, Date, Location, Server, Transfer-Encoding, Range-Unit, Content-Profile, Preference-Applied, Proxy-Status")
		}
		return next(c)
	}
}
