package apireq

import "testing"

func TestParseFilter(t *testing.T) {
	cases := []struct{ key, value, want string }{
		// every operator
		{"id", "eq.1", `"id" eq "1"`},
		{"id", "neq.1", `"id" neq "1"`},
		{"age", "gt.18", `"age" gt "18"`},
		{"age", "gte.18", `"age" gte "18"`},
		{"age", "lt.18", `"age" lt "18"`},
		{"age", "lte.18", `"age" lte "18"`},
		{"name", "like.*Design*", `"name" like "*Design*"`},
		{"name", "ilike.*design*", `"name" ilike "*design*"`},
		{"name", "match.^De", `"name" match "^De"`},
		{"name", "imatch.^de", `"name" imatch "^de"`},
		{"id", "in.(1,2,3)", `"id" in ["1" "2" "3"]`},
		{"student", "is.true", `"student" is is:true`},
		{"a", "is.null", `"a" is is:null`},
		{"a", "is.not_null", `"a" is is:not_null`},
		{"a", "is.false", `"a" is is:false`},
		{"a", "is.unknown", `"a" is is:unknown`},
		{"a", "is.NULL", `"a" is is:null`},
		{"a", "is.TrUe", `"a" is is:true`},
		{"a", "is.Not_Null", `"a" is is:not_null`},
		{"a", "isdistinct.5", `"a" isdistinct "5"`},
		{"tsv", "fts.cat", `"tsv" fts "cat"`},
		{"tsv", "plfts.cat dog", `"tsv" plfts "cat dog"`},
		{"tsv", "phfts.cat dog", `"tsv" phfts "cat dog"`},
		{"tsv", "wfts.cat or dog", `"tsv" wfts "cat or dog"`},
		{"tsv", "fts(english).impossible", `"tsv" fts(english) "impossible"`},
		{"tsv", "wfts(simple).cat or fat", `"tsv" wfts(simple) "cat or fat"`},
		{"tsv", "not.fts(english).impossible|fat|fun", `"tsv" not.fts(english) "impossible|fat|fun"`},
		{"arr", "cs.{1,2}", `"arr" cs "{1,2}"`},
		{"arr", "cd.{1,2,3}", `"arr" cd "{1,2,3}"`},
		{"arr", "ov.{1,2}", `"arr" ov "{1,2}"`},
		{"r", "sl.[1,3]", `"r" sl "[1,3]"`},
		{"r", "sr.(1,3)", `"r" sr "(1,3)"`},
		{"r", "nxr.[1,3)", `"r" nxr "[1,3)"`},
		{"r", "nxl.[1,3)", `"r" nxl "[1,3)"`},
		{"r", "adj.[1,3)", `"r" adj "[1,3)"`},
		{"j", `cs.{"a":1}`, `"j" cs "{\"a\":1}"`},
		// modifiers
		{"id", "eq(any).{3,4,5}", `"id" eq(any) "{3,4,5}"`},
		{"id", "gt(all).{4,3}", `"id" gt(all) "{4,3}"`},
		{"id", "gte(any).{1}", `"id" gte(any) "{1}"`},
		{"id", "lt(all).{9}", `"id" lt(all) "{9}"`},
		{"id", "lte(any).{9}", `"id" lte(any) "{9}"`},
		{"last_name", "like(any).{O*,P*}", `"last_name" like(any) "{O*,P*}"`},
		{"last_name", "ilike(all).{o*,*n}", `"last_name" ilike(all) "{o*,*n}"`},
		{"n", "match(any).{^a,^b}", `"n" match(any) "{^a,^b}"`},
		{"n", "imatch(all).{a,b}", `"n" imatch(all) "{a,b}"`},
		{"id", "not.eq(all).{1}", `"id" not.eq(all) "{1}"`},
		// negation
		{"id", "not.eq.2", `"id" not.eq "2"`},
		{"id", "not.in.(2,4,6)", `"id" not.in ["2" "4" "6"]`},
		{"a", "not.is.null", `"a" not.is is:null`},
		// values keep dots and everything else
		{"a", "eq.a.b", `"a" eq "a.b"`},
		{"string", "eq.", `"string" eq ""`},
		{"a", `eq."quoted"`, `"a" eq "\"quoted\""`},
		{"a", "eq.(x,y)", `"a" eq "(x,y)"`},
		{"a", "eq.not.x", `"a" eq "not.x"`},
		// in lists
		{"name", `in.("Hebdon, John","Williams, Mary")`, `"name" in ["Hebdon, John" "Williams, Mary"]`},
		{"name", `in.(Double"Quote"McGraw")`, `"name" in ["Double\"Quote\"McGraw\""]`},
		{"name", `in.(\)`, `"name" in ["\\"]`},
		{"name", `in.("a\"b","c\\d")`, `"name" in ["a\"b" "c\\d"]`},
		{"name", `in.("a"b)`, `"name" in ["\"a\"b"]`},
		{"id", "in.()", `"id" in []`},
		{"id", "in.(   )", `"id" in []`},
		{"id", `in.("")`, `"id" in []`},
		{"id", "in.( ,3,4)", `"id" in ["" "3" "4"]`},
		{"id", "in.( 1, 2 )", `"id" in ["1" " 2 "]`},
		{"id", "in.(1)", `"id" in ["1"]`},
		{"id", "in.(a(b)", `"id" in ["a(b"]`},
		{"id", "in.(1,2)trailing", `"id" in ["1" "2"]`},
		// is: anything after a complete value is ignored
		{"a", "is.nullx", `"a" is is:null`},
		// JSON paths in keys
		{"json_data->>blood_type", "eq.A-", `"json_data"->>'blood_type' eq "A-"`},
		{"data->-1->>b", "eq.B", `"data"->#-1->>'b' eq "B"`},
		{"location->lat", "gte.19", `"location"->'lat' gte "19"`},
		// embedded paths, quoted keys, casts in keys are ignored
		{"projects.tasks.name", "eq.x", `projects.tasks|"name" eq "x"`},
		{"clients.id", "eq.2", `clients|"id" eq "2"`},
		{`"a.b"`, "eq.1", `"a.b" eq "1"`},
		{`"*id*"`, "eq.1", `"*id*" eq "1"`},
		{"col::text", "eq.x", `"col" eq "x"`},
		{"my col", "eq.x", `"my col" eq "x"`},
		{"actors", "not.is.null", `"actors" not.is is:null`},
	}
	for _, c := range cases {
		f, err := ParseFilter(c.key, c.value)
		if err != nil {
			t.Errorf("ParseFilter(%q, %q): %v", c.key, c.value, err)
			continue
		}
		if s := fmtFilter(f); s != c.want {
			t.Errorf("ParseFilter(%q, %q)\n got %s\nwant %s", c.key, c.value, s, c.want)
		}
	}
}

