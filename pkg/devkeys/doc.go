// Package devkeys mints the HS256 tokens Supabase hands out — the anon and service_role API
// keys and a signed-in user's access token — for `rocksteady dev` and for tests. It signs
// with the standard library's HMAC; verification lives in pkg/auth.
package devkeys
