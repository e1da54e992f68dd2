package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/rocksteady/rocksteady/pkg/apierr"
	"github.com/rocksteady/rocksteady/pkg/apireq"
	"github.com/rocksteady/rocksteady/pkg/auth"
	"github.com/rocksteady/rocksteady/pkg/config"
	"github.com/rocksteady/rocksteady/pkg/plan"
	"github.com/rocksteady/rocksteady/pkg/reload"
	"github.com/rocksteady/rocksteady/pkg/response"
	"github.com/rocksteady/rocksteady/pkg/schema"
	"github.com/rocksteady/rocksteady/pkg/sqlgen"
	"github.com/rocksteady/rocksteady/pkg/txn"
)

// Stages are the pipeline's parts, built once at startup.
type Stages struct {
	Auth   *auth.Authenticator
	Schema *schema.Cache
	Runner *txn.Runner
}

// SchemaLoaded tells whether a schema snapshot is available.
func (s Stages) SchemaLoaded() bool { return s.Schema != nil && s.Schema.Current() != nil }

type pipeline struct {
	// preRequest calls PGRST_DB_PRE_REQUEST's function, or is "".
	preRequest string
	cfg        *config.Config
	st         Stages
	log        *slog.Logger
	reqOpts    apireq.Options
	planOpt    plan.Options
	// reloader gives unknown tables and functions one refresh (reload.go).
	reloader *reload.Reloader
	// searchPaths and appSettings are the parts of every request's settings that depend
	// only on the configuration, built once.
	searchPaths map[string]string
	appSettings []txn.Setting
}

func newPipeline(cfg *config.Config, st Stages, log *slog.Logger) *pipeline {
	p := &pipeline{
		cfg: cfg, st: st, log: log, preRequest: preRequestSQL(cfg.DBPreRequest),
		reqOpts:     apireq.Options{Schemas: cfg.DBSchemas, OpenAPIDisabled: cfg.OpenAPIMode == "disabled"},
		planOpt:     plan.Options{MaxRows: int64(cfg.DBMaxRows), AggregatesEnabled: cfg.DBAggregatesEnabled, PlanEnabled: cfg.DBPlanEnabled, TxEnd: cfg.DBTxEnd},
		searchPaths: make(map[string]string, len(cfg.DBSchemas)),
	}
	for _, s := range cfg.DBSchemas {
		p.searchPaths[s] = searchPathFor(s, cfg.DBExtraSearchPath)
	}
	for _, k := range cfg.AppSettingNames() {
		p.appSettings = append(p.appSettings, txn.Setting{Name: k, Value: cfg.AppSettings[k]})
	}
	return p
}

// serveAPI runs one request through the stages.
func (s *Server) serveAPI(c echo.Context) error {
	resp, e := s.pipe.handle(c.Request())
	if e != nil {
		if e.Status >= 500 && e.Code == "PGRSTX00" {
			s.log.Error("internal error", "request_id", c.Get("request_id"))
		}
		return s.writeError(c, e)
	}
	return write(c, resp)
}

func (p *pipeline) handle(r *http.Request) (*response.Response, *apierr.Error) {
	ctx := r.Context()
	who, aerr := p.st.Auth.Authenticate(r.Header.Get("Authorization"), apiKey(r))
	if aerr != nil {
		var gw *auth.GatewayError
		if errors.As(aerr, &gw) {
			return &response.Response{Status: gw.Status, Header: gw.Header(), Body: gw.Body()}, nil
		}
		return nil, asAPIError(aerr)
	}
	noteRole(ctx, who.Role)
	snap := p.st.Schema.Current()
	if snap == nil {
		return nil, apierr.SchemaCacheNotLoaded()
	}
	body, berr := readBody(r, p.cfg.MaxBodyBytes)
	if berr != nil {
		return nil, berr
	}
	req, err := apireq.Parse(r.Method, r.URL.EscapedPath(), withoutAPIKey(r.URL.RawQuery), r.Header, body, p.reqOpts)
	if err != nil {
		return nil, asAPIError(err)
	}
	if req.Method == http.MethodOptions {
		if req.Target.Kind == apireq.TargetRPC {
			return rpcOptions(req, snap)
		}
		return options(req), nil
	}
	if req.Target.Kind == apireq.TargetRoot {
		return p.root(ctx, r, req, who, snap)
	}
	planned, err := plan.Build(req, snap, p.planOpt)
	if err != nil {
		planned, err = p.replanUnknown(ctx, req, snap, err)
	}
	if err != nil {
		return nil, asAPIError(err)
	}
	switch pl := planned.(type) {
	case *plan.Read:
		return p.read(ctx, r, req, who, pl)
	case *plan.Mutation:
		return p.mutate(ctx, r, req, who, pl)
	case *plan.Call:
		return p.call(ctx, r, req, who, pl)
	}
	return nil, apierr.UnsupportedMethod(r.Method)
}

