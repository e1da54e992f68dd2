package sqlgen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rocksteady/rocksteady/pkg/apireq"
	"github.com/rocksteady/rocksteady/pkg/plan"
)

// Result column positions of every generated statement.
const (
	ColTotal = iota
	ColPage
	ColBody
	ColResponseHeaders
	ColResponseStatus
)

// Read renders a planned read as one statement (under EXPLAIN when r.Explain is set).
func Read(r *plan.Read) (string, [][]byte, error) {
	b := newBuilder(1024)
	if r.Explain != nil {
		b.explain(r.Explain)
	}
	b.w("WITH pgrst_source AS (")
	if err := b.node(r.Root, nil, true); err != nil {
		return "", nil, err
	}
	b.w(") SELECT ")
	exact := r.Count == plan.CountExact || (r.Count == plan.CountEstimated && r.MaxRows <= 0)
	switch {
	case exact && !r.Paged():
		b.w("pg_catalog.count(_postgrest_t)")
	case exact || r.Count == plan.CountEstimated:
		b.w("(SELECT pg_catalog.count(*) FROM (")
		if err := b.countSource(r.Root); err != nil {
			return "", nil, err
		}
		if !exact {
			// Estimated: exact up to max-rows + 1, the planner's guess beyond.
			b.w(" LIMIT ")
			b.param(strconv.FormatInt(r.MaxRows+1, 10))
		}
		b.w(") pgrst_source_count)")
	default:
		b.w("NULL::bigint")
	}
	b.w(" AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, ")
	b.body(r.Body, r.StripNulls)
	b.w(" AS body, ")
	b.responseGUCs()
	b.w(" FROM (SELECT * FROM pgrst_source) _postgrest_t")
	if b.err != nil {
		return "", nil, b.err
	}
	return b.sb.String(), b.args, nil
}

// CountPlan renders the EXPLAIN whose top "Plan Rows" is a planned count: the count
// query (filters and row-removing joins, no order or window) under EXPLAIN (FORMAT JSON).
func CountPlan(r *plan.Read) (string, [][]byte, error) {
	b := &builder{}
	b.w("EXPLAIN (FORMAT JSON) ")
	if err := b.countSource(r.Root); err != nil {
		return "", nil, err
	}
	return b.sb.String(), b.args, nil
}

// explain writes EXPLAIN with the requested format and options.
func (b *builder) explain(pr *apireq.PlanRequest) {
	b.w("EXPLAIN (FORMAT ")
	if pr.Format == apireq.PlanJSON {
		b.w("JSON")
	} else {
		b.w("TEXT")
	}
	for _, o := range []struct {
		bit  apireq.PlanOptions
		name string
	}{{apireq.PlanAnalyze, "ANALYZE"}, {apireq.PlanVerbose, "VERBOSE"}, {apireq.PlanSettings, "SETTINGS"},
		{apireq.PlanBuffers, "BUFFERS"}, {apireq.PlanWAL, "WAL"}} {
		if pr.Options&o.bit != 0 {
			b.w(", ")
			b.w(o.name)
		}
	}
	b.w(") ")
}

func (b *builder) responseGUCs() {
	b.w("nullif(current_setting('response.headers', true), '') AS response_headers, ")
	b.w("nullif(current_setting('response.status', true), '') AS response_status")
}

func (b *builder) body(format plan.BodyFormat, strip bool) {
	switch format {
	case plan.BodyNone:
		b.w("NULL::text")
	case plan.BodyJSONObject:
		if strip {
			b.w("coalesce(json_strip_nulls(json_agg(_postgrest_t)->0)::text, 'null')")
		} else {
			b.w("coalesce((json_agg(_postgrest_t)->0)::text, 'null')")
		}
	case plan.BodyCSV:
		// Header: the keys of the first row; then each row's record text without the
		// outer parentheses; lines joined by \n with no trailing newline.
		// An empty result is the empty header line alone: "\n".
		b.w("coalesce((SELECT string_agg(k, ',') FROM json_object_keys(json_agg(_postgrest_t)->0) k), '')")
		b.w(" || E'\\n' || coalesce(string_agg(substr(_postgrest_t::text, 2, length(_postgrest_t::text) - 2), E'\\n'), '')")
	default:
		if strip {
			b.w("coalesce(json_strip_nulls(json_agg(_postgrest_t)), '[]')::text")
		} else {
			b.w("coalesce(json_agg(_postgrest_t), '[]')::text")
		}
	}
}

