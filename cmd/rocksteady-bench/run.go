package main

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/rocksteady/rocksteady/pkg/bench/capture"
	"github.com/rocksteady/rocksteady/pkg/bench/dataset"
	"github.com/rocksteady/rocksteady/pkg/bench/load"
	"github.com/rocksteady/rocksteady/pkg/bench/pgbench"
	"github.com/rocksteady/rocksteady/pkg/bench/proc"
	"github.com/rocksteady/rocksteady/pkg/bench/report"
	"github.com/rocksteady/rocksteady/pkg/devkeys"
	"github.com/rocksteady/rocksteady/pkg/localpg"
	"github.com/rocksteady/rocksteady/pkg/migrate"
)

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[bench] "+format+"\n", args...)
}

type env struct {
	o         options
	w         *world
	superURL  string
	authURL   string
	secret    string
	pgDir     string
	pgPid     int
	templates map[string]*capture.Template
	rs, fl    *server
	rsClients load.Clients
	flClients load.Clients
	pgbench   string
}

func run(ctx context.Context, o options) error {
	begin := time.Now()
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	if _, err := os.Stat(o.bin); err != nil {
		return fmt.Errorf("rocksteady binary %s: %w (run `make build` first)", o.bin, err)
	}
	spec := dataset.Full()
	if o.size == "small" {
		spec = dataset.Small()
	}
	e := &env{o: o, pgDir: filepath.Join(o.out, "pg-"+o.size)}
	if o.fresh {
		os.RemoveAll(e.pgDir)
	}
	logf("starting PostgreSQL in %s", e.pgDir)
	pg, err := localpg.Start(ctx, localpg.Options{DataDir: e.pgDir, NoDocker: true})
	if err != nil {
		return err
	}
	defer pg.Stop()
	e.superURL = pg.URL
	e.authURL = localpg.WithUser(pg.URL, "authenticator", "")
	if e.pgPid, err = postmasterPid(e.pgDir); err != nil {
		return err
	}
	files, err := migrate.Embedded()
	if err != nil {
		return err
	}
	if _, err := migrate.Apply(ctx, e.superURL, files); err != nil {
		return err
	}
	d := dataset.New(spec)
	loadStart := time.Now()
	loaded, err := dataset.Load(ctx, e.superURL, d, logf)
	if err != nil {
		return err
	}
	loadNote := fmt.Sprintf("dataset `%s`: %d users (%d heavy with %d knowledge files and %d documents each, the rest %d files and %d documents), %d documents, %d knowledge files; ",
		spec.Name, spec.Users, spec.Heavy, spec.HeavyFiles, spec.HeavyDocs, spec.LightFiles, spec.LightDocs, d.Docs, d.Files)
	if loaded {
		loadNote += fmt.Sprintf("loaded in %s", time.Since(loadStart).Round(100*time.Millisecond))
	} else {
		loadNote += "reused from the kept database (same fingerprint)"
	}
	db, err := pgxpool.New(ctx, e.superURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if !loaded {
		// A kept database carries the dead rows of the previous run's writes; vacuum them now,
		// or autovacuum does it in the middle of some step, on the cores being measured.
		vacStart := time.Now()
		if _, err := db.Exec(ctx, `VACUUM (ANALYZE) public.documents, public.knowledge_files, public.arc_sessions`); err != nil {
			return err
		}
		logf("dataset: vacuumed after the previous run in %s", time.Since(vacStart).Round(100*time.Millisecond))
		loadNote += fmt.Sprintf(", vacuumed after the previous run's writes (%s)", time.Since(vacStart).Round(100*time.Millisecond))
	}
	e.secret = devkeys.NewSecret()
	now := time.Now()
	e.w = &world{db: db, d: d, anonKey: devkeys.APIKey(e.secret, "anon", now)}
	for _, u := range d.Users {
		e.w.tokens = append(e.w.tokens, devkeys.UserToken(e.secret, u.ID, u.Email, now, 3*time.Hour))
	}
	if bin, err := localpg.FindBinaries(); err == nil && !o.noPGBench {
		e.pgbench = filepath.Join(bin, "pgbench")
	}

	startups, err := measureStartup(ctx, e)
	if err != nil {
		return err
	}
	scens := selectScenarios(o)
	unavailable, err := e.captureAll(ctx, scens)
	if err != nil {
		return err
	}

	if e.rs, _, err = startRocksteady(o.bin, e.authURL, e.secret, o.pool); err != nil {
		return err
	}
	defer e.rs.stop()
	floorStmts := map[string]*capture.Statement{}
	for name, t := range e.templates {
		floorStmts[name] = t.Main()
	}
	if e.fl, err = startFloor(o.out, floorConfig{URL: e.superURL, Pool: o.pool, Statements: floorStmts}); err != nil {
		return err
	}
	defer e.fl.stop()
	nClients := min(len(d.Users), o.conns)
	perClient := max(1, o.conns/nClients)
	e.rsClients, e.flClients = load.NewClients(nClients, perClient), load.NewClients(nClients, perClient)
	defer e.rsClients.CloseIdle()
	defer e.flClients.CloseIdle()
	if warm := firstAvailable(scens, unavailable); warm != nil {
		r := rand.New(rand.NewPCG(1, 1))
		e.rsClients.Warm(ctx, e.httpGen(warm, r, report.Rocksteady), 64)
		e.flClients.Warm(ctx, e.httpGen(warm, r, report.Floor), 64)
	}
	_, idleRSS, _ := proc.Memory(e.rs.pid())

	rep := &report.Report{Title: fmt.Sprintf("rocksteady benchmark (%s)", spec.Name)}
	var avail []*scenario
	for _, s := range scens {
		if unavailable[s.name] == "" {
			avail = append(avail, s)
		}
	}
	all := scens
	if o.only == nil || o.only["mix"] {
		if len(avail) > 0 {
			all = append(all, mixScenario(avail))
		}
	}
	stoppedEarly := ""
	for _, s := range all {
		rs := report.Scenario{Name: s.name, Title: s.title, SeedTarget: s.seedTarget, IssueP99: s.issueP99, IssueRate: s.issueRate,
			Unavailable: unavailable[s.name]}
		rep.Scenarios = append(rep.Scenarios, rs)
		if rs.Unavailable != "" {
			logf("%s: not available (%s)", s.name, rs.Unavailable)
			continue
		}
		for _, rate := range o.rates {
			if s.rateScale > 0 {
				rate *= s.rateScale
			}
			if time.Since(begin) > o.maxRuntime {
				stoppedEarly = fmt.Sprintf("stopped before %s @ %.0f/s: --max-runtime %s reached", s.name, rate, o.maxRuntime)
				break
			}
			for _, target := range []string{report.Rocksteady, report.Floor, report.PGBench} {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				row, err := e.step(ctx, s, target, rate)
				if err != nil {
					logf("%s / %s @ %.0f/s: %v", s.name, target, rate, err)
					continue
				}
				rep.Rows = append(rep.Rows, row)
				logf("%-7s %-10s %6.0f/s → %6.0f/s p50 %6.2f p99 %7.2f ms, %d errors, server %s PG %s client %s µs/req",
					s.name, target, rate, row.Result.Achieved, msf(row.Result.Latency.P50), msf(row.Result.Latency.P99),
					row.Result.Errors(), usf(row.ServerCPU), usf(row.DBCPU), usf(row.ClientCPU))
			}
		}
	}
	rep.Notes = e.notes(loadNote, startups, idleRSS, nClients, stoppedEarly)
	rep.Summary = summary(rep, startups, nClients)
	md := rep.Markdown()
	if err := os.WriteFile(filepath.Join(o.out, "report.md"), []byte(md), 0o644); err != nil {
		return err
	}
	var png bytes.Buffer
	if err := rep.Plot(&png); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(o.out, "latency.png"), png.Bytes(), 0o644); err != nil {
		return err
	}
	logf("wrote %s and %s in %s total", filepath.Join(o.out, "report.md"), filepath.Join(o.out, "latency.png"), time.Since(begin).Round(time.Second))
	fmt.Println("\nKey ratios (" + spec.Name + "):")
	for _, s := range rep.Summary {
		fmt.Println("  " + s)
	}
	return nil
}

