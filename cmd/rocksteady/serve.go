package main

import (
	"context"
	"net"

	"github.com/rocksteady/rocksteady/pkg/config"
)

func serve(ctx context.Context) error {
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	if err := cfg.RequireDB(); err != nil {
		return err
	}
	logger := newLogger(cfg.LogLevel, true)
	a, err := startApp(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer a.close()
	return a.serve(ctx, cfg, func(api, admin net.Addr) {
		attrs := []any{"api", api.String()}
		if admin != nil {
			attrs = append(attrs, "admin", admin.String())
		}
		logger.Warn("listening", attrs...)
	})
}
