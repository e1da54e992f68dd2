package plan

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/rocksteady/rocksteady/pkg/apierr"
	"github.com/rocksteady/rocksteady/pkg/apireq"
	"github.com/rocksteady/rocksteady/pkg/schema"
)

// ArgSource says where a call's arguments come from.
type ArgSource uint8

const (
	// ArgsNone: the function is called without arguments.
	ArgsNone ArgSource = iota
	// ArgsJSON: named arguments read from the JSON body by json_to_record, typed by the
	// schema cache (values are never decoded in Go).
	ArgsJSON
	// ArgsText: named arguments given as text (query string, form body).
	ArgsText
	// ArgsRaw: the whole body is the function's single unnamed parameter.
	ArgsRaw
)

// CallArg is one named argument of a call.
type CallArg struct {
	Name string
	// Type is the type the argument is read as (the parameter's type, with character and
	// bit made unbounded), from the schema cache.
	Type     string
	Variadic bool
	// Values are the text values of an ArgsText argument: every value given for a
	// VARIADIC parameter, otherwise the last one.
	Values []string
}

// ResultShape is what a called function returns, as far as the response is concerned.
type ResultShape uint8

const (
	ResultVoid    ResultShape = iota + 1
	ResultScalar              // one value: the body is that value
	ResultScalars             // SETOF scalar: a JSON array of values
	ResultRow                 // one composite: a JSON object
	ResultRows                // SETOF composite or TABLE: read like a relation
)

// Call is a planned function call on /rpc/<fn>.
type Call struct {
	// Read shapes the result. Root is the read over the call's rows (Root.FromCall is
	// set); for scalar and void results only its window (Page) is used.
	Read
	Func   Name
	Shape  ResultShape
	Source ArgSource
	Args   []CallArg
	// Payload is the JSON document (ArgsJSON) or the raw body (ArgsRaw).
	Payload []byte
	// BodyIsArray: the arguments are those of the JSON array's first object.
	BodyIsArray bool
	// RawType is the type of the single unnamed parameter (ArgsRaw): json, jsonb, text,
	// xml or bytea.
	RawType string
	// ReadOnly: GET and HEAD, and POST to STABLE or IMMUTABLE functions.
	ReadOnly bool
	// Settings are the function's SET clauses hoisted into the transaction.
	Settings []schema.Setting
	// Isolation is the function's default_transaction_isolation ("" for none): the
	// transaction begins at that level.
	Isolation string
	// MaxAffected is Prefer: max-affected with handling=strict (-1 when not in force).
	MaxAffected int64
	// Rollback ends the call's transaction with ROLLBACK (PGRST_DB_TX_END, Prefer: tx).
	Rollback bool
	// PreferenceApplied is the Preference-Applied header value ("" for none).
	PreferenceApplied string
}

// hoisted are the function settings applied to the whole transaction (PostgREST's
// db-hoisted-tx-settings default, minus default_transaction_isolation, which cannot change
// once the transaction has run a statement: it becomes Call.Isolation instead).
var hoisted = []string{"statement_timeout", "plan_filter.statement_cost_limit"}

// callArgs are the argument names and values a request gives, before a function is chosen.
type callArgs struct {
	keys   []string            // distinct names in order of appearance
	values map[string][]string // ArgsText values by name
	source ArgSource
	json   apireq.BodyShape
	// raw is the body's media kind when it goes to a single unnamed parameter
	// (text/plain, text/xml, application/octet-stream); MediaOther otherwise.
	raw apireq.MediaKind
	// jsonBody: a POST with a JSON body (the unnamed json/jsonb fallback applies).
	jsonBody bool
	// payload replaces the body as the JSON document (a CSV body converted).
	payload []byte
}

