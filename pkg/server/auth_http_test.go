package server_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/rocksteady/rocksteady/pkg/devkeys"
)

const whoami = `
CREATE VIEW public.whoami AS SELECT current_user AS "user", auth.uid() AS uid;
GRANT SELECT ON public.whoami TO anon, authenticated, service_role;`

func sign(claims map[string]any) string { return devkeys.Sign(testSecret, claims) }

func TestTokenMatrix(t *testing.T) {
	e := start(t, whoami)
	now := time.Now().Unix()
	unsigned := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." +
		base64.RawURLEncoding.EncodeToString([]byte(`{"role":"service_role"}`)) + "."
	cases := []struct {
		name, authorization string
		status              int
		body, www           string
	}{
		{"valid user", "Bearer " + e.userToken(alice), 200, `[{"user":"authenticated","uid":"` + alice + `"}]`, ""},
		{"bearer is case-insensitive", "bearer " + e.userToken(alice), 200, `[{"user":"authenticated","uid":"` + alice + `"}]`, ""},
		{"no role claim is anonymous", "Bearer " + sign(map[string]any{"sub": alice, "exp": now + 60}), 200, `[{"user":"anon","uid":"` + alice + `"}]`, ""},
		{"other scheme is anonymous", "Basic dXNlcjpwYXNz", 200, `[{"user":"anon","uid":null}]`, ""},
		{"expired", "Bearer " + sign(map[string]any{"role": "authenticated", "exp": now - 120}), 401,
			`{"code":"PGRST303","details":null,"hint":null,"message":"JWT expired"}`, `Bearer error="invalid_token", error_description="JWT expired"`},
		{"expired within skew", "Bearer " + sign(map[string]any{"role": "authenticated", "exp": now - 10}), 200, `[{"user":"authenticated","uid":null}]`, ""},
		{"future nbf", "Bearer " + sign(map[string]any{"role": "authenticated", "nbf": now + 600}), 401,
			`{"code":"PGRST303","details":null,"hint":null,"message":"JWT not yet valid"}`, `Bearer error="invalid_token", error_description="JWT not yet valid"`},
		{"future iat", "Bearer " + sign(map[string]any{"role": "authenticated", "iat": now + 600}), 401,
			`{"code":"PGRST303","details":null,"hint":null,"message":"JWT issued at future"}`, `Bearer error="invalid_token", error_description="JWT issued at future"`},
		{"wrong key", "Bearer " + devkeys.Sign("another-secret-another-secret-0123", map[string]any{"role": "service_role"}), 401,
			`{"code":"PGRST301","details":"None of the keys was able to decode the JWT","hint":null,"message":"No suitable key or wrong key type"}`,
			`Bearer error="invalid_token", error_description="No suitable key or wrong key type"`},
		{"alg none", "Bearer " + unsigned, 401,
			`{"code":"PGRST301","details":"JWT is unsecured but expected 'alg' was not 'none'","hint":null,"message":"Wrong or unsupported encoding algorithm"}`,
			`Bearer error="invalid_token", error_description="Wrong or unsupported encoding algorithm"`},
		{"two parts", "Bearer abc.def", 401,
			`{"code":"PGRST301","details":null,"hint":null,"message":"Expected 3 parts in JWT; got 2"}`,
			`Bearer error="invalid_token", error_description="Expected 3 parts in JWT; got 2"`},
		{"empty bearer", "Bearer ", 401,
			`{"code":"PGRST301","details":null,"hint":null,"message":"Empty JWT is sent in Authorization header"}`,
			`Bearer error="invalid_token", error_description="Empty JWT is sent in Authorization header"`},
		{"unknown role", "Bearer " + sign(map[string]any{"role": "not existing"}), 401,
			`{"code":"22023","details":null,"hint":null,"message":"role \"not existing\" does not exist"}`, "Bearer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do("GET", "/whoami", "", "Authorization", c.authorization)
			r.expect(t, c.status, c.body)
			r.expectHeader(t, "WWW-Authenticate", c.www)
		})
	}
}

func TestAuthErrorsComeBeforeRouting(t *testing.T) {
	e := start(t, "")
	r := e.do("GET", "/nonexistent", "", "Authorization", "Bearer abc.def")
	if r.status != 401 || !strings.Contains(r.body, "PGRST301") {
		t.Fatalf("got %d %s", r.status, r.body)
	}
}

func TestAnonymousDisabled(t *testing.T) {
	e := start(t, whoami, withEnv("PGRST_DB_ANON_ROLE", ""))
	r := e.do("GET", "/whoami", "")
	r.expect(t, 401, `{"code":"PGRST302","details":null,"hint":null,"message":"Anonymous access is disabled"}`)
	r.expectHeader(t, "WWW-Authenticate", "Bearer")
}

