package apireq

import (
	"net/http"
	"strings"
	"testing"

	"github.com/rocksteady/rocksteady/pkg/apierr"
)

var testOpts = Options{Schemas: []string{"public"}}

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func mustParse(t *testing.T, method, path, query string, h http.Header) *Request {
	t.Helper()
	r, err := Parse(method, path, query, h, nil, testOpts)
	if err != nil {
		t.Fatalf("Parse(%s %s?%s): %v", method, path, query, err)
	}
	return r
}

func TestRouting(t *testing.T) {
	cases := []struct {
		method, path string
		kind         TargetKind
		name         string
	}{
		{"GET", "/", TargetRoot, ""},
		{"GET", "", TargetRoot, ""},
		{"HEAD", "/", TargetRoot, ""},
		{"OPTIONS", "/", TargetRoot, ""},
		{"GET", "/items", TargetTable, "items"},
		{"DELETE", "/items", TargetTable, "items"},
		{"GET", "/rpc/fn", TargetRPC, "fn"},
		{"POST", "/rpc/fn", TargetRPC, "fn"},
		{"OPTIONS", "/rpc/fn", TargetRPC, "fn"},
		{"GET", "/rpc", TargetTable, "rpc"},
		{"GET", "/rpc/", TargetRPC, ""},
		{"GET", "/my%20table", TargetTable, "my table"},
		{"GET", "/my+table", TargetTable, "my+table"},
		{"GET", "/%D8%AA%D8%B3%D8%AA", TargetTable, "تست"},
		{"GET", "/a%2Fb", TargetTable, "a/b"},
		{"GET", "/%72pc/fn", TargetRPC, "fn"},
		{"GET", "/rest/v1/items", TargetTable, "items"},
		{"GET", "/rest/v1/rpc/fn", TargetRPC, "fn"},
		{"GET", "/rest/v1", TargetRoot, ""},
		{"GET", "/rest/v1/", TargetRoot, ""},
		{"GET", "/rest", TargetTable, "rest"},
		{"GET", "/rest/v1x", TargetTable + 100, ""},
	}
	for _, c := range cases {
		r, err := Parse(c.method, c.path, "", nil, nil, testOpts)
		if c.kind == TargetTable+100 {
			wantAPIError(t, err, "PGRST125", 404, "Invalid path specified in request URL", "")
			continue
		}
		if err != nil {
			t.Errorf("%s %s: %v", c.method, c.path, err)
			continue
		}
		if r.Target.Kind != c.kind || r.Target.Name != c.name {
			t.Errorf("%s %s: target %v %q, want %v %q", c.method, c.path, r.Target.Kind, r.Target.Name, c.kind, c.name)
		}
	}
	for _, p := range []string{"/a/b", "/a/b/c", "/items/", "/rpc/a/b", "//items", "/first/second/third", "/rest/v2/items"} {
		_, err := Parse("GET", p, "", nil, nil, testOpts)
		wantAPIError(t, err, "PGRST125", 404, "Invalid path specified in request URL", "")
	}
	if r := mustParse(t, "GET", "/rest/v1/items", "", nil); r.Path != "/items" {
		t.Errorf("Path = %q", r.Path)
	}
}

func TestRootOptions(t *testing.T) {
	_, err := Parse("GET", "/", "", nil, nil, Options{Schemas: []string{"s"}, OpenAPIDisabled: true})
	wantAPIError(t, err, "PGRST126", 404, "Root endpoint metadata is disabled", "")
	_, err = Parse("TRACE", "/", "", nil, nil, Options{Schemas: []string{"s"}, OpenAPIDisabled: true})
	wantAPIError(t, err, "PGRST126", 404, "", "")

	r, err := Parse("POST", "/", "", nil, nil, Options{Schemas: []string{"s"}, RootSpec: "root"})
	if err != nil || r.Target != (Target{Kind: TargetRPC, Name: "root", RootSpec: true}) {
		t.Fatalf("root spec: %+v %v", r, err)
	}
	_, err = Parse("DELETE", "/", "", nil, nil, Options{Schemas: []string{"s"}, RootSpec: "root"})
	wantAPIError(t, err, "PGRST101", 405, "Cannot use the DELETE method on RPC", "")
}

