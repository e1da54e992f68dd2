package server_test

import "testing"

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
