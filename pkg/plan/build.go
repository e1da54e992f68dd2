package plan

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rocksteady/rocksteady/pkg/apierr"
	"github.com/rocksteady/rocksteady/pkg/apireq"
	"github.com/rocksteady/rocksteady/pkg/schema"
)

// Options are the configuration settings planning depends on.
type Options struct {
	MaxRows           int64
	AggregatesEnabled bool
	PlanEnabled       bool
	// TxEnd is db-tx-end (commit, commit-allow-override, rollback, rollback-allow-override).
	TxEnd string
}

// Build plans req against snap. The result is a *Read (GET/HEAD on a relation), a
// *Mutation (POST/PATCH/PUT/DELETE on a relation) or a *Call (/rpc/<fn>).
func Build(req *apireq.Request, snap *schema.Snapshot, opts Options) (any, error) {
	cat := catalog{snap: snap}
	switch req.Target.Kind {
	case apireq.TargetTable:
		if isWrite(req.Method) {
			return planMutationRequest(req, cat, opts)
		}
		rel, err := cat.relation(req.Schema, req.Target.Name)
		if err != nil {
			return nil, err
		}
		switch req.Method {
		case http.MethodGet, http.MethodHead:
			return planRead(req, cat, rel, opts)
		}
		return nil, apierr.UnsupportedMethod(req.Method)
	case apireq.TargetRPC:
		return planCall(req, cat, opts)
	}
	return nil, apierr.UnsupportedMethod(req.Method)
}

func planRead(req *apireq.Request, cat catalog, rel *schema.Relation, opts Options) (*Read, error) {
	p := &planner{req: req, cat: cat, opts: opts}
	root, err := p.node(rel, req.Select, nil)
	if err != nil {
		return nil, err
	}
	if err := p.checkPaths(); err != nil {
		return nil, err
	}
	r := &Read{Root: root, Offset: req.Range.Offset, MaxRows: opts.MaxRows, Warning: p.warning}
	if err := negotiate(req, r, opts); err != nil {
		return nil, err
	}
	if err := req.Preferences.StrictError(); err != nil {
		return nil, err
	}
	switch req.Preferences.Count {
	case apireq.CountExact:
		r.Count = CountExact
	case apireq.CountPlanned:
		r.Count = CountPlanned
	case apireq.CountEstimated:
		r.Count = CountEstimated
	}
	if req.Method == http.MethodHead {
		r.Body = BodyNone
	}
	_, txHonored := txEnd(opts, &req.Preferences)
	r.PreferenceApplied = preferenceApplied(&req.Preferences, applied{tx: txHonored, maxAffected: -1})
	return r, nil
}

// negotiate picks the first acceptable media type (PGRST107 when none is).
func negotiate(req *apireq.Request, r *Read, opts Options) error {
	for _, m := range req.Accept {
		if m.Kind == apireq.MediaPlan {
			if !opts.PlanEnabled || !bodyFor(r, m.Plan.For) {
				continue
			}
			r.Explain = m.Plan
			r.ContentType = m.String() + "; charset=utf-8"
			return nil
		}
		if bodyFor(r, m) {
			return nil
		}
	}
	names := make([]string, len(req.Accept))
	for i, m := range req.Accept {
		names[i] = m.String()
	}
	return apierr.MediaTypes(names)
}

// bodyFor sets r's body format and Content-Type for media type m, telling whether it is
// one a read can produce.
func bodyFor(r *Read, m apireq.MediaType) bool {
	switch m.Kind {
	case apireq.MediaAny, apireq.MediaJSON:
		r.Body, r.ContentType = BodyJSONArray, "application/json; charset=utf-8"
		return true
	case apireq.MediaArrayNullsStripped:
		r.Body, r.StripNulls = BodyJSONArray, true
		r.ContentType = "application/vnd.pgrst.array+json;nulls=stripped; charset=utf-8"
		return true
	case apireq.MediaObject:
		r.Body, r.Singular, r.StripNulls = BodyJSONObject, true, m.NullsStripped
		r.ContentType = m.String() + "; charset=utf-8"
		return true
	case apireq.MediaCSV:
		r.Body, r.ContentType = BodyCSV, "text/csv; charset=utf-8"
		return true
	}
	return false
}

