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
