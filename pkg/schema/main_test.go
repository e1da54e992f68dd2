package schema

import (
	"context"
	_ "embed"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/rocksteady/rocksteady/pkg/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

//go:embed testdata/fixture.sql
var fixtureSQL string

func setupFixture(ctx context.Context, url string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, fixtureSQL)
	return err
}

// loadFixture loads the fixture's snapshot (exposed: test, plus a schema that does not exist).
func loadFixture(t *testing.T) (*Snapshot, *pgtest.DB) {
	t.Helper()
	db := pgtest.NewDB(t, "schema-fixture", setupFixture)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	s, err := Load(ctx, conn, []string{"test", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}
