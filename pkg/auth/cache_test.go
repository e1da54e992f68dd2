package auth

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestCacheHitSkipsSignatureAndRechecksTime(t *testing.T) {
	cfg := hsConfig()
	cfg.CacheMaxEntries = 10
	a := newAuth(t, cfg)
	exp := unix(time.Minute)
	tok := bearer(mint(t, "HS256", []byte(testSecret), nil, map[string]any{"role": "r", "exp": exp}))

	first := mustPass(t, a, tok, "")
	if st := a.CacheStats(); st.Misses != 1 || st.Hits != 0 || st.Entries != 1 {
		t.Fatalf("after a miss: %+v", st)
	}
	// Replace the key bytes in place (same snapshot generation): a hit must not look at the
	// signature, so it still passes; a cache-less verification would fail.
	ks := a.keys.Load()
	saved := ks.keys[0].raw
	ks.keys[0].raw = []byte("a-completely-different-secret-!!")
	second := mustPass(t, a, tok, "")
	ks.keys[0].raw = saved
	if st := a.CacheStats(); st.Hits != 1 {
		t.Fatalf("after a hit: %+v", st)
	}
	if string(first.Claims) != string(second.Claims) || first.Role != second.Role || !second.ExpiresAt.Equal(time.Unix(exp, 0)) {
		t.Fatalf("hit differs from miss: %+v vs %+v", first, second)
	}

	// time moves past exp + skew: the entry is refused and dropped
	a.now = func() time.Time { return time.Unix(exp+31, 0) }
	_, err := a.Authenticate(tok, "")
	wantAPIErr(t, err, 401, "PGRST303", "JWT expired", nil, invalidToken("JWT expired"))
	if st := a.CacheStats(); st.Entries != 0 {
		t.Fatalf("expired entry kept: %+v", st)
	}
	// within the skew it is still served
	a.now = func() time.Time { return time.Unix(exp+30, 0) }
	mustPass(t, a, tok, "")

	// a token whose nbf is still ahead is not cached and is checked again later
	nbf := unix(time.Hour)
	early := bearer(mint(t, "HS256", []byte(testSecret), nil, map[string]any{"role": "r", "nbf": nbf}))
	a.now = func() time.Time { return testNow }
	_, err = a.Authenticate(early, "")
	wantAPIErr(t, err, 401, "PGRST303", "JWT not yet valid", nil, invalidToken("JWT not yet valid"))
	a.now = func() time.Time { return time.Unix(nbf, 0) }
	mustPass(t, a, early, "")
}

func TestCacheOff(t *testing.T) {
	cfg := hsConfig()
	cfg.CacheMaxEntries = 0
	a := newAuth(t, cfg)
	tok := bearer(mint(t, "HS256", []byte(testSecret), nil, map[string]any{"role": "r"}))
	mustPass(t, a, tok, "")
	mustPass(t, a, tok, "")
	if st := a.CacheStats(); st != (CacheStats{}) {
		t.Fatalf("cache off but counters moved: %+v", st)
	}
}

func TestSieveEviction(t *testing.T) {
	c := newTokenCache(3)
	put := func(s string) { c.put(&cached{token: s}) }
	put("a")
	put("b")
	put("c")
	c.get("a", 0)
	c.get("b", 0)
	put("d") // a and b were visited: c goes
	if c.get("c", 0) != nil || c.get("a", 0) == nil || c.get("b", 0) == nil || c.get("d", 0) == nil {
		t.Fatal("SIEVE should have evicted c")
	}
	put("e") // everything visited: the hand clears a full lap and evicts the oldest it reaches
	if c.len() != 3 {
		t.Fatalf("len %d", c.len())
	}
	if c.evictions.Load() != 2 {
		t.Fatalf("evictions %d", c.evictions.Load())
	}
	// re-putting a key replaces it without growing
	put("e")
	if c.len() != 3 {
		t.Fatalf("len %d after re-put", c.len())
	}
}

func TestCacheBoundedUnderConcurrency(t *testing.T) {
	cfg := hsConfig()
	cfg.CacheMaxEntries = 16
	a := newAuth(t, cfg)
	toks := make([]string, 64)
	for i := range toks {
		toks[i] = bearer(mint(t, "HS256", []byte(testSecret), nil, map[string]any{"role": fmt.Sprint("r", i)}))
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				n := (i*7 + g) % len(toks)
				if i%3 == 0 {
					n %= 8 // a hot set
				}
				res, err := a.Authenticate(toks[n], "")
				if err != nil || res.Role != fmt.Sprint("r", n) {
					t.Errorf("token %d: %+v %v", n, res, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	st := a.CacheStats()
	if st.Entries > 16 || st.Hits+st.Misses != 8*500 || st.Evictions == 0 {
		t.Fatalf("stats %+v", st)
	}
}
