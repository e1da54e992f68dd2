// Package reload keeps the schema cache current without putting reloads on the request
// path.
//
// It sits beside the pipeline, next to pkg/schema: a Reloader runs Cache.Reload in the
// background whenever it is asked to (NOTIFY, SIGUSR1, a reconnected listener), and
// Refresh gives a request that named an unknown table or function one rate-limited chance
// to see a newer catalog before it answers 404. A Listener holds a dedicated connection
// (not one of the pool's) that LISTENs on PGRST_DB_CHANNEL, turns `reload schema` (or an
// empty payload) and `reload config` into callbacks, and reconnects with backoff after the
// database restarts or kills it, asking for a schema reload each time it (re)connects
// because notifications sent while it was away are lost.
//
// Requests keep reading the previous snapshot while a reload runs; the swap is one atomic
// store inside the Cache. The package never formats HTTP and never blocks a request
// except in Refresh, which only the unknown-object path calls.
package reload
