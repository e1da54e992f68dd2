package report

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/rocksteady/rocksteady/pkg/bench/load"
)

// Targets compared.
const (
	Rocksteady = "rocksteady"
	Floor      = "floor"
	PGBench    = "pgbench"
)

// Row is one step of one target on one scenario.
type Row struct {
	Scenario string
	Target   string
	Rate     float64 // offered requests per second
	Result   load.Result
	// ServerCPU and DBCPU are CPU time per answered request of the server process and of
	// PostgreSQL (all backends); zero when not measured.
	ServerCPU, DBCPU time.Duration
	// ClientCPU is CPU time per answered request of the load generator on the same cores:
	// the bench's own HTTP clients, or pgbench.
	ClientCPU time.Duration
	PeakRSS   int64 // bytes; 0 when not measured
}

// Scenario describes one endpoint of the mix.
type Scenario struct {
	Name        string
	Title       string
	SeedTarget  time.Duration // the application's latency target (p99 must stay under it)
	IssueP99    time.Duration // issue 7's p99 target, 0 if none
	IssueRate   float64       // …at this rate
	Unavailable string        // why the scenario could not run, "" if it ran
}

// Report is everything measured in one invocation.
type Report struct {
	Title     string
	Notes     []string
	Scenarios []Scenario
	Rows      []Row
	Summary   []string // key lines printed last
}

func (r *Report) rows(scenario, target string) []Row {
	var out []Row
	for _, row := range r.Rows {
		if row.Scenario == scenario && row.Target == target {
			out = append(out, row)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Rate < out[j].Rate })
	return out
}

// Find returns the row of a scenario, target and rate.
func (r *Report) Find(scenario, target string, rate float64) (Row, bool) {
	for _, row := range r.Rows {
		if row.Scenario == scenario && row.Target == target && row.Rate == rate {
			return row, true
		}
	}
	return Row{}, false
}

// Holds says whether a step met a latency bound: no unexpected errors, at least 95% of the
// offered rate answered, p99 under bound.
func Holds(row Row, bound time.Duration) bool {
	res := row.Result
	return res.Errors() == 0 && res.Achieved >= 0.95*row.Rate && res.Latency.P99 < bound && res.Latency.N > 0
}

// MaxRate is the highest offered rate at which target held the bound (0 if none).
func (r *Report) MaxRate(scenario, target string, bound time.Duration) float64 {
	best := 0.0
	for _, row := range r.rows(scenario, target) {
		if Holds(row, bound) && row.Rate > best {
			best = row.Rate
		}
	}
	return best
}

// Peak is the highest achieved rate of a target on a scenario (its throughput).
func (r *Report) Peak(scenario, target string) float64 {
	best := 0.0
	for _, row := range r.rows(scenario, target) {
		if row.Result.Achieved > best {
			best = row.Result.Achieved
		}
	}
	return best
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond))
}

func ratio(a, b float64) string {
	if a == 0 || b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", a/b)
}

// Markdown renders the report.
func (r *Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", r.Title)
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	b.WriteString("\n## Key ratios\n\n")
	for _, s := range r.Summary {
		fmt.Fprintf(&b, "- %s\n", s)
	}
	b.WriteString("\n## Scenarios\n\n| scenario | request | seed target | max rate holding it (rocksteady / floor / pgbench) | peak throughput rocksteady/floor | rocksteady/pgbench |\n|---|---|---|---|---|---|\n")
	for _, s := range r.Scenarios {
		if s.Unavailable != "" {
			fmt.Fprintf(&b, "| %s | %s | p99 < %s | not available: %s | | |\n", s.Name, s.Title, s.SeedTarget, s.Unavailable)
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | p99 < %s | %.0f / %.0f / %.0f req/s | %s | %s |\n", s.Name, s.Title, s.SeedTarget,
			r.MaxRate(s.Name, Rocksteady, s.SeedTarget), r.MaxRate(s.Name, Floor, s.SeedTarget), r.MaxRate(s.Name, PGBench, s.SeedTarget),
			ratio(r.Peak(s.Name, Rocksteady), r.Peak(s.Name, Floor)), ratio(r.Peak(s.Name, Rocksteady), r.Peak(s.Name, PGBench)))
	}
	b.WriteString("\n## Steps\n\nLatency in ms from each request's scheduled send time; CPU in µs per answered request " +
		"(server process / PostgreSQL backends / the load generator: the bench's HTTP clients or pgbench, on the same cores); ratios are rocksteady's p99 over the other's at the same offered rate.\n\n")
	b.WriteString("| scenario | target | offered/s | achieved/s | p50 | p95 | p99 | p99.9 | ok | expected | errors | server CPU µs | PG CPU µs | client CPU µs | peak RSS MB | p99 ÷ floor | p99 ÷ pgbench |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, s := range r.Scenarios {
		for _, t := range []string{Rocksteady, Floor, PGBench} {
			for _, row := range r.rows(s.Name, t) {
				res := row.Result
				vsFloor, vsPG := "", ""
				if t == Rocksteady {
					if f, ok := r.Find(s.Name, Floor, row.Rate); ok {
						vsFloor = ratio(float64(res.Latency.P99), float64(f.Result.Latency.P99))
					}
					if p, ok := r.Find(s.Name, PGBench, row.Rate); ok {
						vsPG = ratio(float64(res.Latency.P99), float64(p.Result.Latency.P99))
					}
				}
				rss := ""
				if row.PeakRSS > 0 {
					rss = fmt.Sprintf("%.1f", float64(row.PeakRSS)/(1<<20))
				}
				fmt.Fprintf(&b, "| %s | %s | %.0f | %.0f | %s | %s | %s | %s | %d | %d | %d | %s | %s | %s | %s | %s | %s |\n",
					s.Name, t, row.Rate, res.Achieved, ms(res.Latency.P50), ms(res.Latency.P95), ms(res.Latency.P99), ms(res.Latency.P999),
					res.Count(load.OK), res.Count(load.Expected), res.Errors(), us(row.ServerCPU), us(row.DBCPU), us(row.ClientCPU), rss, vsFloor, vsPG)
			}
		}
	}
	errs := false
	for _, row := range r.Rows {
		if row.Result.FirstError != "" {
			if !errs {
				b.WriteString("\n## First error of each failing step\n\n")
				errs = true
			}
			fmt.Fprintf(&b, "- %s / %s @ %.0f/s: `%s`\n", row.Scenario, row.Target, row.Rate, oneLine(row.Result.FirstError))
		}
	}
	return b.String()
}

func us(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return fmt.Sprintf("%.0f", float64(d)/float64(time.Microsecond))
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	s = strings.ReplaceAll(s, "`", "'")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}