func TestMethods(t *testing.T) {
	cases := []struct{ method, path, code, msg string }{
		{"DELETE", "/rpc/sayhello", "PGRST101", "Cannot use the DELETE method on RPC"},
		{"PUT", "/rpc/f", "PGRST101", "Cannot use the PUT method on RPC"},
		{"PATCH", "/rpc/f", "PGRST101", "Cannot use the PATCH method on RPC"},
		{"TRACE", "/rpc/f", "PGRST101", "Cannot use the TRACE method on RPC"},
		{"TRACE", "/items", "PGRST117", "Unsupported HTTP method: TRACE"},
		{"CONNECT", "/items", "PGRST117", "Unsupported HTTP method: CONNECT"},
		{"get", "/items", "PGRST117", "Unsupported HTTP method: get"},
		{"POST", "/", "PGRST117", "Unsupported HTTP method: POST"},
		{"DELETE", "/", "PGRST117", "Unsupported HTTP method: DELETE"},
	}
	for _, c := range cases {
		_, err := Parse(c.method, c.path, "", nil, nil, testOpts)
		wantAPIError(t, err, c.code, 405, c.msg, "")
	}
	for _, m := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
		mustParse(t, m, "/items", "", nil)
	}
}

func TestProfiles(t *testing.T) {
	multi := Options{Schemas: []string{"v1", "v2", `SPECIAL "@/\#~_-`}}
	cases := []struct {
		method     string
		h          http.Header
		schema     string
		negotiated bool
	}{
		{"GET", nil, "v1", true},
		{"GET", hdr("Accept-Profile", "v2"), "v2", true},
		{"HEAD", hdr("Accept-Profile", "v2"), "v2", true},
		{"OPTIONS", hdr("Accept-Profile", "v2"), "v2", true},
		{"GET", hdr("Content-Profile", "v2"), "v1", true},
		{"POST", hdr("Content-Profile", "v2"), "v2", true},
		{"PATCH", hdr("Content-Profile", "v2"), "v2", true},
		{"PUT", hdr("Content-Profile", "v2"), "v2", true},
		{"DELETE", hdr("Content-Profile", "v2"), "v2", true},
		{"POST", hdr("Accept-Profile", "v2"), "v1", true},
		{"GET", hdr("Accept-Profile", `SPECIAL "@/\#~_-`), `SPECIAL "@/\#~_-`, true},
	}
	for _, c := range cases {
		r, err := Parse(c.method, "/parents", "", c.h, nil, multi)
		if err != nil {
			t.Errorf("%s %v: %v", c.method, c.h, err)
			continue
		}
		if r.Schema != c.schema || r.SchemaNegotiated != c.negotiated {
			t.Errorf("%s %v: schema %q negotiated %v", c.method, c.h, r.Schema, r.SchemaNegotiated)
		}
	}
	_, err := Parse("GET", "/parents", "", hdr("Accept-Profile", "unknown"), nil, multi)
	wantAPIError(t, err, "PGRST106", 406, "Invalid schema: unknown", "")
	if got := errHint(err); got != `Only the following schemas are exposed: v1, v2, SPECIAL "@/\#~_-` {
		t.Errorf("hint %q", got)
	}
	_, err = Parse("POST", "/rpc/f", "", hdr("Content-Profile", "x"), nil, multi)
	wantAPIError(t, err, "PGRST106", 406, "Invalid schema: x", "")

	// one schema: only a profile header makes the response carry Content-Profile
	r := mustParse(t, "GET", "/items", "", nil)
	if r.Schema != "public" || r.SchemaNegotiated {
		t.Errorf("single schema: %q %v", r.Schema, r.SchemaNegotiated)
	}
	r = mustParse(t, "GET", "/items", "", hdr("Accept-Profile", "public"))
	if r.Schema != "public" || !r.SchemaNegotiated {
		t.Errorf("single schema with profile: %q %v", r.Schema, r.SchemaNegotiated)
	}
}

func errHint(err error) string {
	if e, ok := err.(*apierr.Error); ok {
		if s, ok := e.Hint.(string); ok {
			return s
		}
	}
	return ""
}

func errBody(err error) []byte {
	if e, ok := err.(*apierr.Error); ok {
		return e.Body()
	}
	return nil
}

