// Package txn runs one request as one PostgreSQL transaction on the pool.
//
// It sits after sqlgen in the pipeline (HTTP → auth → apireq → plan → sqlgen → txn →
// response). It takes a Query — the transaction-local settings (search_path, the role's own
// settings, role, request.jwt.claims, request.method/path/headers/cookies, app settings), an
// optional pre-request call and the one main statement with its text arguments — and
// returns the main statement's single row as raw bytes, never decoded into Go values.
//
// The common case is one network round trip: the settings statement and the main statement
// go out pipelined in the extended protocol before a single Sync, so they already form one
// implicit transaction and need no BEGIN/COMMIT. When the outcome must be inspected before
// it is kept (singular writes, max-affected, Prefer: tx=rollback), an explicit transaction
// is opened in the same pipeline and ended with COMMIT or ROLLBACK after the check.
//
// Every setting is transaction-local, so nothing leaks to the next request on the
// connection. txn must not format HTTP responses.
package txn
