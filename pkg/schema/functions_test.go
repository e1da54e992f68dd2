package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestLoadFunctions(t *testing.T) {
	s, _ := loadFixture(t)
	var names []string
	for _, f := range s.AllFunctions {
		names = append(names, f.Schema+"."+f.Name+"/"+strings.Repeat("x", len(f.Params)))
	}
	// Not here: unnamed_int (unnamed non-body parameter), trig (trigger), proc (procedure),
	// private.* (unexposed schema), full_name/client_projects/main_client/manager/departments
	// (unnamed row parameter: computed, not callable).
	want := []string{
		"test.add_them/xx", "test.char_param/xx", "test.get_pair/", "test.get_project/x", "test.get_projects/x",
		"test.moods/x", "test.out_params/xxx", "test.overloaded/", "test.overloaded/x", "test.overloaded/xx",
		"test.plain_hello/", "test.project_count/x", "test.secure/", "test.table_fn/xxx", "test.unnamed_json/x", "test.variadic_param/x",
		"test.with_defaults/xxx",
	}
	if !slices.Equal(names, want) {
		t.Errorf("functions:\n got %q\nwant %q", names, want)
	}
	for _, name := range []string{"unnamed_int", "trig", "proc", "hidden", "full_name", "main_client"} {
		if fs := s.Functions("test", name); fs != nil {
			t.Errorf("%s must not be callable", name)
		}
		if fs := s.Functions("private", name); fs != nil {
			t.Errorf("private.%s must not be loaded", name)
		}
	}

	one := func(name string) *Function {
		t.Helper()
		fs := s.Functions("test", name)
		if len(fs) != 1 {
			t.Fatalf("%s: %d overloads", name, len(fs))
		}
		f := *fs[0]
		f.OID = 0
		for i := range f.Params {
			if f.Params[i].TypeOID > 16383 {
				f.Params[i].TypeOID = 0 // user types: OIDs vary
			}
		}
		if f.Return.TypeOID > 16383 {
			f.Return.TypeOID = 0
		}
		return &f
	}
	in := func(name, typ string, oid uint32) Param {
		return Param{Name: name, Type: typ, TypeOID: oid, CallType: typ, Mode: ParamIn}
	}
	projects := &QualifiedName{"test", "projects"}
	pgc := func(name string) QualifiedName { return QualifiedName{"pg_catalog", name} }
	cases := []*Function{
		{Schema: "test", Name: "add_them", Comment: "Adds two numbers",
			Params:     []Param{in("a", "integer", 23), in("b", "integer", 23)},
			Return:     ReturnType{Type: "integer", TypeOID: 23, Name: pgc("int4"), Kind: ReturnScalar},
			Volatility: Immutable},
		{Schema: "test", Name: "char_param",
			Params: []Param{
				{Name: "c", Type: "character", TypeOID: OIDBpchar, CallType: "character varying", Mode: ParamIn},
				{Name: "b", Type: "bit", TypeOID: 1560, CallType: "bit varying", Mode: ParamIn}},
			Return:     ReturnType{Type: "text", TypeOID: OIDText, Name: pgc("text"), Kind: ReturnScalar},
			Volatility: Volatile},
		{Schema: "test", Name: "get_pair", Params: []Param{},
			Return: ReturnType{Type: "test.pair", Name: QualifiedName{"test", "pair"}, Kind: ReturnComposite,
				Composite: &QualifiedName{"test", "pair"}},
			Volatility: Volatile},
		{Schema: "test", Name: "get_project", Params: []Param{in("pid", "integer", 23)},
			Return:     ReturnType{Type: "test.projects", Name: *projects, Kind: ReturnComposite, Relation: projects},
			Volatility: Stable},
		{Schema: "test", Name: "get_projects", Params: []Param{in("min_id", "integer", 23)},
			Return:     ReturnType{Type: "test.projects", Name: *projects, Kind: ReturnComposite, SetOf: true, Relation: projects},
			Volatility: Stable, Rows: 1000},
		{Schema: "test", Name: "moods", Params: []Param{in("m", "test.mood[]", 0)},
			Return:     ReturnType{Type: "test.mood", Name: QualifiedName{"test", "mood"}, Kind: ReturnScalar, SetOf: true},
			Volatility: Volatile, Rows: 1000},
		{Schema: "test", Name: "out_params",
			Params: []Param{in("x", "integer", 23),
				{Name: "doubled", Type: "integer", TypeOID: 23, CallType: "integer", Mode: ParamOut},
				{Name: "label", Type: "text", TypeOID: 25, CallType: "text", Mode: ParamOut}},
			Return:     ReturnType{Type: "record", TypeOID: OIDRecord, Name: pgc("record"), Kind: ReturnComposite},
			Volatility: Volatile},
		{Schema: "test", Name: "project_count", Params: []Param{in("c", "test.clients", 0)},
			Return:     ReturnType{Type: "bigint", TypeOID: 20, Name: pgc("int8"), Kind: ReturnScalar},
			Volatility: Stable},
		{Schema: "test", Name: "secure", Params: []Param{},
			Return:          ReturnType{Type: "void", TypeOID: OIDVoid, Name: pgc("void"), Kind: ReturnVoid},
			Volatility:      Volatile,
			SecurityDefiner: true,
			Settings:        []Setting{{"statement_timeout", "5s"}, {"default_transaction_isolation", "serializable"}}},
		{Schema: "test", Name: "table_fn",
			Params: []Param{in("n", "integer", 23),
				{Name: "i", Type: "integer", TypeOID: 23, CallType: "integer", Mode: ParamTable},
				{Name: "sq", Type: "integer", TypeOID: 23, CallType: "integer", Mode: ParamTable}},
			Return:     ReturnType{Type: "record", TypeOID: OIDRecord, Name: pgc("record"), Kind: ReturnComposite, SetOf: true},
			Volatility: Volatile, Rows: 1000},
		{Schema: "test", Name: "unnamed_json", Params: []Param{in("", "json", OIDJSON)},
			Return:     ReturnType{Type: "json", TypeOID: OIDJSON, Name: pgc("json"), Kind: ReturnScalar},
			Volatility: Volatile},
		{Schema: "test", Name: "variadic_param",
			Params:     []Param{{Name: "v", Type: "text[]", TypeOID: 1009, CallType: "text[]", Mode: ParamVariadic, HasDefault: true}},
			Return:     ReturnType{Type: "text[]", TypeOID: 1009, Name: pgc("_text"), Kind: ReturnScalar},
			Volatility: Stable},
		{Schema: "test", Name: "with_defaults",
			Params: []Param{in("a", "integer", 23),
				{Name: "b", Type: "integer", TypeOID: 23, CallType: "integer", Mode: ParamIn, HasDefault: true},
				{Name: "c", Type: "text", TypeOID: 25, CallType: "text", Mode: ParamIn, HasDefault: true}},
			Return:     ReturnType{Type: "integer", TypeOID: 23, Name: pgc("int4"), Kind: ReturnScalar},
			Volatility: Volatile},
		{Schema: "test", Name: "plain_hello", Params: []Param{},
			Return:     ReturnType{Type: `test."text/plain"`, Name: QualifiedName{"test", "text/plain"}, Kind: ReturnScalar},
			Volatility: Volatile},
	}
	for _, want := range cases {
		got := one(want.Name)
		if !reflect.DeepEqual(got, want) {
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			t.Errorf("%s:\n got %s\nwant %s", want.Name, g, w)
		}
	}

	secure := one("secure")
	if secure.IsolationLevel() != "serializable" {
		t.Errorf("isolation level %q", secure.IsolationLevel())
	}
	if v, ok := one("variadic_param").Variadic(); !ok || v.Name != "v" {
		t.Errorf("variadic param %+v", v)
	}

	over := s.Functions("test", "overloaded")
	var sigs []string
	for _, f := range over {
		sigs = append(sigs, f.Signature())
	}
	if want := []string{"test.overloaded()", "test.overloaded(a => integer)", "test.overloaded(a => text, b => integer)"}; !slices.Equal(sigs, want) {
		t.Errorf("overloads %q", sigs)
	}
	if got := one("unnamed_json").Signature(); got != "test.unnamed_json( => json)" {
		t.Errorf("signature %q", got)
	}
}