func TestParseFilterErrors(t *testing.T) {
	const op = `operator (eq, gt, ...)`
	cases := []struct{ value, msg, details string }{
		{"0", `"failed to parse filter (0)" (line 1, column 1)`, `unexpected "0" expecting "not" or ` + op},
		{"val", `"failed to parse filter (val)" (line 1, column 1)`, `unexpected "v" expecting "not" or ` + op},
		{"noop.0", `"failed to parse filter (noop.0)" (line 1, column 1)`, `unexpected "o" expecting "not" or ` + op},
		{"", `"failed to parse filter ()" (line 1, column 1)`, `unexpected end of input expecting "not" or ` + op},
		{"fts().value", `"failed to parse filter (fts().value)" (line 1, column 5)`, `unexpected ")" expecting ` + op},
		{"eq().value", `"failed to parse filter (eq().value)" (line 1, column 4)`, `unexpected ")" expecting ` + op},
		{"is().value", `"failed to parse filter (is().value)" (line 1, column 3)`, `unexpected "(" expecting ` + op},
		{"in().value", `"failed to parse filter (in().value)" (line 1, column 3)`, `unexpected "(" expecting ` + op},
		// "f" starts "false", so the furthest failure is at the "o"
		{"is.foo", `"failed to parse filter (is.foo)" (line 1, column 5)`,
			`unexpected "o" expecting isVal: (null, not_null, true, false, unknown)`},
		{"is.xyz", `"failed to parse filter (is.xyz)" (line 1, column 4)`,
			`unexpected "x" expecting isVal: (null, not_null, true, false, unknown)`},
		{"is.not?null", `"failed to parse filter (is.not?null)" (line 1, column 7)`,
			`unexpected "?" expecting isVal: (null, not_null, true, false, unknown)`},
		{"is.nul", `"failed to parse filter (is.nul)" (line 1, column 7)`,
			`unexpected end of input expecting isVal: (null, not_null, true, false, unknown)`},
		{"in.1,2", `"failed to parse filter (in.1,2)" (line 1, column 4)`, `unexpected "1" expecting "("`},
		{"in.(1,2", `"failed to parse filter (in.(1,2)" (line 1, column 8)`, ""},
		{"neq(any).1", `"failed to parse filter (neq(any).1)" (line 1, column 4)`, ""},
		{"eq(some).1", `"failed to parse filter (eq(some).1)" (line 1, column 4)`, ""},
		{"notx", `"failed to parse filter (notx)" (line 1, column 4)`, `unexpected "x" expecting delimiter (.)`},
		{"not.", `"failed to parse filter (not.)" (line 1, column 5)`, `unexpected end of input expecting ` + op},
		// PostgREST quotes the input without escaping it, and shows the offending
		// character the way Haskell's show does.
		{`x"y`, `"failed to parse filter (x"y)" (line 1, column 1)`, `unexpected "x" expecting "not" or ` + op},
		{"é", `"failed to parse filter (é)" (line 1, column 1)`, `unexpected "\233" expecting "not" or ` + op},
		{"\n", "\"failed to parse filter (\n)\" (line 1, column 1)", `unexpected "\n" expecting "not" or ` + op},
		{"eq\n.1", "\"failed to parse filter (eq\n.1)\" (line 1, column 3)", ""},
	}
	for _, c := range cases {
		_, err := ParseFilter("id", c.value)
		t.Run(c.value, func(t *testing.T) { wantParseError(t, err, c.msg, c.details) })
	}
}

