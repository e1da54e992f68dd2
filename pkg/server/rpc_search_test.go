package server_test

import (
	"os"
	"testing"
)

// knowledgeFiles: three files of alice's (two mention dragons, one twice) and one of bob's.
const knowledgeFiles = `INSERT INTO public.knowledge_files(id, filename, file_type, content, user_id) VALUES
	('f0000000-0000-0000-0000-000000000001', 'lair.txt', 'txt', 'The dragon guards the castle. The dragon sleeps on gold.', '` + alice + `'),
	('f0000000-0000-0000-0000-000000000002', 'coast.txt', 'txt', 'A castle by the sea, where a dragon was once seen among a great many other things.', '` + alice + `'),
	('f0000000-0000-0000-0000-000000000003', 'budget.pdf', 'pdf', 'Quarterly budget notes.', '` + alice + `'),
	('f0000000-0000-0000-0000-000000000004', 'bob.txt', 'txt', 'Bob also writes about a dragon.', '` + bob + `')`

// expectedSearch is the body the search should give: the same ranking, computed by
// PostgreSQL directly.
func expectedSearch(t *testing.T, e *env, query, user string) string {
	t.Helper()
	var body string
	e.db.QueryRow(t, `SELECT coalesce(json_agg(r), '[]')::text FROM (
		SELECT kf.id, kf.filename, substring(kf.content, 1, 200) AS content,
		       ts_rank(kf.content_vector, plainto_tsquery('english', $1)) AS relevance
		FROM public.knowledge_files kf
		WHERE kf.user_id = $2 AND kf.content_vector @@ plainto_tsquery('english', $1)
		ORDER BY relevance DESC LIMIT 10) r`, []any{&body}, query, user)
	return body
}

func TestSearchKnowledgeFilesShipped(t *testing.T) {
	e := start(t, knowledgeFiles)
	aliceAuth := []string{"apikey", e.anonKey, "Authorization", "Bearer " + e.userToken(alice), "Content-Type", "application/json"}
	want := expectedSearch(t, e, "dragon", alice)
	if want == "[]" {
		t.Fatal("fixture gives no rows")
	}
	// supabase-js: .rpc('search_knowledge_files', {search_query, user_uuid}).
	r := e.do("POST", "/rest/v1/rpc/search_knowledge_files", `{"search_query":"dragon","user_uuid":"`+alice+`"}`, aliceAuth...)
	r.expect(t, 200, want)
	r.expectHeader(t, "Content-Range", "0-1/*")
	r.expectHeader(t, "Content-Type", "application/json; charset=utf-8")
	// The ranking puts the file with two mentions first.
	r = e.do("POST", "/rest/v1/rpc/search_knowledge_files?select=filename", `{"search_query":"dragon","user_uuid":"`+alice+`"}`, aliceAuth...)
	r.expect(t, 200, "[{\"filename\":\"lair.txt\"}, \n {\"filename\":\"coast.txt\"}]")
	// Another user's uuid gives nothing (the shipped function checks auth.uid()).
	r = e.do("POST", "/rest/v1/rpc/search_knowledge_files", `{"search_query":"dragon","user_uuid":"`+bob+`"}`, aliceAuth...)
	r.expect(t, 200, "[]")
	r.expectHeader(t, "Content-Range", "*/*")
	// Anonymous: nothing either.
	r = e.do("POST", "/rest/v1/rpc/search_knowledge_files", `{"search_query":"dragon","user_uuid":"`+alice+`"}`, "apikey", e.anonKey)
	r.expect(t, 200, "[]")
	// The service role may search for anyone.
	r = e.do("POST", "/rest/v1/rpc/search_knowledge_files", `{"search_query":"dragon","user_uuid":"`+bob+`"}`, "Authorization", "Bearer "+e.service)
	r.expect(t, 200, expectedSearch(t, e, "dragon", bob))
	// {get: true} and {head: true, count: 'exact'}.
	q := "?search_query=dragon&user_uuid=" + alice
	r = e.do("GET", "/rest/v1/rpc/search_knowledge_files"+q, "", aliceAuth[:4]...)
	r.expect(t, 200, want)
	r = e.do("HEAD", "/rest/v1/rpc/search_knowledge_files"+q, "", append(aliceAuth[:4:4], "Prefer", "count=exact")...)
	r.expect(t, 200, "")
	r.expectHeader(t, "Content-Range", "0-1/2")
	r.expectHeader(t, "Preference-Applied", "count=exact")
	// Filters and paging on the results.
	r = e.do("GET", "/rest/v1/rpc/search_knowledge_files"+q+"&select=filename&filename=like.*coast*", "", aliceAuth[:4]...)
	r.expect(t, 200, `[{"filename":"coast.txt"}]`)
	r = e.do("GET", "/rest/v1/rpc/search_knowledge_files"+q+"&select=filename&limit=1&offset=1", "", append(aliceAuth[:4:4], "Prefer", "count=exact")...)
	r.expect(t, 206, `[{"filename":"coast.txt"}]`)
	r.expectHeader(t, "Content-Range", "1-1/2")
	// A wrong argument name: PGRST202 with the fix.
	r = e.do("POST", "/rest/v1/rpc/search_knowledge_files", `{"query":"dragon","user_uuid":"`+alice+`"}`, aliceAuth...)
	r.expect(t, 404, `{"code":"PGRST202","details":"Searched for the function public.search_knowledge_files with parameters query, user_uuid or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.","hint":"Perhaps you meant to call the function public.search_knowledge_files(search_query, user_uuid)","message":"Could not find the function public.search_knowledge_files(query, user_uuid) in the schema cache"}`)
	// A malformed uuid is PostgreSQL's 22P02.
	r = e.do("POST", "/rest/v1/rpc/search_knowledge_files", `{"search_query":"dragon","user_uuid":"nope"}`, aliceAuth...)
	r.expect(t, 400, `{"code":"22P02","details":null,"hint":null,"message":"invalid input syntax for type uuid: \"nope\""}`)
}

