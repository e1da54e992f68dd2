// Package openapi renders the OpenAPI 3.1 document served at GET / (and /rest/v1/).
//
// It sits beside the pipeline: the server hands it the current schema Snapshot, the
// selected schema and, under PGRST_OPENAPI_MODE=follow-privileges, what the caller's role
// may do with each relation and function (queried as that role in the request's own
// transaction); it returns the document's JSON bytes. It does no I/O and knows nothing of
// HTTP beyond describing it.
//
// The document follows PostgREST's content — one path per table, view and function, the
// columns as component schemas, a query parameter per column for filters, select, order,
// limit, offset, Range and Prefer headers — but in OpenAPI 3.1 (JSON Schema 2020-12) rather
// than Swagger 2.0: nullable columns are `type: [T, "null"]`, bodies are requestBodies.
package openapi
