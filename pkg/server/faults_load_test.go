package server_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// Faults in the middle of load (issue 9), beyond faults_test.go: statement timeouts while
// inserts stream in, a pool held by slow requests, connections killed under a stream of
// inserts. Each ends with clear errors, no lost acknowledged write, and no connection left
// acquired.

// insertStream posts documents as alice from workers×perWorker goroutine steps and returns
// each document id with the status it got (0 for a transport error).
func insertStream(t *testing.T, e *env, workers, perWorker int, tag string) map[string]int {
	t.Helper()
	token := "Bearer " + e.userToken(alice)
	var mu sync.Mutex
	got := map[string]int{}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 20 * time.Second}
			for i := 0; i < perWorker; i++ {
				id := fmt.Sprintf("c0000000-0000-4000-8000-%04x%08x", w, i)
				body := `{"id":"` + id + `","title":"` + tag + `","user_id":"` + alice + `"}`
				req, _ := http.NewRequest("POST", e.base+"/documents", strings.NewReader(body))
				req.Header.Set("Authorization", token)
				req.Header.Set("Content-Type", "application/json")
				status := 0
				if res, err := client.Do(req); err == nil {
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					status = res.StatusCode
				}
				mu.Lock()
				got[id] = status
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return got
}

// storedIDs returns the ids of the documents with the given title.
func storedIDs(t *testing.T, e *env, tag string) map[string]bool {
	t.Helper()
	list := e.scalar(t, `SELECT coalesce(string_agg(id::text, ','), '') FROM public.documents WHERE title = $1`, tag)
	out := map[string]bool{}
	for _, id := range strings.Split(list, ",") {
		if id != "" {
			out[id] = true
		}
	}
	return out
}

// checkNoLeak waits for the pool's asynchronous releases, then expects nothing acquired
// and nobody waiting.
func checkNoLeak(t *testing.T, e *env) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for e.runner.Pool().Stat().AcquiredConns() != 0 || e.runner.Waiting() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections acquired, %d requests waiting 5 s after the load", e.runner.Pool().Stat().AcquiredConns(), e.runner.Waiting())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestStatementTimeoutsDuringInsertLoad(t *testing.T) {
	// The timeout is set for anon in this test's database only, so other tests are unaffected.
	e := start(t, slowView+`
DO $$ BEGIN EXECUTE format('ALTER ROLE anon IN DATABASE %I SET statement_timeout = %L', current_database(), '150ms'); END $$;`,
		withEnv("PGRST_DB_POOL", "4"))
	const timeoutBody = `{"code":"57014","details":null,"hint":null,"message":"canceling statement due to statement timeout"}`
	var slowWrong []string
	var mu sync.Mutex
	var wg sync.WaitGroup
	slowCount := 0
	for r := 0; r < 2; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 8; i++ {
				res, err := http.Get(e.base + "/slow")
				var body []byte
				status := 0
				if err == nil {
					body, _ = io.ReadAll(res.Body)
					res.Body.Close()
					status = res.StatusCode
				}
				mu.Lock()
				slowCount++
				if status != 500 || string(body) != timeoutBody {
					slowWrong = append(slowWrong, fmt.Sprintf("%d %s %v", status, body, err))
				}
				mu.Unlock()
			}
		}()
	}
	got := insertStream(t, e, 4, 100, "timeouts")
	wg.Wait()
	if len(slowWrong) > 0 {
		t.Fatalf("%d of %d slow reads did not time out cleanly, e.g. %s", len(slowWrong), slowCount, slowWrong[0])
	}
	stored := storedIDs(t, e, "timeouts")
	for id, status := range got {
		if status != 201 {
			t.Errorf("insert %s: %d while other statements timed out", id, status)
		}
		if !stored[id] {
			t.Errorf("insert %s acknowledged with %d but not stored", id, status)
		}
	}
	if len(stored) != len(got) {
		t.Fatalf("%d rows stored for %d inserts", len(stored), len(got))
	}
	checkNoLeak(t, e)
	e.do("GET", "/documents?select=id&limit=1", "", "Authorization", "Bearer "+e.userToken(bob)).expect(t, 200, "[]")
	t.Logf("%d inserts acknowledged and stored while %d statements timed out", len(got), slowCount)
}

