// Package response turns the main statement's row into an HTTP response: status
// (200/206/416 from the range and count, 201/204 for writes, response.status from SQL),
// headers (Content-Type, Content-Range, Content-Location, Location, Preference-Applied,
// Content-Profile, Vary, and response.headers from SQL, which replace same-named ones) and
// the body bytes PostgreSQL built. It also renders errors in PostgREST's shape.
//
// It sits after txn (… → txn → response → HTTP) and does no I/O: the server writes what it
// returns.
package response
