package server_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
)

// The RLS proof (issue 5): on the shipped ID8COMPOSER schema, with two users, anon and
// service_role, every verb on every table and the search function. After each write the
// database itself is read (as superuser) to prove what changed and what did not.

// rlsTable describes one ID8COMPOSER table for the proof.
type rlsTable struct {
	name     string
	idA, idB string // alice's and bob's row
	insert   string // JSON members of a valid new row, without id and user_id
	patch    string // a valid PATCH body
	label    string // a text column the state dump shows
}

var rlsTables = []rlsTable{
	{"documents", "d0000000-0000-0000-0000-00000000000a", "d0000000-0000-0000-0000-00000000000b",
		`"title":"new"`, `{"title":"changed"}`, "title"},
	{"knowledge_files", "f0000000-0000-0000-0000-00000000000a", "f0000000-0000-0000-0000-00000000000b",
		`"filename":"new.txt","file_type":"txt","content":"griffin"`, `{"filename":"changed.txt"}`, "filename"},
	{"arc_sessions", "a0000000-0000-0000-0000-00000000000a", "a0000000-0000-0000-0000-00000000000b",
		`"exploration_method":"scene_structure"`, `{"exploration_method":"character_development"}`, "exploration_method"},
}

const rlsRows = `
INSERT INTO public.documents(id, title, user_id) VALUES
  ('d0000000-0000-0000-0000-00000000000a', 'alice doc', '` + alice + `'),
  ('d0000000-0000-0000-0000-00000000000b', 'bob doc', '` + bob + `');
INSERT INTO public.knowledge_files(id, filename, file_type, content, user_id) VALUES
  ('f0000000-0000-0000-0000-00000000000a', 'a.txt', 'txt', 'the dragon of alice', '` + alice + `'),
  ('f0000000-0000-0000-0000-00000000000b', 'b.txt', 'txt', 'the dragon of bob', '` + bob + `');
INSERT INTO public.arc_sessions(id, exploration_method, user_id) VALUES
  ('a0000000-0000-0000-0000-00000000000a', 'story_brainstorm', '` + alice + `'),
  ('a0000000-0000-0000-0000-00000000000b', 'story_brainstorm', '` + bob + `');`

// actor is who sends a request, with the headers supabase-js would send.
type actor struct {
	name    string
	headers []string
}

func (e *env) actors() (a, b, anon, svc actor) {
	a = actor{"alice", []string{"apikey", e.anonKey, "Authorization", "Bearer " + e.userToken(alice)}}
	b = actor{"bob", []string{"apikey", e.anonKey, "Authorization", "Bearer " + e.userToken(bob)}}
	anon = actor{"anon", []string{"apikey", e.anonKey}}
	svc = actor{"service_role", []string{"apikey", e.service}}
	return
}

func (a actor) with(h ...string) []string { return append(append([]string(nil), a.headers...), h...) }

// state is the table's content as superuser sees it: id:user:label, sorted by id.
func (e *env) state(t *testing.T, tb rlsTable) string {
	t.Helper()
	return e.scalar(t, `SELECT coalesce(string_agg(id || ':' || right(user_id::text, 1) || ':' || `+tb.label+`, ',' ORDER BY id), '') FROM public.`+tb.name)
}

// ids returns the sorted "id" members of a JSON array body.
func ids(t *testing.T, body string) []string {
	t.Helper()
	var rows []map[string]any
	if err := json.Unmarshal([]byte(body), &rows); err != nil {
		t.Fatalf("not a JSON array: %s", body)
	}
	out := []string{}
	for _, r := range rows {
		out = append(out, r["id"].(string))
	}
	sort.Strings(out)
	return out
}

func rlsError(table string, using bool) string {
	kind := ""
	if using {
		kind = " (USING expression)"
	}
	return `{"code":"42501","details":null,"hint":null,"message":"new row violates row-level security policy` + kind + ` for table \"` + table + `\""}`
}

