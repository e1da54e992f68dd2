package server_test

import "testing"

func TestRPCOverloads(t *testing.T) {
	e := start(t, rpcFixture)
	for _, c := range []struct{ method, path, body, want string }{
		{"GET", "/rpc/overloaded", "", `"none"`},
		{"POST", "/rpc/overloaded", "", `"none"`},
		{"POST", "/rpc/overloaded", "{}", `"none"`},
		{"GET", "/rpc/overloaded?a=1", "", `"int 1"`},
		{"POST", "/rpc/overloaded", `{"a":2}`, `"int 2"`},
		{"GET", "/rpc/overloaded?a=x&b=3", "", `"text x3"`},
		{"POST", "/rpc/overloaded", `{"b":4,"a":"y"}`, `"text y4"`},
		// Two candidates both take {arg, num}: only one has num.
		{"GET", "/rpc/overloaded_same_args?arg=v&num=2", "", `"text int"`},
	} {
		e.do(c.method, c.path, c.body).expect(t, 200, c.want)
	}
	r := e.do("GET", "/rpc/overloaded_same_args?arg=value", "")
	r.expect(t, 300, `{"code":"PGRST203","details":null,"hint":"Try renaming the parameters or the function itself in the database so function overloading can be resolved","message":"Could not choose the best candidate function between: public.overloaded_same_args(arg => integer), public.overloaded_same_args(arg => text), public.overloaded_same_args(arg => text, num => integer)"}`)
	r.expectHeader(t, "Proxy-Status", "PostgREST; error=PGRST203")
}

func TestRPCFunctionNotFound(t *testing.T) {
	e := start(t, rpcFixture)
	r := e.do("GET", "/rpc/sayhell", "")
	r.expect(t, 404, `{"code":"PGRST202","details":"Searched for the function public.sayhell without parameters, but no matches were found in the schema cache.","hint":"Perhaps you meant to call the function public.sayhello","message":"Could not find the function public.sayhell without parameters in the schema cache"}`)
	r.expectHeader(t, "Proxy-Status", "PostgREST; error=PGRST202")
	r = e.do("GET", "/rpc/sayhello?nam=x", "")
	r.expect(t, 404, `{"code":"PGRST202","details":"Searched for the function public.sayhello with parameter nam, but no matches were found in the schema cache.","hint":"Perhaps you meant to call the function public.sayhello(name)","message":"Could not find the function public.sayhello(nam) in the schema cache"}`)
	r = e.do("POST", "/rpc/add_them", `{"c":1,"a":1}`)
	r.expect(t, 404, `{"code":"PGRST202","details":"Searched for the function public.add_them with parameters a, c or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.","hint":"Perhaps you meant to call the function public.add_them(a, b)","message":"Could not find the function public.add_them(a, c) in the schema cache"}`)
	r = e.do("POST", "/rpc/add_them", `{"smthelse":1,"b":2,"a":1}`)
	r.expect(t, 404, `{"code":"PGRST202","details":"Searched for the function public.add_them with parameters a, b, smthelse or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.","hint":null,"message":"Could not find the function public.add_them(a, b, smthelse) in the schema cache"}`)
	r = e.do("POST", "/rpc/totally_unknown_fn", `{}`)
	r.expect(t, 404, `{"code":"PGRST202","details":"Searched for the function public.totally_unknown_fn without parameters or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.","hint":null,"message":"Could not find the function public.totally_unknown_fn without parameters in the schema cache"}`)
	r = e.do("POST", "/rpc/unnamed_int", "5", "Content-Type", "text/plain")
	r.expect(t, 404, `{"code":"PGRST202","details":"Searched for the function public.unnamed_int with a single unnamed text parameter, but no matches were found in the schema cache.","hint":null,"message":"Could not find the function public.unnamed_int in the schema cache"}`)
	r = e.do("POST", "/rpc/unnamed_text", "<a/>", "Content-Type", "text/xml")
	r.expect(t, 404, `{"code":"PGRST202","details":"Searched for the function public.unnamed_text with a single unnamed xml parameter, but no matches were found in the schema cache.","hint":null,"message":"Could not find the function public.unnamed_text in the schema cache"}`)
	// A function whose only parameter is unnamed (and not a body type) is not callable.
	r = e.do("GET", "/rpc/unnamed_int", "")
	if r.status != 404 {
		t.Fatalf("got %d %s", r.status, r.body)
	}
	// Body errors come before the function lookup.
	r = e.do("POST", "/rpc/nope", `{"a":`)
	r.expect(t, 400, `{"code":"PGRST102","details":null,"hint":null,"message":"Empty or invalid json"}`)
	r = e.do("POST", "/rpc/add_them", `[{"a":1,"b":2},{"a":1}]`)
	r.expect(t, 400, `{"code":"PGRST102","details":null,"hint":null,"message":"All object keys must match"}`)
	r = e.do("POST", "/rpc/add_them", `{"a":1,"b":2}`, "Content-Type", "application/x-unknown")
	r.expect(t, 400, `{"code":"PGRST102","details":null,"hint":null,"message":"Content-Type not acceptable: application/x-unknown"}`)
	// A value of the wrong type is PostgreSQL's error, not a 500.
	r = e.do("GET", "/rpc/add_them?a=one&b=2", "")
	r.expect(t, 400, `{"code":"22P02","details":null,"hint":null,"message":"invalid input syntax for type integer: \"one\""}`)
	r = e.do("POST", "/rpc/add_them", `{"a":"one","b":2}`)
	r.expect(t, 400, `{"code":"22P02","details":null,"hint":null,"message":"invalid input syntax for type integer: \"one\""}`)
	r = e.do("GET", "/rpc/sayhello?name=a%00b", "")
	if r.status != 400 {
		t.Fatalf("NUL byte: got %d %s", r.status, r.body)
	}
}

