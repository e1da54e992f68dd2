package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/rocksteady/rocksteady/pkg/auth"
	"github.com/rocksteady/rocksteady/pkg/config"
	"github.com/rocksteady/rocksteady/pkg/reload"
	"github.com/rocksteady/rocksteady/pkg/schema"
	"github.com/rocksteady/rocksteady/pkg/server"
	"github.com/rocksteady/rocksteady/pkg/txn"
)

// app is a running data plane: pool, schema cache, authenticator and server.
type app struct {
	pool   *pgxpool.Pool
	cache  *schema.Cache
	server *server.Server
	log    *slog.Logger
	stop   context.CancelFunc
}

func startApp(ctx context.Context, cfg *config.Config, logger *slog.Logger) (*app, error) {
	authn, err := auth.New(authConfig(cfg, logger))
	if err != nil {
		return nil, fmt.Errorf("PGRST_JWT_SECRET: %w", err)
	}
	pcfg, err := txn.PoolConfig(cfg.DBURI, cfg.DBPool, cfg.DBPoolMaxIdletime, cfg.DBPoolMaxLifetime)
	if err != nil {
		return nil, fmt.Errorf("PGRST_DB_URI: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("PGRST_DB_URI: %w", err)
	}
	cache := schema.NewCache(func(ctx context.Context) (*schema.Snapshot, error) {
		ctx, cancel := context.WithTimeout(ctx, schemaLoadTimeout)
		defer cancel()
		return schema.Load(ctx, pool, cfg.DBSchemas)
	})
	bg, stop := context.WithCancel(context.Background())
	a := &app{pool: pool, cache: cache, log: logger, stop: stop}
	if err := cache.Reload(ctx); err != nil {
		logger.Error("schema cache load failed; retrying", "err", err)
		go a.retryLoad(bg)
	}
	reloader := reload.New(cache, logger)
	a.server = server.New(server.Options{Config: cfg, Log: logger, Pool: pool,
		Stages:   server.Stages{Auth: authn, Schema: cache, Runner: txn.New(pool).WithPreparedStatements(cfg.DBPreparedStatements)},
		Reloader: reloader,
		OnConfigReload: func() {
			// The configuration comes from the environment, which a running process cannot
			// see change; the only settings read from the database are the roles' ALTER ROLE
			// … SET ones, and they live in the schema snapshot.
			logger.Warn("reload config: re-reading role settings (PGRST_* variables apply at startup)")
			reloader.Request()
		}})
	return a, nil
}

// schemaLoadTimeout bounds one schema cache load, so a hung catalog query cannot stall
// reloads forever.
const schemaLoadTimeout = 2 * time.Minute

// handleSignals turns SIGUSR1 into a schema reload and SIGUSR2 into a config reload until
// ctx ends.
func (a *app) handleSignals(ctx context.Context) {
	sig := make(chan os.Signal, 4)
	signal.Notify(sig, syscall.SIGUSR1, syscall.SIGUSR2)
	go func() {
		defer signal.Stop(sig)
		for {
			select {
			case <-ctx.Done():
				return
			case s := <-sig:
				if s == syscall.SIGUSR1 {
					a.log.Warn("SIGUSR1: reloading the schema cache")
					a.server.Reloader().Request()
				} else {
					a.server.ReloadConfig()
				}
			}
		}
	}()
}

// retryLoad keeps trying to load the schema cache until it succeeds (requests answer 503
// PGRST002 meanwhile).
func (a *app) retryLoad(ctx context.Context) {
	for delay := time.Second; ; {
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		if err := a.cache.Reload(ctx); err == nil {
			a.log.Warn("schema cache loaded")
			return
		} else {
			a.log.Error("schema cache load failed; retrying", "err", err)
		}
		if delay < 30*time.Second {
			delay *= 2
		}
	}
}

func (a *app) serve(ctx context.Context, cfg *config.Config, ready func(api, admin net.Addr)) error {
	admin := ""
	if cfg.AdminServerPort != 0 {
		admin = config.ListenAddr(cfg.AdminServerHost, cfg.AdminServerPort)
	}
	a.handleSignals(ctx)
	return a.server.Serve(ctx, config.ListenAddr(cfg.ServerHost, cfg.ServerPort), admin, 30*time.Second, ready)
}

func (a *app) close() {
	a.stop()
	a.pool.Close()
}

func authConfig(cfg *config.Config, logger *slog.Logger) auth.Config {
	return auth.Config{
		Secret:          cfg.JWTSecret,
		SecretIsBase64:  cfg.JWTSecretIsBase64,
		JWKSURL:         cfg.JWKSURL,
		Audience:        cfg.JWTAud,
		RoleClaimKey:    cfg.JWTRoleClaimKey,
		AnonRole:        cfg.DBAnonRole,
		CacheMaxEntries: cfg.JWTCacheMaxEntries,
		PublishableKeys: cfg.PublishableKeys,
		SecretKeys:      cfg.SecretKeys,
		RequireAPIKey:   cfg.RequireAPIKey,
		Logger:          logger,
	}
}
