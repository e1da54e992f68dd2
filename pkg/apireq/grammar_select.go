package apireq

import "strings"

// The select= grammar (reference §3.3).

// selectList: item ( ws ',' ws item )*   (possibly empty; trailing input is left alone)
func (p *parser) selectList(depth int) ([]SelectItem, status) {
	var first SelectItem
	s := p.selectItem(&first, depth)
	if s == emptyErr {
		return nil, emptyOK
	}
	if !s.ok() {
		return nil, s
	}
	items := make([]SelectItem, 1, 4)
	items[0] = first
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
		items = append(items, SelectItem{})
		s2 := p.selectItem(&items[len(items)-1], depth)
		if s2 = p.seq(sc, e, s2); !s2.ok() {
			return nil, s2
		}
		iterated = true
	}
	return items, p.seq(s, before, manyStatus(iterated))
}

// selectItem: try spreadHead '(' list ')' | try embedHead '(' list ')' | fieldItem
// Every alternative that succeeds overwrites *item entirely.
func (p *parser) selectItem(item *SelectItem, depth int) status {
	start := p.pos
	s := emptyErr
	if p.track || strings.HasPrefix(strings.TrimLeft(p.s[p.pos:], " \t"), "...") {
		s = p.try(start, p.spreadHead(item))
	}
	if s == emptyErr {
		e := p.saved()
		s = p.alt(e, p.try(start, p.embedHead(item)))
	}
	if s.ok() {
		e := p.saved()
		children, s2 := p.parenList(depth + 1)
		item.Children = children
		return p.seq(s, e, s2)
	}
	e := p.saved()
	return p.alt(e, p.fieldItem(item))
}

// parenList: '(' selectList ')'
func (p *parser) parenList(depth int) ([]SelectItem, status) {
	s := p.char('(', labOpenParen)
	if !s.ok() {
		return nil, s
	}
	if depth > maxNesting {
		return nil, p.tooDeep()
	}
	e := p.saved()
	items, s2 := p.selectList(depth)
	if s = p.seq(s, e, s2); !s.ok() {
		return nil, s
	}
	e = p.saved()
	return items, p.seq(s, e, p.char(')', labCloseParen))
}

// alias: fieldName ':' (not followed by ':'), optional.
func (p *parser) alias() (string, bool, status) {
	if v, has, s, ok := p.aliasMemo.get(p); ok {
		return v, has, s
	}
	start := p.pos
	name, has, s := p.aliasUncached()
	p.aliasMemo.put(p, start, name, has, s)
	return name, has, s
}

func (p *parser) aliasUncached() (string, bool, status) {
	start := p.pos
	name, s := p.fieldName()
	if s.ok() {
		e := p.saved()
		s = p.seq(s, e, p.char(':', labColon))
		if s.ok() {
			e = p.saved()
			next := p.pos < len(p.s) && p.s[p.pos] == ':'
			s = p.seq(s, e, p.notFollowedBy(next, labColon))
		}
	}
	if s = p.try(start, s); s == emptyErr {
		return "", false, emptyOK
	}
	return name, true, s
}

// embedHead: ws [alias] fieldName (≠ "count") embedParams &'(' ws
func (p *parser) embedHead(item *SelectItem) status {
	s := p.ws()
	e := p.saved()
	alias, _, s2 := p.alias()
	s = p.seq(s, e, s2)
	e = p.saved()
	name, s2 := p.fieldName()
	if s = p.seq(s, e, s2); !s.ok() {
		return s
	}
	if name == "count" {
		e = p.saved()
		return p.seq(s, e, p.failEmpty())
	}
	*item = SelectItem{Kind: ItemEmbed, Alias: alias, Relation: name}
	return p.relationTail(s, item)
}

// relationTail: embedParams &'(' ws, after the relation name (outcome s so far).
func (p *parser) relationTail(s status, item *SelectItem) status {
	e := p.saved()
	if s = p.seq(s, e, p.embedParams(item)); !s.ok() {
		return s
	}
	e = p.saved()
	if s = p.seq(s, e, p.peekStr("(", labOpenParen)); !s.ok() {
		return s
	}
	e = p.saved()
	return p.seq(s, e, p.ws())
}

// spreadHead: ws "..." fieldName embedParams &'(' ws
func (p *parser) spreadHead(item *SelectItem) status {
	s := p.ws()
	e := p.saved()
	if s = p.seq(s, e, p.str("...", labSpread)); !s.ok() {
		return s
	}
	e = p.saved()
	name, s2 := p.fieldName()
	if s = p.seq(s, e, s2); !s.ok() {
		return s
	}
	*item = SelectItem{Kind: ItemSpread, Relation: name}
	return p.relationTail(s, item)
}

// embedParams: up to two of '!' ("left" | "inner" | hint); the first hint and the first
// join type win.
func (p *parser) embedParams(item *SelectItem) status {
	s := p.embedParam(item)
	if s == emptyErr {
		return emptyOK
	}
	if !s.ok() {
		return s
	}
	e := p.saved()
	s2 := p.embedParam(item)
	if s2 == emptyErr {
		s2 = emptyOK
	}
	return p.seq(s, e, s2)
}

