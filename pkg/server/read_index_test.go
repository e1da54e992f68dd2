package server_test

import (
	"strings"
	"testing"
)

// seedAccessPatterns gives ID8COMPOSER's tables enough rows that a sequential scan loses:
// two users with 10,000 documents and 10,000 knowledge files each (so filtering by user
// alone keeps half the table); scripts and files mentioning dragons are rare, and all
// belong to the first user.
const seedAccessPatterns = `
INSERT INTO auth.users(id, email, role, aud)
SELECT ('00000000-0000-0000-0000-' || lpad(u::text, 12, '0'))::uuid, 'user' || u || '@example.com', 'authenticated', 'authenticated'
FROM generate_series(1, 2) u;
INSERT INTO public.documents(title, content, user_id, created_at)
SELECT 'doc ' || g,
       CASE WHEN g % 1000 = 0 THEN '{"type": "script", "scenes": 3}'::jsonb ELSE jsonb_build_object('type', 'notes', 'n', g) END,
       ('00000000-0000-0000-0000-' || lpad((g % 2 + 1)::text, 12, '0'))::uuid,
       timestamptz '2026-01-01' - g * interval '1 minute'
FROM generate_series(1, 20000) g;
INSERT INTO public.knowledge_files(filename, file_type, content, user_id)
SELECT 'file' || g || '.txt', 'txt',
       'notes about the story ' || CASE WHEN g % 2000 = 0 THEN 'with a dragon' ELSE 'and the weather number ' || g END,
       ('00000000-0000-0000-0000-' || lpad((g % 2 + 1)::text, 12, '0'))::uuid
FROM generate_series(1, 20000) g;
-- What autovacuum does on a live system: move the GIN indexes' pending lists into the
-- indexes proper (the planner prices pending entries as a scan of them) and analyze.
SELECT gin_clean_pending_list('public.idx_documents_content'::regclass), gin_clean_pending_list('public.idx_knowledge_files_search'::regclass);
ANALYZE public.documents;
ANALYZE public.knowledge_files;
`

// accessPatterns are the seed's reads with the index each should use.
func accessPatterns(user string) []struct{ path, index string } {
	return []struct{ path, index string }{
		{"/documents?select=id,title,created_at&user_id=eq." + user + "&created_at=lt.2025-12-20T00:00:00Z&order=created_at.desc&limit=20", "idx_documents_user_created"},
		{"/documents?select=id,title&content=cs.%7B%22type%22:%22script%22%7D", "idx_documents_content"},
		{"/knowledge_files?select=id,filename&content_vector=wfts(english).dragon", "idx_knowledge_files_search"},
	}
}

// expectIndex asks the real pipeline for a request's plan (application/vnd.pgrst.plan:
// the generated statement under EXPLAIN, in the request's transaction with its role and
// claims, RLS included) and checks it uses index and no sequential scan.
func (e *env) expectIndex(t *testing.T, token, path, index string) {
	t.Helper()
	r := e.get(path, "Authorization", token, "Accept", "application/vnd.pgrst.plan+text")
	if r.status != 200 {
		t.Fatalf("%s: %d %s", path, r.status, r.body)
	}
	if !strings.Contains(r.body, index) || strings.Contains(r.body, "Seq Scan") {
		t.Errorf("%s: plan does not use %s (or scans sequentially):\n%s", path, index, r.body)
	}
}

// TestReadAccessPatternsUseIndexes checks the plans of the seed's access patterns.
//
// Under RLS PostgreSQL only uses an index for a user's filter when the operator's
// function is leakproof (the policy's condition must be able to run first). The cursor
// pattern's btree operators are; jsonb @> (jsonb_contains) and tsvector @@ (ts_match_vq)
// are not, so for the authenticated role those two scan the user's rows through the
// user_id index, and use their GIN index for roles that bypass RLS, or once a superuser
// marks both functions LEAKPROOF (shown below on this test's own database).
func TestReadAccessPatternsUseIndexes(t *testing.T) {
	e := start(t, seedAccessPatterns, withEnv("PGRST_DB_PLAN_ENABLED", "true"))
	user := "00000000-0000-0000-0000-000000000001"
	token := "Bearer " + e.userToken(user)
	patterns := accessPatterns(user)
	e.expectIndex(t, token, patterns[0].path, patterns[0].index)
	for _, p := range patterns {
		e.expectIndex(t, "Bearer "+e.service, p.path, p.index)
	}
	e.db.Exec(t, `ALTER FUNCTION pg_catalog.jsonb_contains(jsonb, jsonb) LEAKPROOF;
		ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF`)
	for _, p := range patterns {
		e.expectIndex(t, token, p.path, p.index)
	}

	// The same requests answer with the user's rows only.
	r := e.get("/documents?select=title&user_id=eq."+user+"&created_at=lt.2025-12-20T00:00:00Z&order=created_at.desc&limit=2", "Authorization", token)
	r.expect(t, 200, rows(`{"title":"doc 17282"}`, `{"title":"doc 17284"}`))
	r = e.get("/documents?select=title&content=cs.%7B%22type%22:%22script%22%7D&order=created_at.desc&limit=1", "Authorization", token, "Prefer", "count=exact")
	r.expect(t, 206, `[{"title":"doc 1000"}]`)
	r.expectHeader(t, "Content-Range", "0-0/20")
	other := "Bearer " + e.userToken("00000000-0000-0000-0000-000000000002")
	r = e.get("/documents?select=title&content=cs.%7B%22type%22:%22script%22%7D", "Authorization", other, "Prefer", "count=exact")
	r.expect(t, 200, `[]`)
	r.expectHeader(t, "Content-Range", "*/0")
	r = e.get("/knowledge_files?select=filename&content_vector=wfts(english).dragon&order=filename&limit=1", "Authorization", token, "Prefer", "count=exact")
	r.expect(t, 206, `[{"filename":"file10000.txt"}]`)
	r.expectHeader(t, "Content-Range", "0-0/10")
}
