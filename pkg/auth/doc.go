// Package auth turns a request's credentials into the database role and the
// request.jwt.claims value, the way PostgREST behind Supabase's gateway does.
//
// It is the first stage of the pipeline:
//
//	HTTP ─► auth ─► apireq ─► plan ─► sqlgen ─► txn ─► response ─► HTTP
//
// The server calls Authenticate with the Authorization header and the apikey header (or the
// ?apikey= parameter) before it parses anything else, so a bad token answers 401 even on a
// path that does not exist. It gets back a Result — the role, the claims JSON with "role"
// set to that role, whether the role is the anonymous one, the token's expiry — which txn
// passes to set_config('role', …) and set_config('request.jwt.claims', …). Failures are
// *apierr.Error values carrying PostgREST's PGRST300–303 codes, messages, details and
// WWW-Authenticate header, or a *GatewayError carrying Supabase's gateway body for API-key
// refusals.
//
// What it does: JWT verification with jwx (HS256/384/512 from PGRST_JWT_SECRET; RS, PS,
// ES and EdDSA keys from a JWK or JWKS in the secret or fetched from a JWKS URL and refreshed
// in the background; keys chosen by kid, alg and key type, so an HMAC token is never checked
// against an RSA key); exp/nbf/iat with 30 s of skew and jwt-aud, with PostgREST's exact
// messages; the role located by jwt-role-claim-key; Supabase's opaque sb_publishable_/
// sb_secret_ keys mapped to the anon role and service_role; and a bounded cache of verified
// tokens (SIEVE eviction) whose hits cost no signature check, the time claims being checked
// again on every hit.
//
// What it must not do: touch the database (a role that does not exist is left for
// PostgreSQL to refuse), import the HTTP framework, or look at anything of the request but
// the two credentials it is given.
package auth
