// Package report turns the benchmark's measurements into a Markdown table (one row per
// scenario, target and rate step, with the ratios rocksteady/floor and rocksteady/pgbench)
// and a PNG plot of p99 latency against offered rate, drawn with the standard library's
// image packages and x/image's basic font.
package report
