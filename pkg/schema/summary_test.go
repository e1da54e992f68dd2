package schema

import (
	"encoding/json"
	"fmt"
	"strings"
)

// describe renders a relationship on one line, for exact comparisons in tests.
func describe(r Relationship) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s -> %s %s", r.Table, r.ForeignTable, r.Cardinality)
	if r.IsSelf {
		b.WriteString(" self")
	}
	switch {
	case r.Junction != nil:
		j := r.Junction
		fmt.Fprintf(&b, " via %s %s(%s) %s(%s)", j.Table, j.Constraint1, pairs(j.SourceColumns), j.Constraint2, pairs(j.TargetColumns))
	case r.Function != nil:
		one := "to-many"
		if r.ToOne {
			one = "to-one"
		}
		fmt.Fprintf(&b, " %s %s", r.Function, one)
	default:
		fmt.Fprintf(&b, " %s(%s)", r.Constraint, pairs(r.Columns))
		if r.FKOnOrigin {
			b.WriteString(" fk-here")
		}
		if r.ToOne {
			b.WriteString(" to-one")
		}
	}
	return b.String()
}

func pairs(ps []ColumnPair) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.Column+"="+p.Foreign)
	}
	return strings.Join(s, ",")
}

func equalJSON(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}