func msf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func usf(d time.Duration) string {
	if d == 0 {
		return "–"
	}
	return strconv.FormatFloat(float64(d)/float64(time.Microsecond), 'f', 0, 64)
}

func postmasterPid(dir string) (int, error) {
	b, err := os.ReadFile(filepath.Join(dir, "data", "postmaster.pid"))
	if err != nil {
		return 0, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strconv.Atoi(strings.TrimSpace(line))
}

func selectScenarios(o options) []*scenario {
	var out []*scenario
	for _, s := range scenarios() {
		if o.only == nil || o.only[s.name] {
			out = append(out, s)
		}
	}
	return out
}

func firstAvailable(scens []*scenario, unavailable map[string]string) *scenario {
	for _, s := range scens {
		if unavailable[s.name] == "" && s.prepare == nil {
			return s
		}
	}
	return nil
}

// mixScenario draws each request from the available scenarios by their weights.
func mixScenario(avail []*scenario) *scenario {
	total := 0
	for _, s := range avail {
		total += s.weight
	}
	var names []string
	for _, s := range avail {
		names = append(names, fmt.Sprintf("%s %d%%", s.name, s.weight*100/total))
	}
	return &scenario{name: "mix", title: "the seed's mix: " + strings.Join(names, ", "), seedTarget: 200 * time.Millisecond,
		prepare: func(w *world) error {
			for _, s := range avail {
				if s.prepare != nil {
					if err := s.prepare(w); err != nil {
						return err
					}
				}
			}
			return nil
		},
		make: func(w *world, r *rand.Rand, i int) call {
			k := r.IntN(total)
			for _, s := range avail {
				if k < s.weight {
					c := s.make(w, r, i)
					c.scenario = s.name
					return c
				}
				k -= s.weight
			}
			panic("unreachable")
		}}
}

func seedOf(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
	}
	return h.Sum64()
}