func (p *parser) embedParam(item *SelectItem) status {
	s := p.char('!', labBang)
	if !s.ok() {
		return s
	}
	e := p.saved()
	join := JoinLeft
	s2 := p.tryStr("left", labLeft)
	if s2 == emptyErr {
		e2 := p.saved()
		s2 = p.alt(e2, p.tryStr("inner", labInner))
		join = JoinInner
	}
	hint := ""
	if s2 == emptyErr {
		e2 := p.saved()
		start := p.pos
		var s3 status
		hint, s3 = p.fieldName()
		s2 = p.alt(e2, p.try(start, s3))
		join = JoinDefault
	}
	if s = p.seq(s, e, s2); !s.ok() {
		return s
	}
	if join != JoinDefault {
		if item.Join == JoinDefault {
			item.Join = join
		}
	} else if item.Hint == "" {
		item.Hint = hint
	}
	return s
}

// fieldItem: ws ( try ('*' end) | try ([alias] "count()" [cast] end) | column ) ws
func (p *parser) fieldItem(item *SelectItem) status {
	s := p.ws()
	e := p.saved()
	if s = p.seq(s, e, p.fieldItemBody(item)); !s.ok() {
		return s
	}
	e = p.saved()
	return p.seq(s, e, p.ws())
}

func (p *parser) fieldItemBody(item *SelectItem) status {
	start := p.pos
	s := p.char('*', labStar)
	if s.ok() {
		e := p.saved()
		s = p.seq(s, e, p.selectEnd())
	}
	if s = p.try(start, s); s.ok() {
		*item = SelectItem{Kind: ItemStar}
		return s
	}
	e := p.saved()
	if s = p.alt(e, p.try(start, p.countItem(item))); s.ok() {
		return s
	}
	e = p.saved()
	return p.alt(e, p.columnItem(item))
}

// countItem: [alias] "count()" [cast] end
func (p *parser) countItem(item *SelectItem) status {
	alias, _, s := p.alias()
	e := p.saved()
	if s = p.seq(s, e, p.str("count()", labCountCall)); !s.ok() {
		return s
	}
	e = p.saved()
	cast, s2 := p.castOpt()
	if s = p.seq(s, e, s2); !s.ok() {
		return s
	}
	e = p.saved()
	if s = p.seq(s, e, p.selectEnd()); !s.ok() {
		return s
	}
	*item = SelectItem{Kind: ItemCount, Alias: alias, Aggregate: AggCount, AggregateCast: cast}
	return s
}

// columnItem: [alias] field [cast] [try ('.' agg "()")] [cast] end
func (p *parser) columnItem(item *SelectItem) status {
	alias, _, s := p.alias()
	e := p.saved()
	fld, s2 := p.field()
	if s = p.seq(s, e, s2); !s.ok() {
		return s
	}
	e = p.saved()
	cast, s2 := p.castOpt()
	if s = p.seq(s, e, s2); !s.ok() {
		return s
	}
	e = p.saved()
	agg, s2 := p.aggOpt()
	if s = p.seq(s, e, s2); !s.ok() {
		return s
	}
	e = p.saved()
	aggCast, s2 := p.castOpt()
	if s = p.seq(s, e, s2); !s.ok() {
		return s
	}
	e = p.saved()
	if s = p.seq(s, e, p.selectEnd()); !s.ok() {
		return s
	}
	*item = SelectItem{Kind: ItemField, Alias: alias, Field: fld, Cast: cast, Aggregate: agg, AggregateCast: aggCast}
	return s
}

// castOpt: optional "::" identifier
func (p *parser) castOpt() (string, status) {
	s := p.str("::", labCast)
	if s == emptyErr {
		return "", emptyOK
	}
	if !s.ok() {
		return "", s
	}
	e := p.saved()
	name, s2 := p.identifier()
	return name, p.seq(s, e, s2)
}

// aggOpt: optional try ('.' ("sum"|"avg"|"count"|"max"|"min") "()")
func (p *parser) aggOpt() (AggFunc, status) {
	start := p.pos
	agg := AggNone
	s := p.char('.', labDot)
	if s.ok() {
		e := p.saved()
		var s2 status
		agg, s2 = p.aggregation()
		if s = p.seq(s, e, s2); s.ok() {
			e = p.saved()
			s = p.seq(s, e, p.str("()", labCallParens))
		}
	}
	if s = p.try(start, s); s == emptyErr {
		return AggNone, emptyOK
	}
	return agg, s
}

func (p *parser) aggregation() (AggFunc, status) {
	s := p.str("sum", labSum)
	if s != emptyErr {
		return AggSum, s
	}
	e := p.saved()
	if s = p.alt(e, p.str("avg", labAvg)); s != emptyErr {
		return AggAvg, s
	}
	e = p.saved()
	if s = p.alt(e, p.str("count", labCount)); s != emptyErr {
		return AggCount, s
	}
	e = p.saved()
	if s = p.alt(e, p.tryStr("max", labMax)); s != emptyErr {
		return AggMax, s
	}
	e = p.saved()
	return AggMin, p.alt(e, p.tryStr("min", labMin))
}

// selectEnd: &")" | &"," | end of input
func (p *parser) selectEnd() status {
	s := p.peekStr(")", labCloseParen)
	if s == emptyErr {
		e := p.saved()
		s = p.alt(e, p.peekStr(",", labComma))
	}
	if s == emptyErr {
		e := p.saved()
		s = p.alt(e, p.eof())
	}
	return s
}
