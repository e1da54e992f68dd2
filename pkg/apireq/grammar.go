package apireq

import "strings"

// This file holds the grammars of PostgREST's query parameters (select, filters, order,
// logic trees, key paths, columns). Each function mirrors one production; the comment
// above it gives the production in the notation of the reference (§3). Functions return
// a status (see scanner.go) and leave p.pos after what they consumed; a function that
// fails without consuming leaves p.pos where it started.

// quoted: '"' ( [^"\\] | '\\' any )* '"'
func (p *parser) quoted() (string, status) {
	s := p.char('"', labQuote)
	if !s.ok() {
		return "", s
	}
	bodyStart := p.pos
	escaped := false
	for {
		if p.pos >= len(p.s) {
			p.failAt(p.pos, eofRune, labBackslash)
			break
		}
		c := p.s[p.pos]
		if c == '"' {
			p.failAt(p.pos, '"', labBackslash)
			break
		}
		if c == '\\' {
			p.pos++
			if p.pos >= len(p.s) {
				p.failAt(p.pos, eofRune, labNone)
				return "", consumedErr
			}
			escaped = true
		}
		p.pos += p.runeLen(p.pos)
	}
	body := p.s[bodyStart:p.pos]
	e := p.saved()
	s = p.seq(s, e, p.char('"', labQuote))
	if !s.ok() {
		return "", s
	}
	if escaped {
		body = unescapeBackslashes(body)
	}
	return body, s
}

func unescapeBackslashes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// dash: '-' not followed by '>' (so "->" ends a name and starts a JSON arrow).
func (p *parser) dash() status {
	start := p.pos
	s := p.char('-', labDash)
	if !s.ok() {
		return s
	}
	e := p.saved()
	next := p.pos < len(p.s) && p.s[p.pos] == '>'
	return p.try(start, p.seq(s, e, p.notFollowedBy(next, labGT)))
}

// chunks: chunk ( dash chunk )*, each chunk one or more characters of class c, trimmed,
// joined again with '-'.
func (p *parser) chunks(c charClass) (string, status) {
	start := p.pos
	s := p.many1(c)
	if !s.ok() {
		return "", s
	}
	before := p.saved()
	iterated := false
	for {
		sd := p.dash()
		if sd == emptyErr {
			break
		}
		e := p.saved()
		sc := p.seq(sd, e, p.many1(c))
		if !sc.ok() {
			return "", sc
		}
		iterated = true
	}
	s = p.seq(s, before, manyStatus(iterated))
	return trimChunks(p.s[start:p.pos], iterated), s
}

func manyStatus(iterated bool) status {
	if iterated {
		return consumedOK
	}
	return emptyOK
}

// trimChunks strips every '-'-separated chunk of raw, allocating only when needed.
func trimChunks(raw string, dashed bool) string {
	if !dashed {
		return hsStrip(raw)
	}
	clean := true
	for rest := raw; ; {
		chunk, tail, more := strings.Cut(rest, "-")
		if hsStrip(chunk) != chunk {
			clean = false
			break
		}
		if !more {
			break
		}
		rest = tail
	}
	if clean {
		return raw
	}
	parts := strings.Split(raw, "-")
	for i := range parts {
		parts[i] = hsStrip(parts[i])
	}
	return strings.Join(parts, "-")
}

// fieldName: quoted | chunks of [letters digits _ space $]   <?> "field name (…)"
func (p *parser) fieldName() (string, status) {
	if v, _, s, ok := p.nameMemo.get(p); ok {
		return v, s
	}
	start := p.pos
	v, s := p.quoted()
	if s == emptyErr {
		e := p.saved()
		v, s = p.chunks(classIdent)
		s = p.alt(e, s)
	}
	s = p.labelled(s, labFieldName)
	p.nameMemo.put(p, start, v, false, s)
	return v, s
}

// identifier: [letters digits _ space $]+, trimmed (casts, fts languages).
func (p *parser) identifier() (string, status) {
	start := p.pos
	s := p.many1(classIdent)
	if !s.ok() {
		return "", s
	}
	return strings.Trim(p.s[start:p.pos], " "), s
}

// delimiter: '.' <?> "delimiter (.)"
func (p *parser) delimiter() status { return p.char('.', labDelimiter) }

