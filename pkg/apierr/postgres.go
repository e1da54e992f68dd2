package apierr

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// FromPostgres maps a PostgreSQL error to the client error PostgREST would send.
// anonymous tells whether the request ran as the anonymous role (42501 → 401 then).
func FromPostgres(sqlstate, message, detail, hint string, anonymous bool) *Error {
	if sqlstate == "PGRST" {
		return fromRaisePGRST(message, detail)
	}
	e := New(statusFor(sqlstate, message, anonymous), sqlstate, message, detail, hint)
	if strings.HasPrefix(sqlstate, "PT") && isDigits(sqlstate[2:]) {
		e.StatusText = message
	}
	if e.Status == http.StatusUnauthorized {
		e.WithHeader("WWW-Authenticate", "Bearer")
	}
	if e.Status == http.StatusServiceUnavailable {
		e.WithHeader("Retry-After", "0")
	}
	return e
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// statusFor is PostgREST's SQLSTATE → HTTP table, evaluated top to bottom.
func statusFor(code, message string, anonymous bool) int {
	prefix2 := code
	if len(code) >= 2 {
		prefix2 = code[:2]
	}
	switch prefix2 {
	case "08":
		return 503
	case "09":
		return 500
	case "0L", "0P":
		return 403
	}
	switch code {
	case "23503", "23505":
		return 409
	case "25006":
		return 405
	case "21000":
		if strings.HasSuffix(message, "requires a WHERE clause") {
			return 400
		}
		return 500
	case "22023":
		if strings.HasPrefix(message, "role") && strings.HasSuffix(message, "does not exist") {
			return 401
		}
		return 400
	case "53400":
		return 500
	case "57P01":
		return 503
	case "42883":
		if strings.HasPrefix(message, "function xmlagg(") {
			return 406
		}
		return 404
	case "42P01":
		return 404
	case "42P17":
		return 500
	case "42501":
		if anonymous {
			return 401
		}
		return 403
	case "P0001":
		return 400
	}
	switch prefix2 {
	case "25", "2D", "38", "39", "3B", "40", "54", "55", "57", "58", "F0", "HV", "P0", "XX":
		return 500
	case "28":
		return 403
	case "53":
		return 503
	case "PT":
		if n, err := strconv.Atoi(code[2:]); err == nil && isDigits(code[2:]) && n >= 100 && n <= 599 {
			return n
		}
		return 500
	}
	return 400
}

// fromRaisePGRST handles RAISE SQLSTATE 'PGRST' USING MESSAGE = json1, DETAIL = json2.
func fromRaisePGRST(message, detail string) *Error {
	var m struct {
		Code    *string `json:"code"`
		Message *string `json:"message"`
		Details *string `json:"details"`
		Hint    *string `json:"hint"`
	}
	const msgHint = "MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', 'hint'."
	const detHint = "DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'."
	if err := json.Unmarshal([]byte(message), &m); err != nil || m.Code == nil || m.Message == nil {
		return raiseParseError("Invalid JSON value for MESSAGE: '"+message+"'", msgHint)
	}
	if detail == "" {
		return raiseParseError("DETAIL is missing in the RAISE statement", detHint)
	}
	var d struct {
		Status     *int               `json:"status"`
		StatusText *string            `json:"status_text"`
		Headers    *map[string]string `json:"headers"`
	}
	if err := json.Unmarshal([]byte(detail), &d); err != nil || d.Status == nil || d.Headers == nil {
		return raiseParseError("Invalid JSON value for DETAIL: '"+detail+"'", detHint)
	}
	e := &Error{Status: *d.Status, Code: *m.Code, Message: *m.Message}
	if m.Details != nil {
		e.Details = *m.Details
	}
	if m.Hint != nil {
		e.Hint = *m.Hint
	}
	if d.StatusText != nil {
		e.StatusText = *d.StatusText
	}
	for k, v := range *d.Headers {
		e.WithHeader(k, v)
	}
	return e
}

func raiseParseError(details, hint string) *Error {
	return New(http.StatusInternalServerError, "PGRST121", `Could not parse JSON in the "RAISE SQLSTATE 'PGRST'" error`, details, hint)
}
