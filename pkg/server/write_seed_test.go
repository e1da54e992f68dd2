package server_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

const aliceDoc = "d0000000-0000-0000-0000-00000000000a"

// send is do without the testing.T, for goroutines.
func (e *env) send(method, path, body string, headers ...string) (reply, error) {
	req, err := http.NewRequest(method, e.base+path, strings.NewReader(body))
	if err != nil {
		return reply{}, err
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return reply{status: res.StatusCode, header: res.Header, body: string(b)}, err
}

// autoSave is the seed's .update({content, auto_save_version: v+1, updated_at}).eq('id').eq('user_id').eq('auto_save_version', v).select().single().
func autoSavePath(v int) string {
	return fmt.Sprintf("/rest/v1/documents?id=eq.%s&user_id=eq.%s&auto_save_version=eq.%d&select=*", aliceDoc, alice, v)
}

func autoSaveBody(v int, text string) string {
	return fmt.Sprintf(`{"content":{"type":"doc","text":%q},"auto_save_version":%d,"updated_at":"2026-03-01T10:00:00.000Z"}`, text, v+1)
}

func (e *env) aliceHeaders() []string {
	return []string{"apikey", e.anonKey, "Authorization", "Bearer " + e.userToken(alice), "Content-Type", "application/json",
		"Prefer", "return=representation", "Accept", "application/vnd.pgrst.object+json"}
}

// An auto-save, saved or refused as stale, is one round trip to PostgreSQL: the statement
// checks its own row count and fails (rolling back) when it is not one.
func TestAutoSaveConflict(t *testing.T) {
	e := start(t, twoDocuments)
	before := e.runner.RoundTrips()
	r := e.do("PATCH", autoSavePath(1), autoSaveBody(1, "first"), e.aliceHeaders()...)
	if n := e.runner.RoundTrips() - before; n != 1 {
		t.Fatalf("the auto-save took %d round trips, want 1", n)
	}
	want := e.scalar(t, `SELECT row_to_json(d)::text FROM documents d WHERE id = $1`, aliceDoc)
	r.expect(t, 200, want)
	r.expectHeader(t, "Content-Type", "application/vnd.pgrst.object+json; charset=utf-8")
	r.expectHeader(t, "Content-Range", "0-0/*")
	if got := e.scalar(t, `SELECT auto_save_version || ' ' || (content->>'text') || ' ' || word_count FROM documents WHERE id = $1`, aliceDoc); got != "2 first 6" {
		t.Fatalf("row: %s", got)
	}
	// A stale version: 406, and the row stays as it was.
	before = e.runner.RoundTrips()
	r = e.do("PATCH", autoSavePath(1), autoSaveBody(1, "stale"), e.aliceHeaders()...)
	r.expect(t, 406, `{"code":"PGRST116","details":"The result contains 0 rows","hint":null,"message":"Cannot coerce the result to a single JSON object"}`)
	if n := e.runner.RoundTrips() - before; n != 1 {
		t.Fatalf("the stale auto-save took %d round trips, want 1", n)
	}
	if got := e.scalar(t, `SELECT row_to_json(d)::text FROM documents d WHERE id = $1`, aliceDoc); got != want {
		t.Fatalf("row changed:\n%s\n%s", got, want)
	}
	// Bob cannot save Alice's document, even with the right version (RLS hides it).
	bobHeaders := append([]string{}, e.aliceHeaders()...)
	bobHeaders[3] = "Bearer " + e.userToken(bob)
	r = e.do("PATCH", autoSavePath(2), autoSaveBody(2, "bob"), bobHeaders...)
	r.expect(t, 406, `{"code":"PGRST116","details":"The result contains 0 rows","hint":null,"message":"Cannot coerce the result to a single JSON object"}`)
	if got := e.scalar(t, `SELECT auto_save_version::text FROM documents WHERE id = $1`, aliceDoc); got != "2" {
		t.Fatalf("version: %s", got)
	}
}

func TestAutoSaveConcurrentExactlyOneWins(t *testing.T) {
	e := start(t, twoDocuments)
	const n = 8
	replies := make([]reply, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	startGate := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-startGate
			replies[i], errs[i] = e.send("PATCH", autoSavePath(1), autoSaveBody(1, fmt.Sprintf("writer %d", i)), e.aliceHeaders()...)
		}(i)
	}
	close(startGate)
	wg.Wait()
	winner := -1
	for i := 0; i < n; i++ {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		switch replies[i].status {
		case 200:
			if winner >= 0 {
				t.Fatalf("writers %d and %d both won", winner, i)
			}
			winner = i
		case 406:
			if replies[i].body != `{"code":"PGRST116","details":"The result contains 0 rows","hint":null,"message":"Cannot coerce the result to a single JSON object"}` {
				t.Fatalf("loser %d: %s", i, replies[i].body)
			}
		default:
			t.Fatalf("writer %d: %d %s", i, replies[i].status, replies[i].body)
		}
	}
	if winner < 0 {
		t.Fatal("nobody won")
	}
	want := fmt.Sprintf("2 writer %d", winner)
	if got := e.scalar(t, `SELECT auto_save_version || ' ' || (content->>'text') FROM documents WHERE id = $1`, aliceDoc); got != want {
		t.Fatalf("row: %s, want %s", got, want)
	}
	if got := e.scalar(t, `SELECT row_to_json(d)::text FROM documents d WHERE id = $1`, aliceDoc); got != replies[winner].body {
		t.Fatalf("winner's representation %s differs from the row %s", replies[winner].body, got)
	}
}