type planner struct {
	req     *apireq.Request
	cat     catalog
	opts    Options
	aliases int
	// nodes maps an embed path ("a\x00b") to its node, for targeting filters and orders.
	nodes []pathNode
	// warning is the legacy-target-name deprecation notice, once one was used.
	warning string
}

type pathNode struct {
	path  []string
	names [2]string // alias (or relation name) and relation name
	node  *Node
	embed *Embed
}

func (p *planner) alias() string {
	a := "pgrst_" + strconv.Itoa(p.aliases)
	p.aliases++
	return a
}

// node plans rel with its select items; path is the embed path from the root.
func (p *planner) node(rel *schema.Relation, items []apireq.SelectItem, path []string) (*Node, error) {
	n := &Node{Rel: nameOf(rel), Alias: p.alias(), MaxRows: p.opts.MaxRows}
	if len(items) == 0 {
		items = []apireq.SelectItem{{Kind: apireq.ItemStar}}
	}
	for i := range items {
		it := &items[i]
		switch it.Kind {
		case apireq.ItemStar:
			n.Outputs = append(n.Outputs, Output{Kind: OutStar})
		case apireq.ItemCount:
			if !p.opts.AggregatesEnabled {
				return nil, apierr.AggregatesDisabled()
			}
			n.Outputs = append(n.Outputs, Output{Kind: OutCount, Key: orDefault(it.Alias, "count"), AggCast: it.AggregateCast})
			n.GroupBy = true
		case apireq.ItemField:
			o, err := p.field(rel, it)
			if err != nil {
				return nil, err
			}
			if o.Agg != apireq.AggNone {
				n.GroupBy = true
			}
			n.Outputs = append(n.Outputs, o)
		case apireq.ItemEmbed, apireq.ItemSpread:
			e, err := p.embed(n, rel, it, path)
			if err != nil {
				return nil, err
			}
			n.Embeds = append(n.Embeds, e)
			if e.Spread {
				for _, co := range e.Node.Outputs {
					if co.Kind == OutStar {
						for _, c := range e.rel.Columns {
							n.Outputs = append(n.Outputs, Output{Kind: OutSpreadColumn, Key: c.Name, Embed: e})
						}
						continue
					}
					if co.Kind == OutEmbed && co.Embed.Hidden {
						continue
					}
					n.Outputs = append(n.Outputs, Output{Kind: OutSpreadColumn, Key: co.Key, Embed: e})
				}
			} else {
				n.Outputs = append(n.Outputs, Output{Kind: OutEmbed, Key: e.Key, Embed: e})
			}
		}
	}
	where, err := p.conditions(n, rel, path)
	if err != nil {
		return nil, err
	}
	n.Where = where
	if err := p.orderOf(n, rel, path); err != nil {
		return nil, err
	}
	n.Page = p.pageOf(path)
	return n, nil
}

