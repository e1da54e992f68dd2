package pgtest

import (
	"context"

	"github.com/rocksteady/rocksteady/pkg/migrate"
)

// Migrated is a Setup that applies rocksteady's embedded migrations (the Supabase bootstrap,
// the ID8COMPOSER schema and its policies): the database `rocksteady migrate` produces.
func Migrated(ctx context.Context, url string) error {
	files, err := migrate.Embedded()
	if err != nil {
		return err
	}
	_, err = migrate.Apply(ctx, url, files)
	return err
}