func TestRPCRawBodies(t *testing.T) {
	e := start(t, rpcFixture)
	// A single unnamed json parameter receives the whole body.
	r := e.do("POST", "/rpc/unnamed_json", `{"x":[1, 2], "y":"z"}`)
	r.expect(t, 200, `{"x":[1, 2], "y":"z"}`)
	r = e.do("POST", "/rpc/unnamed_json", `[1,2]`)
	r.expect(t, 200, `[1,2]`)
	r = e.do("POST", "/rpc/unnamed_text", "plain text body", "Content-Type", "text/plain")
	r.expect(t, 200, `"plain text body"`)
	r = e.do("POST", "/rpc/unnamed_bytea", "\x00\x01\x02\xff", "Content-Type", "application/octet-stream")
	r.expect(t, 200, "4")
	// Named json parameter: its key picks it; Prefer: params=single-object passes the body.
	r = e.do("POST", "/rpc/named_json", `{"payload":{"k":1}}`)
	r.expect(t, 200, `{"k":1}`)
	r = e.do("POST", "/rpc/named_json", `{"k":1}`, "Prefer", "params=single-object")
	r.expect(t, 200, `{"k":1}`)
}

func TestRPCTransactionAccessMode(t *testing.T) {
	e := start(t, rpcFixture)
	// GET is read-only whatever the function's volatility: a write fails with 25006 → 405.
	r := e.do("GET", "/rpc/callcounter", "")
	r.expect(t, 405, `{"code":"25006","details":null,"hint":null,"message":"cannot execute nextval() in a read-only transaction"}`)
	e.do("POST", "/rpc/callcounter", "").expect(t, 200, "1")
	e.do("POST", "/rpc/callcounter", "{}").expect(t, 200, "2")
	// POST to a STABLE function is read-only too.
	r = e.do("POST", "/rpc/stable_counter", "")
	r.expect(t, 405, `{"code":"25006","details":null,"hint":null,"message":"cannot execute nextval() in a read-only transaction"}`)
	e.do("GET", "/rpc/read_only_state", "").expect(t, 200, `"on"`)
	e.do("HEAD", "/rpc/read_only_state", "").expect(t, 200, "")
	e.do("POST", "/rpc/read_only_state", "").expect(t, 200, `"off"`)
	e.do("POST", "/rpc/read_only_state_stable", "").expect(t, 200, `"on"`)
	// Writes by a VOLATILE function on POST are committed.
	e.do("POST", "/rpc/add_item", `{"id":100}`).expect(t, 200, `[{"id":100}]`)
	e.do("GET", "/items?id=eq.100", "").expect(t, 200, `[{"id":100}]`)
	r = e.do("GET", "/rpc/add_item?id=101", "")
	r.expect(t, 405, `{"code":"25006","details":null,"hint":null,"message":"cannot execute INSERT in a read-only transaction"}`)
	// A function's statement_timeout is hoisted into the transaction.
	e.do("GET", "/rpc/timeout_setting", "").expect(t, 200, `"4321ms"`)
}

func TestRPCSingularAndMaxAffectedRollBack(t *testing.T) {
	e := start(t, rpcFixture)
	r := e.do("POST", "/rpc/add_items", `{"ids":[200,201]}`, "Accept", "application/vnd.pgrst.object+json")
	r.expect(t, 406, `{"code":"PGRST116","details":"The result contains 2 rows","hint":null,"message":"Cannot coerce the result to a single JSON object"}`)
	e.do("GET", "/items?id=gte.200", "").expect(t, 200, "[]")
	r = e.do("POST", "/rpc/add_items", `{"ids":[200,201,202]}`, "Prefer", "handling=strict, max-affected=2")
	r.expect(t, 400, `{"code":"PGRST124","details":"The query affects 3 rows","hint":null,"message":"Query result exceeds max-affected preference constraint"}`)
	e.do("GET", "/items?id=gte.200", "").expect(t, 200, "[]")
	r = e.do("POST", "/rpc/add_items", `{"ids":[200,201]}`, "Prefer", "handling=strict, max-affected=2")
	r.expect(t, 200, "[{\"id\":200}, \n {\"id\":201}]")
	r.expectHeader(t, "Preference-Applied", "handling=strict, max-affected=2")
	// Lenient handling ignores max-affected.
	r = e.do("POST", "/rpc/add_items", `{"ids":[300,301,302]}`, "Prefer", "handling=lenient, max-affected=1")
	r.expect(t, 200, "[{\"id\":300}, \n {\"id\":301}, \n {\"id\":302}]")
	r.expectHeader(t, "Preference-Applied", "handling=lenient")
	// max-affected with handling=strict needs a SETOF function.
	r = e.do("POST", "/rpc/add_item_scalar", `{"id":400}`, "Prefer", "handling=strict, max-affected=1")
	r.expect(t, 400, `{"code":"PGRST128","details":null,"hint":null,"message":"Function must return SETOF or TABLE when max-affected preference is used with handling=strict"}`)
	e.do("GET", "/items?id=eq.400", "").expect(t, 200, "[]")
	r = e.do("POST", "/rpc/add_them", `{"a":1,"b":1}`, "Prefer", "handling=strict, unknown")
	r.expect(t, 400, `{"code":"PGRST122","details":"Invalid preferences: unknown","hint":null,"message":"Invalid preferences given with handling=strict"}`)
}

