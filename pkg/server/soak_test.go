package server_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/rocksteady/rocksteady/pkg/bench/load"
	"github.com/rocksteady/rocksteady/pkg/bench/proc"
)

// Soak (issue 9): a steady open-loop rate of reads, RPC calls and inserts over many
// keep-alive connections on loopback, bounded in time and count. Zero errors; the
// process's RSS and goroutine count are sampled at the start, the middle and the end and
// must stay flat. The short version runs in make test; make verify runs
// ROCKSTEADY_SOAK_DURATION=10m ROCKSTEADY_SOAK_CONNS=1000.
//
// The server runs in the test process, so the figures include the client's side (two
// goroutines per client connection, one per server connection).

type soakSample struct {
	at         string
	rss        int64 // bytes
	heap       uint64
	goroutines int
	acquired   int32
}

func sampleSoak(t *testing.T, e *env, at string) soakSample {
	t.Helper()
	rss, _, err := proc.Memory(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return soakSample{at: at, rss: rss, heap: ms.HeapInuse, goroutines: runtime.NumGoroutine(), acquired: e.runner.Pool().Stat().AcquiredConns()}
}

func (s soakSample) String() string {
	return fmt.Sprintf("%-6s RSS %6.1f MB, heap in use %6.1f MB, %5d goroutines, %d pool connections acquired",
		s.at, float64(s.rss)/(1<<20), float64(s.heap)/(1<<20), s.goroutines, s.acquired)
}

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil && d > 0 {
		return d
	}
	return def
}

func TestSoak(t *testing.T) {
	duration := envDuration("ROCKSTEADY_SOAK_DURATION", 15*time.Second)
	conns := envInt("ROCKSTEADY_SOAK_CONNS", 200)
	rate := float64(envInt("ROCKSTEADY_SOAK_RATE", 200))
	e := start(t, rlsRows, withEnv("PGRST_DB_POOL", "8"))
	tokens := []string{"Bearer " + e.userToken(alice), "Bearer " + e.userToken(bob)}
	users := []string{alice, bob}
	gen := func(i int) load.Request {
		u := i % 2
		h := http.Header{"Authorization": {tokens[u]}, "Apikey": {e.anonKey}, "Content-Type": {"application/json"}}
		r := load.Request{User: i % conns, Header: h, Method: "GET"}
		switch i % 10 {
		case 0: // an insert: 10% of the traffic
			r.Method, r.URL = "POST", e.base+"/rest/v1/arc_sessions"
			r.Body = []byte(`{"exploration_method":"scene_structure","user_id":"` + users[u] + `"}`)
			r.Check = func(status int, _ []byte) load.Outcome {
				if status == 201 {
					return load.OK
				}
				return load.Unavailable
			}
		case 1: // the search function
			r.URL = e.base + "/rest/v1/rpc/search_knowledge_files?search_query=dragon&user_uuid=" + users[u]
		case 2:
			r.Method, r.URL = "HEAD", e.base+"/rest/v1/documents?select=id"
		default:
			r.URL = e.base + "/rest/v1/documents?select=id,title,knowledge_files(filename)&limit=10"
		}
		return r
	}
	clients := load.NewClients(conns, 1)
	defer clients.CloseIdle()
	ctx, cancel := context.WithTimeout(context.Background(), duration+time.Minute)
	defer cancel()
	clients.Warm(ctx, func(i int) load.Request {
		return load.Request{Method: "GET", URL: e.base + "/rest/v1/documents?select=id&limit=1", Header: http.Header{"Apikey": {e.anonKey}}}
	}, 50)
	runtime.GC()
	first := sampleSoak(t, e, "start")
	resc := make(chan load.Result, 1)
	go func() {
		resc <- clients.Run(ctx, gen, load.Step{Rate: rate, Duration: duration, MaxInFlight: 2 * conns, Timeout: 10 * time.Second})
	}()
	time.Sleep(duration / 2)
	runtime.GC()
	middle := sampleSoak(t, e, "middle")
	res := <-resc
	runtime.GC()
	end := sampleSoak(t, e, "end")
	for _, s := range []soakSample{first, middle, end} {
		t.Log(s)
	}
	inserted := e.scalar(t, `SELECT count(*)::text FROM public.arc_sessions`)
	t.Logf("%d connections, %.0f req/s for %v: %d requests, %d ok, %d errors, p50 %v p99 %v max %v; %s sessions stored",
		conns, rate, duration, res.Offered, res.Count(load.OK), res.Errors(),
		res.Latency.P50, res.Latency.P99, res.Latency.Max, inserted)
	if res.Errors() != 0 {
		t.Fatalf("%d errors, e.g. %s", res.Errors(), res.FirstError)
	}
	if want := strconv.Itoa(2 + (res.Offered+9)/10); inserted != want {
		t.Fatalf("%s arc sessions stored, want %s (2 fixtures + every acknowledged insert)", inserted, want)
	}
	// Flat: the goroutines are the connections' (client and server), nothing per request.
	if end.goroutines > first.goroutines+conns/10+20 {
		t.Fatalf("goroutines grew from %d to %d", first.goroutines, end.goroutines)
	}
	if end.rss > middle.rss+middle.rss/2+32<<20 {
		t.Fatalf("RSS grew from %d MB in the middle to %d MB at the end", middle.rss>>20, end.rss>>20)
	}
}
