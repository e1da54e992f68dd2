package server_test

import "testing"

func TestUpsertMergeDuplicates(t *testing.T) {
	e := start(t, writeFixtures)
	// Every row exists: 200.
	r := e.do("POST", "/items?select=id,name", `[{"id":1,"name":"one"},{"id":2,"name":"two"}]`,
		e.svcWith("Prefer", "resolution=merge-duplicates", "Prefer", "return=representation")...)
	r.expect(t, 200, "[{\"id\":1,\"name\":\"one\"}, \n {\"id\":2,\"name\":\"two\"}]")
	r.expectHeader(t, "Preference-Applied", "resolution=merge-duplicates, return=representation")
	// One new row: 201.
	r = e.do("POST", "/items?select=id,name", `[{"id":2,"name":"TWO"},{"id":16,"name":"sixteen"}]`,
		e.svcWith("Prefer", "resolution=merge-duplicates,return=representation")...)
	r.expect(t, 201, "[{\"id\":2,\"name\":\"TWO\"}, \n {\"id\":16,\"name\":\"sixteen\"}]")
	// Minimal: same statuses, no body.
	r = e.do("POST", "/items", `{"id":3,"name":"three"}`, e.svcWith("Prefer", "resolution=merge-duplicates")...)
	r.expect(t, 200, "")
	r.expectHeader(t, "Preference-Applied", "resolution=merge-duplicates")
	// An empty array inserts nothing: 200 too.
	e.do("POST", "/items", `[]`, e.svcWith("Prefer", "resolution=merge-duplicates")...).expect(t, 200, "")
	// Untouched columns keep their values on update.
	if got := e.scalar(t, `SELECT string_agg(id || ':' || name || ':' || qty, ',' ORDER BY id) FROM items WHERE id IN (1,2,3,16)`); got != "1:one:5,2:TWO:5,3:three:5,16:sixteen:5" {
		t.Fatalf("rows: %s", got)
	}
}

func TestUpsertIgnoreDuplicatesAndOnConflict(t *testing.T) {
	e := start(t, writeFixtures+`INSERT INTO uniq(code, v) VALUES ('a', 'first');`)
	r := e.do("POST", "/items?select=id,name", `[{"id":1,"name":"changed"},{"id":17,"name":"new"}]`,
		e.svcWith("Prefer", "resolution=ignore-duplicates, return=representation")...)
	r.expect(t, 201, `[{"id":17,"name":"new"}]`)
	r.expectHeader(t, "Preference-Applied", "resolution=ignore-duplicates, return=representation")
	r = e.do("POST", "/items?select=id", `{"id":1,"name":"changed"}`, e.svcWith("Prefer", "resolution=ignore-duplicates, return=representation")...)
	r.expect(t, 201, `[]`)
	if got := e.scalar(t, `SELECT name FROM items WHERE id = 1`); got != "item 1" {
		t.Fatalf("name: %s", got)
	}
	// on_conflict names a unique constraint other than the primary key (supabase-js onConflict).
	r = e.do("POST", `/uniq?on_conflict=code&columns="code","v"&select=code,v`, `[{"code":"a","v":"second"},{"code":"b"}]`,
		e.svcWith("Prefer", "resolution=merge-duplicates,return=representation")...)
	r.expect(t, 201, "[{\"code\":\"a\",\"v\":\"second\"}, \n {\"code\":\"b\",\"v\":null}]")
	if got := e.scalar(t, `SELECT string_agg(id || code || coalesce(v, '-'), ',' ORDER BY id) FROM uniq`); got != "1asecond,3b-" {
		t.Fatalf("uniq: %s", got)
	}
	// Without a resolution, on_conflict does nothing: the duplicate fails.
	r = e.do("POST", "/uniq?on_conflict=code", `{"code":"a"}`, e.svc()...)
	if r.status != 409 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	// No primary key and no on_conflict: the resolution is ignored and not applied.
	r = e.do("POST", "/no_pk?select=a", `{"a":"x"}`, e.svcWith("Prefer", "resolution=merge-duplicates", "Prefer", "return=representation")...)
	r.expect(t, 201, `[{"a":"x"}]`)
	r.expectHeader(t, "Preference-Applied", "return=representation")
	// An unknown on_conflict column.
	r = e.do("POST", "/uniq?on_conflict=nope", `{"code":"z"}`, e.svcWith("Prefer", "resolution=merge-duplicates")...)
	r.expect(t, 400, `{"code":"42703","details":null,"hint":null,"message":"column \"nope\" does not exist"}`)
}

