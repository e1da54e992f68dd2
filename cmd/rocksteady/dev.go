package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rocksteady/rocksteady/pkg/config"
	"github.com/rocksteady/rocksteady/pkg/devkeys"
	"github.com/rocksteady/rocksteady/pkg/localpg"
	"github.com/rocksteady/rocksteady/pkg/migrate"
)

const (
	devDir       = ".rocksteady"
	devUserID    = "00000000-0000-4000-8000-000000000001"
	devUserEmail = "writer@example.com"
)

// dev runs the local stack: a PostgreSQL of its own (unless PGRST_DB_URI names one),
// migrated, with printed keys, serving on 127.0.0.1:3000.
func dev(ctx context.Context) error {
	if err := os.MkdirAll(devDir, 0o755); err != nil {
		return err
	}
	secret, err := devSecret()
	if err != nil {
		return err
	}
	superURL := os.Getenv("PGRST_DB_URI")
	if superURL == "" {
		fmt.Println("starting PostgreSQL (data in " + filepath.Join(devDir, "pg") + ") …")
		pg, err := localpg.Start(ctx, localpg.Options{DataDir: filepath.Join(devDir, "pg"), Durable: true})
		if err != nil {
			return err
		}
		defer func() {
			fmt.Println("stopping PostgreSQL …")
			_ = pg.Stop()
		}()
		superURL = pg.URL
		fmt.Printf("PostgreSQL (%s) at %s\n", pg.Kind, superURL)
	}
	files, err := migrate.Embedded()
	if err != nil {
		return err
	}
	res, err := migrate.Apply(ctx, superURL, files)
	if err != nil {
		return err
	}
	fmt.Printf("migrations: %d applied, %d already applied\n", len(res.Applied), len(res.Skipped))
	if err := ensureDevUser(ctx, superURL); err != nil {
		return err
	}

	env := map[string]string{
		"PGRST_DB_URI":       localpg.WithUser(superURL, "authenticator", ""),
		"PGRST_DB_SCHEMAS":   "public",
		"PGRST_DB_ANON_ROLE": "anon",
		"PGRST_JWT_SECRET":   secret,
		"PGRST_SERVER_HOST":  "127.0.0.1",
		"PGRST_SERVER_PORT":  "3000",
		"PGRST_LOG_LEVEL":    "info",
	}
	getenv := func(k string) string {
		if v, ok := os.LookupEnv(k); ok && k != "PGRST_DB_URI" {
			return v
		}
		return env[k]
	}
	cfg, err := config.Load(getenv, os.Environ())
	if err != nil {
		return err
	}
	logger := newLogger(cfg.LogLevel, false)
	a, err := startApp(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer a.close()

	now := time.Now()
	anon := devkeys.APIKey(secret, "anon", now)
	service := devkeys.APIKey(secret, "service_role", now)
	user := devkeys.UserToken(secret, devUserID, devUserEmail, now, 24*time.Hour)
	return a.serve(ctx, cfg, func(api, admin net.Addr) {
		base := "http://" + api.String()
		var b strings.Builder
		fmt.Fprintf(&b, "\nrocksteady is serving the ID8COMPOSER schema at %s (also under %s/rest/v1)\n\n", base, base)
		fmt.Fprintf(&b, "ANON_KEY=%s\n\nSERVICE_ROLE_KEY=%s\n\nUSER_TOKEN=%s\n(user %s, %s, valid 24 h)\n\n", anon, service, user, devUserID, devUserEmail)
		fmt.Fprintf(&b, "Try:\n  curl -s '%s/rest/v1/documents?select=id,title' -H 'apikey: %s' -H 'Authorization: Bearer %s'\n\n", base, anon, user)
		b.WriteString("Ctrl-C stops the server and the database.\n")
		fmt.Print(b.String())
	})
}

// devSecret reads the JWT secret kept in .rocksteady/, creating it the first time.
func devSecret() (string, error) {
	path := filepath.Join(devDir, "jwt-secret")
	if b, err := os.ReadFile(path); err == nil {
		if s := strings.TrimSpace(string(b)); len(s) >= 32 {
			return s, nil
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	s := devkeys.NewSecret()
	return s, os.WriteFile(path, []byte(s+"\n"), 0o600)
}

func ensureDevUser(ctx context.Context, url string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `INSERT INTO auth.users (id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
		VALUES ($1, 'authenticated', 'authenticated', $2, now(), '{"provider":"email","providers":["email"]}', '{}', now(), now())
		ON CONFLICT (id) DO NOTHING`, devUserID, devUserEmail)
	return err
}

func newLogger(level string, json bool) *slog.Logger {
	opts := &slog.HandlerOptions{Level: config.SlogLevel(level)}
	if json {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}
