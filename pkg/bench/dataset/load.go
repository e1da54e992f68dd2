package dataset

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/errgroup"
)

// Streams is how many COPY streams run at once (one per core of the target machine).
const Streams = 2

// Load writes d into the migrated database at superURL unless it already holds exactly
// this dataset (bench.meta records the Spec's fingerprint). It reports whether it loaded.
func Load(ctx context.Context, superURL string, d *Dataset, logf func(string, ...any)) (bool, error) {
	conn, err := pgx.Connect(ctx, superURL)
	if err != nil {
		return false, err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS bench;
		CREATE TABLE IF NOT EXISTS bench.meta (fingerprint text NOT NULL)`); err != nil {
		return false, err
	}
	var have string
	_ = conn.QueryRow(ctx, `SELECT fingerprint FROM bench.meta LIMIT 1`).Scan(&have)
	if have == d.Spec.Fingerprint() {
		return false, nil
	}
	start := time.Now()
	if _, err := conn.Exec(ctx, `DELETE FROM bench.meta;
		TRUNCATE public.knowledge_files, public.arc_sessions, public.documents, auth.users`); err != nil {
		return false, err
	}
	indexes, err := dropSecondaryIndexes(ctx, conn)
	if err != nil {
		return false, err
	}
	if err := copyUsers(ctx, conn, d); err != nil {
		return false, fmt.Errorf("copy users: %w", err)
	}
	if err := parallel(ctx, superURL, d, "documents", copyDocuments); err != nil {
		return false, fmt.Errorf("copy documents: %w", err)
	}
	logf("dataset: %d users, %d documents in %s", len(d.Users), d.Docs, time.Since(start).Round(time.Millisecond))
	if err := parallel(ctx, superURL, d, "knowledge_files", copyFiles); err != nil {
		return false, fmt.Errorf("copy knowledge_files: %w", err)
	}
	logf("dataset: %d knowledge files in %s", d.Files, time.Since(start).Round(time.Millisecond))
	if err := createIndexes(ctx, superURL, indexes); err != nil {
		return false, err
	}
	logf("dataset: %d secondary indexes built in %s", len(indexes), time.Since(start).Round(time.Millisecond))
	if _, err := conn.Exec(ctx, `VACUUM (ANALYZE) auth.users, public.documents, public.knowledge_files, public.arc_sessions`); err != nil {
		return false, err
	}
	if _, err := conn.Exec(ctx, `INSERT INTO bench.meta VALUES ($1)`, d.Spec.Fingerprint()); err != nil {
		return false, err
	}
	logf("dataset %s loaded in %s", d.Spec.Name, time.Since(start).Round(time.Millisecond))
	return true, nil
}

// dropSecondaryIndexes drops the non-unique indexes of the loaded tables and returns their
// definitions: building them once after the load is much cheaper than row by row.
func dropSecondaryIndexes(ctx context.Context, conn *pgx.Conn) ([]string, error) {
	rows, err := conn.Query(ctx, `SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
		FROM pg_index i WHERE i.indrelid IN ('public.documents'::regclass, 'public.knowledge_files'::regclass)
		AND NOT i.indisprimary AND NOT i.indisunique`)
	if err != nil {
		return nil, err
	}
	var names, defs []string
	for rows.Next() {
		var n, def string
		if err := rows.Scan(&n, &def); err != nil {
			return nil, err
		}
		names, defs = append(names, n), append(defs, def)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, n := range names {
		if _, err := conn.Exec(ctx, "DROP INDEX "+n); err != nil {
			return nil, err
		}
	}
	return defs, nil
}

func createIndexes(ctx context.Context, superURL string, defs []string) error {
	g, ctx := errgroup.WithContext(ctx)
	work := make(chan string, len(defs))
	for _, d := range defs {
		work <- d
	}
	close(work)
	for i := 0; i < Streams; i++ {
		g.Go(func() error {
			conn, err := pgx.Connect(ctx, superURL)
			if err != nil {
				return err
			}
			defer conn.Close(context.Background())
			if _, err := conn.Exec(ctx, `SET maintenance_work_mem = '256MB'`); err != nil {
				return err
			}
			for def := range work {
				if _, err := conn.Exec(ctx, def); err != nil {
					return fmt.Errorf("%s: %w", def, err)
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// parallel runs copy over Streams connections, each taking every Streams-th user.
func parallel(ctx context.Context, superURL string, d *Dataset, table string,
	copy func(ctx context.Context, conn *pgx.Conn, d *Dataset, users []User) error) error {
	g, ctx := errgroup.WithContext(ctx)
	for s := 0; s < Streams; s++ {
		var users []User
		for i := s; i < len(d.Users); i += Streams {
			users = append(users, d.Users[i])
		}
		g.Go(func() error {
			conn, err := pgx.Connect(ctx, superURL)
			if err != nil {
				return err
			}
			defer conn.Close(context.Background())
			// Rows are consistent by construction: skip the per-row foreign key triggers.
			if _, err := conn.Exec(ctx, `SET session_replication_role = replica`); err != nil {
				return err
			}
			return copy(ctx, conn, d, users)
		})
	}
	return g.Wait()
}

func copyUsers(ctx context.Context, conn *pgx.Conn, d *Dataset) error {
	i := 0
	appMeta := []byte(`{"provider":"email","providers":["email"]}`)
	_, err := conn.CopyFrom(ctx, pgx.Identifier{"auth", "users"},
		[]string{"id", "aud", "role", "email", "email_confirmed_at", "raw_app_meta_data", "raw_user_meta_data", "created_at", "updated_at"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i == len(d.Users) {
				return nil, nil
			}
			u := d.Users[i]
			i++
			ts := Base.Add(-time.Duration(len(d.Users)-u.Index) * time.Hour)
			return []any{uuidBytes(userPrefix, u.Index+1), "authenticated", "authenticated", u.Email, ts,
				appMeta, []byte(`{}`), ts, ts}, nil
		}))
	return err
}

var docTypes = []string{"script", "notes", "treatment"}

func copyDocuments(ctx context.Context, conn *pgx.Conn, d *Dataset, users []User) error {
	ui, j := 0, 0
	var r *rand.Rand
	var z *Zipf
	var buf []byte
	_, err := conn.CopyFrom(ctx, pgx.Identifier{"public", "documents"},
		[]string{"id", "title", "content", "user_id", "document_type", "auto_save_version", "created_at", "updated_at"},
		pgx.CopyFromFunc(func() ([]any, error) {
			for ui < len(users) && j == users[ui].Docs {
				ui, j = ui+1, 0
			}
			if ui == len(users) {
				return nil, nil
			}
			u := users[ui]
			if j == 0 {
				r = d.userRand(u.Index, 1)
				z = NewZipf(r, d.Spec.ZipfS, len(d.Vocab))
			}
			title := "Scene " + strconv.Itoa(j+1) + " " + d.Vocab[z.Next()]
			if Deletable(j, u.Docs) {
				title = "Draft " + strconv.Itoa(j+1) + " " + d.Vocab[z.Next()]
			}
			buf = DocContent(buf[:0], d.Vocab, z, r)
			created := DocCreated(u.Index, j)
			row := []any{uuidBytes(docPrefix, u.DocStart+j+1), title, append([]byte(nil), buf...),
				uuidBytes(userPrefix, u.Index+1), docTypes[r.IntN(3)], int32(1), created, created}
			j++
			return row, nil
		}))
	return err
}

// DocContent appends a small Tiptap document (two to four paragraphs) to b.
func DocContent(b []byte, v Vocabulary, z *Zipf, r *rand.Rand) []byte {
	b = append(b, `{"type":"doc","content":[`...)
	n := 2 + r.IntN(3)
	for p := 0; p < n; p++ {
		if p > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"type":"paragraph","content":[{"type":"text","text":"`...)
		b = v.Text(b, z, r, 80+r.IntN(240))
		b = append(b, `"}]}`...)
	}
	return append(b, `]}`...)
}

var fileTypes = []string{"pdf", "docx", "txt"}

func copyFiles(ctx context.Context, conn *pgx.Conn, d *Dataset, users []User) error {
	ui, j := 0, 0
	var r *rand.Rand
	var z *Zipf
	var buf []byte
	fileBase := make(map[int]int, len(users))
	n := 0
	for _, u := range d.Users {
		fileBase[u.Index] = n
		n += u.Files
	}
	_, err := conn.CopyFrom(ctx, pgx.Identifier{"public", "knowledge_files"},
		[]string{"id", "filename", "file_type", "content", "scope", "file_size", "user_id", "document_id", "created_at"},
		pgx.CopyFromFunc(func() ([]any, error) {
			for ui < len(users) && j == users[ui].Files {
				ui, j = ui+1, 0
			}
			if ui == len(users) {
				return nil, nil
			}
			u := users[ui]
			if j == 0 {
				r = d.userRand(u.Index, 2)
				z = NewZipf(r, d.Spec.ZipfS, len(d.Vocab))
			}
			ft := fileTypes[r.IntN(3)]
			buf = d.Vocab.Text(buf[:0], z, r, d.fileSize(r))
			scope, docID := "global", any(nil)
			if r.IntN(5) == 0 && u.Docs >= 2 {
				scope, docID = "document", uuidBytes(docPrefix, u.DocStart+r.IntN(u.Docs/2)+1)
			}
			row := []any{uuidBytes(filePrefix, fileBase[u.Index]+j+1), d.Vocab[z.Next()] + "_" + strconv.Itoa(j+1) + "." + ft,
				ft, string(buf), scope, int32(len(buf)), uuidBytes(userPrefix, u.Index+1), docID,
				Base.Add(time.Duration(j)*11*time.Minute + time.Duration(u.Index)*time.Second)}
			j++
			return row, nil
		}))
	return err
}
