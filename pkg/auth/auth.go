package auth

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rocksteady/rocksteady/pkg/apierr"
)

// Via says which credential decided the role.
type Via uint8

const (
	ViaNone          Via = iota // no credential: the anonymous role
	ViaAuthorization            // a JWT in Authorization: Bearer
	ViaAPIKeyJWT                // a JWT in apikey (no bearer token was sent)
	ViaOpaqueKey                // a Supabase publishable or secret key
)

func (v Via) String() string {
	return [...]string{"none", "authorization", "apikey-jwt", "opaque-key"}[v]
}

// Result is the outcome of a successful authentication.
type Result struct {
	// Role is the database role to switch to.
	Role string
	// Claims is request.jwt.claims: the verified payload with "role" set to Role (an
	// anonymous request gets {"role":"<anon>"}). A string, built once per verified token, so
	// that no request copies it.
	Claims string
	// Anonymous is Role == the anon role (a 42501 then answers 401 instead of 403).
	Anonymous bool
	// ExpiresAt is the token's exp; zero when it has none.
	ExpiresAt time.Time
	// Via is the credential that decided the role.
	Via Via
}

// Authenticator verifies credentials. It is safe for concurrent use; build one with New and
// stop its background JWKS refresh with Close.
type Authenticator struct {
	cfg             Config
	log             *slog.Logger
	rolePath        ClaimPath
	defaultRolePath bool // "$.role": read the top-level member directly
	publishableRole string
	serviceRole     string
	opaque          []opaqueKey
	opaqueResults   map[string]Result // by role
	anon            Result
	hasJWTKeys      bool

	static            []verifyKey
	keysMu            sync.Mutex
	keys              atomic.Pointer[keySet]
	remoteFingerprint []byte // JSON of the last JWKS published, under keysMu

	cache    *tokenCache
	stopJWKS func()
	now      func() time.Time
}

