package auth

import (
	"fmt"
	"testing"
	"time"
)

// A Supabase-shaped user access token, as GoTrue issues it.
func userClaims() map[string]any {
	now := time.Now().Unix()
	return map[string]any{
		"iss": "http://127.0.0.1:54321/auth/v1", "sub": "0b7e7a1e-6a5c-4c39-9f1a-7c6f0d7c2c11",
		"aud": "authenticated", "exp": now + 3600, "iat": now, "email": "user@example.com", "phone": "",
		"app_metadata":  map[string]any{"provider": "email", "providers": []string{"email"}},
		"user_metadata": map[string]any{"email_verified": true},
		"role":          "authenticated", "aal": "aal1",
		"amr":        []map[string]any{{"method": "password", "timestamp": now}},
		"session_id": "3f0b8a44-2d0e-4d7e-9a53-0b1f3a7f6c21", "is_anonymous": false,
	}
}

type benchCase struct {
	alg string
	key any
	cfg Config
}

func benchCases(b *testing.B) []benchCase {
	k := keys(b)
	jwk := func(key any) Config {
		cfg := hsConfig()
		cfg.Secret = string(jsonBytes(b, publicJWK(b, key, nil)))
		return cfg
	}
	return []benchCase{
		{"HS256", []byte(testSecret), hsConfig()},
		{"RS256", k.rsa, jwk(k.rsa)},
		{"ES256", k.ec256, jwk(k.ec256)},
		{"EdDSA", k.ed, jwk(k.ed)},
	}
}

func benchAuth(b *testing.B, cfg Config) *Authenticator {
	a, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(a.Close)
	return a
}

// BenchmarkAuthenticate compares a cache hit (a map lookup and the exp/nbf/iat check) with a
// miss (base64, JSON, signature, claims) for each algorithm.
func BenchmarkAuthenticate(b *testing.B) {
	for _, c := range benchCases(b) {
		tok := bearer(mint(b, c.alg, c.key, nil, userClaims()))
		b.Run(c.alg+"/hit", func(b *testing.B) {
			a := benchAuth(b, c.cfg)
			mustBench(b, a, tok)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := a.Authenticate(tok, ""); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if st := a.CacheStats(); st.Misses != 1 {
				b.Fatalf("expected hits only, got %+v", st)
			}
		})
		b.Run(c.alg+"/miss", func(b *testing.B) {
			cfg := c.cfg
			cfg.CacheMaxEntries = 0
			a := benchAuth(b, cfg)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := a.Authenticate(tok, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAuthenticateParallelHit measures the hit path under contention (read lock only).
func BenchmarkAuthenticateParallelHit(b *testing.B) {
	a := benchAuth(b, hsConfig())
	toks := make([]string, 64)
	for i := range toks {
		c := userClaims()
		c["sub"] = fmt.Sprint("user-", i)
		toks[i] = bearer(mint(b, "HS256", []byte(testSecret), nil, c))
		mustBench(b, a, toks[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := a.Authenticate(toks[i%len(toks)], ""); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}

// BenchmarkAnonymousAndOpaque covers the requests that carry no JWT at all.
func BenchmarkAnonymousAndOpaque(b *testing.B) {
	cfg := hsConfig()
	cfg.PublishableKeys = []string{"sb_publishable_AAAAAAAAAAAAAAAAAAAAAA_12345678"}
	a := benchAuth(b, cfg)
	b.Run("anonymous", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := a.Authenticate("", ""); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("publishable", func(b *testing.B) {
		key := cfg.PublishableKeys[0]
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := a.Authenticate(bearer(key), key); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func mustBench(b *testing.B, a *Authenticator, tok string) {
	if _, err := a.Authenticate(tok, ""); err != nil {
		b.Fatal(err)
	}
}
