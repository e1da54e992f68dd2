// Package migrate applies rocksteady's embedded SQL: sql/ first, then policies/, each file
// once, in name order, each in its own transaction, recorded with its SHA-256 checksum in
// rocksteady.schema_migrations. A second run is a no-op; a file whose content changed after
// it was applied stops the run with an error naming it. Runs are serialised with an
// advisory lock, so two processes migrating the same database do not race.
package migrate
