package apierr

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Connection and schema-cache errors (PGRST0xx).

func DBConnection(details string) *Error {
	return New(http.StatusServiceUnavailable, "PGRST000", "Database connection error.", details, "").
		WithHeader("Retry-After", "0")
}

func DBClient(details string) *Error {
	return New(http.StatusServiceUnavailable, "PGRST001", "Database client error. Retrying the connection.", details, "").
		WithHeader("Retry-After", "0")
}

func SchemaCacheNotLoaded() *Error {
	return New(http.StatusServiceUnavailable, "PGRST002", "Could not query the database for the schema cache. Retrying.", "", "").
		WithHeader("Retry-After", "0")
}

func PoolTimeout() *Error {
	return New(http.StatusGatewayTimeout, "PGRST003", "Timed out acquiring connection from connection pool.", "", "")
}

// Request errors (PGRST1xx).

// Parse is PGRST100: description is e.g. "failed to parse filter", input the parsed text,
// line and column 1-based, details the parser's "unexpected … expecting …" line. PostgREST
// wraps description and input in double quotes without escaping anything inside.
func Parse(description, input string, line, column int, details string) *Error {
	msg := `"` + description + " (" + input + `)" (line ` + strconv.Itoa(line) + ", column " + strconv.Itoa(column) + ")"
	return New(http.StatusBadRequest, "PGRST100", msg, details, "")
}

func MethodOnRPC(method string) *Error {
	return New(http.StatusMethodNotAllowed, "PGRST101", "Cannot use the "+method+" method on RPC", "", "")
}

func InvalidBody(message string) *Error {
	return New(http.StatusBadRequest, "PGRST102", message, "", "")
}

func InvalidRange(details string) *Error {
	return New(http.StatusRequestedRangeNotSatisfiable, "PGRST103", "Requested range not satisfiable", details, "")
}

func InvalidPut() *Error {
	return New(http.StatusMethodNotAllowed, "PGRST105", "Filters must include all and only primary key columns with 'eq' operators", "", "")
}

func InvalidSchema(schema string, exposed []string) *Error {
	return New(http.StatusNotAcceptable, "PGRST106", "Invalid schema: "+schema, "",
		"Only the following schemas are exposed: "+strings.Join(exposed, ", "))
}

func MediaTypes(types []string) *Error {
	return New(http.StatusNotAcceptable, "PGRST107", "None of these media types are available: "+strings.Join(types, ", "), "", "")
}

func NotEmbedded(name string) *Error {
	return New(http.StatusBadRequest, "PGRST108", "'"+name+"' is not an embedded resource in this request", "",
		"Verify that '"+name+"' is included in the 'select' query parameter.")
}

func ResponseHeadersGUC() *Error {
	return New(http.StatusInternalServerError, "PGRST111", "response.headers guc must be a JSON array composed of objects with a single key and a string value", "", "")
}

func ResponseStatusGUC() *Error {
	return New(http.StatusInternalServerError, "PGRST112", "response.status guc must be a valid status code", "", "")
}

func PutLimit() *Error {
	return New(http.StatusBadRequest, "PGRST114", "limit/offset querystring parameters are not allowed for PUT", "", "")
}

func PutMismatch() *Error {
	return New(http.StatusBadRequest, "PGRST115", "Payload values do not match URL in primary key column(s)", "", "")
}

// Singular is PGRST116: a singular (object) response whose result has n ≠ 1 rows.
func Singular(n int64) *Error {
	return New(http.StatusNotAcceptable, "PGRST116", "Cannot coerce the result to a single JSON object",
		fmt.Sprintf("The result contains %d rows", n), "")
}

func UnsupportedMethod(method string) *Error {
	return New(http.StatusMethodNotAllowed, "PGRST117", "Unsupported HTTP method: "+method, "", "")
}

func RelatedOrder(origin, target string) *Error {
	return New(http.StatusBadRequest, "PGRST118", "A related order on '"+target+"' is not possible",
		"'"+origin+"' and '"+target+"' do not form a many-to-one or one-to-one relationship", "")
}

func StrictPreferences(invalid []string) *Error {
	return New(http.StatusBadRequest, "PGRST122", "Invalid preferences given with handling=strict",
		"Invalid preferences: "+strings.Join(invalid, ", "), "")
}