func TestParseTreePath(t *testing.T) {
	cases := []struct{ key, path, field string }{
		{"id", "", `"id"`},
		{"a.b", "a", `"b"`},
		{"projects.tasks.name", "projects.tasks", `"name"`},
		{"data->a->>b", "", `"data"->'a'->>'b'`},
		{"rel.data->0", "rel", `"data"->#0`},
		{`"a.b".c`, "a.b", `"c"`},
		{"col::text", "", `"col"`},
	}
	for _, c := range cases {
		path, f, err := ParseTreePath(c.key)
		if err != nil {
			t.Errorf("%q: %v", c.key, err)
			continue
		}
		if got := joinPath(path); got != c.path || fmtField(f) != c.field {
			t.Errorf("%q: path %q field %s, want %q %s", c.key, got, fmtField(f), c.path, c.field)
		}
	}
	_, _, err := ParseTreePath("a.")
	wantParseError(t, err, `"failed to parse tree path (a.)" (line 1, column 3)`,
		`unexpected end of input expecting field name (* or [a..z0..9_$])`)
	_, _, err = ParseTreePath("")
	wantParseError(t, err, `"failed to parse tree path ()" (line 1, column 1)`, "")
}

func joinPath(p []string) string {
	s := ""
	for i, n := range p {
		if i > 0 {
			s += "."
		}
		s += n
	}
	return s
}

