package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/rocksteady/rocksteady/pkg/config"
	"github.com/rocksteady/rocksteady/pkg/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// The binary's wiring: SIGUSR1 reloads the schema cache, SIGUSR2 the config (which
// re-reads the role settings held in the cache), and the serve context ending (SIGTERM,
// SIGINT) shuts down cleanly.
func TestSignalsReloadAndServeShutsDown(t *testing.T) {
	db := pgtest.NewDB(t, "migrated", pgtest.Migrated)
	vars := map[string]string{
		"PGRST_DB_URI":             db.URLAs("authenticator"),
		"PGRST_DB_ANON_ROLE":       "anon",
		"PGRST_JWT_SECRET":         "reallyreallyreallyreallyverysafe",
		"PGRST_SERVER_HOST":        "127.0.0.1",
		"PGRST_SERVER_PORT":        "0",
		"PGRST_DB_CHANNEL_ENABLED": "false",
	}
	cfg, err := config.Load(func(k string) string { return vars[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := startApp(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	listening := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- a.serve(ctx, cfg, func(api, _ net.Addr) { listening <- api.String() })
	}()
	var addr string
	select {
	case addr = <-listening:
	case err := <-done:
		t.Fatalf("serve: %v", err)
	}

	waitLoads := func(what string, n int64) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for a.cache.Stats().Loads < n {
			if time.Now().After(deadline) {
				t.Fatalf("no schema reload after %s (%d loads)", what, a.cache.Stats().Loads)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	loads := a.cache.Stats().Loads
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	waitLoads("SIGUSR1", loads+1)
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR2); err != nil {
		t.Fatal(err)
	}
	waitLoads("SIGUSR2", loads+2)

	res, err := http.Get("http://" + addr + "/documents?select=id&limit=0")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("GET /documents: %d", res.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve returned %v", err)
	}
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Fatal("still accepting connections after shutdown")
	}
}
