package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// rpcStatusLine sends one request and returns the response's status line ("332 My
// Custom Status") with the reply.
func (e *env) rpcStatusLine(method, path, body string, headers ...string) (string, reply) {
	e.t.Helper()
	var rd *strings.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	var req *http.Request
	var err error
	if rd != nil {
		req, err = http.NewRequest(method, e.base+path, rd)
	} else {
		req, err = http.NewRequest(method, e.base+path, nil)
	}
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := res.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return res.Status, reply{status: res.StatusCode, header: res.Header, body: sb.String()}
}

func TestRPCScalarResults(t *testing.T) {
	e := start(t, rpcFixture)
	for _, c := range []struct{ method, path, body, want string }{
		{"GET", "/rpc/add_them?a=1&b=2", "", "3"},
		{"POST", "/rpc/add_them", `{"a":1,"b":2}`, "3"},
		{"POST", "/rest/v1/rpc/add_them", `{"a":1,"b":2}`, "3"},
		// An array body: only its first object is used.
		{"POST", "/rpc/add_them", `[{"a":1,"b":2},{"a":4,"b":6}]`, "3"},
		{"GET", "/rpc/sayhello?name=world", "", `"Hello, world"`},
		// Repeated non-variadic arguments: the last one wins.
		{"GET", "/rpc/sayhello?name=ignored&name=world", "", `"Hello, world"`},
		{"POST", "/rpc/sayhello", `{"name":"a \"quoted\" ünïcode"}`, `"Hello, a \"quoted\" ünïcode"`},
		{"GET", "/rpc/ret_null", "", "null"},
		{"POST", "/rpc/ret_null", "", "null"},
		{"GET", "/rpc/ret_array", "", "[1,2,3]"},
		{"GET", "/rpc/ret_json", "", `{"a": [1, 2], "b": null}`},
		{"GET", "/rpc/array_len?arr=%7B1,2,3,4%7D", "", "4"},
		{"POST", "/rpc/array_len", `{"arr":[1,2,3]}`, "3"},
		{"POST", "/rpc/json_arg", `{"doc":{"x":{"y":[1,true,null]}},"k":"x"}`, `{"y": [1, true, null]}`},
		{"GET", "/rpc/json_arg?doc=%7B%22x%22:5%7D&k=x", "", "5"},
		// character(n) parameters are read unbounded: no padding, no truncation.
		{"GET", "/rpc/char_arg?c=ab", "", `"[ab]"`},
		{"POST", "/rpc/char_arg", `{"c":"abcdefgh"}`, `"[abcdefgh]"`},
	} {
		r := e.do(c.method, c.path, c.body)
		r.expect(t, 200, c.want)
		r.expectHeader(t, "Content-Type", "application/json; charset=utf-8")
		r.expectHeader(t, "Content-Range", "0-0/*")
		r.expectHeader(t, "Content-Location", "")
	}
	r := e.do("GET", "/rpc/add_them?a=3&b=4", "", "Prefer", "count=exact")
	r.expect(t, 200, "7")
	r.expectHeader(t, "Content-Range", "0-0/1")
	r.expectHeader(t, "Preference-Applied", "count=exact")
	// The object media type answers a scalar as itself.
	r = e.do("GET", "/rpc/sayhello?name=x", "", "Accept", "application/vnd.pgrst.object+json")
	r.expect(t, 200, `"Hello, x"`)
	r.expectHeader(t, "Content-Type", "application/vnd.pgrst.object+json; charset=utf-8")
	// A scalar text result is not text/plain.
	r = e.do("GET", "/rpc/sayhello?name=x", "", "Accept", "text/plain")
	r.expect(t, 406, `{"code":"PGRST107","details":null,"hint":null,"message":"None of these media types are available: text/plain"}`)
}

