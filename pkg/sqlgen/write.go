package sqlgen

import (
	"fmt"

	"github.com/rocksteady/rocksteady/pkg/plan"
)

// Extra result columns of a mutation statement (after ColResponseStatus).
const (
	// ColInserted is the number of rows really inserted by an upsert (NULL otherwise).
	ColInserted = ColResponseStatus + 1 + iota
	// ColLocation is a JSON array with, per affected row, the array of its primary-key
	// values as text (only for return=headers-only inserts).
	ColLocation
	// ColAffected is the number of rows written. ColPage is the number of rows in the
	// representation, which filters on embeds (!inner, rel=is.null) may make smaller.
	ColAffected
)

// Mutation renders a planned write as one statement: the INSERT/UPDATE/DELETE in a CTE,
// then one row with the affected-row count, the representation and the response GUCs.
// The body is a single parameter; PostgreSQL decodes it with json_to_record[set].
func Mutation(m *plan.Mutation) (string, [][]byte, error) {
	// A write with its representation (the seed's auto-save) is 2–3 KiB of SQL.
	b := newBuilder(3072)
	b.w("WITH pgrst_source AS (")
	if err := b.mutation(m); err != nil {
		return "", nil, err
	}
	// A write's total (count=exact) is its page count: no column of its own.
	b.w(") SELECT NULL::bigint AS total_result_set, ")
	if m.Body == plan.BodyNone {
		b.w("(SELECT pg_catalog.count(*) FROM pgrst_source)")
	} else {
		b.w("pg_catalog.count(_postgrest_t)")
	}
	b.w(" AS page_total, ")
	if m.Body == plan.BodyNone {
		b.w("NULL::text")
	} else {
		b.body(m.Body, m.StripNulls)
	}
	b.w(" AS body, ")
	b.responseGUCs()
	b.w(", ")
	if m.CountInserted {
		// Read once every row is written: the CASE needs the count, which needs them all.
		b.w("(SELECT CASE WHEN pgrst_n >= 0 THEN pg_catalog.current_setting(")
		b.w(insertedSetting)
		b.w(")::bigint END FROM (SELECT pg_catalog.count(*) AS pgrst_n FROM pgrst_source) pgrst_done)")
	} else {
		b.w("NULL::bigint")
	}
	b.w(" AS response_inserted, ")
	if m.Location {
		b.w("(SELECT json_agg(json_build_array(")
		for i, pk := range m.PrimaryKey {
			if i > 0 {
				b.w(", ")
			}
			b.w("pgrst_source.")
			b.ident(pk)
			b.w("::text")
		}
		b.w(")) FROM pgrst_source)::text")
	} else {
		b.w("NULL::text")
	}
	b.w(" AS location, (SELECT pg_catalog.count(*) FROM pgrst_source) AS affected")
	// The checks count the rows written, even when filters on embeds leave some of them
	// out of the representation: a singular write never changes more than one row.
	if check := MutationCheck(m); check.Needed() {
		b.w(", (SELECT ")
		b.countCheck("pgrst_n", check)
		b.w(" FROM (SELECT pg_catalog.count(*) AS pgrst_n FROM pgrst_source) pgrst_written) AS pgrst_check")
	}
	if m.Body != plan.BodyNone {
		b.w(" FROM (")
		if err := b.representation(m); err != nil {
			return "", nil, err
		}
		b.w(") _postgrest_t")
	}
	return b.sb.String(), b.args, nil
}

// MutationCheck is the row-count check a write makes (check.go).
func MutationCheck(m *plan.Mutation) CountCheck {
	return CountCheck{Singular: m.Singular, MaxAffected: m.MaxAffected, Put: m.Kind == plan.MutPut}
}

// representation shapes the affected rows like a read of the target would. The rows
// carry the returned columns only; when they are every column, the row converts to the
// relation's row type, which computed columns take.
func (b *builder) representation(m *plan.Mutation) error {
	n := m.Repr
	b.w("SELECT ")
	if err := b.outputs(n); err != nil {
		return err
	}
	b.w(" FROM (SELECT ")
	b.identList(m.Returning)
	b.w(" FROM pgrst_source) AS ")
	b.ident(n.Alias)
	if err := b.joins(n); err != nil {
		return err
	}
	if err := b.where(n); err != nil {
		return err
	}
	if n.GroupBy {
		b.groupBy(n)
	}
	b.order(n)
	return nil
}

