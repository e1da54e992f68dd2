package schema

// ResultRelation describes the rows f returns as a relation, so that select=, filters and
// order can be planned against them: the relation f's return type is the row type of, or
// for OUT, INOUT and TABLE parameters a relation named after f whose columns are those
// parameters, or the composite type f returns. It returns nil for results whose columns
// the schema cache does not know (scalars, void, untyped records).
func (s *Snapshot) ResultRelation(f *Function) *Relation {
	if f.Return.Relation != nil {
		if r, ok := s.Relation(f.Return.Relation.Schema, f.Return.Relation.Name); ok {
			return r
		}
	}
	if f.Return.Composite != nil {
		if r, ok := s.composite[*f.Return.Composite]; ok {
			return r
		}
	}
	var cols []*Column
	for _, p := range f.Params {
		if !p.IsOutput() {
			continue
		}
		cols = append(cols, &Column{
			Name: p.Name, Position: len(cols) + 1, Type: p.Type, DataType: p.Type,
			TypeOID: p.TypeOID, BaseType: p.Type, BaseTypeOID: p.TypeOID, Nullable: true,
		})
	}
	if cols == nil {
		return nil
	}
	r := &Relation{Schema: f.Schema, Name: f.Name, Kind: KindView, Columns: cols,
		columns: make(map[string]*Column, len(cols))}
	for _, c := range cols {
		r.columns[c.Name] = c
	}
	return r
}
