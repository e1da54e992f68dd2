// Package server is the HTTP edge: echo wiring for the API (at / and under /rest/v1/), CORS
// as Supabase serves it, request ids and per-request logs, panic recovery (a 500 never shows
// internals), the admin server (/live, /ready, /metrics in Prometheus text format) and
// graceful shutdown. Serve also runs the schema reloader and its LISTEN connection
// (pkg/reload) for as long as it serves; GET / is the OpenAPI document (pkg/openapi).
//
// Each API request is handed through the stages in order — auth, apireq, plan, sqlgen, txn,
// response — and the result written as is; the server holds no business logic of its own.
// Nothing imports this package but cmd/rocksteady and tests.
package server