func (p *pipeline) read(ctx context.Context, r *http.Request, req *apireq.Request, who auth.Result, pl *plan.Read) (*response.Response, *apierr.Error) {
	q, e := p.readQuery(ctx, r, req, who, pl)
	if e != nil {
		return nil, e
	}
	res, err := p.st.Runner.Run(ctx, q)
	if err != nil {
		return nil, p.runError(err)
	}
	return p.readResponse(req, pl, res)
}

// readQuery is what a read runs: its statement, settings and, for a planned count, the
// EXPLAIN sent alongside.
func (p *pipeline) readQuery(ctx context.Context, r *http.Request, req *apireq.Request, who auth.Result, pl *plan.Read) (*txn.Query, *apierr.Error) {
	sql, args, err := sqlgen.Read(pl)
	if err != nil {
		if e, ok := apierr.As(err); ok {
			return nil, e
		}
		p.log.Error("sqlgen", "err", err)
		return nil, apierr.Internal()
	}
	noteSQL(ctx, sql)
	q := &txn.Query{
		ReadOnly:   true,
		Settings:   p.settings(r, req, who),
		PreRequest: p.preRequest,
		SQL:        sql,
		Args:       args,
		Anonymous:  who.Anonymous,
		AllRows:    pl.Explain != nil,
		Isolation:  p.isolation(who, ""),
	}
	if pl.NeedsPlannedCount() && pl.Explain == nil {
		csql, cargs, err := sqlgen.CountPlan(pl)
		if err != nil {
			p.log.Error("sqlgen", "err", err)
			return nil, apierr.Internal()
		}
		q.Also = []txn.Statement{{SQL: csql, Args: cargs}}
	}
	return q, nil
}

// readResponse turns a read's result row into the response.
func (p *pipeline) readResponse(req *apireq.Request, pl *plan.Read, res *txn.Result) (*response.Response, *apierr.Error) {
	if pl.Explain != nil {
		return explainResponse(req, pl, res), nil
	}
	row := res.Row
	if row == nil {
		return nil, apierr.Internal()
	}
	total, terr := readTotal(pl, row, res.Also)
	if terr != nil {
		p.log.Error("planned count", "err", terr)
		return nil, apierr.Internal()
	}
	page := txn.ParseCount(row[sqlgen.ColPage])
	if pl.Singular && page != 1 {
		return nil, apierr.Singular(page)
	}
	out := response.Read{
		Head:            req.Method == http.MethodHead,
		ContentType:     pl.ContentType,
		Offset:          pl.Offset,
		Total:           total,
		Page:            page,
		Body:            row[sqlgen.ColBody],
		ContentLocation: contentLocation(req),
		GUCHeaders:      row[sqlgen.ColResponseHeaders],
		GUCStatus:       row[sqlgen.ColResponseStatus],
	}
	if req.SchemaNegotiated {
		out.ContentProfile = req.Schema
	}
	out.PreferenceApplied = pl.PreferenceApplied
	resp, rerr := response.ForRead(out)
	if rerr != nil {
		return nil, rerr
	}
	if pl.Warning != "" {
		resp.Header.Set("Warning", warning(pl.Warning))
	}
	return resp, nil
}

