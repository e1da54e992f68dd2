package main

import (
	"fmt"
	"time"

	"github.com/rocksteady/rocksteady/pkg/bench/report"
)

func verdict(ok bool) string {
	if ok {
		return "holds"
	}
	return "MISSED"
}

// summary states issue 7's targets against what was measured, ratios first.
func summary(rep *report.Report, startups []time.Duration, conns int) []string {
	var out []string
	has := func(name string) bool {
		for _, s := range rep.Scenarios {
			if s.Name == name && s.Unavailable == "" {
				return true
			}
		}
		return false
	}
	// missing says why a scenario has no numbers: left out by --scenarios, or its
	// captured request did not get the expected answer.
	missing := func(name string) string {
		for _, s := range rep.Scenarios {
			if s.Name == name {
				return "not available (" + s.Unavailable + ")"
			}
		}
		return "not run (--scenarios)"
	}
	if has("get") {
		rs, fl := rep.Peak("get", report.Rocksteady), rep.Peak("get", report.Floor)
		if fl > 0 {
			out = append(out, fmt.Sprintf("point read (get): peak throughput rocksteady/floor = %.2f (%.0f vs %.0f req/s; target ≥ 0.80: %s)",
				rs/fl, rs, fl, verdict(rs/fl >= 0.8)))
		}
		if row, ok := rep.Find("get", report.Rocksteady, 1000); ok {
			line := fmt.Sprintf("point read (get): rocksteady p99 at 1000 req/s = %.2f ms (target < 5 ms: %s)", msf(row.Result.Latency.P99),
				verdict(report.Holds(row, 5*time.Millisecond)))
			if f, ok := rep.Find("get", report.Floor, 1000); ok && f.Result.Latency.P99 > 0 {
				line += fmt.Sprintf("; p99 rocksteady/floor = %.2f", float64(row.Result.Latency.P99)/float64(f.Result.Latency.P99))
			}
			if f, ok := rep.Find("get", report.Floor, 1000); ok && f.ServerCPU+f.DBCPU > 0 {
				line += fmt.Sprintf("; CPU per request (server + PostgreSQL) rocksteady/floor = %.2f (%s vs %s µs)",
					float64(row.ServerCPU+row.DBCPU)/float64(f.ServerCPU+f.DBCPU), usf(row.ServerCPU+row.DBCPU), usf(f.ServerCPU+f.DBCPU))
			}
			out = append(out, line)
		}
		if p := rep.Peak("get", report.PGBench); p > 0 {
			out = append(out, fmt.Sprintf("point read (get): peak throughput rocksteady/pgbench = %.2f", rep.Peak("get", report.Rocksteady)/p))
		}
	}
	if has("search") {
		best := rep.MaxRate("search", report.Rocksteady, 25*time.Millisecond)
		out = append(out, fmt.Sprintf("search_knowledge_files (heavy user): p99 < 25 ms holds up to %.0f req/s (%s); peak throughput rocksteady/floor = %s",
			best, verdict(best > 0), ratioText(rep.Peak("search", report.Rocksteady), rep.Peak("search", report.Floor))))
	} else {
		out = append(out, "search_knowledge_files: "+missing("search")+": target p99 < 25 ms not measured")
	}
	if has("patch") {
		rs, pg := rep.Peak("patch", report.Rocksteady), rep.Peak("patch", report.PGBench)
		out = append(out, fmt.Sprintf("auto-save PATCH: peak throughput rocksteady/pgbench = %s (target ≥ 0.80: %s); rocksteady/floor = %s",
			ratioText(rs, pg), verdict(pg > 0 && rs/pg >= 0.8), ratioText(rs, rep.Peak("patch", report.Floor))))
	} else {
		out = append(out, "auto-save PATCH: "+missing("patch")+": target ≥ 0.8× pgbench not measured")
	}
	var peak, overall int64
	for _, row := range rep.Rows {
		if row.Target != report.Rocksteady {
			continue
		}
		overall = max(overall, row.PeakRSS)
		if row.Result.Achieved >= 0.95*row.Rate && row.Result.Errors() == 0 {
			peak = max(peak, row.PeakRSS)
		}
	}
	out = append(out, fmt.Sprintf("memory: rocksteady peak RSS %.1f MB over the steps it kept up with, %d users' keep-alive connections open (target < 100 MB at 1,000 connections: %s); %.1f MB including overload steps",
		float64(peak)/(1<<20), conns, verdict(peak > 0 && peak < 100<<20), float64(overall)/(1<<20)))
	if len(startups) > 0 {
		m := median(startups)
		out = append(out, fmt.Sprintf("startup, empty schema: median %s (target < 200 ms: %s)", m.Round(time.Millisecond), verdict(m < 200*time.Millisecond)))
	}
	for _, s := range rep.Scenarios {
		if s.Unavailable == "" {
			out = append(out, fmt.Sprintf("%s: seed target p99 < %s holds up to %.0f req/s (rocksteady), %.0f (floor), %.0f (pgbench) of the rates tried",
				s.Name, s.SeedTarget, rep.MaxRate(s.Name, report.Rocksteady, s.SeedTarget), rep.MaxRate(s.Name, report.Floor, s.SeedTarget),
				rep.MaxRate(s.Name, report.PGBench, s.SeedTarget)))
		}
	}
	return out
}

func ratioText(a, b float64) string {
	if a == 0 || b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", a/b)
}
