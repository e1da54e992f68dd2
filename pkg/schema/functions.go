package schema

import "strings"

var paramModes = map[string]ParamMode{
	"i": ParamIn, "o": ParamOut, "b": ParamInOut, "v": ParamVariadic, "t": ParamTable,
}

var volatilities = map[string]Volatility{"i": Immutable, "s": Stable, "v": Volatile}

// buildFunctions keeps the RPC-callable functions and turns functions of a relation's row
// type into computed columns (attached to the relation) and computed relationships
// (returned).
func (l *loader) buildFunctions() []*builtRel {
	byName := make(map[QualifiedName]*Relation, len(l.byOID))
	for _, r := range l.byOID {
		byName[r.QualifiedName()] = r
	}
	var computed []*builtRel
	for i := range l.funcs {
		f := l.funcs[i].function()
		if callable(f) {
			l.snap.AllFunctions = append(l.snap.AllFunctions, f)
		}
		in := f.InputParams()
		if len(in) != 1 || in[0].Mode != ParamIn {
			continue
		}
		origin := l.byType[in[0].TypeOID]
		if origin == nil {
			continue
		}
		fn := f.QualifiedName()
		if rel := f.Return.Relation; rel != nil {
			target := byName[*rel]
			if target == nil {
				continue
			}
			computed = append(computed, &builtRel{Relationship: Relationship{
				Table: origin.QualifiedName(), ForeignTable: *rel, Cardinality: Computed,
				IsSelf: origin == target, ToOne: !f.Return.SetOf || f.Rows == 1, Function: &fn,
			}, origin: origin, target: target, fk: -1})
			continue
		}
		// Attribute notation resolves the function through the request's search_path, which
		// holds the relation's schema: functions elsewhere are not its computed columns.
		if f.Return.Kind == ReturnVoid || f.Schema != origin.Schema {
			continue
		}
		origin.ComputedColumns = append(origin.ComputedColumns, &ComputedColumn{
			Name: f.Name, Function: fn, Table: origin.QualifiedName(),
			Type: f.Return.Type, TypeOID: f.Return.TypeOID, SetOf: f.Return.SetOf,
		})
	}
	return computed
}

func (raw *rawFunction) function() *Function {
	f := &Function{
		Schema: raw.schema, Name: raw.name, OID: raw.oid, Comment: raw.comment,
		Volatility: volatilities[raw.volatility], SecurityDefiner: raw.secdef,
		Params: make([]Param, len(raw.argTypes)),
	}
	if raw.retSet {
		f.Rows = raw.rows
	}
	inputs := 0
	for i := range raw.argTypes {
		p := Param{Type: raw.argTypeNames[i], TypeOID: raw.argTypes[i], Mode: ParamIn}
		if i < len(raw.argModes) {
			p.Mode = paramModes[raw.argModes[i]]
		}
		if i < len(raw.argNames) {
			p.Name = raw.argNames[i]
		}
		p.CallType = unboundedType(p.Type)
		if p.IsInput() {
			inputs++
		}
		f.Params[i] = p
	}
	// The last pronargdefaults input parameters have defaults.
	seen := 0
	for i := range f.Params {
		if f.Params[i].IsInput() {
			f.Params[i].HasDefault = seen >= inputs-raw.ndefaults
			seen++
		}
	}

	f.Return = ReturnType{Type: raw.retTypeName, TypeOID: raw.retType, Name: raw.retName, SetOf: raw.retSet, Kind: ReturnScalar}
	hasOutput := false
	for _, p := range f.Params {
		hasOutput = hasOutput || p.IsOutput()
	}
	switch {
	case raw.retType == OIDVoid:
		f.Return.Kind = ReturnVoid
	case hasOutput || raw.retTyptype == "c":
		f.Return.Kind = ReturnComposite
	}
	if !hasOutput && strings.Contains("rvmfp", raw.retRelkind) && raw.retRelkind != "" {
		f.Return.Relation = &QualifiedName{Schema: raw.retRelSchema, Name: raw.retRelNam}
	}
	if !hasOutput && raw.retRelkind == "c" {
		f.Return.Composite = &QualifiedName{Schema: raw.retRelSchema, Name: raw.retRelNam}
	}
	for _, c := range raw.config {
		if s, err := splitSetting(c); err == nil {
			f.Settings = append(f.Settings, s)
		}
	}
	return f
}

// callable applies §7.1: every input parameter is named, or there is exactly one input
// parameter, unnamed, of type bytea, json, jsonb, text or xml (it receives the raw body).
func callable(f *Function) bool {
	in := f.InputParams()
	named := true
	for _, p := range in {
		named = named && p.Name != ""
	}
	if named {
		return true
	}
	if len(in) != 1 {
		return false
	}
	switch in[0].TypeOID {
	case OIDBytea, OIDJSON, OIDJSONB, OIDText, OIDXML:
		return true
	}
	return false
}

// unboundedType turns character into character varying and bit into bit varying, so that
// casting an argument does not pad or truncate it.
func unboundedType(t string) string {
	base, array := strings.CutSuffix(t, "[]")
	switch base {
	case "character":
		base = "character varying"
	case "bit":
		base = "bit varying"
	}
	if array {
		return base + "[]"
	}
	return base
}
