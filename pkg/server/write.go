package server

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/rocksteady/rocksteady/pkg/apierr"
	"github.com/rocksteady/rocksteady/pkg/response"
)

// write sends r; the body bytes come straight from PostgreSQL.
func write(c echo.Context, r *response.Response) error {
	w := c.Response()
	h := w.Header()
	for k, vs := range r.Header {
		h[k] = vs
	}
	if r.NoBody || r.Status == http.StatusNoContent {
		if !r.NoLength && r.Status != http.StatusNoContent {
			h.Set("Content-Length", "0")
		}
		w.WriteHeader(r.Status)
		return nil
	}
	h.Set("Content-Length", strconv.Itoa(len(r.Body)))
	w.WriteHeader(r.Status)
	_, err := w.Write(r.Body)
	return err
}

// writeError renders e in PostgREST's shape.
func (s *Server) writeError(c echo.Context, e *apierr.Error) error {
	return write(c, response.Error(e, s.cfg.ClientErrorVerbosity == "minimal"))
}