// httpGen turns a scenario into requests for rocksteady or the floor.
func (e *env) httpGen(s *scenario, r *rand.Rand, target string) load.Generator {
	return func(i int) load.Request {
		c := s.make(e.w, r, i)
		if c.scenario == "" {
			c.scenario = s.name
		}
		if target == report.Rocksteady {
			return load.Request{Method: c.method, URL: e.rs.base + "/rest/v1" + c.path, Header: c.header, Body: c.body, User: c.user, Check: c.check}
		}
		q := url.Values{}
		var body []byte
		if t := e.templates[c.scenario]; t != nil {
			for _, n := range capture.Names(t.Main()) {
				if n == "body" {
					body = []byte(c.vals[n])
				} else {
					q.Set(n, c.vals[n])
				}
			}
		}
		return load.Request{Method: http.MethodPost, URL: e.fl.base + "/" + c.scenario + "?" + q.Encode(), Body: body,
			User: c.user, Check: floorCheck(c)}
	}
}

// step runs one target at one rate and measures it.
func (e *env) step(ctx context.Context, s *scenario, target string, rate float64) (report.Row, error) {
	row := report.Row{Scenario: s.name, Target: target, Rate: rate}
	if s.prepare != nil {
		if err := s.prepare(e.w); err != nil {
			return row, err
		}
	}
	seed := seedOf(s.name, strconv.FormatFloat(rate, 'f', 0, 64))
	r := rand.New(rand.NewPCG(seed, 9))
	st := load.Step{Rate: rate, Duration: e.o.step, Timeout: 5 * time.Second}
	if s.prewarm && target == report.Rocksteady { // rocksteady runs each step first
		warm := rand.New(rand.NewPCG(seed, 9))
		e.flClients.Replay(ctx, e.httpGen(s, warm, report.Floor), int(rate*e.o.step.Seconds()), 16)
	}
	db0, _ := proc.TreeCPU(e.pgPid)
	self := os.Getpid()
	var client0, client1 time.Duration
	var srv *server
	switch target {
	case report.Rocksteady, report.Floor:
		srv, clients := e.rs, e.rsClients
		if target == report.Floor {
			srv, clients = e.fl, e.flClients
		}
		_ = proc.ResetPeak(srv.pid())
		cpu0, _ := proc.CPU(srv.pid())
		client0, _ = proc.CPU(self)
		row.Result = clients.Run(ctx, e.httpGen(s, r, target), st)
		client1, _ = proc.CPU(self)
		cpu1, _ := proc.CPU(srv.pid())
		if n := row.Result.Count(load.OK) + row.Result.Count(load.Expected); n > 0 {
			row.ServerCPU = (cpu1 - cpu0) / time.Duration(n)
		}
		_, row.PeakRSS, _ = proc.Memory(srv.pid())
	case report.PGBench:
		if e.pgbench == "" {
			return row, fmt.Errorf("pgbench skipped")
		}
		scripts, err := e.pgbenchScripts(s, r)
		if err != nil {
			return row, err
		}
		pr := pgbench.Run{Bin: e.pgbench, Dir: filepath.Join(e.o.out, "pgbench"), URL: e.authURL,
			Clients: e.o.pool, Threads: min(runtime.NumCPU(), e.o.pool), Rate: rate, Time: e.o.step, Scripts: scripts, Prepared: preparedStatements}
		client0, _ = proc.ReapedCPU(self)
		if row.Result, err = pr.Do(ctx); err != nil {
			return row, err
		}
		client1, _ = proc.ReapedCPU(self)
	}
	_ = srv
	db1, _ := proc.TreeCPU(e.pgPid)
	if n := row.Result.Count(load.OK) + row.Result.Count(load.Expected); n > 0 {
		row.DBCPU = (db1 - db0) / time.Duration(n)
		row.ClientCPU = (client1 - client0) / time.Duration(n)
	}
	time.Sleep(200 * time.Millisecond) // let the previous target's tail settle
	return row, nil
}

