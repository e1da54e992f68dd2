package schema

import (
	"slices"
	"strings"
)

// maxFuzzyRelations: like PostgREST, relation-name hints are only offered for schemas with
// fewer relations than this (the index would cost too much for huge schemas).
const maxFuzzyRelations = 500

func (s *Snapshot) buildFuzzy() {
	s.fuzzyOnce.Do(func() {
		relNames := map[string][]string{}
		for _, r := range s.Relations {
			relNames[r.Schema] = append(relNames[r.Schema], r.Name)
		}
		s.relFuzzy = map[string]*fuzzySet{}
		for schema, names := range relNames {
			if len(names) < maxFuzzyRelations {
				s.relFuzzy[schema] = newFuzzySet(names)
			}
		}
		funcNames := map[string][]string{}
		for _, f := range s.AllFunctions {
			funcNames[f.Schema] = append(funcNames[f.Schema], f.Name)
		}
		s.funcFuzzy = map[string]*fuzzySet{}
		for schema, names := range funcNames {
			s.funcFuzzy[schema] = newFuzzySet(names)
		}
	})
}

// SimilarRelation suggests the relation of schema whose name is closest to name (similarity
// ≥ 0.75), for the PGRST205 hint "Perhaps you meant the table 'schema.<suggestion>'".
// It returns "" when nothing is close enough or the schema has 500 relations or more.
func (s *Snapshot) SimilarRelation(schema, name string) string {
	s.buildFuzzy()
	return s.relFuzzy[schema].best(name, strictScore)
}

// SimilarFunction suggests the function of schema whose name is closest to name
// (similarity ≥ 0.75), for the PGRST202 hint when no function has that name.
func (s *Snapshot) SimilarFunction(schema, name string) string {
	s.buildFuzzy()
	return s.funcFuzzy[schema].best(name, strictScore)
}

// SimilarParams suggests, among the overloads of schema.name, the one whose input
// parameter names are closest to keys (library default threshold), for the PGRST202 hint
// "Perhaps you meant to call the function schema.name(a, b)". It returns nil when there is
// no overload or none is close enough.
func (s *Snapshot) SimilarParams(schema, name string, keys []string) *Function {
	overloads := s.Functions(schema, name)
	if len(overloads) == 0 {
		return nil
	}
	sets := make([]string, len(overloads))
	for i, f := range overloads {
		sets[i] = paramSet(f)
	}
	best := newFuzzySet(sets).best(joinSorted(keys), lenientScore)
	if best == "" {
		return nil
	}
	for i, f := range overloads {
		if sets[i] == best {
			return f
		}
	}
	return nil
}

func paramSet(f *Function) string {
	var names []string
	for _, p := range f.InputParams() {
		names = append(names, p.Name)
	}
	return joinSorted(names)
}

func joinSorted(names []string) string {
	names = slices.Clone(names)
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// SimilarEmbed suggests a fix for PGRST200 ("Perhaps you meant '<suggestion>' instead of
// '<replaced>'."): when origin is not a relation of schema with relationships, the closest
// such origin replaces origin; otherwise, unless target exactly names one of origin's
// relationship targets, the closest target (table, view or computed function name)
// replaces target. Both results are "" when there is nothing to suggest.
func (s *Snapshot) SimilarEmbed(schema, origin, target string) (suggestion, replaced string) {
	rels := s.Relationships(schema, origin)
	if len(rels) == 0 {
		var origins []string
		for _, r := range s.Relations {
			if r.Schema == schema && len(r.Relationships) > 0 {
				origins = append(origins, r.Name)
			}
		}
		if best := newFuzzySet(origins).best(origin, lenientScore); best != "" {
			return best, origin
		}
		return "", ""
	}
	var targets []string
	for _, r := range rels {
		name := r.ForeignTable.Name
		if r.Function != nil {
			name = r.Function.Name
		}
		if name == target {
			return "", ""
		}
		targets = append(targets, name)
	}
	if best := newFuzzySet(targets).best(target, lenientScore); best != "" {
		return best, target
	}
	return "", ""
}
