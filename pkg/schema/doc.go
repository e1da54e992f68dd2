// Package schema reads the PostgreSQL catalog into an immutable Snapshot and keeps the
// current one in a Cache.
//
// It sits beside the request pipeline (HTTP → auth → apireq → plan → sqlgen → txn →
// response) rather than in it: the server calls Load (through Cache.Reload) at startup,
// before it accepts requests, and again on every reload signal (NOTIFY, SIGUSR1, admin);
// the planner reads Cache.Current() for each request and resolves tables, columns,
// relationships, computed columns and functions against it without any I/O.
//
// Load takes a Querier (*pgx.Conn, pgx.Tx or *pgxpool.Pool) and the exposed schemas and runs
// a fixed handful of catalog queries — relations, columns, enums, view definitions, keys,
// foreign keys, functions, role settings, casts — in one read-only transaction, whatever
// the size of the schema (5,000 tables with 5,000 foreign keys load in about 0.2 s). It returns a Snapshot holding, for the exposed schemas: tables,
// views, materialized views, foreign tables and partitioned tables (not partitions) with
// their columns, keys and foreign keys; the relationships PostgREST embeds along
// (many-to-one, one-to-many, one-to-one, many-to-many through junctions, computed), with
// foreign keys and primary keys carried through views by following each view column to
// the base column it shows; the RPC-callable functions with their parameters and result
// shape; computed columns; domain representations (implicit casts between domains and
// json/text); and the roles' ALTER ROLE … SET settings. Lookups are map reads, and
// SimilarRelation, SimilarFunction, SimilarParams and SimilarEmbed give the fuzzy "Perhaps
// you meant" hints of PGRST205, PGRST202 and PGRST200. A snapshot marshals to stable JSON
// and FromJSON reads it back, so planner tests run on a dumped schema (Dump, `rocksteady
// schema dump`).
//
// A Snapshot is never modified after it is published, so readers need no locks. Requests
// must never wait on a reload: Cache.Reload builds the next snapshot on the side and swaps
// it in with one atomic store; until then requests keep using the previous snapshot, and a
// failed reload keeps it. Concurrent reloads coalesce (one running, at most one queued).
//
// The package does not retry, debounce notifications, or flush the connection pool after a
// reload: the server owns those policies.
package schema
