package apireq

// Key paths (the embed path of filter/order/limit keys), order= (§3.7) and
// columns=/on_conflict= (§3.9).

// dottedNames: fieldName ('.' fieldName)*; names are appended to buf.
func (p *parser) dottedNames(buf []string) ([]string, status) {
	name, s := p.fieldName()
	if !s.ok() {
		return nil, s
	}
	names := append(buf, name)
	before := p.saved()
	iterated := false
	for {
		sd := p.delimiter()
		if sd == emptyErr {
			break
		}
		e := p.saved()
		name, s2 := p.fieldName()
		if s2 = p.seq(sd, e, s2); !s2.ok() {
			return nil, s2
		}
		names = append(names, name)
		iterated = true
	}
	return names, p.seq(s, before, manyStatus(iterated))
}

// treePath: dottedNames jsonPath — the key of a filter, order or limit parameter. The last
// name is the field, the others the embed path.
func (p *parser) treePath() ([]string, Field, status) {
	var buf [4]string
	names, s := p.dottedNames(buf[:0])
	if !s.ok() {
		return nil, Field{}, s
	}
	e := p.saved()
	jp, s2 := p.jsonPath()
	if s = p.seq(s, e, s2); !s.ok() {
		return nil, Field{}, s
	}
	var path []string
	if len(names) > 1 {
		path = append([]string(nil), names[:len(names)-1]...)
	}
	return path, Field{Name: names[len(names)-1], JSONPath: jp}, s
}

// orderList: ws term ws (',' ws term ws)*
func (p *parser) orderList() ([]OrderTerm, status) {
	first, s := p.orderItem()
	if !s.ok() {
		return nil, s
	}
	terms := make([]OrderTerm, 1, 2)
	terms[0] = first
	before := p.saved()
	iterated := false
	for {
		sc := p.char(',', labComma)
		if sc == emptyErr {
			break
		}
		e := p.saved()
		t, s2 := p.orderItem()
		if s2 = p.seq(sc, e, s2); !s2.ok() {
			return nil, s2
		}
		terms = append(terms, t)
		iterated = true
	}
	return terms, p.seq(s, before, manyStatus(iterated))
}

// orderItem: ws (try relationTerm | term) ws
func (p *parser) orderItem() (OrderTerm, status) {
	s := p.ws()
	e := p.saved()
	start := p.pos
	t, s2 := p.orderRelationTerm()
	if s2 = p.try(start, s2); s2 == emptyErr {
		e2 := p.saved()
		t, s2 = p.orderTerm()
		s2 = p.alt(e2, s2)
	}
	if s = p.seq(s, e, s2); !s.ok() {
		return t, s
	}
	e = p.saved()
	return t, p.seq(s, e, p.ws())
}

// orderTerm: field [.asc|.desc] [.nullsfirst|.nullslast] (&',' | end of input)
func (p *parser) orderTerm() (OrderTerm, status) {
	fld, s := p.field()
	if !s.ok() {
		return OrderTerm{}, s
	}
	t := OrderTerm{Field: fld}
	e := p.saved()
	return t, p.seq(s, e, p.orderTail(&t))
}

// orderRelationTerm: fieldName '(' field ')' [.asc|.desc] [.nullsfirst|.nullslast] end
func (p *parser) orderRelationTerm() (OrderTerm, status) {
	rel, s := p.fieldName()
	if !s.ok() {
		return OrderTerm{}, s
	}
	e := p.saved()
	if s = p.seq(s, e, p.char('(', labOpenParen)); !s.ok() {
		return OrderTerm{}, s
	}
	e = p.saved()
	fld, s2 := p.field()
	if s = p.seq(s, e, s2); !s.ok() {
		return OrderTerm{}, s
	}
	e = p.saved()
	if s = p.seq(s, e, p.char(')', labCloseParen)); !s.ok() {
		return OrderTerm{}, s
	}
	t := OrderTerm{Relation: rel, Field: fld}
	e = p.saved()
	return t, p.seq(s, e, p.orderTail(&t))
}

// orderTail: [try ('.' asc|desc)] ( [try ('.' nullsfirst|nullslast)] end | end )
func (p *parser) orderTail(t *OrderTerm) status {
	start := p.pos
	t.Direction = DirAsc
	s := p.try(start, p.orderWord("asc", labAsc))
	if s == emptyErr {
		e := p.saved()
		s = p.alt(e, p.try(start, p.orderWord("desc", labDesc)))
		t.Direction = DirDesc
	}
	if s == emptyErr {
		s, t.Direction = emptyOK, DirDefault
	}
	e := p.saved()
	t.Nulls = NullsFirst
	mid := p.pos
	s2 := p.try(mid, p.orderWord("nullsfirst", labNullsFirst))
	if s2 == emptyErr {
		e2 := p.saved()
		s2 = p.alt(e2, p.try(mid, p.orderWord("nullslast", labNullsLast)))
		t.Nulls = NullsLast
	}
	if s2 == emptyErr {
		s2, t.Nulls = emptyOK, NullsDefault
	}
	e2 := p.saved()
	s2 = p.seq(s2, e2, p.orderEnd())
	if s2 == emptyErr {
		e2 = p.saved()
		s2 = p.alt(e2, p.orderEnd())
		t.Nulls = NullsDefault
	}
	return p.seq(s, e, s2)
}

func (p *parser) orderWord(word string, l label) status {
	s := p.delimiter()
	if !s.ok() {
		return s
	}
	e := p.saved()
	return p.seq(s, e, p.str(word, l))
}

// orderEnd: &',' | end of input
func (p *parser) orderEnd() status {
	s := p.peekStr(",", labComma)
	if s == emptyErr {
		e := p.saved()
		s = p.alt(e, p.eof())
	}
	return s
}

// columnList: fieldName (ws ',' ws fieldName)*
func (p *parser) columnList() ([]string, status) {
	name, s := p.fieldName()
	if !s.ok() {
		return nil, s
	}
	names := make([]string, 1, 4)
	names[0] = name
	before := p.saved()
	iterated := false
	for {
		sc := p.lexemeChar(',', labComma)
		if sc == emptyErr {
			break
		}
		if !sc.ok() {
			return nil, sc
		}
		e := p.saved()
		name, s2 := p.fieldName()
		if s2 = p.seq(sc, e, s2); !s2.ok() {
			return nil, s2
		}
		names = append(names, name)
		iterated = true
	}
	return names, p.seq(s, before, manyStatus(iterated))
}
