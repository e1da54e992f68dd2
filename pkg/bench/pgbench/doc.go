// Package pgbench replays rocksteady's full per-request transactions — the settings
// statement, the main statement and, when rocksteady used one, the explicit BEGIN …
// COMMIT — with PostgreSQL's pgbench at a fixed rate (-R, latency from the scheduled
// start), over as many connections as rocksteady's pool.
//
// pgbench variables are numbers only, so each script is one concrete request with its
// values inlined as literals (type unknown, like rocksteady's untyped parameters); a step
// draws among up to 100 such scripts, each a different sampled request. The statements up
// to the main one go out in one pipeline (\startpipeline … \endpipeline), one round trip,
// as rocksteady sends them.
package pgbench
