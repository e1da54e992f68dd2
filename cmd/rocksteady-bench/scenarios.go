package main

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/rocksteady/rocksteady/pkg/bench/capture"
	"github.com/rocksteady/rocksteady/pkg/bench/dataset"
	"github.com/rocksteady/rocksteady/pkg/bench/load"
)

// call is one request of a scenario, in rocksteady's form, with the values that the floor
// and pgbench fill into the captured statements.
type call struct {
	user     int
	method   string
	path     string // with query string, under /rest/v1
	header   http.Header
	body     []byte
	vals     capture.Values
	check    func(status int, body []byte) load.Outcome
	scenario string // set by the mix: which scenario made it
	stale    bool   // a PATCH sent with an old version on purpose
}

// scenario is one endpoint of the seed's mix.
type scenario struct {
	name, title string
	seedTarget  time.Duration
	issueP99    time.Duration
	issueRate   float64
	weight      int // share in the mix
	// rateScale multiplies the offered rates for this scenario (0 means 1): a search costs
	// PostgreSQL milliseconds, so it is offered a twentieth of the point reads' rates.
	rateScale float64
	// prewarm sends each step's request sequence through the floor, untimed, before the
	// targets run it: the targets run the same sequence one after the other, and for reads
	// of much more data than fits in memory (search) the first would otherwise pay for
	// reading it from disk and the others find it cached.
	prewarm bool
	// prepare runs before each step (reads current versions, deletable rows, …).
	prepare func(w *world) error
	make    func(w *world, r *rand.Rand, i int) call
}

// world is the shared state of scenarios: dataset, tokens, pools of rows.
type world struct {
	db      *pgxpool.Pool
	d       *dataset.Dataset
	tokens  []string
	anonKey string

	mu        sync.Mutex
	patchDocs []patchDoc
	delDocs   []delDoc
	delNext   atomic.Int64
	insertN   atomic.Int64
}

type patchDoc struct {
	user    int
	id      string
	version atomic.Int32
}

type delDoc struct {
	user int
	id   string
}

const objectJSON = "application/vnd.pgrst.object+json"

func (w *world) headers(u int, extra ...string) http.Header {
	h := http.Header{}
	h.Set("Authorization", "Bearer "+w.tokens[u])
	h.Set("Apikey", w.anonKey)
	h.Set("X-Client-Info", "supabase-js/2.45.0")
	for i := 0; i+1 < len(extra); i += 2 {
		h.Set(extra[i], extra[i+1])
	}
	return h
}

func (w *world) vals(u int, kv ...string) capture.Values {
	v := capture.Values{"user": w.d.Users[u].ID, "email": w.d.Users[u].Email, "token": w.tokens[u]}
	for i := 0; i+1 < len(kv); i += 2 {
		v[kv[i]] = kv[i+1]
	}
	return v
}

// keptDoc picks a document of user u that the delete scenario never removes.
func (w *world) keptDoc(u int, r *rand.Rand) (int, string) {
	usr := w.d.Users[u]
	j := r.IntN(max(usr.Docs/2, 1))
	return j, dataset.DocID(usr.DocStart + j)
}

func (w *world) randomUser(r *rand.Rand) int { return r.IntN(len(w.d.Users)) }

func (w *world) heavyUser(r *rand.Rand) int {
	if w.d.Spec.Heavy == 0 {
		return w.randomUser(r)
	}
	return r.IntN(w.d.Spec.Heavy)
}

