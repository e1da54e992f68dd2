package server_test

import "testing"

func TestPatch(t *testing.T) {
	e := start(t, writeFixtures)
	r := e.do("PATCH", "/items?id=eq.2", `{"id":42}`, e.svc()...)
	r.expect(t, 204, "")
	r.expectHeader(t, "Content-Type", "")
	r.expectHeader(t, "Content-Length", "")
	r.expectHeader(t, "Content-Range", "0-0/*")
	r = e.do("PATCH", "/items", `{}`, e.svc()...)
	r.expect(t, 204, "")
	r.expectHeader(t, "Content-Range", "*/*")
	e.do("PATCH", "/items", `[]`, e.svc()...).expect(t, 204, "")
	r = e.do("PATCH", "/items?id=eq.999999", `{"name":"x"}`, e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 200, "[]")
	r.expectHeader(t, "Content-Length", "2")
	r.expectHeader(t, "Content-Range", "*/*")
	// Several rows; order shapes the representation; count gives the total.
	r = e.do("PATCH", "/items?id=lte.3&order=id.desc&select=id,name", `{"name":"low"}`,
		e.svcWith("Prefer", "return=representation, count=exact")...)
	r.expect(t, 200, "[{\"id\":3,\"name\":\"low\"}, \n {\"id\":1,\"name\":\"low\"}]")
	r.expectHeader(t, "Content-Range", "0-1/2")
	r.expectHeader(t, "Preference-Applied", "return=representation, count=exact")
	// limit/offset are ignored on PATCH; or= trees filter.
	r = e.do("PATCH", "/items?or=(id.eq.4,id.eq.5)&limit=1&select=id,qty", `{"qty":0}`, e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 200, "[{\"id\":4,\"qty\":0}, \n {\"id\":5,\"qty\":0}]")
	// An embed in the representation.
	r = e.do("PATCH", "/projects?id=eq.3&select=name,clients(name)", `{"name":"iOS"}`, e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 200, `[{"name":"iOS","clients":{"name": "Apple"}}]`)
	// missing=default on PATCH with columns=.
	r = e.do("PATCH", "/items?id=eq.6&columns=name,note&select=id,name,note", `{"name":"six"}`,
		e.svcWith("Prefer", "missing=default, return=representation")...)
	r.expect(t, 200, `[{"id":6,"name":"six","note":"n/a"}]`)
	r.expectHeader(t, "Preference-Applied", "missing=default, return=representation")
	// An array body: the first object is used.
	e.do("PATCH", "/items?id=eq.7", `[{"name":"seven"}]`, e.svc()...).expect(t, 204, "")
	if got := e.scalar(t, `SELECT string_agg(id || ':' || name || ':' || qty, ',' ORDER BY id) FROM items WHERE id <= 7 OR id = 42`); got != "1:low:5,3:low:5,4:item 4:0,5:item 5:0,6:six:5,7:seven:5,42:item 2:5" {
		t.Fatalf("rows: %s", got)
	}
}

func TestDelete(t *testing.T) {
	e := start(t, writeFixtures)
	r := e.do("DELETE", "/items?id=eq.2&select=id", "", e.svcWith("Prefer", "return=representation", "Prefer", "count=exact")...)
	r.expect(t, 200, `[{"id":2}]`)
	r.expectHeader(t, "Content-Range", "*/1")
	r.expectHeader(t, "Content-Length", "10")
	r.expectHeader(t, "Preference-Applied", "return=representation, count=exact")
	// supabase-js sends Content-Type: application/json and no body.
	r = e.do("DELETE", "/items?id=in.(3,4)", "", e.svcWith("Content-Type", "application/json")...)
	r.expect(t, 204, "")
	r.expectHeader(t, "Content-Range", "*/*")
	r.expectHeader(t, "Content-Type", "")
	r.expectHeader(t, "Content-Length", "")
	r = e.do("DELETE", "/items?id=eq.3", "", e.svcWith("Prefer", "count=exact")...)
	r.expect(t, 204, "")
	r.expectHeader(t, "Content-Range", "*/0")
	r = e.do("DELETE", "/items?id=eq.99", "", e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 200, "[]")
	if got := e.scalar(t, `SELECT count(*)::text FROM items`); got != "12" {
		t.Fatalf("items: %s", got)
	}
}

