package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwk"
)

const (
	jwksFetchTimeout       = 10 * time.Second
	jwksMinRefreshInterval = time.Minute
)

// logSink reports background JWKS refresh failures; the previous keys stay in use.
type logSink struct{ log *slog.Logger }

func (s logSink) Error(err error) { s.log.Warn("auth: JWKS refresh failed", "err", err) }

// startJWKS registers cfg.JWKSURL with jwx's auto-refreshing cache and makes a first fetch.
// Every successful fetch (first or background) goes through PostFetch, which publishes a new
// key snapshot, so the request path only ever reads an atomic pointer. A first fetch that
// fails is logged, not fatal: the data plane may start before the auth server does, and the
// cache retries on its own schedule.
func (a *Authenticator) startJWKS(cfg *Config) error {
	u, err := url.Parse(cfg.JWKSURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return configErr("jwt-jwks-url", "%q is not an http(s) URL", cfg.JWKSURL)
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: jwksFetchTimeout}
	}
	interval := cfg.JWKSRefreshInterval
	window := time.Minute // how often the cache looks for due refreshes
	if interval > 0 && interval < window {
		window = max(interval, time.Second)
		interval = window
	}
	ctx, cancel := context.WithCancel(context.Background())
	a.stopJWKS = cancel
	cache := jwk.NewCache(ctx, jwk.WithRefreshWindow(window), jwk.WithErrSink(logSink{a.log}))
	opts := []jwk.RegisterOption{
		jwk.WithHTTPClient(client),
		jwk.WithMinRefreshInterval(jwksMinRefreshInterval),
		jwk.WithPostFetcher(jwk.PostFetchFunc(a.publishRemote)),
	}
	if interval > 0 {
		opts = append(opts, jwk.WithRefreshInterval(interval))
	}
	if err := cache.Register(cfg.JWKSURL, opts...); err != nil {
		cancel()
		return configErr("jwt-jwks-url", "%v", err)
	}
	fetchCtx, done := context.WithTimeout(ctx, jwksFetchTimeout)
	defer done()
	if _, err := cache.Get(fetchCtx, cfg.JWKSURL); err != nil {
		a.log.Warn("auth: first JWKS fetch failed; retrying in the background", "url", cfg.JWKSURL, "err", err)
	}
	return nil
}

// publishRemote swaps in a key snapshot made of the static keys and the fetched set. A set
// without a single usable key is refused so that the previous keys stay in force. A refresh
// that brings the same keys keeps the snapshot, so cached tokens stay cached.
func (a *Authenticator) publishRemote(_ string, set jwk.Set) (jwk.Set, error) {
	remote, err := setKeys(set)
	if err != nil {
		return nil, err
	}
	if len(remote) == 0 {
		return nil, errNoKeys
	}
	fingerprint, err := json.Marshal(set)
	if err != nil {
		return nil, err
	}
	a.keysMu.Lock()
	defer a.keysMu.Unlock()
	if bytes.Equal(fingerprint, a.remoteFingerprint) {
		return set, nil
	}
	a.remoteFingerprint = fingerprint
	old := a.keys.Load()
	keys := make([]verifyKey, 0, len(a.static)+len(remote))
	keys = append(append(keys, a.static...), remote...)
	a.keys.Store(&keySet{keys: keys, gen: old.gen + 1})
	return set, nil
}