// pgbenchScripts renders up to pgbench.MaxScripts sampled requests of s as transactions.
func (e *env) pgbenchScripts(s *scenario, r *rand.Rand) ([]string, error) {
	var out []string
	for k := 0; len(out) < pgbench.MaxScripts && k < 10*pgbench.MaxScripts; k++ {
		c := s.make(e.w, r, k*97)
		if c.scenario == "" {
			c.scenario = s.name
		}
		t := e.templates[c.scenario]
		if t == nil || c.stale {
			continue
		}
		if c.scenario == "patch" {
			// Write the version back unchanged, so every replay finds its row current and
			// updates it, as a successful auto-save does.
			v, _ := strconv.Atoi(c.vals["version"])
			c.vals["body"] = strings.Replace(c.vals["body"], fmt.Sprintf(`"auto_save_version":%d`, v+1), fmt.Sprintf(`"auto_save_version":%d`, v), 1)
		}
		out = append(out, pgbench.Script(t, c.vals))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no transaction captured for %s", s.name)
	}
	return out, nil
}

// captureAll sends one request of each scenario through a rocksteady whose sessions log
// every statement, and keeps the statements as templates. A scenario whose request does
// not get its expected answer is not available (e.g. not implemented yet).
func (e *env) captureAll(ctx context.Context, scens []*scenario) (map[string]string, error) {
	unavailable := map[string]string{}
	e.templates = map[string]*capture.Template{}
	if _, err := e.w.db.Exec(ctx, `ALTER ROLE authenticator SET log_statement = 'all'`); err != nil {
		return nil, err
	}
	defer e.w.db.Exec(context.Background(), `ALTER ROLE authenticator RESET log_statement`)
	srv, _, err := startRocksteady(e.o.bin, e.authURL, e.secret, 1)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	logPath := filepath.Join(e.pgDir, "postgres.log")
	client := &http.Client{Timeout: 10 * time.Second}
	for _, s := range scens {
		if s.prepare != nil {
			if err := s.prepare(e.w); err != nil {
				return nil, err
			}
		}
		r := rand.New(rand.NewPCG(seedOf("capture", s.name), 1))
		var c call
		for k := 0; k < 100; k++ {
			if c = s.make(e.w, r, k); !c.stale {
				break
			}
		}
		st, _ := os.Stat(logPath)
		off := st.Size()
		req, _ := http.NewRequestWithContext(ctx, c.method, srv.base+"/rest/v1"+c.path, bytes.NewReader(c.body))
		req.Header = c.header.Clone()
		resp, err := client.Do(req)
		if err != nil {
			unavailable[s.name] = err.Error()
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		ok := resp.StatusCode >= 200 && resp.StatusCode < 300
		if c.check != nil {
			ok = c.check(resp.StatusCode, body) == load.OK
		}
		if !ok {
			unavailable[s.name] = fmt.Sprintf("%d %s", resp.StatusCode, excerpt(body))
			continue
		}
		time.Sleep(20 * time.Millisecond)
		stmts, err := readLogFrom(logPath, off)
		if err != nil {
			return nil, err
		}
		t := capture.NewTemplate(capture.Request(stmts), c.vals)
		if t.Main() == nil {
			unavailable[s.name] = "no statement captured"
			continue
		}
		e.templates[s.name] = t
		if err := os.WriteFile(filepath.Join(e.o.out, "captured-"+s.name+".sql"), []byte(pgbench.Script(t, c.vals)), 0o644); err != nil {
			return nil, err
		}
	}
	return unavailable, nil
}

func readLogFrom(path string, off int64) ([]capture.Statement, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		return nil, err
	}
	all, err := capture.Parse(f)
	if err != nil {
		return nil, err
	}
	var out []capture.Statement
	for _, s := range all {
		if q := strings.TrimSpace(s.SQL); q == "" || strings.HasPrefix(q, "--") {
			continue
		}
		out = append(out, s)
	}
	return out, nil
}