func orDefault(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

// field plans one selected column (or computed column).
func (p *planner) field(rel *schema.Relation, it *apireq.SelectItem) (Output, error) {
	o := Output{Kind: OutColumn, Cast: it.Cast, Agg: it.Aggregate, AggCast: it.AggregateCast}
	if it.Aggregate != apireq.AggNone && !p.opts.AggregatesEnabled {
		return o, apierr.AggregatesDisabled()
	}
	col, err := p.column(rel, it.Field)
	if err != nil {
		return o, err
	}
	o.Col = col
	switch {
	case it.Alias != "":
		o.Key = it.Alias
	case it.Aggregate != apireq.AggNone:
		o.Key = it.Aggregate.String()
	default:
		o.Key = jsonKey(it.Field)
	}
	return o, nil
}

// jsonKey is PostgREST's automatic output name: the last JSON key, else the column.
func jsonKey(f apireq.Field) string {
	for i := len(f.JSONPath) - 1; i >= 0; i-- {
		if !f.JSONPath[i].IsIndex {
			return f.JSONPath[i].Key
		}
	}
	return f.Name
}

// column resolves a field against rel's columns, then its computed columns (42703 when
// neither has it, as PostgreSQL says it).
func (p *planner) column(rel *schema.Relation, f apireq.Field) (Column, error) {
	c, ok := rel.Column(f.Name)
	if !ok {
		if fn, ok := p.cat.computedColumn(rel, f.Name); ok {
			return Column{Name: f.Name, JSONPath: f.JSONPath, ToJSONB: len(f.JSONPath) > 0, Func: &fn}, nil
		}
		return Column{}, undefinedColumn(rel, f.Name)
	}
	return Column{Name: c.Name, JSONPath: f.JSONPath, ToJSONB: len(f.JSONPath) > 0 && !c.IsJSON()}, nil
}

func undefinedColumn(rel *schema.Relation, name string) error {
	return apierr.New(http.StatusBadRequest, "42703", "column "+rel.Name+"."+name+" does not exist", "", "")
}

// embed resolves a relationship from rel and plans the embedded node.
func (p *planner) embed(parent *Node, rel *schema.Relation, it *apireq.SelectItem, path []string) (*Embed, error) {
	rs, err := p.cat.resolve(rel, it.Relation, it.Hint)
	if err != nil {
		return nil, err
	}
	key := orDefault(it.Alias, it.Relation)
	childPath := append(append([]string(nil), path...), key)
	e := &Embed{Key: key, ToOne: rs.toOne, Inner: it.Join == apireq.JoinInner, Spread: it.Kind == apireq.ItemSpread,
		Hidden: len(it.Children) == 0 && it.Kind == apireq.ItemEmbed, On: rs.on, rel: rs.target}
	p.nodes = append(p.nodes, pathNode{path: childPath, names: [2]string{key, it.Relation}, embed: e})
	idx := len(p.nodes) - 1
	children := it.Children
	if e.Hidden {
		children = nil
	}
	child, err := p.node(rs.target, children, childPath)
	if err != nil {
		return nil, err
	}
	if e.Hidden {
		child.Outputs = nil
	}
	e.Node = child
	e.Alias = child.Alias + "_e"
	if rs.junction != nil {
		j := *rs.junction
		j.Alias = p.alias()
		e.Junction = &j
	}
	p.nodes[idx].node = child
	if e.Spread && !e.ToOne {
		for _, o := range child.Outputs {
			if o.Agg != apireq.AggNone || o.Kind == OutCount {
				return nil, apierr.NotImplemented("Aggregates are not implemented for one-to-many or many-to-many spreads.")
			}
			if o.Kind == OutEmbed && !o.Embed.Hidden || o.Kind == OutSpreadColumn {
				return nil, apierr.NotImplemented("Embedding inside one-to-many or many-to-many spreads is not implemented.")
			}
		}
	}
	return e, nil
}

// matches tells whether a request path addresses the node at np.
func matches(reqPath []string, np pathNode) bool {
	if len(reqPath) != len(np.path) {
		return false
	}
	for i := range reqPath {
		if reqPath[i] != np.path[i] {
			if i == len(reqPath)-1 && reqPath[i] == np.names[1] {
				continue // the relation name of an aliased embed (PostgREST's legacy target names)
			}
			return false
		}
	}
	return true
}

// targets tells whether reqPath addresses the node being planned at path.
func (p *planner) targets(reqPath, path []string) bool {
	if slices.Equal(reqPath, path) {
		return true
	}
	if len(path) == 0 {
		return false
	}
	for _, np := range p.nodes {
		if slices.Equal(np.path, path) && matches(reqPath, np) {
			return true
		}
	}
	return false
}

// checkPaths fails (PGRST108) for filters, orders, limits or logic aimed at embeds the
// select does not have.
func (p *planner) checkPaths() error {
	check := func(path []string) error {
		if len(path) == 0 {
			return nil
		}
		for _, np := range p.nodes {
			if matches(path, np) {
				if last := path[len(path)-1]; last != np.names[0] && p.warning == "" {
					p.warning = "Embedded resource was referenced by relation name even though it has an alias. " +
						"This is deprecated and will stop working in a future release. Update `" + last + "` to `" +
						np.names[0] + "` in query string filters, orders or limits."
				}
				return nil
			}
		}
		return apierr.NotEmbedded(strings.Join(path, "."))
	}
	for _, f := range p.req.Filters {
		if err := check(f.Path); err != nil {
			return err
		}
	}
	for _, l := range p.req.Logic {
		if err := check(l.Path); err != nil {
			return err
		}
	}
	for _, o := range p.req.Order {
		if err := check(o.Path); err != nil {
			return err
		}
	}
	for _, r := range p.req.EmbedRanges {
		if err := check(r.Path); err != nil {
			return err
		}
	}
	return nil
}

func (p *planner) conditions(n *Node, rel *schema.Relation, path []string) ([]*Cond, error) {
	var out []*Cond
	for i := range p.req.Filters {
		f := &p.req.Filters[i]
		if !p.targets(f.Path, path) {
			continue
		}
		c, err := p.filter(n, rel, f)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	for i := range p.req.Logic {
		l := &p.req.Logic[i]
		if !p.targets(l.Path, path) {
			continue
		}
		c, err := p.logic(n, rel, &l.Expr)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func (p *planner) logic(n *Node, rel *schema.Relation, e *apireq.LogicExpr) (*Cond, error) {
	if e.Filter != nil {
		c, err := p.filter(n, rel, e.Filter)
		if err != nil {
			return nil, err
		}
		if e.Negated {
			c.Negated = !c.Negated
		}
		return c, nil
	}
	c := &Cond{Logic: e.Op, Negated: e.Negated}
	for i := range e.Children {
		ch, err := p.logic(n, rel, &e.Children[i])
		if err != nil {
			return nil, err
		}
		c.Children = append(c.Children, ch)
	}
	return c, nil
}

func (p *planner) filter(n *Node, rel *schema.Relation, f *apireq.Filter) (*Cond, error) {
	if f.Op == apireq.OpIs && len(f.Field.JSONPath) == 0 && (f.Is == apireq.IsNull || f.Is == apireq.IsNotNull) {
		for _, e := range n.Embeds {
			if e.Key == f.Field.Name {
				is := f.Is
				if f.Negated {
					is = flipNull(is)
				}
				return &Cond{EmbedNull: e, Is: is}, nil
			}
		}
	}
	col, err := p.column(rel, f.Field)
	if err != nil {
		return nil, err
	}
	c := &Cond{Col: col, Op: f.Op, Quantifier: f.Quantifier, Language: f.Language, Value: f.Value,
		List: f.List, Is: f.Is, Negated: f.Negated}
	if f.Op.IsFTS() {
		c.WrapTSVector = len(f.Field.JSONPath) > 0 || !isTSVector(rel, f.Field.Name)
	}
	return c, nil
}

// isTSVector tells whether a column (or computed column) of rel is a tsvector, which
// full-text filters use as is; anything else goes through to_tsvector.
func isTSVector(rel *schema.Relation, name string) bool {
	if c, ok := rel.Column(name); ok {
		return c.IsTSVector()
	}
	if cc, ok := rel.ComputedColumn(name); ok {
		return cc.TypeOID == schema.OIDTSVector
	}
	return false
}

func flipNull(v apireq.IsValue) apireq.IsValue {
	if v == apireq.IsNull {
		return apireq.IsNotNull
	}
	return apireq.IsNull
}

func (p *planner) orderOf(n *Node, rel *schema.Relation, path []string) error {
	for _, spec := range p.req.Order {
		if !p.targets(spec.Path, path) {
			continue
		}
		for _, t := range spec.Terms {
			o := Order{Direction: t.Direction, Nulls: t.Nulls}
			if t.Relation != "" {
				var target *Embed
				for _, e := range n.Embeds {
					if e.Key == t.Relation {
						target = e
					}
				}
				if target == nil {
					return apierr.NotEmbedded(t.Relation)
				}
				if !target.ToOne {
					return apierr.RelatedOrder(rel.Name, t.Relation)
				}
				col, err := p.column(target.rel, t.Field)
				if err != nil {
					return err
				}
				o.Col, o.Embed = col, target
			} else {
				col, err := p.column(rel, t.Field)
				if err != nil {
					return err
				}
				o.Col = col
			}
			n.Order = append(n.Order, o)
		}
		break // the first order parameter of a path wins
	}
	return nil
}

func (p *planner) pageOf(path []string) apireq.Page {
	if len(path) == 0 {
		return p.req.Range
	}
	for _, r := range p.req.EmbedRanges {
		if p.targets(r.Path, path) {
			return r.Page
		}
	}
	return apireq.Page{Limit: apireq.NoLimit}
}
