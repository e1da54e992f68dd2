package plan

import (
	"github.com/rocksteady/rocksteady/pkg/apierr"
	"github.com/rocksteady/rocksteady/pkg/schema"
)

// catalog is the planner's view of a schema-cache snapshot.
type catalog struct {
	snap *schema.Snapshot
}

func nameOf(r *schema.Relation) Name { return Name{Schema: r.Schema, Name: r.Name} }

// relation looks a table or view up (PGRST205 with a "Perhaps you meant" hint when absent).
func (c catalog) relation(schemaName, name string) (*schema.Relation, error) {
	if r, ok := c.snap.Relation(schemaName, name); ok {
		return r, nil
	}
	suggestion := c.snap.SimilarRelation(schemaName, name)
	if suggestion != "" {
		suggestion = schemaName + "." + suggestion
	}
	return nil, apierr.NoTable(schemaName, name, suggestion)
}

// computedColumn finds a function of rel's row type named name.
func (c catalog) computedColumn(rel *schema.Relation, name string) (Name, bool) {
	cc, ok := rel.ComputedColumn(name)
	if !ok {
		return Name{}, false
	}
	return Name{Schema: cc.Function.Schema, Name: cc.Function.Name}, true
}

// resolved is a relationship chosen for an embed.
type resolved struct {
	target   *schema.Relation
	toOne    bool
	on       []ColumnPair
	junction *Junction
}

// resolve picks the one relationship from origin that target (and hint) name, as §4.2 of
// PostgREST's rules say: PGRST200 when none, PGRST201 when several.
func (c catalog) resolve(origin *schema.Relation, target, hint string) (*resolved, error) {
	var found []schema.Relationship
	for _, r := range origin.Relationships {
		if r.Cardinality == schema.Computed {
			continue
		}
		if relationshipMatches(r, target, hint, c.snap) {
			found = append(found, r)
		}
	}
	switch len(found) {
	case 0:
		hintText := ""
		if suggestion, replaced := c.snap.SimilarEmbed(origin.Schema, origin.Name, target); suggestion != "" {
			hintText = "Perhaps you meant '" + suggestion + "' instead of '" + replaced + "'."
		}
		return nil, apierr.NoRelationship(origin.Name, target, hint, origin.Schema, hintText)
	case 1:
	default:
		details := make([]map[string]string, len(found))
		options := make([]string, len(found))
		for i, r := range found {
			details[i] = map[string]string{
				"cardinality":  string(r.Cardinality),
				"embedding":    origin.Name + " with " + r.ForeignTable.Name,
				"relationship": describe(r),
			}
			if r.Junction != nil {
				options[i] = target + "!" + r.Junction.Table.Name
			} else {
				options[i] = target + "!" + r.Constraint
			}
		}
		return nil, apierr.AmbiguousRelationship(origin.Name, target, details, options)
	}
	r := found[0]
	rel, ok := c.snap.Relation(r.ForeignTable.Schema, r.ForeignTable.Name)
	if !ok {
		return nil, apierr.NoRelationship(origin.Name, target, hint, origin.Schema, "")
	}
	res := &resolved{target: rel, toOne: r.ToOne}
	if j := r.Junction; j != nil {
		pj := &Junction{Rel: Name{Schema: j.Table.Schema, Name: j.Table.Name}}
		for _, p := range j.SourceColumns {
			pj.ToParent = append(pj.ToParent, ColumnPair{Child: p.Column, Parent: p.Foreign})
		}
		for _, p := range j.TargetColumns {
			pj.ToChild = append(pj.ToChild, ColumnPair{Child: p.Column, Parent: p.Foreign})
		}
		res.junction = pj
		return res, nil
	}
	for _, p := range r.Columns {
		res.on = append(res.on, ColumnPair{Child: p.Foreign, Parent: p.Column})
	}
	return res, nil
}

func relationshipMatches(r schema.Relationship, target, hint string, snap *schema.Snapshot) bool {
	foreignIsTable := true
	if fr, ok := snap.Relation(r.ForeignTable.Schema, r.ForeignTable.Name); ok && fr.IsView() {
		foreignIsTable = false
	}
	if hint == "" {
		if r.ForeignTable.Name == target {
			// A self-reference named by the table gives the children (one-to-many).
			return !(r.IsSelf && r.Cardinality == schema.ManyToOne)
		}
		if r.Junction == nil && foreignIsTable && r.Constraint == target {
			return true
		}
		if r.Junction == nil && r.FKOnOrigin && len(r.Columns) == 1 && r.Columns[0].Column == target {
			return true
		}
		return false
	}
	if r.ForeignTable.Name != target {
		return false
	}
	if r.Junction != nil {
		return r.Junction.Table.Name == hint
	}
	if r.Constraint == hint {
		return true
	}
	if len(r.Columns) == 1 {
		if r.IsSelf {
			// tbl!fkcol on a self-reference: the children whose FK column is fkcol.
			return r.Cardinality != schema.ManyToOne && r.Columns[0].Foreign == hint
		}
		return r.Columns[0].Column == hint || r.Columns[0].Foreign == hint
	}
	return false
}

// describe renders a relationship for PGRST201 details.
func describe(r schema.Relationship) string {
	if j := r.Junction; j != nil {
		return j.Table.Name + " using " + j.Constraint1 + "(" + pairCols(j.SourceColumns, true) + ") and " +
			j.Constraint2 + "(" + pairCols(j.TargetColumns, true) + ")"
	}
	return r.Constraint + " using " + r.Table.Name + "(" + pairCols(r.Columns, true) + ") and " +
		r.ForeignTable.Name + "(" + pairCols(r.Columns, false) + ")"
}

func pairCols(ps []schema.ColumnPair, own bool) string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += ", "
		}
		if own {
			s += p.Column
		} else {
			s += p.Foreign
		}
	}
	return s
}