// node writes SELECT … FROM … for n. parent is nil at the root; fk conditions linking an
// embed to its parent are written by embedSource.
func (b *builder) node(n *plan.Node, link func() error, root bool) error {
	b.w("SELECT ")
	if err := b.outputs(n); err != nil {
		return err
	}
	b.w(" FROM ")
	b.from(n)
	b.w(" AS ")
	b.ident(n.Alias)
	if err := b.joins(n); err != nil {
		return err
	}
	hasWhere := false
	where := func() {
		if hasWhere {
			b.w(" AND ")
		} else {
			b.w(" WHERE ")
			hasWhere = true
		}
	}
	if link != nil {
		where()
		if err := link(); err != nil {
			return err
		}
	}
	for _, c := range n.Where {
		where()
		if err := b.cond(n, c); err != nil {
			return err
		}
	}
	if n.GroupBy {
		b.groupBy(n)
	}
	b.order(n)
	b.page(n)
	return nil
}

// countSource is the root's FROM/WHERE without outputs, order or window: what an exact
// count counts. Only joins that filter rows (inner embeds) are kept.
func (b *builder) countSource(n *plan.Node) error {
	b.w("SELECT 1 FROM ")
	b.from(n)
	b.w(" AS ")
	b.ident(n.Alias)
	for _, e := range n.Embeds {
		if e.Inner || referencedByNullFilter(n, e) {
			if err := b.join(n, e); err != nil {
				return err
			}
		}
	}
	return b.where(n)
}

// where writes n's conditions as WHERE … AND …, or nothing when it has none.
func (b *builder) where(n *plan.Node) error {
	for i, c := range n.Where {
		if i == 0 {
			b.w(" WHERE ")
		} else {
			b.w(" AND ")
		}
		if err := b.cond(n, c); err != nil {
			return err
		}
	}
	return nil
}

func referencedByNullFilter(n *plan.Node, e *plan.Embed) bool {
	var walk func(c *plan.Cond) bool
	walk = func(c *plan.Cond) bool {
		if c.EmbedNull == e {
			return true
		}
		for _, ch := range c.Children {
			if walk(ch) {
				return true
			}
		}
		return false
	}
	for _, c := range n.Where {
		if walk(c) {
			return true
		}
	}
	return false
}

func (b *builder) outputs(n *plan.Node) error {
	first := true
	sep := func() {
		if !first {
			b.w(", ")
		}
		first = false
	}
	for i := range n.Outputs {
		o := &n.Outputs[i]
		switch o.Kind {
		case plan.OutStar:
			sep()
			b.ident(n.Alias)
			b.w(".*")
			continue
		case plan.OutEmbed:
			if o.Embed.Hidden {
				continue
			}
			sep()
			b.embedValue(o.Embed)
		case plan.OutSpreadColumn:
			sep()
			b.ident(o.Embed.Alias)
			b.w(".")
			b.ident(o.Key)
		case plan.OutCount:
			sep()
			b.w("pg_catalog.count(*)")
			if o.AggCast != "" {
				if err := b.castSuffix(o.AggCast); err != nil {
					return err
				}
			}
		case plan.OutComputed:
			sep()
			b.qualified(o.Func.Schema, o.Func.Name)
			b.w("(")
			b.ident(n.Alias)
			b.w(")")
		default:
			sep()
			if err := b.valueExpr(n.Alias, o); err != nil {
				return err
			}
		}
		b.w(" AS ")
		b.ident(o.Key)
	}
	if first {
		// Nothing selected (e.g. only hidden embeds): an empty object per row.
		b.w("NULL::text AS pgrst_empty")
	}
	return nil
}

// valueExpr writes agg(CAST(col->path AS cast))::aggcast for a column output.
func (b *builder) valueExpr(alias string, o *plan.Output) error {
	if o.Agg != apireq.AggNone {
		b.w(o.Agg.String())
		b.w("(")
	}
	if o.Cast != "" {
		b.w("CAST(")
	}
	b.column(alias, o.Col)
	if o.Cast != "" {
		if !safeType(o.Cast) {
			return fmt.Errorf("sqlgen: unsafe cast %q", o.Cast)
		}
		b.w(" AS ")
		b.w(o.Cast)
		b.w(")")
	}
	if o.Agg != apireq.AggNone {
		b.w(")")
		if o.AggCast != "" {
			return b.castSuffix(o.AggCast)
		}
	}
	return nil
}

