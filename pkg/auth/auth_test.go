package auth

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// outcome is what one token must produce: either a role (and optionally exact claims) or an
// exact PostgREST error.
type outcome struct {
	role   string
	claims string // exact bytes when set
	anon   bool

	status  int
	code    string
	message string
	details any
	www     string
}

func ok(role string) outcome { return outcome{role: role} }

func e301(message string, details any) outcome {
	return outcome{status: 401, code: "PGRST301", message: message, details: details, www: invalidToken(message)}
}

func e303(message string) outcome {
	return outcome{status: 401, code: "PGRST303", message: message, www: invalidToken(message)}
}

var (
	noneOfTheKeys = e301("No suitable key or wrong key type", "None of the keys was able to decode the JWT")
	noSuitableKey = e301("No suitable key or wrong key type", "No suitable key was found to decode the JWT")
	cryptoFailed  = e301("JWT cryptographic operation failed", nil)
)

func check(t *testing.T, a *Authenticator, authorization, apikey string, want outcome) {
	t.Helper()
	res, err := a.Authenticate(authorization, apikey)
	if want.code != "" {
		wantAPIErr(t, err, want.status, want.code, want.message, want.details, want.www)
		return
	}
	if err != nil {
		t.Fatalf("want role %q, got %v", want.role, err)
	}
	if res.Role != want.role {
		t.Fatalf("role = %q, want %q", res.Role, want.role)
	}
	if want.claims != "" && string(res.Claims) != want.claims {
		t.Fatalf("claims = %s, want %s", res.Claims, want.claims)
	}
	if want.anon && !res.Anonymous {
		t.Fatalf("want an anonymous result, got %+v", res)
	}
	if got := claimsOf(t, res)["role"]; got != want.role {
		t.Fatalf("claims role = %v, want %q", got, want.role)
	}
}

