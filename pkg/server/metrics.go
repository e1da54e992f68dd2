package server

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
)

// The exposition is written by hand: a few counters, one histogram and gauges read from
// the pool, the schema cache, the token cache and the runner when scraped. That is less
// code than wiring a client library's registry, and keeps the request path to two atomic
// adds and a lock-free map read.

// latencyBuckets are the request-duration histogram's upper bounds, in seconds.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// routeKind classifies an API path for metrics: root (the OpenAPI document), rpc or table.
func routeKind(path string) string {
	if len(path) >= 8 && path[:8] == "/rest/v1" {
		path = path[8:]
	}
	switch {
	case path == "" || path == "/":
		return "root"
	case len(path) >= 5 && path[:5] == "/rpc/":
		return "rpc"
	}
	return "table"
}

// metricMethod keeps the method label's values to a known few.
func metricMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPatch, http.MethodPut,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

type seriesKey struct {
	method, route string
	status        int
}

type histKey struct{ method, route string }

type histogram struct {
	buckets []atomic.Uint64 // cumulative counts are computed when scraped
	count   atomic.Uint64
	sumNano atomic.Int64
}

type requestMetrics struct {
	counts sync.Map // seriesKey → *atomic.Uint64
	hists  sync.Map // histKey → *histogram
}

func (m *requestMetrics) observe(method, path string, status int, took time.Duration) {
	method, route := metricMethod(method), routeKind(path)
	c, ok := m.counts.Load(seriesKey{method, route, status})
	if !ok {
		c, _ = m.counts.LoadOrStore(seriesKey{method, route, status}, new(atomic.Uint64))
	}
	c.(*atomic.Uint64).Add(1)
	h, ok := m.hists.Load(histKey{method, route})
	if !ok {
		h, _ = m.hists.LoadOrStore(histKey{method, route}, &histogram{buckets: make([]atomic.Uint64, len(latencyBuckets))})
	}
	hist := h.(*histogram)
	secs := took.Seconds()
	for i, le := range latencyBuckets {
		if secs <= le {
			hist.buckets[i].Add(1)
			break
		}
	}
	hist.count.Add(1)
	hist.sumNano.Add(int64(took))
}

// metricsHandler serves GET /metrics on the admin server.
func (s *Server) metricsHandler(c echo.Context) error {
	w := c.Response()
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriter(w)
	s.writeMetrics(bw)
	return bw.Flush()
}

type promWriter struct{ w io.Writer }

