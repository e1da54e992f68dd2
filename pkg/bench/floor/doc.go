// Package floor is the benchmark's floor: a minimal net/http + pgx server that runs only
// the final SQL of each request — the main statement rocksteady generated, captured from
// the database log — with no transaction, role, claims or settings, and returns the body
// column as it comes from PostgreSQL. Whatever rocksteady spends beyond it is the cost of
// being a data plane.
//
// A request is POST /<scenario>?name=value&… ; the query string fills the template's
// placeholders and the request body, when present, fills the "body" placeholder.
package floor