func AggregatesDisabled() *Error {
	return New(http.StatusBadRequest, "PGRST123", "Use of aggregate functions is not allowed", "", "")
}

func MaxAffected(n int64) *Error {
	return New(http.StatusBadRequest, "PGRST124", "Query result exceeds max-affected preference constraint",
		fmt.Sprintf("The query affects %d rows", n), "")
}

func InvalidPath() *Error {
	return New(http.StatusNotFound, "PGRST125", "Invalid path specified in request URL", "", "")
}

func OpenAPIDisabled() *Error {
	return New(http.StatusNotFound, "PGRST126", "Root endpoint metadata is disabled", "", "")
}

func NotImplemented(details string) *Error {
	return New(http.StatusBadRequest, "PGRST127", "Feature not implemented", details, "")
}

func MaxAffectedNotSetof() *Error {
	return New(http.StatusBadRequest, "PGRST128", "Function must return SETOF or TABLE when max-affected preference is used with handling=strict", "", "")
}

// Schema-cache lookup errors (PGRST2xx).

// NoRelationship is PGRST200; hintName is the embed hint ("" when none), suggestion a fuzzy hint or "".
func NoRelationship(origin, target, hintName, schema, suggestion string) *Error {
	using := ""
	if hintName != "" {
		using = " using the hint '" + hintName + "'"
	}
	return New(http.StatusBadRequest, "PGRST200",
		"Could not find a relationship between '"+origin+"' and '"+target+"' in the schema cache",
		"Searched for a foreign key relationship between '"+origin+"' and '"+target+"'"+using+" in the schema '"+schema+"', but no matches were found.",
		suggestion)
}

// AmbiguousRelationship is PGRST201; details is the candidate list, options the "t!hint" forms.
func AmbiguousRelationship(origin, target string, details any, options []string) *Error {
	quoted := make([]string, len(options))
	for i, o := range options {
		quoted[i] = "'" + o + "'"
	}
	return &Error{Status: http.StatusMultipleChoices, Code: "PGRST201",
		Message: "Could not embed because more than one relationship was found for '" + origin + "' and '" + target + "'",
		Details: details,
		Hint:    "Try changing '" + target + "' to one of the following: " + strings.Join(quoted, ", ") + ". Find the desired relationship in the 'details' key."}
}

// NoFunction is PGRST202 with message, details and hint already worded by the planner.
func NoFunction(message, details, hint string) *Error {
	return New(http.StatusNotFound, "PGRST202", message, details, hint)
}

func AmbiguousFunction(candidates []string) *Error {
	return New(http.StatusMultipleChoices, "PGRST203",
		"Could not choose the best candidate function between: "+strings.Join(candidates, ", "), "",
		"Try renaming the parameters or the function itself in the database so function overloading can be resolved")
}

func NoColumn(column, table string) *Error {
	return New(http.StatusBadRequest, "PGRST204", "Could not find the '"+column+"' column of '"+table+"' in the schema cache", "", "")
}

// NoTable is PGRST205; suggestion is the qualified name of a similar table or "".
func NoTable(schema, name, suggestion string) *Error {
	hint := ""
	if suggestion != "" {
		hint = "Perhaps you meant the table '" + suggestion + "'"
	}
	return New(http.StatusNotFound, "PGRST205", "Could not find the table '"+schema+"."+name+"' in the schema cache", "", hint)
}

// Authentication errors (PGRST3xx).

func NoJWTSecret() *Error {
	return New(http.StatusInternalServerError, "PGRST300", "Server lacks JWT secret", "", "")
}

// InvalidJWT is PGRST301 with WWW-Authenticate naming the message.
func InvalidJWT(message, details string) *Error {
	return New(http.StatusUnauthorized, "PGRST301", message, details, "").
		WithHeader("WWW-Authenticate", bearerError(message))
}

func AnonDisabled() *Error {
	return New(http.StatusUnauthorized, "PGRST302", "Anonymous access is disabled", "", "").
		WithHeader("WWW-Authenticate", "Bearer")
}

// InvalidClaims is PGRST303 (expired, not yet valid, audience, …).
func InvalidClaims(message string) *Error {
	return New(http.StatusUnauthorized, "PGRST303", message, "", "").
		WithHeader("WWW-Authenticate", bearerError(message))
}

func bearerError(message string) string {
	return fmt.Sprintf("Bearer error=\"invalid_token\", error_description=%q", message)
}
