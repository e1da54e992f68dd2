package server_test

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestReadMediaTypes(t *testing.T) {
	e := startCat(t)
	obj := "application/vnd.pgrst.object+json"
	e.run(t, []readCase{
		{"/films?select=id,genre&id=eq.4", []string{"Accept", obj}, 200, `{"id":4,"genre":null}`},
		{"/films?select=id,genre&id=eq.4", []string{"Accept", "application/vnd.pgrst.object"}, 200, `{"id":4,"genre":null}`},
		{"/films?select=id,genre&id=eq.4", []string{"Accept", obj + ";nulls=stripped"}, 200, `{"id":4}`},
		{"/films?select=id&id=gt.0&id=lt.0", []string{"Accept", obj}, 406, `{"code":"PGRST116","details":"The result contains 0 rows","hint":null,"message":"Cannot coerce the result to a single JSON object"}`},
		{"/films?select=id", []string{"Accept", obj}, 406, `{"code":"PGRST116","details":"The result contains 4 rows","hint":null,"message":"Cannot coerce the result to a single JSON object"}`},
		{"/films?select=id,genre&order=id", []string{"Accept", "application/vnd.pgrst.array+json;nulls=stripped"}, 200,
			`[{"id":1,"genre":"drama"},{"id":2,"genre":"comedy"},{"id":3,"genre":"horror"},{"id":4}]`},
		{"/films?select=id,genre&id=eq.1", []string{"Accept", "application/vnd.pgrst.array+json"}, 200, `[{"id":1,"genre":"drama"}]`},
		// CSV: header from the first row's keys, record text per row, no trailing newline
		{"/films?select=id,title,tags,info&order=id", []string{"Accept", "text/csv"}, 200,
			"id,title,tags,info\n" +
				`1,"Night Train","{noir,train}","{""lang"": ""en"", ""awards"": [""gold"", ""silver""], ""rating"": 8}"` + "\n" +
				`2,"Laugh Lines",{funny},"{""lang"": ""fr"", ""rating"": 6}"` + "\n" +
				`3,"Dark Hall","{scary,night}","{""lang"": ""en"", ""rating"": 7}"` + "\n" +
				`4,"Quiet Sea",,`},
		{"/films?select=Id:id,x:title&id=eq.2", []string{"Accept", "text/csv"}, 200, "Id,x\n2,\"Laugh Lines\""},
		{"/films?select=id&id=eq.0", []string{"Accept", "text/csv"}, 200, "\n"},
		// Accept negotiation: sorted by q then specificity, first producible type wins
		{"/films?select=id&id=eq.1", []string{"Accept", "text/csv, application/json"}, 200, "id\n1"},
		{"/films?select=id&id=eq.1", []string{"Accept", "application/json;q=0.5, text/csv"}, 200, "id\n1"},
		{"/films?select=id&id=eq.1", []string{"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}, 200, `[{"id":1}]`},
		{"/films?select=id&id=eq.1", []string{"Accept", "text/plain, application/json"}, 200, `[{"id":1}]`},
		{"/films?select=id", []string{"Accept", "text/unknowntype"}, 406, `{"code":"PGRST107","details":null,"hint":null,"message":"None of these media types are available: text/unknowntype"}`},
		{"/films?select=id", []string{"Accept", "application/xml, text/plain"}, 406, `{"code":"PGRST107","details":null,"hint":null,"message":"None of these media types are available: application/xml, text/plain"}`},
		// the plan media type is refused while PGRST_DB_PLAN_ENABLED is off
		{"/films?select=id", []string{"Accept", "application/vnd.pgrst.plan+json"}, 406, `{"code":"PGRST107","details":null,"hint":null,"message":"None of these media types are available: application/vnd.pgrst.plan+json; for=\"application/json\""}`},
		// supabase-js .explain() with plans disabled: the requested type is re-rendered, not echoed.
		{"/films?select=id", []string{"Accept", `application/vnd.pgrst.plan+text; for="application/json"; options=;`}, 406, `{"code":"PGRST107","details":null,"hint":null,"message":"None of these media types are available: application/vnd.pgrst.plan+text; for=\"application/json\""}`},
	})
	for _, c := range []struct{ accept, contentType string }{
		{obj, "application/vnd.pgrst.object+json; charset=utf-8"},
		{obj + ";nulls=stripped", "application/vnd.pgrst.object+json;nulls=stripped; charset=utf-8"},
		{"application/vnd.pgrst.array+json;nulls=stripped", "application/vnd.pgrst.array+json;nulls=stripped; charset=utf-8"},
		{"text/csv", "text/csv; charset=utf-8"},
		{"*/*", "application/json; charset=utf-8"},
	} {
		r := e.get("/films?select=id&id=eq.1", "Accept", c.accept)
		r.expectHeader(t, "Content-Type", c.contentType)
		r.expectHeader(t, "Content-Range", "0-0/*")
	}
}

func TestReadPlanMediaType(t *testing.T) {
	e := startCat(t, withEnv("PGRST_DB_PLAN_ENABLED", "true"))
	r := e.get("/films?select=id&id=eq.1", "Accept", "application/vnd.pgrst.plan+json")
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	r.expectHeader(t, "Content-Type", `application/vnd.pgrst.plan+json; for="application/json"; charset=utf-8`)
	var plan []struct {
		Plan struct {
			NodeType string `json:"Node Type"`
			Plans    []struct {
				NodeType string `json:"Node Type"`
				Relation string `json:"Relation Name"`
				Alias    string `json:"Alias"`
			} `json:"Plans"`
		} `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(r.body), &plan); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
	if len(plan) != 1 || plan[0].Plan.NodeType != "Aggregate" || len(plan[0].Plan.Plans) != 1 ||
		plan[0].Plan.Plans[0].Relation != "films" || plan[0].Plan.Plans[0].Alias != "pgrst_0" {
		t.Fatalf("unexpected plan %s", r.body)
	}

	// Text, for the singular media type, with options.
	r = e.get("/films?select=id&id=eq.1", "Accept", `application/vnd.pgrst.plan+text; for="application/vnd.pgrst.object+json"; options=analyze|verbose`)
	if r.status != 200 || !strings.HasPrefix(r.body, "Aggregate  (cost=") || !strings.Contains(r.body, "(actual time=") ||
		!strings.Contains(r.body, "Output: ") || strings.HasSuffix(r.body, "\n") {
		t.Fatalf("%d %s", r.status, r.body)
	}
	r.expectHeader(t, "Content-Type", `application/vnd.pgrst.plan+text; for="application/vnd.pgrst.object+json"; options=analyze|verbose; charset=utf-8`)
	// A plan for a media type a read cannot produce is not available.
	r = e.get("/films?select=id", "Accept", `application/vnd.pgrst.plan; for="text/plain"`)
	r.expect(t, 406, `{"code":"PGRST107","details":null,"hint":null,"message":"None of these media types are available: application/vnd.pgrst.plan+text; for=\"text/plain\""}`)
}

func TestReadProfiles(t *testing.T) {
	e := start(t, catalogSQL(t), withEnv("PGRST_DB_SCHEMAS", "public,cat"))
	// public is the default schema; cat is chosen by Accept-Profile.
	r := e.get("/films?select=id&id=eq.1")
	r.expect(t, 404, `{"code":"PGRST205","details":null,"hint":null,"message":"Could not find the table 'public.films' in the schema cache"}`)
	r = e.get("/films?select=id&id=eq.1", "Accept-Profile", "cat")
	r.expect(t, 200, `[{"id":1}]`)
	r.expectHeader(t, "Content-Profile", "cat")
	// With several schemas, Content-Profile names the schema even without the header.
	r = e.get("/documents?select=id")
	r.expect(t, 200, `[]`)
	r.expectHeader(t, "Content-Profile", "public")
	// Content-Profile is for writes: a GET ignores it.
	r = e.get("/films?select=id&id=eq.1", "Content-Profile", "cat")
	r.expect(t, 404, `{"code":"PGRST205","details":null,"hint":null,"message":"Could not find the table 'public.films' in the schema cache"}`)
	r = e.get("/films", "Accept-Profile", "nope")
	r.expect(t, 406, `{"code":"PGRST106","details":null,"hint":"Only the following schemas are exposed: public, cat","message":"Invalid schema: nope"}`)
	r.expectHeader(t, "Content-Profile", "")
	r = e.do("HEAD", "/films?select=id", "", "Accept-Profile", "cat")
	r.expect(t, 200, "")
	r.expectHeader(t, "Content-Profile", "cat")
	// Relationships are searched within the request schema.
	r = e.get("/films?select=id,directors(name)&id=eq.1", "Accept-Profile", "cat")
	r.expect(t, 200, `[{"id":1,"directors":{"name": "Ada Lens"}}]`)
}

func TestReadAggregates(t *testing.T) {
	off := startCat(t)
	for _, p := range []string{"/films?select=count()", "/films?select=year.sum()", "/films?select=directors(count())"} {
		off.get(p).expect(t, 400, `{"code":"PGRST123","details":null,"hint":null,"message":"Use of aggregate functions is not allowed"}`)
	}
	e := startCat(t, withEnv("PGRST_DB_AGGREGATES_ENABLED", "true"))
	e.run(t, []readCase{
		{"/films?select=count()", nil, 200, `[{"count":4}]`},
		{"/films?select=n:count()::text", nil, 200, `[{"n":"4"}]`},
		{"/films?select=director_id,count()&order=director_id.nullsfirst", nil, 200, rows(
			`{"director_id":null,"count":1}`, `{"director_id":1,"count":1}`, `{"director_id":2,"count":2}`)},
		{"/films?select=director_id,total:year.sum(),year.avg()::int,year.max(),id.min(),genre.count()&director_id=eq.2", nil, 200,
			`[{"director_id":2,"total":4015,"avg":2008,"max":2010,"min":2,"count":2}]`},
		{"/films?select=year::numeric.sum()::text", nil, 200, `[{"sum":"8034"}]`},
		// grouping by a to-one embed and a to-one spread, aggregating inside embeds
		{"/films?select=directors(name),count()&director_id=eq.2", nil, 200, `[{"directors":{"name": "Bo Frame"},"count":2}]`},
		{"/films?select=...directors(name),count()&directors=not.is.null&order=directors(name)", nil, 200, rows(
			`{"name":"Ada Lens","count":1}`, `{"name":"Bo Frame","count":2}`)},
		{"/directors?select=name,films(count())&order=id", nil, 200, rows(
			`{"name":"Ada Lens","films":[{"count": 1}]}`, `{"name":"Bo Frame","films":[{"count": 2}]}`, `{"name":"Cy Cut","films":[{"count": 0}]}`)},
		{"/directors?select=name,...films(count())", nil, 400, `{"code":"PGRST127","details":"Aggregates are not implemented for one-to-many or many-to-many spreads.","hint":null,"message":"Feature not implemented"}`},
	})
}

func TestReadMaxRowsOnEveryNode(t *testing.T) {
	e := startCat(t, withEnv("PGRST_DB_MAX_ROWS", "2"))
	e.run(t, []readCase{
		{"/films?select=id&order=id", nil, 200, rows(`{"id":1}`, `{"id":2}`)},
		{"/films?select=id&order=id&limit=10", nil, 200, rows(`{"id":1}`, `{"id":2}`)},
		{"/films?select=id&order=id&limit=1", nil, 200, `[{"id":1}]`},
		{"/films?select=id&order=id&offset=3", nil, 200, `[{"id":4}]`},
		// embedded collections are capped too
		{"/actors?select=name,films(id)&films.order=id&id=eq.2", nil, 200, `[{"name":"Ben","films":[{"id": 1}, {"id": 2}]}]`},
		{"/directors?select=id,directors(id)&directors.order=id.desc&id=eq.1", nil, 200, `[{"id":1,"directors":[{"id": 3}, {"id": 2}]}]`},
	})
	r := e.get("/films?select=id&order=id", "Prefer", "count=exact")
	r.expect(t, 206, rows(`{"id":1}`, `{"id":2}`))
	r.expectHeader(t, "Content-Range", "0-1/4")
}