func TestSupabaseKeys(t *testing.T) {
	const pub, sec = "sb_publishable_abcdefghijklmnopqrstuv_12345678", "sb_secret_abcdefghijklmnopqrstuv_12345678"
	e := start(t, whoami, withEnv("ROCKSTEADY_PUBLISHABLE_KEYS", pub), withEnv("ROCKSTEADY_SECRET_KEYS", sec))
	user := e.userToken(bob)
	cases := []struct {
		name    string
		headers []string
		body    string
	}{
		{"legacy anon key as apikey only", []string{"apikey", e.anonKey}, `[{"user":"anon","uid":null}]`},
		{"service key as apikey only", []string{"apikey", e.service}, `[{"user":"service_role","uid":null}]`},
		{"publishable key, supabase-js style", []string{"apikey", pub, "Authorization", "Bearer " + pub}, `[{"user":"anon","uid":null}]`},
		{"secret key", []string{"apikey", sec, "Authorization", "Bearer " + sec}, `[{"user":"service_role","uid":null}]`},
		{"user token wins over the secret key", []string{"apikey", sec, "Authorization", "Bearer " + user}, `[{"user":"authenticated","uid":"` + bob + `"}]`},
		{"apikey query parameter", nil, `[{"user":"service_role","uid":null}]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := "/rest/v1/whoami"
			if c.headers == nil {
				path += "?apikey=" + sec
			}
			e.do("GET", path, "", c.headers...).expect(t, 200, c.body)
		})
	}
}

func TestRequiredAPIKey(t *testing.T) {
	const pub = "sb_publishable_abcdefghijklmnopqrstuv_12345678"
	e := start(t, whoami, withEnv("ROCKSTEADY_REQUIRE_APIKEY", "true"), withEnv("ROCKSTEADY_PUBLISHABLE_KEYS", pub))
	e.do("GET", "/rest/v1/whoami", "").expect(t, 401, "{\"message\":\"No API key found in request\",\"hint\":\"No `apikey` request header or url param was found.\"}")
	e.do("GET", "/rest/v1/whoami", "", "apikey", "sb_publishable_wrong").expect(t, 401, "{\"message\":\"Invalid API key\",\"hint\":\"Double check your Supabase `anon` or `service_role` API key.\"}")
	e.do("GET", "/rest/v1/whoami", "", "apikey", pub).expect(t, 200, `[{"user":"anon","uid":null}]`)
	e.do("GET", "/rest/v1/whoami", "", "apikey", e.anonKey, "Authorization", "Bearer "+e.userToken(alice)).expect(t, 200, `[{"user":"authenticated","uid":"`+alice+`"}]`)
	// A CORS preflight needs no key.
	r := e.do("OPTIONS", "/rest/v1/whoami", "", "Origin", "http://app.example", "Access-Control-Request-Method", "GET")
	if r.status != 200 {
		t.Fatalf("preflight: %d %s", r.status, r.body)
	}
}

func TestCORS(t *testing.T) {
	e := start(t, whoami)
	r := e.do("OPTIONS", "/", "", "Origin", "http://example.com", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "Foo,Bar")
	r.expect(t, 200, "")
	r.expectHeader(t, "Access-Control-Allow-Origin", "*")
	r.expectHeader(t, "Access-Control-Allow-Methods", "GET, POST, PATCH, PUT, DELETE, OPTIONS, HEAD")
	r.expectHeader(t, "Access-Control-Allow-Headers", "Authorization, Foo, Bar, Accept, Accept-Language, Content-Language")
	r.expectHeader(t, "Access-Control-Max-Age", "86400")
	r = e.do("GET", "/whoami", "", "Origin", "http://example.com")
	r.expectHeader(t, "Access-Control-Allow-Origin", "*")
	if !strings.Contains(r.header.Get("Access-Control-Expose-Headers"), "Content-Range") {
		t.Fatalf("Content-Range not exposed: %q", r.header.Get("Access-Control-Expose-Headers"))
	}
	r = e.do("GET", "/whoami", "")
	r.expectHeader(t, "Access-Control-Allow-Origin", "")
}

func TestRoutingErrors(t *testing.T) {
	e := start(t, "")
	e.do("GET", "/first/second/third", "").expect(t, 404, `{"code":"PGRST125","details":null,"hint":null,"message":"Invalid path specified in request URL"}`)
	e.do("TRACE", "/documents", "").expect(t, 405, `{"code":"PGRST117","details":null,"hint":null,"message":"Unsupported HTTP method: TRACE"}`)
	r := e.do("OPTIONS", "/documents", "")
	r.expect(t, 200, "")
	r.expectHeader(t, "Allow", "OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE")
}
