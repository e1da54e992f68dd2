package config

import (
	"fmt"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Config is the validated configuration.
type Config struct {
	DBURI                    string
	DBSchemas                []string // first is the default schema
	DBAnonRole               string   // empty: anonymous access disabled (PGRST302)
	DBExtraSearchPath        []string
	DBMaxRows                int // 0: unlimited
	DBPool                   int
	DBPoolAcquisitionTimeout time.Duration
	DBPoolMaxIdletime        time.Duration
	DBPoolMaxLifetime        time.Duration
	DBPreRequest             string // schema-qualified function, or empty
	DBTxEnd                  string // commit, commit-allow-override, rollback, rollback-allow-override
	DBAggregatesEnabled      bool
	DBPlanEnabled            bool
	DBChannel                string
	DBChannelEnabled         bool
	// DBPreparedStatements prepares each distinct statement once per session. On by
	// default, as in PostgREST; turn it off behind a transaction-mode pooler that does not
	// track named statements.
	DBPreparedStatements bool

	JWTSecret          string
	JWTSecretIsBase64  bool
	JWTAud             string
	JWTRoleClaimKey    string
	JWTCacheMaxEntries int
	JWKSURL            string   // ROCKSTEADY_JWT_JWKS_URL
	PublishableKeys    []string // ROCKSTEADY_PUBLISHABLE_KEYS: sb_publishable_… → anon role
	SecretKeys         []string // ROCKSTEADY_SECRET_KEYS: sb_secret_… → service_role
	RequireAPIKey      bool     // ROCKSTEADY_REQUIRE_APIKEY: Supabase gateway's key check

	ServerHost           string
	ServerPort           int
	AdminServerHost      string
	AdminServerPort      int // 0: no admin server
	ServerCORSOrigins    []string
	ServerTimingEnabled  bool
	ClientErrorVerbosity string // verbose or minimal
	OpenAPIMode          string // follow-privileges, ignore-privileges, disabled
	// OpenAPIServerProxyURI is PGRST_OPENAPI_SERVER_PROXY_URI: the API's public URL, put in
	// the OpenAPI document's servers.
	OpenAPIServerProxyURI string
	LogLevel              string // crit, error, warn, info, debug
	MaxBodyBytes          int64  // ROCKSTEADY_MAX_BODY_BYTES
	AppSettings           map[string]string
}

// Error names the variable at fault.
type Error struct {
	Var, Msg string
}

func (e *Error) Error() string { return e.Var + ": " + e.Msg }

// FromEnv reads the process environment.
func FromEnv() (*Config, error) { return Load(os.Getenv, os.Environ()) }

// Load reads settings through getenv; environ (KEY=VALUE lines) supplies PGRST_APP_SETTINGS_*.
func Load(getenv func(string) string, environ []string) (*Config, error) {
	r := reader{get: getenv}
	c := &Config{
		DBURI:                    r.str("PGRST_DB_URI", ""),
		DBSchemas:                r.list("PGRST_DB_SCHEMAS", "public"),
		DBAnonRole:               r.str("PGRST_DB_ANON_ROLE", ""),
		DBMaxRows:                r.int("PGRST_DB_MAX_ROWS", 0, 0),
		DBPool:                   r.int("PGRST_DB_POOL", 10, 1),
		DBPoolAcquisitionTimeout: r.seconds("PGRST_DB_POOL_ACQUISITION_TIMEOUT", 10),
		DBPoolMaxIdletime:        r.seconds("PGRST_DB_POOL_MAX_IDLETIME", 30),
		DBPoolMaxLifetime:        r.seconds("PGRST_DB_POOL_MAX_LIFETIME", 1800),
		DBPreRequest:             r.str("PGRST_DB_PRE_REQUEST", ""),
		DBTxEnd:                  r.oneOf("PGRST_DB_TX_END", "commit", "commit", "commit-allow-override", "rollback", "rollback-allow-override"),
		DBAggregatesEnabled:      r.bool("PGRST_DB_AGGREGATES_ENABLED", false),
		DBPlanEnabled:            r.bool("PGRST_DB_PLAN_ENABLED", false),
		DBChannel:                r.str("PGRST_DB_CHANNEL", "pgrst"),
		DBChannelEnabled:         r.bool("PGRST_DB_CHANNEL_ENABLED", true),
		DBPreparedStatements:     r.bool("PGRST_DB_PREPARED_STATEMENTS", true),
		JWTSecret:                r.str("PGRST_JWT_SECRET", ""),
		JWTSecretIsBase64:        r.bool("PGRST_JWT_SECRET_IS_BASE64", false),
		JWTAud:                   r.str("PGRST_JWT_AUD", ""),
		JWTRoleClaimKey:          r.str("PGRST_JWT_ROLE_CLAIM_KEY", "$.role"),
		JWTCacheMaxEntries:       r.int("PGRST_JWT_CACHE_MAX_ENTRIES", 1000, 0),
		JWKSURL:                  r.str("ROCKSTEADY_JWT_JWKS_URL", ""),
		PublishableKeys:          r.list("ROCKSTEADY_PUBLISHABLE_KEYS", ""),
		SecretKeys:               r.list("ROCKSTEADY_SECRET_KEYS", ""),
		RequireAPIKey:            r.bool("ROCKSTEADY_REQUIRE_APIKEY", false),
		ServerHost:               r.str("PGRST_SERVER_HOST", "!4"),
		ServerPort:               r.port("PGRST_SERVER_PORT", 3000),
		AdminServerPort:          r.port("PGRST_ADMIN_SERVER_PORT", 0),
		ServerCORSOrigins:        r.list("PGRST_SERVER_CORS_ALLOWED_ORIGINS", ""),
		ServerTimingEnabled:      r.bool("PGRST_SERVER_TIMING_ENABLED", false),
		ClientErrorVerbosity:     r.oneOf("PGRST_CLIENT_ERROR_VERBOSITY", "verbose", "verbose", "minimal"),
		OpenAPIMode:              r.oneOf("PGRST_OPENAPI_MODE", "follow-privileges", "follow-privileges", "ignore-privileges", "disabled"),
		OpenAPIServerProxyURI:    r.str("PGRST_OPENAPI_SERVER_PROXY_URI", ""),
		LogLevel:                 r.oneOf("PGRST_LOG_LEVEL", "error", "crit", "error", "warn", "info", "debug"),
		MaxBodyBytes:             int64(r.int("ROCKSTEADY_MAX_BODY_BYTES", 100<<20, 1)),
		AppSettings:              appSettings(environ),
	}
	if v, ok := r.lookup("PGRST_DB_EXTRA_SEARCH_PATH"); ok {
		c.DBExtraSearchPath = splitList(v) // "" means none
	} else {
		c.DBExtraSearchPath = []string{"public"}
	}
	c.AdminServerHost = r.str("PGRST_ADMIN_SERVER_HOST", c.ServerHost)
	if r.err != nil {
		return nil, r.err
	}
	return c, c.validate()
}

func (c *Config) validate() error {
	if len(c.DBSchemas) == 0 {
		return &Error{"PGRST_DB_SCHEMAS", "at least one schema must be exposed"}
	}
	for _, s := range c.DBSchemas {
		if s == "pg_catalog" || s == "information_schema" {
			return &Error{"PGRST_DB_SCHEMAS", fmt.Sprintf("db-schemas does not allow schema: '%s'", s)}
		}
	}
	if c.AdminServerPort != 0 && c.AdminServerPort == c.ServerPort {
		return &Error{"PGRST_ADMIN_SERVER_PORT", "admin-server-port cannot be the same as server-port"}
	}
	if c.JWTSecret != "" && !c.JWTSecretIsBase64 && !strings.HasPrefix(strings.TrimSpace(c.JWTSecret), "{") &&
		!strings.HasPrefix(c.JWTSecret, "@") && len(c.JWTSecret) < 32 {
		return &Error{"PGRST_JWT_SECRET", "the JWT secret must be at least 32 characters long"}
	}
	return nil
}

// RequireDB checks that a database URI is set (serve needs one; dev makes its own).
func (c *Config) RequireDB() error {
	if c.DBURI == "" {
		return &Error{"PGRST_DB_URI", "is required (e.g. postgres://authenticator:password@localhost:5432/postgres)"}
	}
	return nil
}

// ListenAddr resolves PostgREST's host notation (*, *4, !4, *6, !6, or an address).
func ListenAddr(host string, port int) string {
	switch host {
	case "*", "*4", "!4", "":
		host = "0.0.0.0"
	case "*6", "!6":
		host = "::"
	}
	return net.JoinHostPort(host, strconv.Itoa(port))
}

type reader struct {
	get func(string) string
	err error
}

func (r *reader) lookup(name string) (string, bool) {
	v := r.get(name)
	return v, v != "" || isSetEmpty(name)
}

// isSetEmpty tells an empty-but-set variable from an unset one (only db-extra-search-path
// gives "" a meaning).
func isSetEmpty(name string) bool {
	_, ok := os.LookupEnv(name)
	return ok && name == "PGRST_DB_EXTRA_SEARCH_PATH"
}

func (r *reader) fail(name, msg string) {
	if r.err == nil {
		r.err = &Error{name, msg}
	}
}

func (r *reader) str(name, def string) string {
	if v := strings.TrimSpace(r.get(name)); v != "" {
		return v
	}
	return def
}

func (r *reader) list(name, def string) []string {
	return splitList(r.str(name, def))
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (r *reader) int(name string, def, min int) int {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min {
		r.fail(name, fmt.Sprintf("%q is not a whole number ≥ %d", v, min))
		return def
	}
	return n
}

func (r *reader) port(name string, def int) int {
	n := r.int(name, def, 0)
	if n > 65535 {
		r.fail(name, fmt.Sprintf("%d is not a TCP port", n))
	}
	return n
}

func (r *reader) seconds(name string, def int) time.Duration {
	return time.Duration(r.int(name, def, 0)) * time.Second
}

func (r *reader) bool(name string, def bool) bool {
	v := strings.ToLower(r.str(name, ""))
	switch v {
	case "":
		return def
	case "true", "on", "yes":
		return true
	case "false", "off", "no":
		return false
	}
	if n, err := strconv.Atoi(v); err == nil {
		return n > 0
	}
	r.fail(name, fmt.Sprintf("%q is not a boolean (true or false)", v))
	return def
}

func (r *reader) oneOf(name, def string, allowed ...string) string {
	v := r.str(name, def)
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	r.fail(name, fmt.Sprintf("%q is not one of %s", v, strings.Join(allowed, ", ")))
	return def
}

func appSettings(environ []string) map[string]string {
	const prefix = "PGRST_APP_SETTINGS_"
	out := map[string]string{}
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if ok && strings.HasPrefix(k, prefix) && len(k) > len(prefix) {
			out["app.settings."+k[len(prefix):]] = v
		}
	}
	return out
}

// AppSettingNames returns the app.settings.* names in a stable order.
func (c *Config) AppSettingNames() []string {
	names := make([]string, 0, len(c.AppSettings))
	for k := range c.AppSettings {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