func TestPoolExhaustionByHeldConnections(t *testing.T) {
	e := start(t, `CREATE VIEW public.nap AS SELECT pg_sleep(2.5) IS NULL AS slept; GRANT SELECT ON public.nap TO anon;`,
		withEnv("PGRST_DB_POOL", "2"), withEnv("PGRST_DB_POOL_ACQUISITION_TIMEOUT", "1"))
	held := make(chan reply, 2)
	for i := 0; i < 2; i++ {
		go func() { held <- e.do("GET", "/nap", "") }()
	}
	deadline := time.Now().Add(2 * time.Second)
	for e.runner.Pool().Stat().AcquiredConns() < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the slow requests never held the pool")
		}
		time.Sleep(5 * time.Millisecond)
	}
	began := time.Now()
	got := insertStream(t, e, 8, 1, "starved")
	waited := time.Since(began)
	for id, status := range got {
		if status != 504 {
			t.Errorf("insert %s while the pool was held: %d, want 504", id, status)
		}
	}
	e.do("POST", "/documents", `{"title":"starved","user_id":"`+alice+`"}`, "Authorization", "Bearer "+e.userToken(alice)).
		expect(t, 504, `{"code":"PGRST003","details":null,"hint":null,"message":"Timed out acquiring connection from connection pool."}`)
	for i := 0; i < 2; i++ {
		(<-held).expect(t, 200, `[{"slept":false}]`)
	}
	if n := len(storedIDs(t, e, "starved")); n != 0 {
		t.Fatalf("%d refused inserts reached the database", n)
	}
	checkNoLeak(t, e)
	if got := insertStream(t, e, 2, 5, "after"); len(storedIDs(t, e, "after")) != len(got) {
		t.Fatalf("after the pool was released: %v", got)
	}
	t.Logf("9 inserts refused with 504 PGRST003 within %v while 2 requests held the pool of 2", waited.Round(time.Millisecond))
}

func TestConnectionKillsDuringInserts(t *testing.T) {
	e := start(t, "", withEnv("PGRST_DB_POOL", "4"))
	done := make(chan struct{})
	kills := 0
	go func() {
		defer close(done)
		for k := 0; k < 15; k++ {
			time.Sleep(25 * time.Millisecond)
			e.db.Exec(t, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'authenticator' AND datname = current_database()`)
			kills++
		}
	}()
	got := insertStream(t, e, 6, 80, "killed")
	<-done
	stored := storedIDs(t, e, "killed")
	acked, unavailable, ambiguous := 0, 0, 0
	for id, status := range got {
		switch status {
		case 201:
			acked++
			if !stored[id] {
				t.Errorf("insert %s acknowledged but lost", id)
			}
		case 503:
			unavailable++
			if stored[id] { // the kill came after COMMIT but before the answer
				ambiguous++
			}
		default:
			t.Errorf("insert %s: %d, want 201 or 503", id, status)
		}
	}
	for id := range stored {
		if _, sent := got[id]; !sent {
			t.Errorf("row %s was never sent", id)
		}
	}
	if acked == 0 {
		t.Fatal("no insert succeeded")
	}
	checkNoLeak(t, e)
	e.do("POST", "/documents", `{"title":"after","user_id":"`+alice+`"}`, "Authorization", "Bearer "+e.userToken(alice)).expect(t, 201, "")
	t.Logf("%d kills: %d inserts acknowledged (all stored), %d answered 503 (%d of them committed before the kill)", kills, acked, unavailable, ambiguous)
}

// A client trickling its request body holds no pool connection: the body is read before
// the transaction starts.
func TestSlowBodyHoldsNoConnection(t *testing.T) {
	e := start(t, whoami, withEnv("PGRST_DB_POOL", "1"))
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	token := e.userToken(alice)
	if _, err := fmt.Fprintf(conn, "POST /documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"title\":", token); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		e.do("GET", "/whoami", "").expect(t, 200, `[{"user":"anon","uid":null}]`)
		if _, err := conn.Write([]byte(" ")); err != nil {
			t.Fatal(err)
		}
	}
	checkNoLeak(t, e) // while the body is still incomplete
}