// Errors are reported in PostgREST's order: path, profile, method, query, ranges.
func TestErrorPrecedence(t *testing.T) {
	bad := hdr("Accept-Profile", "nope", "Content-Profile", "nope")
	_, err := Parse("GET", "/a/b", "id=bad", bad, nil, testOpts)
	wantAPIError(t, err, "PGRST125", 404, "", "")
	_, err = Parse("TRACE", "/items", "id=bad", bad, nil, testOpts)
	wantAPIError(t, err, "PGRST106", 406, "", "")
	_, err = Parse("DELETE", "/rpc/f", "id=bad", nil, nil, testOpts)
	wantAPIError(t, err, "PGRST101", 405, "", "")
	_, err = Parse("GET", "/items", "id=bad&limit=-1", nil, nil, testOpts)
	wantAPIError(t, err, "PGRST100", 400, "", "")
	_, err = Parse("PUT", "/items", "limit=-1", nil, nil, testOpts)
	wantAPIError(t, err, "PGRST103", 416, "", detailNegativeLimit)
	// within the query string: order, logic, columns, select, filters, on_conflict
	_, err = Parse("GET", "/items", "id=bad&select=(&or=()&order=x.y", nil, nil, testOpts)
	wantParseError(t, err, `"failed to parse order (x.y)" (line 1, column 3)`, "")
	_, err = Parse("GET", "/items", "id=bad&select=(&or=()", nil, nil, testOpts)
	wantParseError(t, err, `"failed to parse logic tree (())" (line 1, column 4)`, "")
	_, err = Parse("POST", "/items", "id=bad&select=(&columns=", nil, nil, testOpts)
	wantParseError(t, err, `"failed to parse columns parameter ()" (line 1, column 1)`, "")
	_, err = Parse("GET", "/items", "id=bad&select=a(", nil, nil, testOpts)
	wantParseError(t, err, `"failed to parse select parameter (a()" (line 1, column 3)`, "")
	_, err = Parse("GET", "/items", "on_conflict=&id=bad", nil, nil, testOpts)
	wantParseError(t, err, `"failed to parse filter (bad)" (line 1, column 1)`, "")
	_, err = Parse("GET", "/items", "on_conflict=", nil, nil, testOpts)
	wantParseError(t, err, `"failed to parse on_conflict parameter ()" (line 1, column 1)`, "")
}

func TestQueryDecoding(t *testing.T) {
	r := mustParse(t, "GET", "/items", "name=eq.a+b&b=eq.a%20b&c=eq.%2C%28%29&d=eq.100%&e=eq.%zz&f%2Eg=eq.1", nil)
	want := []string{`"name" eq "a b"`, `"b" eq "a b"`, `"c" eq ",()"`, `"d" eq "100%"`, `"e" eq "%zz"`, `f|"g" eq "1"`}
	if len(r.Filters) != len(want) {
		t.Fatalf("filters %d", len(r.Filters))
	}
	for i, f := range r.Filters {
		if s := fmtFilter(f); s != want[i] {
			t.Errorf("filter %d: %s, want %s", i, s, want[i])
		}
	}
	// ';' separates parameters like '&'; a key without '=' is ignored; "?" is optional
	r = mustParse(t, "GET", "/items", "?id=eq.1;name=eq.x&flag&&", nil)
	if len(r.Filters) != 2 || len(r.Params) != 4 || r.Params[2].HasValue || r.Params[3].Key != "" || r.Params[3].HasValue {
		t.Errorf("filters %v params %+v", r.Filters, r.Params)
	}
	// "=" alone is a filter with an empty key
	_, err := Parse("GET", "/items", "=", nil, nil, testOpts)
	wantParseError(t, err, `"failed to parse tree path ()" (line 1, column 1)`, "")
	// "?id=" is a filter with an empty operator expression
	_, err = Parse("GET", "/items", "id=", nil, nil, testOpts)
	wantParseError(t, err, `"failed to parse filter ()" (line 1, column 1)`,
		`unexpected end of input expecting "not" or operator (eq, gt, ...)`)
	_, err = Parse("GET", "/ghostBusters", "id=0", nil, nil, testOpts)
	if got := string(errBody(err)); got != `{"code":"PGRST100","details":"unexpected \"0\" expecting \"not\" or operator (eq, gt, ...)","hint":null,"message":"\"failed to parse filter (0)\" (line 1, column 1)"}` {
		t.Errorf("body %s", got)
	}
	// repeated filters are all kept
	r = mustParse(t, "GET", "/items", "id=gt.0&id=lt.5", nil)
	if len(r.Filters) != 2 || r.Filters[1].Op != OpLt {
		t.Errorf("repeated filters: %v", r.Filters)
	}
}

