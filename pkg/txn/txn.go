package txn

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/rocksteady/rocksteady/pkg/apierr"
)

// Setting is one transaction-local set_config.
type Setting struct {
	Name, Value string
}

// Query is everything one request runs.
type Query struct {
	ReadOnly bool
	Settings []Setting
	// PreRequest is the full SQL calling the pre-request function, or "".
	PreRequest string
	SQL        string
	// Args are the main statement's parameters as text; a nil entry is NULL. They are
	// sent with no type OIDs, so PostgreSQL infers each type from its use.
	Args [][]byte
	// Refusal recognises the main statement refusing its own result: the statement checks
	// itself and fails with invalid_text_representation (22P02) when a check does not
	// hold, which rolls the transaction back in the same round trip. Given that error's
	// message, Refusal returns the error to answer with, or nil when the message is not a
	// refusal.
	Refusal func(message string) error
	// Rollback ends the transaction with ROLLBACK even when everything succeeded.
	Rollback bool
	// Anonymous says the request runs as the anonymous role (42501 maps to 401 then).
	Anonymous bool
	// AllRows keeps every row of the main statement in Result.Rows (EXPLAIN output),
	// not only the first.
	AllRows bool
	// Also are statements sent after the main one in the same pipeline (so in the same
	// transaction and round trip), such as the EXPLAIN behind a planned count; their rows
	// come back in Result.Also.
	Also []Statement
	// Isolation is the transaction's isolation level ("serializable", "repeatable read",
	// "read committed", "read uncommitted"; "" for the server's default). A level opens an
	// explicit transaction, BEGIN ISOLATION LEVEL … in the same pipeline; without rollback
	// its COMMIT is pipelined too, so it still takes one round trip.
	Isolation string
}

// isolationLevels are the levels BEGIN accepts, by their setting spelling.
var isolationLevels = map[string]string{
	"serializable": "SERIALIZABLE", "repeatable read": "REPEATABLE READ",
	"read committed": "READ COMMITTED", "read uncommitted": "READ UNCOMMITTED",
}

// IsolationLevel normalises a default_transaction_isolation value ("" when it is not a
// level).
func IsolationLevel(v string) string {
	v = strings.ToLower(strings.Join(strings.Fields(v), " "))
	if _, ok := isolationLevels[v]; ok {
		return v
	}
	return ""
}

// begin is the explicit transaction's BEGIN.
func (q *Query) begin() string {
	b := "BEGIN"
	if lvl, ok := isolationLevels[q.Isolation]; ok {
		b += " ISOLATION LEVEL " + lvl
	}
	if q.ReadOnly {
		b += " READ ONLY"
	}
	return b
}

// Statement is one SQL statement with its text parameters.
type Statement struct {
	SQL  string
	Args [][]byte
}

// Result is the main statement's first row (nil when it returned none).
type Result struct {
	Row [][]byte
	// Rows are all rows of the main statement when Query.AllRows is set.
	Rows [][][]byte
	// Also holds the rows of each of Query.Also's statements.
	Also [][][][]byte
	// RoundTrips counts the network round trips this request took.
	RoundTrips int
}

// Runner executes queries on a pool.
type Runner struct {
	pool     *pgxpool.Pool
	prepared bool
	// epoch counts ClosePrepared calls; a session whose statements were prepared in an
	// older epoch closes them all before its next request.
	epoch      atomic.Uint64
	roundTrips atomic.Int64
	acq        acquireStats
}

// New wraps a pool.
func New(pool *pgxpool.Pool) *Runner { return &Runner{pool: pool} }

// WithPreparedStatements makes the runner prepare each distinct statement once per
// session (PGRST_DB_PREPARED_STATEMENTS; prepared.go) instead of sending it unnamed.
func (r *Runner) WithPreparedStatements(on bool) *Runner {
	r.prepared = on
	return r
}

// ClosePrepared retires every named statement prepared so far: each session closes its
// own (a Close message each, in the pipeline of its next request) and prepares afresh. Call it
// when the schema changes: PostgreSQL replans a prepared statement after DDL, but keeps
// the parameter types it inferred when the statement was prepared, so a statement
// prepared against a column's old type would fail against the new one.
func (r *Runner) ClosePrepared() { r.epoch.Add(1) }

// RoundTrips is the total number of round trips made so far (for metrics and tests).
func (r *Runner) RoundTrips() int64 { return r.roundTrips.Load() }

// Pool returns the underlying pool.
func (r *Runner) Pool() *pgxpool.Pool { return r.pool }

