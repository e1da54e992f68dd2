package plan

import (
	"net/http"

	"github.com/rocksteady/rocksteady/pkg/apierr"
	"github.com/rocksteady/rocksteady/pkg/apireq"
	"github.com/rocksteady/rocksteady/pkg/schema"
)

// MutationKind is the statement a write runs.
type MutationKind uint8

const (
	MutInsert MutationKind = iota + 1 // POST (with ON CONFLICT for upserts)
	MutUpdate                         // PATCH
	MutDelete                         // DELETE
	MutPut                            // PUT: a single-row upsert on the primary key
)

// WriteColumn is a column written from the request body.
type WriteColumn struct {
	Name string
	// Type is the column's type as format_type renders it, for json_to_record[set].
	Type string
	// Default is the default expression used with Prefer: missing=default ("" = NULL).
	Default string
}

// KeyValue is a primary-key column and the value PUT's URL gives it.
type KeyValue struct {
	Column, Value string
}

// Mutation is a planned POST, PATCH, PUT or DELETE on a relation.
type Mutation struct {
	Kind MutationKind
	Rel  Name
	// Payload is the JSON body (CSV and form bodies converted); PayloadArray tells an
	// array from an object. It reaches PostgreSQL as one parameter.
	Payload      []byte
	PayloadArray bool
	// Columns are the written columns (INSERT list / SET list), in body-key or columns= order.
	Columns []WriteColumn
	// Extra are columns read from the body only to be compared (PUT's key columns that
	// the body does not name).
	Extra []WriteColumn
	// MissingDefault: absent keys take the column default instead of NULL.
	MissingDefault bool
	// Conflict is the ON CONFLICT target (nil: plain insert); IgnoreDuplicates chooses
	// DO NOTHING over DO UPDATE.
	Conflict         []string
	IgnoreDuplicates bool
	// CountInserted asks for the number of rows really inserted (merge-duplicates and PUT,
	// on tables and views), for the 201/200 decision.
	CountInserted bool
	// Where are the root filters of PATCH and DELETE (ANDed).
	Where []*Cond
	// Key is PUT's primary key from the URL.
	Key []KeyValue

	Return apireq.Return
	// Repr shapes the representation (select=, embeds, order) over the affected rows; its
	// Alias is also the target table's alias in the statement.
	Repr *Node
	// Returning are the columns the statement returns, in attribute order: those the
	// representation reads (selected, filtered, ordered, joined on), the primary key for
	// Location. A whole-row need (*, computed columns) returns every column, so that the
	// representation's rows convert to the relation's row type. Empty: nothing is returned.
	Returning   []string
	Body        BodyFormat
	ContentType string
	StripNulls  bool
	// Singular requires exactly one affected row (vnd.pgrst.object), else PGRST116.
	Singular bool
	// Location asks for the primary-key values of the inserted row (return=headers-only).
	Location   bool
	PrimaryKey []string
	Count      bool
	// MaxAffected is the max-affected limit (handling=strict, PATCH/DELETE), -1 for none.
	MaxAffected int64
	// Rollback ends the transaction with ROLLBACK (db-tx-end and Prefer: tx).
	Rollback bool
	// PreferenceApplied is the Preference-Applied header value ("" for none).
	PreferenceApplied string
	// ResolutionApplied says an upsert preference took effect (merge-duplicates → 200
	// when nothing was inserted).
	ResolutionApplied bool
}

// isWrite tells the methods planned as mutations.
func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// planMutationRequest reads the body (PGRST102 comes before the table lookup, as in
// PostgREST), then resolves the relation and plans the write.
func planMutationRequest(req *apireq.Request, cat catalog, opts Options) (*Mutation, error) {
	body, err := readWriteBody(req)
	if err != nil {
		return nil, err
	}
	rel, err := cat.relation(req.Schema, req.Target.Name)
	if err != nil {
		return nil, err
	}
	return planMutation(req, cat, rel, body, opts)
}