func (b *builder) castSuffix(t string) error {
	if !safeType(t) {
		return fmt.Errorf("sqlgen: unsafe cast %q", t)
	}
	b.w("::")
	b.w(t)
	return nil
}

// column writes alias.col with its JSON path.
func (b *builder) column(alias string, c plan.Column) {
	if len(c.JSONPath) > 0 && c.ToJSONB {
		b.w("to_jsonb(")
	}
	if c.Func != nil {
		b.qualified(c.Func.Schema, c.Func.Name)
		b.w("(")
		b.ident(alias)
		b.w(")")
	} else {
		b.ident(alias)
		b.w(".")
		b.ident(c.Name)
	}
	if len(c.JSONPath) > 0 && c.ToJSONB {
		b.w(")")
	}
	for _, op := range c.JSONPath {
		b.w(op.Arrow.String())
		b.param(op.Key)
		if op.IsIndex {
			b.w("::integer")
		} else {
			b.w("::text")
		}
	}
}

func (b *builder) embedValue(e *plan.Embed) {
	if e.ToOne {
		b.w("row_to_json(")
		b.ident(e.Alias)
		b.w(".*)::jsonb")
		return
	}
	b.w("COALESCE(")
	b.ident(e.Alias)
	b.w(".")
	b.ident(e.Alias)
	b.w(", '[]')")
}

func (b *builder) joins(n *plan.Node) error {
	for _, e := range n.Embeds {
		if err := b.join(n, e); err != nil {
			return err
		}
	}
	return nil
}

// join writes the LATERAL subquery of one embed.
func (b *builder) join(parent *plan.Node, e *plan.Embed) error {
	if e.Inner {
		b.w(" INNER JOIN LATERAL (")
	} else {
		b.w(" LEFT JOIN LATERAL (")
	}
	link := func() error {
		b.link(parent, e)
		return nil
	}
	if e.ToOne {
		if err := b.embedNode(e, link); err != nil {
			return err
		}
		b.w(") AS ")
		b.ident(e.Alias)
		b.w(" ON TRUE")
		return nil
	}
	if e.Spread {
		return b.spreadToMany(parent, e, link)
	}
	b.w("SELECT json_agg(")
	b.ident(e.Alias + "_t")
	b.w(")::jsonb AS ")
	b.ident(e.Alias)
	b.w(" FROM (")
	if err := b.embedNode(e, link); err != nil {
		return err
	}
	b.w(") AS ")
	b.ident(e.Alias + "_t")
	b.w(") AS ")
	b.ident(e.Alias)
	if e.Inner {
		b.w(" ON ")
		b.ident(e.Alias)
		b.w(".")
		b.ident(e.Alias)
		b.w(" IS NOT NULL")
	} else {
		b.w(" ON TRUE")
	}
	return nil
}

// spreadToMany writes the lateral subquery of a one-to-many or many-to-many spread: one
// JSON array per spread key (rows in the child's order), and whether any row matched.
func (b *builder) spreadToMany(parent *plan.Node, e *plan.Embed, link func() error) error {
	b.w("SELECT ")
	t := e.Alias + "_t"
	for i := range parent.Outputs {
		o := &parent.Outputs[i]
		if o.Kind != plan.OutSpreadColumn || o.Embed != e {
			continue
		}
		b.w("COALESCE(json_agg(")
		b.ident(t)
		b.w(".")
		b.ident(o.Key)
		b.w(")::jsonb, '[]') AS ")
		b.ident(o.Key)
		b.w(", ")
	}
	b.w("pg_catalog.count(*) > 0 AS ")
	b.ident(e.Alias)
	b.w(" FROM (")
	if err := b.embedNode(e, link); err != nil {
		return err
	}
	b.w(") AS ")
	b.ident(t)
	b.w(") AS ")
	b.ident(e.Alias)
	if e.Inner {
		b.w(" ON ")
		b.ident(e.Alias)
		b.w(".")
		b.ident(e.Alias)
	} else {
		b.w(" ON TRUE")
	}
	return nil
}