func TestHMACMatrix(t *testing.T) {
	a := newAuth(t, hsConfig())
	s := []byte(testSecret)
	role := map[string]any{"role": "authenticated"}
	cases := []struct {
		name  string
		token string
		want  outcome
	}{
		{"HS256", mint(t, "HS256", s, nil, role), ok("authenticated")},
		{"HS384", mint(t, "HS384", s, nil, role), ok("authenticated")},
		{"HS512", mint(t, "HS512", s, nil, role), ok("authenticated")},
		{"wrong secret", mint(t, "HS256", []byte("another-secret-another-secret-xx"), nil, role), noneOfTheKeys},
		{"tampered payload", tamper(mint(t, "HS256", s, nil, role)), noneOfTheKeys},
		{"RS256 against an HMAC secret", mint(t, "RS256", keys(t).rsa, nil, role), noSuitableKey},
		{"kid against a kid-less secret", mint(t, "HS256", s, map[string]any{"kid": "k1"}, role), noSuitableKey},
		{"alg none", b64url([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + b64url([]byte(`{"role":"postgres"}`)) + ".", e301("Wrong or unsupported encoding algorithm", "JWT is unsecured but expected 'alg' was not 'none'")},
		{"alg none with a signature", b64url([]byte(`{"alg":"none"}`)) + "." + b64url([]byte(`{"role":"postgres"}`)) + ".c2ln", e301("Wrong or unsupported encoding algorithm", "JWT is unsecured but expected 'alg' was not 'none'")},
		{"unknown alg", b64url([]byte(`{"alg":"HS1"}`)) + ".e30.c2ln", cryptoFailed},
		{"no alg", b64url([]byte(`{"typ":"JWT"}`)) + ".e30.c2ln", cryptoFailed},
		{"1 part", "abc", e301("Expected 3 parts in JWT; got 1", nil)},
		{"2 parts", "ey9zdGdyZXN0.y4vZuu1dDdwAl0", e301("Expected 3 parts in JWT; got 2", nil)},
		{"4 parts", "a.b.c.d", e301("Expected 3 parts in JWT; got 4", nil)},
		{"garbage", "quifquirndsjagnrgniur.fonvoienqhhdj.iuqvnvhojah", cryptoFailed},
		{"bad base64 header", "!!!." + b64url([]byte(`{}`)) + ".c2ln", cryptoFailed},
		{"bad base64 payload", b64url([]byte(`{"alg":"HS256"}`)) + ".***.c2ln", cryptoFailed},
		{"bad base64 signature", b64url([]byte(`{"alg":"HS256"}`)) + ".e30.%%%", cryptoFailed},
		{"header not JSON", b64url([]byte(`not json`)) + ".e30.c2ln", cryptoFailed},
		{"payload not JSON", mint(t, "HS256", s, nil, "not json"), e303("Parsing claims failed")},
		{"payload a JSON array", mint(t, "HS256", s, nil, `["role","admin"]`), e303("Parsing claims failed")},
		{"payload JSON null", mint(t, "HS256", s, nil, `null`), e303("Parsing claims failed")},
		{"unknown role passes through", mint(t, "HS256", s, nil, map[string]any{"role": "not existing"}), ok("not existing")},
		{"no role claim is anonymous", mint(t, "HS256", s, nil, map[string]any{"sub": "u1"}), outcome{role: "anon", anon: true, claims: `{"role":"anon","sub":"u1"}`}},
		{"numeric role is JSON-encoded", mint(t, "HS256", s, nil, `{"role":5}`), ok("5")},
		{"null role is JSON-encoded", mint(t, "HS256", s, nil, `{"role":null}`), ok("null")},
		{"padded base64 accepted", padded(mint(t, "HS256", s, nil, map[string]any{"role": "x"})), ok("x")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { check(t, a, bearer(c.token), "", c.want) })
	}
}

func tamper(tok string) string {
	parts := strings.Split(tok, ".")
	parts[1] = b64url([]byte(`{"role":"postgres"}`))
	return strings.Join(parts, ".")
}

// padded re-encodes the three parts with base64 padding.
func padded(tok string) string {
	parts := strings.Split(tok, ".")
	for i, p := range parts {
		b, _ := base64.RawURLEncoding.DecodeString(p)
		parts[i] = base64.URLEncoding.EncodeToString(b)
	}
	return strings.Join(parts, ".")
}

func TestTimeClaims(t *testing.T) {
	a := newAuth(t, hsConfig())
	s := []byte(testSecret)
	tok := func(claims string) string { return mint(t, "HS256", s, nil, claims) }
	num := func(d time.Duration) string { return itoa64(unix(d)) }
	cases := []struct {
		name   string
		claims string
		want   outcome
	}{
		{"exp in the future", `{"role":"r","exp":` + num(time.Hour) + `}`, ok("r")},
		{"expired", `{"role":"r","exp":` + num(-31*time.Second) + `}`, e303("JWT expired")},
		{"expired within skew", `{"role":"r","exp":` + num(-30*time.Second) + `}`, ok("r")},
		{"nbf in the future", `{"role":"r","nbf":` + num(31*time.Second) + `}`, e303("JWT not yet valid")},
		{"nbf within skew", `{"role":"r","nbf":` + num(30*time.Second) + `}`, ok("r")},
		{"iat in the future", `{"role":"r","iat":` + num(31*time.Second) + `}`, e303("JWT issued at future")},
		{"iat within skew", `{"role":"r","iat":` + num(30*time.Second) + `}`, ok("r")},
		{"exp null is ignored", `{"role":"r","exp":null}`, ok("r")},
		{"exp as exponent", `{"role":"r","exp":1.8e9}`, ok("r")},
		{"fractional exp reads as 0", `{"role":"r","exp":` + num(time.Hour) + `.5}`, e303("JWT expired")},
		{"exp a string", `{"role":"r","exp":"` + num(time.Hour) + `"}`, e303("The JWT 'exp' claim must be a number")},
		{"nbf a bool", `{"role":"r","nbf":true}`, e303("The JWT 'nbf' claim must be a number")},
		{"iat an object", `{"role":"r","iat":{}}`, e303("The JWT 'iat' claim must be a number")},
		{"expired wins over a bad nbf", `{"exp":1,"nbf":"x"}`, e303("JWT expired")},
		{"bad nbf wins over a future iat", `{"nbf":"x","iat":` + num(time.Hour) + `}`, e303("The JWT 'nbf' claim must be a number")},
		{"aud of a bad type without jwt-aud", `{"role":"r","aud":5}`, e303("The JWT 'aud' claim must be a string or an array of strings")},
		{"any aud without jwt-aud", `{"role":"r","aud":"whatever"}`, ok("r")},
		{"expired wins over a bad aud", `{"exp":1,"aud":5}`, e303("JWT expired")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { check(t, a, bearer(tok(c.claims)), "", c.want) })
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func TestAudience(t *testing.T) {
	cfg := hsConfig()
	cfg.Audience = "authenticated"
	a := newAuth(t, cfg)
	s := []byte(testSecret)
	cases := []struct {
		aud  string
		want outcome
	}{
		{`"authenticated"`, ok("r")},
		{`"other"`, e303("JWT not in audience")},
		{`""`, e303("JWT not in audience")},
		{`["x","authenticated"]`, ok("r")},
		{`["x","y"]`, e303("JWT not in audience")},
		{`[]`, ok("r")},
		{`null`, ok("r")},
		{`5`, e303("The JWT 'aud' claim must be a string or an array of strings")},
		{`["authenticated",1]`, e303("The JWT 'aud' claim must be a string or an array of strings")},
		{`{"a":1}`, e303("The JWT 'aud' claim must be a string or an array of strings")},
	}
	for _, c := range cases {
		t.Run(c.aud, func(t *testing.T) {
			check(t, a, bearer(mint(t, "HS256", s, nil, `{"role":"r","aud":`+c.aud+`}`)), "", c.want)
		})
	}
	t.Run("absent", func(t *testing.T) {
		check(t, a, bearer(mint(t, "HS256", s, nil, `{"role":"r"}`)), "", ok("r"))
	})
	if _, err := New(Config{Secret: testSecret, Audience: "not a uri:"}); err == nil {
		t.Fatal("an aud with ':' that is not a URI must be refused")
	}
}

func TestAsymmetricSingleJWK(t *testing.T) {
	k := keys(t)
	role := map[string]any{"role": "authenticated"}
	cases := []struct {
		name  string
		alg   string
		key   any
		other any
	}{
		{"RS256", "RS256", k.rsa, k.otherRSA},
		{"RS512", "RS512", k.rsa, k.otherRSA},
		{"PS256", "PS256", k.rsa, k.otherRSA},
		{"ES256", "ES256", k.ec256, k.otherEC},
		{"ES384", "ES384", k.ec384, nil},
		{"ES512", "ES512", k.ec521, nil},
		{"EdDSA", "EdDSA", k.ed, k.otherEdDS},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := hsConfig()
			cfg.Secret = string(jsonBytes(t, publicJWK(t, c.key, nil)))
			a := newAuth(t, cfg)
			check(t, a, bearer(mint(t, c.alg, c.key, nil, role)), "", ok("authenticated"))
			if c.other != nil {
				check(t, a, bearer(mint(t, c.alg, c.other, nil, role)), "", noneOfTheKeys)
			}
			check(t, a, bearer(mint(t, "HS256", []byte(testSecret), nil, role)), "", noSuitableKey)
		})
	}
}

// TestKeyConfusion: an attacker signs HS256 with the bytes of the server's RSA public key.
// The RSA key must never be used as an HMAC secret.
func TestKeyConfusion(t *testing.T) {
	k := keys(t)
	der, err := x509.MarshalPKIXPublicKey(&k.rsa.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	cfg := hsConfig()
	cfg.Secret = string(jsonBytes(t, publicJWK(t, k.rsa, map[string]string{"kid": "rsa1"})))
	a := newAuth(t, cfg)
	for _, secret := range [][]byte{pemBytes, der} {
		check(t, a, bearer(mint(t, "HS256", secret, nil, map[string]any{"role": "postgres"})), "", noSuitableKey)
		check(t, a, bearer(mint(t, "HS256", secret, map[string]any{"kid": "rsa1"}, map[string]any{"role": "postgres"})), "", noSuitableKey)
	}
	// an RSA key whose JWK pins alg RS256 refuses RS512 too
	cfg.Secret = string(jsonBytes(t, publicJWK(t, k.rsa, map[string]string{"alg": "RS256"})))
	b := newAuth(t, cfg)
	check(t, b, bearer(mint(t, "RS256", k.rsa, nil, map[string]any{"role": "r"})), "", ok("r"))
	check(t, b, bearer(mint(t, "RS512", k.rsa, nil, map[string]any{"role": "r"})), "", noSuitableKey)
}

// TestJWKSWithKid is Supabase's self-host JWT_JWKS: an EC signing key and the legacy
// secret as an oct key, both with a kid.
func TestJWKSWithKid(t *testing.T) {
	k := keys(t)
	legacy := []byte(testSecret)
	cfg := hsConfig()
	cfg.Secret = jwksJSON(t,
		publicJWK(t, k.ec256, map[string]string{"kid": "ec-1", "alg": "ES256", "use": "sig"}),
		publicJWK(t, legacy, map[string]string{"kid": "legacy", "alg": "HS256"}),
		publicJWK(t, k.rsa, map[string]string{"kid": "rsa-a"}),
		publicJWK(t, k.rsa2, map[string]string{"kid": "rsa-b"}),
		publicJWK(t, k.otherRSA, map[string]string{"kid": "rsa-enc", "use": "enc"}),
	)
	a := newAuth(t, cfg)
	role := map[string]any{"role": "authenticated"}
	kid := func(s string) map[string]any { return map[string]any{"kid": s} }
	cases := []struct {
		name  string
		token string
		want  outcome
	}{
		{"ES256 by kid", mint(t, "ES256", k.ec256, kid("ec-1"), role), ok("authenticated")},
		{"HS256 by kid", mint(t, "HS256", legacy, kid("legacy"), role), ok("authenticated")},
		{"HS256 without kid", mint(t, "HS256", legacy, nil, role), ok("authenticated")},
		{"ES256 without kid", mint(t, "ES256", k.ec256, nil, role), ok("authenticated")},
		{"RS256 kid b", mint(t, "RS256", k.rsa2, kid("rsa-b"), role), ok("authenticated")},
		{"RS256 without kid tries every RSA key", mint(t, "RS256", k.rsa2, nil, role), ok("authenticated")},
		{"RS256 signed by b, kid a", mint(t, "RS256", k.rsa2, kid("rsa-a"), role), noneOfTheKeys},
		{"unknown kid", mint(t, "ES256", k.ec256, kid("nope"), role), noSuitableKey},
		{"kid of a key of another type", mint(t, "ES256", k.ec256, kid("legacy"), role), noSuitableKey},
		{"encryption keys are not used", mint(t, "RS256", k.otherRSA, kid("rsa-enc"), role), noSuitableKey},
		{"ES384 finds no P-384 key", mint(t, "ES384", k.ec384, nil, role), noSuitableKey},
		{"wrong HMAC secret", mint(t, "HS256", []byte("another-secret-another-secret-xx"), kid("legacy"), role), noneOfTheKeys},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { check(t, a, bearer(c.token), "", c.want) })
	}
}

func TestBase64Secret(t *testing.T) {
	raw := []byte{0xfb, 0xff, 0xfe, 0x00, 0x01, 0x3e, 0x3f, 0xff}
	raw = append(raw, []byte("binary-secret-with-enough-bytes!")...)
	cfg := hsConfig()
	cfg.SecretIsBase64 = true
	for _, enc := range []string{
		base64.StdEncoding.EncodeToString(raw),
		strings.NewReplacer("+", "-", "/", "_", "=", ".").Replace(base64.StdEncoding.EncodeToString(raw)),
		base64.RawURLEncoding.EncodeToString(raw),
	} {
		cfg.Secret = enc
		a := newAuth(t, cfg)
		check(t, a, bearer(mint(t, "HS256", raw, nil, map[string]any{"role": "r"})), "", ok("r"))
		check(t, a, bearer(mint(t, "HS256", []byte(enc), nil, map[string]any{"role": "r"})), "", noneOfTheKeys)
	}
	// a base64-encoded JWKS
	k := keys(t)
	cfg.Secret = base64.StdEncoding.EncodeToString([]byte(jwksJSON(t, publicJWK(t, k.ed, nil))))
	a := newAuth(t, cfg)
	check(t, a, bearer(mint(t, "EdDSA", k.ed, nil, map[string]any{"role": "r"})), "", ok("r"))
}

func TestSecretFile(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "secret")
	if err := os.WriteFile(plain, []byte(testSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := hsConfig()
	cfg.Secret = "@" + plain
	a := newAuth(t, cfg)
	check(t, a, bearer(mint(t, "HS256", []byte(testSecret), nil, map[string]any{"role": "r"})), "", ok("r"))

	k := keys(t)
	jwkFile := filepath.Join(dir, "rsa.jwk.pub")
	if err := os.WriteFile(jwkFile, jsonBytes(t, publicJWK(t, k.rsa, nil)), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg.Secret = "@" + jwkFile
	b := newAuth(t, cfg)
	check(t, b, bearer(mint(t, "RS256", k.rsa, nil, map[string]any{"role": "r"})), "", ok("r"))

	cfg.Secret = "@" + filepath.Join(dir, "missing")
	if _, err := New(cfg); err == nil {
		t.Fatal("a missing secret file must be refused")
	}
}

func TestConfigErrors(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		want string
	}{
		{"short secret", Config{Secret: "too-short"}, "jwt-secret: The JWT secret must be at least 32 characters long."},
		{"unparsable JWK", Config{Secret: `{"kty":"RSA","n":"%%"}`}, "jwt-secret: the secret looks like a JWK/JWKS"},
		{"JSON that is not a JWK", Config{Secret: `{"hello":"world, this is long enough"}`}, "jwt-secret: the secret looks like a JWK/JWKS"},
		{"JWKS with only encryption keys", Config{Secret: `{"keys":[{"kty":"oct","k":"c2VjcmV0","use":"enc"}]}`}, "jwt-secret: the secret looks like a JWK/JWKS"},
		{"bad base64", Config{Secret: "!!!! not base64 at all, but long enough", SecretIsBase64: true}, "jwt-secret: jwt-secret-is-base64 is set"},
		{"role claim key", Config{Secret: testSecret, RoleClaimKey: "role"}, "jwt-role-claim-key:"},
		{"role claim key wildcard", Config{Secret: testSecret, RoleClaimKey: "$.roles[*]"}, "jwt-role-claim-key:"},
		{"negative cache", Config{Secret: testSecret, CacheMaxEntries: -1}, "jwt-cache-max-entries:"},
		{"publishable prefix", Config{PublishableKeys: []string{"sb_secret_abc"}}, `publishable-keys: a key must start with "sb_publishable_"`},
		{"secret prefix", Config{SecretKeys: []string{"abc"}}, `secret-keys: a key must start with "sb_secret_"`},
		{"duplicate key", Config{PublishableKeys: []string{"sb_publishable_a", "sb_publishable_a"}}, "publishable-keys: key sb_publishable_… is configured twice"},
		{"JWKS URL", Config{JWKSURL: "ftp://example.com/jwks"}, "jwt-jwks-url:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(c.cfg)
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("got %v, want prefix %q", err, c.want)
			}
			if _, ok := err.(*ConfigError); !ok {
				t.Fatalf("want *ConfigError, got %T", err)
			}
		})
	}
	// the 32-character minimum is not applied to JWKs
	k := keys(t)
	if _, err := New(Config{Secret: string(jsonBytes(t, publicJWK(t, k.ed, nil)))}); err != nil {
		t.Fatal(err)
	}
}

func TestBearerParsing(t *testing.T) {
	a := newAuth(t, hsConfig())
	tok := mint(t, "HS256", []byte(testSecret), nil, map[string]any{"role": "authenticated"})
	for _, h := range []string{"Bearer " + tok, "bearer " + tok, "BEARER  " + tok, "Bearer\t" + tok + " "} {
		check(t, a, h, "", ok("authenticated"))
	}
	empty := e301("Empty JWT is sent in Authorization header", nil)
	for _, h := range []string{"Bearer", "Bearer ", "bearer    "} {
		check(t, a, h, "", empty)
	}
	for _, h := range []string{"", "Basic dXNlcjpwYXNz", "Bearertoken", "Token " + tok} {
		check(t, a, h, "", outcome{role: "anon", anon: true, claims: `{"role":"anon"}`})
	}
	check(t, a, "Bearer two words", "", e301("Expected 3 parts in JWT; got 1", nil))
}

func TestAnonymous(t *testing.T) {
	a := newAuth(t, hsConfig())
	res := mustPass(t, a, "", "")
	if res.Role != "anon" || string(res.Claims) != `{"role":"anon"}` || !res.Anonymous || res.Via != ViaNone {
		t.Fatalf("got %+v", res)
	}

	cfg := hsConfig()
	cfg.AnonRole = ""
	b := newAuth(t, cfg)
	_, err := b.Authenticate("", "")
	wantAPIErr(t, err, 401, "PGRST302", "Anonymous access is disabled", nil, "Bearer")
	_, err = b.Authenticate(bearer(mint(t, "HS256", []byte(testSecret), nil, map[string]any{"sub": "u"})), "")
	wantAPIErr(t, err, 401, "PGRST302", "Anonymous access is disabled", nil, "Bearer")
	check(t, b, bearer(mint(t, "HS256", []byte(testSecret), nil, map[string]any{"role": "authenticated"})), "", ok("authenticated"))
}

func TestNoSecret(t *testing.T) {
	a := newAuth(t, Config{AnonRole: "anon"})
	mustPass(t, a, "", "")
	_, err := a.Authenticate(bearer(mint(t, "HS256", []byte(testSecret), nil, map[string]any{"role": "r"})), "")
	wantAPIErr(t, err, 500, "PGRST300", "Server lacks JWT secret", nil, "")
	// the shape is checked first, the empty token even before
	_, err = a.Authenticate("Bearer ", "")
	wantAPIErr(t, err, 401, "PGRST301", "Empty JWT is sent in Authorization header", nil, invalidToken("Empty JWT is sent in Authorization header"))
}

func TestClaimsOutput(t *testing.T) {
	a := newAuth(t, hsConfig())
	s := []byte(testSecret)
	cases := []struct{ payload, role, claims string }{
		{`{"sub":"u1","role":"authenticated","aud":"authenticated"}`, "authenticated", `{"aud":"authenticated","role":"authenticated","sub":"u1"}`},
		{`{"sub":"u1"}`, "anon", `{"role":"anon","sub":"u1"}`},
		{`{"role":5,"n":12345678901234567890}`, "5", `{"n":12345678901234567890,"role":"5"}`},
		{`{"app":{"role":"<admin>"},"role":"r"}`, "r", `{"app":{"role":"<admin>"},"role":"r"}`},
		{`{}`, "anon", `{"role":"anon"}`},
	}
	for _, c := range cases {
		check(t, a, bearer(mint(t, "HS256", s, nil, c.payload)), "", outcome{role: c.role, claims: c.claims})
	}
	exp := unix(time.Hour)
	res := mustPass(t, a, bearer(mint(t, "HS256", s, nil, map[string]any{"role": "r", "exp": exp})), "")
	if !res.ExpiresAt.Equal(time.Unix(exp, 0)) || res.Via != ViaAuthorization || res.Anonymous {
		t.Fatalf("got %+v", res)
	}
}

func TestRoleClaimKeys(t *testing.T) {
	s := []byte(testSecret)
	payload := `{"role":"top","app":{"roles":["reader","admin"],"role":"nested"},"x-role":"dashed","weird key":"spaced","list":[{"role":"first"}],"num":7,"realm_access":{"roles":["offline","app_admin"]}}`
	tok := bearer(mint(t, "HS256", s, nil, payload))
	cases := []struct{ key, want string }{
		{"$.role", "top"},
		{".role", "top"},
		{"$.app.role", "nested"},
		{".app.role", "nested"},
		{"$.app.roles[0]", "reader"},
		{".app.roles[1]", "admin"},
		{"$.app.roles[-1]", "admin"},
		{`$."x-role"`, "dashed"},
		{`."x-role"`, "dashed"},
		{`$['x-role']`, "dashed"},
		{`$["weird key"]`, "spaced"},
		{`$.list[0].role`, "first"},
		{`$.num`, "7"},
		{`$.app`, `{"role":"nested","roles":["reader","admin"]}`},
		{`.realm_access.roles[?(@ == "app_admin")]`, "app_admin"},
		{`$.realm_access.roles[?@ ^== "app_"]`, "app_admin"},
		{`$.realm_access.roles[?@ ==^ "line"]`, "offline"},
		{`$.realm_access.roles[?@ *== "_adm"]`, "app_admin"},
		{`$.realm_access.roles[?@ != "offline"]`, "app_admin"},
		{"$.missing", "anon"},
		{"$.app.roles[5]", "anon"},
		{"$.role.deeper", "anon"},
		{`$.realm_access.roles[?@ == "none"]`, "anon"},
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			cfg := hsConfig()
			cfg.RoleClaimKey = c.key
			a := newAuth(t, cfg)
			res := mustPass(t, a, tok, "")
			if res.Role != c.want {
				t.Fatalf("role = %q, want %q", res.Role, c.want)
			}
			// the claims keep the original members and get "role" set to the effective role
			m := claimsOf(t, res)
			if m["role"] != c.want || m["x-role"] != "dashed" {
				t.Fatalf("claims %s", res.Claims)
			}
		})
	}
	for _, bad := range []string{"", "role", "$..role", "$.roles[*]", "$[0:1]", `$["unterminated]`, "$.", ".a[?(@.x == 1)]", "$.a[1"} {
		if _, err := ParseClaimPath(bad); err == nil {
			t.Errorf("ParseClaimPath(%q) must fail", bad)
		}
	}
	p, err := ParseClaimPath(`$."a\"b"`)
	if err != nil || p.steps[0].key != `a"b` || p.String() != `$."a\"b"` {
		t.Fatalf("escaped quote: %+v %v", p, err)
	}
}

