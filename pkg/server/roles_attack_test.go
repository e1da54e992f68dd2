package server_test

import (
	"testing"
	"time"

	"github.com/rocksteady/rocksteady/pkg/devkeys"
)

// Tokens and roles (issue 9): a correctly signed token may still claim a role the login
// role cannot become, or a role name built to break out of quoting. Each is refused with
// PostgREST's answer and none reaches the data; the service role bypasses RLS only when
// its own key or token is presented.

const outsiderRole = `
CREATE ROLE outsider NOLOGIN BYPASSRLS;
GRANT ALL ON public.documents TO outsider;`

func permissionDeniedToSet(role string) string {
	return `{"code":"42501","details":null,"hint":null,"message":"permission denied to set role \"` + role + `\""}`
}

func roleDoesNotExist(shown string) string {
	return `{"code":"22023","details":null,"hint":null,"message":"role \"` + shown + `\" does not exist"}`
}

func TestTokensClaimingForbiddenOrOddRoles(t *testing.T) {
	e := start(t, rlsRows+outsiderRole)
	docs := rlsTables[0]
	before := e.state(t, docs)
	cases := []struct {
		name   string
		role   any
		status int
		body   string
		www    string
	}{
		{"superuser", "postgres", 403, permissionDeniedToSet("postgres"), ""},
		{"existing role not granted to authenticator", "outsider", 403, permissionDeniedToSet("outsider"), ""},
		{"predefined role", "pg_read_all_data", 403, permissionDeniedToSet("pg_read_all_data"), ""},
		{"database owner role", "pg_database_owner", 403, permissionDeniedToSet("pg_database_owner"), ""},
		{"the login role itself has no grants", "authenticator", 403,
			`{"code":"42501","details":null,"hint":null,"message":"permission denied for table documents"}`, ""},
		{"quote and statement", `"; DROP TABLE documents; --`, 401, roleDoesNotExist(`\"; DROP TABLE documents; --`), "Bearer"},
		{"quote after a real role", `service_role"; --`, 401, roleDoesNotExist(`service_role\"; --`), "Bearer"},
		{"single quote", `service_role'; RESET ROLE; --`, 401, roleDoesNotExist(`service_role'; RESET ROLE; --`), "Bearer"},
		{"semicolon", "anon;service_role", 401, roleDoesNotExist("anon;service_role"), "Bearer"},
		{"space", "service role", 401, roleDoesNotExist("service role"), "Bearer"},
		{"trailing space", "service_role ", 401, roleDoesNotExist("service_role "), "Bearer"},
		{"case", "Service_Role", 401, roleDoesNotExist("Service_Role"), "Bearer"},
		{"unicode", "sérvice_rolé", 401, roleDoesNotExist("sérvice_rolé"), "Bearer"},
		{"look-alike", "ѕervice_role", 401, roleDoesNotExist("ѕervice_role"), "Bearer"},
		{"empty", "", 401, roleDoesNotExist(""), "Bearer"},
		{"number", 5, 401, roleDoesNotExist("5"), "Bearer"},
		{"array", []any{"service_role"}, 401, roleDoesNotExist(`[\"service_role\"]`), "Bearer"},
		{"object", map[string]any{"role": "service_role"}, 401, roleDoesNotExist(`{\"role\":\"service_role\"}`), "Bearer"},
		{"NUL byte", "service_role\x00", 400, `{"code":"22021","details":null,"hint":null,"message":"invalid byte sequence for encoding \"UTF8\": 0x00"}`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			token := "Bearer " + sign(map[string]any{"role": c.role, "sub": alice, "exp": time.Now().Add(time.Hour).Unix()})
			for _, req := range []struct{ method, path, body string }{
				{"GET", "/documents?select=id", ""},
				{"HEAD", "/documents", ""},
				{"POST", "/documents", `{"title":"x","user_id":"` + bob + `"}`},
				{"PATCH", "/documents", `{"title":"taken"}`},
				{"DELETE", "/documents", ""},
				{"POST", "/rpc/search_knowledge_files", `{"search_query":"dragon","user_uuid":"` + bob + `"}`},
			} {
				r := e.do(req.method, req.path, req.body, "Authorization", token, "apikey", e.anonKey)
				want := c.body
				if req.method == "HEAD" {
					want = ""
				}
				if c.role == "authenticator" && req.path == "/rpc/search_knowledge_files" {
					// PUBLIC may execute it, and it answers only for the token's own sub.
					r.expect(t, 200, "[]")
					continue
				}
				r.expect(t, c.status, want)
				r.expectHeader(t, "WWW-Authenticate", c.www)
			}
		})
	}
	if got := e.state(t, docs); got != before {
		t.Fatalf("the documents changed:\n%s\nwas\n%s", got, before)
	}
}

