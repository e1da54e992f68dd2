package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/rocksteady/rocksteady/pkg/apireq"
	"github.com/rocksteady/rocksteady/pkg/auth"
	"github.com/rocksteady/rocksteady/pkg/config"
	"github.com/rocksteady/rocksteady/pkg/devkeys"
	"github.com/rocksteady/rocksteady/pkg/pgtest"
	"github.com/rocksteady/rocksteady/pkg/plan"
	"github.com/rocksteady/rocksteady/pkg/schema"
	"github.com/rocksteady/rocksteady/pkg/txn"
)

// BenchmarkPointReadStages measures the Go side of a supabase-js point read without the
// database: auth, parse, plan, SQL, settings, and the response from a result row fetched
// once. The database is only used to load the schema and that row, so the numbers are
// steadier than BenchmarkPointRead's.
func BenchmarkPointReadStages(b *testing.B) {
	const secret = "reallyreallyreallyreallyverysafe"
	const user = "00000000-0000-0000-0000-00000000000a"
	db := pgtest.NewDB(b, "migrated", pgtest.Migrated)
	db.Exec(b, `INSERT INTO auth.users(id, email, role, aud) VALUES ($1, 'alice@example.com', 'authenticated', 'authenticated')`, user)
	db.Exec(b, `INSERT INTO documents(id, title, content, user_id, created_at, updated_at) VALUES
		('d1000000-0000-4000-8000-000000000001', 'Opening Scene', '{"type":"doc"}', $1, '2024-01-01T09:00:00Z', '2024-01-05T09:00:00Z')`, user)
	vars := map[string]string{"PGRST_DB_URI": db.URLAs("authenticator"), "PGRST_DB_SCHEMAS": "public",
		"PGRST_DB_ANON_ROLE": "anon", "PGRST_JWT_SECRET": secret}
	cfg, err := config.Load(func(k string) string { return vars[k] }, nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	pcfg, err := txn.PoolConfig(cfg.DBURI, cfg.DBPool, 0, 0)
	if err != nil {
		b.Fatal(err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	cache := schema.NewCache(func(ctx context.Context) (*schema.Snapshot, error) { return schema.Load(ctx, pool, cfg.DBSchemas) })
	if err := cache.Reload(ctx); err != nil {
		b.Fatal(err)
	}
	authn, err := auth.New(auth.Config{Secret: cfg.JWTSecret, AnonRole: cfg.DBAnonRole, CacheMaxEntries: cfg.JWTCacheMaxEntries})
	if err != nil {
		b.Fatal(err)
	}
	p := newPipeline(cfg, Stages{Auth: authn, Schema: cache, Runner: txn.New(pool)}, slog.New(slog.NewTextHandler(io.Discard, nil)))

	ec := newEcho()
	now := time.Now()
	for _, accept := range []string{"*/*", "application/vnd.pgrst.object+json"} {
		r := httptest.NewRequest("GET", "/rest/v1/documents?select=*&id=eq.d1000000-0000-4000-8000-000000000001", nil)
		r.Header = http.Header{
			"Apikey":          {devkeys.APIKey(secret, "anon", now)},
			"Authorization":   {"Bearer " + devkeys.UserToken(secret, user, "alice@example.com", now, time.Hour)},
			"X-Client-Info":   {"supabase-js/2.109.0; runtime=node; runtime-version=20.20.2"},
			"Accept-Profile":  {"public"},
			"Accept":          {accept},
			"Accept-Encoding": {"gzip, deflate"},
			"Accept-Language": {"*"},
			"Sec-Fetch-Mode":  {"cors"},
			"User-Agent":      {"node"},
		}
		// The stages as pipeline.handle and pipeline.read run them, minus the database.
		var res *txn.Result
		stages := func() {
			who, err := p.st.Auth.Authenticate(r.Header.Get("Authorization"), apiKey(r))
			if err != nil {
				b.Fatal(err)
			}
			req, err := apireq.Parse(r.Method, r.URL.EscapedPath(), withoutAPIKey(r.URL.RawQuery), r.Header, nil, p.reqOpts)
			if err != nil {
				b.Fatal(err)
			}
			planned, err := plan.Build(req, cache.Current(), p.planOpt)
			if err != nil {
				b.Fatal(err)
			}
			pl := planned.(*plan.Read)
			q, e := p.readQuery(ctx, r, req, who, pl)
			if e != nil {
				b.Fatal(e)
			}
			if res == nil {
				if res, err = p.st.Runner.Run(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
			resp, e := p.readResponse(req, pl, res)
			if e != nil || resp.Status != http.StatusOK || len(resp.Body) < 100 {
				b.Fatalf("%v %+v", e, resp)
			}
			w := discardWriter{http.Header{}}
			c := ec.AcquireContext()
			c.Reset(r, w)
			if err := write(c, resp); err != nil {
				b.Fatal(err)
			}
			ec.ReleaseContext(c)
		}
		name := "list"
		if accept != "*/*" {
			name = "object"
		}
		b.Run(name, func(b *testing.B) {
			stages()
			b.ReportAllocs()
			for b.Loop() {
				stages()
			}
		})
	}
}

// discardWriter is an http.ResponseWriter that keeps only the header map.
type discardWriter struct{ h http.Header }

func (w discardWriter) Header() http.Header         { return w.h }
func (w discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w discardWriter) WriteHeader(int)             {}
