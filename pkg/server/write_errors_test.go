package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestWriteConstraintErrors(t *testing.T) {
	e := start(t, writeFixtures)
	cases := []struct {
		path, body string
		status     int
		want       string
	}{
		{"/items", `{"id":1,"name":"dup"}`, 409,
			`{"code":"23505","details":"Key (id)=(1) already exists.","hint":null,"message":"duplicate key value violates unique constraint \"items_pkey\""}`},
		{"/clients", `{"id":9}`, 400,
			`{"code":"23502","details":"Failing row contains (9, null).","hint":null,"message":"null value in column \"name\" of relation \"clients\" violates not-null constraint"}`},
		{"/items", `{"id":300,"qty":-1}`, 400,
			`{"code":"23514","details":"Failing row contains (300, null, -1, n/a).","hint":null,"message":"new row for relation \"items\" violates check constraint \"items_qty_check\""}`},
		{"/items", `{"id":"abc"}`, 400,
			`{"code":"22P02","details":null,"hint":null,"message":"invalid input syntax for type integer: \"abc\""}`},
		{"/projects", `{"id":50,"client_id":99}`, 409,
			`{"code":"23503","details":"Key (client_id)=(99) is not present in table \"clients\".","hint":null,"message":"insert or update on table \"projects\" violates foreign key constraint \"projects_client_id_fkey\""}`},
		{"/gen", `{"a":1,"doubled":3}`, 400,
			`{"code":"428C9","details":"Column \"doubled\" is a generated column.","hint":null,"message":"cannot insert a non-DEFAULT value into column \"doubled\""}`},
		{"/gen", `{"id":5,"a":1}`, 400,
			`{"code":"428C9","details":"Column \"id\" is an identity column defined as GENERATED ALWAYS.","hint":"Use OVERRIDING SYSTEM VALUE to override.","message":"cannot insert a non-DEFAULT value into column \"id\""}`},
	}
	for _, c := range cases {
		r := e.do("POST", c.path, c.body, e.svc()...)
		r.expect(t, c.status, c.want)
		r.expectHeader(t, "Preference-Applied", "")
	}
	// The second row fails: nothing of the statement is kept.
	r := e.do("POST", "/items", `[{"id":400,"qty":1},{"id":401,"qty":-1}]`, e.svc()...)
	if r.status != 400 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	// Updates are mapped the same way.
	r = e.do("PATCH", "/items?id=eq.1", `{"qty":-5}`, e.svc()...)
	r.expect(t, 400, `{"code":"23514","details":"Failing row contains (1, item 1, -5, n/a).","hint":null,"message":"new row for relation \"items\" violates check constraint \"items_qty_check\""}`)
	r = e.do("PATCH", "/gen?id=eq.1", `{"doubled":3}`, e.svc()...)
	r.expect(t, 400, `{"code":"428C9","details":"Column \"doubled\" is a generated column.","hint":null,"message":"column \"doubled\" can only be updated to DEFAULT"}`)
	r = e.do("DELETE", "/clients?id=eq.1", "", e.svc()...)
	r.expect(t, 409, `{"code":"23503","details":"Key (id)=(1) is still referenced from table \"projects\".","hint":null,"message":"update or delete on table \"clients\" violates foreign key constraint \"projects_client_id_fkey\" on table \"projects\""}`)
	if got := e.scalar(t, `SELECT count(*) || '/' || sum(qty) FROM items`); got != "15/75" {
		t.Fatalf("items: %s", got)
	}
	if got := e.scalar(t, `SELECT count(*)::text FROM clients`); got != "2" {
		t.Fatalf("clients: %s", got)
	}
}

func TestWriteSingularRollsBack(t *testing.T) {
	e := start(t, writeFixtures)
	obj := "application/vnd.pgrst.object+json"
	r := e.do("POST", "/items", `[{"id":500},{"id":501}]`, e.svcWith("Accept", obj)...)
	r.expect(t, 406, `{"code":"PGRST116","details":"The result contains 2 rows","hint":null,"message":"Cannot coerce the result to a single JSON object"}`)
	r.expectHeader(t, "Preference-Applied", "")
	r = e.do("PATCH", "/items", `{"name":"all"}`, e.svcWith("Accept", obj, "Prefer", "tx=commit")...)
	r.expect(t, 406, `{"code":"PGRST116","details":"The result contains 15 rows","hint":null,"message":"Cannot coerce the result to a single JSON object"}`)
	r = e.do("DELETE", "/items?id=gt.13", "", e.svcWith("Accept", obj, "Prefer", "return=representation")...)
	r.expect(t, 406, `{"code":"PGRST116","details":"The result contains 2 rows","hint":null,"message":"Cannot coerce the result to a single JSON object"}`)
	r = e.do("DELETE", "/items?id=eq.99", "", e.svcWith("Accept", obj)...)
	r.expect(t, 406, `{"code":"PGRST116","details":"The result contains 0 rows","hint":null,"message":"Cannot coerce the result to a single JSON object"}`)
	if got := e.scalar(t, `SELECT count(*) || ' ' || count(*) FILTER (WHERE name = 'all') FROM items`); got != "15 0" {
		t.Fatalf("items: %s", got)
	}
	// Exactly one row: the object itself.
	r = e.do("PATCH", "/items?id=eq.3&select=id,name", `{"name":"three"}`, e.svcWith("Accept", obj, "Prefer", "return=representation")...)
	r.expect(t, 200, `{"id":3,"name":"three"}`)
	r.expectHeader(t, "Content-Type", "application/vnd.pgrst.object+json; charset=utf-8")
	r.expectHeader(t, "Content-Range", "0-0/*")
	r = e.do("POST", "/items?select=id", `{"id":502}`, e.svcWith("Accept", obj, "Prefer", "return=representation")...)
	r.expect(t, 201, `{"id":502}`)
}

func TestWriteBodyTooLarge(t *testing.T) {
	e := start(t, writeFixtures, withEnv("ROCKSTEADY_MAX_BODY_BYTES", "64"))
	body := `{"id":600,"name":"` + strings.Repeat("x", 100) + `"}`
	r := e.do("POST", "/items", body, e.svc()...)
	r.expect(t, 413, `{"code":"PGRST413","details":"The body exceeds the limit of 64 bytes","hint":null,"message":"Request body is too large"}`)
	e.do("POST", "/items", `{"id":600,"name":"small"}`, e.svc()...).expect(t, 201, "")
	if got := e.scalar(t, `SELECT string_agg(name, ',') FROM items WHERE id = 600`); got != "small" {
		t.Fatalf("rows: %s", got)
	}
}

func TestInsertTenThousandRowsInOneStatement(t *testing.T) {
	e := start(t, writeFixtures)
	var sb strings.Builder
	sb.WriteByte('[')
	for i := 0; i < 10000; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id":%d,"name":"bulk %d","qty":%d}`, 1000+i, i, i%7)
	}
	sb.WriteByte(']')
	before := e.runner.RoundTrips()
	start := time.Now()
	r := e.do("POST", "/items", sb.String(), e.svcWith("Prefer", "count=exact")...)
	took := time.Since(start)
	r.expect(t, 201, "")
	r.expectHeader(t, "Content-Range", "*/10000")
	if n := e.runner.RoundTrips() - before; n != 1 {
		t.Fatalf("round trips: %d", n)
	}
	if got := e.scalar(t, `SELECT count(*) || ' ' || sum(qty) FROM items WHERE id >= 1000`); got != "10000 29994" {
		t.Fatalf("rows: %s", got)
	}
	t.Logf("10,000-row insert (%d bytes): %v", sb.Len(), took)
}
