// Package capture recovers the exact statements rocksteady sent for a request from
// PostgreSQL's statement log (log_statement = all, set for the login role only), and
// turns them into templates: each parameter that carries a request's own value (user id,
// document id, token, body, …) becomes a placeholder, so the floor and pgbench can replay
// the same statements with other users' values.
//
// Reading the log keeps the harness independent of how the server builds its SQL: whatever
// lands in main is what gets replayed.
package capture
