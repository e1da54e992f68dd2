package plan_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/rocksteady/rocksteady/pkg/apierr"
	"github.com/rocksteady/rocksteady/pkg/apireq"
	"github.com/rocksteady/rocksteady/pkg/plan"
	"github.com/rocksteady/rocksteady/pkg/schema"
)

// snapshot is the film fixture's schema cache, dumped by pkg/sqlgen's golden test with -update.
func snapshot(t *testing.T) *schema.Snapshot {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "catalog.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	snap, err := schema.FromJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func build(t *testing.T, snap *schema.Snapshot, target string, opts plan.Options, headers ...string) (*plan.Read, error) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	for i := 0; i+1 < len(headers); i += 2 {
		h.Add(headers[i], headers[i+1])
	}
	req, err := apireq.Parse(http.MethodGet, u.EscapedPath(), u.RawQuery, h, nil, apireq.Options{Schemas: []string{"cat"}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Build(req, snap, opts)
	if err != nil {
		return nil, err
	}
	return p.(*plan.Read), nil
}

func TestRelationshipResolutionErrors(t *testing.T) {
	snap := snapshot(t)
	cases := []struct {
		target, code, message string
		status                int
		hint                  any
	}{
		{"/films?select=awards(*)", "PGRST201", "Could not embed because more than one relationship was found for 'films' and 'awards'", 300,
			"Try changing 'awards' to one of the following: 'awards!awards_runner_up_id_fkey', 'awards!awards_winner_id_fkey'. Find the desired relationship in the 'details' key."},
		{"/films?select=director(*)", "PGRST200", "Could not find a relationship between 'films' and 'director' in the schema cache", 400,
			"Perhaps you meant 'directors' instead of 'director'."},
		{"/films?select=directors!awards_winner_id_fkey(*)", "PGRST200", "Could not find a relationship between 'films' and 'directors' in the schema cache", 400, nil},
		// a hint names the junction of a many-to-many, not a table of the wrong kind
		{"/films?select=actors!posters(*)", "PGRST200", "Could not find a relationship between 'films' and 'actors' in the schema cache", 400, nil},
		{"/films?select=id&actors.name=eq.x", "PGRST108", "'actors' is not an embedded resource in this request", 400,
			"Verify that 'actors' is included in the 'select' query parameter."},
		{"/directors?select=films(id)&order=films(id)", "PGRST118", "A related order on 'films' is not possible", 400, nil},
		{"/films?select=count()", "PGRST123", "Use of aggregate functions is not allowed", 400, nil},
		{"/films?select=nope", "42703", "column films.nope does not exist", 400, nil},
		{"/nope", "PGRST205", "Could not find the table 'cat.nope' in the schema cache", 404, nil},
	}
	for _, c := range cases {
		_, err := build(t, snap, c.target, plan.Options{})
		e, ok := apierr.As(err)
		if !ok {
			t.Errorf("%s: got %v, want %s", c.target, err, c.code)
			continue
		}
		if e.Code != c.code || e.Message != c.message || e.Status != c.status || e.Hint != c.hint {
			t.Errorf("%s: got %d %s %q hint %v, want %d %s %q hint %v", c.target, e.Status, e.Code, e.Message, e.Hint, c.status, c.code, c.message, c.hint)
		}
	}
}

func TestRelationshipResolution(t *testing.T) {
	snap := snapshot(t)
	cases := []struct {
		target   string
		toOne    bool
		junction string
		on       []plan.ColumnPair
	}{
		{"/films?select=directors(*)", true, "", []plan.ColumnPair{{Child: "id", Parent: "director_id"}}},
		{"/films?select=director_id(*)", true, "", []plan.ColumnPair{{Child: "id", Parent: "director_id"}}},
		{"/directors?select=films(*)", false, "", []plan.ColumnPair{{Child: "director_id", Parent: "id"}}},
		{"/films?select=posters(*)", true, "", []plan.ColumnPair{{Child: "film_id", Parent: "id"}}},
		{"/posters?select=films(*)", true, "", []plan.ColumnPair{{Child: "id", Parent: "film_id"}}},
		{"/films?select=actors(*)", false, "roles", nil},
		{"/films?select=awards!winner_id(*)", false, "", []plan.ColumnPair{{Child: "winner_id", Parent: "id"}}},
		{"/awards?select=films!awards_runner_up_id_fkey(*)", true, "", []plan.ColumnPair{{Child: "id", Parent: "runner_up_id"}}},
		// self reference: the table name gives the children, the FK column the parent
		{"/directors?select=directors(*)", false, "", []plan.ColumnPair{{Child: "mentor_id", Parent: "id"}}},
		{"/directors?select=mentor_id(*)", true, "", []plan.ColumnPair{{Child: "id", Parent: "mentor_id"}}},
		{"/directors?select=directors!mentor_id(*)", false, "", []plan.ColumnPair{{Child: "mentor_id", Parent: "id"}}},
	}
	for _, c := range cases {
		r, err := build(t, snap, c.target, plan.Options{})
		if err != nil {
			t.Errorf("%s: %v", c.target, err)
			continue
		}
		e := r.Root.Embeds[0]
		junction := ""
		if e.Junction != nil {
			junction = e.Junction.Rel.Name
		}
		if e.ToOne != c.toOne || junction != c.junction || !samePairs(e.On, c.on) {
			t.Errorf("%s: toOne=%v junction=%q on=%v, want %v %q %v", c.target, e.ToOne, junction, e.On, c.toOne, c.junction, c.on)
		}
	}
}

func TestReadPlanOptions(t *testing.T) {
	snap := snapshot(t)
	r, err := build(t, snap, "/films?select=id,actors(name)&limit=5", plan.Options{MaxRows: 3}, "Prefer", "count=estimated")
	if err != nil {
		t.Fatal(err)
	}
	if r.Count != plan.CountEstimated || !r.NeedsPlannedCount() || r.Root.MaxRows != 3 || r.Root.Embeds[0].Node.MaxRows != 3 || !r.Paged() {
		t.Fatalf("unexpected plan %+v", r)
	}
	if _, err := build(t, snap, "/films", plan.Options{}, "Accept", "application/vnd.pgrst.plan"); err == nil {
		t.Fatal("plan media type accepted while disabled")
	}
	r, err = build(t, snap, "/films", plan.Options{PlanEnabled: true}, "Accept", `application/vnd.pgrst.plan+json; for="text/csv"`)
	if err != nil {
		t.Fatal(err)
	}
	if r.Explain == nil || r.Body != plan.BodyCSV || r.ContentType != `application/vnd.pgrst.plan+json; for="text/csv"; charset=utf-8` {
		t.Fatalf("unexpected plan %+v", r)
	}
}

func samePairs(a, b []plan.ColumnPair) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
