package migrate_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/rocksteady/rocksteady/pkg/migrate"
	"github.com/rocksteady/rocksteady/pkg/pgtest"
)

// seedFixture loads the Supabase bootstrap and then the seed's own SQL, unchanged.
func seedFixture(ctx context.Context, url string) error {
	files, err := migrate.Embedded()
	if err != nil {
		return err
	}
	var bootstrap []migrate.File
	for _, f := range files {
		if strings.HasPrefix(f.Name, "sql/000") {
			bootstrap = append(bootstrap, f)
		}
	}
	if _, err := migrate.Apply(ctx, url, bootstrap); err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	for _, name := range []string{"01_documents.sql", "02_knowledge_files.sql", "03_arc_sessions.sql", "04_rls_policies.sql", "05_search_function.sql"} {
		body, err := os.ReadFile(filepath.Join("..", "..", "testdata", "seed", name))
		if err != nil {
			return err
		}
		if _, err := conn.Exec(ctx, string(body)); err != nil {
			return &seedError{name, err}
		}
	}
	return nil
}

type seedError struct {
	file string
	err  error
}

func (e *seedError) Error() string { return e.file + ": " + e.err.Error() }

func TestSeedLoadsUnchangedAndPoliciesIsolateUsers(t *testing.T) {
	db := pgtest.NewDB(t, "seed", seedFixture)
	seedUsers(t, db)
	ctx := context.Background()
	for _, u := range []string{alice, bob} {
		u := u
		if err := asRole(t, db.URL, "authenticated", u, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO documents(title, user_id) VALUES ('mine', $1)`, u)
			return err
		}); err != nil {
			t.Fatalf("insert own document: %v", err)
		}
	}
	err := asRole(t, db.URL, "authenticated", alice, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO documents(title, user_id) VALUES ('forged', $1)`, bob)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "violates row-level security policy") {
		t.Fatalf("inserting a row for another user: %v", err)
	}
	var seen []string
	if err := asRole(t, db.URL, "authenticated", alice, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT user_id::text FROM documents`)
		if err != nil {
			return err
		}
		seen, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(seen, ",") != alice {
		t.Fatalf("alice sees %v", seen)
	}
	var n int64
	if err := asRole(t, db.URL, "authenticated", alice, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM documents WHERE user_id = $1`, bob)
		n = tag.RowsAffected()
		return err
	}); err != nil || n != 0 {
		t.Fatalf("alice deleting bob's documents: %d rows, %v", n, err)
	}
}

// The seed's arc_sessions trigger reuses update_updated_at_column(), which the shipped
// schema fixes (TestShippedArcSessionsUpdateBumpsLastActivity).
func TestSeedArcSessionsUpdateFails(t *testing.T) {
	db := pgtest.NewDB(t, "seed", seedFixture)
	seedUsers(t, db)
	db.Exec(t, `INSERT INTO arc_sessions(exploration_method, user_id) VALUES ('story_brainstorm', $1)`, alice)
	err := asRole(t, db.URL, "authenticated", alice, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `UPDATE arc_sessions SET session_metadata = '{}'`)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), `record "new" has no field "updated_at"`) {
		t.Fatalf("want the seed's trigger error, got %v", err)
	}
}

// The seed's search function trusts its user_uuid argument; the shipped one does not
// (TestShippedSearchAnswersOnlyForTheCaller).
func TestSeedSearchLeaksOtherUsersFiles(t *testing.T) {
	db := pgtest.NewDB(t, "seed", seedFixture)
	seedUsers(t, db)
	insertFiles(t, db)
	if got := searchIDs(t, db.URL, "authenticated", alice, bob); strings.Join(got, ",") != "20000000-0000-0000-0000-00000000000b" {
		t.Fatalf("the seed's function should leak bob's file to alice, got %v", got)
	}
}

func TestSeedPatterns(t *testing.T) {
	db := pgtest.NewDB(t, "seed", seedFixture)
	seedUsers(t, db)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "seed", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if _, err := conn.Exec(ctx, read("pattern_cursor_pagination.sql"), alice, "2030-01-01"); err != nil {
		t.Fatalf("cursor pagination: %v", err)
	}
	stmts := strings.SplitAfter(read("pattern_jsonb_queries.sql"), ";")
	if _, err := conn.Exec(ctx, stmts[0]); err != nil {
		t.Fatalf("jsonb index: %v", err)
	}
	if _, err := conn.Exec(ctx, stmts[1], alice); err != nil {
		t.Fatalf("jsonb query: %v", err)
	}
	stmts = strings.SplitAfter(read("pattern_search_indexes.sql"), ";")
	if _, err := conn.Exec(ctx, stmts[0]); err != nil {
		t.Fatalf("search index: %v", err)
	}
	_, err = conn.Exec(ctx, stmts[1])
	if err == nil || !strings.Contains(err.Error(), "functions in index predicate must be marked IMMUTABLE") {
		t.Fatalf("the now()-based partial index should be rejected, got %v", err)
	}
}
