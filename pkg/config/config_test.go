package config

import (
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, env map[string]string) (*Config, error) {
	t.Helper()
	var environ []string
	for k, v := range env {
		environ = append(environ, k+"="+v)
	}
	return Load(func(k string) string { return env[k] }, environ)
}

func TestDefaults(t *testing.T) {
	c, err := load(t, map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(c.DBSchemas, ",") != "public" || c.DBPool != 10 || c.ServerPort != 3000 ||
		c.AdminServerPort != 0 || c.JWTRoleClaimKey != "$.role" || c.JWTCacheMaxEntries != 1000 ||
		c.DBTxEnd != "commit" || c.DBPoolAcquisitionTimeout != 10*time.Second ||
		strings.Join(c.DBExtraSearchPath, ",") != "public" || c.DBChannel != "pgrst" || !c.DBChannelEnabled {
		t.Fatalf("defaults: %+v", c)
	}
	if err := c.RequireDB(); err == nil || !strings.HasPrefix(err.Error(), "PGRST_DB_URI: is required") {
		t.Fatalf("RequireDB: %v", err)
	}
}

func TestValues(t *testing.T) {
	c, err := load(t, map[string]string{
		"PGRST_DB_URI": "postgres://x", "PGRST_DB_SCHEMAS": "api, public", "PGRST_DB_ANON_ROLE": "anon",
		"PGRST_DB_POOL": "20", "PGRST_SERVER_PORT": "3001", "PGRST_ADMIN_SERVER_PORT": "3002",
		"PGRST_DB_AGGREGATES_ENABLED": "1", "PGRST_APP_SETTINGS_jwt_exp": "3600",
		"ROCKSTEADY_PUBLISHABLE_KEYS": "sb_publishable_a,sb_publishable_b",
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(c.DBSchemas, "|") != "api|public" || c.DBAnonRole != "anon" || c.DBPool != 20 ||
		c.ServerPort != 3001 || c.AdminServerPort != 3002 || !c.DBAggregatesEnabled ||
		c.AppSettings["app.settings.jwt_exp"] != "3600" || len(c.PublishableKeys) != 2 {
		t.Fatalf("values: %+v", c)
	}
}

func TestBadValuesNameTheVariable(t *testing.T) {
	cases := map[string]map[string]string{
		"PGRST_DB_POOL: \"many\" is not a whole number ≥ 1":                    {"PGRST_DB_POOL": "many"},
		"PGRST_SERVER_PORT: 70000 is not a TCP port":                           {"PGRST_SERVER_PORT": "70000"},
		"PGRST_DB_TX_END: \"maybe\" is not one of":                             {"PGRST_DB_TX_END": "maybe"},
		"PGRST_JWT_SECRET: the JWT secret must be at least 32 characters long": {"PGRST_JWT_SECRET": "short"},
		"PGRST_DB_SCHEMAS: db-schemas does not allow schema: 'pg_catalog'":     {"PGRST_DB_SCHEMAS": "pg_catalog"},
		"PGRST_ADMIN_SERVER_PORT: admin-server-port cannot be the same":        {"PGRST_ADMIN_SERVER_PORT": "3000"},
		"PGRST_DB_PLAN_ENABLED: \"perhaps\" is not a boolean":                  {"PGRST_DB_PLAN_ENABLED": "perhaps"},
	}
	for want, env := range cases {
		_, err := load(t, env)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%v: got %v, want %q…", env, err, want)
		}
	}
}

func TestListenAddr(t *testing.T) {
	for host, want := range map[string]string{"!4": "0.0.0.0:3000", "*6": "[::]:3000", "127.0.0.1": "127.0.0.1:3000"} {
		if got := ListenAddr(host, 3000); got != want {
			t.Errorf("%s: %s want %s", host, got, want)
		}
	}
}
