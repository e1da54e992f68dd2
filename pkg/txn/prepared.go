package txn

import (
	"strconv"

	"github.com/jackc/pgx/v5/pgconn"
)

// Named statements (PGRST_DB_PREPARED_STATEMENTS). A session keeps the statements this
// runner prepared on it, by SQL text, so PostgreSQL parses and plans each distinct text once
// per session instead of on every request. On by default, as in PostgREST; a
// transaction-mode pooler that does not track named statements hands the next transaction
// to another session, where the name does not exist, so it must be turned off there.
//
// A statement is prepared in the same pipeline that first runs it (Parse+Describe, then
// Bind+Execute by name), so preparing costs no extra round trip. Prepared statements are
// not transactional: one that was prepared stays prepared when its transaction fails, and
// one whose Parse failed does not exist. Only a received ParseComplete records a name, and
// names are never reused on a session, so a statement left behind by a failed pipeline is
// harmless.

// maxPrepared bounds each session's statements; the least recently used is closed (at the
// start of a later pipeline, before anything can fail) when a new one needs room.
const maxPrepared = 256

const cacheKey = "rocksteady.prepared"

type preparedCache struct {
	names map[string]*preparedEntry
	// head is the most recently used entry of a circular list.
	head *preparedEntry
	next int
	// closing are names to close at the start of the next pipeline.
	closing []string
	// epoch is the runner's epoch these statements were prepared in (Runner.ClosePrepared).
	epoch uint64
}

type preparedEntry struct {
	sql, name  string
	prev, next *preparedEntry
}

// sessionCache is pg's statements; a session seen for the first time starts in epoch.
func sessionCache(pg *pgconn.PgConn, epoch uint64) *preparedCache {
	data := pg.CustomData()
	if c, ok := data[cacheKey].(*preparedCache); ok {
		return c
	}
	c := &preparedCache{names: map[string]*preparedEntry{}, epoch: epoch}
	data[cacheKey] = c
	return c
}

// lookup returns sql's statement name on this session, or "".
func (c *preparedCache) lookup(sql string) string {
	e := c.names[sql]
	if e == nil {
		return ""
	}
	c.touch(e)
	return e.name
}

// newName reserves a fresh name for sql (recorded by add once its Parse succeeded).
func (c *preparedCache) newName() string {
	c.next++
	return "rs" + strconv.Itoa(c.next)
}

func (c *preparedCache) add(sql, name string) {
	if c.names[sql] != nil {
		// Prepared twice in one pipeline (the same text sent twice): keep the first and
		// close the second.
		c.closing = append(c.closing, name)
		return
	}
	if len(c.names) >= maxPrepared {
		lru := c.head.prev
		c.unlink(lru)
		delete(c.names, lru.sql)
		c.closing = append(c.closing, lru.name)
	}
	e := &preparedEntry{sql: sql, name: name}
	c.names[sql] = e
	c.touch(e)
}

// retire schedules every name for closing (by the protocol's Close message, which a
// pooler that tracks named statements follows, unlike SQL's DEALLOCATE ALL).
func (c *preparedCache) retire() {
	for _, e := range c.names {
		c.closing = append(c.closing, e.name)
	}
	c.names = map[string]*preparedEntry{}
	c.head = nil
}

// forget drops every name (the session lost them, e.g. DEALLOCATE ALL ran on it).
func (c *preparedCache) forget() {
	c.names = map[string]*preparedEntry{}
	c.head = nil
	c.closing = nil
}

func (c *preparedCache) touch(e *preparedEntry) {
	if c.head == e {
		return
	}
	if e.next != nil {
		c.unlink(e)
	}
	if c.head == nil {
		e.prev, e.next = e, e
	} else {
		e.next, e.prev = c.head, c.head.prev
		c.head.prev.next = e
		c.head.prev = e
	}
	c.head = e
}

func (c *preparedCache) unlink(e *preparedEntry) {
	if e.next == e {
		c.head = nil
	} else {
		e.prev.next, e.next.prev = e.next, e.prev
		if c.head == e {
			c.head = e.next
		}
	}
	e.prev, e.next = nil, nil
}
