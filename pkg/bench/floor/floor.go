package floor

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/rocksteady/rocksteady/pkg/bench/capture"
)

// Handler answers with the body column (index 2 of rocksteady's result row) of each
// scenario's main statement.
type Handler struct {
	Pool       *pgxpool.Pool
	Statements map[string]*capture.Statement
	BodyColumn int
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st := h.Statements[strings.TrimPrefix(r.URL.Path, "/")]
	if st == nil {
		http.Error(w, "no such scenario", http.StatusNotFound)
		return
	}
	vals := capture.Values{}
	for k, vs := range r.URL.Query() {
		vals[k] = vs[0]
	}
	if r.Body != nil {
		if b, err := io.ReadAll(r.Body); err == nil && len(b) > 0 {
			vals["body"] = string(b)
		}
	}
	body, err := h.run(r.Context(), st, vals)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

func (h *Handler) run(ctx context.Context, st *capture.Statement, vals capture.Values) ([]byte, error) {
	conn, err := h.Pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	rr := conn.Conn().PgConn().ExecParams(ctx, st.SQL, capture.Render(st, vals), nil, nil, nil)
	var body []byte
	if rr.NextRow() {
		if v := rr.Values(); h.BodyColumn < len(v) {
			body = append(body, v[h.BodyColumn]...)
		}
	}
	if _, err := rr.Close(); err != nil {
		return nil, err
	}
	return body, nil
}
