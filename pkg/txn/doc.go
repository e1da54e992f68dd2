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
// implicit transaction and need no BEGIN/COMMIT. A statement that must refuse its own
// outcome (singular writes, max-affected) fails on purpose, which rolls the implicit
// transaction back; Query.Refusal turns that failure into the request's error. Only
// Prefer: tx=rollback and an isolation level open an explicit transaction, whose end goes
// in the same pipeline. Named statements (prepared.go) are prepared in that pipeline too.
//
// Every setting is transaction-local, so nothing leaks to the next request on the
// connection. txn must not format HTTP responses.
package txn