func planMutation(req *apireq.Request, cat catalog, rel *schema.Relation, body writeBody, opts Options) (*Mutation, error) {
	readOpts := opts
	readOpts.MaxRows = 0 // db-max-rows never limits writes
	p := &planner{req: req, cat: cat, opts: readOpts}
	repr, err := p.node(rel, req.Select, nil)
	if err != nil {
		return nil, err
	}
	if err := p.checkPaths(); err != nil {
		return nil, err
	}
	m := &Mutation{Rel: nameOf(rel), Repr: repr, Return: req.Preferences.Return, MaxAffected: -1,
		Payload: body.json, PayloadArray: body.isArray}
	// Root filters and and/or trees choose the rows written; filters on embeds (and !inner)
	// only shape the representation, never the written rows, as with PostgREST.
	repr.Page = apireq.Page{Limit: apireq.NoLimit}
	m.Where, repr.Where = repr.Where, nil

	switch req.Method {
	case http.MethodPost:
		m.Kind = MutInsert
		// An insert has no WHERE: root filters are ignored, and/or trees filter the
		// representation (where rel=is.null inside them tests the embed).
		for _, c := range m.Where {
			if c.IsBranch() {
				repr.Where = append(repr.Where, c)
			}
		}
		m.Where = nil
	case http.MethodPatch, http.MethodDelete:
		m.Kind = MutUpdate
		if req.Method == http.MethodDelete {
			m.Kind = MutDelete
			m.Payload, m.PayloadArray = nil, false
		}
		// rel=is.null names a column of the written table here, not the embed: PostgreSQL
		// reports it (42703) unless the table has a column of that name.
		for i, c := range m.Where {
			w, err := embedNullAsColumn(rel, c)
			if err != nil {
				return nil, err
			}
			m.Where[i] = w
		}
	case http.MethodPut:
		m.Kind = MutPut
		if err := planPutKey(req, rel, m); err != nil {
			return nil, err
		}
	}
	if m.Kind != MutDelete {
		keys := body.keys
		if req.Columns != nil {
			keys = req.Columns
		}
		for _, k := range keys {
			c, ok := rel.Column(k)
			if !ok {
				return nil, apierr.NoColumn(k, rel.Name)
			}
			m.Columns = append(m.Columns, writeColumn(c))
		}
		m.MissingDefault = req.Preferences.Missing == apireq.MissingDefault && m.Kind != MutPut
	}
	if m.Kind == MutPut {
		for _, kv := range m.Key {
			if !hasColumn(m.Columns, kv.Column) {
				c, _ := rel.Column(kv.Column)
				m.Extra = append(m.Extra, writeColumn(c))
			}
		}
		m.Conflict = rel.PrimaryKey
		m.CountInserted = true
	}
	if m.Kind == MutInsert {
		if err := planConflict(req, rel, m); err != nil {
			return nil, err
		}
	}
	if err := req.Preferences.StrictError(); err != nil {
		return nil, err
	}
	r := &Read{}
	if err := negotiate(req, r, opts); err != nil {
		return nil, err
	}
	m.Body, m.ContentType, m.StripNulls, m.Singular = r.Body, r.ContentType, r.StripNulls, r.Singular
	if m.Return != apireq.ReturnRepresentation {
		m.Body = BodyNone
	}
	// A write's total is the rows it returns; PostgREST gives it for exact and estimated
	// counts, and none for planned (no EXPLAIN of a write).
	m.Count = req.Preferences.Count == apireq.CountExact || req.Preferences.Count == apireq.CountEstimated
	m.PrimaryKey = rel.PrimaryKey
	m.Location = m.Kind == MutInsert && m.Return == apireq.ReturnHeadersOnly && len(rel.PrimaryKey) > 0
	m.Returning = returningColumns(rel, m)
	strict := req.Preferences.Handling == apireq.HandlingStrict
	if strict && req.Preferences.HasMaxAffected && (m.Kind == MutUpdate || m.Kind == MutDelete) {
		m.MaxAffected = req.Preferences.MaxAffected
	}
	rollback, txHonored := txEnd(opts, &req.Preferences)
	m.Rollback = rollback
	m.PreferenceApplied = preferenceApplied(&req.Preferences, applied{
		resolution:  m.Kind == MutInsert && m.ResolutionApplied,
		missing:     m.Kind == MutInsert || m.Kind == MutUpdate,
		ret:         true,
		tx:          txHonored,
		maxAffected: m.MaxAffected,
	})
	return m, nil
}

func writeColumn(c *schema.Column) WriteColumn {
	return WriteColumn{Name: c.Name, Type: c.Type, Default: c.Default}
}

func hasColumn(cols []WriteColumn, name string) bool {
	for _, c := range cols {
		if c.Name == name {
			return true
		}
	}
	return false
}

// embedNullAsColumn turns the embed null tests in c into tests of the column of the same
// name (the filter's name taken literally), or fails as PostgreSQL would without one.
func embedNullAsColumn(rel *schema.Relation, c *Cond) (*Cond, error) {
	if e := c.EmbedNull; e != nil {
		col, ok := rel.Column(e.Key)
		if !ok {
			return nil, undefinedColumn(rel, e.Key)
		}
		return &Cond{Col: Column{Name: col.Name}, Op: apireq.OpIs, Is: c.Is, Negated: c.Negated}, nil
	}
	if !c.IsBranch() {
		return c, nil
	}
	out := *c
	out.Children = make([]*Cond, len(c.Children))
	for i, ch := range c.Children {
		w, err := embedNullAsColumn(rel, ch)
		if err != nil {
			return nil, err
		}
		out.Children[i] = w
	}
	return &out, nil
}