// embedNode writes the child's SELECT, adding the junction table for many-to-many.
func (b *builder) embedNode(e *plan.Embed, link func() error) error {
	if e.Junction == nil {
		return b.node(e.Node, link, false)
	}
	// Many-to-many: SELECT … FROM child, junction WHERE junction→child AND junction→parent.
	n := e.Node
	b.w("SELECT ")
	if err := b.outputs(n); err != nil {
		return err
	}
	b.w(" FROM ")
	b.qualified(n.Rel.Schema, n.Rel.Name)
	b.w(" AS ")
	b.ident(n.Alias)
	b.w(" JOIN ")
	b.qualified(e.Junction.Rel.Schema, e.Junction.Rel.Name)
	b.w(" AS ")
	b.ident(e.Junction.Alias)
	b.w(" ON ")
	b.equalities(e.Junction.Alias, n.Alias, e.Junction.ToChild)
	if err := b.joins(n); err != nil {
		return err
	}
	b.w(" WHERE ")
	if err := link(); err != nil {
		return err
	}
	for _, c := range n.Where {
		b.w(" AND ")
		if err := b.cond(n, c); err != nil {
			return err
		}
	}
	if n.GroupBy {
		b.groupBy(n)
	}
	b.order(n)
	b.page(n)
	return nil
}

// link writes the conditions tying an embed's rows to its parent row.
func (b *builder) link(parent *plan.Node, e *plan.Embed) {
	if e.Junction != nil {
		b.equalities(e.Junction.Alias, parent.Alias, e.Junction.ToParent)
		return
	}
	b.equalities(e.Node.Alias, parent.Alias, e.On)
}

// equalities writes "left"."Child" = "right"."Parent" for each pair, joined by AND.
func (b *builder) equalities(left, right string, pairs []plan.ColumnPair) {
	for i, p := range pairs {
		if i > 0 {
			b.w(" AND ")
		}
		b.ident(left)
		b.w(".")
		b.ident(p.Child)
		b.w(" = ")
		b.ident(right)
		b.w(".")
		b.ident(p.Parent)
	}
}

func (b *builder) groupBy(n *plan.Node) {
	first := true
	for i := range n.Outputs {
		o := &n.Outputs[i]
		if o.Agg != apireq.AggNone || o.Kind == plan.OutCount || (o.Kind == plan.OutEmbed && o.Embed.Hidden) {
			continue
		}
		if first {
			b.w(" GROUP BY ")
			first = false
		} else {
			b.w(", ")
		}
		switch o.Kind {
		case plan.OutStar:
			b.ident(n.Alias)
			b.w(".*")
		case plan.OutEmbed:
			b.embedValue(o.Embed)
		case plan.OutSpreadColumn:
			b.ident(o.Embed.Alias)
			b.w(".")
			b.ident(o.Key)
		case plan.OutComputed:
			b.qualified(o.Func.Schema, o.Func.Name)
			b.w("(")
			b.ident(n.Alias)
			b.w(")")
		default:
			_ = b.valueExpr(n.Alias, o)
		}
	}
}

func (b *builder) order(n *plan.Node) {
	for i, o := range n.Order {
		if i == 0 {
			b.w(" ORDER BY ")
		} else {
			b.w(", ")
		}
		if o.Embed != nil {
			b.column(o.Embed.Alias, o.Col)
		} else {
			b.column(n.Alias, o.Col)
		}
		switch o.Direction {
		case apireq.DirAsc:
			b.w(" ASC")
		case apireq.DirDesc:
			b.w(" DESC")
		}
		switch o.Nulls {
		case apireq.NullsFirst:
			b.w(" NULLS FIRST")
		case apireq.NullsLast:
			b.w(" NULLS LAST")
		}
	}
}

func (b *builder) page(n *plan.Node) {
	limit := n.Page.Limit
	if n.MaxRows > 0 && (limit == apireq.NoLimit || limit > n.MaxRows) {
		limit = n.MaxRows
	}
	if limit != apireq.NoLimit {
		b.w(" LIMIT ")
		b.param(strconv.FormatInt(limit, 10))
	}
	if n.Page.Offset > 0 {
		b.w(" OFFSET ")
		b.param(strconv.FormatInt(n.Page.Offset, 10))
	}
}

