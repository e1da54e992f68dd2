package server_test

import (
	"strconv"
	"testing"
)

// rangeCase is a request with its expected status, Content-Range and body.
type rangeCase struct {
	method, path string
	headers      []string
	status       int
	contentRange string
	body         string
}

func (e *env) runRanges(t *testing.T, cases []rangeCase) {
	t.Helper()
	for _, c := range cases {
		r := e.do(c.method, c.path, "", c.headers...)
		if r.status != c.status || r.body != c.body || r.header.Get("Content-Range") != c.contentRange {
			t.Errorf("%s %s %v:\ngot  %d %q %s\nwant %d %q %s", c.method, c.path, c.headers,
				r.status, r.header.Get("Content-Range"), r.body, c.status, c.contentRange, c.body)
		}
	}
}

func TestReadRangesAndCounts(t *testing.T) {
	e := startCat(t)
	e.db.Exec(t, "ANALYZE cat.films") // planned counts are then exact on this small table
	all := rows(`{"id":1}`, `{"id":2}`, `{"id":3}`, `{"id":4}`)
	exact := []string{"Prefer", "count=exact"}
	e.runRanges(t, []rangeCase{
		{"GET", "/films?select=id&order=id", nil, 200, "0-3/*", all},
		{"GET", "/films?select=id&order=id&limit=2&offset=1", nil, 200, "1-2/*", rows(`{"id":2}`, `{"id":3}`)},
		{"GET", "/films?select=id&order=id", []string{"Range", "0-1"}, 200, "0-1/*", rows(`{"id":1}`, `{"id":2}`)},
		{"GET", "/films?select=id&order=id", []string{"Range", "2-100"}, 200, "2-3/*", rows(`{"id":3}`, `{"id":4}`)},
		{"GET", "/films?select=id&order=id", []string{"Range", "3-"}, 200, "3-3/*", `[{"id":4}]`},
		// Range ∩ limit/offset; Range-Unit and malformed ranges are ignored
		{"GET", "/films?select=id&order=id&limit=1&offset=1", []string{"Range", "0-1"}, 200, "1-1/*", `[{"id":2}]`},
		{"GET", "/films?select=id&order=id", []string{"Range", "items=0-1", "Range-Unit", "items"}, 200, "0-3/*", all},
		{"GET", "/films?select=id&id=eq.0", nil, 200, "*/*", "[]"},
		{"GET", "/films?select=id&id=eq.0", exact, 200, "*/0", "[]"},
		{"GET", "/films?select=id&limit=0", nil, 200, "*/*", "[]"},
		{"GET", "/films?select=id&order=id", exact, 200, "0-3/4", all},
		{"GET", "/films?select=id&order=id&limit=2", exact, 206, "0-1/4", rows(`{"id":1}`, `{"id":2}`)},
		{"GET", "/films?select=id&order=id", []string{"Range", "1-1", "Prefer", "count=exact"}, 206, "1-1/4", `[{"id":2}]`},
		// the count sees inner embeds and null-embed filters, not embedded filters
		{"GET", "/films?select=id,directors!inner()&order=id&limit=1", exact, 206, "0-0/3", `[{"id":1}]`},
		{"GET", "/films?select=id,directors()&directors=is.null&limit=1", exact, 200, "0-0/1", `[{"id":4}]`},
		{"GET", "/films?select=id,directors(id)&directors.id=eq.1&order=id&limit=1", exact, 206, "0-0/4", `[{"id":1,"directors":{"id": 1}}]`},
		// planned: the planner's estimate (exact here, the table is analyzed)
		{"GET", "/films?select=id&order=id&limit=2&offset=1", []string{"Prefer", "count=planned"}, 206, "1-2/4", rows(`{"id":2}`, `{"id":3}`)},
		{"HEAD", "/films?select=id&limit=2&offset=1", []string{"Prefer", "count=planned"}, 206, "1-2/4", ""},
		// estimated without max-rows is exact
		{"GET", "/films?select=id&order=id&limit=1&year=gt.2000", []string{"Prefer", "count=estimated"}, 206, "0-0/3", `[{"id":2}]`},
		// 416: offset past the total, reversed Range, negative limit
		{"GET", "/films?select=id&offset=100", exact, 416, "*/4", `{"code":"PGRST103","details":"An offset of 100 was requested, but there are only 4 rows.","hint":null,"message":"Requested range not satisfiable"}`},
		{"GET", "/films?select=id&id=eq.0&offset=1", exact, 416, "*/0", `{"code":"PGRST103","details":"An offset of 1 was requested, but there are only 0 rows.","hint":null,"message":"Requested range not satisfiable"}`},
		{"GET", "/films?select=id&offset=100", nil, 200, "*/*", "[]"},
		{"GET", "/films?select=id", []string{"Range", "3-1"}, 416, "", `{"code":"PGRST103","details":"The lower boundary must be lower than or equal to the upper boundary in the Range header.","hint":null,"message":"Requested range not satisfiable"}`},
		{"GET", "/films?select=id&limit=-1", nil, 416, "", `{"code":"PGRST103","details":"Limit should be greater than or equal to zero.","hint":null,"message":"Requested range not satisfiable"}`},
		// non-numeric limits are ignored
		{"GET", "/films?select=id&order=id&limit=abc", nil, 200, "0-3/*", all},
		// HEAD: GET's status and headers, no body, and the Range header is ignored
		{"HEAD", "/films?select=id", []string{"Range", "0-0"}, 200, "0-3/*", ""},
		{"HEAD", "/films?select=id&limit=2", exact, 206, "0-1/4", ""},
	})
}