func planCall(req *apireq.Request, cat catalog, opts Options) (*Call, error) {
	args, err := requestArgs(req)
	if err != nil {
		return nil, err
	}
	fn, err := chooseFunction(req, cat, args)
	if err != nil {
		return nil, err
	}
	c := &Call{Func: Name{Schema: fn.Schema, Name: fn.Name}, MaxAffected: -1}
	if err := bindArgs(c, req, fn, args); err != nil {
		return nil, err
	}
	c.ReadOnly = req.Method != http.MethodPost || fn.Volatility != schema.Volatile
	c.Isolation = fn.IsolationLevel()
	for _, name := range hoisted {
		if v, ok := fn.Setting(name); ok {
			c.Settings = append(c.Settings, schema.Setting{Name: name, Value: v})
		}
	}
	if err := planResult(c, req, cat, fn, opts); err != nil {
		return nil, err
	}
	if err := negotiate(req, &c.Read, opts); err != nil {
		return nil, err
	}
	if c.Shape == ResultRow && c.Body == BodyJSONArray {
		c.Body = BodyJSONObject // one composite is an object (or null), never an array
	}
	if err := req.Preferences.StrictError(); err != nil {
		return nil, err
	}
	prefs := req.Preferences
	strict := prefs.Handling == apireq.HandlingStrict
	if strict && prefs.HasMaxAffected {
		if !fn.Return.SetOf {
			return nil, apierr.MaxAffectedNotSetof()
		}
		c.MaxAffected = prefs.MaxAffected
	}
	// As with PostgREST, a call's total is an exact count for count=exact and
	// count=estimated (unlimited by max-rows), and unknown for count=planned.
	if prefs.Count == apireq.CountExact || prefs.Count == apireq.CountEstimated {
		c.Count = CountExact
	}
	if req.Method == http.MethodHead {
		c.Body = BodyNone
	}
	rollback, txHonored := txEnd(opts, &prefs)
	c.Rollback = rollback && !c.ReadOnly
	c.PreferenceApplied = preferenceApplied(&prefs, applied{tx: txHonored, maxAffected: c.MaxAffected})
	return c, nil
}

// requestArgs reads the argument names (and text values) from the query string (GET,
// HEAD) or the body (POST), checking the body before any function is looked up.
func requestArgs(req *apireq.Request) (*callArgs, error) {
	a := &callArgs{values: map[string][]string{}}
	add := func(name, value string) {
		if _, seen := a.values[name]; !seen {
			a.keys = append(a.keys, name)
		}
		a.values[name] = append(a.values[name], value)
	}
	if req.Method != http.MethodPost {
		for _, arg := range req.RPCArgs {
			add(arg.Name, arg.Value)
		}
		a.source = ArgsText
		return a, nil
	}
	switch req.ContentType.Kind {
	case apireq.MediaJSON:
		a.jsonBody, a.source = true, ArgsJSON
		if len(bytes.TrimSpace(req.Body)) == 0 {
			break // an empty body is {}
		}
		shape, err := apireq.ScanJSONBody(req.Body)
		if err != nil {
			return nil, err
		}
		a.json = shape
		a.keys = shape.Keys
		if req.Columns != nil {
			a.keys = req.Columns
		}
	case apireq.MediaURLEncoded:
		a.source = ArgsText
		for _, pair := range strings.Split(string(req.Body), "&") {
			if pair == "" {
				continue
			}
			k, v, _ := strings.Cut(pair, "=")
			name, err1 := url.QueryUnescape(k)
			value, err2 := url.QueryUnescape(v)
			if err1 != nil || err2 != nil {
				return nil, apierr.InvalidBody("Invalid form-urlencoded body")
			}
			add(name, value)
		}
	case apireq.MediaTextPlain, apireq.MediaTextXML, apireq.MediaOctetStream:
		a.raw, a.source = req.ContentType.Kind, ArgsRaw
	case apireq.MediaCSV:
		// The header names the arguments; the first line holds their values (§5.7).
		body, err := csvBody(req.Body)
		if err != nil {
			return nil, err
		}
		a.source, a.payload = ArgsJSON, body.json
		a.json = apireq.BodyShape{IsArray: true, Keys: body.keys}
		a.keys = body.keys
		if req.Columns != nil {
			a.keys = req.Columns
		}
	default:
		return nil, apierr.InvalidBody("Content-Type not acceptable: " + req.ContentType.Raw)
	}
	return a, nil
}

