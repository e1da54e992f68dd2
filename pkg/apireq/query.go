package apireq

import (
	"slices"
	"strings"

	"github.com/rocksteady/rocksteady/pkg/apierr"
)

// PGRST100 descriptions (the text before the parenthesised input).
const (
	descSelect     = "failed to parse select parameter"
	descFilter     = "failed to parse filter"
	descOrder      = "failed to parse order"
	descLogicTree  = "failed to parse logic tree"
	descTreePath   = "failed to parse tree path"
	descLogicPath  = "failed to parse logic path"
	descColumns    = "failed to parse columns parameter"
	descOnConflict = "failed to parse on_conflict parameter"
)

// run parses input with fn using p as scratch space. On failure it parses again with
// error tracking and returns the PGRST100 error; shown is the text quoted in the message
// (usually input itself).
func run[T any](p *parser, input, shown, description string, fn func(*parser) (T, status)) (T, *apierr.Error) {
	*p = parser{s: input}
	v, s := fn(p)
	if s.ok() {
		return v, nil
	}
	*p = parser{s: input, track: true}
	fn(p)
	var zero T
	return zero, p.parseFailure(description, shown)
}

func parseSelectList(p *parser) ([]SelectItem, status) { return p.selectList(0) }

func parseOrderList(p *parser) ([]OrderTerm, status) { return p.orderList() }

func parseColumnList(p *parser) ([]string, status) { return p.columnList() }

type treePathResult struct {
	path  []string
	field Field
}

func parseTreePath(p *parser) (treePathResult, status) {
	path, f, s := p.treePath()
	return treePathResult{path, f}, s
}

func parseNames(p *parser) ([]string, status) { return p.dottedNames(nil) }

// opResult is a parsed filter value: an operator expression, or (rpcRead) an argument.
type opResult struct {
	f     Filter
	isArg bool
}

func parseOpExpr(p *parser) (opResult, status) {
	var r opResult
	return r, p.opExpr(&r.f, false)
}

func parseOpExprOrArg(p *parser) (opResult, status) {
	var r opResult
	s := p.opExpr(&r.f, false)
	if s == emptyErr {
		return opResult{isArg: true}, emptyOK
	}
	return r, s
}

func parseLogicExpr(p *parser) (LogicExpr, status) { return p.logicExpr(nil, 0) }

// ParseSelect parses a select= value. An empty value gives an empty list. Input after a
// complete list is ignored, as in PostgREST ("id)" selects id).
func ParseSelect(value string) ([]SelectItem, error) {
	items, err := run(new(parser), value, value, descSelect, parseSelectList)
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []SelectItem{}
	}
	return items, nil
}

// ParseTreePath parses the key of a filter, order or limit parameter: the embed path
// (all dot-separated names but the last) and the field (the last name and its JSON path).
// Input after the field, such as a cast, is ignored.
func ParseTreePath(key string) ([]string, Field, error) {
	r, err := run(new(parser), key, key, descTreePath, parseTreePath)
	if err != nil {
		return nil, Field{}, err
	}
	return r.path, r.field, nil
}

// ParseFilter parses one filter parameter, key=value (both already percent-decoded).
func ParseFilter(key, value string) (Filter, error) {
	p := new(parser)
	tp, err := run(p, key, key, descTreePath, parseTreePath)
	if err != nil {
		return Filter{}, err
	}
	r, err := run(p, value, value, descFilter, parseOpExpr)
	if err != nil {
		return Filter{}, err
	}
	r.f.Path, r.f.Field = tp.path, tp.field
	return r.f, nil
}

// ParseOrder parses an order= value.
func ParseOrder(value string) ([]OrderTerm, error) {
	terms, err := run(new(parser), value, value, descOrder, parseOrderList)
	if err != nil {
		return nil, err
	}
	return terms, nil
}

// ParseLogicTree parses one logic parameter: key is [path.][not.]and|or, value "(…)".
// "not" anywhere in the key negates the tree and is not part of the path.
func ParseLogicTree(key, value string) (LogicTree, error) {
	t, err := parseLogicParam(new(parser), key, value)
	if err != nil {
		return LogicTree{}, err
	}
	return t, nil
}

