package schema

import (
	"strings"
	"sync"
	"time"
)

// QualifiedName names a relation or function by schema and name (both unquoted).
type QualifiedName struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
}

func (q QualifiedName) String() string { return q.Schema + "." + q.Name }

// Kind is the kind of an exposed relation.
type Kind string

const (
	KindTable            Kind = "table"
	KindView             Kind = "view"
	KindMaterializedView Kind = "materialized_view"
	KindForeignTable     Kind = "foreign_table"
	KindPartitionedTable Kind = "partitioned_table"
	// KindComposite is a composite type a function returns (Snapshot.CompositeTypes).
	KindComposite Kind = "composite"
)

// IsView reports whether the relation is a view or a materialized view (PostgREST's is_view).
func (k Kind) IsView() bool { return k == KindView || k == KindMaterializedView }

// TypeKind classifies a type after domains are stripped.
type TypeKind string

const (
	TypeBase       TypeKind = "base"
	TypeArray      TypeKind = "array"
	TypeComposite  TypeKind = "composite"
	TypeEnum       TypeKind = "enum"
	TypeRange      TypeKind = "range"
	TypeMultirange TypeKind = "multirange"
	TypePseudo     TypeKind = "pseudo"
)

// Well-known type OIDs (stable across PostgreSQL versions).
const (
	OIDBool     uint32 = 16
	OIDBytea    uint32 = 17
	OIDText     uint32 = 25
	OIDJSON     uint32 = 114
	OIDXML      uint32 = 142
	OIDBpchar   uint32 = 1042
	OIDVarchar  uint32 = 1043
	OIDVoid     uint32 = 2278
	OIDRecord   uint32 = 2249
	OIDTSVector uint32 = 3614
	OIDJSONB    uint32 = 3802
)

// Snapshot is one immutable view of the catalog for the exposed schemas. It is built by Load
// or FromJSON and never modified afterwards, so any number of goroutines read it without
// locks. Its slices are sorted so that its JSON form is stable.
type Snapshot struct {
	// Schemas are the exposed schemas that exist, in the configured order (first = default).
	Schemas []Schema `json:"schemas"`
	// Relations are the tables, views, materialized views, foreign tables and partitioned
	// tables (not partitions) of the exposed schemas, sorted by schema and name.
	Relations []*Relation `json:"relations"`
	// AllFunctions are the RPC-callable functions of the exposed schemas (§7.1), sorted by
	// schema, name, number of parameters and signature.
	AllFunctions []*Function `json:"functions"`
	// RoleSettings are the ALTER ROLE … SET settings of every role that has some, for this
	// database, sorted by role.
	RoleSettings []RoleSettings `json:"role_settings"`
	// DomainRepresentations are the implicit casts between domains and json or text
	// (§10.6), sorted by source and target type.
	DomainRepresentations []DomainRepresentation `json:"domain_representations,omitempty"`
	// CompositeTypes are the composite types exposed functions return, with their
	// attributes as columns (Kind "composite"), sorted by schema and name.
	CompositeTypes []*Relation `json:"composite_types,omitempty"`
	// ServerVersion is server_version_num (150004 for 15.4).
	ServerVersion int `json:"server_version"`

	// LoadDuration is how long Load took (zero for FromJSON).
	LoadDuration time.Duration `json:"-"`

	rels      map[QualifiedName]*Relation
	composite map[QualifiedName]*Relation
	domainRep map[[2]uint32]*DomainRepresentation
	funcs     map[QualifiedName][]*Function
	roles     map[string]*RoleSettings
	schemaSet map[string]bool

	// Fuzzy indexes for hints, built on first use (hints are only needed on error paths).
	fuzzyOnce sync.Once
	relFuzzy  map[string]*fuzzySet // per schema; absent when the schema has ≥ 500 relations
	funcFuzzy map[string]*fuzzySet // per schema
}

// Schema is one exposed schema.
type Schema struct {
	Name    string `json:"name"`
	Comment string `json:"comment,omitempty"`
}

