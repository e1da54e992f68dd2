package server

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/rocksteady/rocksteady/pkg/apierr"
)

// requestInfo is what the pipeline learns about a request that the log line and the
// metrics want: the role it ran as and the SQL it sent. The pipeline fills it in through
// noteRole and noteSQL; both are no-ops outside a request.
type requestInfo struct {
	id   string
	role string
	sql  string
}

type requestInfoKey struct{}

func infoFrom(ctx context.Context) *requestInfo {
	i, _ := ctx.Value(requestInfoKey{}).(*requestInfo)
	return i
}

// noteRole records the database role the request runs as.
func noteRole(ctx context.Context, role string) {
	if i := infoFrom(ctx); i != nil {
		i.role = role
	}
}

// noteSQL records the main statement (logged at debug level).
func noteSQL(ctx context.Context, sql string) {
	if i := infoFrom(ctx); i != nil {
		i.sql = sql
	}
}

// recoverAndLog gives each request an id, logs one line for it (and its SQL at debug
// level), counts it in the metrics, and turns a panic into a 500 that shows nothing of
// the cause.
func (s *Server) recoverAndLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		start := time.Now()
		req := c.Request()
		id := req.Header.Get("X-Request-Id")
		if id == "" {
			id = requestID()
		}
		info := &requestInfo{id: id}
		c.SetRequest(req.WithContext(context.WithValue(req.Context(), requestInfoKey{}, info)))
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic", "request_id", id, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				err = s.writeError(c, apierr.Internal())
			}
			took := time.Since(start)
			status := c.Response().Status
			s.metrics.observe(req.Method, req.URL.Path, status, took)
			ctx := req.Context()
			if info.sql != "" && s.log.Enabled(ctx, slog.LevelDebug) {
				s.log.Debug("sql", "request_id", id, "role", info.role, "sql", info.sql)
			}
			// As PostgREST: 5xx at error, 4xx at warn, the rest at info, so info logs every
			// request and error only the failures that are ours.
			level := slog.LevelInfo
			switch {
			case status >= 500:
				level = slog.LevelError
			case status >= 400:
				level = slog.LevelWarn
			}
			if s.log.Enabled(ctx, level) {
				s.log.Log(ctx, level, "request", "request_id", id, "role", info.role, "method", req.Method,
					"path", req.URL.Path, "status", status,
					"duration_ms", float64(took.Microseconds())/1000)
			}
		}()
		c.Set("request_id", id)
		return next(c)
	}
}
