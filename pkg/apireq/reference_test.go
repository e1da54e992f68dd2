package apireq

import (
	"strings"
	"testing"
)

// The example requests of the reference's §3 (and the request side of §5.3), as raw
// query strings, with what the parser must make of them.
func TestReferenceExamples(t *testing.T) {
	cases := []struct {
		method, path, query string
		filters, logic      string // fmtFilter / fmtLogic joined with " & "
		selectList, order   string
	}{
		{"GET", "/people", "age=gte.18&student=is.true", `"age" gte "18" & "student" is is:true`, "", "*", ""},
		{"GET", "/items", "id=not.in.(2,4,6)", `"id" not.in ["2" "4" "6"]`, "", "*", ""},
		{"GET", "/w_or_wo_comma_names", `name=in.("Hebdon, John","Williams, Mary")`, `"name" in ["Hebdon, John" "Williams, Mary"]`, "", "*", ""},
		{"GET", "/tsearch", "text_search_vector=not.fts(english).impossible%7Cfat%7Cfun", `"text_search_vector" not.fts(english) "impossible|fat|fun"`, "", "*", ""},
		{"GET", "/projects", "id=eq(any).{3,4,5}", `"id" eq(any) "{3,4,5}"`, "", "*", ""},
		{"GET", "/no_pk", "a=is.not_null", `"a" is is:not_null`, "", "*", ""},
		{"GET", "/empty_string", "string=eq.", `"string" eq ""`, "", "*", ""},
		{"GET", "/items", "id", "", "", "*", ""},
		{"GET", "/items", "last_name=like(any).{O*,P*}", `"last_name" like(any) "{O*,P*}"`, "", "*", ""},
		{"GET", "/items", "id=gt(all).{4,3}", `"id" gt(all) "{4,3}"`, "", "*", ""},
		{"GET", "/items", `in_list=in.(Double"Quote"McGraw")&b=in.(\)`, `"in_list" in ["Double\"Quote\"McGraw\""] & "b" in ["\\"]`, "", "*", ""},
		{"GET", "/items", "id=in.()&x=not.in.()", `"id" in [] & "x" not.in []`, "", "*", ""},
		{"GET", "/items", "json_data->>blood_type=eq.A-&data->-1->>b=eq.B&location->lat=gte.19",
			`"json_data"->>'blood_type' eq "A-" & "data"->#-1->>'b' eq "B" & "location"->'lat' gte "19"`, "", "*", ""},
		{"GET", "/items", "col::text=eq.x", `"col" eq "x"`, "", "*", ""},
		{"GET", "/items", `"*id*"=eq.1`, `"*id*" eq "1"`, "", "*", ""},
		{"GET", "/items", "select=id)", "", "", `"id"`, ""},
		{"GET", "/items", "and=(id.eq.1,id.neq.2))", "", `and({"id" eq "1"},{"id" neq "2"})`, "*", ""},
		{"GET", "/items", "and=(%20and%20(%20id.in.(%201,%202,%203%20)%20,%20id.eq.3%20)%20,%20or%20(%20id.eq.2%20,%20id.eq.3%20)%20)", "",
			`and(and({"id" in ["1" " 2" " 3 "]},{"id" eq "3 "}),or({"id" eq "2 "},{"id" eq "3 "}))`, "*", ""},
		{"GET", "/films", "select=title,actors(*),directors(*)&or=(actors.is.null,directors.is.null)", "",
			`or({"actors" is is:null},{"directors" is is:null})`, `"title","actors"(*),"directors"(*)`, ""},
		{"GET", "/entities", "or=(and_starting_col.eq.smth,or_starting_col.eq.smth)", "",
			`or({"and_starting_col" eq "smth"},{"or_starting_col" eq "smth"})`, "*", ""},
		{"GET", "/items", `select="a.dotted.column","(inside,parens)",":arr->ow::cast"`, "", "",
			`"a.dotted.column","(inside,parens)",":arr->ow::cast"`, ""},
		{"GET", "/items", "select=due_at,*", "", "", `"due_at",*`, ""},
		{"GET", "/items", "select=Just%20A%20Server%20Model,field-with_sep,a$num$,123,_", "", "",
			`"Just A Server Model","field-with_sep","a$num$","123","_"`, ""},
		{"GET", "/items", "select=id::text,a::_int4,b::character%20varying", "", "", `"id"::text,"a"::_int4,"b"::character varying`, ""},
		{"GET", "/projects", "select=id,designTasks:tasks(id,name),codeTasks:tasks(id,name)&designTasks.name=like.*Design*",
			`designTasks|"name" like "*Design*"`, "", `"id","designTasks":"tasks"("id","name"),"codeTasks":"tasks"("id","name")`, ""},
		{"GET", "/web_content", "select=parent_content:p_web_id(name)", "", "", `"parent_content":"p_web_id"("name")`, ""},
		{"GET", "/organizations", "select=auditees:organizations!auditor(*)", "", "", `"auditees":"organizations"!"auditor"(*)`, ""},
		{"GET", "/projects", "select=id,name,clients!inner()&clients.id=eq.2", `clients|"id" eq "2"`, "", `"id","name","clients"!inner()`, ""},
		{"GET", "/films", "select=title,actors(*)&actors=not.is.null", `"actors" not.is is:null`, "", `"title","actors"(*)`, ""},
		{"GET", "/films", "select=title,...directors(director_last_name:last_name)", "", "", `"title",..."directors"("director_last_name":"last_name")`, ""},
		{"GET", "/films", "select=title,actors:roles(character,...actors(first_name))", "", "", `"title","actors":"roles"("character",..."actors"("first_name"))`, ""},
		{"GET", "/films", "select=*,directors(*)&order=directors(last_name).desc", "", "", `*,"directors"(*)`, `"directors"("last_name").desc`},
		{"GET", "/items", "order=json_data->>age.desc", "", "", "*", `"json_data"->>'age'.desc`},
		{"GET", "/entities", "select=c:count(),client_id", "", "", `"c":count(),"client_id"`, ""},
		{"GET", "/entities", "select=count()", "", "", `count()`, ""},
		{"POST", "/projects", "select=id,name,clients(id,name)", "", "", `"id","name","clients"("id","name")`, ""},
	}
	for _, c := range cases {
		r, err := Parse(c.method, c.path, c.query, nil, nil, testOpts)
		if err != nil {
			t.Errorf("%s %s?%s: %v", c.method, c.path, c.query, err)
			continue
		}
		var fs, ls []string
		for _, f := range r.Filters {
			fs = append(fs, fmtFilter(f))
		}
		for _, l := range r.Logic {
			ls = append(ls, fmtLogic(l.Expr))
		}
		ord := ""
		if len(r.Order) > 0 {
			ord = fmtOrder(r.Order[0].Terms)
		}
		if got := strings.Join(fs, " & "); got != c.filters {
			t.Errorf("%s?%s filters\n got %s\nwant %s", c.path, c.query, got, c.filters)
		}
		if got := strings.Join(ls, " & "); got != c.logic {
			t.Errorf("%s?%s logic\n got %s\nwant %s", c.path, c.query, got, c.logic)
		}
		if got := fmtSelect(r.Select); got != c.selectList {
			t.Errorf("%s?%s select\n got %s\nwant %s", c.path, c.query, got, c.selectList)
		}
		if ord != c.order {
			t.Errorf("%s?%s order\n got %s\nwant %s", c.path, c.query, ord, c.order)
		}
	}
}