// Relation is a table, view, materialized view, foreign table or partitioned table.
type Relation struct {
	Schema  string `json:"schema"`
	Name    string `json:"name"`
	Kind    Kind   `json:"kind"`
	Comment string `json:"comment,omitempty"`
	// Insertable, Updatable and Deletable are always true for tables; for views and foreign
	// tables they come from pg_relation_is_updatable (auto-updatable or INSTEAD OF
	// triggers); materialized views are never writable.
	Insertable bool `json:"insertable"`
	Updatable  bool `json:"updatable"`
	Deletable  bool `json:"deletable"`
	// Columns in attribute order.
	Columns []*Column `json:"columns"`
	// PrimaryKey lists the primary key columns in key order; for views it is inferred from
	// the base tables whose whole primary key the view exposes.
	PrimaryKey []string `json:"primary_key,omitempty"`
	// UniqueConstraints are the UNIQUE constraints of a table, sorted by name.
	UniqueConstraints []Constraint `json:"unique_constraints,omitempty"`
	// ForeignKeys are the FK constraints whose referencing side is this table, sorted by
	// name, including those referencing relations outside the exposed schemas.
	ForeignKeys []ForeignKey `json:"foreign_keys,omitempty"`
	// Relationships are the embeddable relationships with this relation as the origin.
	Relationships []Relationship `json:"relationships,omitempty"`
	// ComputedColumns are functions of this relation's row type returning a non-relation
	// value, defined in this relation's schema, sorted by name.
	ComputedColumns []*ComputedColumn `json:"computed_columns,omitempty"`

	columns  map[string]*Column
	computed map[string]*ComputedColumn
}

// QualifiedName returns the relation's schema and name.
func (r *Relation) QualifiedName() QualifiedName { return QualifiedName{r.Schema, r.Name} }

// IsView reports whether the relation is a view or materialized view.
func (r *Relation) IsView() bool { return r.Kind.IsView() }

// Column looks a column up by its exact name.
func (r *Relation) Column(name string) (*Column, bool) {
	c, ok := r.columns[name]
	return c, ok
}

// ComputedColumn looks up a computed column (a function of this relation's row type).
func (r *Relation) ComputedColumn(name string) (*ComputedColumn, bool) {
	c, ok := r.computed[name]
	return c, ok
}

// Column is one attribute of a relation.
type Column struct {
	Name     string `json:"name"`
	Position int    `json:"position"`
	// Type is format_type with the type modifier: "character varying(20)", "integer[]",
	// "public.mood" (names outside pg_catalog are schema-qualified).
	Type string `json:"type"`
	// DataType is PostgREST's data_type: the base type for domains over pg_catalog types,
	// otherwise the type itself, without modifier ("character varying").
	DataType string `json:"data_type"`
	TypeOID  uint32 `json:"type_oid"`
	// BaseType and BaseTypeOID are the type with all domains stripped (equal to the type
	// itself when it is not a domain).
	BaseType    string `json:"base_type"`
	BaseTypeOID uint32 `json:"base_type_oid"`
	// TypeKind classifies BaseType.
	TypeKind TypeKind `json:"type_kind"`
	// ElementType and ElementTypeOID describe an array's element type.
	ElementType    string `json:"element_type,omitempty"`
	ElementTypeOID uint32 `json:"element_type_oid,omitempty"`
	// Nullable is false for NOT NULL columns and columns of a NOT NULL domain.
	Nullable bool `json:"nullable"`
	// Default is the default expression: the column's own, nextval(…) for identity columns,
	// the domain's when the column has none, empty for generated columns.
	Default string `json:"default,omitempty"`
	// Generated is true for stored generated columns and GENERATED ALWAYS identity columns:
	// values that cannot be written without OVERRIDING.
	Generated bool `json:"generated,omitempty"`
	// Identity is "always", "by default" or empty.
	Identity string `json:"identity,omitempty"`
	// Enum lists the labels of the (base) enum type in sort order.
	Enum []string `json:"enum,omitempty"`
	// MaxLength is n of character(n) / character varying(n) (0 when unbounded).
	MaxLength int    `json:"max_length,omitempty"`
	Comment   string `json:"comment,omitempty"`
}

// IsJSON reports whether the column is json or jsonb (or a domain over one).
func (c *Column) IsJSON() bool { return c.BaseTypeOID == OIDJSON || c.BaseTypeOID == OIDJSONB }

// IsTSVector reports whether the column is a tsvector (or a domain over one).
func (c *Column) IsTSVector() bool { return c.BaseTypeOID == OIDTSVector }

// IsArray reports whether the column's base type is an array.
func (c *Column) IsArray() bool { return c.TypeKind == TypeArray }

// IsRange reports whether the column's base type is a range or multirange.
func (c *Column) IsRange() bool { return c.TypeKind == TypeRange || c.TypeKind == TypeMultirange }

// IsComposite reports whether the column's base type is a composite (row) type.
func (c *Column) IsComposite() bool { return c.TypeKind == TypeComposite }

// IsDomain reports whether the column's type is a domain.
func (c *Column) IsDomain() bool { return c.TypeOID != c.BaseTypeOID }

// Constraint is a named list of columns (a UNIQUE constraint).
type Constraint struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
}

// ForeignKey is an FK constraint of a table.
type ForeignKey struct {
	Name              string        `json:"name"`
	Columns           []string      `json:"columns"`
	References        QualifiedName `json:"references"`
	ReferencedColumns []string      `json:"referenced_columns"`
}