func TestParseLogicTree(t *testing.T) {
	cases := []struct{ key, value, path, want string }{
		{"or", "(a.eq.1,b.eq.2)", "", `or({"a" eq "1"},{"b" eq "2"})`},
		{"and", "(a.eq.1,b.eq.2)", "", `and({"a" eq "1"},{"b" eq "2"})`},
		{"not.or", "(a.eq.1,b.eq.2)", "", `not.or({"a" eq "1"},{"b" eq "2"})`},
		{"child_entities.or", "(id.eq.1)", "child_entities", `or({child_entities|"id" eq "1"})`},
		{"roles.not.and", "(x.is.null)", "roles", `not.and({roles|"x" is is:null})`},
		{"a.not.b.or", "(x.eq.1)", "a.b", `not.or({a.b|"x" eq "1"})`},
		{"or", "(a.not.eq.1,not.and(b.gt.1,b.lt.5))", "",
			`or({"a" not.eq "1"},not.and({"b" gt "1"},{"b" lt "5"}))`},
		{"and", "( and ( id.in.( 1, 2, 3 ) , id.eq.3 ) , or ( id.eq.2 , id.eq.3 ) )", "",
			`and(and({"id" in ["1" " 2" " 3 "]},{"id" eq "3 "}),or({"id" eq "2 "},{"id" eq "3 "}))`},
		{"and", "(id.eq.1,id.neq.2))", "", `and({"id" eq "1"},{"id" neq "2"})`},
		{"or", `(name.eq."(a,b)",name.eq."x")`, "", `or({"name" eq "(a,b)"},{"name" eq "x"})`},
		{"or", "(arr.cs.{1,2,3},arr.cd.{4})", "", `or({"arr" cs "{1,2,3}"},{"arr" cd "{4}"})`},
		{"or", "(id.in.(1,2),id.not.in.())", "", `or({"id" in ["1" "2"]},{"id" not.in []})`},
		{"or", "(actors.is.null,directors.is.null)", "", `or({"actors" is is:null},{"directors" is is:null})`},
		{"or", "(and_starting_col.eq.smth,or_starting_col.eq.smth)", "",
			`or({"and_starting_col" eq "smth"},{"or_starting_col" eq "smth"})`},
		{"or", "(data->>a.eq.1,data->0.gt.2)", "", `or({"data"->>'a' eq "1"},{"data"->#0 gt "2"})`},
		{"or", "(tsv.fts(english).cat,a.like(any).{x*,y*})", "",
			`or({"tsv" fts(english) "cat"},{"a" like(any) "{x*,y*}"})`},
		{"or", "(a.eq.)", "", `or({"a" eq ""})`},
		{"or", "(a.isdistinct.b)", "", `or({"a" isdistinct "b"})`},
		// the key's operator is glued to the value, so a value starting with '.' is a
		// plain condition on a column named "or"
		{"or", ".eq.1", "", `{"or" eq "1"}`},
	}
	for _, c := range cases {
		tree, err := ParseLogicTree(c.key, c.value)
		if err != nil {
			t.Errorf("ParseLogicTree(%q, %q): %v", c.key, c.value, err)
			continue
		}
		if got := joinPath(tree.Path); got != c.path {
			t.Errorf("ParseLogicTree(%q, %q) path %q, want %q", c.key, c.value, got, c.path)
		}
		if s := fmtLogic(tree.Expr); s != c.want {
			t.Errorf("ParseLogicTree(%q, %q)\n got %s\nwant %s", c.key, c.value, s, c.want)
		}
	}
}