func TestReferenceRangeExamples(t *testing.T) {
	cases := []struct {
		method, path, query, rng string
		want                     Page
	}{
		{"GET", "/items", "", "", Page{0, NoLimit}},
		{"GET", "/items", "limit=3&offset=2", "", Page{2, 3}},
		{"GET", "/items", "", "0-1", Page{0, 2}},
		{"GET", "/items", "", "10-100", Page{10, 91}},
		{"GET", "/items", "limit=2", "", Page{0, 2}},
		{"HEAD", "/items", "limit=2&offset=3", "", Page{3, 2}},
		{"GET", "/items", "offset=100", "", Page{100, NoLimit}},
		{"GET", "/items", "limit=0", "", Page{0, 0}},
		{"GET", "/rpc/add_them", "a=3&b=4", "", Page{0, NoLimit}},
		{"POST", "/rpc/getitemrange", "limit=1&offset=1", "", Page{1, 1}},
		{"POST", "/rpc/getitemrange", "", "1-1", Page{0, NoLimit}},
		{"GET", "/rpc/getitemrange", "min=0&max=15", "0-1", Page{0, 2}},
	}
	for _, c := range cases {
		r, err := Parse(c.method, c.path, c.query, hdr("Range", c.rng), nil, testOpts)
		if err != nil {
			t.Errorf("%s %s?%s Range %q: %v", c.method, c.path, c.query, c.rng, err)
			continue
		}
		if r.Range != c.want {
			t.Errorf("%s %s?%s Range %q: %+v, want %+v", c.method, c.path, c.query, c.rng, r.Range, c.want)
		}
	}
	r := mustParse(t, "GET", "/projects", "select=*,projects(*)&projects.limit=2&projects.offset=1", nil)
	if len(r.EmbedRanges) != 1 || joinPath(r.EmbedRanges[0].Path) != "projects" || r.EmbedRanges[0].Page != (Page{1, 2}) {
		t.Errorf("embedded range %+v", r.EmbedRanges)
	}
}
