package apireq

import "strings"

// Names, identifiers and JSON paths, shared by every query-parameter grammar. Each
// function mirrors one production (see the comment above it); it returns a status (see
// scanner.go) and leaves p.pos after what it consumed. A function that fails without
// consuming leaves p.pos where it started.

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
