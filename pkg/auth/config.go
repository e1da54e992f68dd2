package auth

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults applied by DefaultConfig (and, for the string fields, by New when they are empty:
// PostgREST counts an empty setting as unset).
const (
	DefaultRoleClaimKey    = "$.role"
	DefaultCacheMaxEntries = 1000
	DefaultServiceRole     = "service_role"
	// DefaultPublishableRole is the role a publishable key maps to when no anon role is
	// configured: Supabase's anon role is always called anon.
	DefaultPublishableRole = "anon"
	// ClockSkew is the tolerance PostgREST allows on exp, nbf and iat.
	ClockSkew = 30 * time.Second
	// minSecretLength is PostgREST's startup check on plain-text secrets.
	minSecretLength = 32
)

// Config is everything auth needs. The config package fills it from the environment; the
// comment on each field names the variable.
type Config struct {
	// Secret is PGRST_JWT_SECRET: a plain string of at least 32 characters (an HMAC key for
	// HS256/384/512), a JSON JWK or JWKS ({"keys":[…]}: RSA, EC, OKP/Ed25519 and oct keys),
	// or "@path" to read either from a file (one trailing newline is dropped).
	Secret string
	// SecretIsBase64 is PGRST_JWT_SECRET_IS_BASE64: Secret (after @file) is base64, with the
	// URL-safe characters - _ . read as + / =. The decoded bytes may themselves be a JWK(S).
	SecretIsBase64 bool
	// JWKSURL is a JWKS fetched over HTTP(S) and refreshed in the background (Supabase:
	// https://<project>/auth/v1/.well-known/jwks.json). Its keys are tried together with the
	// keys from Secret; Supabase never publishes oct keys there, so legacy HS256 tokens still
	// need Secret.
	JWKSURL string
	// JWKSRefreshInterval fixes how often JWKSURL is fetched again. Zero follows the
	// response's Cache-Control max-age / Expires (Supabase sends max-age=600), never more often
	// than once a minute.
	JWKSRefreshInterval time.Duration
	// HTTPClient fetches JWKSURL; nil means a client with a 10 s timeout.
	HTTPClient *http.Client

	// Audience is PGRST_JWT_AUD. When set, a token's aud (string or array) must contain it;
	// an absent, null or empty-array aud is accepted.
	Audience string
	// RoleClaimKey is PGRST_JWT_ROLE_CLAIM_KEY (default "$.role"); see ParseClaimPath for the
	// accepted syntax.
	RoleClaimKey string
	// AnonRole is PGRST_DB_ANON_ROLE; empty disables anonymous access (PGRST302).
	AnonRole string
	// CacheMaxEntries is PGRST_JWT_CACHE_MAX_ENTRIES: how many verified tokens are kept
	// (PostgREST's default 1000, see DefaultConfig); 0 turns the cache off.
	CacheMaxEntries int

	// PublishableKeys are Supabase's opaque sb_publishable_… keys; each maps to AnonRole
	// (or "anon" when AnonRole is empty).
	PublishableKeys []string
	// SecretKeys are Supabase's opaque sb_secret_… keys; each maps to ServiceRole.
	SecretKeys []string
	// ServiceRole is the role secret keys map to (default "service_role").
	ServiceRole string
	// RequireAPIKey makes Authenticate refuse, as Supabase's gateway does, a request whose
	// apikey is missing or unknown (see RequireAPIKey). Off by default: PostgREST ignores
	// the apikey header.
	RequireAPIKey bool

	// Logger receives JWKS fetch failures; nil means slog.Default().
	Logger *slog.Logger
}

// DefaultConfig returns a Config with PostgREST's defaults filled in.
func DefaultConfig() Config {
	return Config{
		RoleClaimKey:    DefaultRoleClaimKey,
		CacheMaxEntries: DefaultCacheMaxEntries,
		ServiceRole:     DefaultServiceRole,
	}
}

// ConfigError is a configuration the constructor refuses; the server should exit with it.
type ConfigError struct {
	Setting string // e.g. "jwt-secret"
	Reason  string
}

func (e *ConfigError) Error() string { return e.Setting + ": " + e.Reason }

func configErr(setting, format string, args ...any) error {
	return &ConfigError{Setting: setting, Reason: fmt.Sprintf(format, args...)}
}

// validateAudience mirrors PostgREST: jwt-aud must be a valid URI when it contains a colon.
func validateAudience(aud string) error {
	if !strings.Contains(aud, ":") {
		return nil
	}
	u, err := url.Parse(aud)
	if err != nil || u.Scheme == "" {
		return configErr("jwt-aud", "%q contains ':' but is not a valid URI", aud)
	}
	return nil
}

// opaqueKeyTable checks and indexes the configured Supabase keys.
func opaqueKeyTable(cfg *Config, publishableRole string) ([]opaqueKey, error) {
	var keys []opaqueKey
	seen := map[string]bool{}
	add := func(list []string, prefix, role, setting string) error {
		for _, k := range list {
			k = strings.TrimSpace(k)
			if k == "" {
				continue
			}
			if !strings.HasPrefix(k, prefix) || len(k) == len(prefix) {
				return configErr(setting, "a key must start with %q", prefix)
			}
			if seen[k] {
				return configErr(setting, "key %s… is configured twice", k[:len(prefix)])
			}
			seen[k] = true
			keys = append(keys, opaqueKey{value: k, role: role, secret: prefix == secretKeyPrefix})
		}
		return nil
	}
	if err := add(cfg.PublishableKeys, publishableKeyPrefix, publishableRole, "publishable-keys"); err != nil {
		return nil, err
	}
	if err := add(cfg.SecretKeys, secretKeyPrefix, cfg.ServiceRole, "secret-keys"); err != nil {
		return nil, err
	}
	return keys, nil
}

var errNoKeys = errors.New("the JWKS holds no key usable for JWS verification")