func TestLoadComputedColumns(t *testing.T) {
	s, _ := loadFixture(t)
	c, ok := s.ComputedColumn("test", "users", "full_name")
	want := &ComputedColumn{Name: "full_name", Function: QualifiedName{"test", "full_name"},
		Table: QualifiedName{"test", "users"}, Type: "text", TypeOID: OIDText}
	if !ok || !reflect.DeepEqual(c, want) {
		t.Errorf("full_name = %+v", c)
	}
	c, ok = s.ComputedColumn("test", "clients", "project_count")
	want = &ComputedColumn{Name: "project_count", Function: QualifiedName{"test", "project_count"},
		Table: QualifiedName{"test", "clients"}, Type: "bigint", TypeOID: 20}
	if !ok || !reflect.DeepEqual(c, want) {
		t.Errorf("project_count = %+v", c)
	}
	// private.hidden_name(test.users) is not in the exposed schemas; functions returning
	// rows of a relation are computed relationships, not columns.
	for _, probe := range [][2]string{{"users", "hidden_name"}, {"clients", "client_projects"}, {"projects", "main_client"}, {"nope", "x"}} {
		if _, ok := s.ComputedColumn("test", probe[0], probe[1]); ok {
			t.Errorf("%s.%s must not be a computed column", probe[0], probe[1])
		}
	}
	var all []string
	for _, r := range s.Relations {
		for _, c := range r.ComputedColumns {
			all = append(all, c.Table.Name+"."+c.Name)
		}
	}
	if want := []string{"clients.project_count", "users.full_name"}; !slices.Equal(all, want) {
		t.Errorf("computed columns %v", all)
	}
}

// A composite type a function returns is loaded with its attributes, so the function's
// results can be selected, filtered and ordered like a relation's rows.
func TestLoadCompositeResultTypes(t *testing.T) {
	s, _ := loadFixture(t)
	fs := s.Functions("test", "get_pair")
	if len(fs) != 1 {
		t.Fatalf("get_pair: %d overloads", len(fs))
	}
	r := s.ResultRelation(fs[0])
	if r == nil || r.Schema != "test" || r.Name != "pair" || r.Kind != KindComposite {
		t.Fatalf("result relation %+v", r)
	}
	var cols []string
	for _, c := range r.Columns {
		cols = append(cols, fmt.Sprintf("%d:%s:%s", c.Position, c.Name, c.Type))
	}
	if want := []string{"1:a:integer", "2:b:text"}; !slices.Equal(cols, want) {
		t.Errorf("columns %q", cols)
	}
	if c, ok := r.Column("b"); !ok || c.TypeOID != OIDText {
		t.Errorf("column b: %+v", c)
	}
	// Only returned types are loaded; they are not relations.
	if len(s.CompositeTypes) != 1 {
		t.Errorf("composite types: %d", len(s.CompositeTypes))
	}
	if _, ok := s.Relation("test", "pair"); ok {
		t.Errorf("a composite type is not a relation")
	}
	// The snapshot's JSON form keeps them.
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := FromJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if r := back.ResultRelation(fs[0]); r == nil || len(r.Columns) != 2 {
		t.Errorf("after JSON: %+v", r)
	}
}