func parseLogicParam(p *parser, key, value string) (LogicTree, *apierr.Error) {
	names, err := run(p, key, key, descLogicPath, parseNames)
	if err != nil {
		return LogicTree{}, err
	}
	op := names[len(names)-1]
	var path []string
	negated := false
	for i, n := range names {
		if n == "not" {
			negated = true
		} else if i < len(names)-1 {
			path = append(path, n)
		}
	}
	if negated {
		op = "not." + op
	}
	expr, err := run(p, op+value, value, descLogicTree, parseLogicExpr)
	if err != nil {
		return LogicTree{}, err
	}
	if path != nil {
		setLogicPath(&expr, path)
	}
	return LogicTree{Path: path, Expr: expr}, nil
}

func setLogicPath(e *LogicExpr, path []string) {
	if e.Filter != nil {
		e.Filter.Path = path
	}
	for i := range e.Children {
		setLogicPath(&e.Children[i], path)
	}
}

// ParseColumns parses a columns= value (a non-empty list of names).
func ParseColumns(value string) ([]string, error) {
	cols, err := run(new(parser), value, value, descColumns, parseColumnList)
	if err != nil {
		return nil, err
	}
	return cols, nil
}

// ParseOnConflict parses an on_conflict= value (a non-empty list of names).
func ParseOnConflict(value string) ([]string, error) {
	cols, err := run(new(parser), value, value, descOnConflict, parseColumnList)
	if err != nil {
		return nil, err
	}
	return cols, nil
}

// ParseQuery parses a raw (still percent-encoded) query string. rpcRead is true for
// GET/HEAD/OPTIONS on a function: values that are not operator expressions then become
// RPCArgs instead of failing. Errors are PGRST100, reported in PostgREST's order (order,
// logic trees, columns, select, filters, on_conflict, limit/offset keys).
func ParseQuery(rawQuery string, rpcRead bool) (*Query, error) {
	q := &Query{}
	if err := q.parse(rawQuery, rpcRead); err != nil {
		return nil, err
	}
	return q, nil
}

// keyClass classifies a query parameter key.
type keyClass uint8

const (
	keyFilter keyClass = iota
	keySelect
	keyColumns
	keyOnConflict
	keyOrder
	keyLimit
	keyOffset
	keyLogic
)

func classify(key string) keyClass {
	switch key {
	case "select":
		return keySelect
	case "columns":
		return keyColumns
	case "on_conflict":
		return keyOnConflict
	}
	switch key[strings.LastIndexByte(key, '.')+1:] {
	case "order":
		return keyOrder
	case "limit":
		return keyLimit
	case "offset":
		return keyOffset
	case "and", "or":
		return keyLogic
	}
	return keyFilter
}

func (q *Query) parse(raw string, rpcRead bool) *apierr.Error {
	q.Params = splitQuery(raw, q.paramBuf[:0])

	// select, columns and on_conflict: the first occurrence of the key decides, even when
	// it has no value.
	var selectP, columnsP, onConflictP *QueryParam
	nFilters := 0
	for i := range q.Params {
		prm := &q.Params[i]
		switch classify(prm.Key) {
		case keySelect:
			if selectP == nil {
				selectP = prm
			}
		case keyColumns:
			if columnsP == nil {
				columnsP = prm
			}
		case keyOnConflict:
			if onConflictP == nil {
				onConflictP = prm
			}
		case keyFilter:
			if prm.HasValue {
				nFilters++
			}
		}
	}

	for i := range q.Params {
		prm := &q.Params[i]
		if !prm.HasValue || classify(prm.Key) != keyOrder {
			continue
		}
		if err := q.addOrder(prm.Key, prm.Value); err != nil {
			return err
		}
	}
	for i := range q.Params {
		prm := &q.Params[i]
		if !prm.HasValue || classify(prm.Key) != keyLogic {
			continue
		}
		tree, err := parseLogicParam(&q.scratch, prm.Key, prm.Value)
		if err != nil {
			return err
		}
		q.Logic = append(q.Logic, tree)
	}
	if columnsP != nil && columnsP.HasValue {
		cols, err := run(&q.scratch, columnsP.Value, columnsP.Value, descColumns, parseColumnList)
		if err != nil {
			return err
		}
		q.Columns = dedupe(cols)
	}
	if selectP != nil && selectP.HasValue {
		items, err := run(&q.scratch, selectP.Value, selectP.Value, descSelect, parseSelectList)
		if err != nil {
			return err
		}
		if items == nil {
			items = []SelectItem{}
		}
		q.Select = items
	} else {
		q.Select = []SelectItem{{Kind: ItemStar}}
	}
	if nFilters > 0 {
		if err := q.addFilters(nFilters, rpcRead); err != nil {
			return err
		}
	}
	if onConflictP != nil && onConflictP.HasValue {
		cols, err := run(&q.scratch, onConflictP.Value, onConflictP.Value, descOnConflict, parseColumnList)
		if err != nil {
			return err
		}
		q.OnConflict = cols
	}
	return q.collectLimits()
}