func TestRPCDefaultsAndVariadic(t *testing.T) {
	e := start(t, rpcFixture)
	for _, c := range []struct{ method, path, body, want string }{
		{"GET", "/rpc/with_defaults?a=1", "", `"1/10/x"`},
		{"GET", "/rpc/with_defaults?a=1&c=z", "", `"1/10/z"`},
		{"POST", "/rpc/with_defaults", `{"a":1,"b":2}`, `"1/2/x"`},
		{"POST", "/rpc/with_defaults", `{"c":"q","a":5}`, `"5/10/q"`},
		{"GET", "/rpc/variadic_param?v=hi&v=there", "", `["hi","there"]`},
		{"GET", "/rpc/variadic_param?v=one", "", `["one"]`},
		{"GET", "/rpc/variadic_param", "", `[]`},
		{"POST", "/rpc/variadic_param", `{"v":["hi","there"]}`, `["hi","there"]`},
		{"POST", "/rpc/variadic_param", `{}`, `[]`},
		{"GET", "/rpc/sum_ints?n=1&n=2&n=39", "", "42"},
		{"POST", "/rpc/sum_ints", `{"n":[40,2]}`, "42"},
		// A form body works like the query string, repeated keys included.
		{"POST", "/rpc/sum_ints", `n=1&n=2&n=3`, "6"},
		{"POST", "/rpc/sayhello", `name=form+body%21`, `"Hello, form body!"`},
	} {
		var r reply
		if strings.Contains(c.body, "=") && !strings.HasPrefix(c.body, "{") {
			r = e.do(c.method, c.path, c.body, "Content-Type", "application/x-www-form-urlencoded")
		} else {
			r = e.do(c.method, c.path, c.body)
		}
		r.expect(t, 200, c.want)
	}
	// A required variadic parameter must be given.
	r := e.do("GET", "/rpc/sum_ints", "")
	r.expect(t, 404, `{"code":"PGRST202","details":"Searched for the function public.sum_ints without parameters, but no matches were found in the schema cache.","hint":null,"message":"Could not find the function public.sum_ints without parameters in the schema cache"}`)
}

func TestRPCSetOfScalars(t *testing.T) {
	e := start(t, rpcFixture)
	r := e.do("GET", "/rpc/ret_setof_integers", "")
	r.expect(t, 200, "[1, 2, 3]")
	r.expectHeader(t, "Content-Range", "0-2/*")
	r = e.do("GET", "/rpc/ret_setof_integers?limit=1&offset=1", "", "Prefer", "count=exact")
	r.expect(t, 206, "[2]")
	r.expectHeader(t, "Content-Range", "1-1/3")
	r = e.do("POST", "/rpc/ret_setof_integers", "{}", "Accept", "application/vnd.pgrst.object+json")
	r.expect(t, 406, `{"code":"PGRST116","details":"The result contains 3 rows","hint":null,"message":"Cannot coerce the result to a single JSON object"}`)
	// A scalar result has no columns to filter on.
	r = e.do("GET", "/rpc/ret_setof_integers?x=gt.1", "")
	r.expect(t, 400, `{"code":"42703","details":null,"hint":null,"message":"column \"x\" does not exist"}`)
}

func TestRPCCompositeResults(t *testing.T) {
	e := start(t, rpcFixture)
	// One composite value is an object, not an array.
	r := e.do("POST", "/rpc/ret_point_2d", "{}")
	r.expect(t, 200, `{"x":10,"y":5}`)
	r.expectHeader(t, "Content-Type", "application/json; charset=utf-8")
	r = e.do("GET", "/rpc/single_project?id=3&select=name", "")
	r.expect(t, 200, `{"name":"IOS"}`)
	r = e.do("GET", "/rpc/single_project?id=3&select=name,clients(name)", "")
	r.expect(t, 200, `{"name":"IOS","clients":{"name": "Apple"}}`)
	r = e.do("GET", "/rpc/out_params?a=21", "")
	r.expect(t, 200, `{"doubled":42,"label":"n21"}`)
	r = e.do("GET", "/rpc/out_params?a=21&select=label", "", "Accept", "application/vnd.pgrst.object+json")
	r.expect(t, 200, `{"label":"n21"}`)
	r.expectHeader(t, "Content-Type", "application/vnd.pgrst.object+json; charset=utf-8")
	r = e.do("GET", "/rpc/out_params?a=2", "", "Accept", "text/csv")
	r.expect(t, 200, "doubled,label\n4,n2")
	// No such project: a non-SETOF SQL function gives a row of nulls, as in PostgREST.
	r = e.do("GET", "/rpc/single_project?id=99", "")
	r.expect(t, 200, `{"id":null,"name":null,"client_id":null}`)
}