func TestParseLogicTreeErrors(t *testing.T) {
	cases := []struct{ key, value, msg, details string }{
		{"or", "()", `"failed to parse logic tree (())" (line 1, column 4)`,
			`unexpected ")" expecting field name (* or [a..z0..9_$]), negation operator (not) or logic operator (and, or)`},
		{"or", "(id.in.1,2,id.eq.3)", `"failed to parse logic tree ((id.in.1,2,id.eq.3))" (line 1, column 10)`,
			`unexpected "1" expecting "("`},
		{"or", ")(", `"failed to parse logic tree ()()" (line 1, column 3)`, `unexpected ")" expecting "("`},
		{"and", "(ord(id.eq.1,id.eq.1),id.eq.2)", `"failed to parse logic tree ((ord(id.eq.1,id.eq.1),id.eq.2))" (line 1, column 7)`,
			`unexpected "d" expecting "("`},
		{"or", "(id.eq.1,not.xor(id.eq.2,id.eq.3))", `"failed to parse logic tree ((id.eq.1,not.xor(id.eq.2,id.eq.3)))" (line 1, column 16)`,
			`unexpected "x" expecting logic operator (and, or)`},
		{"not.or", "()", `"failed to parse logic tree (())" (line 1, column 8)`, ""},
		{"or", "", `"failed to parse logic tree ()" (line 1, column 3)`, `unexpected end of input expecting "("`},
		{"or", "(a.eq.1", `"failed to parse logic tree ((a.eq.1)" (line 1, column 10)`, ""},
		{"or", "(a.eq.{1}x)", `"failed to parse logic tree ((a.eq.{1}x))" (line 1, column 12)`, ""},
		{"or", "(a.xx.1)", `"failed to parse logic tree ((a.xx.1))" (line 1, column 6)`, ""},
		{"a.or", "(a.eq.1,)", `"failed to parse logic tree ((a.eq.1,))" (line 1, column 11)`, ""},
		{"a..or", "(a.eq.1)", `"failed to parse logic path (a..or)" (line 1, column 3)`,
			`unexpected "." expecting field name (* or [a..z0..9_$])`},
	}
	for _, c := range cases {
		_, err := ParseLogicTree(c.key, c.value)
		t.Run(c.key+"="+c.value, func(t *testing.T) { wantParseError(t, err, c.msg, c.details) })
	}
}

func TestParseOrder(t *testing.T) {
	cases := []struct{ in, want string }{
		{"id", `"id"`},
		{"id.asc", `"id".asc`},
		{"id.desc", `"id".desc`},
		{"id.nullsfirst", `"id".nullsfirst`},
		{"id.desc.nullslast", `"id".desc.nullslast`},
		{"name.desc.nullsfirst", `"name".desc.nullsfirst`},
		{"a,b.desc,c.asc.nullslast", `"a","b".desc,"c".asc.nullslast`},
		{" a , b.desc", `"a","b".desc`},
		{"a ,b ", `"a","b"`},
		{"created_at.desc", `"created_at".desc`},
		{"json_col->key.asc.nullslast", `"json_col"->'key'.asc.nullslast`},
		{"json_data->>age.desc", `"json_data"->>'age'.desc`},
		{"json_col->!@#$%^&*_a.asc.nullslast", `"json_col"->'!@#$%^&*_a'.asc.nullslast`},
		{"data->0.desc", `"data"->#0.desc`},
		{"clients(name).desc", `"clients"("name").desc`},
		{"clients(json_col->key).desc.nullsfirst", `"clients"("json_col"->'key').desc.nullsfirst`},
		{"directors(last_name).desc", `"directors"("last_name").desc`},
		{"name,clients(name),id", `"name","clients"("name"),"id"`},
		{`"a.b".desc`, `"a.b".desc`},
	}
	for _, c := range cases {
		got, err := ParseOrder(c.in)
		if err != nil {
			t.Errorf("ParseOrder(%q): %v", c.in, err)
			continue
		}
		if s := fmtOrder(got); s != c.want {
			t.Errorf("ParseOrder(%q)\n got %s\nwant %s", c.in, s, c.want)
		}
	}
}