func TestSeedInsertDocument(t *testing.T) {
	e := start(t, "")
	h := []string{"apikey", e.anonKey, "Authorization", "Bearer " + e.userToken(alice), "Content-Type", "application/json",
		"Prefer", "return=representation", "Accept", "application/vnd.pgrst.object+json"}
	body := `{"title":"Untitled","content":{"type":"doc","content":[]},"user_id":"` + alice + `","document_type":"script"}`
	r := e.do("POST", "/rest/v1/documents?select=id,title,created_at", body, h...)
	want := e.scalar(t, `SELECT row_to_json(x)::text FROM (SELECT id, title, created_at FROM documents) x`)
	r.expect(t, 201, want)
	r.expectHeader(t, "Content-Type", "application/vnd.pgrst.object+json; charset=utf-8")
	r.expectHeader(t, "Content-Range", "*/*")
	r.expectHeader(t, "Location", "")

	// Another user's user_id: RLS refuses (403 for a signed-in user), nothing is written.
	body = `{"title":"Forged","user_id":"` + bob + `"}`
	r = e.do("POST", "/rest/v1/documents", body, "Authorization", "Bearer "+e.userToken(alice))
	r.expect(t, 403, `{"code":"42501","details":null,"hint":null,"message":"new row violates row-level security policy for table \"documents\""}`)
	r.expectHeader(t, "WWW-Authenticate", "")
	// Anonymous: 401 with WWW-Authenticate.
	r = e.do("POST", "/rest/v1/documents", body, "apikey", e.anonKey)
	if r.status != 401 || r.header.Get("WWW-Authenticate") != "Bearer" {
		t.Fatalf("anon: %d %v %s", r.status, r.header, r.body)
	}
	// The generated word_count cannot be written.
	r = e.do("POST", "/rest/v1/documents", `{"title":"t","user_id":"`+alice+`","word_count":3}`, "Authorization", "Bearer "+e.userToken(alice))
	r.expect(t, 400, `{"code":"428C9","details":"Column \"word_count\" is a generated column.","hint":null,"message":"cannot insert a non-DEFAULT value into column \"word_count\""}`)
	// A title over 200 characters violates the check constraint.
	r = e.do("POST", "/rest/v1/documents", `{"title":"`+strings.Repeat("t", 201)+`","user_id":"`+alice+`"}`, "Authorization", "Bearer "+e.userToken(alice))
	if r.status != 400 || !strings.Contains(r.body, `"code":"23514"`) || !strings.Contains(r.body, `documents_title_length`) {
		t.Fatalf("check: %d %s", r.status, r.body)
	}
	// The service role bypasses RLS.
	r = e.do("POST", "/rest/v1/documents?select=title", body, "Authorization", "Bearer "+e.service, "Prefer", "return=representation")
	r.expect(t, 201, `[{"title":"Forged"}]`)
	if got := e.scalar(t, `SELECT string_agg(title || '/' || (user_id = $1)::text, ',' ORDER BY title) FROM documents`, alice); got != "Forged/false,Untitled/true" {
		t.Fatalf("documents: %s", got)
	}
}
