//go:build unix

package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/rocksteady/rocksteady/pkg/bench/capture"
	"github.com/rocksteady/rocksteady/pkg/bench/floor"
	"github.com/rocksteady/rocksteady/pkg/sqlgen"
	"github.com/rocksteady/rocksteady/pkg/txn"
)

// The hot path: a supabase-js point read by primary key as a signed-in user, with the
// headers the client sends (§5.2 of the supabase-js wire notes), as a list (.eq()) and as
// an object (.single()). Run with
//
//	go test ./pkg/server -run '^$' -bench PointRead -benchmem
//
// "handler" calls the API handler in process (the pipeline, echo and the database round
// trip, no HTTP client or socket) one request at a time, "parallel" from several
// goroutines at once, as under load; "http" goes over loopback from several goroutines
// with a keep-alive client, and "floor" does the same against the benchmark's floor
// (pkg/bench/floor: net/http and pgx running only the main statement), on the same
// database, so http/floor is the ratio make bench reports, without its noise.
//
// cpu-ns/op is the process's CPU time per request (every goroutine: the server, the
// runtime and, for http and floor, the client): the Go side's cost, which ns/op mixes with
// the wait for PostgreSQL.

const benchDocID = "d1000000-0000-4000-8000-000000000001"

const benchDocument = `INSERT INTO documents(id, title, content, user_id, created_at, updated_at) VALUES
	('` + benchDocID + `', 'Opening Scene', '{"type":"doc","content":[{"type":"paragraph","text":"INT. DINER - NIGHT"}]}', '` + alice + `', '2024-01-01T09:00:00Z', '2024-01-05T09:00:00Z')`

const benchPath = "/rest/v1/documents?select=*&id=eq." + benchDocID

func pointReadHeaders(e *env, accept string) http.Header {
	return http.Header{
		"Apikey":          {e.anonKey},
		"Authorization":   {"Bearer " + e.userToken(alice)},
		"X-Client-Info":   {"supabase-js/2.109.0; runtime=node; runtime-version=20.20.2"},
		"Accept-Profile":  {"public"},
		"Accept":          {accept},
		"Accept-Encoding": {"gzip, deflate"},
		"Accept-Language": {"*"},
		"Sec-Fetch-Mode":  {"cors"},
		"User-Agent":      {"node"},
	}
}

func BenchmarkPointRead(b *testing.B) {
	e := start(b, benchDocument)
	for _, v := range []struct{ name, accept string }{
		{"list", "*/*"},
		{"object", "application/vnd.pgrst.object+json"},
	} {
		h := pointReadHeaders(e, v.accept)
		serve := func(b *testing.B) {
			r := httptest.NewRequest("GET", benchPath, nil)
			r.Header = h.Clone()
			w := httptest.NewRecorder()
			e.handler.ServeHTTP(w, r)
			if w.Code != http.StatusOK || w.Body.Len() < 100 {
				b.Fatalf("%d %s", w.Code, w.Body)
			}
		}
		b.Run(v.name+"/handler", func(b *testing.B) {
			serve(b)
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				serve(b)
			}
		})
		b.Run(v.name+"/parallel", func(b *testing.B) {
			b.SetParallelism(4)
			b.ReportAllocs()
			defer reportCPU(b)()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					serve(b)
				}
			})
		})
		b.Run(v.name+"/http", func(b *testing.B) { httpLoad(b, e.base+benchPath, h) })
	}
	b.Run("list/floor", func(b *testing.B) {
		srv := httptest.NewServer(floorHandler(b, e))
		defer srv.Close()
		httpLoad(b, srv.URL+"/read", http.Header{})
	})
}

// httpLoad sends GET url from several goroutines over keep-alive connections.
func httpLoad(b *testing.B, url string, h http.Header) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8, DisableCompression: true}}
	defer client.CloseIdleConnections()
	b.SetParallelism(4)
	b.ReportAllocs()
	defer reportCPU(b)()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, err := http.NewRequest("GET", url, nil)
			if err != nil {
				b.Error(err)
				return
			}
			req.Header = h.Clone()
			res, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			n, _ := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK || n < 100 {
				b.Errorf("status %d, %d bytes", res.StatusCode, n)
				return
			}
		}
	})
}

// floorHandler is the floor for the list read: the main statement rocksteady sends for
// it, read from a debug-level server's log, run on e's database as the superuser.
func floorHandler(b *testing.B, e *env) http.Handler {
	probe := start(b, benchDocument, withEnv("PGRST_LOG_LEVEL", "debug"))
	r := httptest.NewRequest("GET", benchPath, nil)
	r.Header = pointReadHeaders(probe, "*/*")
	probe.handler.ServeHTTP(httptest.NewRecorder(), r)
	logged := logLines(b, probe, "sql")
	if len(logged) != 1 {
		b.Fatalf("want one sql log line, got %v", logged)
	}
	sql, _ := logged[0]["sql"].(string)
	pcfg, err := txn.PoolConfig(e.db.URL, 10, 0, 0)
	if err != nil {
		b.Fatal(err)
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), pcfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	id := benchDocID // the statement's one parameter
	return &floor.Handler{Pool: pool, BodyColumn: sqlgen.ColBody,
		Statements: map[string]*capture.Statement{"read": {SQL: sql, Params: []*string{&id}}}}
}

// reportCPU starts counting the process's CPU time; the function it returns reports it
// per operation as cpu-ns/op.
func reportCPU(b *testing.B) func() {
	start := processCPU(b)
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(processCPU(b)-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
