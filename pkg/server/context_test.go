package server_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// A view that reports what the request's transaction sees.
const contextView = `
CREATE VIEW public.request_context AS SELECT
  current_user AS "user",
  current_setting('request.method', true) AS method,
  current_setting('request.path', true) AS path,
  current_setting('request.headers', true)::json->>'x-trace' AS trace,
  current_setting('request.cookies', true) AS cookies,
  auth.uid() AS uid,
  auth.role() AS jwt_role,
  current_setting('search_path') AS search_path,
  current_setting('statement_timeout') AS statement_timeout,
  current_setting('transaction_read_only') AS read_only,
  current_setting('app.settings.greeting', true) AS greeting;
GRANT SELECT ON public.request_context TO anon, authenticated, service_role;`

func contextOf(t *testing.T, r reply) map[string]any {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.body), &rows); err != nil || len(rows) != 1 {
		t.Fatalf("body %s: %v", r.body, err)
	}
	return rows[0]
}

func TestRequestContextAsUser(t *testing.T) {
	e := start(t, contextView, withEnv("PGRST_APP_SETTINGS_greeting", "hello"))
	r := e.do("GET", "/rest/v1/request_context", "", "Authorization", "Bearer "+e.userToken(alice),
		"X-Trace", "abc", "Cookie", "session=s1; theme=dark")
	got := contextOf(t, r)
	want := map[string]any{
		"user": "authenticated", "method": "GET", "path": "/rest/v1/request_context", "trace": "abc",
		"cookies": `{"session":"s1","theme":"dark"}`, "uid": alice, "jwt_role": "authenticated",
		"search_path": `"public", "public"`, "statement_timeout": "8s", "read_only": "on", "greeting": "hello",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}

func TestRequestContextAsAnonAndService(t *testing.T) {
	e := start(t, contextView)
	got := contextOf(t, e.do("GET", "/request_context", ""))
	if got["user"] != "anon" || got["uid"] != nil || got["jwt_role"] != "anon" || got["statement_timeout"] != "3s" || got["cookies"] != "{}" {
		t.Fatalf("anon context %v", got)
	}
	got = contextOf(t, e.do("GET", "/request_context", "", "Authorization", "Bearer "+e.service))
	if got["user"] != "service_role" || got["jwt_role"] != "service_role" {
		t.Fatalf("service context %v", got)
	}
}

func TestNothingLeaksBetweenRequests(t *testing.T) {
	e := start(t, contextView, withEnv("PGRST_DB_POOL", "1"))
	e.do("GET", "/request_context", "", "Authorization", "Bearer "+e.userToken(alice))
	got := contextOf(t, e.do("GET", "/request_context", ""))
	if got["uid"] != nil || got["user"] != "anon" || got["trace"] != nil {
		t.Fatalf("the second request saw the first one's context: %v", got)
	}
}

func TestOneRoundTripPerRead(t *testing.T) {
	e := start(t, twoDocuments)
	token := e.userToken(alice)
	e.do("GET", "/documents", "", "Authorization", "Bearer "+token) // warm the pool
	before := e.runner.RoundTrips()
	for i := 0; i < 5; i++ {
		e.do("GET", "/documents?select=id,title&order=created_at.desc&limit=20", "", "Authorization", "Bearer "+token).expect(t, 200,
			`[{"id":"d0000000-0000-0000-0000-00000000000a","title":"Alice draft"}]`)
	}
	if n := e.runner.RoundTrips() - before; n != 5 {
		t.Fatalf("5 reads took %d round trips to PostgreSQL, want 5", n)
	}
}

func TestPreRequestRunsFirst(t *testing.T) {
	e := start(t, contextView+`
CREATE FUNCTION public.check_request() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('request.headers', true)::json->>'x-block' = 'yes' THEN
    RAISE EXCEPTION 'blocked by pre-request' USING HINT = 'drop the header';
  END IF;
  PERFORM set_config('app.settings.greeting', 'from pre-request', true);
END $$;`, withEnv("PGRST_DB_PRE_REQUEST", "public.check_request"))
	got := contextOf(t, e.do("GET", "/request_context", ""))
	if got["greeting"] != "from pre-request" {
		t.Fatalf("pre-request did not run before the statement: %v", got)
	}
	e.do("GET", "/request_context", "", "X-Block", "yes").expect(t, 400,
		`{"code":"P0001","details":null,"hint":"drop the header","message":"blocked by pre-request"}`)
}

func TestReadsAreReadOnly(t *testing.T) {
	e := start(t, `
CREATE TABLE public.hits(n int);
CREATE FUNCTION public.bump() RETURNS int LANGUAGE sql VOLATILE AS $$ INSERT INTO public.hits VALUES (1) RETURNING n $$;
CREATE VIEW public.sneaky AS SELECT public.bump() AS n;
GRANT ALL ON public.hits, public.sneaky TO anon;`)
	r := e.do("GET", "/sneaky", "")
	if r.status != 405 || !strings.Contains(r.body, `"code":"25006"`) {
		t.Fatalf("got %d %s", r.status, r.body)
	}
	var n int
	e.db.QueryRow(t, `SELECT count(*) FROM public.hits`, []any{&n})
	if n != 0 {
		t.Fatal("a GET wrote to the database")
	}
}

func TestPreRequestRunsOnWrites(t *testing.T) {
	e := start(t, `
CREATE FUNCTION public.check_request() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('request.method', true) <> 'GET' AND current_setting('request.headers', true)::json->>'x-block' = 'yes' THEN
    RAISE EXCEPTION 'writes blocked by pre-request';
  END IF;
END $$;`, withEnv("PGRST_DB_PRE_REQUEST", "public.check_request"))
	token := "Bearer " + e.userToken(alice)
	body := `{"title":"t","user_id":"` + alice + `"}`
	e.do("POST", "/documents", body, "Authorization", token, "Content-Type", "application/json", "X-Block", "yes").expect(t, 400,
		`{"code":"P0001","details":null,"hint":null,"message":"writes blocked by pre-request"}`)
	var n int
	e.db.QueryRow(t, `SELECT count(*) FROM documents`, []any{&n})
	if n != 0 {
		t.Fatal("the write went through although the pre-request refused it")
	}
	e.do("POST", "/documents", body, "Authorization", token, "Content-Type", "application/json").expect(t, 201, "")
}
