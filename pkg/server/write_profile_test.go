package server_test

import "testing"

const profileFixture = writeFixtures + `
CREATE SCHEMA v2;
GRANT USAGE ON SCHEMA v2 TO anon, authenticated, service_role;
CREATE TABLE v2.items (id integer PRIMARY KEY, name text);
GRANT ALL ON v2.items TO service_role;
CREATE FUNCTION v2.nothing() RETURNS void LANGUAGE sql AS $$ $$;
CREATE FUNCTION v2.one() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA v2 TO service_role;
`

// Content-Profile comes with responses that have a Content-Type (§5.8): a write with a
// representation, never a 201/204 without a body.
func TestWriteContentProfile(t *testing.T) {
	e := start(t, profileFixture, withEnv("PGRST_DB_SCHEMAS", "public,v2"))
	v2 := func(h ...string) []string { return e.svcWith(append([]string{"Content-Profile", "v2"}, h...)...) }
	for _, tc := range []struct {
		name, method, path, body string
		headers                  []string
		status                   int
		profile                  string
	}{
		{"insert minimal", "POST", "/items", `{"id":1}`, v2(), 201, ""},
		{"insert headers-only", "POST", "/items", `{"id":2}`, v2("Prefer", "return=headers-only"), 201, ""},
		{"insert representation", "POST", "/items", `{"id":3}`, v2("Prefer", "return=representation"), 201, "v2"},
		{"update minimal", "PATCH", "/items?id=eq.1", `{"name":"a"}`, v2(), 204, ""},
		{"update representation", "PATCH", "/items?id=eq.1", `{"name":"b"}`, v2("Prefer", "return=representation"), 200, "v2"},
		{"put minimal", "PUT", "/items?id=eq.4", `{"id":4}`, v2(), 204, ""},
		{"put representation", "PUT", "/items?id=eq.4", `{"id":4}`, v2("Prefer", "return=representation"), 200, "v2"},
		{"delete minimal", "DELETE", "/items?id=eq.2", ``, v2(), 204, ""},
		{"delete representation", "DELETE", "/items?id=eq.3", ``, v2("Prefer", "return=representation"), 200, "v2"},
		{"rpc void", "POST", "/rpc/nothing", `{}`, v2(), 204, ""},
		{"rpc scalar", "POST", "/rpc/one", `{}`, v2(), 200, "v2"},
		// Several schemas and no profile header: the default schema is named, still only
		// with a body.
		{"default minimal", "POST", "/items", `{"id":100}`, e.svc(), 201, ""},
		{"default representation", "POST", "/items?select=id", `{"id":101}`, e.svcWith("Prefer", "return=representation"), 201, "public"},
	} {
		r := e.do(tc.method, tc.path, tc.body, tc.headers...)
		if r.status != tc.status {
			t.Fatalf("%s: %d %s", tc.name, r.status, r.body)
		}
		r.expectHeader(t, "Content-Profile", tc.profile)
		if tc.profile == "" {
			r.expectHeader(t, "Content-Type", "")
		}
	}
	if got := e.scalar(t, `SELECT string_agg(id || ':' || coalesce(name, '-'), ',' ORDER BY id) FROM v2.items`); got != "1:b,4:-" {
		t.Fatalf("v2.items: %s", got)
	}
}
