package apireq

// Request is one HTTP request translated into PostgREST terms. Everything in it comes from
// the request alone: names are not checked against the schema (that is pkg/plan's job).
// Slices and strings may share memory with the inputs given to Parse; treat them as
// read-only.
type Request struct {
	// Method is the HTTP method as sent (GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS).
	Method string
	// Path is the request path after the optional /rest/v1 prefix was removed, still
	// percent-encoded ("/items", "/rpc/fn", "/").
	Path string
	// Target is what the path addresses: a table or view, a function, or the schema root.
	Target Target
	// Schema is the request schema: the Accept-Profile (GET, HEAD, OPTIONS) or
	// Content-Profile (POST, PUT, PATCH, DELETE) header, or the first exposed schema.
	Schema string
	// SchemaNegotiated is true when a profile header was sent or more than one schema is
	// exposed; responses with a body then carry Content-Profile.
	SchemaNegotiated bool

	// Query is the parsed query string (select, filters, order, …), embedded so its
	// fields read as r.Select, r.Filters, ….
	Query
	// Range is the effective top-level window: limit/offset intersected with the Range
	// header (GET only). Offset 0 and Limit NoLimit when neither was given.
	Range Page
	// EmbedRanges are limit/offset windows of embedded nodes (Path non-empty).
	EmbedRanges []PathPage
	// HasRangeHeader reports that a well-formed Range header was honored (GET only).
	HasRangeHeader bool

	// Preferences are the parsed Prefer headers.
	Preferences Preferences
	// Accept lists the requested media types, sorted like PostgREST does (by q, then
	// specificity; ties keep request order). A missing Accept header gives [*/*]; an
	// empty one gives an empty list (PostgREST then finds no acceptable type).
	Accept []MediaType
	// ContentType is the body media type; a missing header means application/json.
	ContentType MediaType
	// Body is the raw request body, unparsed.
	Body []byte

	acceptBuf [1]MediaType
}

// Query is a parsed query string. It is produced by ParseQuery, or as part of a Request
// by Parse (which also validates the limit/offset windows).
type Query struct {
	// Params are all decoded query parameters in order (including keys without '=').
	Params []QueryParam
	// Select is the parsed select= tree. Without a select parameter it is a single
	// ItemStar; "select=" (empty) gives an empty, non-nil slice, which PostgREST also
	// treats as all columns.
	Select []SelectItem
	// Filters are the horizontal filters (column=op.value) in query-string order, for the
	// root (empty Path) and embedded nodes.
	Filters []Filter
	// Logic are the and=/or= trees in query-string order.
	Logic []LogicTree
	// Order holds one entry per embed path that has an order parameter (the first
	// occurrence of a path wins), in query-string order.
	Order []OrderSpec
	// Columns is the columns= list (first occurrence of a name kept), nil when absent.
	Columns []string
	// OnConflict is the on_conflict= list, nil when absent.
	OnConflict []string
	// RPCArgs are, for GET/HEAD/OPTIONS on /rpc/*, the query parameters whose value is not
	// an operator expression, in order; a repeated name appears repeatedly.
	RPCArgs []RPCArg

	// limits are the raw limit/offset parameters, resolved into windows by Parse.
	limits   []limitParam
	paramBuf [8]QueryParam
	scratch  parser
}

// TargetKind says what a request path addresses.
type TargetKind uint8

const (
	// TargetRoot is "/": the OpenAPI document.
	TargetRoot TargetKind = iota + 1
	// TargetTable is "/<name>": a table, view, or other relation.
	TargetTable
	// TargetRPC is "/rpc/<name>": a function (also "/" when Options.RootSpec is set).
	TargetRPC
)

func (k TargetKind) String() string {
	switch k {
	case TargetRoot:
		return "root"
	case TargetTable:
		return "table"
	case TargetRPC:
		return "rpc"
	}
	return "unknown"
}

// Target is the resource a request addresses.
type Target struct {
	Kind TargetKind
	// Name is the percent-decoded relation or function name ("" for the root).
	Name string
	// RootSpec is true when "/" was mapped to the Options.RootSpec function.
	RootSpec bool
}

// QueryParam is one decoded key[=value] pair of the query string.
type QueryParam struct {
	Key, Value string
	// HasValue is false for a key without '=' ("?id"), which PostgREST ignores.
	HasValue bool
}