var comparison = map[apireq.Operator]string{
	apireq.OpEq: "=", apireq.OpNeq: "<>", apireq.OpGt: ">", apireq.OpGte: ">=", apireq.OpLt: "<", apireq.OpLte: "<=",
	apireq.OpLike: "LIKE", apireq.OpILike: "ILIKE", apireq.OpMatch: "~", apireq.OpIMatch: "~*",
	apireq.OpIsDistinct: "IS DISTINCT FROM",
	apireq.OpCs:         "@>", apireq.OpCd: "<@", apireq.OpOv: "&&", apireq.OpSl: "<<", apireq.OpSr: ">>",
	apireq.OpNxr: "&<", apireq.OpNxl: "&>", apireq.OpAdj: "-|-",
}

var ftsFunc = map[apireq.Operator]string{
	apireq.OpFts: "to_tsquery", apireq.OpPlFts: "plainto_tsquery", apireq.OpPhFts: "phraseto_tsquery", apireq.OpWFts: "websearch_to_tsquery",
}

// cond writes one condition of node n.
func (b *builder) cond(n *plan.Node, c *plan.Cond) error {
	if c.Negated {
		b.w("NOT (")
		defer b.w(")")
	}
	if c.IsBranch() {
		joiner := " AND "
		if c.Logic == apireq.LogicOr {
			joiner = " OR "
		}
		b.w("(")
		for i, ch := range c.Children {
			if i > 0 {
				b.w(joiner)
			}
			if err := b.cond(n, ch); err != nil {
				return err
			}
		}
		b.w(")")
		return nil
	}
	if e := c.EmbedNull; e != nil {
		if e.ToOne {
			b.w("row_to_json(")
			b.ident(e.Alias)
			b.w(".*)")
		} else if e.Spread {
			// A to-many spread's lateral row says whether any row matched.
			b.w("NULLIF(")
			b.ident(e.Alias)
			b.w(".")
			b.ident(e.Alias)
			b.w(", false)")
		} else {
			b.ident(e.Alias)
			b.w(".")
			b.ident(e.Alias)
		}
		if c.Is == apireq.IsNull {
			b.w(" IS NULL")
		} else {
			b.w(" IS NOT NULL")
		}
		return nil
	}
	switch c.Op {
	case apireq.OpIs:
		b.column(n.Alias, c.Col)
		switch c.Is {
		case apireq.IsNull:
			b.w(" IS NULL")
		case apireq.IsNotNull:
			b.w(" IS NOT NULL")
		case apireq.IsTrue:
			b.w(" IS TRUE")
		case apireq.IsFalse:
			b.w(" IS FALSE")
		default:
			b.w(" IS UNKNOWN")
		}
	case apireq.OpIn:
		b.column(n.Alias, c.Col)
		b.w(" = ANY(")
		b.param(pgArray(c.List))
		b.w(")")
	case apireq.OpFts, apireq.OpPlFts, apireq.OpPhFts, apireq.OpWFts:
		if c.WrapTSVector {
			b.w("to_tsvector(")
			if c.Language != "" {
				b.param(c.Language)
				b.w("::regconfig, ")
			}
			b.column(n.Alias, c.Col)
			b.w(")")
		} else {
			b.column(n.Alias, c.Col)
		}
		b.w(" @@ ")
		b.w(ftsFunc[c.Op])
		b.w("(")
		if c.Language != "" {
			b.param(c.Language)
			b.w("::regconfig, ")
		}
		b.param(c.Value)
		b.w(")")
	default:
		op, ok := comparison[c.Op]
		if !ok {
			return fmt.Errorf("sqlgen: unsupported operator %v", c.Op)
		}
		b.column(n.Alias, c.Col)
		b.w(" ")
		b.w(op)
		b.w(" ")
		like := c.Op == apireq.OpLike || c.Op == apireq.OpILike
		switch c.Quantifier {
		case apireq.QuantAny, apireq.QuantAll:
			if c.Quantifier == apireq.QuantAny {
				b.w("ANY(")
			} else {
				b.w("ALL(")
			}
			v := c.Value
			if like {
				v = strings.ReplaceAll(v, "*", "%")
			}
			b.param(v)
			b.w(")")
		default:
			v := c.Value
			if like {
				v = strings.ReplaceAll(v, "*", "%")
			}
			b.param(v)
		}
	}
	return nil
}
