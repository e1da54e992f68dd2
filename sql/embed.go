// Package sqlfiles embeds the database migrations in sql/: the Supabase-compatible bootstrap
// and the ID8COMPOSER application schema. `rocksteady migrate` applies them before policies/.
package sqlfiles

import "embed"

// FS holds the *.sql files of this directory.
//
//go:embed *.sql
var FS embed.FS
