// Package dataset builds the benchmark's deterministic ID8COMPOSER dataset — users in
// auth.users, their documents and knowledge files — from a seeded PRNG, and loads it with
// COPY (pgx CopyFrom), creating the heavy indexes after the load and then running ANALYZE.
//
// Text is drawn from a synthetic 20,000-word vocabulary with a Zipf distribution, so that
// full-text search sees a realistic mix of frequent and rare terms. The same Spec and seed
// always give the same rows; the in-memory Dataset keeps what the load driver needs (ids,
// creation times, versions) without reading the database back.
package dataset
