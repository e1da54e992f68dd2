package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rocksteady/rocksteady/pkg/reload"
)

// eventually polls cond until it holds, failing after a generous deadline.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (e *env) cached(name string) bool {
	_, ok := e.cache.Current().Relation("public", name)
	return ok
}

// listeners counts the server's LISTEN connections to the test database.
func (e *env) listeners() int {
	var n int
	e.db.QueryRow(e.t, `SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
		[]any{&n}, reload.ListenerApplicationName)
	return n
}

// waitListening waits until the listener is connected and has done the reload it does
// after connecting, so that later loads are caused by what the test does.
func (e *env) waitListening(t *testing.T, loadsBefore int64) {
	t.Helper()
	eventually(t, "the listener to connect", func() bool { return e.listeners() == 1 })
	eventually(t, "the reload after LISTEN", func() bool { return e.cache.Stats().Loads > loadsBefore })
}

const freshTable = `CREATE TABLE public.fresh (id int PRIMARY KEY, name text);
INSERT INTO public.fresh VALUES (1, 'one');
GRANT SELECT ON public.fresh TO anon;`

// The event trigger from sql/0020 announces DDL; the listener reloads; nobody sends NOTIFY.
func TestNewTableServedAfterDDLWithoutNotify(t *testing.T) {
	e := start(t, "")
	e.waitListening(t, 1)
	if e.cached("fresh") {
		t.Fatal("fresh is cached before it exists")
	}
	e.db.Exec(t, freshTable)
	eventually(t, "the event trigger's reload", func() bool { return e.cached("fresh") })
	e.do("GET", "/fresh?select=id,name", "").expect(t, 200, `[{"id":1,"name":"one"}]`)

	e.db.Exec(t, `DROP TABLE public.fresh`)
	eventually(t, "the drop trigger's reload", func() bool { return !e.cached("fresh") })
}

// With no listener at all, a request for a table created a moment ago still finds it: the
// unknown name makes the server check the catalog once before answering 404.
func TestUnknownTableChecksCatalogBefore404(t *testing.T) {
	e := start(t, "", withEnv("PGRST_DB_CHANNEL_ENABLED", "false"))
	e.db.Exec(t, freshTable)
	if e.cached("fresh") {
		t.Fatal("fresh is cached although nothing reloaded")
	}
	e.do("GET", "/fresh?select=id,name", "").expect(t, 200, `[{"id":1,"name":"one"}]`)
	if e.listeners() != 0 {
		t.Fatal("a listener runs although PGRST_DB_CHANNEL_ENABLED=false")
	}

	// A name that does not exist still gets its 404, and the forced reloads are rate
	// limited: a burst of misses reloads at most a few times.
	time.Sleep(reload.DefaultRefreshGap + 100*time.Millisecond)
	loads := e.cache.Stats().Loads
	for i := 0; i < 20; i++ {
		r := e.do("GET", "/nothing_here", "")
		if r.status != 404 {
			t.Fatalf("unknown table: %d %s", r.status, r.body)
		}
	}
	if n := e.cache.Stats().Loads - loads; n < 1 || n > 10 {
		t.Fatalf("20 misses caused %d reloads", n)
	}
}

// NOTIFY on PGRST_DB_CHANNEL: `reload schema`, an empty payload and `reload config` reload
// the cache; other payloads and other channels do not.
func TestNotifyReloadsOnConfiguredChannel(t *testing.T) {
	e := start(t, "", withEnv("PGRST_DB_CHANNEL", "custom_channel"))
	e.waitListening(t, 1)
	e.db.Exec(t, freshTable) // the event trigger notifies pgrst, which nobody here hears
	e.db.Exec(t, `SELECT pg_notify('custom_channel', 'something else')`)
	time.Sleep(300 * time.Millisecond)
	if e.cached("fresh") {
		t.Fatal("reloaded on a notification that does not ask for it")
	}
	for i, payload := range []string{"reload schema", "", "reload config"} {
		table := fmt.Sprintf("fresh%d", i)
		e.db.Exec(t, fmt.Sprintf(`CREATE TABLE public.%s (id int)`, table))
		e.db.Exec(t, `SELECT pg_notify('custom_channel', $1)`, payload)
		eventually(t, fmt.Sprintf("the reload after %q", payload), func() bool { return e.cached(table) })
	}
}

// Reloads swap the snapshot atomically: requests running during a storm of reloads all
// succeed.
func TestReloadDuringLoadFailsNoRequest(t *testing.T) {
	e := start(t, whoami)
	e.waitListening(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var ok, failed atomic.Int64
	var firstFailure atomic.Value
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 10 * time.Second}
	for w := 0; w < 4; w++ {
		wg.Go(func() {
			for ctx.Err() == nil {
				res, err := client.Get(e.base + "/whoami")
				if err != nil {
					failed.Add(1)
					firstFailure.CompareAndSwap(nil, err.Error())
					continue
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != 200 || string(b) != `[{"user":"anon","uid":null}]` {
					failed.Add(1)
					firstFailure.CompareAndSwap(nil, fmt.Sprintf("%d %s", res.StatusCode, b))
					continue
				}
				ok.Add(1)
			}
		})
	}
	loads := e.cache.Stats().Loads
	notifies := 0
	for ctx.Err() == nil {
		// Alternate the two triggers: NOTIFY through the listener, and direct reloads.
		if notifies%2 == 0 {
			e.db.Exec(t, `NOTIFY pgrst, 'reload schema'`)
		} else if err := e.cache.Reload(ctx); err != nil && ctx.Err() == nil {
			t.Fatalf("reload: %v", err)
		}
		notifies++
	}
	wg.Wait()
	if failed.Load() != 0 {
		t.Fatalf("%d of %d requests failed during reloads; first: %v", failed.Load(), failed.Load()+ok.Load(), firstFailure.Load())
	}
	if ok.Load() == 0 || e.cache.Stats().Loads-loads < 5 {
		t.Fatalf("too little happened: %d requests, %d reloads", ok.Load(), e.cache.Stats().Loads-loads)
	}
}

// The listener reconnects after its connection is killed, and reloads then, picking up
// DDL announced while it was away.
func TestListenerRecoversAfterConnectionKill(t *testing.T) {
	e := start(t, "")
	e.waitListening(t, 1)
	// Keep the listener out while the DDL is announced: non-superusers cannot connect.
	e.db.Exec(t, fmt.Sprintf(`ALTER DATABASE %q CONNECTION LIMIT 0`, e.db.Name))
	e.db.Exec(t, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
		reload.ListenerApplicationName)
	eventually(t, "the listener to be gone", func() bool { return e.listeners() == 0 })
	e.db.Exec(t, freshTable)
	time.Sleep(500 * time.Millisecond) // a few refused reconnection attempts
	if e.cached("fresh") {
		t.Fatal("fresh cached while the listener was away")
	}
	e.db.Exec(t, fmt.Sprintf(`ALTER DATABASE %q CONNECTION LIMIT -1`, e.db.Name))
	eventually(t, "the reload after reconnecting", func() bool { return e.cached("fresh") })
	if n := e.listeners(); n != 1 {
		t.Fatalf("%d listeners after reconnecting", n)
	}
	// And it listens again.
	e.db.Exec(t, `CREATE TABLE public.after_reconnect (id int)`)
	eventually(t, "the event trigger's reload after reconnecting", func() bool { return e.cached("after_reconnect") })
}

// With prepared statements, a column that changes type under a running server: the DDL's
// reload makes every session close the statements it prepared against the old type
// (PostgreSQL would keep their old parameter types), so the same request works after it.
func TestPreparedStatementsClosedOnReload(t *testing.T) {
	e := start(t, `CREATE TABLE public.retyped (id int PRIMARY KEY, code text);
INSERT INTO public.retyped VALUES (1, '10'), (2, '20');
GRANT SELECT ON public.retyped TO anon;`, withEnv("PGRST_DB_PREPARED_STATEMENTS", "true"))
	e.waitListening(t, 1)
	for range 3 { // reach every pooled session that may hold the statement
		e.do("GET", "/retyped?select=id&code=eq.10", "").expect(t, 200, `[{"id":1}]`)
	}
	loads := e.cache.Stats().Loads
	e.db.Exec(t, `ALTER TABLE public.retyped ALTER COLUMN code TYPE int USING code::int`)
	eventually(t, "the event trigger's reload", func() bool { return e.cache.Stats().Loads > loads })
	for range 3 {
		e.do("GET", "/retyped?select=id&code=eq.10", "").expect(t, 200, `[{"id":1}]`)
	}
}
