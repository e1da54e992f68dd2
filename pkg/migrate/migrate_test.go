package migrate_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5"
	"github.com/rocksteady/rocksteady/pkg/migrate"
	"github.com/rocksteady/rocksteady/pkg/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func embedded(t *testing.T) []migrate.File {
	t.Helper()
	files, err := migrate.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestEmbeddedOrder(t *testing.T) {
	files := embedded(t)
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	got := strings.Join(names, " ")
	want := "sql/0001_supabase_roles.sql sql/0002_supabase_auth.sql sql/0003_supabase_public_grants.sql sql/0010_id8composer.sql sql/0020_schema_reload.sql policies/0001_id8composer_rls.sql policies/0002_knowledge_files_document_owner.sql"
	if got != want {
		t.Fatalf("order\n got %s\nwant %s", got, want)
	}
}

func TestApplyTwiceIsNoop(t *testing.T) {
	db := pgtest.NewDB(t, "empty", nil)
	ctx := context.Background()
	files := embedded(t)
	first, err := migrate.Apply(ctx, db.URL, files)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Applied) != len(files) || len(first.Skipped) != 0 {
		t.Fatalf("first run: %+v", first)
	}
	var before string
	db.QueryRow(t, `SELECT string_agg(name || ':' || checksum || ':' || applied_at, ',' ORDER BY name) FROM rocksteady.schema_migrations`, []any{&before})
	second, err := migrate.Apply(ctx, db.URL, files)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Applied) != 0 || len(second.Skipped) != len(files) {
		t.Fatalf("second run: %+v", second)
	}
	var after string
	db.QueryRow(t, `SELECT string_agg(name || ':' || checksum || ':' || applied_at, ',' ORDER BY name) FROM rocksteady.schema_migrations`, []any{&after})
	if before != after {
		t.Fatalf("second run changed the bookkeeping:\n%s\n%s", before, after)
	}
}

func TestChangedFileStops(t *testing.T) {
	db := pgtest.NewDB(t, "empty", nil)
	ctx := context.Background()
	v1, _ := migrate.FromFS(fstest.MapFS{"0001_a.sql": {Data: []byte("CREATE TABLE a(x int);")}}, "sql")
	if _, err := migrate.Apply(ctx, db.URL, v1); err != nil {
		t.Fatal(err)
	}
	v2, _ := migrate.FromFS(fstest.MapFS{
		"0001_a.sql": {Data: []byte("CREATE TABLE a(x int, y int);")},
		"0002_b.sql": {Data: []byte("CREATE TABLE b(x int);")},
	}, "sql")
	_, err := migrate.Apply(ctx, db.URL, v2)
	if err == nil || !strings.Contains(err.Error(), "sql/0001_a.sql was applied with checksum") {
		t.Fatalf("want an error naming sql/0001_a.sql, got %v", err)
	}
	var n int
	db.QueryRow(t, `SELECT count(*) FROM pg_tables WHERE tablename = 'b'`, []any{&n})
	if n != 0 {
		t.Fatal("a later file ran after the changed one")
	}
}

func TestFailingFileRollsBack(t *testing.T) {
	db := pgtest.NewDB(t, "empty", nil)
	files, _ := migrate.FromFS(fstest.MapFS{"0001_bad.sql": {Data: []byte("CREATE TABLE half(x int); SELECT 1/0;")}}, "sql")
	if _, err := migrate.Apply(context.Background(), db.URL, files); err == nil || !strings.Contains(err.Error(), "sql/0001_bad.sql") {
		t.Fatalf("want an error naming the file, got %v", err)
	}
	var n int
	db.QueryRow(t, `SELECT count(*) FROM pg_tables WHERE tablename = 'half'`, []any{&n})
	if n != 0 {
		t.Fatal("a failed file left its table behind")
	}
}

