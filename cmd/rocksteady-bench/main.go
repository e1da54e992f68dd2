// Command rocksteady-bench is `make bench`: it builds the deterministic ID8COMPOSER dataset
// in a local PostgreSQL, then drives an open-loop load over each endpoint of the seed's mix
// against rocksteady, against a floor (a minimal net/http + pgx server running only each
// request's final SQL) and against pgbench replaying rocksteady's full transactions,
// interleaved step by step on the same database and pool size, and writes
// bench-out/report.md and bench-out/latency.png.
//
//	rocksteady-bench --size small|full [--rocksteady bin/rocksteady] [--out bench-out]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type options struct {
	size       string
	out        string
	bin        string
	pool       int
	conns      int
	step       time.Duration
	rates      []float64
	only       map[string]bool
	fresh      bool
	noPGBench  bool
	startRuns  int
	maxRuntime time.Duration
}

func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "floor" {
		if err := runFloor(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, "floor:", err)
			os.Exit(1)
		}
		return
	}
	var o options
	var rates, only string
	flag.StringVar(&o.size, "size", "full", "dataset and load size: small (CI smoke, < 2 min) or full (issue 7)")
	flag.StringVar(&o.out, "out", "bench-out", "output directory (report, plot, PostgreSQL data kept between runs)")
	flag.StringVar(&o.bin, "rocksteady", "bin/rocksteady", "rocksteady binary to measure")
	flag.IntVar(&o.pool, "pool", 10, "database pool size of every target (rocksteady's PGRST_DB_POOL, the floor's pool, pgbench's clients)")
	flag.IntVar(&o.conns, "conns", 1000, "keep-alive client connections at most (one per user)")
	flag.DurationVar(&o.step, "step", 0, "duration of one rate step (default: 1s small, 4s full)")
	flag.StringVar(&rates, "rates", "", "comma-separated offered rates in req/s (default by size; search is offered a twentieth of each)")
	flag.StringVar(&only, "scenarios", "", "comma-separated scenarios to run (default all): get,list,embed,search,patch,insert,delete,mix")
	flag.BoolVar(&o.fresh, "fresh", false, "reload the dataset even if the kept database already holds it")
	flag.BoolVar(&preparedStatements, "prepared-statements", true, "run rocksteady with PGRST_DB_PREPARED_STATEMENTS (its default) and pgbench with -M prepared; =false for unnamed statements and -M extended")
	flag.BoolVar(&o.noPGBench, "no-pgbench", false, "skip the pgbench comparison")
	flag.IntVar(&o.startRuns, "startup-runs", 5, "how many empty-schema startups to time")
	flag.DurationVar(&o.maxRuntime, "max-runtime", 0, "stop starting new steps after this long (default: 100s small, 14m full)")
	flag.Parse()
	switch o.size {
	case "small":
		defaults(&o, time.Second, "300,1000,3000", 100*time.Second)
	case "full":
		defaults(&o, 4*time.Second, "1000,2000,4000,6000", 14*time.Minute)
	default:
		fmt.Fprintln(os.Stderr, "--size must be small or full")
		os.Exit(2)
	}
	if rates == "" {
		rates = map[string]string{"small": "300,1000,3000", "full": "1000,2000,4000,6000"}[o.size]
	}
	for _, f := range strings.Split(rates, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || v <= 0 {
			fmt.Fprintln(os.Stderr, "bad --rates:", f)
			os.Exit(2)
		}
		o.rates = append(o.rates, v)
	}
	if only != "" {
		o.only = map[string]bool{}
		for _, s := range strings.Split(only, ",") {
			o.only[strings.TrimSpace(s)] = true
		}
	}
	var err error
	if o.out, err = filepath.Abs(o.out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx, stop := signalContext()
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "rocksteady-bench:", err)
		os.Exit(1)
	}
}

func defaults(o *options, step time.Duration, _ string, maxRuntime time.Duration) {
	if o.step == 0 {
		o.step = step
	}
	if o.maxRuntime == 0 {
		o.maxRuntime = maxRuntime
	}
}
