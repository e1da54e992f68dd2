package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"hash"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/rocksteady/rocksteady/pkg/apierr"
)

const testSecret = "reallyreallyreallyreallyverysafe"

// testNow is the fixed clock of the token matrix.
var testNow = time.Unix(1_700_000_000, 0)

type testKeys struct {
	rsa       *rsa.PrivateKey
	rsa2      *rsa.PrivateKey
	ec256     *ecdsa.PrivateKey
	ec384     *ecdsa.PrivateKey
	ec521     *ecdsa.PrivateKey
	ed        ed25519.PrivateKey
	otherRSA  *rsa.PrivateKey
	otherEC   *ecdsa.PrivateKey
	otherEdDS ed25519.PrivateKey
}

var (
	sharedKeys   *testKeys
	sharedKeysMu sync.Mutex
)

// keys are generated once per test process with crypto/rand.
func keys(t testing.TB) *testKeys {
	t.Helper()
	sharedKeysMu.Lock()
	defer sharedKeysMu.Unlock()
	if sharedKeys != nil {
		return sharedKeys
	}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	k := &testKeys{}
	var err error
	k.rsa, err = rsa.GenerateKey(rand.Reader, 2048)
	must(err)
	k.rsa2, err = rsa.GenerateKey(rand.Reader, 2048)
	must(err)
	k.otherRSA, err = rsa.GenerateKey(rand.Reader, 2048)
	must(err)
	k.ec256, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(err)
	k.ec384, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	must(err)
	k.ec521, err = ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	must(err)
	k.otherEC, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(err)
	_, k.ed, err = ed25519.GenerateKey(rand.Reader)
	must(err)
	_, k.otherEdDS, err = ed25519.GenerateKey(rand.Reader)
	must(err)
	sharedKeys = k
	return k
}

func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func jsonBytes(t testing.TB, v any) []byte {
	t.Helper()
	if s, ok := v.(string); ok {
		return []byte(s) // already JSON (or deliberately not)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mint signs a token with Go's crypto (not jwx), so the verifier is checked against an
// independent implementation. key is []byte for HS*, or a private key. hdr adds header
// members (kid, or an alg override); payload is marshalled unless it is a string.
func mint(t testing.TB, alg string, key any, hdr map[string]any, payload any) string {
	t.Helper()
	h := map[string]any{"alg": alg, "typ": "JWT"}
	for k, v := range hdr {
		h[k] = v
	}
	input := b64url(jsonBytes(t, h)) + "." + b64url(jsonBytes(t, payload))
	return input + "." + b64url(signInput(t, alg, key, []byte(input)))
}

func hashFor(alg string) (crypto.Hash, func() hash.Hash) {
	switch alg[2:] {
	case "384":
		return crypto.SHA384, sha512.New384
	case "512":
		return crypto.SHA512, sha512.New
	}
	return crypto.SHA256, sha256.New
}

func signInput(t testing.TB, alg string, key any, input []byte) []byte {
	t.Helper()
	if alg == "EdDSA" {
		return ed25519.Sign(key.(ed25519.PrivateKey), input)
	}
	ch, hf := hashFor(alg)
	switch alg[:2] {
	case "HS":
		m := hmac.New(hf, key.([]byte))
		m.Write(input)
		return m.Sum(nil)
	case "RS", "PS":
		d := hf()
		d.Write(input)
		var sig []byte
		var err error
		if alg[0] == 'R' {
			sig, err = rsa.SignPKCS1v15(rand.Reader, key.(*rsa.PrivateKey), ch, d.Sum(nil))
		} else {
			sig, err = rsa.SignPSS(rand.Reader, key.(*rsa.PrivateKey), ch, d.Sum(nil), &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		}
		if err != nil {
			t.Fatal(err)
		}
		return sig
	case "ES":
		d := hf()
		d.Write(input)
		priv := key.(*ecdsa.PrivateKey)
		r, s, err := ecdsa.Sign(rand.Reader, priv, d.Sum(nil))
		if err != nil {
			t.Fatal(err)
		}
		size := (priv.Curve.Params().BitSize + 7) / 8
		return append(pad(r, size), pad(s, size)...)
	}
	t.Fatalf("mint: unknown alg %s", alg)
	return nil
}

func pad(n *big.Int, size int) []byte {
	out := make([]byte, size)
	return n.FillBytes(out)
}

// publicJWK renders the public half of key as a JWK JSON object with the given members.
func publicJWK(t testing.TB, key any, extra map[string]string) map[string]any {
	t.Helper()
	var pub any
	switch k := key.(type) {
	case *rsa.PrivateKey:
		pub = &k.PublicKey
	case *ecdsa.PrivateKey:
		pub = &k.PublicKey
	case ed25519.PrivateKey:
		pub = k.Public()
	case []byte:
		pub = k
	default:
		t.Fatalf("publicJWK: %T", key)
	}
	jk, err := jwk.FromRaw(pub)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(jk)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func jwksJSON(t testing.TB, keys ...map[string]any) string {
	t.Helper()
	return string(jsonBytes(t, map[string]any{"keys": keys}))
}

// newAuth builds an Authenticator on the fixed test clock.
func newAuth(t testing.TB, cfg Config) *Authenticator {
	t.Helper()
	a, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	a.now = func() time.Time { return testNow }
	t.Cleanup(a.Close)
	return a
}

func hsConfig() Config {
	cfg := DefaultConfig()
	cfg.Secret = testSecret
	cfg.AnonRole = "anon"
	return cfg
}

// wantAPIErr checks an *apierr.Error field by field, WWW-Authenticate included.
func wantAPIErr(t *testing.T, err error, status int, code, message string, details any, wwwAuth string) {
	t.Helper()
	e, ok := err.(*apierr.Error)
	if !ok {
		t.Fatalf("want *apierr.Error %s %q, got %T %v", code, message, err, err)
	}
	if e.Status != status || e.Code != code || e.Message != message || e.Details != details || e.Hint != nil {
		t.Fatalf("got %d %s %q details=%v hint=%v\nwant %d %s %q details=%v", e.Status, e.Code, e.Message, e.Details, e.Hint, status, code, message, details)
	}
	if got := e.Headers.Get("WWW-Authenticate"); got != wwwAuth {
		t.Fatalf("WWW-Authenticate = %q, want %q", got, wwwAuth)
	}
}

func invalidToken(msg string) string {
	return `Bearer error="invalid_token", error_description="` + msg + `"`
}

func bearer(tok string) string { return "Bearer " + tok }

func mustPass(t *testing.T, a *Authenticator, authorization, apikey string) Result {
	t.Helper()
	res, err := a.Authenticate(authorization, apikey)
	if err != nil {
		t.Fatalf("Authenticate(%.40q, %.40q): %v", authorization, apikey, err)
	}
	return res
}

func claimsOf(t *testing.T, r Result) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.Claims), &m); err != nil {
		t.Fatalf("claims %s: %v", r.Claims, err)
	}
	return m
}

func unix(d time.Duration) int64 { return testNow.Add(d).Unix() }
