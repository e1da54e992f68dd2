package server_test

import (
	"os"
	"path/filepath"
	"testing"
)

// catalogSQL is the film fixture in schema cat (testdata/fixtures/catalog.sql).
func catalogSQL(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "fixtures", "catalog.sql"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// startCat serves only schema cat, so paths name its tables directly and responses carry
// no Content-Profile.
func startCat(t *testing.T, opts ...envOption) *env {
	t.Helper()
	return start(t, catalogSQL(t), append([]envOption{withEnv("PGRST_DB_SCHEMAS", "cat")}, opts...)...)
}

// get is GET path as the service role (no RLS on the fixture) with extra headers.
func (e *env) get(path string, headers ...string) reply {
	e.t.Helper()
	return e.do("GET", path, "", headers...)
}