func TestPut(t *testing.T) {
	e := start(t, writeFixtures)
	r := e.do("PUT", "/items?id=eq.1&limit=1", `{"id":1}`, e.svc()...)
	r.expect(t, 400, `{"code":"PGRST114","details":null,"hint":null,"message":"limit/offset querystring parameters are not allowed for PUT"}`)
	const pgrst105 = `{"code":"PGRST105","details":null,"hint":null,"message":"Filters must include all and only primary key columns with 'eq' operators"}`
	for _, path := range []string{"/items?name=eq.x", "/items", "/items?id=gt.1", "/items?id=eq.1&name=eq.x", "/items?id=not.eq.1",
		"/items?or=(id.eq.1)", "/no_pk?a=eq.1", "/compound?k1=eq.1"} {
		r = e.do("PUT", path, `{"id":1}`, e.svc()...)
		r.expect(t, 405, pgrst105)
	}
	r = e.do("PUT", "/items?id=eq.1", `[{"id":2,"name":"x"}]`, e.svc()...)
	r.expect(t, 400, `{"code":"PGRST115","details":null,"hint":null,"message":"Payload values do not match URL in primary key column(s)"}`)
	r = e.do("PUT", "/items?id=eq.1", `{"name":"no key"}`, e.svc()...)
	r.expect(t, 400, `{"code":"PGRST115","details":null,"hint":null,"message":"Payload values do not match URL in primary key column(s)"}`)
	r = e.do("PUT", "/items?id=eq.1", `{"id":1,"helicopter":1}`, e.svc()...)
	r.expect(t, 400, `{"code":"PGRST204","details":null,"hint":null,"message":"Could not find the 'helicopter' column of 'items' in the schema cache"}`)
	if got := e.scalar(t, `SELECT name FROM items WHERE id = 1`); got != "item 1" {
		t.Fatalf("name: %s", got)
	}

	// A new row, minimal: 204 with no Content-Type, Content-Length or Content-Range.
	r = e.do("PUT", "/items?id=eq.20", `{"id":20,"name":"twenty","qty":1,"note":"n"}`, e.svc()...)
	r.expect(t, 204, "")
	r.expectHeader(t, "Content-Type", "")
	r.expectHeader(t, "Content-Length", "")
	r.expectHeader(t, "Content-Range", "")
	// Representation: 201 when inserted, 200 when replaced.
	r = e.do("PUT", "/items?id=eq.21&select=id,name", `{"id":21,"name":"new"}`, e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 201, `[{"id":21,"name":"new"}]`)
	r.expectHeader(t, "Content-Range", "")
	r.expectHeader(t, "Preference-Applied", "return=representation")
	r = e.do("PUT", "/items?id=eq.21&select=id,name,qty", `{"id":21,"name":"replaced","qty":0}`, e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 200, `[{"id":21,"name":"replaced","qty":0}]`)
	// An array body is filtered to the element matching the URL.
	r = e.do("PUT", "/compound?k1=eq.1&k2=eq.b&select=k1,k2,v", `[{"k1":1,"k2":"a","v":"no"},{"k1":1,"k2":"b","v":"yes"}]`,
		e.svcWith("Prefer", "return=representation", "Accept", "application/vnd.pgrst.object+json")...)
	r.expect(t, 201, `{"k1":1,"k2":"b","v":"yes"}`)
	if got := e.scalar(t, `SELECT string_agg(k1 || k2 || v, ',') FROM compound`); got != "1byes" {
		t.Fatalf("compound: %s", got)
	}
	if got := e.scalar(t, `SELECT string_agg(id || name || qty, ',' ORDER BY id) FROM items WHERE id >= 20`); got != "20twenty1,21replaced0" {
		t.Fatalf("items: %s", got)
	}
}