func TestRPCSetOfRows(t *testing.T) {
	e := start(t, rpcFixture)
	r := e.do("GET", "/rpc/getitemrange?min=2&max=4", "")
	r.expect(t, 200, "[{\"id\":3}, \n {\"id\":4}]")
	r.expectHeader(t, "Content-Range", "0-1/*")
	r = e.do("POST", "/rpc/getitemrange", `{"min":2,"max":4}`)
	r.expect(t, 200, "[{\"id\":3}, \n {\"id\":4}]")
	// Filters, order, limit/offset and counts apply to the result.
	r = e.do("GET", "/rpc/getitemrange?min=0&max=15&id=gt.12&order=id.desc", "")
	r.expect(t, 200, "[{\"id\":15}, \n {\"id\":14}, \n {\"id\":13}]")
	r = e.do("GET", "/rpc/getitemrange?min=2&max=4&limit=1&offset=1", "")
	r.expect(t, 200, `[{"id":4}]`)
	r.expectHeader(t, "Content-Range", "1-1/*")
	r = e.do("POST", "/rpc/getitemrange?limit=1&offset=1", `{"min":2,"max":4}`, "Prefer", "count=exact")
	r.expect(t, 206, `[{"id":4}]`)
	r.expectHeader(t, "Content-Range", "1-1/2")
	r.expectHeader(t, "Preference-Applied", "count=exact")
	r = e.do("GET", "/rpc/getitemrange?min=2&max=4&limit=1&offset=1", "", "Prefer", "count=exact")
	r.expect(t, 206, `[{"id":4}]`)
	r.expectHeader(t, "Content-Range", "1-1/2")
	// The Range header: honoured on GET, ignored on POST.
	r = e.do("GET", "/rpc/getitemrange?min=0&max=15", "", "Range", "0-1")
	r.expect(t, 200, "[{\"id\":1}, \n {\"id\":2}]")
	r.expectHeader(t, "Content-Range", "0-1/*")
	r = e.do("POST", "/rpc/getitemrange", `{"min":2,"max":4}`, "Range", "1-1", "Prefer", "count=exact")
	r.expect(t, 200, "[{\"id\":3}, \n {\"id\":4}]")
	r.expectHeader(t, "Content-Range", "0-1/2")
	r = e.do("GET", "/rpc/getitemrange?min=2&max=4&offset=5", "", "Prefer", "count=exact")
	r.expect(t, 416, `{"code":"PGRST103","details":"An offset of 5 was requested, but there are only 2 rows.","hint":null,"message":"Requested range not satisfiable"}`)
	r.expectHeader(t, "Content-Range", "*/2")
	// An argument and a filter on a column of the same name.
	r = e.do("GET", "/rpc/get_projects_below?id=5&id=gt.2&select=id,name", "")
	r.expect(t, 200, "[{\"id\":3,\"name\":\"IOS\"}, \n {\"id\":4,\"name\":\"OSX\"}]")
	// Embedding from the function's row type, with filters on the embed.
	r = e.do("GET", "/rpc/get_projects_below?id=5&select=name,clients!inner(name)&clients.name=eq.Apple", "")
	r.expect(t, 200, "[{\"name\":\"IOS\",\"clients\":{\"name\": \"Apple\"}}, \n {\"name\":\"OSX\",\"clients\":{\"name\": \"Apple\"}}]")
	// TABLE(...) results, with a defaulted argument left out.
	r = e.do("GET", "/rpc/project_names?select=project_name&project_id=gt.2&order=project_id.desc", "")
	r.expect(t, 200, "[{\"project_name\":\"Orphan\"}, \n {\"project_name\":\"OSX\"}, \n {\"project_name\":\"IOS\"}]")
	r = e.do("POST", "/rpc/project_names?project_name=like.*7", `{"prefix":"Win"}`)
	r.expect(t, 200, `[{"project_id":1,"project_name":"Windows 7"}]`)
	r = e.do("GET", "/rpc/project_names?nope=eq.1", "")
	r.expect(t, 400, `{"code":"42703","details":null,"hint":null,"message":"column project_names.nope does not exist"}`)
	// Singular results.
	r = e.do("GET", "/rpc/getitemrange?min=2&max=3", "", "Accept", "application/vnd.pgrst.object+json")
	r.expect(t, 200, `{"id":3}`)
	r = e.do("GET", "/rpc/getitemrange?min=2&max=4", "", "Accept", "application/vnd.pgrst.object+json")
	r.expect(t, 406, `{"code":"PGRST116","details":"The result contains 2 rows","hint":null,"message":"Cannot coerce the result to a single JSON object"}`)
	r = e.do("GET", "/rpc/getitemrange?min=2&max=4", "", "Accept", "text/csv")
	r.expect(t, 200, "id\n3\n4")
	r.expectHeader(t, "Content-Type", "text/csv; charset=utf-8")
}