// chooseFunction resolves the overload the argument names call (§7.3).
func chooseFunction(req *apireq.Request, cat catalog, a *callArgs) (*schema.Function, error) {
	overloads := cat.snap.Functions(req.Schema, req.Target.Name)
	if req.Method == http.MethodPost && a.jsonBody && req.Preferences.ParamsSingleObject {
		// PostgREST ≤ v12: the whole body goes to the only json/jsonb parameter.
		var found []*schema.Function
		for _, f := range overloads {
			if in := f.InputParams(); len(in) == 1 && isJSONType(in[0].TypeOID) {
				found = append(found, f)
			}
		}
		if len(found) == 1 {
			a.source = ArgsRaw
			return found[0], nil
		}
	}
	var matched, fallback []*schema.Function
	for _, f := range overloads {
		if matchesArgs(f, a) {
			matched = append(matched, f)
		} else if req.Method == http.MethodPost && unnamedFits(f, a) {
			fallback = append(fallback, f)
		}
	}
	switch {
	case len(matched) == 1:
		return matched[0], nil
	case len(matched) > 1:
		return nil, ambiguous(matched)
	case len(fallback) == 1:
		a.source = ArgsRaw
		return fallback[0], nil
	case len(fallback) > 1:
		return nil, ambiguous(fallback)
	}
	return nil, noFunction(req, cat, a, len(overloads) > 0)
}

func ambiguous(fs []*schema.Function) error {
	sigs := make([]string, len(fs))
	for i, f := range fs {
		sigs[i] = f.Signature()
	}
	return apierr.AmbiguousFunction(sigs)
}

// matchesArgs: every given name is a parameter and every parameter without a default is
// given. A function without parameters matches no names, except for a raw body.
func matchesArgs(f *schema.Function, a *callArgs) bool {
	in := f.InputParams()
	if len(in) == 0 {
		return len(a.keys) == 0 && a.raw == apireq.MediaOther
	}
	if a.raw != apireq.MediaOther {
		return false
	}
	for _, k := range a.keys {
		if !slices.ContainsFunc(in, func(p schema.Param) bool { return p.Name == k }) {
			return false
		}
	}
	for _, p := range in {
		if !p.HasDefault && !slices.Contains(a.keys, p.Name) {
			return false
		}
	}
	return true
}

func isJSONType(oid uint32) bool { return oid == schema.OIDJSON || oid == schema.OIDJSONB }

// unnamedFits: f has a single unnamed parameter of the type the body's media type gives.
func unnamedFits(f *schema.Function, a *callArgs) bool {
	in := f.InputParams()
	if len(in) != 1 || in[0].Name != "" {
		return false
	}
	oid := in[0].TypeOID
	switch {
	case a.jsonBody:
		return isJSONType(oid)
	case a.raw == apireq.MediaTextPlain:
		return oid == schema.OIDText
	case a.raw == apireq.MediaTextXML:
		return oid == schema.OIDXML
	case a.raw == apireq.MediaOctetStream:
		return oid == schema.OIDBytea
	}
	return false
}

// noFunction is PGRST202 worded as PostgREST words it.
func noFunction(req *apireq.Request, cat catalog, a *callArgs, exists bool) error {
	qn := req.Schema + "." + req.Target.Name
	const tail = ", but no matches were found in the schema cache."
	if a.raw != apireq.MediaOther {
		typ := map[apireq.MediaKind]string{apireq.MediaTextPlain: "text", apireq.MediaTextXML: "xml", apireq.MediaOctetStream: "bytea"}[a.raw]
		return apierr.NoFunction("Could not find the function "+qn+" in the schema cache",
			"Searched for the function "+qn+" with a single unnamed "+typ+" parameter"+tail, "")
	}
	keys := slices.Clone(a.keys)
	slices.Sort(keys)
	list := strings.Join(keys, ", ")
	var message, details string
	switch len(keys) {
	case 0:
		message = "Could not find the function " + qn + " without parameters in the schema cache"
		details = "Searched for the function " + qn + " without parameters"
	case 1:
		message = "Could not find the function " + qn + "(" + list + ") in the schema cache"
		details = "Searched for the function " + qn + " with parameter " + list
	default:
		message = "Could not find the function " + qn + "(" + list + ") in the schema cache"
		details = "Searched for the function " + qn + " with parameters " + list
	}
	if a.jsonBody {
		details += " or with a single unnamed json/jsonb parameter"
	}
	hint := ""
	if !exists {
		if s := cat.snap.SimilarFunction(req.Schema, req.Target.Name); s != "" {
			hint = "Perhaps you meant to call the function " + req.Schema + "." + s
		}
	} else if f := cat.snap.SimilarParams(req.Schema, req.Target.Name, a.keys); f != nil {
		var names []string
		for _, p := range f.InputParams() {
			names = append(names, p.Name)
		}
		slices.Sort(names)
		hint = "Perhaps you meant to call the function " + qn + "(" + strings.Join(names, ", ") + ")"
	}
	return apierr.NoFunction(message, details+tail, hint)
}