func TestRLSProofReads(t *testing.T) {
	e := start(t, rlsRows)
	a, b, anon, svc := e.actors()
	for _, tb := range rlsTables {
		t.Run(tb.name, func(t *testing.T) {
			for _, c := range []struct {
				who    actor
				want   []string
				range_ string
			}{
				{a, []string{tb.idA}, "0-0/1"},
				{b, []string{tb.idB}, "0-0/1"},
				{anon, []string{}, "*/0"},
				{svc, []string{tb.idA, tb.idB}, "0-1/2"},
			} {
				r := e.do("GET", "/rest/v1/"+tb.name+"?select=id", "", c.who.headers...)
				if r.status != 200 || strings.Join(ids(t, r.body), ",") != strings.Join(c.want, ",") {
					t.Fatalf("%s GET: %d %s, want ids %v", c.who.name, r.status, r.body, c.want)
				}
				r = e.do("HEAD", "/rest/v1/"+tb.name+"?select=id", "", c.who.with("Prefer", "count=exact")...)
				r.expect(t, 200, "")
				r.expectHeader(t, "Content-Range", c.range_)
			}
			// Naming the other user's row, by id or by user_id, finds nothing.
			e.do("GET", "/rest/v1/"+tb.name+"?select=id&id=eq."+tb.idB, "", a.headers...).expect(t, 200, "[]")
			e.do("GET", "/rest/v1/"+tb.name+"?select=id&user_id=eq."+bob, "", a.headers...).expect(t, 200, "[]")
			e.do("GET", "/rest/v1/"+tb.name+"?select=id&or=(user_id.eq."+bob+",id.eq."+tb.idB+")", "", a.headers...).expect(t, 200, "[]")
			e.do("GET", "/rest/v1/"+tb.name+"?select=id&id=eq."+tb.idA, "", b.headers...).expect(t, 200, "[]")
			e.do("GET", "/rest/v1/"+tb.name+"?select=id&id=eq."+tb.idA, "", anon.headers...).expect(t, 200, "[]")
			e.do("GET", "/rest/v1/"+tb.name+"?select=id&id=eq."+tb.idB, "", a.with("Accept", "application/vnd.pgrst.object+json")...).
				expect(t, 406, `{"code":"PGRST116","details":"The result contains 0 rows","hint":null,"message":"Cannot coerce the result to a single JSON object"}`)
			e.do("GET", "/rest/v1/"+tb.name+"?select=id&id=eq."+tb.idB, "", svc.with("Accept", "application/vnd.pgrst.object+json")...).
				expect(t, 200, `{"id":"`+tb.idB+`"}`)
		})
	}
	// Embedding through the foreign key cannot reach the other user's document either.
	e.db.Exec(t, `UPDATE public.knowledge_files SET document_id = 'd0000000-0000-0000-0000-00000000000b' WHERE id = 'f0000000-0000-0000-0000-00000000000b'`)
	e.db.Exec(t, `INSERT INTO public.knowledge_files(id, filename, file_type, user_id, document_id) VALUES ('f0000000-0000-0000-0000-0000000000aa', 'x.txt', 'txt', '`+alice+`', 'd0000000-0000-0000-0000-00000000000b')`)
	e.do("GET", "/rest/v1/knowledge_files?select=filename,documents(title)&order=filename", "", a.headers...).
		expect(t, 200, "[{\"filename\":\"a.txt\",\"documents\":null}, \n {\"filename\":\"x.txt\",\"documents\":null}]")
	e.do("GET", "/rest/v1/documents?select=title,knowledge_files(filename)", "", b.headers...).
		expect(t, 200, `[{"title":"bob doc","knowledge_files":[{"filename": "b.txt"}]}]`)
}

func TestRLSProofInsert(t *testing.T) {
	e := start(t, rlsRows)
	a, b, anon, svc := e.actors()
	for _, tb := range rlsTables {
		t.Run(tb.name, func(t *testing.T) {
			before := e.state(t, tb)
			path := "/rest/v1/" + tb.name
			row := func(user string) string { return `{` + tb.insert + `,"user_id":"` + user + `"}` }
			e.do("POST", path, row(bob), a.headers...).expect(t, 403, rlsError(tb.name, false))
			e.do("POST", path, row(alice), b.headers...).expect(t, 403, rlsError(tb.name, false))
			e.do("POST", path, row(alice), anon.headers...).expect(t, 401, rlsError(tb.name, false))
			e.do("POST", path, `{`+tb.insert+`}`, a.headers...).expect(t, 403, rlsError(tb.name, false)) // no user_id at all
			// A bulk insert with one foreign row is refused whole.
			e.do("POST", path, `[`+row(alice)+`,`+row(bob)+`]`, a.headers...).expect(t, 403, rlsError(tb.name, false))
			// Representation or upsert do not open a way round the check.
			e.do("POST", path+"?select=id", row(bob), a.with("Prefer", "return=representation")...).expect(t, 403, rlsError(tb.name, false))
			e.do("POST", path+"?on_conflict=id", `{"id":"`+tb.idB+`",`+tb.insert+`,"user_id":"`+alice+`"}`,
				a.with("Prefer", "resolution=merge-duplicates")...).expect(t, 403, rlsError(tb.name, true))
			e.do("POST", path+"?on_conflict=id", `{"id":"`+tb.idB+`",`+tb.insert+`,"user_id":"`+alice+`"}`,
				a.with("Prefer", "resolution=ignore-duplicates")...).expect(t, 201, "")
			if got := e.state(t, tb); got != before {
				t.Fatalf("refused inserts changed the table:\n%s\nwas\n%s", got, before)
			}
			// One's own row goes in, and only its owner sees it.
			r := e.do("POST", path+"?select=user_id", row(alice), a.with("Prefer", "return=representation")...)
			r.expect(t, 201, `[{"user_id":"`+alice+`"}]`)
			e.do("POST", path, row(bob), svc.headers...).expect(t, 201, "")
			if n := e.scalar(t, `SELECT count(*)::text FROM public.`+tb.name+` WHERE user_id = $1`, alice); n != "2" {
				t.Fatalf("alice has %s rows, want 2", n)
			}
			if n := e.scalar(t, `SELECT count(*)::text FROM public.`+tb.name+` WHERE user_id = $1`, bob); n != "2" {
				t.Fatalf("bob has %s rows, want 2", n)
			}
			r = e.do("GET", path+"?select=user_id", "", b.headers...)
			if r.status != 200 || strings.Contains(r.body, alice) || strings.Count(r.body, bob) != 2 {
				t.Fatalf("bob's view after the inserts: %d %s", r.status, r.body)
			}
		})
	}
}

