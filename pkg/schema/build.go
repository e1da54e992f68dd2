package schema

import (
	"cmp"
	"slices"
)

// build turns the raw catalog rows into the snapshot's keys, foreign keys, relationships,
// functions and computed columns.
func (l *loader) build() {
	l.attachKeys()
	exposed := l.resolveViews()
	l.inferViewPrimaryKeys()
	rels := l.foreignKeyRelationships(exposed)
	rels = append(rels, manyToMany(rels)...)
	computed := l.buildFunctions()
	rels = overrideWithComputed(rels, computed)
	for _, r := range rels {
		r.origin.Relationships = append(r.origin.Relationships, r.Relationship)
	}
}

// attachKeys gives the exposed tables their primary key, unique constraints and foreign keys.
func (l *loader) attachKeys() {
	for oid, r := range l.byOID {
		for _, k := range l.keys[oid] {
			if k.primary {
				r.PrimaryKey = k.cols
			} else {
				r.UniqueConstraints = append(r.UniqueConstraints, Constraint{Name: k.name, Columns: k.cols})
			}
		}
	}
	for _, fk := range l.fks {
		if r := l.byOID[fk.rel]; r != nil {
			r.ForeignKeys = append(r.ForeignKeys, ForeignKey{
				Name: fk.name, Columns: fk.cols, References: fk.frelName, ReferencedColumns: fk.fcol,
			})
		}
	}
}

// viewColumn is a column of an exposed view showing some base column unchanged.
type viewColumn struct {
	view *Relation
	name string
	pos  int
	src  colSource // the base column, after following views
}

// resolveViews follows each exposed view column through the exposed views it reads from
// down to the relation column it finally shows, and returns, per such base column, the
// view columns that show it (ordered by view and position). It also keeps each view's
// resolved columns in l.viewCols.
func (l *loader) resolveViews() map[colSource][]viewColumn {
	exposed := map[colSource][]viewColumn{}
	l.viewCols = map[*Relation][]viewColumn{}
	for oid, targets := range l.views {
		v := l.byOID[oid]
		if v == nil {
			continue
		}
		for att, src := range targets {
			// Views cannot form cycles; the bound only guards against a corrupt catalog.
			for hops := 0; hops < 100; hops++ {
				inner, ok := l.views[src.rel]
				if !ok {
					break
				}
				next, ok := inner[src.att]
				if !ok {
					src = colSource{}
					break
				}
				src = next
			}
			name, ok := l.attNames[oid][att]
			if src.rel == 0 || !ok {
				continue
			}
			vc := viewColumn{view: v, name: name, pos: att, src: src}
			exposed[src] = append(exposed[src], vc)
			l.viewCols[v] = append(l.viewCols[v], vc)
		}
	}
	order := func(a, b viewColumn) int {
		return cmp.Or(cmp.Compare(a.view.Schema, b.view.Schema), cmp.Compare(a.view.Name, b.view.Name), cmp.Compare(a.pos, b.pos))
	}
	for _, cols := range exposed {
		slices.SortFunc(cols, order)
	}
	for _, cols := range l.viewCols {
		slices.SortFunc(cols, order)
	}
	return exposed
}

// inferViewPrimaryKeys gives a view the primary key columns of each base table whose whole
// primary key it shows (the first view column when a key column is shown twice), tables
// taken in the order the view first shows one of their columns.
func (l *loader) inferViewPrimaryKeys() {
	for v, cols := range l.viewCols {
		first := map[colSource]string{}
		var tables []uint32
		for _, c := range cols {
			if _, ok := first[c.src]; !ok {
				first[c.src] = c.name
			}
			if !slices.Contains(tables, c.src.rel) {
				tables = append(tables, c.src.rel)
			}
		}
		for _, t := range tables {
			for _, k := range l.keys[t] {
				if !k.primary {
					continue
				}
				names := make([]string, 0, len(k.nums))
				for _, n := range k.nums {
					if name, ok := first[colSource{t, n}]; ok {
						names = append(names, name)
					}
				}
				if len(names) == len(k.nums) {
					v.PrimaryKey = append(v.PrimaryKey, names...)
				}
			}
		}
	}
}

// builtRel is a relationship under construction: its origin relation and, for FK-based
// ones, which FK constraint it came from (names are only unique per table).
type builtRel struct {
	Relationship
	origin *Relation
	target *Relation
	fk     int
}

// endpoint is one relation that can stand for one side of an FK: the table itself, or an
// exposed view showing all of the FK's columns on that side.
type endpoint struct {
	rel  *Relation
	cols []string
}

func (l *loader) endpoints(rel uint32, nums []int, names []string, exposed map[colSource][]viewColumn) []endpoint {
	var out []endpoint
	if r := l.byOID[rel]; r != nil {
		out = append(out, endpoint{r, names})
	}
	if len(nums) == 0 {
		return out
	}
	var views []*Relation
	for _, vc := range exposed[colSource{rel, nums[0]}] {
		if !slices.Contains(views, vc.view) {
			views = append(views, vc.view)
		}
	}
	for _, v := range views {
		// choices[i] are v's columns showing the FK's i-th column; a column shown several
		// times yields one endpoint per combination.
		choices := make([][]string, len(nums))
		complete := true
		for i, n := range nums {
			for _, vc := range exposed[colSource{rel, n}] {
				if vc.view == v {
					choices[i] = append(choices[i], vc.name)
				}
			}
			if len(choices[i]) == 0 {
				complete = false
				break
			}
		}
		if !complete {
			continue
		}
		for _, combo := range product(choices) {
			out = append(out, endpoint{v, combo})
		}
	}
	return out
}

