package localpg

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/ory/dockertest/v3"
	"github.com/ory/dockertest/v3/docker"
)

// startDocker runs postgres:15 in a container when a Docker daemon answers quickly.
func startDocker(ctx context.Context, opts Options) (*Server, error) {
	pool, err := dockertest.NewPool("")
	if err != nil {
		return nil, err
	}
	pingDone := make(chan error, 1)
	go func() { pingDone <- pool.Client.Ping() }()
	select {
	case err := <-pingDone:
		if err != nil {
			return nil, err
		}
	case <-time.After(2 * time.Second):
		return nil, errors.New("docker daemon did not answer")
	}
	run := &dockertest.RunOptions{
		Repository: "postgres", Tag: "15",
		Env: []string{"POSTGRES_HOST_AUTH_METHOD=trust", "POSTGRES_USER=postgres"},
		Cmd: []string{"postgres", "-c", "max_connections=300"},
	}
	if opts.Port != 0 {
		run.PortBindings = map[docker.Port][]docker.PortBinding{
			"5432/tcp": {{HostIP: "127.0.0.1", HostPort: fmt.Sprint(opts.Port)}},
		}
	}
	if opts.DataDir != "" {
		abs, err := filepath.Abs(opts.DataDir)
		if err != nil {
			return nil, err
		}
		run.Mounts = []string{filepath.Join(abs, "docker-data") + ":/var/lib/postgresql/data"}
	}
	res, err := pool.RunWithOptions(run, func(hc *docker.HostConfig) {
		hc.AutoRemove = true
		hc.RestartPolicy = docker.RestartPolicy{Name: "no"}
	})
	if err != nil {
		return nil, err
	}
	u := fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable", res.GetHostPort("5432/tcp"))
	pool.MaxWait = 60 * time.Second
	if err := pool.Retry(func() error { return waitReady(ctx, u, nil) }); err != nil {
		_ = pool.Purge(res)
		return nil, err
	}
	return &Server{URL: u, Kind: "docker", stop: func() error { return pool.Purge(res) }}, nil
}
