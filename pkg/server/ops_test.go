package server_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

const sleepyView = `CREATE VIEW public.sleepy AS SELECT 1 AS x FROM pg_sleep(2);
GRANT SELECT ON public.sleepy TO anon;`

// waitSleeping waits until a request is inside pg_sleep on the test database.
func (e *env) waitSleeping(t *testing.T) {
	t.Helper()
	eventually(t, "a request sleeping in the database", func() bool {
		var n int
		e.db.QueryRow(t, `SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'`, []any{&n})
		return n == 1
	})
}

func scrape(t *testing.T, e *env) map[string]*dto.MetricFamily {
	t.Helper()
	res, err := http.Get(e.admin + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("/metrics: %d", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/plain; version=0.0.4; charset=utf-8" {
		t.Fatalf("/metrics Content-Type %q", ct)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	return fams
}

// metricValue finds the sample of family name whose labels include want (name=value pairs).
func metricValue(t *testing.T, fams map[string]*dto.MetricFamily, name string, want ...string) float64 {
	t.Helper()
	f, ok := fams[name]
	if !ok {
		t.Fatalf("metric %s missing", name)
	}
next:
	for _, m := range f.Metric {
		labels := map[string]string{}
		for _, l := range m.Label {
			labels[l.GetName()] = l.GetValue()
		}
		for i := 0; i+1 < len(want); i += 2 {
			if labels[want[i]] != want[i+1] {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	t.Fatalf("metric %s%v missing", name, want)
	return 0
}

func TestMetricsScrapedAndParsed(t *testing.T) {
	e := start(t, whoami)
	user := e.userToken(alice)
	e.do("GET", "/whoami", "").expect(t, 200, `[{"user":"anon","uid":null}]`)
	e.do("GET", "/rest/v1/whoami", "").expect(t, 200, `[{"user":"anon","uid":null}]`)
	for i := 0; i < 2; i++ {
		e.do("GET", "/whoami", "", "Authorization", "Bearer "+user).expect(t, 200, `[{"user":"authenticated","uid":"`+alice+`"}]`)
	}
	if r := e.do("GET", "/no_such_table", ""); r.status != 404 {
		t.Fatalf("unknown table: %d %s", r.status, r.body)
	}
	e.do("HEAD", "/", "")

	fams := scrape(t, e)
	checks := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"rocksteady_http_requests_total", []string{"method", "GET", "route", "table", "status", "200"}, 4},
		{"rocksteady_http_requests_total", []string{"method", "GET", "route", "table", "status", "404"}, 1},
		{"rocksteady_http_request_duration_seconds", []string{"method", "GET", "route", "table"}, 5},
		{"rocksteady_http_request_duration_seconds", []string{"method", "HEAD", "route", "root"}, 1},
		{"pgrst_jwt_cache_hits_total", nil, 1},
		{"rocksteady_jwt_cache_misses_total", nil, 1},
		{"pgrst_jwt_cache_requests_total", nil, 2},
		{"pgrst_db_pool_max", nil, 10},
		{"pgrst_db_pool_waiting", nil, 0},
		{"pgrst_db_pool_timeouts_total", nil, 0},
		{"rocksteady_db_round_trips_total", nil, 5}, // four reads and the OpenAPI privileges
		{"rocksteady_schema_cache_objects", []string{"kind", "relations"}, float64(len(e.cache.Current().Relations))},
		{"rocksteady_schema_cache_objects", []string{"kind", "functions"}, float64(len(e.cache.Current().AllFunctions))},
		{"pgrst_schema_cache_loads_total", []string{"status", "FAIL"}, 0},
	}
	for _, c := range checks {
		if got := metricValue(t, fams, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	if n := metricValue(t, fams, "pgrst_schema_cache_loads_total", "status", "SUCCESS"); n < 1 {
		t.Errorf("schema cache loads %v", n)
	}
	if d := metricValue(t, fams, "pgrst_schema_cache_query_time_seconds"); d <= 0 {
		t.Errorf("schema cache load time %v", d)
	}
	// A schema reload may hold a connection while the scrape runs.
	size := metricValue(t, fams, "rocksteady_db_pool_size")
	idle := metricValue(t, fams, "rocksteady_db_pool_idle")
	inUse := metricValue(t, fams, "rocksteady_db_pool_in_use")
	if size < 1 || size > 10 || idle+inUse > size {
		t.Errorf("pool size %v, idle %v, in use %v", size, idle, inUse)
	}
	h := fams["rocksteady_http_request_duration_seconds"]
	if h.GetType() != dto.MetricType_HISTOGRAM {
		t.Fatalf("latency is a %v", h.GetType())
	}
	for _, m := range h.Metric {
		hist := m.Histogram
		prev := uint64(0)
		for _, b := range hist.Bucket {
			if b.GetCumulativeCount() < prev || b.GetCumulativeCount() > hist.GetSampleCount() {
				t.Fatalf("buckets not cumulative: %v", hist)
			}
			prev = b.GetCumulativeCount()
		}
	}
}

// A request that waits longer than PGRST_DB_POOL_ACQUISITION_TIMEOUT for a connection
// gets 504 PGRST003; the one holding the connection is unaffected.
func TestPoolAcquisitionTimeout(t *testing.T) {
	e := start(t, whoami+sleepyView, withEnv("PGRST_DB_POOL", "1"), withEnv("PGRST_DB_POOL_ACQUISITION_TIMEOUT", "1"))
	e.waitListening(t, 1)
	slow := make(chan reply, 1)
	go func() { slow <- e.do("GET", "/sleepy", "") }()
	e.waitSleeping(t)
	e.do("GET", "/whoami", "").expect(t, 504, `{"code":"PGRST003","details":null,"hint":null,"message":"Timed out acquiring connection from connection pool."}`)
	(<-slow).expect(t, 200, `[{"x":1}]`)
	e.do("GET", "/whoami", "").expect(t, 200, `[{"user":"anon","uid":null}]`)
	fams := scrape(t, e)
	if n := metricValue(t, fams, "pgrst_db_pool_timeouts_total"); n != 1 {
		t.Fatalf("pool timeouts %v", n)
	}
	if n := metricValue(t, fams, "rocksteady_http_requests_total", "status", "504"); n != 1 {
		t.Fatalf("504s counted %v", n)
	}
}

// logLines returns the JSON log records with the given message.
func logLines(t testing.TB, e *env, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(e.logs.String()), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	return out
}

func TestRequestLogLineAndSQLAtDebug(t *testing.T) {
	e := start(t, whoami, withEnv("PGRST_LOG_LEVEL", "debug"))
	e.do("GET", "/whoami?select=user", "", "X-Request-Id", "req-42", "Authorization", "Bearer "+e.userToken(bob)).
		expect(t, 200, `[{"user":"authenticated"}]`)
	var line map[string]any
	eventually(t, "the request's log line", func() bool {
		for _, rec := range logLines(t, e, "request") {
			if rec["request_id"] == "req-42" {
				line = rec
				return true
			}
		}
		return false
	})
	want := map[string]any{"level": "INFO", "role": "authenticated", "method": "GET", "path": "/whoami", "status": float64(200)}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("log %s = %v, want %v (%v)", k, line[k], v, line)
		}
	}
	if d, ok := line["duration_ms"].(float64); !ok || d <= 0 {
		t.Errorf("duration_ms = %v", line["duration_ms"])
	}
	var sql map[string]any
	for _, rec := range logLines(t, e, "sql") {
		if rec["request_id"] == "req-42" {
			sql = rec
		}
	}
	if sql == nil || sql["level"] != "DEBUG" || !strings.Contains(sql["sql"].(string), `"whoami"`) {
		t.Fatalf("sql log line: %v", sql)
	}
}

func TestLogLevelErrorLogsOnlyServerErrors(t *testing.T) {
	e := start(t, whoami) // PGRST_LOG_LEVEL defaults to error
	e.do("GET", "/whoami", "").expect(t, 200, `[{"user":"anon","uid":null}]`)
	if r := e.do("GET", "/no_such_table", ""); r.status != 404 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	e.do("GET", "/whoami", "", "X-Request-Id", "last").expect(t, 200, `[{"user":"anon","uid":null}]`)
	time.Sleep(100 * time.Millisecond) // the line is written just after the response
	if lines := logLines(t, e, "request"); len(lines) != 0 {
		t.Fatalf("request lines at level error: %v", lines)
	}
}

// SIGTERM (the serve context ending) stops accepting connections, lets the request in
// flight finish with its 200, and returns.
func TestShutdownFinishesInFlightRequest(t *testing.T) {
	e := start(t, sleepyView)
	slow := make(chan reply, 1)
	go func() { slow <- e.do("GET", "/sleepy", "") }()
	e.waitSleeping(t)
	stopped := make(chan error, 1)
	go func() { stopped <- e.stop() }()

	u, _ := url.Parse(e.base)
	eventually(t, "the listener to close", func() bool {
		c, err := net.DialTimeout("tcp", u.Host, time.Second)
		if err == nil {
			c.Close()
			return false
		}
		return errors.Is(err, syscall.ECONNREFUSED)
	})
	select {
	case err := <-stopped:
		t.Fatalf("shutdown returned (%v) before the in-flight request finished", err)
	default:
	}
	r := <-slow
	r.expect(t, 200, `[{"x":1}]`)
	if err := <-stopped; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}

// SIGTERM under write load: the server stops accepting, finishes what it accepted, and
// every write it acknowledged with a 2xx is in the database afterwards.
func TestShutdownUnderWriteLoadLosesNoAcknowledgedWrite(t *testing.T) {
	e := start(t, `CREATE TABLE public.ledger (id int PRIMARY KEY, note text);
GRANT SELECT, INSERT ON public.ledger TO anon;`)
	var mu sync.Mutex
	acked := map[int]bool{}
	var next atomic.Int64
	var wg sync.WaitGroup
	deadline := time.Now().Add(10 * time.Second)
	client := &http.Client{Timeout: 10 * time.Second}
	for w := 0; w < 6; w++ {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				id := int(next.Add(1))
				body := fmt.Sprintf(`{"id":%d,"note":"n%d"}`, id, id)
				res, err := client.Post(e.base+"/ledger", "application/json", strings.NewReader(body))
				if err != nil {
					return // refused: the server is shutting down
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode/100 == 2 {
					mu.Lock()
					acked[id] = true
					mu.Unlock()
				}
			}
		})
	}
	eventually(t, "some writes", func() bool { mu.Lock(); defer mu.Unlock(); return len(acked) >= 50 })
	if err := e.stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	wg.Wait()
	var stored []int
	var n int
	e.db.QueryRow(t, `SELECT count(*)::int, coalesce(array_agg(id), '{}') FROM public.ledger`, []any{&n, &stored})
	present := map[int]bool{}
	for _, id := range stored {
		present[id] = true
	}
	for id := range acked {
		if !present[id] {
			t.Fatalf("write %d was acknowledged but is not in the table", id)
		}
	}
	t.Logf("%d writes acknowledged, %d stored", len(acked), n)
}

// A function created a moment ago is callable at once, without a listener: the unknown
// name (PGRST202) makes the server check the catalog before answering 404.
func TestUnknownFunctionChecksCatalogBefore404(t *testing.T) {
	e := start(t, "", withEnv("PGRST_DB_CHANNEL_ENABLED", "false"))
	e.db.Exec(t, `CREATE FUNCTION public.brand_new(x int) RETURNS int LANGUAGE sql STABLE AS 'SELECT x * 2';
GRANT EXECUTE ON FUNCTION public.brand_new(int) TO anon;`)
	e.do("GET", "/rpc/brand_new?x=21", "").expect(t, 200, `42`)
}
