package server_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rocksteady/rocksteady/pkg/auth"
	"github.com/rocksteady/rocksteady/pkg/config"
	"github.com/rocksteady/rocksteady/pkg/devkeys"
	"github.com/rocksteady/rocksteady/pkg/pgtest"
	"github.com/rocksteady/rocksteady/pkg/schema"
	"github.com/rocksteady/rocksteady/pkg/server"
	"github.com/rocksteady/rocksteady/pkg/txn"

	"github.com/jackc/pgx/v5/pgxpool"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

const (
	testSecret = "reallyreallyreallyreallyverysafe"
	alice      = "00000000-0000-0000-0000-00000000000a"
	bob        = "00000000-0000-0000-0000-00000000000b"
)

// env is one running rocksteady on its own database.
type env struct {
	t       testing.TB
	db      *pgtest.DB
	base    string // http://127.0.0.1:port
	admin   string
	runner  *txn.Runner
	cache   *schema.Cache
	anonKey string
	service string
	// logs holds the server's log as JSON lines, at PGRST_LOG_LEVEL.
	logs *logBuffer
	// stop shuts the server down as SIGTERM does and returns Serve's result.
	stop func() error
	// handler is the API's http.Handler, for in-process benchmarks.
	handler http.Handler
}

// logBuffer is a bytes.Buffer safe for the server's goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type envOption func(map[string]string)

func withEnv(k, v string) envOption { return func(m map[string]string) { m[k] = v } }

// start runs the server on a database cloned from the migrated ID8COMPOSER template,
// after running extraSQL (as superuser) for fixtures of the test's own.
func start(t testing.TB, extraSQL string, opts ...envOption) *env {
	t.Helper()
	db := pgtest.NewDB(t, "migrated", pgtest.Migrated)
	db.Exec(t, `INSERT INTO auth.users(id, email, role, aud) VALUES ($1, 'alice@example.com', 'authenticated', 'authenticated'), ($2, 'bob@example.com', 'authenticated', 'authenticated')`, alice, bob)
	if extraSQL != "" {
		db.Exec(t, extraSQL)
	}
	vars := map[string]string{
		"PGRST_DB_URI":            db.URLAs("authenticator"),
		"PGRST_DB_SCHEMAS":        "public",
		"PGRST_DB_ANON_ROLE":      "anon",
		"PGRST_JWT_SECRET":        testSecret,
		"PGRST_SERVER_HOST":       "127.0.0.1",
		"PGRST_SERVER_PORT":       "0",
		"PGRST_ADMIN_SERVER_PORT": "0",
	}
	if v := os.Getenv("ROCKSTEADY_TEST_PREPARED_STATEMENTS"); v != "" {
		// make test runs the whole black-box suite twice: with the default (named
		// statements) and again with unnamed ones (=false), as behind a pooler.
		vars["PGRST_DB_PREPARED_STATEMENTS"] = v
	}
	for _, o := range opts {
		o(vars)
	}
	var environ []string
	for k, v := range vars {
		environ = append(environ, k+"="+v)
	}
	cfg, err := config.Load(func(k string) string { return vars[k] }, environ)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pcfg, err := txn.PoolConfig(cfg.DBURI, cfg.DBPool, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		t.Fatal(err)
	}
	cache := schema.NewCache(func(ctx context.Context) (*schema.Snapshot, error) {
		return schema.Load(ctx, pool, cfg.DBSchemas)
	})
	if err := cache.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	authn, err := auth.New(auth.Config{Secret: cfg.JWTSecret, AnonRole: cfg.DBAnonRole, RoleClaimKey: cfg.JWTRoleClaimKey,
		CacheMaxEntries: cfg.JWTCacheMaxEntries, PublishableKeys: cfg.PublishableKeys, SecretKeys: cfg.SecretKeys,
		RequireAPIKey: cfg.RequireAPIKey, Audience: cfg.JWTAud})
	if err != nil {
		t.Fatal(err)
	}
	runner := txn.New(pool).WithPreparedStatements(cfg.DBPreparedStatements)
	logs := &logBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: config.SlogLevel(cfg.LogLevel)}))
	srv := server.New(server.Options{Config: cfg, Log: logger, Pool: pool,
		Stages: server.Stages{Auth: authn, Schema: cache, Runner: runner}})
	addrs := make(chan [2]string, 1)
	done := make(chan error, 1)
	go func() {
		done <- srv.Serve(ctx, "127.0.0.1:0", "127.0.0.1:0", 5*time.Second, func(api, admin net.Addr) {
			addrs <- [2]string{api.String(), admin.String()}
		})
	}()
	var a [2]string
	select {
	case a = <-addrs:
	case err := <-done:
		t.Fatalf("server did not start: %v", err)
	}
	var stopOnce sync.Once
	var serveErr error
	stop := func() error {
		stopOnce.Do(func() {
			cancel()
			serveErr = <-done
			pool.Close()
		})
		return serveErr
	}
	t.Cleanup(func() { _ = stop() })
	now := time.Now()
	return &env{t: t, db: db, base: "http://" + a[0], handler: srv.Handler(), admin: "http://" + a[1], runner: runner, cache: cache,
		anonKey: devkeys.APIKey(testSecret, "anon", now), service: devkeys.APIKey(testSecret, "service_role", now),
		logs: logs, stop: stop}
}

func (e *env) userToken(id string) string {
	return devkeys.UserToken(testSecret, id, id+"@example.com", time.Now(), time.Hour)
}

// reply is a response read in full.
type reply struct {
	status int
	header http.Header
	body   string
}

// do sends one request; headers alternate name, value.
func (e *env) do(method, path, body string, headers ...string) reply {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.base+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return reply{status: res.StatusCode, header: res.Header, body: string(b)}
}

// expect asserts status and exact body.
func (r reply) expect(t *testing.T, status int, body string) {
	t.Helper()
	if r.status != status || r.body != body {
		t.Fatalf("got %d %s\nwant %d %s", r.status, r.body, status, body)
	}
}

// expectHeader asserts one header's exact value ("" means absent).
func (r reply) expectHeader(t *testing.T, name, value string) {
	t.Helper()
	got := r.header.Get(name)
	if _, present := r.header[http.CanonicalHeaderKey(name)]; value == "" && present {
		t.Fatalf("header %s = %q, want it absent", name, got)
	}
	if got != value {
		t.Fatalf("header %s = %q, want %q", name, got, value)
	}
}
