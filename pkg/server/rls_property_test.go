package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// RLS under randomness (issue 9). Workers for three users, the service role (acting for a
// fourth user, dave, who has no worker of his own) and anon send random reads and writes
// through every endpoint at the same time. Each worker keeps a model of the rows it owns;
// every answer is checked against the model as it goes, and at the end the database must
// hold exactly the union of the models: every acknowledged write present, every refused
// one absent, no row crossed users.
//
// ROCKSTEADY_PROPERTY_SEED and ROCKSTEADY_PROPERTY_OPS change the seed and the number of
// operations (make verify runs more).

const (
	carol = "00000000-0000-0000-0000-00000000000c"
	dave  = "00000000-0000-0000-0000-00000000000d"
)

type propTable struct {
	name, label string
	labels      func(*rand.Rand) string
	extra       string // JSON members every new row needs besides id, label and user_id
}

var propTables = []propTable{
	{"documents", "title", func(r *rand.Rand) string { return "t" + strconv.Itoa(r.IntN(100000)) }, ""},
	{"knowledge_files", "filename", func(r *rand.Rand) string { return "f" + strconv.Itoa(r.IntN(100000)) + ".txt" },
		`,"file_type":"txt","content":"notes about a dragon"`},
	{"arc_sessions", "exploration_method", func(r *rand.Rand) string {
		return []string{"story_brainstorm", "character_development", "scene_structure"}[r.IntN(3)]
	}, ""},
}

// propWorker is one actor with its own PRNG and model.
type propWorker struct {
	e       *env
	name    string
	user    string   // whose rows it writes ("" for anon)
	headers []string // credentials
	service bool
	rng     *rand.Rand
	model   map[string]map[string]string // table → id → label
	reg     *idRegistry
	client  *http.Client
	ops     map[string]int
	fails   []string
}

// idRegistry records every id ever created, with its owner, so workers can aim at other
// users' rows (ids are never reused).
type idRegistry struct {
	mu  sync.Mutex
	ids map[string][]string // table → ids
	own map[string]string   // id → user
}

func (g *idRegistry) add(table, id, user string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.ids[table] = append(g.ids[table], id)
	g.own[id] = user
}

// foreign picks an id created by someone other than user, or a fresh uuid.
func (g *idRegistry) foreign(r *rand.Rand, table, user string) (string, string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	ids := g.ids[table]
	for try := 0; try < 8 && len(ids) > 0; try++ {
		id := ids[r.IntN(len(ids))]
		if g.own[id] != user {
			return id, g.own[id]
		}
	}
	return newID(r), ""
}

func newID(r *rand.Rand) string {
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", r.Uint32(), r.Uint32()&0xffff, r.Uint32()&0xfff, r.Uint32()&0xfff, r.Uint64()&0xffffffffffff)
}

func (w *propWorker) fail(format string, args ...any) {
	w.fails = append(w.fails, w.name+": "+fmt.Sprintf(format, args...))
}

