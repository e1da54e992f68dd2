package server_test

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const slowView = `
CREATE VIEW public.slow AS SELECT pg_sleep(0.5) IS NULL AS slept;
GRANT SELECT ON public.slow TO anon, authenticated;`

func TestStatementTimeoutIsAClearErrorAndTheConnectionSurvives(t *testing.T) {
	e := start(t, whoami+slowView+`ALTER ROLE anon SET statement_timeout = '100ms';`, withEnv("PGRST_DB_POOL", "1"))
	t.Cleanup(func() { e.db.Exec(t, `ALTER ROLE anon SET statement_timeout = '3s'`) })
	e.do("GET", "/slow", "").expect(t, 500, `{"code":"57014","details":null,"hint":null,"message":"canceling statement due to statement timeout"}`)
	e.do("GET", "/whoami", "").expect(t, 200, `[{"user":"anon","uid":null}]`)
}

func TestConnectionKillsUnderLoad(t *testing.T) {
	e := start(t, whoami, withEnv("PGRST_DB_POOL", "4"))
	var ok, unavailable, other atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 60; i++ {
				select {
				case <-stop:
					return
				default:
				}
				res, err := http.Get(e.base + "/whoami")
				if err != nil {
					other.Add(1)
					continue
				}
				res.Body.Close()
				switch res.StatusCode {
				case 200:
					ok.Add(1)
				case 503:
					unavailable.Add(1)
				default:
					other.Add(1)
				}
			}
		}()
	}
	for k := 0; k < 10; k++ {
		time.Sleep(20 * time.Millisecond)
		e.db.Exec(t, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'authenticator' AND datname = current_database()`)
	}
	wg.Wait()
	close(stop)
	if other.Load() != 0 {
		t.Fatalf("%d answers were neither 200 nor 503 (ok %d, 503 %d)", other.Load(), ok.Load(), unavailable.Load())
	}
	e.do("GET", "/whoami", "").expect(t, 200, `[{"user":"anon","uid":null}]`)
	// The pool returns (or destroys) connections asynchronously after a request ends.
	deadline := time.Now().Add(3 * time.Second)
	for e.runner.Pool().Stat().AcquiredConns() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections still acquired 3 s after the load", e.runner.Pool().Stat().AcquiredConns())
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("%d ok, %d 503 while connections were killed 10 times", ok.Load(), unavailable.Load())
}

func TestStalledClientDoesNotBlockOthers(t *testing.T) {
	e := start(t, whoami, withEnv("PGRST_DB_POOL", "1"))
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("GET /whoami HTTP/1.1\r\nHost: x\r\n")); err != nil { // and then nothing
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		e.do("GET", "/whoami", "").expect(t, 200, `[{"user":"anon","uid":null}]`)
	}
}

func TestBodyOverTheLimit(t *testing.T) {
	e := start(t, "", withEnv("ROCKSTEADY_MAX_BODY_BYTES", "1000"))
	big := `{"title":"` + strings.Repeat("x", 2000) + `"}`
	r := e.do("POST", "/documents", big, "Content-Type", "application/json")
	r.expect(t, 413, `{"code":"PGRST413","details":"The body exceeds the limit of 1000 bytes","hint":null,"message":"Request body is too large"}`)
	var n int
	e.db.QueryRow(t, `SELECT count(*) FROM documents`, []any{&n})
	if n != 0 {
		t.Fatal("an oversized body reached the database")
	}
}
