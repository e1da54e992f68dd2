package schema

import (
	"cmp"
	"slices"
	"strings"
)

// Relation looks up an exposed relation.
func (s *Snapshot) Relation(schema, name string) (*Relation, bool) {
	r, ok := s.rels[QualifiedName{schema, name}]
	return r, ok
}

// Functions returns the callable overloads of schema.name ordered by number of parameters
// (nil when there is none). The slice is shared: do not modify it.
func (s *Snapshot) Functions(schema, name string) []*Function {
	return s.funcs[QualifiedName{schema, name}]
}

// Relationships returns the relationships whose origin is schema.name. The slice is
// shared: do not modify it.
func (s *Snapshot) Relationships(schema, name string) []Relationship {
	if r, ok := s.rels[QualifiedName{schema, name}]; ok {
		return r.Relationships
	}
	return nil
}

// ComputedColumn looks up the computed column name of relation schema.table.
func (s *Snapshot) ComputedColumn(schema, table, name string) (*ComputedColumn, bool) {
	r, ok := s.rels[QualifiedName{schema, table}]
	if !ok {
		return nil, false
	}
	return r.ComputedColumn(name)
}

// DomainRepresentation returns the implicit cast from type source to type target (by OID)
// when it is a domain representation.
func (s *Snapshot) DomainRepresentation(source, target uint32) (*DomainRepresentation, bool) {
	d, ok := s.domainRep[[2]uint32{source, target}]
	return d, ok
}

// HasSchema reports whether schema is one of the snapshot's exposed schemas.
func (s *Snapshot) HasSchema(schema string) bool { return s.schemaSet[schema] }

// Role returns the ALTER ROLE … SET settings of role.
func (s *Snapshot) Role(role string) (*RoleSettings, bool) {
	r, ok := s.roles[role]
	return r, ok
}

// Counts returns the sizes of the snapshot.
func (s *Snapshot) Counts() Counts {
	c := Counts{Relations: len(s.Relations), Functions: len(s.AllFunctions)}
	for _, r := range s.Relations {
		c.Columns += len(r.Columns)
		c.ForeignKeys += len(r.ForeignKeys)
		c.Relationships += len(r.Relationships)
		c.ComputedColumns += len(r.ComputedColumns)
	}
	return c
}

// index sorts everything into its canonical order and builds the lookup maps. It runs once,
// before the snapshot is published.
func (s *Snapshot) index() {
	slices.SortFunc(s.Relations, func(a, b *Relation) int {
		return cmp.Or(cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.Name, b.Name))
	})
	s.rels = make(map[QualifiedName]*Relation, len(s.Relations))
	for _, r := range s.Relations {
		slices.SortFunc(r.Columns, func(a, b *Column) int { return cmp.Compare(a.Position, b.Position) })
		slices.SortFunc(r.UniqueConstraints, func(a, b Constraint) int { return cmp.Compare(a.Name, b.Name) })
		slices.SortFunc(r.ForeignKeys, func(a, b ForeignKey) int { return cmp.Compare(a.Name, b.Name) })
		slices.SortFunc(r.Relationships, compareRelationships)
		slices.SortFunc(r.ComputedColumns, func(a, b *ComputedColumn) int { return cmp.Compare(a.Name, b.Name) })
		r.columns = make(map[string]*Column, len(r.Columns))
		for _, c := range r.Columns {
			r.columns[c.Name] = c
		}
		r.computed = make(map[string]*ComputedColumn, len(r.ComputedColumns))
		for _, c := range r.ComputedColumns {
			r.computed[c.Name] = c
		}
		s.rels[r.QualifiedName()] = r
	}

	slices.SortFunc(s.CompositeTypes, func(a, b *Relation) int {
		return cmp.Or(cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.Name, b.Name))
	})
	s.composite = make(map[QualifiedName]*Relation, len(s.CompositeTypes))
	for _, r := range s.CompositeTypes {
		slices.SortFunc(r.Columns, func(a, b *Column) int { return cmp.Compare(a.Position, b.Position) })
		r.columns = make(map[string]*Column, len(r.Columns))
		for _, c := range r.Columns {
			r.columns[c.Name] = c
		}
		s.composite[r.QualifiedName()] = r
	}

	slices.SortFunc(s.AllFunctions, compareFunctions)
	s.funcs = make(map[QualifiedName][]*Function)
	for _, f := range s.AllFunctions {
		q := f.QualifiedName()
		s.funcs[q] = append(s.funcs[q], f)
	}

	slices.SortFunc(s.RoleSettings, func(a, b RoleSettings) int { return cmp.Compare(a.Role, b.Role) })
	s.roles = make(map[string]*RoleSettings, len(s.RoleSettings))
	for i := range s.RoleSettings {
		s.roles[s.RoleSettings[i].Role] = &s.RoleSettings[i]
	}

	slices.SortFunc(s.DomainRepresentations, func(a, b DomainRepresentation) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Target, b.Target))
	})
	s.domainRep = make(map[[2]uint32]*DomainRepresentation, len(s.DomainRepresentations))
	for i := range s.DomainRepresentations {
		d := &s.DomainRepresentations[i]
		s.domainRep[[2]uint32{d.SourceOID, d.TargetOID}] = d
	}

	s.schemaSet = make(map[string]bool, len(s.Schemas))
	for _, sc := range s.Schemas {
		s.schemaSet[sc.Name] = true
	}
}

func compareFunctions(a, b *Function) int {
	return cmp.Or(
		cmp.Compare(a.Schema, b.Schema),
		cmp.Compare(a.Name, b.Name),
		cmp.Compare(len(a.Params), len(b.Params)),
		cmp.Compare(paramKey(a.Params), paramKey(b.Params)),
		cmp.Compare(a.Return.Type, b.Return.Type),
		cmp.Compare(a.OID, b.OID),
	)
}

func paramKey(ps []Param) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(string(p.Mode) + " " + p.Name + " " + p.Type + ",")
	}
	return b.String()
}

func compareQN(a, b QualifiedName) int {
	return cmp.Or(cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.Name, b.Name))
}

func comparePairs(a, b []ColumnPair) int {
	return slices.CompareFunc(a, b, func(x, y ColumnPair) int {
		return cmp.Or(cmp.Compare(x.Column, y.Column), cmp.Compare(x.Foreign, y.Foreign))
	})
}

func compareRelationships(a, b Relationship) int {
	c := cmp.Or(
		compareQN(a.ForeignTable, b.ForeignTable),
		cmp.Compare(a.Cardinality, b.Cardinality),
		cmp.Compare(a.Constraint, b.Constraint),
		comparePairs(a.Columns, b.Columns),
	)
	if c != 0 {
		return c
	}
	switch {
	case a.Junction != nil && b.Junction != nil:
		return cmp.Or(
			compareQN(a.Junction.Table, b.Junction.Table),
			cmp.Compare(a.Junction.Constraint1, b.Junction.Constraint1),
			cmp.Compare(a.Junction.Constraint2, b.Junction.Constraint2),
			comparePairs(a.Junction.SourceColumns, b.Junction.SourceColumns),
			comparePairs(a.Junction.TargetColumns, b.Junction.TargetColumns),
		)
	case a.Function != nil && b.Function != nil:
		return compareQN(*a.Function, *b.Function)
	}
	return 0
}