func TestRLSProofUpdate(t *testing.T) {
	e := start(t, rlsRows)
	a, b, anon, svc := e.actors()
	for _, tb := range rlsTables {
		t.Run(tb.name, func(t *testing.T) {
			path := "/rest/v1/" + tb.name
			before := e.state(t, tb)
			e.do("PATCH", path+"?id=eq."+tb.idB, tb.patch, a.headers...).expect(t, 204, "")
			e.do("PATCH", path+"?id=eq."+tb.idB+"&select=id", tb.patch, a.with("Prefer", "return=representation")...).expect(t, 200, "[]")
			e.do("PATCH", path+"?id=eq."+tb.idA, tb.patch, b.headers...).expect(t, 204, "")
			e.do("PATCH", path, tb.patch, anon.headers...).expect(t, 204, "")
			// Giving one's own row away is refused by WITH CHECK.
			e.do("PATCH", path+"?id=eq."+tb.idA, `{"user_id":"`+bob+`"}`, a.headers...).expect(t, 403, rlsError(tb.name, false))
			// A singular PATCH of a row one cannot see matches nothing.
			e.do("PATCH", path+"?id=eq."+tb.idB, tb.patch, a.with("Accept", "application/vnd.pgrst.object+json")...).
				expect(t, 406, `{"code":"PGRST116","details":"The result contains 0 rows","hint":null,"message":"Cannot coerce the result to a single JSON object"}`)
			if got := e.state(t, tb); got != before {
				t.Fatalf("refused updates changed the table:\n%s\nwas\n%s", got, before)
			}
			// An unfiltered PATCH by alice changes her row only.
			r := e.do("PATCH", path+"?select=id", tb.patch, a.with("Prefer", "return=representation")...)
			r.expect(t, 200, `[{"id":"`+tb.idA+`"}]`)
			want := strings.Replace(before, tb.idA+":a:"+labelOf(before, tb.idA), tb.idA+":a:"+patchValue(tb.patch), 1)
			if got := e.state(t, tb); got != want {
				t.Fatalf("after alice's PATCH:\n%s\nwant\n%s", got, want)
			}
			// The service role changes bob's.
			e.do("PATCH", path+"?id=eq."+tb.idB, tb.patch, svc.headers...).expect(t, 204, "")
			want = strings.Replace(want, tb.idB+":b:"+labelOf(before, tb.idB), tb.idB+":b:"+patchValue(tb.patch), 1)
			if got := e.state(t, tb); got != want {
				t.Fatalf("after the service role's PATCH:\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// labelOf finds the label of id in a state dump.
func labelOf(state, id string) string {
	for _, part := range strings.Split(state, ",") {
		if strings.HasPrefix(part, id+":") {
			return part[len(id)+3:]
		}
	}
	return ""
}

// patchValue is the single value of a one-member JSON object.
func patchValue(body string) string {
	var m map[string]string
	_ = json.Unmarshal([]byte(body), &m)
	for _, v := range m {
		return v
	}
	return ""
}

func TestRLSProofPut(t *testing.T) {
	e := start(t, rlsRows)
	a, b, anon, svc := e.actors()
	for _, tb := range rlsTables {
		t.Run(tb.name, func(t *testing.T) {
			path := "/rest/v1/" + tb.name
			full := func(id, user string) string { return `{"id":"` + id + `",` + tb.insert + `,"user_id":"` + user + `"}` }
			before := e.state(t, tb)
			// Overwriting bob's row, claiming it or not, is refused.
			e.do("PUT", path+"?id=eq."+tb.idB, full(tb.idB, alice), a.headers...).expect(t, 403, rlsError(tb.name, true))
			e.do("PUT", path+"?id=eq."+tb.idB, full(tb.idB, bob), a.headers...).expect(t, 403, rlsError(tb.name, false))
			e.do("PUT", path+"?id=eq."+tb.idA, full(tb.idA, alice), anon.headers...).expect(t, 401, rlsError(tb.name, false))
			// Creating a new row for bob, or giving one's own away, is refused.
			const fresh = "e0000000-0000-0000-0000-000000000001"
			e.do("PUT", path+"?id=eq."+fresh, full(fresh, bob), a.headers...).expect(t, 403, rlsError(tb.name, false))
			e.do("PUT", path+"?id=eq."+tb.idA, full(tb.idA, bob), a.headers...).expect(t, 403, rlsError(tb.name, false))
			if got := e.state(t, tb); got != before {
				t.Fatalf("refused PUTs changed the table:\n%s\nwas\n%s", got, before)
			}
			// One's own: replaced in place.
			e.do("PUT", path+"?id=eq."+tb.idA, full(tb.idA, alice), a.headers...).expect(t, 204, "")
			e.do("PUT", path+"?id=eq."+fresh, full(fresh, bob), b.headers...).expect(t, 204, "")
			e.do("PUT", path+"?id=eq."+tb.idB, full(tb.idB, bob), svc.headers...).expect(t, 204, "")
			if n := e.scalar(t, `SELECT string_agg(right(id::text, 2) || right(user_id::text, 1), ',' ORDER BY id) FROM public.`+tb.name); n != "0aa,0bb,01b" && n != "01b,0aa,0bb" {
				t.Fatalf("after the PUTs: %s", n)
			}
		})
	}
}

func TestRLSProofDelete(t *testing.T) {
	e := start(t, rlsRows)
	a, b, anon, svc := e.actors()
	for _, tb := range []rlsTable{rlsTables[2], rlsTables[1], rlsTables[0]} { // children first: files reference documents
		t.Run(tb.name, func(t *testing.T) {
			path := "/rest/v1/" + tb.name
			before := e.state(t, tb)
			e.do("DELETE", path+"?id=eq."+tb.idB, "", a.headers...).expect(t, 204, "")
			e.do("DELETE", path+"?id=eq."+tb.idB+"&select=id", "", a.with("Prefer", "return=representation")...).expect(t, 200, "[]")
			e.do("DELETE", path+"?user_id=eq."+bob, "", a.headers...).expect(t, 204, "")
			e.do("DELETE", path, "", anon.headers...).expect(t, 204, "")
			e.do("DELETE", path+"?id=eq."+tb.idA, "", b.with("Prefer", "count=exact")...).expect(t, 204, "")
			if got := e.state(t, tb); got != before {
				t.Fatalf("refused deletes changed the table:\n%s\nwas\n%s", got, before)
			}
			// An unfiltered DELETE by alice removes her row only.
			e.do("DELETE", path+"?select=id", "", a.with("Prefer", "return=representation")...).expect(t, 200, `[{"id":"`+tb.idA+`"}]`)
			if got, want := e.state(t, tb), tb.idB+":b:"+labelOf(before, tb.idB); got != want {
				t.Fatalf("after alice's DELETE: %s, want %s", got, want)
			}
			e.do("DELETE", path+"?id=eq."+tb.idB, "", svc.headers...).expect(t, 204, "")
			if got := e.state(t, tb); got != "" {
				t.Fatalf("after the service role's DELETE: %s", got)
			}
		})
	}
}

func TestRLSProofSearchFunction(t *testing.T) {
	e := start(t, rlsRows)
	a, b, anon, svc := e.actors()
	const fn = "/rest/v1/rpc/search_knowledge_files"
	aliceFile := `[{"filename":"a.txt"}]`
	bobFile := `[{"filename":"b.txt"}]`
	for _, c := range []struct {
		who        actor
		user, want string
	}{
		{a, alice, aliceFile}, {a, bob, "[]"},
		{b, bob, bobFile}, {b, alice, "[]"},
		{anon, alice, "[]"}, {anon, bob, "[]"},
		{svc, alice, aliceFile}, {svc, bob, bobFile},
	} {
		body := `{"search_query":"dragon","user_uuid":"` + c.user + `"}`
		e.do("POST", fn+"?select=filename", body, c.who.headers...).expect(t, 200, c.want)
		q := "?select=filename&search_query=dragon&user_uuid=" + c.user
		e.do("GET", fn+q, "", c.who.headers...).expect(t, 200, c.want)
		r := e.do("HEAD", fn+q, "", c.who.with("Prefer", "count=exact")...)
		r.expect(t, 200, "")
		if c.want == "[]" {
			r.expectHeader(t, "Content-Range", "*/0")
		} else {
			r.expectHeader(t, "Content-Range", "0-0/1")
		}
	}
	// The function reads nothing past RLS even when asked for a missing uuid.
	e.do("POST", fn, `{"search_query":"dragon","user_uuid":null}`, a.headers...).expect(t, 200, "[]")
}