func (b *builder) mutation(m *plan.Mutation) error {
	alias := m.Repr.Alias
	switch m.Kind {
	case plan.MutInsert, plan.MutPut:
		b.w("INSERT INTO ")
		b.qualified(m.Rel.Schema, m.Rel.Name)
		b.w(" AS ")
		b.ident(alias)
		if len(m.Columns) > 0 {
			b.w(" (")
			for i, c := range m.Columns {
				if i > 0 {
					b.w(", ")
				}
				b.ident(c.Name)
			}
			b.w(")")
		}
		b.w(" SELECT ")
		b.bodyColumns(m.Columns)
		b.w(" FROM ")
		b.payload(m, false)
		b.insertWhere(m)
		b.conflict(m)
	case plan.MutUpdate:
		if len(m.Columns) == 0 {
			// Nothing to set: no UPDATE runs, and no row is affected.
			b.w("SELECT ")
			b.returningItems(m, alias)
			b.w(" FROM ")
			b.qualified(m.Rel.Schema, m.Rel.Name)
			b.w(" AS ")
			b.ident(alias)
			b.w(" WHERE false")
			return nil
		}
		b.w("UPDATE ")
		b.qualified(m.Rel.Schema, m.Rel.Name)
		b.w(" AS ")
		b.ident(alias)
		b.w(" SET ")
		for i, c := range m.Columns {
			if i > 0 {
				b.w(", ")
			}
			b.ident(c.Name)
			b.w(" = pgrst_body.")
			b.ident(c.Name)
		}
		b.w(" FROM ")
		b.payload(m, true)
		if err := b.mutationWhere(m); err != nil {
			return err
		}
	case plan.MutDelete:
		b.w("DELETE FROM ")
		b.qualified(m.Rel.Schema, m.Rel.Name)
		b.w(" AS ")
		b.ident(alias)
		if err := b.mutationWhere(m); err != nil {
			return err
		}
	default:
		return fmt.Errorf("sqlgen: unknown mutation kind %d", m.Kind)
	}
	b.w(" RETURNING ")
	b.returningItems(m, alias)
	return nil
}

// insertedSetting is the transaction-local counter of rows an upsert really inserted
// (set to 0 before the statement by the caller): each row the INSERT's SELECT yields
// adds one, each row ON CONFLICT updates instead takes one away. Unlike xmax = 0, this
// works on views too and reads no system column.
const insertedSetting = "'rocksteady.inserted'"

// InsertedSetting names the setting a mutation with CountInserted counts in.
const InsertedSetting = "rocksteady.inserted"

func (b *builder) bumpInserted(delta string) {
	b.w("pg_catalog.set_config(")
	b.w(insertedSetting)
	b.w(", (pg_catalog.current_setting(")
	b.w(insertedSetting)
	b.w(")::bigint ")
	b.w(delta)
	b.w(")::text, true) IS NOT NULL")
}

// insertWhere writes the WHERE of INSERT … SELECT: PUT's key match, and the inserted-row
// counter, which a CASE keeps from counting rows the key match drops.
func (b *builder) insertWhere(m *plan.Mutation) {
	if m.Kind != plan.MutPut && !m.CountInserted {
		return
	}
	b.w(" WHERE ")
	if m.CountInserted && len(m.Key) > 0 {
		b.w("CASE WHEN ")
	}
	for i, kv := range m.Key {
		if i > 0 {
			b.w(" AND ")
		}
		b.w("pgrst_body.")
		b.ident(kv.Column)
		b.w(" = ")
		b.param(kv.Value)
	}
	if !m.CountInserted {
		return
	}
	if len(m.Key) > 0 {
		b.w(" THEN ")
	}
	b.bumpInserted("+ 1")
	if len(m.Key) > 0 {
		b.w(" ELSE false END")
	}
}

func (b *builder) mutationWhere(m *plan.Mutation) error {
	for i, c := range m.Where {
		if i == 0 {
			b.w(" WHERE ")
		} else {
			b.w(" AND ")
		}
		if err := b.cond(m.Repr, c); err != nil {
			return err
		}
	}
	return nil
}

