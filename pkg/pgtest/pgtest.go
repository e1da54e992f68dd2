package pgtest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rocksteady/rocksteady/pkg/localpg"
)

// EnvURL names the environment variable that points the tests at an existing server.
const EnvURL = "ROCKSTEADY_TEST_DATABASE_URL"

var (
	startOnce sync.Once
	server    *localpg.Server
	serverURL string
	startErr  error

	templatesMu sync.Mutex
	templates   = map[string]*template{}
	dbCounter   atomic.Int64
)

type template struct {
	once sync.Once
	name string
	err  error
}

// Main runs the package's tests and stops the server afterwards. Use it as
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
func Main(m *testing.M) int {
	code := m.Run()
	if server != nil {
		_ = server.Stop()
	}
	return code
}

// ServerURL returns the superuser URL of the shared server, starting it on first use.
func ServerURL(t testing.TB) string {
	t.Helper()
	startOnce.Do(func() {
		if u := os.Getenv(EnvURL); u != "" {
			serverURL = u
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		server, startErr = localpg.Start(ctx, localpg.Options{})
		if startErr == nil {
			serverURL = server.URL
		}
	})
	if startErr != nil {
		if testing.Short() {
			t.Skipf("no PostgreSQL under -short: %v", startErr)
		}
		t.Fatalf("pgtest: cannot start PostgreSQL: %v", startErr)
	}
	return serverURL
}

// Setup prepares a template database (migrations, fixtures). It receives a superuser URL.
type Setup func(ctx context.Context, url string) error

// DB is one test's own database.
type DB struct {
	Name string
	// URL connects as the superuser.
	URL string
}

// URLAs returns a URL for this database logging in as another role (the local and Docker
// servers trust loopback connections; an external server needs the role's password in
// ROCKSTEADY_TEST_ROLE_PASSWORD).
func (d *DB) URLAs(role string) string {
	return localpg.WithUser(d.URL, role, os.Getenv("ROCKSTEADY_TEST_ROLE_PASSWORD"))
}

// NewDB returns a fresh database cloned from the template called name, building the
// template with setup the first time name is asked for in this process. The database is
// dropped when the test ends. A nil setup gives an empty database.
func NewDB(t testing.TB, name string, setup Setup) *DB {
	t.Helper()
	base := ServerURL(t)
	tmpl := templateFor(name)
	tmpl.once.Do(func() { tmpl.err = buildTemplate(base, tmpl.name, setup) })
	if tmpl.err != nil {
		t.Fatalf("pgtest: template %q: %v", name, tmpl.err)
	}
	dbName := fmt.Sprintf("t_%s_%d_%d", sanitize(name), os.Getpid(), dbCounter.Add(1))
	ctx := context.Background()
	if err := exec(ctx, base, fmt.Sprintf(`CREATE DATABASE %q TEMPLATE %q`, dbName, tmpl.name)); err != nil {
		t.Fatalf("pgtest: clone %s: %v", tmpl.name, err)
	}
	d := &DB{Name: dbName, URL: localpg.WithDatabase(base, dbName)}
	t.Cleanup(func() {
		_ = exec(context.Background(), base, fmt.Sprintf(`DROP DATABASE IF EXISTS %q WITH (FORCE)`, dbName))
	})
	return d
}

func templateFor(name string) *template {
	templatesMu.Lock()
	defer templatesMu.Unlock()
	if tm, ok := templates[name]; ok {
		return tm
	}
	tm := &template{name: fmt.Sprintf("tmpl_%s_%d", sanitize(name), os.Getpid())}
	templates[name] = tm
	return tm
}

// buildMu serialises template builds: cluster-wide objects (roles) are created by setups.
var buildMu sync.Mutex

func buildTemplate(base, dbName string, setup Setup) error {
	buildMu.Lock()
	defer buildMu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	_ = exec(ctx, base, fmt.Sprintf(`DROP DATABASE IF EXISTS %q WITH (FORCE)`, dbName))
	if err := exec(ctx, base, fmt.Sprintf(`CREATE DATABASE %q`, dbName)); err != nil {
		return err
	}
	if setup != nil {
		if err := setup(ctx, localpg.WithDatabase(base, dbName)); err != nil {
			return err
		}
	}
	// Nobody may stay connected to a template while it is cloned.
	return exec(ctx, base, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '`+dbName+`' AND pid <> pg_backend_pid()`)
}

func exec(ctx context.Context, url, sql string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

func sanitize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// Exec runs SQL as the superuser on the test's database and fails the test on error.
func (d *DB) Exec(t testing.TB, sql string, args ...any) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, d.URL)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("exec %q: %v", sql, err)
	}
}

// QueryRow runs a one-row query as the superuser and scans it into dest.
func (d *DB) QueryRow(t testing.TB, sql string, dest []any, args ...any) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, d.URL)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, sql, args...).Scan(dest...); err != nil {
		t.Fatalf("query %q: %v", sql, err)
	}
}