func TestRPCRaisedErrors(t *testing.T) {
	e := start(t, rpcFixture)
	r := e.do("POST", "/rpc/raise_exception", "{}")
	r.expect(t, 400, `{"code":"P0001","details":"the detail","hint":"the hint","message":"something went wrong"}`)
	r.expectHeader(t, "Proxy-Status", "PostgREST; error=P0001")
	line, r := e.rpcStatusLine("GET", "/rpc/raise_pt402", "")
	r.expect(t, 402, `{"code":"PT402","details":"Quota exceeded","hint":"Upgrade your plan","message":"Payment Required"}`)
	if line != "402 Payment Required" {
		t.Fatalf("status line %q", line)
	}
	r.expectHeader(t, "Content-Length", "99")
	r.expectHeader(t, "Proxy-Status", "PostgREST; error=PT402")
	line, r = e.rpcStatusLine("GET", "/rpc/raise_pt418", "")
	r.expect(t, 418, `{"code":"PT418","details":null,"hint":null,"message":"Short and stout"}`)
	if line != "418 Short and stout" {
		t.Fatalf("status line %q", line)
	}
	line, r = e.rpcStatusLine("GET", "/rpc/raise_sqlstate_custom", "")
	r.expect(t, 332, `{"code":"123","details":"DEF","hint":"XYZ","message":"ABC"}`)
	if line != "332 My Custom Status" {
		t.Fatalf("status line %q", line)
	}
	r.expectHeader(t, "X-Header", "str")
	r.expectHeader(t, "Proxy-Status", "PostgREST; error=123")
	r.expectHeader(t, "Content-Type", "application/json; charset=utf-8")
	r = e.do("GET", "/rpc/raise_sqlstate_bad_message", "")
	r.expect(t, 500, `{"code":"PGRST121","details":"Invalid JSON value for MESSAGE: 'not json'","hint":"MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', 'hint'.","message":"Could not parse JSON in the \"RAISE SQLSTATE 'PGRST'\" error"}`)
	// Nothing a failing function wrote survives.
	r = e.do("POST", "/rpc/raise_insert_then_fail", `{"id":500}`)
	r.expect(t, 400, `{"code":"P0001","details":null,"hint":null,"message":"after the insert"}`)
	e.do("GET", "/items?id=eq.500", "").expect(t, 200, "[]")
}

func TestRPCResponseGUCs(t *testing.T) {
	e := start(t, rpcFixture)
	r := e.do("GET", "/rpc/set_cookie_twice", "")
	r.expect(t, 204, "")
	if got := r.header.Values("Set-Cookie"); len(got) != 2 || got[0] != "sessionid=38afes7a8; HttpOnly; Path=/" || got[1] != "id=a3fWa; Secure; HttpOnly" {
		t.Fatalf("Set-Cookie %q", got)
	}
	r = e.do("POST", "/rpc/teapot", "")
	r.expect(t, 418, `"short and stout"`)
	r = e.do("POST", "/rpc/created_with_location", "")
	r.expect(t, 201, `"made"`)
	r.expectHeader(t, "Location", "/items?id=eq.99")
	r.expectHeader(t, "Content-Type", "application/custom+json")
	r = e.do("GET", "/rpc/bad_guc_headers", "")
	r.expect(t, 500, `{"code":"PGRST111","details":null,"hint":null,"message":"response.headers guc must be a JSON array composed of objects with a single key and a string value"}`)
	r = e.do("GET", "/rpc/send_bad_status", "")
	r.expect(t, 500, `{"code":"PGRST112","details":null,"hint":null,"message":"response.status guc must be a valid status code"}`)
	// The caller's identity reaches the function.
	e.do("POST", "/rpc/my_uid", "", "Authorization", "Bearer "+e.userToken(alice)).expect(t, 200, `"`+alice+`"`)
	e.do("POST", "/rpc/my_uid", "").expect(t, 200, "null")
}