// settings are the request's transaction-local settings, in PostgREST's order: the
// search path, the impersonated role's own ALTER ROLE … SET settings (applied before the
// role switch), the role, the claims, the request, the time zone, app settings.
func (p *pipeline) settings(r *http.Request, req *apireq.Request, who auth.Result) []txn.Setting {
	set := make([]txn.Setting, 0, 16+len(p.appSettings))
	set = append(set, txn.Setting{Name: "search_path", Value: p.searchPath(req.Schema)})
	if snap := p.st.Schema.Current(); snap != nil {
		if rs, ok := snap.Role(who.Role); ok {
			for _, s := range rs.Settings {
				set = append(set, txn.Setting{Name: s.Name, Value: s.Value})
			}
		}
	}
	set = append(set,
		txn.Setting{Name: "role", Value: who.Role},
		txn.Setting{Name: "request.jwt.claims", Value: who.Claims},
		// A function may have set these for the whole session (is_local false); blanked
		// here, such a value cannot reach the next request on the connection, which may be
		// another user's: auth.uid(), auth.role() and auth.email() read the legacy claim
		// settings first, and the response settings become headers and status.
		txn.Setting{Name: "request.jwt.claim.sub", Value: ""},
		txn.Setting{Name: "request.jwt.claim.role", Value: ""},
		txn.Setting{Name: "request.jwt.claim.email", Value: ""},
		txn.Setting{Name: "response.headers", Value: ""},
		txn.Setting{Name: "response.status", Value: ""},
		txn.Setting{Name: "request.method", Value: r.Method},
		txn.Setting{Name: "request.path", Value: r.URL.Path},
		txn.Setting{Name: "request.headers", Value: headersJSON(r.Header)},
		txn.Setting{Name: "request.cookies", Value: cookiesJSON(r)},
	)
	if req.Preferences.HasTimezone {
		set = append(set, txn.Setting{Name: "timezone", Value: req.Preferences.Timezone})
	}
	return append(set, p.appSettings...)
}

// searchPath is the request schema, then PGRST_DB_EXTRA_SEARCH_PATH, quoted; built once
// per exposed schema.
func (p *pipeline) searchPath(schema string) string {
	if sp, ok := p.searchPaths[schema]; ok {
		return sp
	}
	return searchPathFor(schema, p.cfg.DBExtraSearchPath)
}

func searchPathFor(schema string, extra []string) string {
	sp := sqlgen.Quote(schema)
	for _, s := range extra {
		sp += ", " + sqlgen.Quote(s)
	}
	return sp
}

// isolation is the transaction isolation level of a request, as PostgREST picks it: the
// called function's default_transaction_isolation, else the role's (ALTER ROLE … SET),
// else the server's default ("").
func (p *pipeline) isolation(who auth.Result, function string) string {
	if lvl := txn.IsolationLevel(function); lvl != "" {
		return lvl
	}
	if snap := p.st.Schema.Current(); snap != nil {
		if rs, ok := snap.Role(who.Role); ok {
			return txn.IsolationLevel(rs.IsolationLevel)
		}
	}
	return ""
}

// preRequestSQL calls the configured pre-request function ("schema.fn" or "fn", quoted
// as given by the operator).
func preRequestSQL(fn string) string {
	if fn == "" {
		return ""
	}
	parts := strings.SplitN(fn, ".", 2)
	for i := range parts {
		parts[i] = sqlgen.Quote(parts[i])
	}
	return "SELECT " + strings.Join(parts, ".") + "()"
}

// headersJSON is request.headers: an object of the lower-cased header names, each with its
// last value, Cookie left out. The bytes are those encoding/json writes for the same
// map[string]string (keys sorted, <, > and & escaped), built without the map and reflection
// since every request pays for it.
func headersJSON(h http.Header) string {
	type field struct {
		name, value string
		start, end  int // of name in names
	}
	fields := make([]field, 0, len(h))
	// The lower-cased names, one after another: one allocation rather than one per name.
	var names strings.Builder
	names.Grow(16 * len(h))
	size := len("{}")
	for k, vs := range h {
		if k == "Cookie" || len(vs) == 0 {
			continue
		}
		start := names.Len()
		writeLower(&names, k)
		fields = append(fields, field{value: vs[len(vs)-1], start: start, end: names.Len()})
		size += names.Len() - start + len(vs[len(vs)-1]) + len(`"":"",`)
	}
	all := names.String()
	for i := range fields {
		fields[i].name = all[fields[i].start:fields[i].end]
	}
	slices.SortFunc(fields, func(a, b field) int { return strings.Compare(a.name, b.name) })
	var b strings.Builder
	b.Grow(size)
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 && f.name == fields[i-1].name {
			continue // names that differ only in case were one map key
		}
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, f.name)
		b.WriteByte(':')
		writeJSONString(&b, f.value)
	}
	b.WriteByte('}')
	return b.String()
}