// Run executes q in one transaction. A read-only query that meets a connection the
// server has already closed (terminated while idle in the pool, or a restart) is retried
// once on a fresh connection: it changed nothing. Writes are never retried, since a lost
// reply could hide a commit.
func (r *Runner) Run(ctx context.Context, q *Query) (*Result, error) {
	res, err := r.run(ctx, q)
	if err != nil && connectionLost(err) && ctx.Err() == nil {
		// When the server drops one session (restart, termination) it has usually dropped
		// the idle ones too: start the pool afresh rather than meet them one by one.
		r.pool.Reset()
		var early *beforeMain
		if q.ReadOnly || errors.As(err, &early) {
			res, err = r.run(ctx, q)
		}
	}
	if err != nil {
		if e, ok := apierr.As(err); ok {
			return nil, e
		}
		return nil, r.mapError(err, q)
	}
	return res, nil
}

// beforeMain marks an error the server gave before it reached the main statement, which
// therefore never ran: even a write may be retried then.
type beforeMain struct{ err error }

func (e *beforeMain) Error() string { return e.err.Error() }
func (e *beforeMain) Unwrap() error { return e.err }

// connectionLost tells errors that mean the session was gone, not that the query failed.
func connectionLost(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03" || strings.HasPrefix(pgErr.Code, "08")
	}
	if _, ok := apierr.As(err); ok {
		return false
	}
	return !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

func (r *Runner) run(ctx context.Context, q *Query) (*Result, error) {
	conn, err := r.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	pg := conn.Conn().PgConn()
	isolated := isolationLevels[q.Isolation] != ""
	explicit := q.Rollback || isolated
	// The explicit transaction's end goes in the same pipeline: nothing is left to decide
	// after the statement.
	var end []string
	switch {
	case q.Rollback:
		end = rollbackEnd
	case explicit:
		end = commitEnd
	}
	res, err := r.pipeline(ctx, pg, q, explicit, end)
	if err != nil {
		if explicit && !connectionLost(err) {
			// An error left the explicit transaction open and aborted: end it, so the
			// connection goes back to the pool clean.
			r.roundTrips.Add(1)
			_, _ = pg.Exec(ctx, "ROLLBACK").ReadAll()
		}
		return nil, err
	}
	return res, nil
}

var (
	commitEnd = []string{"COMMIT"}
	// rollbackEnd ends a transaction rolled back on purpose (tx=rollback); deferred
	// constraints must still fail the request, so they are checked first.
	rollbackEnd = []string{"SET CONSTRAINTS ALL IMMEDIATE", "ROLLBACK"}
)

// Roles of the results a pipeline reads back, in order.
const (
	partOther = iota // BEGIN, settings, pre-request
	partPrepare
	partMain
	partAlso
)

type part struct {
	kind int
	// sql and name of a statement being prepared (partPrepare); also the index of an
	// Also statement (partAlso).
	sql, name string
	also      int
}

func (r *Runner) pipeline(ctx context.Context, pg *pgconn.PgConn, q *Query, explicit bool, end []string) (*Result, error) {
	p := pg.StartPipeline(ctx)
	var cache *preparedCache
	parts := make([]part, 0, 6+len(q.Also))
	if r.prepared {
		epoch := r.epoch.Load()
		cache = sessionCache(pg, epoch)
		if cache.epoch != epoch {
			cache.retire()
			cache.epoch = epoch
		}
		for _, name := range cache.closing {
			p.SendDeallocate(name)
			parts = append(parts, part{kind: partOther})
		}
		cache.closing = cache.closing[:0]
	}
	send := func(kind int, sql string, args [][]byte, also int) {
		if cache != nil {
			name := cache.lookup(sql)
			if name == "" {
				name = cache.newName()
				p.SendPrepare(name, sql, nil)
				parts = append(parts, part{kind: partPrepare, sql: sql, name: name})
			}
			p.SendQueryPrepared(name, args, nil, nil)
		} else {
			p.SendQueryParams(sql, args, nil, nil, nil)
		}
		parts = append(parts, part{kind: kind, also: also})
	}
	if explicit {
		p.SendQueryParams(q.begin(), nil, nil, nil, nil)
		parts = append(parts, part{kind: partOther})
	}
	setSQL, setArgs := settingsStatement(q, explicit)
	send(partOther, setSQL, setArgs, 0)
	if q.PreRequest != "" {
		send(partOther, q.PreRequest, nil, 0)
	}
	send(partMain, q.SQL, q.Args, 0)
	for i, st := range q.Also {
		send(partAlso, st.SQL, st.Args, i)
	}
	for _, st := range end {
		p.SendQueryParams(st, nil, nil, nil, nil)
		parts = append(parts, part{kind: partOther})
	}
	if err := p.Sync(); err != nil {
		p.Close()
		return nil, err
	}
	r.roundTrips.Add(1)
	res := &Result{RoundTrips: 1}
	mainAt := len(parts)
	for i, pt := range parts {
		if pt.kind == partMain {
			mainAt = i
			break
		}
	}
	var firstErr error
	for i := 0; ; i++ {
		out, err := p.GetResults()
		if err != nil {
			if firstErr == nil {
				firstErr = err
				var early *pgconn.PgError
				if i < mainAt && errors.As(err, &early) {
					// The server answered a statement before the main one with this error and
					// skipped the rest: the main statement never ran.
					firstErr = &beforeMain{err}
				}
			}
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) {
				break // the connection is gone; Close discards it
			}
			if pgErr.Code == "26000" && cache != nil {
				cache.forget() // a named statement vanished from the session
			}
			continue
		}
		if out == nil {
			break
		}
		switch rr := out.(type) {
		case *pgconn.StatementDescription:
			if i < len(parts) && parts[i].kind == partPrepare {
				cache.add(parts[i].sql, parts[i].name)
			}
		case *pgconn.ResultReader:
			var pt part
			if i < len(parts) {
				pt = parts[i]
			}
			switch {
			case firstErr != nil:
			case pt.kind == partMain && q.AllRows:
				for rr.NextRow() {
					res.Rows = append(res.Rows, copyRow(rr.Values()))
				}
				if len(res.Rows) > 0 {
					res.Row = res.Rows[0]
				}
			case pt.kind == partMain:
				if rr.NextRow() {
					res.Row = copyRow(rr.Values())
				}
			case pt.kind == partAlso:
				var rows [][][]byte
				for rr.NextRow() {
					rows = append(rows, copyRow(rr.Values()))
				}
				res.Also = append(res.Also, rows)
			}
			if _, err := rr.Close(); err != nil && firstErr == nil {
				firstErr = err
			}
		case *pgconn.PipelineSync:
			if err := p.Close(); err != nil && firstErr == nil {
				firstErr = err
			}
			if firstErr != nil {
				return nil, firstErr
			}
			return res, nil
		}
	}
	if err := p.Close(); err != nil && firstErr == nil {
		firstErr = err
	}
	if firstErr == nil {
		firstErr = errors.New("pipeline ended without a sync")
	}
	return nil, firstErr
}

