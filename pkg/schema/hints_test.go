package schema

import (
	"fmt"
	"math"
	"testing"
)

// hintSnapshot is built by hand, the way planner tests may build one.
func hintSnapshot() *Snapshot {
	rel := func(name string, targets ...string) *Relation {
		r := &Relation{Schema: "test", Name: name, Kind: KindTable}
		for _, t := range targets {
			r.Relationships = append(r.Relationships, Relationship{
				Table: QualifiedName{"test", name}, ForeignTable: QualifiedName{"test", t},
				Cardinality: OneToMany, Constraint: t + "_fkey",
			})
		}
		return r
	}
	fn := func(name string, params ...string) *Function {
		f := &Function{Schema: "test", Name: name, Return: ReturnType{Type: "integer", Kind: ReturnScalar}}
		for _, p := range params {
			f.Params = append(f.Params, Param{Name: p, Type: "integer", CallType: "integer", Mode: ParamIn})
		}
		return f
	}
	s := &Snapshot{
		Schemas: []Schema{{Name: "test"}},
		Relations: []*Relation{
			rel("projects"), rel("clients", "projects"), rel("tasks"), rel("users_projects"), rel("projects_view"),
			rel("car_models", "car_model_sales", "car_brands"), rel("car_model_sales"), rel("car_brands"),
			rel("Articles"),
		},
		AllFunctions: []*Function{
			fn("sayhello", "name"), fn("add_them", "a", "b"), fn("add_them", "a", "b", "c", "d"), fn("getitemrange", "min", "max"),
		},
	}
	s.index()
	return s
}

func TestSimilarRelation(t *testing.T) {
	s := hintSnapshot()
	for _, c := range []struct{ in, want string }{
		{"projectx", "projects"},
		{"projecxx", "projects"},
		{"projxxxx", ""},
		{"PROJECTS", "projects"}, // case-insensitive exact match
		{"articles", "Articles"}, // answers with the stored spelling
		{"car_model_sale", "car_model_sales"},
		{"zzzzzz", ""},
	} {
		if got := s.SimilarRelation("test", c.in); got != c.want {
			t.Errorf("SimilarRelation(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := s.SimilarRelation("other", "projectx"); got != "" {
		t.Errorf("unknown schema: %q", got)
	}
}

func TestSimilarFunction(t *testing.T) {
	s := hintSnapshot()
	for _, c := range []struct{ in, want string }{
		{"sayhell", "sayhello"},
		{"add_them", "add_them"},
		{"getitemrang", "getitemrange"},
		{"sxyxxll", ""},
	} {
		if got := s.SimilarFunction("test", c.in); got != c.want {
			t.Errorf("SimilarFunction(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSimilarParams(t *testing.T) {
	s := hintSnapshot()
	sig := func(f *Function) string {
		if f == nil {
			return "<nil>"
		}
		return f.Signature()
	}
	for _, c := range []struct {
		keys []string
		want string
	}{
		{[]string{"c", "a"}, "test.add_them(a => integer, b => integer)"},
		{[]string{"a", "b", "c", "e"}, "test.add_them(a => integer, b => integer, c => integer, d => integer)"},
		{[]string{"xyzzy_long_parameter"}, "<nil>"},
	} {
		if got := sig(s.SimilarParams("test", "add_them", c.keys)); got != c.want {
			t.Errorf("SimilarParams(%q) = %s, want %s", c.keys, got, c.want)
		}
	}
	if f := s.SimilarParams("test", "nope", []string{"a"}); f != nil {
		t.Errorf("no function: %v", f)
	}
}

func TestSimilarEmbed(t *testing.T) {
	s := hintSnapshot()
	for _, c := range []struct{ origin, target, want string }{
		{"car_models", "car_model_sales_202101", "car_model_sales instead of car_model_sales_202101"},
		{"car_models", "car_brandz", "car_brands instead of car_brandz"},
		{"car_models", "car_brands", ""}, // exact target: nothing to suggest
		{"car_modelz", "car_brands", "car_models instead of car_modelz"},
		{"clients", "zzzzzzzzzzzz", ""},
	} {
		sug, repl := s.SimilarEmbed("test", c.origin, c.target)
		got := ""
		if sug != "" {
			got = fmt.Sprintf("%s instead of %s", sug, repl)
		}
		if got != c.want {
			t.Errorf("SimilarEmbed(%s, %s) = %q, want %q", c.origin, c.target, got, c.want)
		}
	}
}

func TestFuzzyScores(t *testing.T) {
	// 1 - levenshtein/max(len) on the lower-cased words.
	for _, c := range []struct {
		a, b string
		want float64
	}{
		{"projectx", "projects", 0.875},
		{"projecxx", "projects", 0.75},
		{"projxxxx", "projects", 0.5},
		{"car_model_sales_202101", "car_model_sales", 1 - 7.0/22},
		{"", "", 1},
	} {
		if got := levenshteinSimilarity(c.a, c.b); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("similarity(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	got := gramCounts("ab_c, d", 2)
	want := map[string]int{"-a": 1, "ab": 1, "bc": 1, "c,": 1, ", ": 1, " d": 1, "d-": 1}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("grams = %v, want %v", got, want)
	}
}