func TestMaxAffected(t *testing.T) {
	e := start(t, writeFixtures)
	r := e.do("DELETE", "/items?id=lt.15", "", e.svcWith("Prefer", "handling=strict, max-affected=10")...)
	r.expect(t, 400, `{"code":"PGRST124","details":"The query affects 14 rows","hint":null,"message":"Query result exceeds max-affected preference constraint"}`)
	r = e.do("PATCH", "/items", `{"name":"x"}`, e.svcWith("Prefer", "handling=strict, max-affected=10")...)
	r.expect(t, 400, `{"code":"PGRST124","details":"The query affects 15 rows","hint":null,"message":"Query result exceeds max-affected preference constraint"}`)
	if got := e.scalar(t, `SELECT count(*) || ' ' || count(*) FILTER (WHERE name = 'x') FROM items`); got != "15 0" {
		t.Fatalf("items: %s", got)
	}
	r = e.do("DELETE", "/items?id=lt.3", "", e.svcWith("Prefer", "handling=strict, max-affected=10")...)
	r.expect(t, 204, "")
	r.expectHeader(t, "Preference-Applied", "handling=strict, max-affected=10")
	// Lenient: ignored entirely.
	r = e.do("DELETE", "/items?id=lt.15", "", e.svcWith("Prefer", "handling=lenient, max-affected=10")...)
	r.expect(t, 204, "")
	r.expectHeader(t, "Preference-Applied", "handling=lenient")
	// max-affected is not applied to POST.
	r = e.do("POST", "/items", `[{"id":30},{"id":31}]`, e.svcWith("Prefer", "handling=strict, max-affected=1")...)
	r.expect(t, 201, "")
	r.expectHeader(t, "Preference-Applied", "handling=strict")
	// Invalid preferences with handling=strict.
	r = e.do("PATCH", "/items", `{"name":"y"}`, e.svcWith("Prefer", "handling=strict, anything")...)
	r.expect(t, 400, `{"code":"PGRST122","details":"Invalid preferences: anything","hint":null,"message":"Invalid preferences given with handling=strict"}`)
	if got := e.scalar(t, `SELECT string_agg(id::text, ',' ORDER BY id) FROM items`); got != "15,30,31" {
		t.Fatalf("items: %s", got)
	}
}

func TestTxPreference(t *testing.T) {
	e := start(t, writeFixtures, withEnv("PGRST_DB_TX_END", "commit-allow-override"))
	before := e.runner.RoundTrips()
	r := e.do("POST", "/items?select=id,name", `{"id":70,"name":"ghost"}`, e.svcWith("Prefer", "return=representation, tx=rollback")...)
	r.expect(t, 201, `[{"id":70,"name":"ghost"}]`)
	r.expectHeader(t, "Preference-Applied", "return=representation, tx=rollback")
	// BEGIN, the statement, the deferred-constraint check and ROLLBACK: one pipeline.
	if n := e.runner.RoundTrips() - before; n != 1 {
		t.Fatalf("tx=rollback took %d round trips, want 1", n)
	}
	r = e.do("DELETE", "/items", "", e.svcWith("Prefer", "tx=rollback")...)
	r.expect(t, 204, "")
	r.expectHeader(t, "Content-Range", "*/*")
	// Deferred constraints are checked before rolling back.
	r = e.do("POST", "/deferred_fk", `{"id":1,"client_id":99}`, e.svcWith("Prefer", "tx=rollback")...)
	r.expect(t, 409, `{"code":"23503","details":"Key (client_id)=(99) is not present in table \"clients\".","hint":null,"message":"insert or update on table \"deferred_fk\" violates foreign key constraint \"deferred_fk_client_id_fkey\""}`)
	r = e.do("POST", "/items", `{"id":71}`, e.svcWith("Prefer", "tx=commit")...)
	r.expect(t, 201, "")
	r.expectHeader(t, "Preference-Applied", "tx=commit")
	if got := e.scalar(t, `SELECT count(*) || ' ' || string_agg(id::text, ',') FILTER (WHERE id >= 70) FROM items`); got != "16 71" {
		t.Fatalf("items: %s", got)
	}

	// With the default db-tx-end (commit) the preference is ignored and not applied.
	e2 := start(t, writeFixtures)
	r = e2.do("POST", "/items", `{"id":72}`, e2.svcWith("Prefer", "tx=rollback")...)
	r.expect(t, 201, "")
	r.expectHeader(t, "Preference-Applied", "")
	if got := e2.scalar(t, `SELECT count(*)::text FROM items WHERE id = 72`); got != "1" {
		t.Fatalf("items: %s", got)
	}
	// rollback: always rolled back.
	e3 := start(t, writeFixtures, withEnv("PGRST_DB_TX_END", "rollback"))
	e3.do("DELETE", "/items", "", e3.svc()...).expect(t, 204, "")
	if got := e3.scalar(t, `SELECT count(*)::text FROM items`); got != "15" {
		t.Fatalf("items: %s", got)
	}
}
