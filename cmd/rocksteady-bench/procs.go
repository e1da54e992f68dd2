package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/rocksteady/rocksteady/pkg/bench/capture"
	"github.com/rocksteady/rocksteady/pkg/bench/floor"
	"github.com/rocksteady/rocksteady/pkg/localpg"
)

// server is a target running as a child process on 127.0.0.1.
type server struct {
	name string
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
	done chan error
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// stop ends the process by its pid: SIGTERM, then SIGKILL after 10 s.
func (s *server) stop() {
	if s == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

func startProcess(name string, cmd *exec.Cmd, base, readyURL string, timeout time.Duration) (*server, time.Duration, error) {
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, fmt.Errorf("%s: %w", name, err)
	}
	s := &server{name: name, cmd: cmd, base: base, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	client := &http.Client{Timeout: time.Second}
	deadline := start.Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			s.done <- err
			return nil, 0, fmt.Errorf("%s exited during startup: %v", name, err)
		default:
		}
		if resp, err := client.Get(readyURL); err == nil {
			resp.Body.Close()
			if resp.StatusCode < 500 {
				return s, time.Since(start), nil
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	s.stop()
	return nil, 0, fmt.Errorf("%s not ready after %s", name, timeout)
}

// preparedStatements is --prepared-statements: rocksteady's PGRST_DB_PREPARED_STATEMENTS,
// and pgbench's -M prepared instead of -M extended.
var preparedStatements bool

// startRocksteady runs the rocksteady binary against dbURL (the login role's URL).
func startRocksteady(bin, dbURL, secret string, pool int) (*server, time.Duration, error) {
	port, err := localpg.FreePort()
	if err != nil {
		return nil, 0, err
	}
	admin, err := localpg.FreePort()
	if err != nil {
		return nil, 0, err
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(),
		"PGRST_DB_URI="+dbURL, "PGRST_DB_SCHEMAS=public", "PGRST_DB_ANON_ROLE=anon",
		"PGRST_JWT_SECRET="+secret, "PGRST_SERVER_HOST=127.0.0.1",
		"PGRST_SERVER_PORT="+strconv.Itoa(port), "PGRST_ADMIN_SERVER_PORT="+strconv.Itoa(admin),
		"PGRST_DB_POOL="+strconv.Itoa(pool), "PGRST_LOG_LEVEL=error",
		"PGRST_DB_PREPARED_STATEMENTS="+strconv.FormatBool(preparedStatements))
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	return startProcess("rocksteady", cmd, base, fmt.Sprintf("http://127.0.0.1:%d/ready", admin), 30*time.Second)
}

// floorConfig is handed to the floor child process (this binary, `floor` subcommand).
type floorConfig struct {
	URL        string                        `json:"url"`
	Pool       int                           `json:"pool"`
	Addr       string                        `json:"addr"`
	Statements map[string]*capture.Statement `json:"statements"`
}

func startFloor(dir string, cfg floorConfig) (*server, error) {
	port, err := localpg.FreePort()
	if err != nil {
		return nil, err
	}
	cfg.Addr = fmt.Sprintf("127.0.0.1:%d", port)
	b, _ := json.Marshal(cfg)
	path := dir + "/floor.json"
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "floor", path)
	s, _, err := startProcess("floor", cmd, "http://"+cfg.Addr, "http://"+cfg.Addr+"/", 30*time.Second)
	return s, err
}

// runFloor is the floor child process.
func runFloor(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var cfg floorConfig
	if err := json.Unmarshal(b, &cfg); err != nil {
		return err
	}
	pcfg, err := pgxpool.ParseConfig(cfg.URL)
	if err != nil {
		return err
	}
	pcfg.MaxConns = int32(cfg.Pool)
	// search_knowledge_files answers only for the caller or service_role; the floor has
	// no claims, so its sessions say service_role once, at connect time.
	pcfg.ConnConfig.RuntimeParams["request.jwt.claim.role"] = "service_role"
	pool, err := pgxpool.NewWithConfig(context.Background(), pcfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	srv := &http.Server{Addr: cfg.Addr, Handler: &floor.Handler{Pool: pool, Statements: cfg.Statements, BodyColumn: 2},
		ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signalContext()
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		return err
	}
	return nil
}
