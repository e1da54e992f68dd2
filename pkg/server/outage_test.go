package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func adminStatus(t *testing.T, e *env, path string) int {
	t.Helper()
	res, err := http.Get(e.admin + path)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// With the database refusing connections, requests fail fast with 503 and Retry-After,
// /ready says 503, and service resumes by itself when the database is back.
func TestDatabaseOutageAndRecovery(t *testing.T) {
	e := start(t, whoami)
	e.do("GET", "/whoami", "").expect(t, 200, `[{"user":"anon","uid":null}]`)

	e.db.Exec(t, `ALTER ROLE authenticator CONNECTION LIMIT 0`)
	t.Cleanup(func() { e.db.Exec(t, `ALTER ROLE authenticator CONNECTION LIMIT -1`) })
	e.db.Exec(t, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'authenticator' AND datname = current_database()`)

	for i := 0; i < 3; i++ { // the first may meet a connection killed under it
		start := time.Now()
		r := e.do("GET", "/whoami", "")
		if took := time.Since(start); took > 5*time.Second {
			t.Fatalf("request during the outage took %v", took)
		}
		if r.status != 503 || !strings.Contains(r.body, `"code":"PGRST000"`) && !strings.Contains(r.body, `"code":"57P01"`) {
			t.Fatalf("during the outage: %d %s", r.status, r.body)
		}
		r.expectHeader(t, "Retry-After", "0")
	}
	if s := adminStatus(t, e, "/ready"); s != 503 {
		t.Fatalf("/ready during the outage: %d", s)
	}
	if s := adminStatus(t, e, "/live"); s != 200 {
		t.Fatalf("/live during the outage: %d", s)
	}

	e.db.Exec(t, `ALTER ROLE authenticator CONNECTION LIMIT -1`)
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := e.do("GET", "/whoami", "")
		if r.status == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery: %d %s", r.status, r.body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if s := adminStatus(t, e, "/ready"); s != 200 {
		t.Fatalf("/ready after recovery: %d", s)
	}
}