func TestRPCHead(t *testing.T) {
	e := start(t, rpcFixture)
	// supabase-js .rpc(fn, args, {head: true, count: 'exact'}).
	r := e.do("HEAD", "/rest/v1/rpc/getitemrange?min=2&max=5", "", "Prefer", "count=exact")
	r.expect(t, 200, "")
	r.expectHeader(t, "Content-Range", "0-2/3")
	r.expectHeader(t, "Content-Type", "application/json; charset=utf-8")
	r.expectHeader(t, "Content-Length", "")
	r = e.do("HEAD", "/rpc/getitemrange?min=0&max=15&limit=2", "", "Prefer", "count=exact")
	r.expect(t, 206, "")
	r.expectHeader(t, "Content-Range", "0-1/15")
	r = e.do("HEAD", "/rpc/add_them?a=1&b=1", "")
	r.expect(t, 200, "")
	r.expectHeader(t, "Content-Range", "0-0/*")
}

func TestRPCVoid(t *testing.T) {
	e := start(t, rpcFixture)
	for _, m := range []string{"GET", "POST", "HEAD"} {
		r := e.do(m, "/rpc/ret_void", "")
		r.expect(t, 204, "")
		r.expectHeader(t, "Content-Type", "")
		r.expectHeader(t, "Content-Length", "")
	}
	r := e.do("POST", "/rpc/ret_void", "{}", "Prefer", "count=exact")
	r.expect(t, 204, "")
	r.expectHeader(t, "Preference-Applied", "count=exact")
}

func TestRPCMethods(t *testing.T) {
	e := start(t, rpcFixture)
	for _, m := range []string{"PUT", "PATCH", "DELETE"} {
		r := e.do(m, "/rpc/sayhello", "")
		r.expect(t, 405, `{"code":"PGRST101","details":null,"hint":null,"message":"Cannot use the `+m+` method on RPC"}`)
		r.expectHeader(t, "Proxy-Status", "PostgREST; error=PGRST101")
	}
	r := e.do("GET", "/rpc/sayhello/x", "")
	r.expect(t, 404, `{"code":"PGRST125","details":null,"hint":null,"message":"Invalid path specified in request URL"}`)
	// On POST the query string holds filters only.
	r = e.do("POST", "/rpc/sayhello?name=world", `{"name":"x"}`)
	if r.status != 400 || !strings.Contains(r.body, `"code":"PGRST100"`) {
		t.Fatalf("got %d %s", r.status, r.body)
	}
}

func TestRPCOptions(t *testing.T) {
	e := start(t, rpcFixture)
	r := e.do("OPTIONS", "/rpc/sayhello", "")
	r.expect(t, 200, "")
	r.expectHeader(t, "Allow", "OPTIONS,GET,HEAD,POST")
	r = e.do("OPTIONS", "/rpc/callcounter", "")
	r.expect(t, 200, "")
	r.expectHeader(t, "Allow", "OPTIONS,POST")
	r = e.do("OPTIONS", "/rpc/sayhell", "")
	r.expect(t, 404, `{"code":"PGRST202","details":"Searched for the function public.sayhell without parameters, but no matches were found in the schema cache.","hint":"Perhaps you meant to call the function public.sayhello","message":"Could not find the function public.sayhell without parameters in the schema cache"}`)
}
