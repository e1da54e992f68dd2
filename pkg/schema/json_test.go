package schema

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestJSONRoundTrip(t *testing.T) {
	s, db := loadFixture(t)
	var first bytes.Buffer
	if err := s.WriteJSON(&first); err != nil {
		t.Fatal(err)
	}
	back, err := FromJSON(bytes.NewReader(first.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var second bytes.Buffer
	if err := back.WriteJSON(&second); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Fatal("JSON changed after a round trip")
	}

	// The lookups work on a snapshot read back from JSON.
	if r, ok := back.Relation("test", "projects"); !ok || len(r.Relationships) != 7 {
		t.Errorf("projects after round trip: %+v", r)
	} else if c, ok := r.Column("client_id"); !ok || c.Type != "integer" {
		t.Errorf("projects.client_id after round trip: %+v", c)
	}
	if fs := back.Functions("test", "overloaded"); len(fs) != 3 {
		t.Errorf("overloads after round trip: %d", len(fs))
	}
	if _, ok := back.ComputedColumn("test", "users", "full_name"); !ok {
		t.Error("computed column lost")
	}
	if _, ok := back.Role("schema_fixture_role"); !ok {
		t.Error("role settings lost")
	}
	if back.SimilarRelation("test", "projectx") != "projects" || !back.HasSchema("test") {
		t.Error("indexes not rebuilt")
	}
	if back.Counts() != s.Counts() {
		t.Errorf("counts %+v vs %+v", back.Counts(), s.Counts())
	}

	// Dump writes the same document.
	var dumped bytes.Buffer
	if err := Dump(context.Background(), db.URL, []string{"test", "missing"}, &dumped); err != nil {
		t.Fatal(err)
	}
	if dumped.String() != first.String() {
		t.Error("Dump differs from WriteJSON of Load")
	}
	if !strings.Contains(first.String(), `"foreign_table": {`) {
		t.Error("relationships are not in the dump")
	}
}

func TestFromJSONRejects(t *testing.T) {
	for _, in := range []string{
		`not json`,
		`{"relations": [null]}`,
		`{"functions": [null]}`,
		`{"relations": [], "surprise": 1}`,
	} {
		if _, err := FromJSON(strings.NewReader(in)); err == nil {
			t.Errorf("FromJSON(%q) succeeded", in)
		}
	}
	s, err := FromJSON(strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Relation("a", "b"); ok || s.Functions("a", "b") != nil {
		t.Error("empty snapshot has content")
	}
}