// asUser runs fn in a transaction as the authenticated role with sub = uid (or as
// service_role when uid is empty and role says so), the way the data plane does.
func asRole(t *testing.T, url, role, sub string, fn func(tx pgx.Tx) error) error {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	claims := `{"role":"` + role + `"}`
	if sub != "" {
		claims = `{"role":"` + role + `","sub":"` + sub + `"}`
	}
	if _, err := tx.Exec(ctx, `SELECT set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, role, claims); err != nil {
		t.Fatal(err)
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

const (
	alice = "00000000-0000-0000-0000-00000000000a"
	bob   = "00000000-0000-0000-0000-00000000000b"
)

func seedUsers(t *testing.T, db *pgtest.DB) {
	db.Exec(t, `INSERT INTO auth.users(id, email, role, aud) VALUES ($1, 'alice@example.com', 'authenticated', 'authenticated'), ($2, 'bob@example.com', 'authenticated', 'authenticated')`, alice, bob)
}

func TestShippedArcSessionsUpdateBumpsLastActivity(t *testing.T) {
	db := pgtest.NewDB(t, "migrated", pgtest.Migrated)
	seedUsers(t, db)
	db.Exec(t, `INSERT INTO arc_sessions(id, exploration_method, user_id, last_activity) VALUES ('10000000-0000-0000-0000-000000000001', 'story_brainstorm', $1, '2020-01-01')`, alice)
	err := asRole(t, db.URL, "authenticated", alice, func(tx pgx.Tx) error {
		tag, err := tx.Exec(context.Background(), `UPDATE arc_sessions SET conversation_history = '[{"role":"user","content":"hi"}]'`)
		if err == nil && tag.RowsAffected() != 1 {
			t.Fatalf("updated %d rows", tag.RowsAffected())
		}
		return err
	})
	if err != nil {
		t.Fatalf("UPDATE arc_sessions: %v", err)
	}
	var recent bool
	db.QueryRow(t, `SELECT last_activity > now() - interval '1 minute' FROM arc_sessions`, []any{&recent})
	if !recent {
		t.Fatal("last_activity was not bumped by the update")
	}
}

func searchIDs(t *testing.T, url, role, caller, target string) []string {
	t.Helper()
	var ids []string
	err := asRole(t, url, role, caller, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), `SELECT id::text FROM search_knowledge_files('screenplay', $1::uuid) ORDER BY id`, target)
		if err != nil {
			return err
		}
		ids, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatalf("search as %s: %v", role, err)
	}
	return ids
}

func insertFiles(t *testing.T, db *pgtest.DB) {
	db.Exec(t, `INSERT INTO knowledge_files(id, filename, file_type, content, user_id) VALUES
		('20000000-0000-0000-0000-00000000000a', 'a.txt', 'txt', 'the screenplay of alice', $1),
		('20000000-0000-0000-0000-00000000000b', 'b.txt', 'txt', 'the screenplay of bob', $2)`, alice, bob)
}

func TestShippedSearchAnswersOnlyForTheCaller(t *testing.T) {
	db := pgtest.NewDB(t, "migrated", pgtest.Migrated)
	seedUsers(t, db)
	insertFiles(t, db)
	if got := searchIDs(t, db.URL, "authenticated", alice, alice); strings.Join(got, ",") != "20000000-0000-0000-0000-00000000000a" {
		t.Fatalf("alice searching her files: %v", got)
	}
	if got := searchIDs(t, db.URL, "authenticated", alice, bob); len(got) != 0 {
		t.Fatalf("alice searching bob's files got %v, want nothing", got)
	}
	if got := searchIDs(t, db.URL, "anon", "", bob); len(got) != 0 {
		t.Fatalf("anon searching bob's files got %v, want nothing", got)
	}
	if got := searchIDs(t, db.URL, "service_role", "", bob); strings.Join(got, ",") != "20000000-0000-0000-0000-00000000000b" {
		t.Fatalf("service_role searching bob's files: %v", got)
	}
}
