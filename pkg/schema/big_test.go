package schema

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rocksteady/rocksteady/pkg/pgtest"
)

const bigTables = 5000

// setupBig creates schema big with bigTables tables t1…t5000 (id primary key, ref_id; no
// varlena column, so no TOAST tables) and one FK per table: t_i.ref_id → t_(i-1).id, and
// t1.ref_id → t5000.id. Each table references the previous one as it is created; two
// connections build the two halves at once, committing every 500 tables (one transaction
// holding locks on every new relation would need a huge lock table).
func setupBig(ctx context.Context, url string) error {
	exec := func(sqls ...string) error {
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		for _, sql := range sqls { // separate statements: COMMIT inside DO needs that
			if _, err := conn.Exec(ctx, sql); err != nil {
				return err
			}
		}
		return nil
	}
	half := func(from, to int) string {
		return fmt.Sprintf(`DO $$ BEGIN
		  EXECUTE 'CREATE TABLE big.t%[1]d (id int PRIMARY KEY, ref_id int)';
		  FOR i IN %[1]d + 1 .. %[2]d LOOP
		    EXECUTE format('CREATE TABLE big.t%%1$s (id int PRIMARY KEY,
		                      ref_id int CONSTRAINT t%%1$s_ref_fkey REFERENCES big.t%%2$s (id))', i, i - 1);
		    IF i %% 500 = 0 THEN COMMIT; END IF;
		  END LOOP;
		END $$`, from, to)
	}
	if err := exec(`CREATE SCHEMA big`); err != nil {
		return err
	}
	mid := bigTables / 2
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, sql := range []string{half(1, mid), half(mid+1, bigTables)} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = exec(sql)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return exec(
		fmt.Sprintf(`ALTER TABLE big.t%[1]d ADD CONSTRAINT t%[1]d_ref_fkey FOREIGN KEY (ref_id) REFERENCES big.t%[2]d (id)`, mid+1, mid),
		fmt.Sprintf(`ALTER TABLE big.t1 ADD CONSTRAINT t1_ref_fkey FOREIGN KEY (ref_id) REFERENCES big.t%d (id)`, bigTables),
	)
}

// bigDB returns a fresh database holding the big schema (built in the test's own database:
// cloning a template of 10,000 relations costs more than building it).
func bigDB(tb testing.TB) *pgtest.DB {
	tb.Helper()
	db := pgtest.NewDB(tb, "schema-empty", nil)
	if err := setupBig(context.Background(), db.URL); err != nil {
		tb.Fatalf("setup: %v", err)
	}
	return db
}

// TestLoad5000 loads 5,000 tables with 5,000 foreign keys and logs how long it took (speed
// is reported, not asserted; see BenchmarkLoad5000).
func TestLoad5000(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 5,000 tables; skipped under -short")
	}
	db := bigDB(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	start := time.Now()
	s, err := Load(ctx, conn, []string{"big"})
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded %d tables, %d foreign keys, %d relationships in %v", len(s.Relations), s.Counts().ForeignKeys, s.Counts().Relationships, took)

	want := Counts{Relations: bigTables, Columns: 2 * bigTables, ForeignKeys: bigTables, Relationships: 2 * bigTables}
	if got := s.Counts(); got != want {
		t.Errorf("counts = %+v, want %+v", got, want)
	}
	r := mustRelation(t, s, "big", "t42")
	wantFK := []ForeignKey{{Name: "t42_ref_fkey", Columns: []string{"ref_id"}, References: QualifiedName{"big", "t41"}, ReferencedColumns: []string{"id"}}}
	if !equalJSON(r.ForeignKeys, wantFK) || len(r.PrimaryKey) != 1 || r.PrimaryKey[0] != "id" {
		t.Errorf("t42 = %+v", r)
	}
	for _, probe := range []struct {
		table string
		want  []string
	}{
		{"t1", []string{
			"big.t1 -> big.t2 one-to-many t2_ref_fkey(id=ref_id)",
			"big.t1 -> big.t5000 many-to-one t1_ref_fkey(ref_id=id) fk-here to-one",
		}},
		{"t2501", []string{
			"big.t2501 -> big.t2500 many-to-one t2501_ref_fkey(ref_id=id) fk-here to-one",
			"big.t2501 -> big.t2502 one-to-many t2502_ref_fkey(id=ref_id)",
		}},
	} {
		var got []string
		for _, rel := range s.Relationships("big", probe.table) {
			got = append(got, describe(rel))
		}
		if !equalJSON(got, probe.want) {
			t.Errorf("%s relationships = %q", probe.table, got)
		}
	}
	// The schema is too big for relation-name hints (PostgREST's limit is 500).
	if hint := s.SimilarRelation("big", "t4x"); hint != "" {
		t.Errorf("hint %q on a 5000-relation schema", hint)
	}
}

// BenchmarkLoad5000 reports how long Load takes on 5,000 tables with 5,000 foreign keys.
func BenchmarkLoad5000(b *testing.B) {
	db := bigDB(b)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Load(ctx, conn, []string{"big"}); err != nil {
			b.Fatal(err)
		}
	}
}