// planConflict turns resolution= and on_conflict= into an ON CONFLICT clause. Without a
// primary key or on_conflict the preference is ignored, as PostgREST does.
func planConflict(req *apireq.Request, rel *schema.Relation, m *Mutation) error {
	res := req.Preferences.Resolution
	if res == apireq.ResolutionUnset {
		return nil
	}
	target := rel.PrimaryKey
	if req.OnConflict != nil {
		target = nil
		for _, name := range req.OnConflict {
			c, ok := rel.Column(name)
			if !ok {
				return apierr.New(http.StatusBadRequest, "42703", "column \""+name+"\" does not exist", "", "")
			}
			target = append(target, c.Name)
		}
	}
	if len(target) == 0 {
		return nil
	}
	m.Conflict = target
	m.IgnoreDuplicates = res == apireq.IgnoreDuplicates
	m.ResolutionApplied = true
	m.CountInserted = !m.IgnoreDuplicates // merge-duplicates answers 200 when nothing was inserted
	return nil
}

// planPutKey checks PUT's filters (PGRST105): the relation has a primary key, there are
// no and/or trees, and the root filters are exactly one col=eq.value per key column.
func planPutKey(req *apireq.Request, rel *schema.Relation, m *Mutation) error {
	if len(rel.PrimaryKey) == 0 {
		return apierr.InvalidPut()
	}
	for _, l := range req.Logic {
		if len(l.Path) == 0 {
			return apierr.InvalidPut()
		}
	}
	values := map[string]string{}
	for _, f := range req.Filters {
		if len(f.Path) > 0 {
			continue
		}
		if f.Op != apireq.OpEq || f.Negated || f.Quantifier != apireq.QuantNone || len(f.Field.JSONPath) > 0 {
			return apierr.InvalidPut()
		}
		if _, seen := values[f.Field.Name]; !seen {
			values[f.Field.Name] = f.Value
		}
	}
	if len(values) != len(rel.PrimaryKey) {
		return apierr.InvalidPut()
	}
	for _, pk := range rel.PrimaryKey {
		v, ok := values[pk]
		if !ok {
			return apierr.InvalidPut()
		}
		m.Key = append(m.Key, KeyValue{Column: pk, Value: v})
	}
	m.Where = nil // the key is matched against the payload instead
	return nil
}

// returningColumns lists the columns RETURNING must carry. Only those are read, so a role
// with SELECT on some columns can write and see them back (select=a,b), as with PostgREST.
// With return=minimal nothing is returned; with headers-only the selected columns still
// are (PostgREST does the same, so privileges are checked alike).
func returningColumns(rel *schema.Relation, m *Mutation) []string {
	if m.Return != apireq.ReturnRepresentation && m.Return != apireq.ReturnHeadersOnly {
		return nil
	}
	need := map[string]bool{}
	if m.Location {
		for _, pk := range m.PrimaryKey {
			need[pk] = true
		}
	}
	if nodeNeedsWholeRow(m.Repr, need) {
		out := make([]string, len(rel.Columns))
		for i, c := range rel.Columns {
			out[i] = c.Name
		}
		return out
	}
	var out []string
	for _, c := range rel.Columns {
		if need[c.Name] {
			out = append(out, c.Name)
		}
	}
	return out
}

// nodeNeedsWholeRow adds to need the root columns n reads, and tells whether it reads the
// whole row (*, or a computed column, which takes the row).
func nodeNeedsWholeRow(n *Node, need map[string]bool) bool {
	whole := false
	col := func(c Column) {
		if c.Func != nil {
			whole = true
		} else {
			need[c.Name] = true
		}
	}
	for _, o := range n.Outputs {
		switch o.Kind {
		case OutStar, OutComputed:
			whole = true
		case OutColumn:
			col(o.Col)
		}
	}
	for _, e := range n.Embeds {
		pairs := e.On
		if e.Junction != nil {
			pairs = e.Junction.ToParent
		}
		for _, p := range pairs {
			need[p.Parent] = true
		}
	}
	var cond func(c *Cond)
	cond = func(c *Cond) {
		if c.IsBranch() {
			for _, ch := range c.Children {
				cond(ch)
			}
			return
		}
		if c.EmbedNull == nil {
			col(c.Col)
		}
	}
	for _, c := range n.Where {
		cond(c)
	}
	for _, o := range n.Order {
		if o.Embed == nil {
			col(o.Col)
		}
	}
	return whole
}
