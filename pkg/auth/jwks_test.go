package auth

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// jwksServer serves a JWKS that the test can swap, on 127.0.0.1.
type jwksServer struct {
	*httptest.Server
	mu      sync.Mutex
	body    string
	status  int
	fetches atomic.Int32
}

func newJWKSServer(t *testing.T, body string) *jwksServer {
	s := &jwksServer{body: body, status: http.StatusOK}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fetches.Add(1)
		s.mu.Lock()
		body, status := s.body, s.status
		s.mu.Unlock()
		if r.URL.Path != "/auth/v1/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=600")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") {
		t.Fatalf("test server is not on 127.0.0.1: %s", s.URL)
	}
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) set(body string, status int) {
	s.mu.Lock()
	s.body, s.status = body, status
	s.mu.Unlock()
}

func (s *jwksServer) jwksURL() string { return s.URL + "/auth/v1/.well-known/jwks.json" }

// waitFor polls cond for up to 10 s (the JWKS refresh runs on its own timer).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestRemoteJWKSRotation(t *testing.T) {
	t.Parallel()
	k := keys(t)
	srv := newJWKSServer(t, jwksJSON(t, publicJWK(t, k.ec256, map[string]string{"kid": "key-1", "alg": "ES256"})))
	cfg := hsConfig() // the legacy secret stays usable next to the fetched keys
	cfg.JWKSURL = srv.jwksURL()
	cfg.JWKSRefreshInterval = time.Second
	a := newAuth(t, cfg)

	role := map[string]any{"role": "authenticated"}
	oldTok := bearer(mint(t, "ES256", k.ec256, map[string]any{"kid": "key-1"}, role))
	newTok := bearer(mint(t, "ES256", k.otherEC, map[string]any{"kid": "key-2"}, role))
	legacy := bearer(mint(t, "HS256", []byte(testSecret), nil, role))

	check(t, a, oldTok, "", ok("authenticated"))
	check(t, a, legacy, "", ok("authenticated"))
	check(t, a, newTok, "", noSuitableKey)

	// a refresh that brings the same keys keeps verified tokens cached
	st0 := a.CacheStats()
	before := srv.fetches.Load()
	waitFor(t, "an unchanged refresh", func() bool { return srv.fetches.Load() > before+1 })
	check(t, a, oldTok, "", ok("authenticated"))
	if st := a.CacheStats(); st.Misses != st0.Misses || st.Hits != st0.Hits+1 {
		t.Fatalf("an unchanged JWKS invalidated the cache: %+v then %+v", st0, st)
	}

	// rotate: key-2 is published, key-1 withdrawn
	srv.set(jwksJSON(t, publicJWK(t, k.otherEC, map[string]string{"kid": "key-2", "alg": "ES256"})), http.StatusOK)
	waitFor(t, "the rotated key", func() bool {
		_, err := a.Authenticate(newTok, "")
		return err == nil
	})
	// the cached verification of the withdrawn key is not served any more
	check(t, a, oldTok, "", noSuitableKey)
	check(t, a, legacy, "", ok("authenticated"))

	// a failing refresh keeps the last good keys
	srv.set("oops", http.StatusInternalServerError)
	before = srv.fetches.Load()
	waitFor(t, "a failed refresh", func() bool { return srv.fetches.Load() > before+1 })
	check(t, a, newTok, "", ok("authenticated"))
	// and so does a set without a usable key
	srv.set(`{"keys":[]}`, http.StatusOK)
	before = srv.fetches.Load()
	waitFor(t, "an empty refresh", func() bool { return srv.fetches.Load() > before+1 })
	check(t, a, newTok, "", ok("authenticated"))
}

func TestRemoteJWKSUnavailableAtStart(t *testing.T) {
	t.Parallel()
	k := keys(t)
	srv := newJWKSServer(t, "")
	srv.set("not yet", http.StatusServiceUnavailable)
	cfg := DefaultConfig()
	cfg.AnonRole = "anon"
	cfg.JWKSURL = srv.jwksURL()
	cfg.JWKSRefreshInterval = time.Second
	a := newAuth(t, cfg) // not fatal

	tok := bearer(mint(t, "EdDSA", k.ed, nil, map[string]any{"role": "authenticated"}))
	// keys are configured (a URL), just not loaded yet: no PGRST300
	check(t, a, tok, "", noSuitableKey)
	mustPass(t, a, "", "")

	srv.set(jwksJSON(t, publicJWK(t, k.ed, nil)), http.StatusOK)
	waitFor(t, "the first successful fetch", func() bool {
		_, err := a.Authenticate(tok, "")
		return err == nil
	})
}