func TestSupabaseJSQuery(t *testing.T) {
	// .from('t').select('a,b').eq('x',1).order('y').range(0,9), URLSearchParams-encoded
	r := mustParse(t, "GET", "/rest/v1/t", "select=a%2Cb&x=eq.1&order=y.asc&offset=0&limit=10", hdr("Accept-Profile", "public"))
	if fmtSelect(r.Select) != `"a","b"` || len(r.Filters) != 1 || fmtOrder(r.Order[0].Terms) != `"y".asc` {
		t.Errorf("select %s filters %v order %v", fmtSelect(r.Select), r.Filters, r.Order)
	}
	if r.Range != (Page{Offset: 0, Limit: 10}) {
		t.Errorf("range %+v", r.Range)
	}
	// .textSearch('fts', 'cat or fat', {type:'websearch', config:'english'})
	r = mustParse(t, "GET", "/rest/v1/t", "fts=wfts%28english%29.cat+or+fat", nil)
	if s := fmtFilter(r.Filters[0]); s != `"fts" wfts(english) "cat or fat"` {
		t.Errorf("fts: %s", s)
	}
	// .in('name', ['a', 'b,c'])
	r = mustParse(t, "GET", "/rest/v1/t", "name=in.%28a%2C%22b%2Cc%22%29", nil)
	if s := fmtFilter(r.Filters[0]); s != `"name" in ["a" "b,c"]` {
		t.Errorf("in: %s", s)
	}
	// .or('a.eq.1,b.eq.2', {referencedTable: 'r'})
	r = mustParse(t, "GET", "/rest/v1/t", "select=*%2Cr%28*%29&r.or=%28a.eq.1%2Cb.eq.2%29&r.order=c.desc.nullslast&r.limit=3", nil)
	if len(r.Logic) != 1 || joinPath(r.Logic[0].Path) != "r" || fmtLogic(r.Logic[0].Expr) != `or({r|"a" eq "1"},{r|"b" eq "2"})` {
		t.Errorf("logic %+v", r.Logic)
	}
	if len(r.Order) != 1 || joinPath(r.Order[0].Path) != "r" || len(r.EmbedRanges) != 1 || r.EmbedRanges[0].Page != (Page{0, 3}) {
		t.Errorf("order %+v ranges %+v", r.Order, r.EmbedRanges)
	}
	// insert([...]) sends columns="a","b"
	r = mustParse(t, "POST", "/rest/v1/t", "columns=%22a%22%2C%22b%22&select=id", nil)
	if strings.Join(r.Columns, "|") != "a|b" {
		t.Errorf("columns %q", r.Columns)
	}
	// upsert(obj, {onConflict: 'id,name'})
	r = mustParse(t, "POST", "/rest/v1/t", "on_conflict=id%2Cname", nil)
	if strings.Join(r.OnConflict, "|") != "id|name" {
		t.Errorf("on_conflict %q", r.OnConflict)
	}
}

func TestSelectParam(t *testing.T) {
	r := mustParse(t, "GET", "/items", "", nil)
	if fmtSelect(r.Select) != "*" {
		t.Errorf("default select %s", fmtSelect(r.Select))
	}
	r = mustParse(t, "GET", "/items", "select=", nil)
	if r.Select == nil || len(r.Select) != 0 {
		t.Errorf("empty select %#v", r.Select)
	}
	// the first select key decides, even without a value
	r = mustParse(t, "GET", "/items", "select&select=id", nil)
	if fmtSelect(r.Select) != "*" {
		t.Errorf("valueless first select %s", fmtSelect(r.Select))
	}
	r = mustParse(t, "GET", "/items", "select=id&select=name", nil)
	if fmtSelect(r.Select) != `"id"` {
		t.Errorf("first select %s", fmtSelect(r.Select))
	}
	// "x.select" is a filter on a column named select of embed x
	r = mustParse(t, "GET", "/items", "x.select=eq.1", nil)
	if len(r.Filters) != 1 || joinPath(r.Filters[0].Path) != "x" {
		t.Errorf("x.select %v", r.Filters)
	}
	r = mustParse(t, "POST", "/items", "columns=a,b,a", nil)
	if strings.Join(r.Columns, "|") != "a|b" {
		t.Errorf("deduped columns %q", r.Columns)
	}
}

