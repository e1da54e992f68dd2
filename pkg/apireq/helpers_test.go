package apireq

import (
	"strconv"
	"strings"
	"testing"

	"github.com/rocksteady/rocksteady/pkg/apierr"
)

// The fmt* helpers render parse results in a compact notation close to the URL syntax, so
// table tests can state expectations as strings:
//
//	field   alias:name->'key'->>#-1::cast.sum()::cast
//	embed   alias:rel!hint!inner(children)
//	spread  ...rel!hint!inner(children)
//	filter  path.to|field not.op(any)(lang) "value" / [a b] / is:null

func fmtField(f Field) string {
	var b strings.Builder
	b.WriteString(strconv.Quote(f.Name))
	for _, op := range f.JSONPath {
		b.WriteString(op.Arrow.String())
		if op.IsIndex {
			b.WriteString("#" + op.Key)
		} else {
			b.WriteString("'" + op.Key + "'")
		}
	}
	return b.String()
}

func fmtSelect(items []SelectItem) string {
	parts := make([]string, len(items))
	for i, it := range items {
		var b strings.Builder
		if it.Alias != "" {
			b.WriteString(strconv.Quote(it.Alias) + ":")
		}
		switch it.Kind {
		case ItemStar:
			b.WriteString("*")
		case ItemCount:
			b.WriteString("count()")
			if it.AggregateCast != "" {
				b.WriteString("::" + it.AggregateCast)
			}
		case ItemField:
			b.WriteString(fmtField(it.Field))
			if it.Cast != "" {
				b.WriteString("::" + it.Cast)
			}
			if it.Aggregate != AggNone {
				b.WriteString("." + it.Aggregate.String() + "()")
			}
			if it.AggregateCast != "" {
				b.WriteString("::" + it.AggregateCast)
			}
		case ItemEmbed, ItemSpread:
			if it.Kind == ItemSpread {
				b.WriteString("...")
			}
			b.WriteString(strconv.Quote(it.Relation))
			if it.Hint != "" {
				b.WriteString("!" + strconv.Quote(it.Hint))
			}
			if it.Join != JoinDefault {
				b.WriteString("!" + it.Join.String())
			}
			b.WriteString("(" + fmtSelect(it.Children) + ")")
		}
		parts[i] = b.String()
	}
	return strings.Join(parts, ",")
}

func fmtFilter(f Filter) string {
	var b strings.Builder
	if len(f.Path) > 0 {
		b.WriteString(strings.Join(f.Path, ".") + "|")
	}
	b.WriteString(fmtField(f.Field) + " ")
	if f.Negated {
		b.WriteString("not.")
	}
	b.WriteString(f.Op.String())
	if f.Quantifier != QuantNone {
		b.WriteString("(" + f.Quantifier.String() + ")")
	}
	if f.Language != "" {
		b.WriteString("(" + f.Language + ")")
	}
	switch f.Op {
	case OpIn:
		if f.List == nil {
			b.WriteString(" nil-list")
		} else {
			b.WriteString(" [" + strings.Join(quoteAll(f.List), " ") + "]")
		}
	case OpIs:
		b.WriteString(" is:" + f.Is.String())
	default:
		b.WriteString(" " + strconv.Quote(f.Value))
	}
	return b.String()
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

func fmtLogic(e LogicExpr) string {
	if e.Filter != nil {
		return "{" + fmtFilter(*e.Filter) + "}"
	}
	kids := make([]string, len(e.Children))
	for i, c := range e.Children {
		kids[i] = fmtLogic(c)
	}
	neg := ""
	if e.Negated {
		neg = "not."
	}
	return neg + e.Op.String() + "(" + strings.Join(kids, ",") + ")"
}

func fmtOrder(terms []OrderTerm) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		s := fmtField(t.Field)
		if t.Relation != "" {
			s = strconv.Quote(t.Relation) + "(" + s + ")"
		}
		if t.Direction != DirDefault {
			s += "." + t.Direction.String()
		}
		if t.Nulls != NullsDefault {
			s += "." + t.Nulls.String()
		}
		parts[i] = s
	}
	return strings.Join(parts, ",")
}

// wantParseError checks a PGRST100 error's message and details.
func wantParseError(t *testing.T, err error, message, details string) {
	t.Helper()
	e, ok := err.(*apierr.Error)
	if !ok || e == nil {
		t.Fatalf("want PGRST100 %s, got %v", message, err)
	}
	if e.Code != "PGRST100" || e.Status != 400 {
		t.Errorf("code/status = %s/%d, want PGRST100/400", e.Code, e.Status)
	}
	if e.Message != message {
		t.Errorf("message\n got %s\nwant %s", e.Message, message)
	}
	if details != "" && e.Details != details {
		t.Errorf("details\n got %v\nwant %s", e.Details, details)
	}
}

// wantAPIError checks code, status, message and (if non-empty) details.
func wantAPIError(t *testing.T, err error, code string, status int, message, details string) {
	t.Helper()
	e, ok := err.(*apierr.Error)
	if !ok || e == nil {
		t.Fatalf("want %s, got %v", code, err)
	}
	if e.Code != code || e.Status != status {
		t.Fatalf("got %s/%d (%s), want %s/%d", e.Code, e.Status, e.Message, code, status)
	}
	if message != "" && e.Message != message {
		t.Errorf("message\n got %s\nwant %s", e.Message, message)
	}
	if details != "" && e.Details != details {
		t.Errorf("details\n got %v\nwant %s", e.Details, details)
	}
}