func TestServiceRoleBypassesRLSOnlyWithItsCredentials(t *testing.T) {
	e := start(t, rlsRows)
	all := "[{\"id\":\"d0000000-0000-0000-0000-00000000000a\"}, \n {\"id\":\"d0000000-0000-0000-0000-00000000000b\"}]"
	aliceOnly := `[{"id":"d0000000-0000-0000-0000-00000000000a"}]`
	now := time.Now()
	wrongKey := "another-secret-another-secret-0123"
	cases := []struct {
		name    string
		headers []string
		status  int
		body    string
	}{
		{"service key as apikey", []string{"apikey", e.service}, 200, all},
		{"service token as bearer", []string{"apikey", e.anonKey, "Authorization", "Bearer " + e.service}, 200, all},
		{"a user token wins over the service apikey", []string{"apikey", e.service, "Authorization", "Bearer " + e.userToken(alice)}, 200, aliceOnly},
		{"the anon key wins over the service apikey", []string{"apikey", e.service, "Authorization", "Bearer " + e.anonKey}, 200, "[]"},
		{"service role claim signed with another key", []string{"Authorization", "Bearer " + devkeys.APIKey(wrongKey, "service_role", now)}, 401,
			`{"code":"PGRST301","details":"None of the keys was able to decode the JWT","hint":null,"message":"No suitable key or wrong key type"}`},
		{"expired service token", []string{"Authorization", "Bearer " + sign(map[string]any{"role": "service_role", "exp": now.Add(-time.Hour).Unix()})}, 401,
			`{"code":"PGRST303","details":null,"hint":null,"message":"JWT expired"}`},
		{"service_role in app_metadata", []string{"Authorization", "Bearer " + sign(map[string]any{"role": "authenticated", "sub": alice,
			"app_metadata": map[string]any{"role": "service_role"}, "user_role": "service_role"})}, 200, aliceOnly},
		{"role-looking headers are ignored", []string{"apikey", e.anonKey, "X-Role", "service_role", "Role", "service_role", "X-Postgres-Role", "postgres"}, 200, "[]"},
		{"a tampered payload", []string{"Authorization", "Bearer " + tamper(e.userToken(alice))}, 401,
			`{"code":"PGRST301","details":"None of the keys was able to decode the JWT","hint":null,"message":"No suitable key or wrong key type"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.do("GET", "/documents?select=id&order=id", "", c.headers...).expect(t, c.status, c.body)
		})
	}
	// A role= query parameter is a filter on a column, not a way to pick a role.
	e.do("GET", "/documents?select=id&role=eq.service_role", "", "apikey", e.anonKey).
		expect(t, 400, `{"code":"42703","details":null,"hint":null,"message":"column documents.role does not exist"}`)
}

// tamper swaps a signed token's payload for one claiming the service role, keeping the
// original signature.
func tamper(token string) string {
	forged := devkeys.Sign("x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x", map[string]any{"role": "service_role"})
	h, p, s := split3(token)
	_, fp, _ := split3(forged)
	_ = p
	return h + "." + fp + "." + s
}

func split3(token string) (string, string, string) {
	var parts [3]string
	i := 0
	for _, c := range token {
		if c == '.' && i < 2 {
			i++
			continue
		}
		parts[i] += string(c)
	}
	return parts[0], parts[1], parts[2]
}