func (q *Query) addOrder(key, value string) *apierr.Error {
	var path []string
	if key != "order" {
		tp, err := run(&q.scratch, key, key, descTreePath, parseTreePath)
		if err != nil {
			return err
		}
		path = tp.path
	}
	terms, err := run(&q.scratch, value, value, descOrder, parseOrderList)
	if err != nil {
		return err
	}
	for _, o := range q.Order {
		if slices.Equal(o.Path, path) {
			return nil
		}
	}
	q.Order = append(q.Order, OrderSpec{Path: path, Terms: terms})
	return nil
}

func (q *Query) addFilters(n int, rpcRead bool) *apierr.Error {
	q.Filters = make([]Filter, 0, n)
	for i := range q.Params {
		prm := &q.Params[i]
		if !prm.HasValue || classify(prm.Key) != keyFilter {
			continue
		}
		tp, err := run(&q.scratch, prm.Key, prm.Key, descTreePath, parseTreePath)
		if err != nil {
			return err
		}
		parse := parseOpExpr
		if rpcRead {
			parse = parseOpExprOrArg
		}
		r, err := run(&q.scratch, prm.Value, prm.Value, descFilter, parse)
		if err != nil {
			return err
		}
		if r.isArg {
			q.RPCArgs = append(q.RPCArgs, RPCArg{Name: tp.field.Name, Value: prm.Value})
			continue
		}
		r.f.Path, r.f.Field = tp.path, tp.field
		q.Filters = append(q.Filters, r.f)
	}
	return nil
}

func dedupe(names []string) []string {
	out := names[:0:0]
	for i, n := range names {
		dup := false
		for _, m := range names[:i] {
			if m == n {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, n)
		}
	}
	if len(out) == len(names) {
		return names
	}
	return out
}

// limitParam is the raw limit/offset of one node, keyed like PostgREST keys its range map
// (the parameter key with a final "offset" replaced by "limit"). The last occurrence of a
// key wins.
type limitParam struct {
	key       string
	path      []string
	hasLimit  bool
	limitOK   bool
	limit     int64
	hasOffset bool
	offsetOK  bool
	offset    int64
}

func (q *Query) collectLimits() *apierr.Error {
	for i := range q.Params {
		prm := &q.Params[i]
		if !prm.HasValue {
			continue
		}
		class := classify(prm.Key)
		if class != keyLimit && class != keyOffset {
			continue
		}
		key := prm.Key
		if class == keyOffset {
			key = key[:len(key)-len("offset")] + "limit"
		}
		lp := q.limitFor(key)
		n, ok := parseHaskellInteger(prm.Value)
		if class == keyLimit {
			lp.hasLimit, lp.limitOK, lp.limit = true, ok, n
		} else {
			lp.hasOffset, lp.offsetOK, lp.offset = true, ok, n
		}
	}
	for i := range q.limits {
		lp := &q.limits[i]
		if lp.key == "limit" {
			continue
		}
		tp, err := run(&q.scratch, lp.key, lp.key, descTreePath, parseTreePath)
		if err != nil {
			return err
		}
		lp.path = tp.path
	}
	return nil
}

func (q *Query) limitFor(key string) *limitParam {
	for i := range q.limits {
		if q.limits[i].key == key {
			return &q.limits[i]
		}
	}
	q.limits = append(q.limits, limitParam{key: key})
	return &q.limits[len(q.limits)-1]
}

// parseHaskellInteger reads an integer the way Haskell's readMaybe does for the forms
// that matter: surrounding whitespace, an optional '-', decimal digits. Values beyond
// int64 saturate.
func parseHaskellInteger(s string) (int64, bool) {
	s = strings.TrimFunc(s, hsIsSpace)
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	}
	if s == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (1<<63-1-int64(c-'0'))/10 {
			n = 1<<63 - 1
			continue
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}