// New validates cfg and builds an Authenticator. When cfg.JWKSURL is set it makes a first
// fetch (up to 10 s) and keeps the set fresh in the background.
func New(cfg Config) (*Authenticator, error) {
	a := &Authenticator{cfg: cfg, log: cfg.Logger, now: time.Now}
	if a.log == nil {
		a.log = slog.Default()
	}
	if cfg.RoleClaimKey == "" {
		cfg.RoleClaimKey = DefaultRoleClaimKey
	}
	if cfg.ServiceRole == "" {
		cfg.ServiceRole = DefaultServiceRole
	}
	a.cfg = cfg
	if cfg.CacheMaxEntries < 0 {
		return nil, configErr("jwt-cache-max-entries", "must not be negative")
	}
	path, err := ParseClaimPath(cfg.RoleClaimKey)
	if err != nil {
		return nil, err
	}
	a.rolePath = path
	a.defaultRolePath = len(path.steps) == 1 && path.steps[0].kind == stepKey && path.steps[0].key == "role"
	if err := validateAudience(cfg.Audience); err != nil {
		return nil, err
	}
	a.serviceRole = cfg.ServiceRole
	a.publishableRole = cfg.AnonRole
	if a.publishableRole == "" {
		a.publishableRole = DefaultPublishableRole
	}
	if a.opaque, err = opaqueKeyTable(&cfg, a.publishableRole); err != nil {
		return nil, err
	}
	if a.static, err = loadSecret(cfg.Secret, cfg.SecretIsBase64); err != nil {
		return nil, err
	}
	a.keys.Store(&keySet{keys: a.static})
	a.hasJWTKeys = len(a.static) > 0 || cfg.JWKSURL != ""

	if cfg.AnonRole != "" {
		a.anon = Result{Role: cfg.AnonRole, Claims: roleOnlyClaims(cfg.AnonRole), Anonymous: true}
	}
	a.opaqueResults = map[string]Result{}
	issued := time.Now().Unix()
	for _, k := range a.opaque {
		if _, ok := a.opaqueResults[k.role]; !ok {
			a.opaqueResults[k.role] = a.keyResult(k.role, issued)
		}
	}
	if cfg.CacheMaxEntries > 0 {
		a.cache = newTokenCache(cfg.CacheMaxEntries)
	}
	if cfg.JWKSURL != "" {
		if err := a.startJWKS(&cfg); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// Close stops the background JWKS refresh. The Authenticator keeps working with the keys it has.
func (a *Authenticator) Close() {
	if a.stopJWKS != nil {
		a.stopJWKS()
	}
}

// CacheStats are the verified-token cache counters (all zero when the cache is off).
type CacheStats struct {
	Hits, Misses, Evictions uint64
	Entries                 int
}

// CacheStats returns the current counters; they only grow, so a metrics exporter can
// report them as counters.
func (a *Authenticator) CacheStats() CacheStats {
	if a.cache == nil {
		return CacheStats{}
	}
	return CacheStats{Hits: a.cache.hits.Load(), Misses: a.cache.misses.Load(),
		Evictions: a.cache.evictions.Load(), Entries: a.cache.len()}
}

// keyResult is what an opaque key stands for. Supabase's gateway swaps the key for a JWT it
// signed itself ({"role", "iss":"supabase", "iat", "exp": +5 years} on self-host), so the
// claims carry the same members; iat is when this Authenticator was built.
func (a *Authenticator) keyResult(role string, issued int64) Result {
	exp := issued + 5*365*24*3600
	claims, _ := marshalNoHTML(map[string]any{"exp": exp, "iat": issued, "iss": "supabase", "role": role})
	return Result{Role: role, Claims: string(claims), Anonymous: a.cfg.AnonRole != "" && role == a.cfg.AnonRole,
		ExpiresAt: time.Unix(exp, 0), Via: ViaOpaqueKey}
}

func roleOnlyClaims(role string) string {
	b, _ := marshalNoHTML(map[string]string{"role": role})
	return string(b)
}

// Authenticate resolves the request's credentials to a role and request.jwt.claims.
//
// authorization is the Authorization header; apikey is the apikey header or, when absent,
// the ?apikey= query parameter. The rules, in order:
//
//  1. With Config.RequireAPIKey, apikey must pass RequireAPIKey (else a *GatewayError).
//  2. "Bearer <jwt>" (scheme case-insensitive): the JWT decides, whatever apikey holds. An
//     empty token is PGRST301. Other schemes count as no token.
//  3. "Bearer sb_…" is never a session (Supabase: such a bearer only stands for the apikey):
//     the apikey decides, or the bearer value itself when no apikey was sent.
//  4. Otherwise the apikey decides: a configured publishable/secret key maps to its role; a
//     JWT (three dot-separated parts) is verified as if it were the bearer token; an sb_ value
//     that is not configured is refused like the gateway does (*GatewayError, Invalid API
//     key); any other value is ignored.
//  5. No credential: the anon role, or PGRST302 when there is none.
//
// Errors are *apierr.Error (PostgREST's PGRST30x) or *GatewayError.
func (a *Authenticator) Authenticate(authorization, apikey string) (Result, error) {
	if a.cfg.RequireAPIKey {
		if err := a.RequireAPIKey(apikey); err != nil {
			return Result{}, err
		}
	}
	if token, ok := bearerToken(authorization); ok {
		if !isOpaqueKey(token) {
			res, err := a.fromJWT(token)
			res.Via = ViaAuthorization
			return res, err
		}
		if apikey == "" {
			apikey = token
		}
	}
	switch {
	case apikey == "":
	case isOpaqueKey(apikey):
		if k := a.lookupOpaque(apikey); k != nil {
			return a.opaqueResults[k.role], nil
		}
		return Result{}, ErrInvalidAPIKey()
	case strings.Count(apikey, ".") == 2:
		res, err := a.fromJWT(apikey)
		res.Via = ViaAPIKeyJWT
		return res, err
	}
	return a.anonymous()
}

func (a *Authenticator) anonymous() (Result, error) {
	if a.cfg.AnonRole == "" {
		return Result{}, apierr.AnonDisabled()
	}
	return a.anon, nil
}

// bearerToken extracts the token of a Bearer credential: the scheme is matched
// case-insensitively and the token is what follows the whitespace after it.
func bearerToken(h string) (string, bool) {
	h = strings.TrimLeft(h, " \t")
	scheme, rest := h, ""
	if i := strings.IndexAny(h, " \t"); i >= 0 {
		scheme, rest = h[:i], h[i:]
	}
	if !strings.EqualFold(scheme, "bearer") {
		return "", false
	}
	return strings.TrimSpace(rest), true
}

// fromJWT verifies a token (through the cache) and applies the claim checks.
func (a *Authenticator) fromJWT(token string) (Result, error) {
	if token == "" {
		return Result{}, apierr.InvalidJWT(msgEmptyJWT, "")
	}
	if n := strings.Count(token, ".") + 1; n != 3 {
		return Result{}, apierr.InvalidJWT("Expected 3 parts in JWT; got "+strconv.Itoa(n), "")
	}
	if !a.hasJWTKeys {
		return Result{}, apierr.NoJWTSecret()
	}
	now := a.now().Unix()
	ks := a.keys.Load()
	if a.cache != nil {
		if e := a.cache.get(token, ks.gen); e != nil {
			if err := e.times.check(now); err != nil {
				a.cache.remove(e)
				return Result{}, err
			}
			return e.result, nil
		}
	}
	e, err := a.verify(ks, token, now)
	if err != nil {
		return Result{}, err
	}
	if a.cache != nil {
		a.cache.put(e)
	}
	return e.result, nil
}

// verify does the full work of a cache miss: signature, claims, role.
func (a *Authenticator) verify(ks *keySet, token string, now int64) (*cached, error) {
	payload, err := verifySignature(ks, token)
	if err != nil {
		return nil, err
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(payload, &obj); err != nil || obj == nil {
		return nil, apierr.InvalidClaims(msgParsingClaims)
	}
	t, err := readTimes(obj, now)
	if err != nil {
		return nil, err
	}
	if err := checkAudience(obj["aud"], a.cfg.Audience); err != nil {
		return nil, err
	}
	var role string
	var raw json.RawMessage
	var found bool
	if a.defaultRolePath {
		raw, found = obj["role"]
	} else {
		raw, found = a.rolePath.lookup(obj)
	}
	if found {
		role = roleValue(raw)
	} else if a.cfg.AnonRole != "" {
		role = a.cfg.AnonRole
	} else {
		return nil, apierr.AnonDisabled()
	}
	obj["role"], _ = marshalNoHTML(role)
	claims, err := marshalNoHTML(obj)
	if err != nil {
		return nil, apierr.InvalidClaims(msgParsingClaims)
	}
	res := Result{Role: role, Claims: string(claims), Anonymous: a.cfg.AnonRole != "" && role == a.cfg.AnonRole}
	if t.exp.set {
		res.ExpiresAt = time.Unix(t.exp.v, 0)
	}
	return &cached{token: strings.Clone(token), gen: ks.gen, times: t, result: res}, nil
}

// marshalNoHTML encodes like json.Marshal but leaves <, > and & as they are.
func marshalNoHTML(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