// RPCArg is a function argument taken from the query string of GET/HEAD /rpc/fn.
type RPCArg struct {
	Name, Value string
}

// Field is a column reference with an optional JSON path: data->a->>0.
type Field struct {
	Name     string
	JSONPath []JSONOp
}

// Arrow is a JSON access operator.
type Arrow uint8

const (
	// ArrowJSON is "->" (yields json).
	ArrowJSON Arrow = iota + 1
	// ArrowText is "->>" (yields text).
	ArrowText
)

func (a Arrow) String() string {
	if a == ArrowText {
		return "->>"
	}
	return "->"
}

// JSONOp is one step of a JSON path.
type JSONOp struct {
	Arrow Arrow
	// Key is the object key, or for an index the decimal literal with an optional leading
	// '-' ("0", "-1"), to be passed to PostgreSQL as an int.
	Key     string
	IsIndex bool
}

// ItemKind distinguishes the entries of a select tree.
type ItemKind uint8

const (
	// ItemField is a column: [alias:]name[->path][::cast][.agg()[::cast]].
	ItemField ItemKind = iota + 1
	// ItemStar is "*": every column.
	ItemStar
	// ItemCount is "[alias:]count()[::cast]": the row count aggregate.
	ItemCount
	// ItemEmbed is a resource embedding: [alias:]rel[!hint][!inner|!left](children).
	ItemEmbed
	// ItemSpread is "...rel[!hint][!inner](children)".
	ItemSpread
)

func (k ItemKind) String() string {
	switch k {
	case ItemField:
		return "field"
	case ItemStar:
		return "star"
	case ItemCount:
		return "count"
	case ItemEmbed:
		return "embed"
	case ItemSpread:
		return "spread"
	}
	return "unknown"
}

// AggFunc is an aggregate applied to a selected column.
type AggFunc uint8

const (
	AggNone AggFunc = iota
	AggSum
	AggAvg
	AggCount
	AggMax
	AggMin
)

// String returns the SQL function name ("" for AggNone); it is also the default output key.
func (a AggFunc) String() string {
	switch a {
	case AggSum:
		return "sum"
	case AggAvg:
		return "avg"
	case AggCount:
		return "count"
	case AggMax:
		return "max"
	case AggMin:
		return "min"
	}
	return ""
}

// JoinType is the join of an embed; JoinDefault behaves like JoinLeft.
type JoinType uint8

const (
	JoinDefault JoinType = iota
	JoinLeft
	JoinInner
)

func (j JoinType) String() string {
	switch j {
	case JoinLeft:
		return "left"
	case JoinInner:
		return "inner"
	}
	return ""
}

// SelectItem is one node of the select tree. Which fields are meaningful depends on Kind:
//
//	ItemField:  Alias, Field, Cast, Aggregate, AggregateCast
//	ItemStar:   nothing
//	ItemCount:  Alias, AggregateCast (Aggregate is AggCount)
//	ItemEmbed:  Alias, Relation, Hint, Join, Children
//	ItemSpread: Relation, Hint, Join, Children
type SelectItem struct {
	Kind  ItemKind
	Alias string

	Field Field
	// Cast is the type the column is cast to before aggregation ("" for none).
	Cast          string
	Aggregate     AggFunc
	AggregateCast string

	Relation string
	Hint     string
	Join     JoinType
	// Children is the embed's own select list; empty for "rel()".
	Children []SelectItem
}

// Operator is a filter operator as written in the URL.
type Operator uint8

const (
	OpEq Operator = iota + 1
	OpNeq
	OpGt
	OpGte
	OpLt
	OpLte
	OpLike
	OpILike
	OpMatch
	OpIMatch
	OpIn
	OpIs
	OpIsDistinct
	OpFts
	OpPlFts
	OpPhFts
	OpWFts
	OpCs
	OpCd
	OpOv
	OpSl
	OpSr
	OpNxr
	OpNxl
	OpAdj
)

var operatorNames = [...]string{
	OpEq: "eq", OpNeq: "neq", OpGt: "gt", OpGte: "gte", OpLt: "lt", OpLte: "lte",
	OpLike: "like", OpILike: "ilike", OpMatch: "match", OpIMatch: "imatch",
	OpIn: "in", OpIs: "is", OpIsDistinct: "isdistinct",
	OpFts: "fts", OpPlFts: "plfts", OpPhFts: "phfts", OpWFts: "wfts",
	OpCs: "cs", OpCd: "cd", OpOv: "ov", OpSl: "sl", OpSr: "sr", OpNxr: "nxr", OpNxl: "nxl", OpAdj: "adj",
}