func (p promWriter) header(name, typ, help string) {
	fmt.Fprintf(p.w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

func (p promWriter) sample(name, labels string, v float64) {
	if labels != "" {
		labels = "{" + labels + "}"
	}
	fmt.Fprintf(p.w, "%s%s %s\n", name, labels, formatFloat(v))
}

func (p promWriter) single(name, typ, help string, v float64) {
	p.header(name, typ, help)
	p.sample(name, "", v)
}

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func (s *Server) writeMetrics(w io.Writer) {
	p := promWriter{w}
	s.writeRequestMetrics(p)

	if s.pool != nil {
		st := s.pool.Stat()
		p.single("pgrst_db_pool_max", "gauge", "Maximum size of the connection pool (PGRST_DB_POOL).", float64(st.MaxConns()))
		p.single("pgrst_db_pool_available", "gauge", "Idle connections in the pool.", float64(st.IdleConns()))
		p.single("rocksteady_db_pool_size", "gauge", "Connections in the pool (idle, in use and being opened).", float64(st.TotalConns()))
		p.single("rocksteady_db_pool_in_use", "gauge", "Connections lent to requests.", float64(st.AcquiredConns()))
		p.single("rocksteady_db_pool_idle", "gauge", "Idle connections in the pool.", float64(st.IdleConns()))
		p.single("rocksteady_db_pool_acquires_total", "counter", "Successful connection acquisitions.", float64(st.AcquireCount()))
		p.single("rocksteady_db_pool_acquire_wait_seconds_total", "counter", "Time spent waiting for a connection when none was idle.", st.EmptyAcquireWaitTime().Seconds())
		p.single("rocksteady_db_pool_connections_opened_total", "counter", "Connections opened by the pool.", float64(st.NewConnsCount()))
	}
	if r := s.stages.Runner; r != nil {
		p.single("pgrst_db_pool_waiting", "gauge", "Requests waiting for a pool connection.", float64(r.Waiting()))
		p.single("pgrst_db_pool_timeouts_total", "counter", "Requests that timed out waiting for a connection (PGRST003).", float64(r.PoolTimeouts()))
		p.single("rocksteady_db_round_trips_total", "counter", "Network round trips to PostgreSQL made by requests.", float64(r.RoundTrips()))
	}
	if c := s.stages.Schema; c != nil {
		st := c.Stats()
		p.single("pgrst_schema_cache_query_time_seconds", "gauge", "Duration of the last successful schema cache load.", st.LoadDuration.Seconds())
		p.header("pgrst_schema_cache_loads_total", "counter", "Schema cache loads by outcome.")
		p.sample("pgrst_schema_cache_loads_total", `status="SUCCESS"`, float64(st.Loads))
		p.sample("pgrst_schema_cache_loads_total", `status="FAIL"`, float64(st.Failures))
		loaded := 0.0
		if !st.LoadedAt.IsZero() {
			loaded = float64(st.LoadedAt.UnixNano()) / 1e9
		}
		p.single("rocksteady_schema_cache_loaded_timestamp_seconds", "gauge", "When the current schema cache was stored (Unix time; 0 before the first load).", loaded)
		p.header("rocksteady_schema_cache_objects", "gauge", "Objects in the current schema cache.")
		for _, o := range []struct {
			kind string
			n    int
		}{
			{"relations", st.Counts.Relations}, {"columns", st.Counts.Columns},
			{"functions", st.Counts.Functions}, {"foreign_keys", st.Counts.ForeignKeys},
			{"relationships", st.Counts.Relationships}, {"computed_columns", st.Counts.ComputedColumns},
		} {
			p.sample("rocksteady_schema_cache_objects", `kind="`+o.kind+`"`, float64(o.n))
		}
	}
	if a := s.stages.Auth; a != nil {
		st := a.CacheStats()
		p.single("pgrst_jwt_cache_requests_total", "counter", "Verified-token cache lookups.", float64(st.Hits+st.Misses))
		p.single("pgrst_jwt_cache_hits_total", "counter", "Verified-token cache hits.", float64(st.Hits))
		p.single("rocksteady_jwt_cache_misses_total", "counter", "Verified-token cache misses.", float64(st.Misses))
		p.single("pgrst_jwt_cache_evictions_total", "counter", "Verified-token cache evictions.", float64(st.Evictions))
		p.single("rocksteady_jwt_cache_entries", "gauge", "Tokens in the verified-token cache.", float64(st.Entries))
	}
}

func (s *Server) writeRequestMetrics(p promWriter) {
	var keys []seriesKey
	s.metrics.counts.Range(func(k, _ any) bool { keys = append(keys, k.(seriesKey)); return true })
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.method != b.method {
			return a.method < b.method
		}
		if a.route != b.route {
			return a.route < b.route
		}
		return a.status < b.status
	})
	p.header("rocksteady_http_requests_total", "counter", "API requests by method, route kind (table, rpc, root) and status.")
	for _, k := range keys {
		c, _ := s.metrics.counts.Load(k)
		p.sample("rocksteady_http_requests_total",
			fmt.Sprintf(`method=%q,route=%q,status="%d"`, k.method, k.route, k.status), float64(c.(*atomic.Uint64).Load()))
	}

	var hkeys []histKey
	s.metrics.hists.Range(func(k, _ any) bool { hkeys = append(hkeys, k.(histKey)); return true })
	sort.Slice(hkeys, func(i, j int) bool {
		if hkeys[i].method != hkeys[j].method {
			return hkeys[i].method < hkeys[j].method
		}
		return hkeys[i].route < hkeys[j].route
	})
	const name = "rocksteady_http_request_duration_seconds"
	p.header(name, "histogram", "API request latency by method and route kind.")
	for _, k := range hkeys {
		v, _ := s.metrics.hists.Load(k)
		h := v.(*histogram)
		labels := fmt.Sprintf(`method=%q,route=%q`, k.method, k.route)
		// Read the count first: buckets only grow, so the cumulative counts never pass it
		// by more than the requests finishing during the scrape.
		count := h.count.Load()
		var cum uint64
		for i, le := range latencyBuckets {
			cum += h.buckets[i].Load()
			p.sample(name+"_bucket", labels+`,le="`+formatFloat(le)+`"`, float64(min(cum, count)))
		}
		p.sample(name+"_bucket", labels+`,le="+Inf"`, float64(count))
		p.sample(name+"_sum", labels, float64(h.sumNano.Load())/1e9)
		p.sample(name+"_count", labels, float64(count))
	}
}