// jsonPath: ( ("->>" | "->") operand )*
func (p *parser) jsonPath() ([]JSONOp, status) {
	var ops []JSONOp
	for {
		arrow := ArrowText
		s := p.tryStr("->>", labArrow2)
		if s == emptyErr {
			e := p.saved()
			s = p.alt(e, p.tryStr("->", labArrow))
			arrow = ArrowJSON
		}
		if s == emptyErr {
			break
		}
		e := p.saved()
		op, s2 := p.jsonOperand()
		if s2 = p.seq(s, e, s2); !s2.ok() {
			return nil, s2
		}
		op.Arrow = arrow
		ops = append(ops, op)
	}
	return ops, manyStatus(ops != nil)
}

// jsonOperand: try index | try key
func (p *parser) jsonOperand() (JSONOp, status) {
	start := p.pos
	idx, s := p.jsonIndex()
	if s = p.try(start, s); s.ok() {
		return JSONOp{Key: idx, IsIndex: true}, s
	}
	e := p.saved()
	key, s := p.jsonKey()
	s = p.alt(e, p.try(start, s))
	return JSONOp{Key: key}, s
}

// jsonIndex: ['-'] digit+ followed by "->", "::", ".", "," or the end.
func (p *parser) jsonIndex() (string, status) {
	start := p.pos
	s := p.char('-', labDash)
	if s == emptyErr {
		s = emptyOK
	}
	e := p.saved()
	if s = p.seq(s, e, p.many1(classDigit)); !s.ok() {
		return "", s
	}
	end := p.pos
	e = p.saved()
	if s = p.seq(s, e, p.jsonIndexEnd()); !s.ok() {
		return "", s
	}
	return p.s[start:end], s
}