// String returns the operator as written in the URL ("eq", "plfts", …).
func (o Operator) String() string {
	if int(o) < len(operatorNames) {
		return operatorNames[o]
	}
	return ""
}

// IsFTS reports whether o is one of the full-text-search operators.
func (o Operator) IsFTS() bool { return o >= OpFts && o <= OpWFts }

// Quantifier is the (any)/(all) modifier of eq, gt, gte, lt, lte, like, ilike, match, imatch.
type Quantifier uint8

const (
	QuantNone Quantifier = iota
	QuantAny
	QuantAll
)

func (q Quantifier) String() string {
	switch q {
	case QuantAny:
		return "any"
	case QuantAll:
		return "all"
	}
	return ""
}

// IsValue is the operand of the is operator.
type IsValue uint8

const (
	IsNull IsValue = iota + 1
	IsNotNull
	IsTrue
	IsFalse
	IsUnknown
)

func (v IsValue) String() string {
	switch v {
	case IsNull:
		return "null"
	case IsNotNull:
		return "not_null"
	case IsTrue:
		return "true"
	case IsFalse:
		return "false"
	case IsUnknown:
		return "unknown"
	}
	return ""
}

// Filter is one condition: [path.]field=[not.]op[(quant)|(lang)].value.
type Filter struct {
	// Path names the embedded node the filter applies to (aliases or relation names);
	// empty for the root. Inside a logic tree it is the tree's path.
	Path  []string
	Field Field
	// Negated is the "not." prefix.
	Negated bool
	Op      Operator
	// Quantifier is set for eq(any), like(all), ….
	Quantifier Quantifier
	// Language is the text-search configuration of fts(english) and friends ("" for none).
	Language string
	// Value is the operand, verbatim (like/ilike '*' are not translated here). Unused for
	// in and is.
	Value string
	// List holds the elements of in.(…), quotes removed. "in.()" gives an empty, non-nil
	// list, as does a list whose only element is empty (PostgREST treats both as empty).
	List []string
	// Is is the operand of is.
	Is IsValue
}

// LogicOp joins the children of a logic tree.
type LogicOp uint8

const (
	LogicAnd LogicOp = iota + 1
	LogicOr
)

func (o LogicOp) String() string {
	if o == LogicOr {
		return "or"
	}
	return "and"
}

// LogicTree is one and=/or= parameter: [path.][not.]and=(…).
type LogicTree struct {
	// Path names the embedded node the tree applies to; empty for the root.
	Path []string
	Expr LogicExpr
}

// LogicExpr is a node of a logic tree: a leaf condition (Filter non-nil) or a negatable
// and/or over children.
type LogicExpr struct {
	Filter   *Filter
	Negated  bool
	Op       LogicOp
	Children []LogicExpr
}

// Direction of an order term; DirDefault emits no direction (PostgreSQL's ASC).
type Direction uint8

const (
	DirDefault Direction = iota
	DirAsc
	DirDesc
)

func (d Direction) String() string {
	switch d {
	case DirAsc:
		return "asc"
	case DirDesc:
		return "desc"
	}
	return ""
}

// NullsOrder of an order term; NullsDefault emits nothing.
type NullsOrder uint8

const (
	NullsDefault NullsOrder = iota
	NullsFirst
	NullsLast
)

func (n NullsOrder) String() string {
	switch n {
	case NullsFirst:
		return "nullsfirst"
	case NullsLast:
		return "nullslast"
	}
	return ""
}

// OrderTerm is field[.asc|.desc][.nullsfirst|.nullslast], or rel(field)… when Relation
// is set (ordering by a column of a to-one embed).
type OrderTerm struct {
	Relation  string
	Field     Field
	Direction Direction
	Nulls     NullsOrder
}

// OrderSpec is the order= parameter of one node.
type OrderSpec struct {
	Path  []string
	Terms []OrderTerm
}

// NoLimit is Page.Limit when no limit applies.
const NoLimit int64 = -1

// Page is a row window: OFFSET Offset LIMIT Limit (Limit may be NoLimit).
type Page struct {
	Offset int64
	Limit  int64
}

// PathPage is the window of an embedded node.
type PathPage struct {
	Path []string
	Page Page
}
