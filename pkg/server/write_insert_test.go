package server_test

import (
	"testing"
)

func TestInsertMinimal(t *testing.T) {
	e := start(t, writeFixtures)
	r := e.do("POST", "/items", `{"id":100,"name":"new"}`, e.svc()...)
	r.expect(t, 201, "")
	r.expectHeader(t, "Content-Length", "0")
	r.expectHeader(t, "Content-Type", "")
	r.expectHeader(t, "Content-Range", "*/*")
	r.expectHeader(t, "Location", "")
	r.expectHeader(t, "Preference-Applied", "")
	if got := e.scalar(t, `SELECT row_to_json(i)::text FROM items i WHERE id = 100`); got != `{"id":100,"name":"new","qty":5,"note":"n/a"}` {
		t.Fatalf("row: %s", got)
	}
}

func TestInsertRepresentationWithEmbedAndCount(t *testing.T) {
	e := start(t, writeFixtures)
	r := e.do("POST", "/projects?select=id,name,clients(id,name)", `{"id":6,"name":"New Project","client_id":2}`,
		e.svcWith("Prefer", "return=representation", "Prefer", "count=exact")...)
	r.expect(t, 201, `[{"id":6,"name":"New Project","clients":{"id": 2, "name": "Apple"}}]`)
	r.expectHeader(t, "Content-Range", "*/1")
	r.expectHeader(t, "Content-Type", "application/json; charset=utf-8")
	r.expectHeader(t, "Preference-Applied", "return=representation, count=exact")
	r.expectHeader(t, "Location", "")
	r.expectHeader(t, "Content-Length", "68")
}

func TestInsertHeadersOnlyLocation(t *testing.T) {
	e := start(t, writeFixtures)
	r := e.do("POST", "/projects?select=name,client_id", `{"id":11,"name":"Eleven","client_id":1}`,
		e.svcWith("Prefer", "return=headers-only")...)
	r.expect(t, 201, "")
	r.expectHeader(t, "Location", "/projects?id=eq.11")
	r.expectHeader(t, "Content-Range", "*/*")
	r.expectHeader(t, "Content-Length", "0")
	r.expectHeader(t, "Content-Type", "")
	r.expectHeader(t, "Preference-Applied", "return=headers-only")

	r = e.do("POST", "/compound", `{"k1":1,"k2":"a&b","v":"x"}`, e.svcWith("Prefer", "return=headers-only")...)
	r.expect(t, 201, "")
	r.expectHeader(t, "Location", "/compound?k1=eq.1&k2=eq.a%26b")

	// Never for bulk inserts, never with representation or minimal.
	r = e.do("POST", "/compound", `[{"k1":2,"k2":"a"},{"k1":3,"k2":"a"}]`, e.svcWith("Prefer", "return=headers-only")...)
	r.expect(t, 201, "")
	r.expectHeader(t, "Location", "")
	r = e.do("POST", "/compound?select=k1", `{"k1":4,"k2":"a"}`, e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 201, `[{"k1":4}]`)
	r.expectHeader(t, "Location", "")
	// No primary key: no Location.
	r = e.do("POST", "/no_pk", `{"a":"1"}`, e.svcWith("Prefer", "return=headers-only")...)
	r.expect(t, 201, "")
	r.expectHeader(t, "Location", "")
}

func TestInsertBulkArrayIsOneStatement(t *testing.T) {
	e := start(t, writeFixtures)
	r := e.do("POST", "/items?select=id,name,qty", `[{"id":101,"name":"a","qty":1},{"id":102,"name":"b","qty":2}]`,
		e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 201, "[{\"id\":101,\"name\":\"a\",\"qty\":1}, \n {\"id\":102,\"name\":\"b\",\"qty\":2}]")
	r.expectHeader(t, "Content-Range", "*/*")
	// Keys in any order, as long as every object has the same set.
	r = e.do("POST", "/items", `[{"id":103,"name":"c"},{"name":"d","id":104}]`, e.svc()...)
	r.expect(t, 201, "")
	if got := e.scalar(t, `SELECT string_agg(id || ':' || name, ',' ORDER BY id) FROM items WHERE id > 100`); got != "101:a,102:b,103:c,104:d" {
		t.Fatalf("rows: %s", got)
	}
}