// writeLower writes strings.ToLower(s), byte by byte when s is ASCII (as the names of
// headers net/http has read always are).
func writeLower(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			b.WriteString(strings.ToLower(s))
			return
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
}

// jsonPlain marks the bytes encoding/json writes as they are when it escapes HTML (as
// json.Marshal does): printable ASCII but for " \ < > &.
var jsonPlain = func() (plain [256]bool) {
	for c := ' '; c <= '~'; c++ {
		plain[c] = !strings.ContainsRune(`"\<>&`, c)
	}
	return plain
}()

// writeJSONString writes s as encoding/json does: as is when no byte needs escaping (the
// usual header), else through json.Marshal.
func writeJSONString(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		if !jsonPlain[s[i]] {
			q, _ := json.Marshal(s)
			b.Write(q)
			return
		}
	}
	b.WriteByte('"')
	b.WriteString(s)
	b.WriteByte('"')
}

func cookiesJSON(r *http.Request) string {
	cs := r.Cookies()
	if len(cs) == 0 {
		return "{}"
	}
	m := make(map[string]string, len(cs))
	for _, c := range cs {
		m[c.Name] = c.Value
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func (p *pipeline) runError(err error) *apierr.Error {
	if e, ok := apierr.As(err); ok {
		return e
	}
	if errors.Is(err, context.Canceled) {
		return apierr.New(499, "PGRST000", "Client closed the request", "", "")
	}
	p.log.Error("transaction", "err", err)
	return apierr.Internal()
}

func asAPIError(err error) *apierr.Error {
	if e, ok := apierr.As(err); ok {
		return e
	}
	return apierr.Internal()
}

// apiKey is the apikey header, or the apikey query parameter (Supabase's gateway accepts both).
func apiKey(r *http.Request) string {
	if k := r.Header.Get("Apikey"); k != "" {
		return k
	}
	if strings.Contains(r.URL.RawQuery, "apikey=") {
		return r.URL.Query().Get("apikey")
	}
	return ""
}

// withoutAPIKey drops apikey= from the query string: it is a credential, not a filter.
func withoutAPIKey(q string) string {
	if !strings.Contains(q, "apikey=") {
		return q
	}
	parts := strings.Split(q, "&")
	kept := parts[:0]
	for _, p := range parts {
		if !strings.HasPrefix(p, "apikey=") {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "&")
}

func readBody(r *http.Request, limit int64) ([]byte, *apierr.Error) {
	if r.Body == nil || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return nil, nil
	}
	if r.ContentLength > limit {
		return nil, bodyTooLarge(limit)
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, apierr.InvalidBody("Could not read the request body")
	}
	if int64(len(b)) > limit {
		return nil, bodyTooLarge(limit)
	}
	return b, nil
}

func bodyTooLarge(limit int64) *apierr.Error {
	return apierr.New(http.StatusRequestEntityTooLarge, "PGRST413", "Request body is too large",
		"The body exceeds the limit of "+itoa(limit)+" bytes", "")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// contentLocation is /<table>?<params sorted by key>, for table reads.
func contentLocation(req *apireq.Request) string {
	if req.Target.Kind != apireq.TargetTable {
		return ""
	}
	path := "/" + url.PathEscape(req.Target.Name)
	if q := req.CanonicalQuery(); q != "" {
		return path + "?" + q
	}
	return path
}

// options answers OPTIONS without touching the database.
func options(req *apireq.Request) *response.Response {
	h := http.Header{}
	switch req.Target.Kind {
	case apireq.TargetRoot:
		h.Set("Allow", "OPTIONS,GET,HEAD")
	case apireq.TargetRPC:
		h.Set("Allow", "OPTIONS,GET,HEAD,POST")
	default:
		h.Set("Allow", "OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE")
	}
	h.Set("Access-Control-Allow-Origin", "*")
	return &response.Response{Status: http.StatusOK, Header: h, NoBody: true}
}