func TestReadResponseHeaders(t *testing.T) {
	e := startCat(t)
	r := e.get("/films?select=id&id=eq.1&order=id")
	r.expect(t, 200, `[{"id":1}]`)
	r.expectHeader(t, "Content-Type", "application/json; charset=utf-8")
	r.expectHeader(t, "Content-Length", "10")
	r.expectHeader(t, "Content-Range", "0-0/*")
	r.expectHeader(t, "Content-Location", "/films?id=eq.1&order=id&select=id")
	r.expectHeader(t, "Vary", "Accept, Prefer, Range")
	r.expectHeader(t, "Content-Profile", "")
	r.expectHeader(t, "Preference-Applied", "")

	r = e.do("HEAD", "/films?select=id", "", "Prefer", "count=exact")
	r.expect(t, 200, "")
	r.expectHeader(t, "Content-Type", "application/json; charset=utf-8")
	r.expectHeader(t, "Content-Length", "")
	r.expectHeader(t, "Content-Range", "0-3/4")
	r.expectHeader(t, "Preference-Applied", "count=exact")

	r = e.get("/films?select=id&id=eq.1", "Prefer", "count=planned, handling=lenient, timezone=UTC, nonsense")
	r.expect(t, 200, `[{"id":1}]`)
	r.expectHeader(t, "Preference-Applied", "count=planned, handling=lenient, timezone=UTC")
	r = e.get("/films?select=id&id=eq.1", "Prefer", "handling=strict, nonsense")
	r.expect(t, 400, `{"code":"PGRST122","details":"Invalid preferences: nonsense","hint":null,"message":"Invalid preferences given with handling=strict"}`)
}

func TestReadEstimatedCountWithMaxRows(t *testing.T) {
	e := startCat(t, withEnv("PGRST_DB_MAX_ROWS", "2"))
	// Without statistics the planner guesses far more than the 4 rows; estimated takes
	// the larger of the exact count capped at max-rows + 1 (3) and that guess.
	var plan []byte
	e.db.QueryRow(t, "EXPLAIN (FORMAT JSON) SELECT 1 FROM cat.films", []any{&plan})
	planned, err := planRowsOf(plan)
	if err != nil {
		t.Fatal(err)
	}
	if planned <= 3 {
		t.Fatalf("the planner's guess is %d rows: this test needs an unanalyzed table", planned)
	}
	r := e.get("/films?select=id&order=id", "Prefer", "count=estimated")
	r.expect(t, 206, rows(`{"id":1}`, `{"id":2}`))
	r.expectHeader(t, "Content-Range", "0-1/"+strconv.FormatInt(planned, 10))
	// At most max-rows rows: the capped count is exact and wins.
	r = e.get("/films?select=id&order=id&year=gt.2005", "Prefer", "count=estimated")
	r.expect(t, 200, rows(`{"id":3}`, `{"id":4}`))
	r.expectHeader(t, "Content-Range", "0-1/2")
	r = e.get("/films?select=id&order=id", "Prefer", "count=exact")
	r.expectHeader(t, "Content-Range", "0-1/4")
}