// Opaque keys, apikey-as-bearer and precedence between Authorization and apikey.
func TestAPIKeys(t *testing.T) {
	const pub, sec = "sb_publishable_AAAAAAAAAAAAAAAAAAAAAA_12345678", "sb_secret_BBBBBBBBBBBBBBBBBBBBBB_87654321"
	cfg := hsConfig()
	cfg.PublishableKeys = []string{pub}
	cfg.SecretKeys = []string{sec}
	a := newAuth(t, cfg)
	s := []byte(testSecret)
	user := mint(t, "HS256", s, nil, map[string]any{"role": "authenticated", "sub": "u1"})
	legacyAnon := mint(t, "HS256", s, nil, map[string]any{"role": "anon", "iss": "supabase"})
	legacyService := mint(t, "HS256", s, nil, map[string]any{"role": "service_role", "iss": "supabase"})
	expired := mint(t, "HS256", s, nil, map[string]any{"role": "anon", "exp": unix(-time.Hour)})

	type want struct {
		role string
		via  Via
		anon bool
	}
	cases := []struct {
		name, authorization, apikey string
		want                        want
	}{
		{"publishable key as apikey", "", pub, want{"anon", ViaOpaqueKey, true}},
		{"secret key as apikey", "", sec, want{"service_role", ViaOpaqueKey, false}},
		{"supabase-js without a session (publishable)", bearer(pub), pub, want{"anon", ViaOpaqueKey, true}},
		{"supabase-js without a session (secret)", bearer(sec), sec, want{"service_role", ViaOpaqueKey, false}},
		{"bearer sb_ alone", bearer(sec), "", want{"service_role", ViaOpaqueKey, false}},
		{"bearer sb_ never outranks the apikey", bearer(sec), pub, want{"anon", ViaOpaqueKey, true}},
		{"bearer sb_ with a legacy JWT apikey", bearer(pub), legacyService, want{"service_role", ViaAPIKeyJWT, false}},
		{"user JWT wins over the secret key", bearer(user), sec, want{"authenticated", ViaAuthorization, false}},
		{"user JWT wins over a legacy service key", bearer(user), legacyService, want{"authenticated", ViaAuthorization, false}},
		{"legacy anon JWT as apikey", "", legacyAnon, want{"anon", ViaAPIKeyJWT, true}},
		{"legacy service JWT as apikey", "", legacyService, want{"service_role", ViaAPIKeyJWT, false}},
		{"non-bearer Authorization leaves the apikey", "Basic dXNlcjpwYXNz", legacyService, want{"service_role", ViaAPIKeyJWT, false}},
		{"an apikey that is neither is ignored", "", "not-a-key", want{"anon", ViaNone, true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := mustPass(t, a, c.authorization, c.apikey)
			if res.Role != c.want.role || res.Via != c.want.via || res.Anonymous != c.want.anon {
				t.Fatalf("got role %q via %v anon %v, want %+v", res.Role, res.Via, res.Anonymous, c.want)
			}
		})
	}

	// the claims stand in for the JWT Supabase's gateway would have minted
	res := mustPass(t, a, "", sec)
	m := claimsOf(t, res)
	if m["role"] != "service_role" || m["iss"] != "supabase" || m["iat"] == nil || m["exp"] == nil || len(m) != 4 {
		t.Fatalf("secret key claims %s", res.Claims)
	}

	// errors from a JWT apikey are PostgREST's
	_, err := a.Authenticate("", expired)
	wantAPIErr(t, err, 401, "PGRST303", "JWT expired", nil, invalidToken("JWT expired"))
	// an unknown sb_ key is refused the way the gateway does
	for _, c := range [][2]string{{"", "sb_publishable_unknown"}, {bearer("sb_secret_unknown"), ""}, {bearer(pub), "sb_secret_unknown"}} {
		_, err := a.Authenticate(c[0], c[1])
		ge, ok := err.(*GatewayError)
		if !ok || ge.Status != 401 || string(ge.Body()) != invalidKeyBody {
			t.Fatalf("%q: got %T %v", c, err, err)
		}
	}
}