func copyRow(values [][]byte) [][]byte {
	n := 0
	for _, v := range values {
		n += len(v)
	}
	buf := make([]byte, 0, n)
	row := make([][]byte, len(values))
	for i, v := range values {
		if v == nil {
			continue
		}
		start := len(buf)
		buf = append(buf, v...)
		row[i] = buf[start:len(buf):len(buf)]
	}
	return row
}

var settingsSQL sync.Map // int → string

// settingsStatement builds `select set_config($1,$2,true), …` for the query's settings.
// In the implicit transaction, read-only mode is itself a transaction-local setting.
func settingsStatement(q *Query, explicit bool) (string, [][]byte) {
	n := len(q.Settings)
	readOnly := q.ReadOnly && !explicit
	if readOnly {
		n++
	}
	// One buffer holds every name and value; args are slices of it (never nil: a nil
	// argument would be NULL).
	size := 0
	for _, s := range q.Settings {
		size += len(s.Name) + len(s.Value)
	}
	buf := make([]byte, 0, size+len("transaction_read_only")+len("on"))
	args := make([][]byte, 0, 2*n)
	add := func(v string) {
		start := len(buf)
		buf = append(buf, v...)
		args = append(args, buf[start:len(buf):len(buf)])
	}
	if readOnly {
		add("transaction_read_only")
		add("on")
	}
	for _, s := range q.Settings {
		add(s.Name)
		add(s.Value)
	}
	if n == 0 {
		return "SELECT", nil
	}
	if s, ok := settingsSQL.Load(n); ok {
		return s.(string), args
	}
	var b strings.Builder
	b.WriteString("SELECT ")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "set_config($%d, $%d, true)", 2*i+1, 2*i+2)
	}
	s := b.String()
	settingsSQL.Store(n, s)
	return s, args
}

func (r *Runner) mapError(err error, q *Query) error {
	if e, ok := apierr.As(err); ok {
		return e
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		if pgErr.Code == "22P02" && q.Refusal != nil {
			if refused := q.Refusal(pgErr.Message); refused != nil {
				return refused
			}
		}
		return apierr.FromPostgres(pgErr.Code, pgErr.Message, pgErr.Detail, pgErr.Hint, q.Anonymous)
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	return apierr.DBConnection(err.Error())
}

// acquireError tells the pool's acquisition deadline (PGRST003) from the client giving up
// (its own context ended) and from a connection failure (PGRST000).
func acquireError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return apierr.PoolTimeout()
	}
	return apierr.DBConnection(err.Error())
}

// PoolConfig builds a pgxpool config for the login role.
func PoolConfig(uri string, size int, maxIdle, maxLifetime time.Duration) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(uri)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = int32(size)
	if maxIdle > 0 {
		cfg.MaxConnIdleTime = maxIdle
	}
	if maxLifetime > 0 {
		cfg.MaxConnLifetime = maxLifetime
	}
	cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeExec
	if cfg.ConnConfig.RuntimeParams == nil {
		cfg.ConnConfig.RuntimeParams = map[string]string{}
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "rocksteady"
	return cfg, nil
}

// ParseCount reads a bigint column (NULL → -1).
func ParseCount(v []byte) int64 {
	if v == nil {
		return -1
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return -1
	}
	return n
}
