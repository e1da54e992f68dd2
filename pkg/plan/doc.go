// Package plan resolves a parsed request against a schema-cache snapshot: which relation
// or function it names, which columns, which relationships its embeds follow, which
// response media type it produces. The result (a Read, …) carries only names taken from the
// snapshot and values to bind, for sqlgen to render.
//
// It sits between apireq and sqlgen (… → apireq → plan → sqlgen → …) and does no I/O.
// Unknown tables, columns and relationships fail here with PostgREST's errors (PGRST205,
// 42703, PGRST200/201, PGRST108, PGRST118, …).
package plan
