package server

import (
	"bufio"
	"net/http"
	"strconv"
	"time"

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
	noBody := r.NoBody || r.Status == http.StatusNoContent
	if noBody {
		if !r.NoLength && r.Status != http.StatusNoContent {
			h.Set("Content-Length", "0")
		}
	} else {
		h.Set("Content-Length", strconv.Itoa(len(r.Body)))
	}
	if r.StatusText != "" && r.StatusText != http.StatusText(r.Status) && c.Request().ProtoMajor == 1 {
		if ok, err := writeWithReason(c, r, noBody); ok {
			return err
		}
	}
	w.WriteHeader(r.Status)
	if noBody {
		return nil
	}
	_, err := w.Write(r.Body)
	return err
}

// writeWithReason sends a response whose reason phrase is not the standard one (a
// RAISE SQLSTATE 'PTnnn' message or a RAISE 'PGRST' status_text). net/http always writes
// the standard phrase, so the connection is taken over, the response written by hand, and
// the connection closed. It reports false when the connection cannot be taken over.
func writeWithReason(c echo.Context, r *response.Response, noBody bool) (bool, error) {
	hj, ok := c.Response().Writer.(http.Hijacker)
	if !ok {
		return false, nil
	}
	h := c.Response().Header()
	h.Set("Connection", "close")
	if h.Get("Date") == "" {
		h.Set("Date", nowHTTP())
	}
	conn, rw, err := hj.Hijack()
	if err != nil {
		return false, nil
	}
	defer conn.Close()
	c.Response().Status, c.Response().Committed = r.Status, true
	bw := rw.Writer
	if bw == nil {
		bw = bufio.NewWriter(conn)
	}
	reason := sanitizeReason(r.StatusText)
	if _, err := bw.WriteString("HTTP/1.1 " + strconv.Itoa(r.Status) + " " + reason + "\r\n"); err != nil {
		return true, err
	}
	if err := h.Write(bw); err != nil {
		return true, err
	}
	if _, err := bw.WriteString("\r\n"); err != nil {
		return true, err
	}
	if !noBody && c.Request().Method != http.MethodHead {
		if _, err := bw.Write(r.Body); err != nil {
			return true, err
		}
	}
	return true, bw.Flush()
}

// sanitizeReason keeps a reason phrase on one line of visible characters.
func sanitizeReason(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c == 0x7f {
			b[i] = ' '
		}
	}
	return string(b)
}

// writeError renders e in PostgREST's shape.
func (s *Server) writeError(c echo.Context, e *apierr.Error) error {
	return write(c, response.Error(e, s.cfg.ClientErrorVerbosity == "minimal"))
}

func nowHTTP() string { return time.Now().UTC().Format(http.TimeFormat) }
