package apireq

import (
	"strings"
	"testing"
)

func TestParseSelect(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"*", `*`},
		{"id,name", `"id","name"`},
		{"due_at,*", `"due_at",*`},
		// whitespace around items and commas
		{" id , name ", `"id","name"`},
		// aliases and casts
		{"alias:col", `"alias":"col"`},
		{"id::text", `"id"::text`},
		{"a::character varying", `"a"::character varying`},
		{"a::_int4", `"a"::_int4`},
		{"x:a->b::int", `"x":"a"->'b'::int`},
		// JSON paths: keys, indexes, negative indexes, mixed arrows
		{"data->a->>b", `"data"->'a'->>'b'`},
		{"data->0->>-1", `"data"->#0->>#-1`},
		{"data->1->mycol->>2", `"data"->#1->'mycol'->>#2`},
		{"data->>-78", `"data"->>#-78`},
		{"data->3,other", `"data"->#3,"other"`},
		{"data->>c->1", `"data"->>'c'->#1`},
		{"data->!@#$%^&*_a", `"data"->'!@#$%^&*_a'`},
		{`data->"a.b"->>"c,d"`, `"data"->'a.b'->>'c,d'`},
		{"data-> spaced key ", `"data"->'spaced key'`},
		{"data->a-b->c", `"data"->'a-b'->'c'`},
		// an index must be followed by ->, ::, ., , or the end; before ')' it is a key
		{"rel(data->0)", `"rel"("data"->'0')`},
		{"data->1::text", `"data"->#1::text`},
		// aggregates
		{"count()", `count()`},
		{"c:count()", `"c":count()`},
		{"count()::text", `count()::text`},
		{"c:count(),client_id", `"c":count(),"client_id"`},
		{"amount.sum()", `"amount".sum()`},
		{"amount.avg(),amount.max(),amount.min(),amount.count()", `"amount".avg(),"amount".max(),"amount".min(),"amount".count()`},
		{"col::numeric.sum()::text", `"col"::numeric.sum()::text`},
		{"total:amount.sum()::int", `"total":"amount".sum()::int`},
		{"data->>x.avg()", `"data"->>'x'.avg()`},
		// legacy select=count (no parens) is a column named count
		{"count", `"count"`},
		{"rel(count)", `"rel"("count")`},
		// embeds
		{"clients(*)", `"clients"(*)`},
		{"id,clients(id,name)", `"id","clients"("id","name")`},
		{"c:clients(id)", `"c":"clients"("id")`},
		{"clients()", `"clients"()`},
		{"clients!inner(*)", `"clients"!inner(*)`},
		{"clients!left(*)", `"clients"!left(*)`},
		{"clients!client_fk(*)", `"clients"!"client_fk"(*)`},
		{"rel!hint!inner(*)", `"rel"!"hint"!inner(*)`},
		{"alias:rel!inner!hint(*)", `"alias":"rel"!"hint"!inner(*)`},
		{"rel!inner!left(*)", `"rel"!inner(*)`},
		{"rel!a!b(*)", `"rel"!"a"(*)`},
		{`rel!"quoted hint"(*)`, `"rel"!"quoted hint"(*)`},
		{"a(b(c(*)))", `"a"("b"("c"(*)))`},
		{"parent_content:p_web_id(name)", `"parent_content":"p_web_id"("name")`},
		{"*,client(*,nested(*))", `*,"client"(*,"nested"(*))`},
		{"id,designTasks:tasks(id,name),codeTasks:tasks(id,name)", `"id","designTasks":"tasks"("id","name"),"codeTasks":"tasks"("id","name")`},
		{"a( b , c ) , d", `"a"("b","c"),"d"`},
		// spreads
		{"title,...directors(director_last_name:last_name)", `"title",..."directors"("director_last_name":"last_name")`},
		{"...rel!hint!inner(*)", `..."rel"!"hint"!inner(*)`},
		{"*,...client(*),other(*)", `*,..."client"(*),"other"(*)`},
		{"title,actors:roles(character,...actors(first_name))", `"title","actors":"roles"("character",..."actors"("first_name"))`},
		{"...a(...b(c))", `..."a"(..."b"("c"))`},
		// identifiers
		{"field-with_sep", `"field-with_sep"`},
		{"a$num$", `"a$num$"`},
		{"Just A Server Model", `"Just A Server Model"`},
		{"a - b", `"a-b"`},
		{"123,_", `"123","_"`},
		{"名前,Ñandú", `"名前","Ñandú"`},
		{`"a.dotted.column","(inside,parens)",":arr->ow::cast"`, `"a.dotted.column","(inside,parens)",":arr->ow::cast"`},
		{`"*id*"`, `"*id*"`},
		{`" padded "`, `" padded "`},
		{`"with \"escaped\" \\ chars"`, `"with \"escaped\" \\ chars"`},
		{`"q":id`, `"q":"id"`},
		// input after a complete list is ignored; so is a list that never starts
		{"id)", `"id"`},
		{"id,name)garbage", `"id","name"`},
		{"*!hint", ""},
		{")", ""},
	}
	for _, c := range cases {
		got, err := ParseSelect(c.in)
		if err != nil {
			t.Errorf("ParseSelect(%q): %v", c.in, err)
			continue
		}
		if got == nil {
			t.Errorf("ParseSelect(%q) returned nil, want non-nil", c.in)
		}
		if s := fmtSelect(got); s != c.want {
			t.Errorf("ParseSelect(%q)\n got %s\nwant %s", c.in, s, c.want)
		}
	}
}

