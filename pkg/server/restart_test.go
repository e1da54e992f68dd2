package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rocksteady/rocksteady/pkg/localpg"
	"github.com/rocksteady/rocksteady/pkg/pgtest"
)

// A real PostgreSQL restart (fast shutdown, start again on the same data and port) in the
// middle of a stream of writes: requests fail cleanly while it is down, rocksteady serves
// again without a restart of its own, and every acknowledged write is in the database.
func TestDatabaseRestartMidLoad(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	port, err := localpg.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	opts := localpg.Options{DataDir: dir, Port: port, NoDocker: true}
	pg, err := localpg.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pg.Stop() })
	if err := pgtest.Migrated(ctx, pg.URL); err != nil {
		t.Fatal(err)
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		conn, err := pgx.Connect(ctx, pg.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO auth.users(id, email, role, aud) VALUES ($1, 'alice@example.com', 'authenticated', 'authenticated')`, alice)

	e := start(t, "", withEnv("PGRST_DB_URI", localpg.WithUser(pg.URL, "authenticator", "")), withEnv("PGRST_DB_POOL", "4"))
	token := "Bearer " + e.userToken(alice)

	type outcome struct {
		id     string
		status int
	}
	var mu sync.Mutex
	var results []outcome
	stop := time.Now().Add(6 * time.Second)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			client := &http.Client{Timeout: 15 * time.Second}
			for i := 0; time.Now().Before(stop) && i < 2000; i++ {
				id := fmt.Sprintf("a0000000-0000-4000-8000-%04d%08d", w, i)
				body := `{"id":"` + id + `","exploration_method":"scene_structure","user_id":"` + alice + `"}`
				req, _ := http.NewRequest("POST", e.base+"/rest/v1/arc_sessions", strings.NewReader(body))
				req.Header.Set("Authorization", token)
				req.Header.Set("Content-Type", "application/json")
				status := 0
				if res, err := client.Do(req); err == nil {
					status = res.StatusCode
					res.Body.Close()
				}
				mu.Lock()
				results = append(results, outcome{id, status})
				mu.Unlock()
				time.Sleep(5 * time.Millisecond)
			}
		}(w)
	}
	time.Sleep(1500 * time.Millisecond)
	if err := pg.Stop(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	pg, err = localpg.Start(ctx, opts)
	if err != nil {
		t.Fatalf("restart: %v", err)
	}
	wg.Wait()

	deadline := time.Now().Add(10 * time.Second)
	for {
		r := e.do("GET", "/rest/v1/arc_sessions?select=id&limit=1", "", "Authorization", token)
		if r.status == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery after the restart: %d %s", r.status, r.body)
		}
		time.Sleep(100 * time.Millisecond)
	}

	conn, err := pgx.Connect(ctx, pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	stored := map[string]bool{}
	rows, err := conn.Query(ctx, `SELECT id::text FROM arc_sessions`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		stored[id] = true
	}
	acked, refused := 0, 0
	for _, o := range results {
		switch o.status {
		case 201:
			acked++
			if !stored[o.id] {
				t.Errorf("insert %s was acknowledged but is not in the database after the restart", o.id)
			}
		case 503:
			refused++
		default:
			t.Errorf("insert %s: status %d, want 201 or 503", o.id, o.status)
		}
	}
	if acked == 0 || refused == 0 {
		t.Fatalf("%d acknowledged, %d refused: the restart did not happen mid-load", acked, refused)
	}
	t.Logf("%d inserts acknowledged (all stored), %d answered 503 while PostgreSQL restarted", acked, refused)
}
