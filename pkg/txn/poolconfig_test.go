package txn_test

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rocksteady/rocksteady/pkg/txn"
)

// PGRST_DB_POOL, PGRST_DB_POOL_MAX_IDLETIME and PGRST_DB_POOL_MAX_LIFETIME reach pgxpool.
func TestPoolConfigCarriesPoolSettings(t *testing.T) {
	cfg, err := txn.PoolConfig("postgres://authenticator@127.0.0.1:5432/db", 3, 7*time.Second, 90*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MaxConns != 3 || cfg.MaxConnIdleTime != 7*time.Second || cfg.MaxConnLifetime != 90*time.Second {
		t.Fatalf("max %d, idle %v, lifetime %v", cfg.MaxConns, cfg.MaxConnIdleTime, cfg.MaxConnLifetime)
	}
	if cfg.ConnConfig.DefaultQueryExecMode != pgx.QueryExecModeExec || cfg.ConnConfig.RuntimeParams["application_name"] != "rocksteady" {
		t.Fatalf("exec mode %v, application_name %q", cfg.ConnConfig.DefaultQueryExecMode, cfg.ConnConfig.RuntimeParams["application_name"])
	}
}