// returningItems: the columns the representation or Location read, else a constant.
func (b *builder) returningItems(m *plan.Mutation, alias string) {
	n := 0
	for _, c := range m.Returning {
		if n > 0 {
			b.w(", ")
		}
		b.ident(alias)
		b.w(".")
		b.ident(c)
		n++
	}
	if n == 0 {
		b.w("1 AS pgrst_one")
	}
}

func (b *builder) bodyColumns(cols []plan.WriteColumn) {
	for i, c := range cols {
		if i > 0 {
			b.w(", ")
		}
		b.w("pgrst_body.")
		b.ident(c.Name)
	}
}

// recordDef writes AS alias("a" type, …) for json_to_record[set].
func (b *builder) recordDef(alias string, cols []plan.WriteColumn) {
	b.w(" AS ")
	b.w(alias)
	b.w("(")
	for i, c := range cols {
		if i > 0 {
			b.w(", ")
		}
		b.ident(c.Name)
		b.w(" ")
		b.w(c.Type) // format_type from the catalog
	}
	b.w(")")
}

// payload writes the FROM item yielding one row per body object as pgrst_body, with the
// written columns (and PUT's key columns) typed from the schema cache. first keeps only
// the first object of an array (PATCH).
func (b *builder) payload(m *plan.Mutation, first bool) {
	cols := append(append([]plan.WriteColumn(nil), m.Columns...), m.Extra...)
	if len(cols) == 0 {
		// No columns: one all-defaults row per object.
		if m.PayloadArray {
			b.w("json_array_elements(")
			b.paramBytes(m.Payload)
			b.w("::json) AS pgrst_body")
		} else {
			b.w("(SELECT 1) AS pgrst_body")
		}
		return
	}
	if !m.MissingDefault {
		if first && m.PayloadArray {
			b.w("(SELECT * FROM json_to_recordset(")
			b.paramBytes(m.Payload)
			b.w("::json)")
			b.recordDef("_", cols)
			b.w(" LIMIT 1) AS pgrst_body")
			return
		}
		if m.PayloadArray {
			b.w("json_to_recordset(")
		} else {
			b.w("json_to_record(")
		}
		b.paramBytes(m.Payload)
		b.w("::json)")
		b.recordDef("pgrst_body", cols)
		return
	}
	// missing=default: a key absent from an object takes the column default, evaluated
	// per row.
	switch {
	case !m.PayloadArray:
		b.w("(SELECT ")
		b.paramBytes(m.Payload)
		b.w("::jsonb AS pgrst_elem) AS pgrst_e")
	case first:
		b.w("(SELECT pgrst_elem FROM jsonb_array_elements(")
		b.paramBytes(m.Payload)
		b.w("::jsonb) AS _(pgrst_elem) LIMIT 1) AS pgrst_e")
	default:
		b.w("jsonb_array_elements(")
		b.paramBytes(m.Payload)
		b.w("::jsonb) AS pgrst_e(pgrst_elem)")
	}
	b.w(", LATERAL (SELECT ")
	for i, c := range cols {
		if i > 0 {
			b.w(", ")
		}
		b.w("CASE WHEN pgrst_e.pgrst_elem ? ")
		b.param(c.Name)
		b.w(" THEN _.")
		b.ident(c.Name)
		b.w(" ELSE ")
		if c.Default != "" {
			b.w(c.Default) // the column's default expression, from the catalog
		} else {
			b.w("NULL")
		}
		b.w(" END AS ")
		b.ident(c.Name)
	}
	b.w(" FROM jsonb_to_record(pgrst_e.pgrst_elem)")
	b.recordDef("_", cols)
	b.w(") AS pgrst_body")
}

func (b *builder) conflict(m *plan.Mutation) {
	if len(m.Conflict) == 0 {
		return
	}
	b.w(" ON CONFLICT (")
	b.identList(m.Conflict)
	b.w(")")
	if m.IgnoreDuplicates || len(m.Columns) == 0 {
		b.w(" DO NOTHING")
		return
	}
	b.w(" DO UPDATE SET ")
	for i, c := range m.Columns {
		if i > 0 {
			b.w(", ")
		}
		b.ident(c.Name)
		b.w(" = EXCLUDED.")
		b.ident(c.Name)
	}
	if m.CountInserted {
		b.w(" WHERE ")
		b.bumpInserted("- 1")
	}
}
