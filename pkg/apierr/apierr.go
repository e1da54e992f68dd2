package apierr

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Error is a client-visible failure. Details and Hint are nil (rendered as JSON null), a
// string, or (PGRST201) any JSON-encodable value.
type Error struct {
	Status  int
	Code    string
	Message string
	Details any
	Hint    any
	// Headers are added to the error response (WWW-Authenticate, Retry-After, headers
	// from RAISE SQLSTATE 'PGRST').
	Headers http.Header
	// StatusText, when set, replaces the standard reason phrase (PTxxx, RAISE 'PGRST').
	StatusText string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s (%d): %s", e.Code, e.Status, e.Message)
}

// body fixes PostgREST's key order: code, details, hint, message.
type body struct {
	Code    string `json:"code"`
	Details any    `json:"details"`
	Hint    any    `json:"hint"`
	Message string `json:"message"`
}

// MarshalJSON renders the compact PostgREST error body.
func (e *Error) MarshalJSON() ([]byte, error) {
	return marshalNoEscape(body{Code: e.Code, Details: e.Details, Hint: e.Hint, Message: e.Message})
}

// Body returns the JSON body bytes.
func (e *Error) Body() []byte {
	b, err := e.MarshalJSON()
	if err != nil {
		return []byte(`{"code":"PGRSTX00","details":null,"hint":null,"message":"Internal server error"}`)
	}
	return b
}

// WithHeader returns e with an extra response header.
func (e *Error) WithHeader(name, value string) *Error {
	if e.Headers == nil {
		e.Headers = http.Header{}
	}
	e.Headers.Add(name, value)
	return e
}

func marshalNoEscape(v any) ([]byte, error) {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(sb.String(), "\n")), nil
}

// New builds an error with a string-or-nil details and hint ("" means null).
func New(status int, code, message, details, hint string) *Error {
	return &Error{Status: status, Code: code, Message: message, Details: nullable(details), Hint: nullable(hint)}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	for err != nil {
		if e, ok := err.(*Error); ok {
			return e, true
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return nil, false
		}
		err = u.Unwrap()
	}
	return nil, false
}

// Internal is the 500 a client sees for an unexpected failure; the cause is logged, never shown.
func Internal() *Error {
	return New(http.StatusInternalServerError, "PGRSTX00", "Internal server error", "", "")
}