func product(choices [][]string) [][]string {
	out := [][]string{nil}
	for _, opts := range choices {
		next := make([][]string, 0, len(out)*len(opts))
		for _, prefix := range out {
			for _, o := range opts {
				next = append(next, append(slices.Clip(prefix), o))
			}
		}
		out = next
	}
	return out
}

// foreignKeyRelationships derives, from every FK constraint, a many-to-one (or one-to-one
// when the referencing columns are exactly a primary key or unique constraint) from each
// endpoint of the referencing side to each endpoint of the referenced side, and the inverse
// one-to-many (or one-to-one). Endpoints are exposed relations only, so both ends of every
// relationship are exposed.
func (l *loader) foreignKeyRelationships(exposed map[colSource][]viewColumn) []*builtRel {
	var out []*builtRel
	for i, fk := range l.fks {
		origins := l.endpoints(fk.rel, fk.nums, fk.cols, exposed)
		if len(origins) == 0 {
			continue
		}
		targets := l.endpoints(fk.frel, fk.fnum, fk.fcol, exposed)
		oneToOne := false
		for _, k := range l.keys[fk.rel] {
			if sameSet(k.nums, fk.nums) {
				oneToOne = true
				break
			}
		}
		forward, inverse := ManyToOne, OneToMany
		if oneToOne {
			forward, inverse = OneToOne, OneToOne
		}
		for _, o := range origins {
			for _, g := range targets {
				self := o.rel == g.rel
				pairs := make([]ColumnPair, len(o.cols))
				back := make([]ColumnPair, len(o.cols))
				for j := range o.cols {
					pairs[j] = ColumnPair{Column: o.cols[j], Foreign: g.cols[j]}
					back[j] = ColumnPair{Column: g.cols[j], Foreign: o.cols[j]}
				}
				out = append(out,
					&builtRel{Relationship: Relationship{
						Table: o.rel.QualifiedName(), ForeignTable: g.rel.QualifiedName(), Cardinality: forward,
						IsSelf: self, ToOne: true, Constraint: fk.name, Columns: pairs, FKOnOrigin: true,
					}, origin: o.rel, target: g.rel, fk: i},
					&builtRel{Relationship: Relationship{
						Table: g.rel.QualifiedName(), ForeignTable: o.rel.QualifiedName(), Cardinality: inverse,
						IsSelf: self, ToOne: oneToOne, Constraint: fk.name, Columns: back,
					}, origin: g.rel, target: o.rel, fk: i})
			}
		}
	}
	return out
}

func sameSet(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// manyToMany finds junctions: a relation J with two many-to-one relationships from two
// different FK constraints whose columns are all part of J's primary key (inferred for
// views). Each ordered pair (to A, to B) gives A ↔ B through J, so both directions appear,
// and A may equal B.
func manyToMany(rels []*builtRel) []*builtRel {
	byJunction := map[*Relation][]*builtRel{}
	for _, r := range rels {
		j := r.origin
		if r.Cardinality != ManyToOne || len(j.PrimaryKey) == 0 {
			continue
		}
		inKey := true
		for _, p := range r.Columns {
			if !slices.Contains(j.PrimaryKey, p.Column) {
				inKey = false
				break
			}
		}
		if inKey {
			byJunction[j] = append(byJunction[j], r)
		}
	}
	var out []*builtRel
	for j, cands := range byJunction {
		for _, a := range cands {
			for _, b := range cands {
				if a.fk == b.fk {
					continue
				}
				out = append(out, &builtRel{Relationship: Relationship{
					Table: a.ForeignTable, ForeignTable: b.ForeignTable, Cardinality: ManyToMany,
					IsSelf: a.ForeignTable == b.ForeignTable,
					Junction: &Junction{
						Table: j.QualifiedName(), Constraint1: a.Constraint, Constraint2: b.Constraint,
						SourceColumns: a.Columns, TargetColumns: b.Columns,
					},
				}, origin: a.target, target: b.target, fk: -1})
			}
		}
	}
	return out
}

// overrideWithComputed adds the computed relationships and drops every FK-derived
// relationship from the same origin whose target has the computed function's qualified
// name: that is how a computed relationship resolves an ambiguous or recursive embed.
func overrideWithComputed(rels, computed []*builtRel) []*builtRel {
	type key struct {
		origin *Relation
		target QualifiedName
	}
	hidden := map[key]bool{}
	for _, c := range computed {
		hidden[key{c.origin, *c.Function}] = true
	}
	out := rels[:0]
	for _, r := range rels {
		if !hidden[key{r.origin, r.ForeignTable}] {
			out = append(out, r)
		}
	}
	return append(out, computed...)
}
