package apireq

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/rocksteady/rocksteady/pkg/apierr"
)

// checkErr asserts the contract every failure of this package keeps: an *apierr.Error
// with a PGRST1xx code, a 4xx status, and for PGRST100 a well-formed message and details.
func checkErr(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	e, ok := err.(*apierr.Error)
	if !ok || e == nil {
		t.Fatalf("error %T %v is not an *apierr.Error", err, err)
	}
	if !strings.HasPrefix(e.Code, "PGRST1") || len(e.Code) != 8 {
		t.Fatalf("code %q is not PGRST1xx", e.Code)
	}
	if e.Status < 400 || e.Status > 499 {
		t.Fatalf("status %d is not 4xx (%s)", e.Status, e.Code)
	}
	if e.Code == "PGRST100" {
		if !strings.HasPrefix(e.Message, `"failed to parse `) || !strings.Contains(e.Message, `)" (line `) {
			t.Fatalf("malformed PGRST100 message %q", e.Message)
		}
		d, ok := e.Details.(string)
		if !ok || d == "" || d == "unknown parse error" {
			t.Fatalf("PGRST100 details %v", e.Details)
		}
	}
}

// sameRuns asserts that the untracked and the error-tracking parse agree, which the
// two-pass error reporting relies on.
func sameRuns[T any](t *testing.T, input string, fn func(*parser) (T, status)) {
	t.Helper()
	fast := parser{s: input}
	v1, s1 := fn(&fast)
	slow := parser{s: input, track: true}
	v2, s2 := fn(&slow)
	if s1 != s2 || fast.pos != slow.pos {
		t.Fatalf("%q: untracked %v@%d, tracked %v@%d", input, s1, fast.pos, s2, slow.pos)
	}
	if s1.ok() && !reflect.DeepEqual(v1, v2) {
		t.Fatalf("%q: results differ\n%#v\n%#v", input, v1, v2)
	}
	if !s2.ok() && (slow.err.pos < 0 || slow.err.pos > len(input)) {
		t.Fatalf("%q: error position %d out of range", input, slow.err.pos)
	}
}

var selectSeeds = []string{
	"", "*", "id,name", "a:b->c->>-1::text", "x(*)", "...y!inner!h(z)", "count()", "c:count()::int",
	"d::numeric.sum()::text", `"a.b",":x"`, "id,clients(name[])", "data->>--34", "data->(...", "rel!hint!inner(*)",
	"a(b(c(d(*))))", "name::", "*!hint", " id , name ", "rel->jsonpath(*)", "a - b", `"esc\"aped"`, "名前(x)",
	"data->0)", "a(b) c", "id)",
}

func FuzzParseSelect(f *testing.F) {
	for _, s := range selectSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		items, err := ParseSelect(s)
		checkErr(t, err)
		if err == nil && items == nil {
			t.Fatal("nil select without error")
		}
		sameRuns(t, s, parseSelectList)
	})
}

var filterSeeds = [][2]string{
	{"id", "eq.1"}, {"id", "not.in.(1,2)"}, {"a", "is.NULL"}, {"a", "in.(\"x,y\",z)"}, {"t", "fts(english).cat"},
	{"id", "eq(any).{1,2}"}, {"a.b.c", "like(all).{x*}"}, {"data->>-1", "gt.2"}, {`"q.k"`, "neq.x"}, {"id", "0"},
	{"id", "eq().value"}, {"id", "is.foo"}, {"id", "in.("}, {"id", ""}, {"a..b", "eq.1"}, {"id", "not."},
	{"id", "isdistinct.x"}, {"id", "cs.{1}"}, {"id", "adj.[1,2)"}, {"x::text", "eq.1"},
}

func FuzzParseFilter(f *testing.F) {
	for _, s := range filterSeeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		flt, err := ParseFilter(key, value)
		checkErr(t, err)
		if err == nil && (flt.Op == 0 || flt.Op > OpAdj) {
			t.Fatalf("filter without operator: %+v", flt)
		}
		if err == nil && flt.Op == OpIn && flt.List == nil {
			t.Fatalf("in without list: %+v", flt)
		}
		sameRuns(t, key, parseTreePath)
		sameRuns(t, value, parseOpExpr)
		sameRuns(t, value, parseOpExprOrArg)
	})
}

var orderSeeds = []string{
	"id", "id.desc", "a.asc.nullsfirst,b.desc.nullslast", "clients(name).desc", "json->>a.desc",
	"id.asc.nullslasttt", "clients(name,id)", "id.ac", "", "id,", " a , b ",
}

func FuzzParseOrder(f *testing.F) {
	for _, s := range orderSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		terms, err := ParseOrder(s)
		checkErr(t, err)
		if err == nil && len(terms) == 0 {
			t.Fatal("empty order without error")
		}
		sameRuns(t, s, parseOrderList)
	})
}

var logicSeeds = [][2]string{
	{"or", "(a.eq.1,b.eq.2)"}, {"not.and", "(a.gt.1,or(b.eq.1,c.is.null))"}, {"x.not.or", "(a.in.(1,2))"},
	{"and", "( and ( id.in.( 1, 2, 3 ) , id.eq.3 ) , or ( id.eq.2 , id.eq.3 ) )"}, {"or", "()"},
	{"or", `(name.eq."(a,b)",arr.cs.{1,2})`}, {"or", "(id.eq.1,not.xor(id.eq.2))"}, {"or", ".eq.1"},
	{"a..or", "(x.eq.1)"}, {"or", "(a.eq.1"},
}

