package localpg

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Options says where and how to run the server.
type Options struct {
	// DataDir holds the cluster; empty means a throwaway temporary directory removed on Stop.
	// An existing cluster in DataDir is reused.
	DataDir string
	// Port to listen on (127.0.0.1); 0 picks a free one.
	Port int
	// Durable keeps fsync on (development data); tests turn it off for speed.
	Durable bool
	// NoDocker skips the Docker attempt.
	NoDocker bool
}

// Server is a running PostgreSQL.
type Server struct {
	// URL connects as the superuser "postgres" to the "postgres" database.
	URL  string
	Kind string // "docker" or "binaries"
	stop func() error
}

// Stop shuts the server down (fast shutdown) and waits for it.
func (s *Server) Stop() error {
	if s == nil || s.stop == nil {
		return nil
	}
	return s.stop()
}

// ErrNoPostgres says neither Docker nor PostgreSQL binaries are available.
var ErrNoPostgres = errors.New("no PostgreSQL available: install the PostgreSQL server package " +
	"(Debian/Ubuntu: apt-get install -y postgresql), or start a Docker daemon, " +
	"or point ROCKSTEADY_TEST_DATABASE_URL / PGRST_DB_URI at a running server")

// Start runs PostgreSQL through Docker when a daemon answers, else from local binaries.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if !opts.NoDocker {
		if s, err := startDocker(ctx, opts); err == nil {
			return s, nil
		}
	}
	bin, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	return startBinaries(ctx, bin, opts)
}

// FindBinaries returns the directory holding initdb and postgres: from PATH, else the
// newest /usr/lib/postgresql/*/bin.
func FindBinaries() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", ErrNoPostgres
}

func versionOf(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// FreePort asks the kernel for an unused loopback port.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// runAs is the unprivileged account PostgreSQL runs under when we are root.
func runAs() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, errors.New("running as root and no unprivileged user (postgres or nobody) to run PostgreSQL as")
}

func chownTree(dir string, cred *syscall.Credential) error {
	if cred == nil {
		return nil
	}
	return filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, int(cred.Uid), int(cred.Gid))
	})
}

func startBinaries(ctx context.Context, bin string, opts Options) (*Server, error) {
	cred, err := runAs()
	if err != nil {
		return nil, err
	}
	temporary := opts.DataDir == ""
	root := opts.DataDir
	if temporary {
		if root, err = os.MkdirTemp("", "rocksteady-pg-"); err != nil {
			return nil, err
		}
	} else if root, err = filepath.Abs(root); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, err
	}
	cleanup := func() {
		if temporary {
			os.RemoveAll(root)
		}
	}
	if err := chownTree(root, cred); err != nil {
		cleanup()
		return nil, err
	}
	if cred != nil {
		// The unprivileged user must be able to reach the directory.
		if err := ensureTraversable(root); err != nil {
			cleanup()
			return nil, err
		}
	}
	data := filepath.Join(root, "data")
	if _, err := os.Stat(filepath.Join(data, "PG_VERSION")); err != nil {
		cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres",
			"-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			cleanup()
			return nil, fmt.Errorf("initdb: %v\n%s", err, out)
		}
	}
	os.Remove(filepath.Join(data, "postmaster.pid")) // stale after a killed run; postgres checks the lock itself too
	port := opts.Port
	if port == 0 {
		if port, err = FreePort(); err != nil {
			cleanup()
			return nil, err
		}
	}
	args := []string{"-D", data, "-p", strconv.Itoa(port), "-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories=" + root, "-c", "max_connections=300",
		"-c", "shared_buffers=128MB", "-c", "max_locks_per_transaction=256"}
	if !opts.Durable {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	cmd := exec.Command(filepath.Join(bin, "postgres"), args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true, Pdeathsig: syscall.SIGINT}
	logFile, err := os.Create(filepath.Join(root, "postgres.log"))
	if err != nil {
		cleanup()
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		cleanup()
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); logFile.Close() }()
	u := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	stop := func() error {
		_ = cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		cleanup()
		return nil
	}
	if err := waitReady(ctx, u, exited); err != nil {
		stop()
		log, _ := os.ReadFile(filepath.Join(root, "postgres.log"))
		return nil, fmt.Errorf("postgres did not become ready: %w\n%s", err, log)
	}
	return &Server{URL: u, Kind: "binaries", stop: stop}, nil
}

func ensureTraversable(dir string) error {
	for d := filepath.Dir(dir); d != "/" && d != "."; d = filepath.Dir(d) {
		st, err := os.Stat(d)
		if err != nil {
			return err
		}
		if st.Mode().Perm()&0o001 == 0 {
			if err := os.Chmod(d, st.Mode().Perm()|0o001); err != nil {
				return fmt.Errorf("PostgreSQL's OS user cannot reach %s: %w", d, err)
			}
		}
	}
	return nil
}

// waitReady polls until a connection succeeds or the server exits.
func waitReady(ctx context.Context, u string, exited <-chan error) error {
	deadline := time.Now().Add(60 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("postgres exited: %v", err)
		default:
		}
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		conn, err := pgx.Connect(cctx, u)
		cancel()
		if err == nil {
			conn.Close(ctx)
			return nil
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
	return last
}

// WithUser returns the URL with another user (trust or password auth is the caller's affair).
func WithUser(rawURL, user, password string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	if password != "" {
		u.User = url.UserPassword(user, password)
	} else {
		u.User = url.User(user)
	}
	return u.String()
}

// WithDatabase returns the URL naming another database.
func WithDatabase(rawURL, db string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	u.Path = "/" + strings.TrimPrefix(db, "/")
	return u.String()
}
