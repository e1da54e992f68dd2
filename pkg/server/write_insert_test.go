package server_test

import (
	"testing"
)

func TestInsertMinimal(t *testing.T) {
	e := start(t, writeFixtures)
	r := e.do("POST", "/items", `{"id":100,"name":"new"}`, e.svc()...)
	r.expect(t, 201, "")
	r.expectHeader(t, "Content-Length", "0")
	r.expectHeader(t, "Content-Type", "")
	r.expectHeader(t, "Content-Range", "*/*")
	r.expectHeader(t, "Location", "")
	r.expectHeader(t, "Preference-Applied", "")
	if got := e.scalar(t, `SELECT row_to_json(i)::text FROM items i WHERE id = 100`); got != `{"id":100,"name":"new","qty":5,"note":"n/a"}` {
		t.Fatalf("row: %s", got)
	}
}

func TestInsertRepresentationWithEmbedAndCount(t *testing.T) {
	e := start(t, writeFixtures)
	r := e.do("POST", "/projects?select=id,name,clients(id,name)", `{"id":6,"name":"New Project","client_id":2}`,
		e.svcWith("Prefer", "return=representation", "Prefer", "count=exact")...)
	r.expect(t, 201, `[{"id":6,"name":"New Project","clients":{"id": 2, "name": "Apple"}}]`)
	r.expectHeader(t, "Content-Range", "*/1")
	r.expectHeader(t, "Content-Type", "application/json; charset=utf-8")
	r.expectHeader(t, "Preference-Applied", "return=representation, count=exact")
	r.expectHeader(t, "Location", "")
	r.expectHeader(t, "Content-Length", "68")
}
