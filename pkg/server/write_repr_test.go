package server_test

import (
	"testing"
	"time"

	"github.com/rocksteady/rocksteady/pkg/devkeys"
)

// reprFixtures add a computed column and a role that may only read some columns of items.
const reprFixtures = writeFixtures + `
CREATE FUNCTION public.label(public.items) RETURNS text LANGUAGE sql STABLE AS $$ SELECT $1.name || '#' || $1.qty $$;
CREATE VIEW public.items_view AS SELECT id, name, qty FROM public.items;
CREATE FUNCTION public.view_label(public.items_view) RETURNS text LANGUAGE sql STABLE AS $$ SELECT $1.name || '@' || $1.id $$;
GRANT ALL ON public.items_view TO service_role;
DO $$ BEGIN CREATE ROLE rs_colpriv NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
GRANT rs_colpriv TO authenticator;
GRANT USAGE ON SCHEMA public TO rs_colpriv;
GRANT INSERT, UPDATE, DELETE ON public.items TO rs_colpriv;
GRANT SELECT (id, name) ON public.items TO rs_colpriv;
GRANT SELECT (id, name) ON public.clients TO rs_colpriv;
GRANT SELECT (id, name, client_id) ON public.projects TO rs_colpriv;
GRANT INSERT ON public.projects TO rs_colpriv;
`

func (e *env) colpriv() []string {
	return []string{"Authorization", "Bearer " + devkeys.APIKey(testSecret, "rs_colpriv", time.Now())}
}

func TestWriteRepresentationComputedColumn(t *testing.T) {
	e := start(t, reprFixtures)
	r := e.do("POST", "/items?select=id,label", `{"id":100,"name":"new","qty":3}`, e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 201, `[{"id":100,"label":"new#3"}]`)
	r = e.do("PATCH", "/items?id=eq.100&select=label,name", `{"qty":4}`, e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 200, `[{"label":"new#4","name":"new"}]`)
	r = e.do("DELETE", "/items?id=eq.100&select=id,label", ``, e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 200, `[{"id":100,"label":"new#4"}]`)
	r = e.do("POST", "/items_view?select=view_label", `{"id":101,"name":"v"}`, e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 201, `[{"view_label":"v@101"}]`)
	// A computed column filters the written rows and orders the representation.
	r = e.do("PATCH", "/items?label=in.(item%201%235,item%202%235)&select=id,l:label&order=label.desc", `{"qty":1}`,
		e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 200, "[{\"id\":2,\"l\":\"item 2#1\"}, \n {\"id\":1,\"l\":\"item 1#1\"}]")
	// With embeds, and with every column.
	r = e.do("POST", "/projects?select=*,clients(name)", `{"id":8,"name":"P","client_id":1}`, e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 201, `[{"id":8,"name":"P","client_id":1,"clients":{"name": "Microsoft"}}]`)
}

// A role with SELECT on some columns only writes and reads those back: the statement
// returns only what select= needs (plus the key columns embeds join on).
func TestWriteRepresentationColumnPrivileges(t *testing.T) {
	e := start(t, reprFixtures)
	h := func(extra ...string) []string { return append(e.colpriv(), extra...) }
	r := e.do("POST", "/items?select=id,name", `{"id":100,"name":"new","qty":3}`, h("Prefer", "return=representation")...)
	r.expect(t, 201, `[{"id":100,"name":"new"}]`)
	r.expectHeader(t, "Content-Range", "*/*")
	// Filtering and ordering the representation on readable columns.
	r = e.do("POST", "/items?select=name&order=id.desc", `[{"id":101,"name":"a"},{"id":102,"name":"b"}]`, h("Prefer", "return=representation")...)
	r.expect(t, 201, "[{\"name\":\"b\"}, \n {\"name\":\"a\"}]")
	r = e.do("PATCH", "/items?id=eq.100&select=name", `{"qty":7}`, h("Prefer", "return=representation")...)
	r.expect(t, 200, `[{"name":"new"}]`)
	r = e.do("DELETE", "/items?id=eq.101&select=id", "", h("Prefer", "return=representation")...)
	r.expect(t, 200, `[{"id":101}]`)
	// headers-only returns the key for Location.
	r = e.do("POST", "/items?select=name", `{"id":103,"name":"h"}`, h("Prefer", "return=headers-only")...)
	r.expect(t, 201, "")
	r.expectHeader(t, "Location", "/items?id=eq.103")
	// An embed: the foreign key column is returned for the join without being selected.
	r = e.do("POST", "/projects?select=name,clients(name)", `{"id":9,"name":"P","client_id":2}`, h("Prefer", "return=representation")...)
	r.expect(t, 201, `[{"name":"P","clients":{"name": "Apple"}}]`)
	// Columns the role cannot read are refused, and nothing is written.
	const denied = `{"code":"42501","details":null,"hint":null,"message":"permission denied for table items"}`
	e.do("POST", "/items?select=id,qty", `{"id":104,"name":"x"}`, h("Prefer", "return=representation")...).expect(t, 403, denied)
	e.do("POST", "/items", `{"id":105,"name":"x"}`, h("Prefer", "return=representation")...).expect(t, 403, denied)
	e.do("PATCH", "/items?id=eq.100&select=label", `{"qty":1}`, h("Prefer", "return=representation")...).expect(t, 403, denied)
	// return=minimal reads nothing back.
	e.do("POST", "/items", `{"id":106,"name":"m"}`, e.colpriv()...).expect(t, 201, "")
	if got := e.scalar(t, `SELECT string_agg(id || ':' || name || ':' || qty, ',' ORDER BY id) FROM items WHERE id > 99`); got != "100:new:7,102:b:5,103:h:5,106:m:5" {
		t.Fatalf("rows: %s", got)
	}
}