func TestOrderParams(t *testing.T) {
	r := mustParse(t, "GET", "/items", "order=a.desc&order=b&projects.order=c&projects.tasks.order=d.asc&projects.order=e&x->y.order=z", nil)
	got := []string{}
	for _, o := range r.Order {
		got = append(got, joinPath(o.Path)+":"+fmtOrder(o.Terms))
	}
	want := `:"a".desc projects:"c" projects.tasks:"d".asc`
	if strings.Join(got, " ") != want {
		t.Errorf("orders %q, want %q", strings.Join(got, " "), want)
	}
	_, err := Parse("GET", "/items", "order=id.asc.nullslasttt", nil, nil, testOpts)
	wantParseError(t, err, `"failed to parse order (id.asc.nullslasttt)" (line 1, column 17)`,
		`unexpected 't' expecting "," or end of input`)
	_, err = Parse("GET", "/items", "a..order=id", nil, nil, testOpts)
	wantParseError(t, err, `"failed to parse tree path (a..order)" (line 1, column 3)`, "")
}

func TestLogicParams(t *testing.T) {
	r := mustParse(t, "GET", "/items", "or=(a.eq.1,b.eq.2)&not.and=(c.gt.1)&x.not.or=(d.is.null)&e=eq.3", nil)
	if len(r.Logic) != 3 || len(r.Filters) != 1 {
		t.Fatalf("logic %d filters %d", len(r.Logic), len(r.Filters))
	}
	if fmtLogic(r.Logic[1].Expr) != `not.and({"c" gt "1"})` || joinPath(r.Logic[2].Path) != "x" || !r.Logic[2].Expr.Negated {
		t.Errorf("logic %s / %+v", fmtLogic(r.Logic[1].Expr), r.Logic[2])
	}
	// a key ending in "or"/"and" but without '=' is ignored
	r = mustParse(t, "GET", "/items", "or", nil)
	if len(r.Logic) != 0 {
		t.Errorf("valueless or: %v", r.Logic)
	}
}

func TestRPCArgs(t *testing.T) {
	r := mustParse(t, "GET", "/rpc/add_them", "a=3&b=4&id=gt.2&select=x&v=hi&v=there&arr=%7B1%2C2%7D&e=&notx=notx&eqx=eqx&p.q=1", nil)
	var args []string
	for _, a := range r.RPCArgs {
		args = append(args, a.Name+"="+a.Value)
	}
	if got := strings.Join(args, "&"); got != "a=3&b=4&v=hi&v=there&arr={1,2}&e=&notx=notx&eqx=eqx&q=1" {
		t.Errorf("args %s", got)
	}
	if len(r.Filters) != 1 || fmtFilter(r.Filters[0]) != `"id" gt "2"` {
		t.Errorf("filters %v", r.Filters)
	}
	for _, m := range []string{"HEAD", "OPTIONS"} {
		if r := mustParse(t, m, "/rpc/f", "a=1", nil); len(r.RPCArgs) != 1 {
			t.Errorf("%s args %v", m, r.RPCArgs)
		}
	}
	// a value that commits to an operator expression ("is.", "in.", "not.") and then
	// breaks is still an error; one that fails before committing is an argument
	for _, q := range []string{"a=is.foo", "a=in.x", "a=not.eq(", "a=not.x"} {
		_, err := Parse("GET", "/rpc/f", q, nil, nil, testOpts)
		wantAPIError(t, err, "PGRST100", 400, "", "")
	}
	for _, q := range []string{"a=eq().x", "a=fts(x", "a=nope", "a=in", "a=isx"} {
		if r, err := Parse("GET", "/rpc/f", q, nil, nil, testOpts); err != nil || len(r.RPCArgs) != 1 {
			t.Errorf("%s: %v", q, err)
		}
	}
	// POST takes arguments from the body: query values must be operator expressions
	_, err := Parse("POST", "/rpc/f", "a=1", nil, nil, testOpts)
	wantParseError(t, err, `"failed to parse filter (1)" (line 1, column 1)`, "")
}