func FuzzParseLogicTree(f *testing.F) {
	for _, s := range logicSeeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		tree, err := ParseLogicTree(key, value)
		checkErr(t, err)
		if err == nil {
			checkLogic(t, tree.Expr)
		}
		sameRuns(t, key, parseNames)
		sameRuns(t, "or"+value, parseLogicExpr)
		sameRuns(t, "not.and"+value, parseLogicExpr)
	})
}

func checkLogic(t *testing.T, e LogicExpr) {
	t.Helper()
	if e.Filter == nil && len(e.Children) == 0 {
		t.Fatal("logic node without children")
	}
	for _, c := range e.Children {
		checkLogic(t, c)
	}
}

func FuzzParsePrefer(f *testing.F) {
	for _, s := range []string{
		"return=representation", "count=exact, tx=rollback", "handling=strict, foo", "timezone=UTC,max-affected=5",
		",return=minimal", "params=single-object", "  ,  ,", "max-affected=x",
	} {
		f.Add(s, "resolution=merge-duplicates")
	}
	f.Fuzz(func(t *testing.T, h1, h2 string) {
		p := ParsePrefer([]string{h1, h2})
		for _, inv := range p.Invalid {
			if inv != strings.TrimFunc(inv, isASCIISpace) || strings.Contains(inv, ",") {
				t.Fatalf("invalid token %q not trimmed/split", inv)
			}
		}
		checkErr(t, p.StrictError())
		if p.Handling == HandlingStrict && len(p.Invalid) > 0 && p.StrictError() == nil {
			t.Fatal("strict with invalid preferences passed")
		}
	})
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		"select=id,title,created_at&user_id=eq.U&order=created_at.desc&limit=20",
		"select=*,clients(*)&clients.id=eq.1&or=(a.eq.1,b.eq.2)&clients.order=name&clients.limit=2",
		"a=1&b=eq.2&v=x&v=y", "id=0", "columns=a,b&on_conflict=id", "select=a%2Cb&x=eq.a+b", "id=eq.1;name=eq.2",
		"limit=-1", "offset=3&limit=abc", "not.or=()", "%zz=%", "&&=&", "x.y.z.limit=1&x.y.z.offset=2",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, raw string, rpcRead bool) {
		q, err := ParseQuery(raw, rpcRead)
		checkErr(t, err)
		if err == nil {
			if q.Select == nil {
				t.Fatal("nil select")
			}
			if !rpcRead && len(q.RPCArgs) > 0 {
				t.Fatal("arguments outside rpc read")
			}
			_ = q.CanonicalQuery()
		}
	})
}

func FuzzParse(f *testing.F) {
	f.Add("GET", "/rest/v1/items", "select=id&limit=2", "count=exact", "application/json", "0-9", "public")
	f.Add("PUT", "/items", "id=eq.1&limit=1", "", "*/*", "", "")
	f.Add("DELETE", "/rpc/f", "", "", "", "", "")
	f.Add("GET", "/a/b", "", "", "", "", "nope")
	f.Add("HEAD", "/rpc/f", "a=1&b=in.(1)", "handling=strict,x", `application/vnd.pgrst.plan+json; for="text/csv"`, "5-1", "other")
	f.Add("OPTIONS", "/", "", "", "text/csv;q=0.5, */*", "", "")
	f.Fuzz(func(t *testing.T, method, path, query, prefer, accept, rng, profile string) {
		h := http.Header{}
		if prefer != "" {
			h.Set("Prefer", prefer)
		}
		if accept != "" {
			h.Set("Accept", accept)
		}
		if rng != "" {
			h.Set("Range", rng)
		}
		if profile != "" {
			h.Set("Accept-Profile", profile)
			h.Set("Content-Profile", profile)
		}
		r, err := Parse(method, path, query, h, nil, Options{Schemas: []string{"public", "other"}})
		checkErr(t, err)
		if err != nil {
			return
		}
		if r.Range.Offset < 0 || (r.Range.Limit < 0 && r.Range.Limit != NoLimit) {
			t.Fatalf("bad range %+v", r.Range)
		}
		for _, e := range r.EmbedRanges {
			if e.Page.Offset < 0 || (e.Page.Limit < 0 && e.Page.Limit != NoLimit) || len(e.Path) == 0 {
				t.Fatalf("bad embed range %+v", e)
			}
		}
		for _, m := range r.Accept {
			_ = m.String()
		}
	})
}

func FuzzParseAccept(f *testing.F) {
	for _, s := range []string{
		"*/*", "text/csv, application/json;q=0.5", `application/vnd.pgrst.plan+text; for="application/json"; options=analyze;`,
		"application/vnd.pgrst.object+json;nulls=stripped", "undefined", ",,", `a/b;x="unterminated`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, m := range ParseAccept(s) {
			if m.Kind == MediaPlan && m.Plan == nil {
				t.Fatal("plan without request")
			}
			_ = m.String()
		}
		_ = ParseMediaType(s).String()
	})
}