func TestParseOrderErrors(t *testing.T) {
	cases := []struct{ in, col, details string }{
		{"id.asc.nullslasttt", "17", `unexpected 't' expecting "," or end of input`},
		{"clients(name,id)", "8", `unexpected '(' expecting letter, digit, "-", "->>", "->", delimiter (.), "," or end of input`},
		{"id.ac", "4", `unexpected "c" expecting "asc", "desc", "nullsfirst" or "nullslast"`},
		{"id.descc", "8", `unexpected 'c' expecting delimiter (.), "," or end of input`},
		{"id.nulsfist", "4", `unexpected "n" expecting "asc", "desc", "nullsfirst" or "nullslast"`},
		{"id.nullslasttt", "13", `unexpected 't' expecting "," or end of input`},
		{"id.smth34", "4", `unexpected "s" expecting "asc", "desc", "nullsfirst" or "nullslast"`},
		{"id.asc.nlsfst", "8", `unexpected "l" expecting "nullsfirst" or "nullslast"`},
		{"id.asc.smth34", "8", `unexpected "s" expecting "nullsfirst" or "nullslast"`},
		{"", "1", `unexpected end of input expecting field name (* or [a..z0..9_$])`},
		{"id,", "4", ""},
		{"id)", "3", ""},
		// the end of a term must follow its direction immediately
		{"a.desc ", "7", `unexpected ' ' expecting delimiter (.), "," or end of input`},
	}
	for _, c := range cases {
		_, err := ParseOrder(c.in)
		t.Run(c.in, func(t *testing.T) {
			wantParseError(t, err, `"failed to parse order (`+c.in+`)" (line 1, column `+c.col+`)`, c.details)
		})
	}
}

func TestParseColumns(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"a,b,c", []string{"a", "b", "c"}},
		{`"a","b"`, []string{"a", "b"}},
		{" a , b ", []string{"a", "b"}},
		{`"with,comma",x`, []string{"with,comma", "x"}},
		{"a,b)", []string{"a", "b"}},
	}
	for _, c := range cases {
		got, err := ParseColumns(c.in)
		if err != nil || len(got) != len(c.want) {
			t.Errorf("ParseColumns(%q) = %q, %v", c.in, got, err)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("ParseColumns(%q) = %q, want %q", c.in, got, c.want)
			}
		}
	}
	_, err := ParseColumns("")
	wantParseError(t, err, `"failed to parse columns parameter ()" (line 1, column 1)`,
		`unexpected end of input expecting field name (* or [a..z0..9_$])`)
	_, err = ParseOnConflict("a,")
	wantParseError(t, err, `"failed to parse on_conflict parameter (a,)" (line 1, column 3)`,
		`unexpected end of input expecting field name (* or [a..z0..9_$])`)
	if got, err := ParseOnConflict("id, name"); err != nil || len(got) != 2 || got[1] != "name" {
		t.Errorf("ParseOnConflict = %q, %v", got, err)
	}
}

func TestLineCol(t *testing.T) {
	cases := []struct {
		s         string
		pos       int
		line, col int
	}{
		{"abc", 0, 1, 1},
		{"abc", 2, 1, 3},
		{"a\tb", 2, 1, 9},
		{"\t\tb", 2, 1, 17},
		{"ab\ncd", 4, 2, 2},
		{"éx", 2, 1, 2},
	}
	for _, c := range cases {
		if l, col := lineCol(c.s, c.pos); l != c.line || col != c.col {
			t.Errorf("lineCol(%q, %d) = %d,%d want %d,%d", c.s, c.pos, l, col, c.line, c.col)
		}
	}
}

func TestHaskellShow(t *testing.T) {
	cases := []struct {
		r          rune
		char, text string
	}{
		{'a', `'a'`, `"a"`},
		{'"', `'"'`, `"\""`},
		{'\'', `'\''`, `"'"`},
		{'\\', `'\\'`, `"\\"`},
		{'\n', `'\n'`, `"\n"`},
		{0, `'\NUL'`, `"\NUL"`},
		{0x7f, `'\DEL'`, `"\DEL"`},
		{'é', `'\233'`, `"\233"`},
		{'名', `'\21517'`, `"\21517"`},
	}
	for _, c := range cases {
		if got := hsShowChar(c.r); got != c.char {
			t.Errorf("hsShowChar(%q) = %s, want %s", c.r, got, c.char)
		}
		if got := hsShowString(c.r); got != c.text {
			t.Errorf("hsShowString(%q) = %s, want %s", c.r, got, c.text)
		}
	}
}
