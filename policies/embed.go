// Package policies embeds the row-level security policies in policies/, applied by
// `rocksteady migrate` after sql/.
package policies

import "embed"

// FS holds the *.sql files of this directory.
//
//go:embed *.sql
var FS embed.FS