func TestParseSelectErrors(t *testing.T) {
	cases := []struct{ in, msg, details string }{
		{"id,clients(name[])",
			`"failed to parse select parameter (id,clients(name[]))" (line 1, column 16)`,
			`unexpected '[' expecting letter, digit, "-", "->>", "->", "::", ".", ")", "," or end of input`},
		{"data->>--34",
			`"failed to parse select parameter (data->>--34)" (line 1, column 9)`,
			`unexpected "-" expecting digit`},
		{"data->(...",
			`"failed to parse select parameter (data->(...)" (line 1, column 7)`,
			`unexpected "(" expecting "-", digit or any non reserved character different from: .,>()`},
		{"data->>-78xy",
			`"failed to parse select parameter (data->>-78xy)" (line 1, column 11)`,
			`unexpected 'x' expecting digit, "->", "::", ".", "," or end of input`},
		{"data->>-xy-4",
			`"failed to parse select parameter (data->>-xy-4)" (line 1, column 9)`,
			`unexpected "x" expecting digit`},
		{"name!hint",
			`"failed to parse select parameter (name!hint)" (line 1, column 5)`,
			`unexpected '!' expecting letter, digit, "-", "->>", "->", "::", ".", ")", "," or end of input`},
		{"name::",
			`"failed to parse select parameter (name::)" (line 1, column 7)`,
			`unexpected end of input expecting letter or digit`},
		{"id,", `"failed to parse select parameter (id,)" (line 1, column 4)`, ""},
		{"clients(id", `"failed to parse select parameter (clients(id)" (line 1, column 11)`, ""},
		{"a:b:c", `"failed to parse select parameter (a:b:c)" (line 1, column 4)`, ""},
		{"col.sum()x", `"failed to parse select parameter (col.sum()x)" (line 1, column 10)`, ""},
		{"count(*)", `"failed to parse select parameter (count(*))" (line 1, column 6)`, ""},
		{"id::int[]", `"failed to parse select parameter (id::int[])" (line 1, column 8)`, ""},
		{`"unterminated`, `"failed to parse select parameter ("unterminated)" (line 1, column 14)`,
			`unexpected end of input expecting "\\" or "\""`},
		{"a(b) c", `"failed to parse select parameter (a(b) c)" (line 1, column 6)`, ""},
	}
	for _, c := range cases {
		_, err := ParseSelect(c.in)
		t.Run(c.in, func(t *testing.T) { wantParseError(t, err, c.msg, c.details) })
	}
}

// The select item grammar alone, as PostgREST's own parser examples exercise it.
func TestSelectItemErrors(t *testing.T) {
	cases := []struct {
		in, details string
		col         int
	}{
		{"*!hint", `unexpected '!' expecting ")", "," or end of input`, 2},
		{"name!hint", `unexpected '!' expecting letter, digit, "-", "->>", "->", "::", ".", ")", "," or end of input`, 5},
		{"name::", `unexpected end of input expecting letter or digit`, 7},
	}
	for _, c := range cases {
		var item SelectItem
		p := parser{s: c.in}
		if s := p.fieldItem(&item); s.ok() {
			t.Errorf("%q parsed", c.in)
			continue
		}
		p = parser{s: c.in, track: true}
		p.fieldItem(&item)
		if _, col := lineCol(p.s, p.err.pos); col != c.col || p.err.render() != c.details {
			t.Errorf("%q: column %d %q, want %d %q", c.in, col, p.err.render(), c.col, c.details)
		}
	}
	// An embed head cannot take a JSON path: the '-' of "->" is not a name dash.
	for _, in := range []string{"rel->jsonpath(*)", "...rel->jsonpath(*)"} {
		p := parser{s: in, track: true}
		var s status
		var item SelectItem
		if in[0] == '.' {
			s = p.spreadHead(&item)
		} else {
			s = p.embedHead(&item)
		}
		want := 6
		if in[0] == '.' {
			want = 9
		}
		if _, col := lineCol(p.s, p.err.pos); s.ok() || col != want || p.err.render() != `unexpected '>'` {
			t.Errorf("%q: ok=%v column %d %q", in, s.ok(), col, p.err.render())
		}
	}
}

func TestNestingLimit(t *testing.T) {
	ok := strings.Repeat("a(", maxNesting) + "*" + strings.Repeat(")", maxNesting)
	if _, err := ParseSelect(ok); err != nil {
		t.Fatalf("%d levels: %v", maxNesting, err)
	}
	deep := strings.Repeat("a(", maxNesting+1) + "*" + strings.Repeat(")", maxNesting+1)
	_, err := ParseSelect(deep)
	wantParseError(t, err, `"failed to parse select parameter (`+deep+`)" (line 1, column 203)`,
		"nesting deeper than 100 levels is not supported")

	ok = strings.Repeat("and(", maxNesting-1) + "a.eq.1" + strings.Repeat(")", maxNesting-1)
	if _, err := ParseLogicTree("or", "("+ok+")"); err != nil {
		t.Fatalf("%d levels: %v", maxNesting, err)
	}
	deep = "(and(" + ok + "))"
	_, err = ParseLogicTree("or", deep)
	wantParseError(t, err, `"failed to parse logic tree (`+deep+`)" (line 1, column 404)`,
		"nesting deeper than 100 levels is not supported")
}