func tsText(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

func tiptap(r *rand.Rand, w *world) string {
	z := dataset.NewZipf(r, w.d.Spec.ZipfS, len(w.d.Vocab))
	return string(dataset.DocContent(nil, w.d.Vocab, z, r))
}

func scenarios() []*scenario {
	return []*scenario{
		{name: "get", title: "GET one document by id (`.single()`)", seedTarget: 200 * time.Millisecond,
			issueP99: 5 * time.Millisecond, issueRate: 1000, weight: 40,
			make: func(w *world, r *rand.Rand, i int) call {
				u := w.randomUser(r)
				_, doc := w.keptDoc(u, r)
				return call{user: u, method: "GET", path: "/documents?select=*&id=eq." + doc,
					header: w.headers(u, "Accept", objectJSON), vals: w.vals(u, "doc", doc)}
			}},
		{name: "list", title: "list a page: `user_id=eq.U&created_at=lt.T&order=created_at.desc&limit=20`",
			seedTarget: 200 * time.Millisecond, weight: 20,
			make: func(w *world, r *rand.Rand, i int) call {
				u := w.randomUser(r)
				usr := w.d.Users[u]
				cursor := tsText(dataset.DocCreated(u, r.IntN(usr.Docs)+1))
				return call{user: u, method: "GET",
					path: "/documents?select=id,title,document_type,word_count,auto_save_version,created_at,updated_at&user_id=eq." +
						usr.ID + "&created_at=lt." + url.QueryEscape(cursor) + "&order=created_at.desc&limit=20",
					header: w.headers(u), vals: w.vals(u, "cursor", cursor)}
			}},
		{name: "embed", title: "GET a document with its knowledge files embedded", seedTarget: 200 * time.Millisecond, weight: 4,
			make: func(w *world, r *rand.Rand, i int) call {
				u := w.randomUser(r)
				_, doc := w.keptDoc(u, r)
				return call{user: u, method: "GET", path: "/documents?select=id,title,knowledge_files(id,filename,file_type)&id=eq." + doc,
					header: w.headers(u, "Accept", objectJSON), vals: w.vals(u, "doc", doc)}
			}},
		{name: "search", title: "POST /rpc/search_knowledge_files for a heavy user", seedTarget: 150 * time.Millisecond,
			issueP99: 25 * time.Millisecond, weight: 10, rateScale: 0.05, prewarm: true,
			make: func(w *world, r *rand.Rand, i int) call {
				u := w.heavyUser(r)
				q := w.d.QueryWords(r)
				body := fmt.Sprintf(`{"search_query":%q,"user_uuid":%q}`, q, w.d.Users[u].ID)
				return call{user: u, method: "POST", path: "/rpc/search_knowledge_files", body: []byte(body),
					header: w.headers(u, "Content-Type", "application/json"), vals: w.vals(u, "query", q, "body", body)}
			}},
		{name: "patch", title: "auto-save PATCH with optimistic concurrency (5% stale → 406 PGRST116)",
			seedTarget: 200 * time.Millisecond, weight: 20, prepare: preparePatch, make: makePatch},
		{name: "insert", title: "POST a document, `select=id,title,created_at`, `.single()`", seedTarget: 200 * time.Millisecond, weight: 4,
			make: func(w *world, r *rand.Rand, i int) call {
				u := w.randomUser(r)
				n := w.insertN.Add(1)
				title := fmt.Sprintf("Bench insert %d", n)
				body := fmt.Sprintf(`{"title":%q,"content":%s,"document_type":"notes","user_id":%q}`, title, tiptap(r, w), w.d.Users[u].ID)
				return call{user: u, method: "POST", path: "/documents?select=id,title,created_at", body: []byte(body),
					header: w.headers(u, "Content-Type", "application/json", "Prefer", "return=representation", "Accept", objectJSON),
					vals:   w.vals(u, "body", body)}
			}},
		{name: "delete", title: "DELETE a document by id", seedTarget: 200 * time.Millisecond, weight: 2,
			prepare: prepareDelete,
			make: func(w *world, r *rand.Rand, i int) call {
				w.mu.Lock()
				pool := w.delDocs
				w.mu.Unlock()
				if len(pool) == 0 {
					u := w.randomUser(r)
					return call{user: u, method: "DELETE", path: "/documents?id=eq." + dataset.DocID(0), header: w.headers(u), vals: w.vals(u, "doc", dataset.DocID(0))}
				}
				dd := pool[int(w.delNext.Add(1)-1)%len(pool)]
				return call{user: dd.user, method: "DELETE", path: "/documents?id=eq." + dd.id,
					header: w.headers(dd.user), vals: w.vals(dd.user, "doc", dd.id)}
			}},
	}
}

func makePatch(w *world, r *rand.Rand, i int) call {
	w.mu.Lock()
	pool := w.patchDocs
	w.mu.Unlock()
	pd := &pool[i%len(pool)]
	ver := int(pd.version.Load())
	stale := r.IntN(100) < 5
	sent := ver
	if stale {
		sent = ver - 1
	}
	content := tiptap(r, w)
	body := fmt.Sprintf(`{"content":%s,"auto_save_version":%d,"updated_at":%q}`, content, sent+1, tsText(time.Now()))
	return call{user: pd.user, method: "PATCH",
		path:   fmt.Sprintf("/documents?id=eq.%s&auto_save_version=eq.%d", pd.id, sent),
		body:   []byte(body),
		header: w.headers(pd.user, "Content-Type", "application/json", "Prefer", "return=representation", "Accept", objectJSON),
		vals:   w.vals(pd.user, "doc", pd.id, "version", fmt.Sprint(sent), "body", body),
		stale:  stale,
		check: func(status int, b []byte) load.Outcome {
			switch {
			case stale && status == http.StatusNotAcceptable && strings.Contains(string(b), "PGRST116"):
				return load.Expected
			case !stale && status >= 200 && status < 300:
				pd.version.CompareAndSwap(int32(ver), int32(ver+1))
				return load.OK
			}
			return load.Unavailable
		}}
}

// floorCheck accepts any 2xx and keeps the PATCH versions in step (the floor's UPDATE
// also writes the new version; a stale one changes nothing).
func floorCheck(c call) func(int, []byte) load.Outcome {
	return func(status int, b []byte) load.Outcome {
		if status < 200 || status >= 300 {
			return load.Unavailable
		}
		if c.check != nil {
			if o := c.check(http.StatusOK, b); o == load.Unavailable {
				return load.Expected // a stale PATCH: the floor cannot tell, nothing was written
			}
		}
		return load.OK
	}
}