// PUT does not require every column: like PostgREST's INSERT … ON CONFLICT DO UPDATE SET
// <body columns>, a replaced row keeps the columns the body leaves out, and an inserted
// row takes their defaults.
func TestPutAbsentColumns(t *testing.T) {
	e := start(t, writeFixtures+`UPDATE items SET qty = 9, note = 'kept' WHERE id = 1;`)
	row := func(id int) string {
		return e.scalar(t, `SELECT row_to_json(i)::text FROM items i WHERE id = $1`, id)
	}
	r := e.do("PUT", "/items?id=eq.1", `{"id":1,"name":"renamed"}`, e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 200, `[{"id":1,"name":"renamed","qty":9,"note":"kept"}]`)
	if got := row(1); got != `{"id":1,"name":"renamed","qty":9,"note":"kept"}` {
		t.Fatalf("row: %s", got)
	}
	r = e.do("PUT", "/items?id=eq.30", `{"id":30}`, e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 201, `[{"id":30,"name":null,"qty":5,"note":"n/a"}]`)
	// A key-only body on an existing row changes nothing else.
	r = e.do("PUT", "/items?id=eq.1", `{"id":1}`, e.svc()...)
	r.expect(t, 204, "")
	if got := row(1); got != `{"id":1,"name":"renamed","qty":9,"note":"kept"}` {
		t.Fatalf("row: %s", got)
	}
	// An explicit null is written.
	e.do("PUT", "/items?id=eq.1", `{"id":1,"note":null}`, e.svc()...).expect(t, 204, "")
	if got := row(1); got != `{"id":1,"name":"renamed","qty":9,"note":null}` {
		t.Fatalf("row: %s", got)
	}
}

// Whether an upsert inserted anything is counted in a transaction-local setting, so views
// answer like tables: 200 when every row was updated, 201 when one was inserted.
func TestUpsertOnViewStatus(t *testing.T) {
	e := start(t, reprFixtures)
	h := e.svcWith("Prefer", "resolution=merge-duplicates, return=representation")
	r := e.do("POST", "/items_view?select=id,name", `[{"id":1,"name":"one"},{"id":2,"name":"two"}]`, h...)
	r.expect(t, 200, "[{\"id\":1,\"name\":\"one\"}, \n {\"id\":2,\"name\":\"two\"}]")
	r.expectHeader(t, "Preference-Applied", "resolution=merge-duplicates, return=representation")
	r = e.do("POST", "/items_view?select=id,name", `[{"id":2,"name":"TWO"},{"id":40,"name":"forty"}]`, h...)
	r.expect(t, 201, "[{\"id\":2,\"name\":\"TWO\"}, \n {\"id\":40,\"name\":\"forty\"}]")
	e.do("POST", "/items_view", `{"id":3,"name":"three"}`, e.svcWith("Prefer", "resolution=merge-duplicates")...).expect(t, 200, "")
	e.do("POST", "/items_view", `{"id":41,"name":"new"}`, e.svcWith("Prefer", "resolution=merge-duplicates")...).expect(t, 201, "")
	// PUT on the view: 201 when inserted, 200 when replaced.
	r = e.do("PUT", "/items_view?id=eq.42&select=id,name", `{"id":42,"name":"put"}`, e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 201, `[{"id":42,"name":"put"}]`)
	r = e.do("PUT", "/items_view?id=eq.42&select=id,name", `{"id":42,"name":"again"}`, e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 200, `[{"id":42,"name":"again"}]`)
	// A mismatched key counts nothing and writes nothing.
	e.do("PUT", "/items_view?id=eq.43", `[{"id":44,"name":"x"}]`, e.svc()...).expect(t, 400,
		`{"code":"PGRST115","details":null,"hint":null,"message":"Payload values do not match URL in primary key column(s)"}`)
	if got := e.scalar(t, `SELECT string_agg(id || ':' || name, ',' ORDER BY id) FROM items WHERE id IN (1,2,3,40,41,42,43,44)`); got != "1:one,2:TWO,3:three,40:forty,41:new,42:again" {
		t.Fatalf("rows: %s", got)
	}
}

// Counting inserted rows reads no system column, so a role with column privileges only
// can upsert.
func TestUpsertColumnPrivileges(t *testing.T) {
	e := start(t, reprFixtures+`GRANT SELECT (qty) ON public.items TO rs_colpriv;`)
	h := append(e.colpriv(), "Prefer", "resolution=merge-duplicates, return=representation")
	r := e.do("POST", "/items?select=id,name", `[{"id":1,"name":"one","qty":1},{"id":50,"name":"fifty","qty":1}]`, h...)
	r.expect(t, 201, "[{\"id\":1,\"name\":\"one\"}, \n {\"id\":50,\"name\":\"fifty\"}]")
	r = e.do("POST", "/items?select=id", `{"id":50,"name":"FIFTY","qty":2}`, h...)
	r.expect(t, 200, `[{"id":50}]`)
	r = e.do("PUT", "/items?id=eq.50&select=name", `{"id":50,"name":"put","qty":3}`, append(e.colpriv(), "Prefer", "return=representation")...)
	r.expect(t, 200, `[{"name":"put"}]`)
}