func (w *propWorker) send(method, path, body string, headers ...string) (int, string, http.Header) {
	prefix := ""
	if w.rng.IntN(2) == 0 {
		prefix = "/rest/v1"
	}
	req, err := http.NewRequest(method, w.e.base+prefix+path, strings.NewReader(body))
	if err != nil {
		w.fail("%v", err)
		return 0, "", nil
	}
	h := append(append([]string(nil), w.headers...), headers...)
	for i := 0; i+1 < len(h); i += 2 {
		req.Header.Add(h[i], h[i+1])
	}
	res, err := w.client.Do(req)
	if err != nil {
		w.fail("%s %s: %v", method, path, err)
		return 0, "", nil
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

func (w *propWorker) expect(op string, status int, body string, wantStatus int, wantBody string) {
	w.ops[op]++
	if status != wantStatus || (wantBody != "*" && body != wantBody) {
		w.fail("%s: got %d %s, want %d %s", op, status, body, wantStatus, wantBody)
	}
}

func (w *propWorker) row(tb propTable, id, label, user string) string {
	return `{"id":"` + id + `","` + tb.label + `":"` + label + `"` + tb.extra + `,"user_id":"` + user + `"}`
}

func (w *propWorker) own(tb propTable) []string {
	ids := make([]string, 0, len(w.model[tb.name]))
	for id := range w.model[tb.name] {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// pickOwn returns one of the worker's ids, or a fresh one when it owns none.
func (w *propWorker) pickOwn(tb propTable) (string, bool) {
	ids := w.own(tb)
	if len(ids) == 0 {
		return newID(w.rng), false
	}
	return ids[w.rng.IntN(len(ids))], true
}

func (w *propWorker) other() string {
	for {
		u := []string{alice, bob, carol, dave}[w.rng.IntN(4)]
		if u != w.user {
			return u
		}
	}
}

// refused is the status a refused write gets: 401 for anon, else 403.
func (w *propWorker) refused() int {
	if w.user == "" {
		return 401
	}
	return 403
}

func (w *propWorker) step() {
	tb := propTables[w.rng.IntN(len(propTables))]
	path := "/" + tb.name
	if w.user == "" {
		w.anonStep(tb, path)
		return
	}
	// The service role bypasses RLS, so it always names dave's rows explicitly.
	scope := ""
	if w.service {
		scope = "&user_id=eq." + dave
	}
	label := tb.labels(w.rng)
	switch op := w.rng.IntN(16); op {
	case 0, 1: // insert one's own row, minimal or with representation
		id := newID(w.rng)
		if w.rng.IntN(2) == 0 {
			s, b, _ := w.send("POST", path+"?select=id", w.row(tb, id, label, w.user), "Prefer", "return=representation")
			w.expect("insert-representation", s, b, 201, `[{"id":"`+id+`"}]`)
		} else {
			s, b, _ := w.send("POST", path, w.row(tb, id, label, w.user))
			w.expect("insert", s, b, 201, "")
		}
		w.model[tb.name][id] = label
		w.reg.add(tb.name, id, w.user)
	case 2: // bulk insert of own rows
		n := 1 + w.rng.IntN(3)
		var rows []string
		var newIDs []string
		for i := 0; i < n; i++ {
			id := newID(w.rng)
			newIDs = append(newIDs, id)
			rows = append(rows, w.row(tb, id, label, w.user))
		}
		s, b, _ := w.send("POST", path, "["+strings.Join(rows, ",")+"]")
		w.expect("bulk-insert", s, b, 201, "")
		for _, id := range newIDs {
			w.model[tb.name][id] = label
			w.reg.add(tb.name, id, w.user)
		}
	case 3: // insert claiming another user, alone or in a bulk with an own row
		body := w.row(tb, newID(w.rng), label, w.other())
		if w.rng.IntN(2) == 0 {
			body = "[" + w.row(tb, newID(w.rng), label, w.user) + "," + body + "]"
		}
		if w.service { // the service role may write for anyone; it would disturb their models
			return
		}
		s, b, _ := w.send("POST", path, body)
		w.expect("insert-for-other", s, b, 403, rlsError(tb.name, false))
	case 4: // upsert of one's own row (update when it exists)
		id, exists := w.pickOwn(tb)
		s, b, _ := w.send("POST", path+"?on_conflict=id", w.row(tb, id, label, w.user), "Prefer", "resolution=merge-duplicates")
		w.expect("upsert-own", s, b, map[bool]int{true: 200, false: 201}[exists], "")
		w.model[tb.name][id] = label
		if !exists {
			w.reg.add(tb.name, id, w.user)
		}
	case 5: // upsert aimed at another user's row
		if w.service {
			return
		}
		id, owner := w.reg.foreign(w.rng, tb.name, w.user)
		if owner == "" {
			owner = w.other()
		}
		s, b, _ := w.send("POST", path+"?on_conflict=id", w.row(tb, id, label, owner), "Prefer", "resolution=merge-duplicates")
		w.ops["upsert-other"]++
		if s != 403 || !strings.Contains(b, `"code":"42501"`) {
			w.fail("upsert-other %s: %d %s", id, s, b)
		}
	case 6: // PATCH one's own row by id
		id, exists := w.pickOwn(tb)
		s, b, _ := w.send("PATCH", path+"?id=eq."+id+scope, `{"`+tb.label+`":"`+label+`"}`)
		w.expect("patch-own", s, b, 204, "")
		if exists {
			w.model[tb.name][id] = label
		}
	case 7: // PATCH another user's row: matches nothing
		id, _ := w.reg.foreign(w.rng, tb.name, w.user)
		if w.service {
			return
		}
		s, b, _ := w.send("PATCH", path+"?select=id&id=eq."+id, `{"`+tb.label+`":"`+label+`"}`, "Prefer", "return=representation")
		w.expect("patch-other", s, b, 200, "[]")
	case 8: // PATCH all one can see
		s, b, _ := w.send("PATCH", path+"?select=id"+scope, `{"`+tb.label+`":"`+label+`"}`, "Prefer", "return=representation")
		w.ops["patch-all"]++
		if s != 200 || !slices.Equal(idsOf(b), w.own(tb)) {
			w.fail("patch-all: %d %s, want ids %v", s, b, w.own(tb))
		}
		for id := range w.model[tb.name] {
			w.model[tb.name][id] = label
		}
	case 9: // give one's own row away
		if w.service {
			return
		}
		id, _ := w.pickOwn(tb)
		s, b, _ := w.send("PATCH", path+"?id=eq."+id, `{"user_id":"`+w.other()+`"}`)
		if _, exists := w.model[tb.name][id]; exists {
			w.expect("give-away", s, b, 403, rlsError(tb.name, false))
		} else {
			w.expect("give-away-missing", s, b, 204, "")
		}
	case 10: // PUT one's own row, new or existing
		id, exists := w.pickOwn(tb)
		if w.rng.IntN(3) == 0 {
			id, exists = newID(w.rng), false
		}
		s, b, _ := w.send("PUT", path+"?id=eq."+id, w.row(tb, id, label, w.user))
		w.expect("put-own", s, b, 204, "")
		w.model[tb.name][id] = label
		if !exists {
			w.reg.add(tb.name, id, w.user)
		}
	case 11: // PUT over another user's row
		if w.service {
			return
		}
		id, owner := w.reg.foreign(w.rng, tb.name, w.user)
		if owner == "" {
			owner = w.other()
		}
		s, b, _ := w.send("PUT", path+"?id=eq."+id, w.row(tb, id, label, owner))
		w.ops["put-other"]++
		if s != 403 || !strings.Contains(b, `"code":"42501"`) {
			w.fail("put-other %s: %d %s", id, s, b)
		}
	case 12: // DELETE one's own row, or another's (which matches nothing)
		if w.rng.IntN(2) == 0 || w.service {
			id, _ := w.pickOwn(tb)
			s, b, _ := w.send("DELETE", path+"?id=eq."+id+scope, "")
			w.expect("delete-own", s, b, 204, "")
			delete(w.model[tb.name], id)
		} else {
			id, _ := w.reg.foreign(w.rng, tb.name, w.user)
			s, b, _ := w.send("DELETE", path+"?select=id&id=eq."+id, "", "Prefer", "return=representation")
			w.expect("delete-other", s, b, 200, "[]")
		}
	case 13: // read all one can see, with the labels
		s, b, _ := w.send("GET", path+"?select=id,label:"+tb.label+"&order=id"+scope, "")
		w.ops["get"]++
		if s != 200 || b != w.listing(tb) {
			w.fail("get: %d %s\nwant %s", s, b, w.listing(tb))
		}
		if !w.service {
			s, b, _ = w.send("GET", path+"?select=id&user_id=eq."+w.other(), "")
			w.expect("get-other", s, b, 200, "[]")
		}
	case 14: // count
		s, b, h := w.send("HEAD", path+"?select=id"+scope, "", "Prefer", "count=exact")
		w.expect("head", s, b, 200, "")
		if h != nil && h.Get("Content-Range") != contentRange(len(w.model[tb.name])) {
			w.fail("head %s: Content-Range %q, want %q", tb.name, h.Get("Content-Range"), contentRange(len(w.model[tb.name])))
		}
	case 15: // the search function, for oneself or for another user
		w.search()
	}
}

func (w *propWorker) anonStep(tb propTable, path string) {
	label := tb.labels(w.rng)
	switch w.rng.IntN(6) {
	case 0:
		s, b, _ := w.send("POST", path, w.row(tb, newID(w.rng), label, w.other()))
		w.expect("anon-insert", s, b, 401, rlsError(tb.name, false))
	case 1:
		s, b, _ := w.send("PATCH", path+"?select=id", `{"`+tb.label+`":"`+label+`"}`, "Prefer", "return=representation")
		w.expect("anon-patch", s, b, 200, "[]")
	case 2:
		s, b, _ := w.send("DELETE", path+"?select=id", "", "Prefer", "return=representation")
		w.expect("anon-delete", s, b, 200, "[]")
	case 3:
		id, owner := w.reg.foreign(w.rng, tb.name, "")
		if owner == "" {
			return
		}
		s, b, _ := w.send("PUT", path+"?id=eq."+id, w.row(tb, id, label, owner))
		w.expect("anon-put", s, b, 401, "*")
	case 4:
		s, b, _ := w.send("GET", path+"?select=id", "")
		w.expect("anon-get", s, b, 200, "[]")
	case 5:
		w.search()
	}
}

// search calls search_knowledge_files through POST, GET or HEAD.
func (w *propWorker) search() {
	target := w.other()
	if w.rng.IntN(2) == 0 && w.user != "" {
		target = w.user
	}
	if w.service {
		target = dave
	}
	var want []string
	if target == w.user {
		want = w.own(propTables[1])
		if len(want) > 10 {
			want = nil // LIMIT 10 by rank: checked by count only
		}
	}
	n := 0
	if target == w.user {
		n = min(10, len(w.model["knowledge_files"]))
	}
	var s int
	var b string
	var h http.Header
	switch w.rng.IntN(3) {
	case 0:
		s, b, _ = w.send("POST", "/rpc/search_knowledge_files?select=id", `{"search_query":"dragon","user_uuid":"`+target+`"}`)
	case 1:
		s, b, _ = w.send("GET", "/rpc/search_knowledge_files?select=id&search_query=dragon&user_uuid="+target, "")
	case 2:
		s, b, h = w.send("HEAD", "/rpc/search_knowledge_files?search_query=dragon&user_uuid="+target, "", "Prefer", "count=exact")
		w.expect("search-head", s, b, 200, "")
		if h != nil && h.Get("Content-Range") != contentRange(n) {
			w.fail("search-head for %s: Content-Range %q, want %q", target, h.Get("Content-Range"), contentRange(n))
		}
		return
	}
	w.ops["search"]++
	got := idsOf(b)
	if s != 200 || len(got) != n || (want != nil && !slices.Equal(got, want)) {
		w.fail("search for %s: %d %s, want %d rows %v", target, s, b, n, want)
	}
	for _, id := range got {
		if _, mine := w.model["knowledge_files"][id]; !mine {
			w.fail("search for %s returned %s, not the caller's", target, id)
		}
	}
}

func (w *propWorker) listing(tb propTable) string {
	ids := w.own(tb)
	if len(ids) == 0 {
		return "[]"
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = `{"id":"` + id + `","label":"` + w.model[tb.name][id] + `"}`
	}
	return "[" + strings.Join(parts, ", \n ") + "]"
}

func contentRange(n int) string {
	if n == 0 {
		return "*/0"
	}
	return "0-" + strconv.Itoa(n-1) + "/" + strconv.Itoa(n)
}

// idsOf returns the sorted "id" members of a JSON array (nil when it is not one).
func idsOf(body string) []string {
	var rows []map[string]any
	if json.Unmarshal([]byte(body), &rows) != nil {
		return nil
	}
	out := []string{}
	for _, r := range rows {
		id, _ := r["id"].(string)
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// idsIn returns the ids in a JSON row or array of rows.
func idsIn(body string) []string {
	if !strings.HasPrefix(body, "[") {
		body = "[" + body + "]"
	}
	return idsOf(body)
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func TestRLSPropertyRandomOperations(t *testing.T) {
	e := start(t, `INSERT INTO auth.users(id, email, role, aud) VALUES
		('`+carol+`', 'carol@example.com', 'authenticated', 'authenticated'),
		('`+dave+`', 'dave@example.com', 'authenticated', 'authenticated')`, withEnv("PGRST_DB_POOL", "6"))
	seed := uint64(envInt("ROCKSTEADY_PROPERTY_SEED", 20261124))
	total := envInt("ROCKSTEADY_PROPERTY_OPS", 2000)
	reg := &idRegistry{ids: map[string][]string{}, own: map[string]string{}}
	user := func(id string) []string {
		return []string{"apikey", e.anonKey, "Authorization", "Bearer " + e.userToken(id)}
	}
	workers := []*propWorker{
		{name: "alice", user: alice, headers: user(alice)},
		{name: "bob", user: bob, headers: user(bob)},
		{name: "carol", user: carol, headers: user(carol)},
		{name: "service_role", user: dave, headers: []string{"apikey", e.service}, service: true},
		{name: "anon", headers: []string{"apikey", e.anonKey}},
	}
	var wg sync.WaitGroup
	for i, w := range workers {
		w.e, w.reg, w.ops = e, reg, map[string]int{}
		w.rng = rand.New(rand.NewPCG(seed, uint64(i)))
		w.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2}}
		w.model = map[string]map[string]string{}
		for _, tb := range propTables {
			w.model[tb.name] = map[string]string{}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < total/len(workers) && len(w.fails) < 5; n++ {
				w.step()
			}
		}()
	}
	wg.Wait()
	ops := map[string]int{}
	for _, w := range workers {
		for _, f := range w.fails {
			t.Error(f)
		}
		for k, v := range w.ops {
			ops[k] += v
		}
	}
	if t.Failed() {
		t.Fatalf("seed %d", seed)
	}
	// The database holds exactly what the models say, user by user.
	for _, tb := range propTables {
		want := map[string]string{}
		for _, w := range workers {
			for id, label := range w.model[tb.name] {
				want[id] = w.user + "/" + label
			}
		}
		var dump string
		e.db.QueryRow(t, `SELECT coalesce(json_object_agg(id, user_id::text || '/' || `+tb.label+`), '{}')::text FROM public.`+tb.name, []any{&dump})
		got := map[string]string{}
		if err := json.Unmarshal([]byte(dump), &got); err != nil {
			t.Fatal(err)
		}
		for id, v := range want {
			if got[id] != v {
				t.Errorf("%s %s: database has %q, the model %q", tb.name, id, got[id], v)
			}
		}
		for id, v := range got {
			if _, ok := want[id]; !ok {
				t.Errorf("%s %s: in the database (%s) but no acknowledged write made it", tb.name, id, v)
			}
		}
		t.Logf("%s: %d rows", tb.name, len(got))
	}
	sum := 0
	for _, v := range ops {
		sum += v
	}
	t.Logf("seed %d: %d checked operations by %d workers: %v", seed, sum, len(workers), ops)
}
