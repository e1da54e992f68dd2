package pgtest

import (
	"context"
	"os"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func TestCloneIsolatesDatabases(t *testing.T) {
	setup := func(ctx context.Context, url string) error {
		return exec(ctx, url, `CREATE TABLE marker(v int); INSERT INTO marker VALUES (1)`)
	}
	a := NewDB(t, "clone", setup)
	b := NewDB(t, "clone", setup)
	if a.Name == b.Name {
		t.Fatal("two tests got the same database")
	}
	a.Exec(t, `INSERT INTO marker VALUES (2)`)
	var na, nb int
	a.QueryRow(t, `SELECT count(*) FROM marker`, []any{&na})
	b.QueryRow(t, `SELECT count(*) FROM marker`, []any{&nb})
	if na != 2 || nb != 1 {
		t.Fatalf("counts a=%d b=%d, want 2 and 1", na, nb)
	}
	var version string
	a.QueryRow(t, `SHOW server_version_num`, []any{&version})
	if version < "150000" {
		t.Fatalf("server version %s, want PostgreSQL 15 or newer", version)
	}
}