func TestRanges(t *testing.T) {
	cases := []struct {
		method, query, rangeHdr string
		want                    Page
		header                  bool
	}{
		{"GET", "", "", Page{0, NoLimit}, false},
		{"GET", "limit=10", "", Page{0, 10}, false},
		{"GET", "offset=5", "", Page{5, NoLimit}, false},
		{"GET", "limit=3&offset=2", "", Page{2, 3}, false},
		{"GET", "offset=2&limit=3", "", Page{2, 3}, false},
		{"GET", "limit=0", "", Page{0, 0}, false},
		{"GET", "limit=0&offset=0", "", Page{0, 0}, false},
		{"GET", "offset=-5", "", Page{0, NoLimit}, false},
		{"GET", "offset=-5&limit=10", "", Page{0, 5}, false},
		{"GET", "limit=abc", "", Page{0, NoLimit}, false},
		{"GET", "limit=", "", Page{0, NoLimit}, false},
		{"GET", "limit=%201%20", "", Page{0, 1}, false},
		{"GET", "limit=5&limit=7", "", Page{0, 7}, false},
		{"GET", "limit=99999999999999999999", "", Page{0, 1<<63 - 1}, false},
		{"GET", "", "0-9", Page{0, 10}, true},
		{"GET", "", "10-", Page{10, NoLimit}, true},
		{"GET", "", "0-1", Page{0, 2}, true},
		{"GET", "", "10-100", Page{10, 91}, true},
		{"GET", "limit=5", "0-9", Page{0, 5}, true},
		{"GET", "offset=3", "0-9", Page{3, 7}, true},
		{"GET", "limit=0", "5-9", Page{0, 0}, true},
		// a Range header is only a range in exactly this form, and only for GET
		{"GET", "", "items=0-9", Page{0, NoLimit}, false},
		{"GET", "", "0-9 ", Page{0, NoLimit}, false},
		{"GET", "", "-9", Page{0, NoLimit}, false},
		{"HEAD", "", "0-9", Page{0, NoLimit}, false},
		{"POST", "", "0-9", Page{0, NoLimit}, false},
		{"POST", "limit=1&offset=1", "", Page{1, 1}, false},
		{"PUT", "offset=0", "0-9", Page{0, NoLimit}, false},
		{"PUT", "limit=abc", "", Page{0, NoLimit}, false},
	}
	for _, c := range cases {
		h := hdr("Range", c.rangeHdr, "Range-Unit", "items")
		if c.rangeHdr == "" {
			h = nil
		}
		r, err := Parse(c.method, "/items", c.query, h, nil, testOpts)
		if err != nil {
			t.Errorf("%s %q Range %q: %v", c.method, c.query, c.rangeHdr, err)
			continue
		}
		if r.Range != c.want || r.HasRangeHeader != c.header {
			t.Errorf("%s %q Range %q: %+v header=%v, want %+v header=%v", c.method, c.query, c.rangeHdr, r.Range, r.HasRangeHeader, c.want, c.header)
		}
	}
	errs := []struct{ method, query, rangeHdr, code, details string }{
		{"GET", "limit=-1", "", "PGRST103", detailNegativeLimit},
		{"GET", "select=id&limit=-1", "", "PGRST103", detailNegativeLimit},
		{"GET", "", "1-0", "PGRST103", detailLowerGTUpper},
		{"GET", "limit=5", "9-3", "PGRST103", detailLowerGTUpper},
		// PostgREST quirks kept: the windows are intersected as ranges
		{"GET", "limit=0&offset=5", "", "PGRST103", detailNegativeLimit},
		{"GET", "limit=abc&offset=3", "", "PGRST103", detailNegativeLimit},
		{"GET", "limit=5", "10-20", "PGRST103", detailNegativeLimit},
		{"PUT", "limit=1", "", "PGRST114", ""},
		{"PUT", "offset=1", "", "PGRST114", ""},
		{"PUT", "name=eq.Javascript&limit=1", "", "PGRST114", ""},
		{"GET", "projects.limit=-1", "", "PGRST103", detailNegativeLimit},
	}
	for _, c := range errs {
		h := hdr("Range", c.rangeHdr)
		_, err := Parse(c.method, "/items", c.query, h, nil, testOpts)
		status := 416
		if c.code == "PGRST114" {
			status = 400
		}
		wantAPIError(t, err, c.code, status, "", c.details)
	}
}