// Filters on embeds shape the representation of a write, never the rows it writes (as
// with PostgREST); rel=is.null on PATCH/DELETE names a column of the table.
func TestWriteEmbedFilters(t *testing.T) {
	e := start(t, writeFixtures+`INSERT INTO projects VALUES (4, 'Orphan', NULL);`)
	names := func() string {
		return e.scalar(t, `SELECT string_agg(id || ':' || name, ',' ORDER BY id) FROM projects`)
	}
	// !inner with a filter on the embed: every row is updated, the body shows the matching
	// ones, and Content-Range counts the body's rows.
	r := e.do("PATCH", "/projects?select=id,clients!inner(name)&clients.name=eq.Apple", `{"name":"X"}`,
		e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 200, `[{"id":3,"clients":{"name": "Apple"}}]`)
	r.expectHeader(t, "Content-Range", "0-0/*")
	if got := names(); got != "1:X,2:X,3:X,4:X" {
		t.Fatalf("rows: %s", got)
	}
	// A singular write counts the rows written: four, so nothing is written.
	r = e.do("PATCH", "/projects?select=id,clients!inner(name)&clients.name=eq.Apple", `{"name":"Y"}`,
		e.svcWith("Prefer", "return=representation", "Accept", "application/vnd.pgrst.object+json")...)
	r.expect(t, 406, `{"code":"PGRST116","details":"The result contains 4 rows","hint":null,"message":"Cannot coerce the result to a single JSON object"}`)
	if got := names(); got != "1:X,2:X,3:X,4:X" {
		t.Fatalf("rows: %s", got)
	}
	// rel=is.null on PATCH and DELETE is a filter on a column of that name: none here.
	const noColumn = `{"code":"42703","details":null,"hint":null,"message":"column projects.clients does not exist"}`
	e.do("PATCH", "/projects?select=id,clients(id)&clients=is.null", `{"name":"Z"}`, e.svc()...).expect(t, 400, noColumn)
	e.do("DELETE", "/projects?select=id,clients(id)&or=(clients.not.is.null,id.eq.1)", "", e.svc()...).expect(t, 400, noColumn)
	if got := names(); got != "1:X,2:X,3:X,4:X" {
		t.Fatalf("rows: %s", got)
	}
	// POST: root filters are ignored; and/or trees filter the representation.
	r = e.do("POST", "/projects?select=id,clients(id)&clients=is.null", `{"id":5,"name":"P","client_id":1}`,
		e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 201, `[{"id":5,"clients":{"id": 1}}]`)
	r = e.do("POST", "/projects?select=id,clients(id)&or=(clients.is.null,id.eq.999)", `[{"id":6,"name":"P","client_id":1},{"id":7,"name":"Q","client_id":null}]`,
		e.svcWith("Prefer", "return=representation")...)
	r.expect(t, 201, `[{"id":7,"clients":null}]`)
	// DELETE with an !inner embed filter deletes every row; the body and count show Apple's.
	r = e.do("DELETE", "/projects?select=id,clients!inner(id)&clients.id=eq.2", "",
		e.svcWith("Prefer", "return=representation", "Prefer", "count=exact")...)
	r.expect(t, 200, `[{"id":3,"clients":{"id": 2}}]`)
	r.expectHeader(t, "Content-Range", "*/1")
	if got := names(); got != "<null>" {
		t.Fatalf("rows: %s", got)
	}
}
