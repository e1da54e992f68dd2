package server_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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

// rows renders objects as PostgreSQL's json_agg does: ", \n " between elements.
func rows(objs ...string) string {
	return "[" + strings.Join(objs, ", \n ") + "]"
}

// readCase is one request and its exact expected status and body.
type readCase struct {
	path    string
	headers []string
	status  int
	body    string
}

// run sends every case as a GET (as the anonymous role; the fixture has no RLS).
func (e *env) run(t *testing.T, cases []readCase) {
	t.Helper()
	for _, c := range cases {
		r := e.get(c.path, c.headers...)
		if r.status != c.status || r.body != c.body {
			t.Errorf("GET %s %v:\ngot  %d %s\nwant %d %s", c.path, c.headers, r.status, r.body, c.status, c.body)
		}
	}
}

// planRowsOf reads the top "Plan Rows" of EXPLAIN (FORMAT JSON) output.
func planRowsOf(explain []byte) (int64, error) {
	var out []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		} `json:"Plan"`
	}
	if err := json.Unmarshal(explain, &out); err != nil || len(out) == 0 {
		return 0, fmt.Errorf("EXPLAIN output %s: %v", explain, err)
	}
	return int64(out[0].Plan.Rows), nil
}