func TestEmbedRanges(t *testing.T) {
	r := mustParse(t, "GET", "/projects", "select=*,tasks(*)&tasks.limit=2&tasks.offset=1&projects.tasks.limit=0&a.offset=4&limit=1", nil)
	got := []string{}
	for _, e := range r.EmbedRanges {
		got = append(got, joinPath(e.Path)+fmtPage(e.Page))
	}
	if strings.Join(got, " ") != "tasks{1 2} projects.tasks{0 0} a{4 -1}" {
		t.Errorf("embed ranges %v", got)
	}
	if r.Range != (Page{0, 1}) {
		t.Errorf("top range %+v", r.Range)
	}
	_, err := Parse("GET", "/projects", "a..limit=1", nil, nil, testOpts)
	wantParseError(t, err, `"failed to parse tree path (a..limit)" (line 1, column 3)`, "")
	_, err = Parse("GET", "/projects", "a..offset=1", nil, nil, testOpts)
	wantParseError(t, err, `"failed to parse tree path (a..limit)" (line 1, column 3)`, "")
}

func fmtPage(p Page) string {
	return "{" + itoa(p.Offset) + " " + itoa(p.Limit) + "}"
}

func itoa(n int64) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func TestParseRange(t *testing.T) {
	if p, ok, err := ParseRange("0-9"); !ok || err != nil || p != (Page{0, 10}) {
		t.Errorf("0-9: %+v %v %v", p, ok, err)
	}
	if p, ok, err := ParseRange("5-"); !ok || err != nil || p != (Page{5, NoLimit}) {
		t.Errorf("5-: %+v %v %v", p, ok, err)
	}
	for _, v := range []string{"", "-", "a-1", "1-a", "bytes=0-1", " 1-2", "1-2,3-4"} {
		if _, ok, err := ParseRange(v); ok || err != nil {
			t.Errorf("%q accepted", v)
		}
	}
	_, ok, err := ParseRange("1-0")
	if !ok {
		t.Error("1-0 not recognised")
	}
	wantAPIError(t, err, "PGRST103", 416, "Requested range not satisfiable", detailLowerGTUpper)
}

func TestCanonicalQuery(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"id=eq.5", "id=eq.5"},
		{"b=eq.1&a=eq.1", "a=eq.1&b=eq.1"},
		{"id=gt.0&x=1&id=lt.5", "id=gt.0,lt.5&x=1"},
		{"select=id,name&name=eq.a+b", "name=eq.a%20b&select=id%2Cname"},
		{"a&b=", "a=&b="},
	}
	for _, c := range cases {
		q, err := ParseQuery(c.in, true)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if got := q.CanonicalQuery(); got != c.want {
			t.Errorf("CanonicalQuery(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestBodyAndContentType(t *testing.T) {
	body := []byte(`{"a":1}`)
	r, err := Parse("POST", "/items", "", hdr("Content-Type", "application/json; charset=utf-8"), body, testOpts)
	if err != nil || string(r.Body) != `{"a":1}` || r.ContentType.Kind != MediaJSON {
		t.Fatalf("%+v %v", r, err)
	}
	if v, _ := r.ContentType.Param("charset"); v != "utf-8" {
		t.Errorf("charset %q", v)
	}
	r = mustParse(t, "POST", "/items", "", nil)
	if r.ContentType.Kind != MediaJSON || r.ContentType.String() != "application/json" {
		t.Errorf("default content type %+v", r.ContentType)
	}
	for ct, kind := range map[string]MediaKind{
		"text/csv":                          MediaCSV,
		"application/x-www-form-urlencoded": MediaURLEncoded,
		"text/plain":                        MediaTextPlain,
		"text/xml":                          MediaTextXML,
		"application/octet-stream":          MediaOctetStream,
		"application/xml":                   MediaOther,
	} {
		if r := mustParse(t, "POST", "/items", "", hdr("Content-Type", ct)); r.ContentType.Kind != kind {
			t.Errorf("%s: kind %v", ct, r.ContentType.Kind)
		}
	}
}

func TestRequestPreferAndAccept(t *testing.T) {
	r := mustParse(t, "POST", "/items", "", hdr("Prefer", "return=representation", "Prefer", "count=exact, tx=rollback", "Accept", "application/vnd.pgrst.object+json"))
	if r.Preferences.Return != ReturnRepresentation || r.Preferences.Count != CountExact || r.Preferences.Tx != TxRollback {
		t.Errorf("prefs %+v", r.Preferences)
	}
	if len(r.Accept) != 1 || r.Accept[0].Kind != MediaObject {
		t.Errorf("accept %+v", r.Accept)
	}
	r = mustParse(t, "GET", "/items", "", nil)
	if len(r.Accept) != 1 || r.Accept[0].Kind != MediaAny {
		t.Errorf("default accept %+v", r.Accept)
	}
}
