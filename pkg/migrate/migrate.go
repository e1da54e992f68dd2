package migrate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/rocksteady/rocksteady/policies"
	sqlfiles "github.com/rocksteady/rocksteady/sql"
)

// File is one migration.
type File struct {
	Name     string // e.g. "sql/0001_supabase_roles.sql"
	Body     string
	Checksum string // hex SHA-256 of Body
}

// Embedded returns the files shipped in the binary: sql/ then policies/.
func Embedded() ([]File, error) {
	a, err := FromFS(sqlfiles.FS, "sql")
	if err != nil {
		return nil, err
	}
	b, err := FromFS(policies.FS, "policies")
	if err != nil {
		return nil, err
	}
	return append(a, b...), nil
}

// FromFS reads the *.sql files at the root of fsys in name order, naming them prefix/name.
func FromFS(fsys fs.FS, prefix string) ([]File, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	files := make([]File, 0, len(names))
	for _, n := range names {
		body, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		files = append(files, File{Name: prefix + "/" + n, Body: string(body), Checksum: hex.EncodeToString(sum[:])})
	}
	return files, nil
}

// Result says what a run did.
type Result struct {
	Applied []string // files applied by this run
	Skipped []string // files already applied with the same checksum
}

const lockKey = 7_415_000_001 // advisory lock id for migrations

// Apply runs the files not yet applied on the database at url.
func Apply(ctx context.Context, url string, files []File) (Result, error) {
	var res Result
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return res, fmt.Errorf("migrate: connect: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, lockKey); err != nil {
		return res, fmt.Errorf("migrate: lock: %w", err)
	}
	defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, lockKey)
	if _, err := conn.Exec(ctx, `
		CREATE SCHEMA IF NOT EXISTS rocksteady;
		CREATE TABLE IF NOT EXISTS rocksteady.schema_migrations (
			name text PRIMARY KEY,
			checksum text NOT NULL,
			applied_at timestamptz NOT NULL DEFAULT now()
		)`); err != nil {
		return res, fmt.Errorf("migrate: bookkeeping table: %w", err)
	}
	done := map[string]string{}
	rows, err := conn.Query(ctx, `SELECT name, checksum FROM rocksteady.schema_migrations`)
	if err != nil {
		return res, fmt.Errorf("migrate: read applied: %w", err)
	}
	for rows.Next() {
		var n, c string
		if err := rows.Scan(&n, &c); err != nil {
			return res, err
		}
		done[n] = c
	}
	if err := rows.Err(); err != nil {
		return res, err
	}
	for _, f := range files {
		if sum, ok := done[f.Name]; ok {
			if sum != f.Checksum {
				return res, fmt.Errorf("migrate: %s was applied with checksum %s but now has %s: it must not change once applied; add a new file instead",
					f.Name, short(sum), short(f.Checksum))
			}
			res.Skipped = append(res.Skipped, f.Name)
			continue
		}
		if err := applyOne(ctx, conn, f); err != nil {
			return res, err
		}
		res.Applied = append(res.Applied, f.Name)
	}
	return res, nil
}

func applyOne(ctx context.Context, conn *pgx.Conn, f File) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.Background())
	// No arguments: the simple protocol runs the whole file, statements and all.
	if _, err := tx.Exec(ctx, f.Body); err != nil {
		return fmt.Errorf("migrate: %s: %w", f.Name, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO rocksteady.schema_migrations(name, checksum) VALUES ($1, $2)`, f.Name, f.Checksum); err != nil {
		return fmt.Errorf("migrate: record %s: %w", f.Name, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("migrate: commit %s: %w", f.Name, err)
	}
	return nil
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return strings.TrimSpace(sum)
}
