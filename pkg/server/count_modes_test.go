package server_test

import "testing"

// count=planned and count=estimated on writes: the total is the rows written for exact
// and estimated, and unknown for planned (PostgREST explains no write).
func TestWriteCountModes(t *testing.T) {
	e := start(t, writeFixtures)
	for _, tc := range []struct {
		method, path, body, count, contentRange string
		status                                  int
	}{
		{"POST", "/items", `[{"id":100},{"id":101}]`, "planned", "*/*", 201},
		{"POST", "/items", `[{"id":102},{"id":103}]`, "estimated", "*/2", 201},
		{"PATCH", "/items?id=in.(1,2)", `{"name":"x"}`, "planned", "0-1/*", 204},
		{"PATCH", "/items?id=in.(1,2)", `{"name":"y"}`, "estimated", "0-1/2", 204},
		{"DELETE", "/items?id=in.(100,101)", ``, "planned", "*/*", 204},
		{"DELETE", "/items?id=in.(102,103)", ``, "estimated", "*/2", 204},
	} {
		r := e.do(tc.method, tc.path, tc.body, e.svcWith("Prefer", "count="+tc.count)...)
		r.expect(t, tc.status, "")
		r.expectHeader(t, "Content-Range", tc.contentRange)
		r.expectHeader(t, "Preference-Applied", "count="+tc.count)
	}
	if got := e.scalar(t, `SELECT count(*)::text FROM items WHERE id >= 100`); got != "0" {
		t.Fatalf("rows left: %s", got)
	}
}

// On /rpc, PostgREST counts exactly for count=estimated (max-rows does not limit the
// count) and gives no total for count=planned.
func TestRPCCountModes(t *testing.T) {
	e := start(t, rpcFixture, withEnv("PGRST_DB_MAX_ROWS", "5"))
	r := e.do("GET", "/rpc/getitemrange?min=0&max=15&limit=2", "", "Prefer", "count=planned")
	r.expect(t, 200, "[{\"id\":1}, \n {\"id\":2}]")
	r.expectHeader(t, "Content-Range", "0-1/*")
	r.expectHeader(t, "Preference-Applied", "count=planned")
	r = e.do("GET", "/rpc/getitemrange?min=0&max=15&limit=2", "", "Prefer", "count=estimated")
	r.expect(t, 206, "[{\"id\":1}, \n {\"id\":2}]")
	r.expectHeader(t, "Content-Range", "0-1/15")
	r.expectHeader(t, "Preference-Applied", "count=estimated")
	r = e.do("HEAD", "/rpc/getitemrange?min=0&max=15", "", "Prefer", "count=estimated")
	r.expect(t, 206, "")
	r.expectHeader(t, "Content-Range", "0-4/15")
	r = e.do("POST", "/rpc/add_them", `{"a":1,"b":2}`, "Prefer", "count=planned")
	r.expect(t, 200, "3")
	r.expectHeader(t, "Content-Range", "0-0/*")
	r = e.do("POST", "/rpc/add_them", `{"a":1,"b":2}`, "Prefer", "count=estimated")
	r.expect(t, 200, "3")
	r.expectHeader(t, "Content-Range", "0-0/1")
}
