// Package load is the benchmark's open-loop HTTP driver and its latency statistics.
//
// A Step sends requests at a constant arrival rate for a fixed time. Request i is due at
// start + i/rate and is sent at that moment whatever happened to earlier requests (each
// in its own goroutine, bounded by MaxInFlight); its latency is measured from the due
// time, not from when it actually left, so a stalled server is charged for the queue it
// causes (no coordinated omission). Requests go out over keep-alive HTTP/1.1 connections,
// one per simulated user (a few when users are fewer than connections), so the server
// holds one connection per user as browsers would. Each request is written and its answer
// read on the connection directly, without net/http's transport, to keep the driver's own
// CPU low: it shares the cores with the server it measures.
//
// The driver is written here rather than taken from a load-testing library because it is
// small and the due-time accounting, per-user clients and outcome classes (ok, expected
// error, unavailable, failed) are exactly what the harness needs.
package load