func TestRequireAPIKey(t *testing.T) {
	const pub, sec = "sb_publishable_AAAAAAAAAAAAAAAAAAAAAA_12345678", "sb_secret_BBBBBBBBBBBBBBBBBBBBBB_87654321"
	cfg := hsConfig()
	cfg.PublishableKeys = []string{pub}
	cfg.SecretKeys = []string{sec}
	a := newAuth(t, cfg)
	s := []byte(testSecret)
	legacyAnon := mint(t, "HS256", s, nil, map[string]any{"role": "anon", "iss": "supabase"})
	legacyService := mint(t, "HS256", s, nil, map[string]any{"role": "service_role", "iss": "supabase"})
	user := mint(t, "HS256", s, nil, map[string]any{"role": "authenticated"})
	forged := mint(t, "HS256", []byte("another-secret-another-secret-xx"), nil, map[string]any{"role": "service_role"})

	for _, k := range []string{pub, sec, legacyAnon, legacyService} {
		if err := a.RequireAPIKey(k); err != nil {
			t.Errorf("%.30s…: %v", k, err)
		}
	}
	missing := `{"message":"No API key found in request","hint":"No ` + "`apikey`" + ` request header or url param was found."}`
	invalid := `{"message":"Invalid API key","hint":"Double check your Supabase ` + "`anon`" + ` or ` + "`service_role`" + ` API key."}`
	cases := map[string]string{"": missing, "sb_publishable_nope": invalid, user: invalid, forged: invalid, "garbage": invalid, "a.b.c": invalid}
	for k, body := range cases {
		err := a.RequireAPIKey(k)
		ge, ok := err.(*GatewayError)
		if !ok {
			t.Fatalf("%q: got %T %v", k, err, err)
		}
		if ge.Status != http.StatusUnauthorized || string(ge.Body()) != body || ge.Header().Get("Content-Type") != "application/json; charset=utf-8" {
			t.Fatalf("%q: got %d %s", k, ge.Status, ge.Body())
		}
	}

	// enforced by Authenticate when configured
	cfg.RequireAPIKey = true
	b := newAuth(t, cfg)
	if _, err := b.Authenticate(bearer(user), ""); err == nil || string(err.(*GatewayError).Body()) != missing {
		t.Fatalf("a user JWT without an apikey must be refused, got %v", err)
	}
	if res := mustPass(t, b, bearer(user), pub); res.Role != "authenticated" {
		t.Fatalf("got %+v", res)
	}
	if _, err := b.Authenticate("", user); err == nil {
		t.Fatal("a user JWT is not an API key")
	}
}
