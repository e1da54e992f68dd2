// Package bench is the root of the `make bench` harness (cmd/rocksteady-bench). It holds
// no code of its own; its sub-packages each do one job:
//
//   - dataset: the deterministic ID8COMPOSER dataset (users, documents, knowledge files)
//     and its fast loader (COPY);
//   - load: the open-loop constant-rate HTTP driver and latency statistics;
//   - floor: the minimal net/http + pgx server that runs only each request's final SQL;
//   - capture: reads the statements rocksteady sent from PostgreSQL's statement log;
//   - pgbench: replays rocksteady's per-request transactions with pgbench;
//   - proc: CPU time and peak RSS of a process from /proc;
//   - report: the Markdown table and the PNG plot.
//
// Nothing here is imported by the server.
package bench
