// Package apireq turns one HTTP request into a typed Request: the target (table, function
// or root), the schema, the select tree, filters, logic trees, ordering, row windows,
// columns/on_conflict, RPC arguments from the query string, Prefer preferences, the
// Accept list, the Content-Type and the raw body.
//
// It is the third stage of the pipeline:
//
//	HTTP → auth → apireq → plan → sqlgen → txn → response
//
// Parse takes the method, the escaped path (with or without the /rest/v1 prefix), the raw
// query string, the headers, the body bytes and the exposed schemas, and returns a
// *Request or an *apierr.Error carrying PostgREST's code, status and message (PGRST100 for
// query-string syntax, with PostgREST's "unexpected … expecting …" details; PGRST101,
// PGRST103, PGRST106, PGRST114, PGRST117, PGRST125, PGRST126 for the rest). The grammars
// are also exported one by one (ParseSelect, ParseFilter, ParseOrder, ParseLogicTree,
// ParseColumns, ParseOnConflict, ParseTreePath, ParsePrefer, ParseRange, ParseAccept,
// ParseMediaType, ParseQuery).
//
// The package only reads the request. It must not look at the schema cache (names are not
// resolved or validated here; pkg/plan does that with the schema snapshot), must not do
// I/O, and does not parse the body (pkg/plan and later stages read Request.Body according
// to Request.ContentType).
//
// It runs on every request, so the parsers are hand-written scanners without regular
// expressions; strings share memory with the input where possible.
package apireq
