// Package localpg starts a PostgreSQL server on this machine for development and tests:
// through Docker (dockertest) when a daemon answers, else from the machine's PostgreSQL
// server binaries (initdb + postgres, listening on 127.0.0.1 only, run as an unprivileged
// OS user when the caller is root, since PostgreSQL refuses to run as root).
//
// It is used by `rocksteady dev` and by pkg/pgtest. It knows nothing of rocksteady's
// schema: callers migrate the database themselves.
package localpg
