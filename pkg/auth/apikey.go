package auth

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

const (
	opaqueKeyPrefix      = "sb_"
	publishableKeyPrefix = "sb_publishable_"
	secretKeyPrefix      = "sb_secret_"
)

type opaqueKey struct {
	value  string
	role   string
	secret bool
}

// GatewayError is a refusal in the shape of Supabase's API gateway rather than PostgREST's:
// its body is {"message":…,"hint":…}, which supabase-js surfaces as error.message and
// error.hint. Authenticate returns it for apikey problems; every other failure is an
// *apierr.Error.
type GatewayError struct {
	Status  int
	Message string
	Hint    string
	body    []byte
}

func (e *GatewayError) Error() string { return e.Message }

// Body returns the exact response bytes (no trailing newline).
func (e *GatewayError) Body() []byte { return e.body }

// Header returns the headers to send with Body.
func (e *GatewayError) Header() http.Header {
	return http.Header{"Content-Type": []string{"application/json; charset=utf-8"}}
}

// The hosted platform's two key refusals, byte for byte.
const (
	missingKeyBody = "{\"message\":\"No API key found in request\",\"hint\":\"No `apikey` request header or url param was found.\"}"
	invalidKeyBody = "{\"message\":\"Invalid API key\",\"hint\":\"Double check your Supabase `anon` or `service_role` API key.\"}"
)

// ErrMissingAPIKey is the 401 for a request without an apikey header or ?apikey= parameter.
func ErrMissingAPIKey() *GatewayError {
	return &GatewayError{Status: http.StatusUnauthorized, Message: "No API key found in request",
		Hint: "No `apikey` request header or url param was found.", body: []byte(missingKeyBody)}
}

// ErrInvalidAPIKey is the 401 for an apikey that is not one of the project's keys.
func ErrInvalidAPIKey() *GatewayError {
	return &GatewayError{Status: http.StatusUnauthorized, Message: "Invalid API key",
		Hint: "Double check your Supabase `anon` or `service_role` API key.", body: []byte(invalidKeyBody)}
}

// isOpaqueKey tells a Supabase sb_… key from a JWT (whose first part always starts "ey").
func isOpaqueKey(s string) bool { return strings.HasPrefix(s, opaqueKeyPrefix) }

// lookupOpaque compares against every configured key in constant time per key.
func (a *Authenticator) lookupOpaque(key string) *opaqueKey {
	var found *opaqueKey
	for i := range a.opaque {
		k := &a.opaque[i]
		if subtle.ConstantTimeCompare([]byte(k.value), []byte(key)) == 1 {
			found = k
		}
	}
	return found
}

// RequireAPIKey reports whether apikey (the apikey header, else the ?apikey= parameter) is
// one of the project's keys, the way Supabase's gateway checks it before anything else:
// a configured publishable or secret key, or a JWT that verifies and whose role is the anon
// role or the service role (Supabase's legacy anon and service_role keys). It returns nil
// or a *GatewayError: ErrMissingAPIKey for an empty value, ErrInvalidAPIKey otherwise.
//
// Authenticate calls it itself when Config.RequireAPIKey is set. A CORS preflight must be
// answered without calling it; two apikey headers should be refused by the caller.
func (a *Authenticator) RequireAPIKey(apikey string) error {
	if apikey == "" {
		return ErrMissingAPIKey()
	}
	if isOpaqueKey(apikey) {
		if a.lookupOpaque(apikey) != nil {
			return nil
		}
		return ErrInvalidAPIKey()
	}
	if strings.Count(apikey, ".") != 2 || !a.hasJWTKeys {
		return ErrInvalidAPIKey()
	}
	res, err := a.fromJWT(apikey)
	if err != nil || (res.Role != a.publishableRole && res.Role != a.serviceRole) {
		return ErrInvalidAPIKey()
	}
	return nil
}