// Cardinality of a relationship, spelled as in PGRST201 details.
type Cardinality string

const (
	ManyToOne  Cardinality = "many-to-one"
	OneToMany  Cardinality = "one-to-many"
	OneToOne   Cardinality = "one-to-one"
	ManyToMany Cardinality = "many-to-many"
	// Computed relationships come from a function f(origin_row) returning rows of a relation.
	Computed Cardinality = "computed"
)

// ColumnPair joins a column of one side to a column of the other.
type ColumnPair struct {
	Column  string `json:"column"`
	Foreign string `json:"foreign"`
}

// Relationship is one way of embedding ForeignTable from Table (the origin).
type Relationship struct {
	Table        QualifiedName `json:"table"`
	ForeignTable QualifiedName `json:"foreign_table"`
	Cardinality  Cardinality   `json:"cardinality"`
	// IsSelf is true when origin and target are the same relation.
	IsSelf bool `json:"is_self,omitempty"`
	// ToOne is true for many-to-one, one-to-one and to-one computed relationships.
	ToOne bool `json:"to_one,omitempty"`
	// Constraint is the FK constraint's name (many-to-one, one-to-many, one-to-one).
	Constraint string `json:"constraint,omitempty"`
	// Columns pair each origin column (Column) with a target column (Foreign).
	Columns []ColumnPair `json:"columns,omitempty"`
	// FKOnOrigin is true when the FK constraint lives on the origin (many-to-one, and the
	// referencing side of a one-to-one), false when it lives on the target.
	FKOnOrigin bool `json:"fk_on_origin,omitempty"`
	// Junction describes a many-to-many relationship.
	Junction *Junction `json:"junction,omitempty"`
	// Function is the function of a computed relationship.
	Function *QualifiedName `json:"function,omitempty"`
}

// Junction is the middle relation of a many-to-many relationship.
type Junction struct {
	Table QualifiedName `json:"table"`
	// Constraint1 is the junction's FK to the origin, Constraint2 its FK to the target.
	Constraint1 string `json:"constraint1"`
	Constraint2 string `json:"constraint2"`
	// SourceColumns pair junction columns (Column) with origin columns (Foreign);
	// TargetColumns pair junction columns with target columns.
	SourceColumns []ColumnPair `json:"source_columns"`
	TargetColumns []ColumnPair `json:"target_columns"`
}

// ParamMode is a function parameter's mode.
type ParamMode string

const (
	ParamIn       ParamMode = "in"
	ParamOut      ParamMode = "out"
	ParamInOut    ParamMode = "inout"
	ParamVariadic ParamMode = "variadic"
	ParamTable    ParamMode = "table"
)

// Param is one function parameter.
type Param struct {
	// Name is empty for an unnamed parameter.
	Name string `json:"name"`
	// Type is format_type of the parameter's type ("integer", "text[]", "public.mood").
	Type    string `json:"type"`
	TypeOID uint32 `json:"type_oid"`
	// CallType is the type to cast arguments to: Type with character → character varying
	// and bit → bit varying, so that lengths are not enforced at call time.
	CallType   string    `json:"call_type"`
	Mode       ParamMode `json:"mode"`
	HasDefault bool      `json:"has_default,omitempty"`
}

// IsInput reports whether the parameter takes an argument (IN, INOUT, VARIADIC).
func (p Param) IsInput() bool {
	return p.Mode == ParamIn || p.Mode == ParamInOut || p.Mode == ParamVariadic
}

// IsOutput reports whether the parameter is part of the result (OUT, INOUT, TABLE).
func (p Param) IsOutput() bool {
	return p.Mode == ParamOut || p.Mode == ParamInOut || p.Mode == ParamTable
}

// ReturnKind classifies what a function returns.
type ReturnKind string

const (
	ReturnVoid ReturnKind = "void"
	// ReturnScalar: base types, domains over them, enums, arrays, ranges, and record
	// without OUT parameters.
	ReturnScalar ReturnKind = "scalar"
	// ReturnComposite: a table's or composite type's row (or a domain over one), or any
	// function with OUT, INOUT or TABLE parameters.
	ReturnComposite ReturnKind = "composite"
)

// ReturnType describes a function's result.
type ReturnType struct {
	// Type is format_type of the declared return type ("integer", "record", "test.projects",
	// `test."text/plain"`).
	Type    string `json:"type"`
	TypeOID uint32 `json:"type_oid"`
	// Name is the return type's own schema and name, unquoted ({test text/plain}; arrays
	// have PostgreSQL's internal names such as _int4): what media-type handlers match.
	Name  QualifiedName `json:"name"`
	SetOf bool          `json:"setof,omitempty"`
	Kind  ReturnKind    `json:"kind"`
	// Relation is set when the result is the row type of a table, view, materialized view,
	// foreign table or partitioned table (results can then be embedded from).
	Relation *QualifiedName `json:"relation,omitempty"`
	// Composite is set when the result is a composite type's row (CREATE TYPE … AS); its
	// attributes are in Snapshot.CompositeTypes.
	Composite *QualifiedName `json:"composite,omitempty"`
}