func (p *parser) jsonIndexEnd() status {
	s := p.peekStr("->", labArrow)
	if s == emptyErr {
		e := p.saved()
		s = p.alt(e, p.peekStr("::", labCast))
	}
	if s == emptyErr {
		e := p.saved()
		s = p.alt(e, p.peekStr(".", labDot))
	}
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

// jsonKey: quoted | chunks of [^(-:.,>)]   <?> "any non reserved character …"
func (p *parser) jsonKey() (string, status) {
	v, s := p.quoted()
	if s == emptyErr {
		e := p.saved()
		v, s = p.chunks(classJSONKey)
		s = p.alt(e, s)
	}
	return v, p.labelled(s, labJSONKey)
}

// field: ws fieldName jsonPath ws
func (p *parser) field() (Field, status) {
	s := p.ws()
	e := p.saved()
	name, s2 := p.fieldName()
	if s = p.seq(s, e, s2); !s.ok() {
		return Field{}, s
	}
	e = p.saved()
	path, s2 := p.jsonPath()
	if s = p.seq(s, e, s2); !s.ok() {
		return Field{}, s
	}
	e = p.saved()
	return Field{Name: name, JSONPath: path}, p.seq(s, e, p.ws())
}

// lexemeChar: ws c ws
func (p *parser) lexemeChar(c byte, l label) status {
	s := p.ws()
	e := p.saved()
	if s = p.seq(s, e, p.char(c, l)); !s.ok() {
		return s
	}
	e = p.saved()
	return p.seq(s, e, p.ws())
}

// ---- select ----

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

// ---- filters ----

type opName struct {
	name string
	op   Operator
}

var (
	ftsOps    = []opName{{"fts", OpFts}, {"plfts", OpPlFts}, {"phfts", OpPhFts}, {"wfts", OpWFts}}
	simpleOps = []opName{{"neq", OpNeq}, {"cs", OpCs}, {"cd", OpCd}, {"ov", OpOv}, {"sl", OpSl},
		{"sr", OpSr}, {"nxr", OpNxr}, {"nxl", OpNxl}, {"adj", OpAdj}}
	quantOps = []opName{{"eq", OpEq}, {"gte", OpGte}, {"gt", OpGt}, {"lte", OpLte}, {"lt", OpLt},
		{"like", OpLike}, {"ilike", OpILike}, {"match", OpMatch}, {"imatch", OpIMatch}}
)

// oneOfOps: try op1 | try op2 | …
func (p *parser) oneOfOps(ops []opName) (Operator, status) {
	var e mark
	for i, o := range ops {
		s := p.tryStr(o.name, opLabel(o.op))
		if i > 0 {
			s = p.alt(e, s)
		}
		if s != emptyErr {
			return o.op, s
		}
		e = p.saved()
	}
	return 0, emptyErr
}

// opExpr: [try ("not" '.')] operation
func (p *parser) opExpr(f *Filter, inLogic bool) status {
	start := p.pos
	s := p.str("not", labNot)
	if s.ok() {
		e := p.saved()
		s = p.seq(s, e, p.delimiter())
	}
	if s = p.try(start, s); s.ok() {
		f.Negated = true
	} else {
		s = emptyOK
	}
	e := p.saved()
	return p.seq(s, e, p.operation(f, inLogic))
}

// operation: in | is | isdistinct | try fts | try simple | try quantified
// <?> "operator (eq, gt, ...)"
func (p *parser) operation(f *Filter, inLogic bool) status {
	s := p.opIn(f)
	if s == emptyErr {
		e := p.saved()
		s = p.alt(e, p.opIs(f))
	}
	if s == emptyErr {
		e := p.saved()
		s = p.alt(e, p.opIsDistinct(f, inLogic))
	}
	if s == emptyErr {
		e := p.saved()
		start := p.pos
		s = p.alt(e, p.try(start, p.opFts(f, inLogic)))
	}
	if s == emptyErr {
		e := p.saved()
		start := p.pos
		s = p.alt(e, p.try(start, p.opSimple(f, inLogic)))
	}
	if s == emptyErr {
		e := p.saved()
		start := p.pos
		s = p.alt(e, p.try(start, p.opQuant(f, inLogic)))
	}
	return p.labelled(s, labOperator)
}

// keyword: try (word '.')
func (p *parser) keyword(word string, l label) status {
	start := p.pos
	s := p.str(word, l)
	if s.ok() {
		e := p.saved()
		s = p.seq(s, e, p.delimiter())
	}
	return p.try(start, s)
}

var emptyList = []string{}

// opIn: try ("in" '.') ws '(' ws element (',' element)* ws ')' ws
func (p *parser) opIn(f *Filter) status {
	s := p.keyword("in", labIn)
	if !s.ok() {
		return s
	}
	e := p.saved()
	if s = p.seq(s, e, p.lexemeChar('(', labOpenParen)); !s.ok() {
		return s
	}
	e = p.saved()
	first, s2 := p.listElement()
	if s = p.seq(s, e, s2); !s.ok() {
		return s
	}
	var list []string
	before := p.saved()
	iterated := false
	for {
		sc := p.char(',', labComma)
		if sc == emptyErr {
			break
		}
		e := p.saved()
		el, s2 := p.listElement()
		if s2 = p.seq(sc, e, s2); !s2.ok() {
			return s2
		}
		if list == nil {
			list = make([]string, 1, 8)
			list[0] = first
		}
		list = append(list, el)
		iterated = true
	}
	s = p.seq(s, before, manyStatus(iterated))
	e = p.saved()
	if s = p.seq(s, e, p.lexemeChar(')', labCloseParen)); !s.ok() {
		return s
	}
	switch {
	case list != nil:
	case first == "":
		list = emptyList
	default:
		list = []string{first}
	}
	f.Op, f.List = OpIn, list
	return s
}

// listElement: try (quoted, not followed by [^,)]) | [^,)]*
func (p *parser) listElement() (string, status) {
	start := p.pos
	v, s := p.quoted()
	if s.ok() {
		e := p.saved()
		next := p.pos < len(p.s) && p.s[p.pos] != ',' && p.s[p.pos] != ')'
		s = p.seq(s, e, p.notFollowedBy(next, labNone))
	}
	if s = p.try(start, s); s.ok() {
		return v, s
	}
	e := p.saved()
	s = p.alt(e, p.many(classListVal))
	return p.s[start:p.pos], s
}

// opIs: try ("is" '.') ( null | not_null | true | false | unknown, case-insensitive )
func (p *parser) opIs(f *Filter) status {
	s := p.keyword("is", labIs)
	if !s.ok() {
		return s
	}
	e := p.saved()
	v, s2 := p.isValue()
	if s = p.seq(s, e, s2); s.ok() {
		f.Op, f.Is = OpIs, v
	}
	return s
}

var isValues = [...]struct {
	word string
	v    IsValue
}{{"null", IsNull}, {"not_null", IsNotNull}, {"true", IsTrue}, {"false", IsFalse}, {"unknown", IsUnknown}}

func (p *parser) isValue() (IsValue, status) {
	var e mark
	for i, w := range isValues {
		start := p.pos
		s := p.try(start, p.caseless(w.word))
		if i > 0 {
			s = p.alt(e, s)
		}
		if s != emptyErr {
			return w.v, s
		}
		e = p.saved()
	}
	return 0, p.labelled(emptyErr, labIsVal)
}

// caseless matches an ASCII lower-case word letter by letter, each letter either case.
func (p *parser) caseless(word string) status {
	start := p.pos
	for i := 0; i < len(word); i++ {
		j := start + i
		if j < len(p.s) && (p.s[j] == word[i] || ('a' <= word[i] && word[i] <= 'z' && p.s[j] == word[i]-'a'+'A')) {
			continue
		}
		p.failAt(j, p.runeAt(j), labNone)
		p.pos = start
		if i == 0 {
			return emptyErr
		}
		return consumedErr
	}
	p.pos = start + len(word)
	p.okHere()
	return consumedOK
}

// opIsDistinct: try ("isdistinct" '.') value
func (p *parser) opIsDistinct(f *Filter, inLogic bool) status {
	s := p.keyword("isdistinct", labIsDistinct)
	if !s.ok() {
		return s
	}
	e := p.saved()
	v, s2 := p.value(inLogic)
	if s = p.seq(s, e, s2); s.ok() {
		f.Op, f.Value = OpIsDistinct, v
	}
	return s
}

// opFts: ("fts"|"plfts"|"phfts"|"wfts") [try ('(' identifier ')')] '.' value
func (p *parser) opFts(f *Filter, inLogic bool) status {
	op, s := p.oneOfOps(ftsOps)
	if !s.ok() {
		return s
	}
	e := p.saved()
	start := p.pos
	lang := ""
	s2 := p.char('(', labOpenParen)
	if s2.ok() {
		e2 := p.saved()
		var s3 status
		lang, s3 = p.identifier()
		if s2 = p.seq(s2, e2, s3); s2.ok() {
			e2 = p.saved()
			s2 = p.seq(s2, e2, p.char(')', labCloseParen))
		}
	}
	if s2 = p.try(start, s2); s2 == emptyErr {
		s2, lang = emptyOK, ""
	}
	s = p.seq(s, e, s2)
	e = p.saved()
	if s = p.seq(s, e, p.delimiter()); !s.ok() {
		return s
	}
	e = p.saved()
	v, s2 := p.value(inLogic)
	if s = p.seq(s, e, s2); s.ok() {
		f.Op, f.Language, f.Value = op, lang, v
	}
	return s
}

// opSimple: (neq|cs|cd|ov|sl|sr|nxr|nxl|adj) '.' value
func (p *parser) opSimple(f *Filter, inLogic bool) status {
	op, s := p.oneOfOps(simpleOps)
	if s = p.labelled(s, labUnknownOperator); !s.ok() {
		return s
	}
	e := p.saved()
	if s = p.seq(s, e, p.delimiter()); !s.ok() {
		return s
	}
	e = p.saved()
	v, s2 := p.value(inLogic)
	if s = p.seq(s, e, s2); s.ok() {
		f.Op, f.Value = op, v
	}
	return s
}

// opQuant: (eq|gte|gt|lte|lt|like|ilike|match|imatch) [try ('(' ("any"|"all") ')')] '.' value
func (p *parser) opQuant(f *Filter, inLogic bool) status {
	op, s := p.oneOfOps(quantOps)
	if s = p.labelled(s, labUnknownOperator); !s.ok() {
		return s
	}
	e := p.saved()
	start := p.pos
	quant := QuantNone
	s2 := p.char('(', labOpenParen)
	if s2.ok() {
		e2 := p.saved()
		quant = QuantAny
		s3 := p.tryStr("any", labAny)
		if s3 == emptyErr {
			e3 := p.saved()
			s3 = p.alt(e3, p.str("all", labAll))
			quant = QuantAll
		}
		if s2 = p.seq(s2, e2, s3); s2.ok() {
			e2 = p.saved()
			s2 = p.seq(s2, e2, p.char(')', labCloseParen))
		}
	}
	if s2 = p.try(start, s2); s2 == emptyErr {
		s2, quant = emptyOK, QuantNone
	}
	s = p.seq(s, e, s2)
	e = p.saved()
	if s = p.seq(s, e, p.delimiter()); !s.ok() {
		return s
	}
	e = p.saved()
	v, s2 := p.value(inLogic)
	if s = p.seq(s, e, s2); s.ok() {
		f.Op, f.Quantifier, f.Value = op, quant, v
	}
	return s
}

// value: the rest of the input, or inside logic trees
// try (quoted, not followed by [^,)]) | try ('{' [^{}]* '}') | [^,)]*
func (p *parser) value(inLogic bool) (string, status) {
	start := p.pos
	if !inLogic {
		p.pos = len(p.s)
		p.failAt(p.pos, eofRune, labNone)
		return p.s[start:], manyStatus(p.pos > start)
	}
	v, s := p.quoted()
	if s.ok() {
		e := p.saved()
		next := p.pos < len(p.s) && p.s[p.pos] != ',' && p.s[p.pos] != ')'
		s = p.seq(s, e, p.notFollowedBy(next, labNone))
	}
	if s = p.try(start, s); s.ok() {
		return v, s
	}
	e := p.saved()
	s = p.char('{', labOpenBrace)
	if s.ok() {
		e2 := p.saved()
		s = p.seq(s, e2, p.many(classNoBrace))
		e2 = p.saved()
		s = p.seq(s, e2, p.char('}', labCloseBrace))
	}
	if s = p.alt(e, p.try(start, s)); s.ok() {
		return p.s[start:p.pos], s
	}
	e = p.saved()
	s = p.alt(e, p.many(classListVal))
	return p.s[start:p.pos], s
}

// ---- logic trees ----

// logicExpr: try (field '.' opExpr) | negation logicOp ws '(' ws expr (ws ',' ws expr)* ws ')' ws
func (p *parser) logicExpr(path []string, depth int) (LogicExpr, status) {
	start := p.pos
	var f Filter
	s := p.logicFilter(&f)
	if s = p.try(start, s); s.ok() {
		f.Path = path
		return LogicExpr{Filter: &f}, s
	}
	e := p.saved()
	expr, s := p.logicNode(path, depth)
	return expr, p.alt(e, s)
}

func (p *parser) logicFilter(f *Filter) status {
	fld, s := p.field()
	if !s.ok() {
		return s
	}
	e := p.saved()
	if s = p.seq(s, e, p.delimiter()); !s.ok() {
		return s
	}
	e = p.saved()
	s = p.seq(s, e, p.opExpr(f, true))
	f.Field = fld
	return s
}

func (p *parser) logicNode(path []string, depth int) (LogicExpr, status) {
	var expr LogicExpr
	// negation: try ("not" '.') <?> "negation operator (not)"
	start := p.pos
	s := p.keyword("not", labNot)
	if s.ok() {
		expr.Negated = true
	} else {
		p.pos = start
		s = emptyOK
	}
	s = p.labelled(s, labNegation)
	// logicOp: try "and" | "or"   <?> "logic operator (and, or)"
	e := p.saved()
	expr.Op = LogicAnd
	s2 := p.tryStr("and", labAnd)
	if s2 == emptyErr {
		e2 := p.saved()
		s2 = p.alt(e2, p.str("or", labOr))
		expr.Op = LogicOr
	}
	if s = p.seq(s, e, p.labelled(s2, labLogicOp)); !s.ok() {
		return expr, s
	}
	e = p.saved()
	if s = p.seq(s, e, p.lexemeChar('(', labOpenParen)); !s.ok() {
		return expr, s
	}
	if depth >= maxNesting {
		return expr, p.tooDeep()
	}
	e = p.saved()
	first, s2 := p.logicExpr(path, depth+1)
	if s = p.seq(s, e, s2); !s.ok() {
		return expr, s
	}
	children := make([]LogicExpr, 1, 4)
	children[0] = first
	before := p.saved()
	iterated := false
	for {
		sc := p.lexemeChar(',', labComma)
		if sc == emptyErr {
			break
		}
		if !sc.ok() {
			return expr, sc
		}
		e := p.saved()
		child, s2 := p.logicExpr(path, depth+1)
		if s2 = p.seq(sc, e, s2); !s2.ok() {
			return expr, s2
		}
		children = append(children, child)
		iterated = true
	}
	s = p.seq(s, before, manyStatus(iterated))
	e = p.saved()
	if s = p.seq(s, e, p.lexemeChar(')', labCloseParen)); !s.ok() {
		return expr, s
	}
	expr.Children = children
	return expr, s
}

// ---- key paths, order, columns ----

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