func excerpt(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

// measureStartup times rocksteady from exec to a ready admin endpoint on a database with
// an empty schema.
func measureStartup(ctx context.Context, e *env) ([]time.Duration, error) {
	var exists bool
	if err := e.w.db.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_database WHERE datname = 'bench_empty')`).Scan(&exists); err != nil {
		return nil, err
	}
	if !exists {
		if _, err := e.w.db.Exec(ctx, `CREATE DATABASE bench_empty`); err != nil {
			return nil, err
		}
	}
	url := localpg.WithDatabase(e.authURL, "bench_empty")
	var out []time.Duration
	for i := 0; i < e.o.startRuns; i++ {
		srv, d, err := startRocksteady(e.o.bin, url, e.secret, e.o.pool)
		if err != nil {
			return nil, err
		}
		srv.stop()
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

func (e *env) notes(loadNote string, startups []time.Duration, idleRSS int64, conns int, stopped string) []string {
	pgv := "?"
	_ = e.w.db.QueryRow(context.Background(), `SHOW server_version`).Scan(&pgv)
	out := []string{
		fmt.Sprintf("machine: %d cores, %s/%s, %s; PostgreSQL %s from local binaries (fsync off), everything on 127.0.0.1", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), pgv),
		loadNote,
		fmt.Sprintf("load: open-loop constant arrival rate (own driver, pkg/bench/load), latency from each request's scheduled send time; %s per step; %d keep-alive clients (one per user, one JWT per user) with at most %d connections in all; same request sequence for rocksteady and the floor", e.o.step, conns, e.o.conns),
		fmt.Sprintf("pool: %d connections for every target (rocksteady PGRST_DB_POOL, the floor's pgxpool, pgbench -c)", e.o.pool),
		fmt.Sprintf("prepared statements: rocksteady PGRST_DB_PREPARED_STATEMENTS=%t, pgbench -M %s; the floor always uses pgx's statement cache", preparedStatements, map[bool]string{false: "extended", true: "prepared"}[preparedStatements]),
		"floor: net/http + pgx running only rocksteady's captured main statement per request (as the superuser: no transaction, role, claims or RLS); its sessions set request.jwt.claim.role=service_role at connect so search_knowledge_files answers",
		"pgbench: replays rocksteady's captured transaction (settings statement + main statement, BEGIN/COMMIT when rocksteady used them) in one pipeline, 100 sampled requests as literal scripts (a refused write's failing check replaced by NULL, so pgbench replays the work); deletes replay the same 100 ids, so after the first pass they delete nothing",
		fmt.Sprintf("startup with an empty schema (exec to /ready): median %s over %d runs (min %s, max %s); rocksteady idle RSS after warming %d connections: %.1f MB",
			median(startups).Round(time.Millisecond), len(startups), startups[0].Round(time.Millisecond), startups[len(startups)-1].Round(time.Millisecond), conns, float64(idleRSS)/(1<<20)),
		"CPU per request: the process's user+system time over the step (/proc, 10 ms ticks) divided by answers; PG CPU sums the postmaster and all backends",
	}
	if cmdOut, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output(); err == nil {
		out = append(out, "commit "+strings.TrimSpace(string(cmdOut)))
	}
	if stopped != "" {
		out = append(out, stopped)
	}
	return out
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return d[len(d)/2]
}
