// Package config reads rocksteady's settings from PostgREST's environment variables
// (PGRST_*), plus a few ROCKSTEADY_* ones for what PostgREST has no setting for (Supabase's
// opaque API keys, a JWKS URL, the request body limit). It applies PostgREST's defaults and
// validates everything at start: a bad value stops the server with one line naming the
// variable. It never talks to the database.
package config