func TestInsertBodyErrors(t *testing.T) {
	e := start(t, writeFixtures)
	r := e.do("POST", "/items", `[{"id":100,"name":"x"},{"id":111,"name":"y","qty":1}]`, e.svc()...)
	r.expect(t, 400, `{"code":"PGRST102","details":null,"hint":null,"message":"All object keys must match"}`)
	r = e.do("POST", "/items", `}{ x = 2`, e.svc()...)
	r.expect(t, 400, `{"code":"PGRST102","details":null,"hint":null,"message":"Empty or invalid json"}`)
	r.expectHeader(t, "Content-Length", "80")
	r.expectHeader(t, "Proxy-Status", "PostgREST; error=PGRST102")
	r = e.do("POST", "/items", "", e.svc()...)
	r.expect(t, 400, `{"code":"PGRST102","details":null,"hint":null,"message":"Empty or invalid json"}`)
	// The body is read before the table is looked up.
	r = e.do("POST", "/missing_table", `}{`, e.svc()...)
	r.expect(t, 400, `{"code":"PGRST102","details":null,"hint":null,"message":"Empty or invalid json"}`)
	// The table before the columns.
	r = e.do("POST", "/garlic?columns=helicopter", `{}`, e.svc()...)
	if r.status != 404 {
		t.Fatalf("garlic: %d %s", r.status, r.body)
	}
	r = e.do("POST", "/items", `{"id":1,"helicopter":2}`, e.svc()...)
	r.expect(t, 400, `{"code":"PGRST204","details":null,"hint":null,"message":"Could not find the 'helicopter' column of 'items' in the schema cache"}`)
	r = e.do("POST", "/items?columns=id,helicopter", `{"id":1}`, e.svc()...)
	r.expect(t, 400, `{"code":"PGRST204","details":null,"hint":null,"message":"Could not find the 'helicopter' column of 'items' in the schema cache"}`)
	r = e.do("POST", "/items", `x`, e.svcWith("Content-Type", "text/plain")...)
	r.expect(t, 400, `{"code":"PGRST102","details":null,"hint":null,"message":"Content-Type not acceptable: text/plain"}`)
	if got := e.scalar(t, `SELECT count(*)::text FROM items`); got != "15" {
		t.Fatalf("items: %s", got)
	}
}

func TestInsertColumnsAndMissingDefault(t *testing.T) {
	e := start(t, writeFixtures)
	// columns= picks the keys; others are ignored; absent ones are NULL.
	r := e.do("POST", `/items?columns="id","name"`, `[{"id":200,"name":"a","extra":1},{"id":201}]`, e.svc()...)
	r.expect(t, 201, "")
	if got := e.scalar(t, `SELECT string_agg(row_to_json(i)::text, ' ' ORDER BY id) FROM items i WHERE id >= 200`); got != `{"id":200,"name":"a","qty":5,"note":"n/a"} {"id":201,"name":null,"qty":5,"note":"n/a"}` {
		t.Fatalf("rows: %s", got)
	}
	// missing=default: absent keys take the column default, explicit nulls stay null.
	r = e.do("POST", "/items?columns=id,name,qty,note&select=id,name,qty,note", `[{"id":202,"name":"b"},{"id":203,"qty":9,"note":null}]`,
		e.svcWith("Prefer", "missing=default, return=representation")...)
	r.expect(t, 201, "[{\"id\":202,\"name\":\"b\",\"qty\":5,\"note\":\"n/a\"}, \n {\"id\":203,\"name\":null,\"qty\":9,\"note\":null}]")
	r.expectHeader(t, "Preference-Applied", "missing=default, return=representation")
	// Without missing=default the same body gives NULLs.
	r = e.do("POST", "/items?columns=id,qty&select=id,qty", `[{"id":204}]`, e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 201, `[{"id":204,"qty":null}]`)
}

func TestInsertEmptyAndScalarBodies(t *testing.T) {
	e := start(t, writeFixtures)
	e.do("POST", "/no_pk", `{}`, e.svc()...).expect(t, 201, "")
	e.do("POST", "/no_pk", `[{},{}]`, e.svc()...).expect(t, 201, "")
	e.do("POST", "/no_pk", `[]`, e.svc()...).expect(t, 201, "")
	e.do("POST", "/no_pk", `5`, e.svc()...).expect(t, 201, "")
	r := e.do("POST", "/no_pk", `[]`, e.svcWith("Prefer", "return=representation", "Prefer", "count=exact")...)
	r.expect(t, 201, "[]")
	r.expectHeader(t, "Content-Range", "*/0")
	if got := e.scalar(t, `SELECT count(*)::text FROM no_pk WHERE a IS NULL AND b IS NULL`); got != "3" {
		t.Fatalf("rows: %s", got)
	}
}

func TestInsertCSVAndForm(t *testing.T) {
	e := start(t, writeFixtures)
	r := e.do("POST", "/no_pk", "a,b\nNULL,foo", e.svcWith("Content-Type", "text/csv", "Accept", "text/csv", "Prefer", "return=representation")...)
	r.expect(t, 201, "a,b\n,foo")
	r.expectHeader(t, "Content-Type", "text/csv; charset=utf-8")
	r = e.do("POST", "/items?select=id,name", "id,name\n300,\"x, y\"\n301,", e.svcWith("Content-Type", "text/csv; charset=utf-8", "Prefer", "return=representation")...)
	r.expect(t, 201, "[{\"id\":300,\"name\":\"x, y\"}, \n {\"id\":301,\"name\":\"\"}]")
	r = e.do("POST", "/no_pk", "a,b\n1,2\n3", e.svcWith("Content-Type", "text/csv")...)
	r.expect(t, 400, `{"code":"PGRST102","details":null,"hint":null,"message":"All lines must have same number of fields"}`)
	r = e.do("POST", "/no_pk?select=a,b", "a=1&b=x+y%21", e.svcWith("Content-Type", "application/x-www-form-urlencoded", "Prefer", "return=representation")...)
	r.expect(t, 201, `[{"a":"1","b":"x y!"}]`)
	if got := e.scalar(t, `SELECT count(*)::text FROM no_pk`); got != "2" {
		t.Fatalf("rows: %s", got)
	}
}
