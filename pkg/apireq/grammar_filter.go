package apireq

// Filter operator expressions (reference §3.4) and logic trees (§3.5).

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

// Logic trees.

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