// Volatility of a function.
type Volatility string

const (
	Immutable Volatility = "immutable"
	Stable    Volatility = "stable"
	Volatile  Volatility = "volatile"
)

// Setting is one name=value configuration entry (proconfig or ALTER ROLE … SET).
type Setting struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Function is an RPC-callable function.
type Function struct {
	Schema  string `json:"schema"`
	Name    string `json:"name"`
	OID     uint32 `json:"oid"`
	Comment string `json:"comment,omitempty"`
	// Params are all parameters in declaration order, OUT and TABLE ones included.
	Params          []Param    `json:"params"`
	Return          ReturnType `json:"return"`
	Volatility      Volatility `json:"volatility"`
	SecurityDefiner bool       `json:"security_definer,omitempty"`
	// Rows is the planner's row estimate (prorows; 0 for non-SETOF functions).
	Rows float64 `json:"rows,omitempty"`
	// Settings are the function's SET clauses (proconfig), in declaration order.
	Settings []Setting `json:"settings,omitempty"`
}

// QualifiedName returns the function's schema and name.
func (f *Function) QualifiedName() QualifiedName { return QualifiedName{f.Schema, f.Name} }

// InputParams returns the parameters that take arguments, in order.
func (f *Function) InputParams() []Param {
	var in []Param
	for _, p := range f.Params {
		if p.IsInput() {
			in = append(in, p)
		}
	}
	return in
}

// Variadic returns the VARIADIC parameter, if any.
func (f *Function) Variadic() (Param, bool) {
	for _, p := range f.Params {
		if p.Mode == ParamVariadic {
			return p, true
		}
	}
	return Param{}, false
}

// Setting returns the value of one of the function's SET clauses.
func (f *Function) Setting(name string) (string, bool) {
	for _, s := range f.Settings {
		if s.Name == name {
			return s.Value, true
		}
	}
	return "", false
}

// IsolationLevel returns the function's default_transaction_isolation setting, if any.
func (f *Function) IsolationLevel() string {
	v, _ := f.Setting("default_transaction_isolation")
	return v
}

// Signature renders the function like PGRST203 does: `schema.name(a => integer, b => text)`.
func (f *Function) Signature() string {
	var b strings.Builder
	b.WriteString(f.Schema + "." + f.Name + "(")
	first := true
	for _, p := range f.Params {
		if !p.IsInput() {
			continue
		}
		if !first {
			b.WriteString(", ")
		}
		first = false
		b.WriteString(p.Name + " => " + p.Type)
	}
	b.WriteString(")")
	return b.String()
}

// ComputedColumn is a function f(row of a relation) returning a value that is not a row of
// a relation: selectable, filterable and orderable as if it were a column named f.
type ComputedColumn struct {
	Name     string        `json:"name"`
	Function QualifiedName `json:"function"`
	Table    QualifiedName `json:"table"`
	// Type is format_type of the return type.
	Type    string `json:"type"`
	TypeOID uint32 `json:"type_oid"`
	SetOf   bool   `json:"setof,omitempty"`
}

// RoleSettings are one role's ALTER ROLE … SET settings (database-specific ones override
// the role-wide ones), restricted to those a session may set (context "user" or custom),
// without default_transaction_isolation, which is kept apart as IsolationLevel.
type RoleSettings struct {
	Role           string    `json:"role"`
	Settings       []Setting `json:"settings,omitempty"`
	IsolationLevel string    `json:"isolation_level,omitempty"`
}

// DomainRepresentation is an implicit cast implemented by a function, from a domain to json
// or text, or from json or text to a domain. The planner uses domain → json for output,
// text → domain for filter values and json → domain for body values.
type DomainRepresentation struct {
	Source    string        `json:"source"`
	SourceOID uint32        `json:"source_oid"`
	Target    string        `json:"target"`
	TargetOID uint32        `json:"target_oid"`
	Function  QualifiedName `json:"function"`
}

// Counts are the sizes of a snapshot, for metrics and logs.
type Counts struct {
	Relations       int `json:"relations"`
	Columns         int `json:"columns"`
	ForeignKeys     int `json:"foreign_keys"`
	Relationships   int `json:"relationships"`
	Functions       int `json:"functions"`
	ComputedColumns int `json:"computed_columns"`
}
