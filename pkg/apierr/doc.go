// Package apierr is the error contract every client sees.
//
// An *Error carries an HTTP status, a PostgREST code (PGRSTxxx or a SQLSTATE), a message,
// details and a hint, and renders as PostgREST's body {"code","details","hint","message"}.
// Stages build errors through the named constructors here so that codes, statuses and
// messages stay identical to PostgREST's; PostgreSQL errors are mapped by FromPostgres,
// the one SQLSTATE → HTTP table in the project.
//
// apierr depends on nothing else in the project; every other package may import it.
package apierr
