package server_test

import (
	"testing"
	"time"

	"github.com/rocksteady/rocksteady/pkg/devkeys"
)

const compositeFixture = rpcFixture + `
CREATE FUNCTION public.points() RETURNS SETOF public.point_2d LANGUAGE sql STABLE AS
  $$ VALUES (ROW(1, 2)::public.point_2d), (ROW(3, 4)::public.point_2d), (ROW(5, 0)::public.point_2d) $$;
`

// A function returning a composite type that is no table's row type: select=, filters
// and order apply to the type's attributes, from the schema cache.
func TestRPCCompositeTypeColumns(t *testing.T) {
	e := start(t, compositeFixture)
	r := e.do("GET", "/rpc/points?x=gt.1&order=y.asc&select=y,x", "")
	r.expect(t, 200, "[{\"y\":0,\"x\":5}, \n {\"y\":4,\"x\":3}]")
	r = e.do("POST", "/rpc/points?select=x&or=(y.eq.2,y.eq.0)&order=x.desc", `{}`, "Prefer", "count=exact")
	r.expect(t, 200, "[{\"x\":5}, \n {\"x\":1}]")
	r.expectHeader(t, "Content-Range", "0-1/2")
	r = e.do("GET", "/rpc/ret_point_2d?select=y", "")
	r.expect(t, 200, `{"y":5}`)
	r = e.do("GET", "/rpc/ret_point_2d?x=eq.0", "")
	r.expect(t, 200, `null`)
	r = e.do("GET", "/rpc/points?nope=eq.1", "")
	r.expect(t, 400, `{"code":"42703","details":null,"hint":null,"message":"column point_2d.nope does not exist"}`)
	r = e.do("GET", "/rpc/points", "")
	r.expect(t, 200, "[{\"x\":1,\"y\":2}, \n {\"x\":3,\"y\":4}, \n {\"x\":5,\"y\":0}]")
}

const isolationFixture = rpcFixture + `
CREATE FUNCTION public.iso_serializable() RETURNS text LANGUAGE sql STABLE
  SET default_transaction_isolation = 'serializable' AS $$ SELECT current_setting('transaction_isolation') $$;
CREATE FUNCTION public.iso_write(id int) RETURNS text LANGUAGE sql
  SET default_transaction_isolation = 'repeatable read' AS
  $$ INSERT INTO public.items VALUES (id); SELECT current_setting('transaction_isolation') || '/' || current_setting('transaction_read_only') $$;
CREATE FUNCTION public.iso_plain() RETURNS text LANGUAGE sql STABLE AS $$ SELECT current_setting('transaction_isolation') $$;
DO $$ BEGIN CREATE ROLE rs_iso NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
GRANT rs_iso TO authenticator;
GRANT USAGE ON SCHEMA public TO rs_iso;
DO $$ BEGIN EXECUTE format('ALTER ROLE rs_iso IN DATABASE %I SET default_transaction_isolation = %L', current_database(), 'repeatable read'); END $$;
`

// A function's default_transaction_isolation (else the role's) opens the transaction at
// that level, as PostgREST does; the function sees it.
func TestRPCIsolationLevel(t *testing.T) {
	e := start(t, isolationFixture)
	e.do("GET", "/rpc/iso_serializable", "").expect(t, 200, `"serializable"`)
	e.do("POST", "/rpc/iso_serializable", `{}`).expect(t, 200, `"serializable"`)
	e.do("GET", "/rpc/iso_plain", "").expect(t, 200, `"read committed"`)
	e.do("POST", "/rpc/iso_write", `{"id":99}`).expect(t, 200, `"repeatable read/off"`)
	if got := e.scalar(t, `SELECT count(*)::text FROM items WHERE id = 99`); got != "1" {
		t.Fatalf("committed rows: %s", got)
	}
	// A failure inside rolls back and the next request runs normally.
	r := e.do("POST", "/rpc/iso_write", `{"id":99}`)
	if r.status != 409 {
		t.Fatalf("duplicate: %d %s", r.status, r.body)
	}
	e.do("POST", "/rpc/iso_write", `{"id":100}`).expect(t, 200, `"repeatable read/off"`)
	// The role's own setting applies when the function has none; the function's wins.
	h := []string{"Authorization", "Bearer " + devkeys.APIKey(testSecret, "rs_iso", time.Now())}
	e.do("GET", "/rpc/iso_plain", "", h...).expect(t, 200, `"repeatable read"`)
	e.do("GET", "/rpc/iso_serializable", "", h...).expect(t, 200, `"serializable"`)
}

// A CSV body on /rpc: the header names the arguments, the first line gives their values
// (read with the parameters' types; NULL is null).
func TestRPCCSVBody(t *testing.T) {
	e := start(t, rpcFixture)
	csv := []string{"Content-Type", "text/csv"}
	e.do("POST", "/rpc/add_them", "a,b\n1,2", csv...).expect(t, 200, "3")
	e.do("POST", "/rpc/add_them", "b,a\n10,5\n100,100", csv...).expect(t, 200, "15")
	e.do("POST", "/rpc/with_defaults", "a,c\n1,\"x,y\"", csv...).expect(t, 200, `"1/10/x,y"`)
	e.do("POST", "/rpc/sayhello", "name\nNULL", csv...).expect(t, 200, "null")
	r := e.do("POST", "/rpc/getitemrange?select=id&order=id.desc", "min,max\n2,4", append(csv, "Accept", "text/csv")...)
	r.expect(t, 200, "id\n4\n3")
	// Arguments are matched by the header's names, as for JSON keys.
	r = e.do("POST", "/rpc/add_them", "a,c\n1,2", csv...)
	r.expect(t, 404, `{"code":"PGRST202","details":"Searched for the function public.add_them with parameters a, c, but no matches were found in the schema cache.","hint":"Perhaps you meant to call the function public.add_them(a, b)","message":"Could not find the function public.add_them(a, c) in the schema cache"}`)
	r = e.do("POST", "/rpc/add_them", "a,b\n1", csv...)
	r.expect(t, 400, `{"code":"PGRST102","details":null,"hint":null,"message":"All lines must have same number of fields"}`)
	// No header: no arguments.
	e.do("POST", "/rpc/overloaded", "", csv...).expect(t, 200, `"none"`)
}