// bindArgs turns the request's arguments into the chosen function's.
func bindArgs(c *Call, req *apireq.Request, fn *schema.Function, a *callArgs) error {
	if a.source == ArgsRaw {
		in := fn.InputParams()
		c.Source, c.Payload, c.RawType = ArgsRaw, req.Body, in[0].CallType
		return nil
	}
	if len(a.keys) == 0 {
		c.Source = ArgsNone
		return nil
	}
	c.Source = a.source
	for _, p := range fn.InputParams() {
		if !slices.Contains(a.keys, p.Name) {
			continue
		}
		arg := CallArg{Name: p.Name, Type: p.CallType, Variadic: p.Mode == schema.ParamVariadic}
		if a.source == ArgsText {
			vs := a.values[p.Name]
			if !arg.Variadic {
				vs = vs[len(vs)-1:]
			}
			arg.Values = vs
		}
		c.Args = append(c.Args, arg)
	}
	if a.source == ArgsJSON {
		c.Payload, c.BodyIsArray = req.Body, a.json.IsArray
		if a.payload != nil {
			c.Payload = a.payload
		}
	}
	return nil
}

// planResult classifies the result and plans the read over it.
func planResult(c *Call, req *apireq.Request, cat catalog, fn *schema.Function, opts Options) error {
	c.Offset = req.Range.Offset
	switch {
	case fn.Return.Kind == schema.ReturnVoid:
		c.Shape = ResultVoid
	case fn.Return.Kind == schema.ReturnScalar && fn.Return.SetOf:
		c.Shape = ResultScalars
	case fn.Return.Kind == schema.ReturnScalar:
		c.Shape = ResultScalar
	case fn.Return.SetOf:
		c.Shape = ResultRows
	default:
		c.Shape = ResultRow
	}
	if c.Shape == ResultRows || c.Shape == ResultRow {
		rel := cat.snap.ResultRelation(fn)
		if rel == nil {
			// A composite type the schema cache has no columns for: every column, unfiltered.
			rel = &schema.Relation{Schema: fn.Schema, Name: fn.Name}
		}
		p := &planner{req: req, cat: cat, opts: opts}
		root, err := p.node(rel, req.Select, nil)
		if err != nil {
			return err
		}
		if err := p.checkPaths(); err != nil {
			return err
		}
		root.FromCall = true
		c.Root = root
		return nil
	}
	// Scalar results: no columns to select, filter or order by.
	for _, f := range req.Filters {
		return undefinedResultColumn(f.Field.Name)
	}
	for _, l := range req.Logic {
		if l.Expr.Filter != nil {
			return undefinedResultColumn(l.Expr.Filter.Field.Name)
		}
		return undefinedResultColumn("or")
	}
	for _, o := range req.Order {
		if len(o.Terms) > 0 {
			return undefinedResultColumn(o.Terms[0].Field.Name)
		}
	}
	c.Root = &Node{Page: req.Range, MaxRows: opts.MaxRows, FromCall: true}
	return nil
}

func undefinedResultColumn(name string) error {
	return apierr.New(http.StatusBadRequest, "42703", `column "`+name+`" does not exist`, "", "")
}

// CallAllow returns the Allow header value for OPTIONS on /rpc/<fn>: VOLATILE functions
// only take POST. The overload is resolved by the query string's arguments, like GET;
// when they match none, the function's overloads together decide. An unknown function is
// PGRST202.
func CallAllow(req *apireq.Request, snap *schema.Snapshot) (string, error) {
	args, err := requestArgs(req)
	if err != nil {
		return "", err
	}
	cat := catalog{snap: snap}
	candidates := snap.Functions(req.Schema, req.Target.Name)
	if fn, err := chooseFunction(req, cat, args); err == nil {
		candidates = []*schema.Function{fn}
	} else if len(candidates) == 0 {
		return "", err
	}
	for _, fn := range candidates {
		if fn.Volatility != schema.Volatile {
			return "OPTIONS,GET,HEAD,POST", nil
		}
	}
	return "OPTIONS,POST", nil
}
