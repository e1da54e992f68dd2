// Package sqlgen turns a plan into one SQL statement and its arguments.
//
// It sits between plan and txn (… → plan → sqlgen → txn → …). The statement returns one
// row: the total count (when asked), the page count, the body built by PostgreSQL
// (json_agg, row_to_json, csv), and the response.headers / response.status settings, so Go
// never decodes rows. Every value is a parameter sent as text with no type, so PostgreSQL
// infers its type from its use; every identifier comes from the schema cache via the plan
// and is double-quoted here. sqlgen does no I/O.
package sqlgen
