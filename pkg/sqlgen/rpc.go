package sqlgen

import (
	"encoding/hex"
	"fmt"

	"github.com/rocksteady/rocksteady/pkg/plan"
)

// from writes the relation a node reads: its table or view, or for the root of an RPC
// read the rows of the function call.
func (b *builder) from(n *plan.Node) {
	if n.FromCall {
		b.w("pgrst_call")
		return
	}
	b.qualified(n.Rel.Schema, n.Rel.Name)
}

// CallCheck is the row-count check a call makes on its result (check.go); none for a
// plan (EXPLAIN) request.
func CallCheck(c *plan.Call) CountCheck {
	if c.Explain != nil {
		return CountCheck{MaxAffected: -1}
	}
	return CountCheck{Singular: c.Singular, MaxAffected: c.MaxAffected}
}

// Call renders a planned function call as one statement with the columns of Read. The
// call itself is the pgrst_call CTE, so the function runs once even when the result is
// both counted and paged; the read over it is pgrst_source.
func Call(c *plan.Call) (string, [][]byte, error) {
	b := newBuilder(1024)
	if c.Explain != nil {
		b.explain(c.Explain)
	}
	b.w("WITH pgrst_call AS (")
	if err := b.call(c); err != nil {
		return "", nil, err
	}
	b.w("), pgrst_source AS (")
	rows := c.Shape == plan.ResultRows || c.Shape == plan.ResultRow
	if rows {
		if err := b.node(c.Root, nil, true); err != nil {
			return "", nil, err
		}
	} else {
		b.w("SELECT pgrst_scalar FROM pgrst_call")
		b.page(c.Root)
	}
	b.w(") SELECT ")
	switch {
	case c.Count == plan.CountExact && !c.Paged():
		b.w("pg_catalog.count(_postgrest_t)")
	case c.Count == plan.CountExact && rows:
		b.w("(SELECT pg_catalog.count(*) FROM (")
		if err := b.countSource(c.Root); err != nil {
			return "", nil, err
		}
		b.w(") pgrst_source_count)")
	case c.Count == plan.CountExact:
		b.w("(SELECT pg_catalog.count(*) FROM pgrst_call)")
	default:
		b.w("NULL::bigint")
	}
	b.w(" AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, ")
	switch {
	case c.Shape == plan.ResultVoid || c.Read.Body == plan.BodyNone:
		b.w("NULL::text")
	case rows || c.Read.Body == plan.BodyCSV:
		b.body(c.Read.Body, c.StripNulls)
	case c.Shape == plan.ResultScalar || c.Read.Body == plan.BodyJSONObject:
		b.w("coalesce((json_agg(_postgrest_t.pgrst_scalar)->0)::text, 'null')")
	default:
		b.w("coalesce(json_agg(_postgrest_t.pgrst_scalar), '[]')::text")
	}
	b.w(" AS body, ")
	b.responseGUCs()
	if check := CallCheck(c); check.Needed() {
		b.w(", ")
		b.countCheck("pg_catalog.count(_postgrest_t)", check)
		b.w(" AS pgrst_check")
	}
	b.w(" FROM (SELECT * FROM pgrst_source) _postgrest_t")
	if b.err != nil {
		return "", nil, b.err
	}
	return b.sb.String(), b.args, nil
}

// call writes the SELECT that calls the function: its rows (composite results) or its
// value as pgrst_scalar.
func (b *builder) call(c *plan.Call) error {
	rows := c.Shape == plan.ResultRows || c.Shape == plan.ResultRow
	if rows {
		b.w("SELECT pgrst_fn.* FROM ")
		if c.Source == plan.ArgsJSON {
			if err := b.jsonArgs(c); err != nil {
				return err
			}
			b.w(", LATERAL ")
		}
		if err := b.invoke(c); err != nil {
			return err
		}
		b.w(" AS pgrst_fn")
		return nil
	}
	b.w("SELECT ")
	if err := b.invoke(c); err != nil {
		return err
	}
	b.w(" AS pgrst_scalar")
	if c.Source == plan.ArgsJSON {
		b.w(" FROM ")
		return b.jsonArgs(c)
	}
	return nil
}

// jsonArgs writes the one-row relation pgrst_body holding the arguments read from the
// JSON body with the parameters' types (the first object of an array body).
func (b *builder) jsonArgs(c *plan.Call) error {
	b.w("(SELECT * FROM ")
	if c.BodyIsArray {
		b.w("json_to_recordset(")
	} else {
		b.w("json_to_record(")
	}
	b.param(string(c.Payload))
	b.w("::json) AS pgrst_args(")
	for i, a := range c.Args {
		if i > 0 {
			b.w(", ")
		}
		b.ident(a.Name)
		b.w(" ")
		if err := b.typeName(a.Type); err != nil {
			return err
		}
	}
	b.w(") LIMIT 1) pgrst_body")
	return nil
}

// invoke writes "schema"."fn"(…) with named arguments, or the raw body positionally.
func (b *builder) invoke(c *plan.Call) error {
	b.qualified(c.Func.Schema, c.Func.Name)
	b.w("(")
	defer b.w(")")
	switch c.Source {
	case plan.ArgsRaw:
		v := string(c.Payload)
		if c.RawType == "bytea" {
			v = `\x` + hex.EncodeToString(c.Payload)
		}
		b.w("CAST(")
		b.param(v)
		b.w(" AS ")
		if err := b.typeName(c.RawType); err != nil {
			return err
		}
		b.w(")")
		return nil
	case plan.ArgsNone:
		return nil
	}
	for i, a := range c.Args {
		if i > 0 {
			b.w(", ")
		}
		if a.Variadic {
			b.w("VARIADIC ")
		}
		b.ident(a.Name)
		b.w(" := ")
		if c.Source == plan.ArgsJSON {
			b.w("pgrst_body.")
			b.ident(a.Name)
			continue
		}
		v := ""
		if a.Variadic {
			v = pgArray(a.Values)
		} else if len(a.Values) > 0 {
			v = a.Values[len(a.Values)-1]
		}
		b.w("CAST(")
		b.param(v)
		b.w(" AS ")
		if err := b.typeName(a.Type); err != nil {
			return err
		}
		b.w(")")
	}
	return nil
}

// typeName writes a type name from the schema cache (format_type output, already quoted
// where PostgreSQL needs it). It refuses anything that could end the expression.
func (b *builder) typeName(t string) error {
	if t == "" {
		return fmt.Errorf("sqlgen: empty type name")
	}
	inQuotes := false
	for _, r := range t {
		switch {
		case r == '"':
			inQuotes = !inQuotes
		case inQuotes:
		case r == ';' || r == '(' || r == ')' || r == '\'' || r == '-' || r == '/' || r == '$':
			return fmt.Errorf("sqlgen: unsafe type name %q", t)
		}
	}
	if inQuotes {
		return fmt.Errorf("sqlgen: unsafe type name %q", t)
	}
	b.w(t)
	return nil
}
