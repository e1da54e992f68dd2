package server_test

import (
	"net/http"
	"testing"
)

const twoDocuments = `INSERT INTO documents(id, title, user_id, created_at) VALUES
	('d0000000-0000-0000-0000-00000000000a', 'Alice draft', '` + alice + `', '2026-01-01T00:00:00Z'),
	('d0000000-0000-0000-0000-00000000000b', 'Bob draft', '` + bob + `', '2026-01-02T00:00:00Z')`

func TestAnonReadsNothingThroughRLS(t *testing.T) {
	e := start(t, twoDocuments)
	for _, path := range []string{"/documents", "/rest/v1/documents"} {
		r := e.do("GET", path, "", "apikey", e.anonKey, "Authorization", "Bearer "+e.anonKey)
		r.expect(t, 200, "[]")
		r.expectHeader(t, "Content-Type", "application/json; charset=utf-8")
		r.expectHeader(t, "Content-Range", "*/*")
	}
	// No token at all: the anonymous role too.
	e.do("GET", "/rest/v1/documents", "").expect(t, 200, "[]")
}

func TestUserReadsOnlyOwnRows(t *testing.T) {
	e := start(t, twoDocuments)
	r := e.do("GET", "/rest/v1/documents?select=id,title", "", "apikey", e.anonKey, "Authorization", "Bearer "+e.userToken(alice))
	r.expect(t, 200, `[{"id":"d0000000-0000-0000-0000-00000000000a","title":"Alice draft"}]`)
	r.expectHeader(t, "Content-Range", "0-0/*")
	r = e.do("GET", "/documents?select=title", "", "Authorization", "Bearer "+e.userToken(bob))
	r.expect(t, 200, `[{"title":"Bob draft"}]`)
	r = e.do("GET", "/documents?select=title&order=created_at", "", "Authorization", "Bearer "+e.service)
	r.expect(t, 200, "[{\"title\":\"Alice draft\"}, \n {\"title\":\"Bob draft\"}]")
}

func TestUnknownTable(t *testing.T) {
	e := start(t, "")
	r := e.do("GET", "/rest/v1/documentz", "")
	r.expect(t, 404, `{"code":"PGRST205","details":null,"hint":"Perhaps you meant the table 'public.documents'","message":"Could not find the table 'public.documentz' in the schema cache"}`)
	r.expectHeader(t, "Proxy-Status", "PostgREST; error=PGRST205")
}

func TestLiveAndReady(t *testing.T) {
	e := start(t, "")
	for _, p := range []string{"/live", "/ready"} {
		res, err := http.Get(e.admin + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", p, res.StatusCode)
		}
	}
}