// The seed's original definition (testdata/seed/05_search_function.sql), loaded unchanged
// over the shipped one: it trusts user_uuid, so it answers for any user.
func TestSearchKnowledgeFilesSeedOriginal(t *testing.T) {
	seed, err := os.ReadFile("../../testdata/seed/05_search_function.sql")
	if err != nil {
		t.Fatal(err)
	}
	e := start(t, knowledgeFiles+";\n"+string(seed))
	auth := []string{"apikey", e.anonKey, "Authorization", "Bearer " + e.userToken(alice), "Content-Type", "application/json"}
	r := e.do("POST", "/rest/v1/rpc/search_knowledge_files", `{"search_query":"dragon","user_uuid":"`+alice+`"}`, auth...)
	r.expect(t, 200, expectedSearch(t, e, "dragon", alice))
	bobs := expectedSearch(t, e, "dragon", bob)
	if bobs == "[]" {
		t.Fatal("fixture gives bob no rows")
	}
	r = e.do("POST", "/rest/v1/rpc/search_knowledge_files", `{"search_query":"dragon","user_uuid":"`+bob+`"}`, auth...)
	r.expect(t, 200, bobs)
	r = e.do("POST", "/rest/v1/rpc/search_knowledge_files?select=filename", `{"search_query":"castle dragon","user_uuid":"`+alice+`"}`, auth...)
	r.expect(t, 200, "[{\"filename\":\"lair.txt\"}, \n {\"filename\":\"coast.txt\"}]")
	// The original is VOLATILE: GET runs it read-only, which it tolerates (it only reads).
	r = e.do("GET", "/rest/v1/rpc/search_knowledge_files?search_query=dragon&user_uuid="+alice, "", auth[:4]...)
	r.expect(t, 200, expectedSearch(t, e, "dragon", alice))
	r = e.do("HEAD", "/rest/v1/rpc/search_knowledge_files?search_query=nothing+matches&user_uuid="+alice, "", append(auth[:4:4], "Prefer", "count=exact")...)
	r.expect(t, 200, "")
	r.expectHeader(t, "Content-Range", "*/0")
}
