package apireq

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The query-string grammars are parsed by hand-written recursive descent. PostgREST's
// error details ("unexpected X expecting A, B or C") come from Parsec's error model, so
// the scanner reproduces that model: every step reports one of four outcomes (consumed
// input or not × success or failure), and errors carry a position, the unexpected input
// and the expected labels, merged the way Parsec merges them (the furthest position wins,
// equal positions concatenate; a step that consumes input drops the hints of the steps
// before it).
//
// Error bookkeeping costs time, so a parse first runs with tracking off; only when it
// fails does it run again with tracking on to build the message. Control flow never
// depends on the error state, so both runs take the same path.

// status is the outcome of one parsing step.
type status uint8

const (
	emptyOK     status = 0 // succeeded without consuming input
	consumedOK  status = 1 // succeeded after consuming input
	emptyErr    status = 2 // failed without consuming input (alternatives may be tried)
	consumedErr status = 3 // failed after consuming input (commits the parse)
)

func (s status) ok() bool       { return s&2 == 0 }
func (s status) consumed() bool { return s&1 != 0 }

const eofRune rune = -1

const maxExpect = 24

// perr is a Parsec ParseError: the position and the messages that survive rendering
// (the first "system" unexpected token, the explicit unexpected tokens, and the
// deduplicated expected labels in order).
type perr struct {
	pos    int
	hasSys bool
	sys    rune
	nUn    uint8
	un     [2]rune
	nExp   uint8
	exp    [maxExpect]label
	msg    label // a plain message (Parsec's Message), rendered last
}

func (e *perr) unknown() bool { return !e.hasSys && e.nUn == 0 && e.nExp == 0 && e.msg == labNone }

func (e *perr) addExpect(l label) {
	for _, x := range e.exp[:e.nExp] {
		if x == l {
			return
		}
	}
	if int(e.nExp) < maxExpect {
		e.exp[e.nExp] = l
		e.nExp++
	}
}

func (e *perr) addUnexpected(r rune) {
	for _, x := range e.un[:e.nUn] {
		if x == r {
			return
		}
	}
	if int(e.nUn) < len(e.un) {
		e.un[e.nUn] = r
		e.nUn++
	}
}

// mergeErr is Parsec's mergeError.
func mergeErr(e1, e2 *perr) perr {
	if e2.unknown() && !e1.unknown() {
		return *e1
	}
	if e1.unknown() && !e2.unknown() {
		return *e2
	}
	if e1.pos > e2.pos {
		return *e1
	}
	if e1.pos < e2.pos {
		return *e2
	}
	out := *e1
	if !out.hasSys && e2.hasSys {
		out.hasSys, out.sys = true, e2.sys
	}
	for _, r := range e2.un[:e2.nUn] {
		out.addUnexpected(r)
	}
	for _, l := range e2.exp[:e2.nExp] {
		out.addExpect(l)
	}
	if out.msg == labNone {
		out.msg = e2.msg
	}
	return out
}

// parser scans one parameter (a key or a value).
type parser struct {
	s     string
	pos   int
	track bool
	err   perr
	stack []perr

	// Backtracking re-parses names at the same position several times (a select item is
	// tried as an embed, as count() and as a column). Without tracking only results
	// matter, so the last name and alias parsed are remembered by start position.
	nameMemo  memo
	aliasMemo memo
}

type memo struct {
	valid      bool
	has        bool
	st         status
	start, end int
	val        string
}

func (m *memo) get(p *parser) (string, bool, status, bool) {
	if p.track || !m.valid || m.start != p.pos {
		return "", false, 0, false
	}
	p.pos = m.end
	return m.val, m.has, m.st, true
}

func (m *memo) put(p *parser, start int, val string, has bool, st status) {
	if !p.track {
		*m = memo{valid: true, has: has, st: st, start: start, end: p.pos, val: val}
	}
}

func (p *parser) runeAt(i int) rune {
	if i >= len(p.s) {
		return eofRune
	}
	c := p.s[i]
	if c < utf8.RuneSelf {
		return rune(c)
	}
	r, _ := utf8.DecodeRuneInString(p.s[i:])
	return r
}

func (p *parser) runeLen(i int) int {
	if p.s[i] < utf8.RuneSelf {
		return 1
	}
	_, n := utf8.DecodeRuneInString(p.s[i:])
	return n
}

// okHere records the unknown error a successful primitive leaves behind.
func (p *parser) okHere() {
	if p.track {
		p.err = perr{pos: p.pos}
	}
}

// failAt records a primitive's failure at pos: r is the offending input (eofRune at the
// end), l the expected label (labNone for unlabelled primitives such as oneOf/noneOf).
func (p *parser) failAt(pos int, r rune, l label) {
	if p.track {
		p.err = perr{pos: pos, hasSys: true, sys: r}
		if l != labNone {
			p.err.exp[0] = l
			p.err.nExp = 1
		}
	}
}

// maxNesting bounds embed and logic-tree nesting, so that a long URL cannot make the
// recursive descent use unbounded stack (PostgREST has no such limit; no real request
// comes near it).
const maxNesting = 100

// tooDeep fails a parse that nests deeper than maxNesting; the caller has consumed input.
func (p *parser) tooDeep() status {
	if p.track {
		p.err = perr{pos: p.pos, msg: labTooDeep}
	}
	return consumedErr
}

// failEmpty records Parsec's parserZero/guard failure: no messages.
func (p *parser) failEmpty() status {
	if p.track {
		p.err = perr{pos: p.pos}
	}
	return emptyErr
}

// mark names an error saved for a later merge. Saved errors live on a stack that is
// only used while tracking; marks must be consumed innermost first (a mark created
// after m is never used once m has been merged).
type mark int32

// saved remembers the current error for a later seq/alt merge.
func (p *parser) saved() mark {
	if !p.track {
		return 0
	}
	p.stack = append(p.stack, p.err)
	return mark(len(p.stack) - 1)
}

// merge sets the current error to mergeErr(saved m, current) and drops m and every mark
// created after it.
func (p *parser) merge(m mark) {
	p.err = mergeErr(&p.stack[m], &p.err)
	p.stack = p.stack[:m]
}

// seq combines "a then b": s1 is a's (successful) outcome, m its error, s2 b's outcome.
func (p *parser) seq(s1 status, m mark, s2 status) status {
	if s2.consumed() {
		return s2
	}
	if p.track {
		p.merge(m)
	}
	if s1.consumed() {
		return s2 | 1
	}
	return s2
}

// alt combines "a <|> b" after a failed without consuming (error m) and b gave s2.
func (p *parser) alt(m mark, s2 status) status {
	if s2.consumed() {
		return s2
	}
	if p.track {
		p.merge(m)
	}
	return s2
}

// try turns a consumed failure into an empty one and rewinds.
func (p *parser) try(start int, s status) status {
	if !s.ok() {
		p.pos = start
		return emptyErr
	}
	return s
}

// labelled is "<?> l": a step that consumed nothing gets l as its only expectation.
func (p *parser) labelled(s status, l label) status {
	if s.consumed() || !p.track {
		return s
	}
	if s == emptyOK && p.err.unknown() {
		return s
	}
	p.err.nExp = 1
	p.err.exp[0] = l
	return s
}

// char matches one ASCII byte.
func (p *parser) char(c byte, l label) status {
	if p.pos < len(p.s) && p.s[p.pos] == c {
		p.pos++
		p.okHere()
		return consumedOK
	}
	p.failAt(p.pos, p.runeAt(p.pos), l)
	return emptyErr
}

// str matches an ASCII string like Parsec's string: a mismatch after the first character
// is a consumed failure, reported at the start with the mismatching character.
func (p *parser) str(s string, l label) status {
	start := p.pos
	for i := 0; i < len(s); i++ {
		j := start + i
		if j >= len(p.s) || p.s[j] != s[i] {
			p.failAt(start, p.runeAt(j), l)
			if i == 0 {
				return emptyErr
			}
			return consumedErr
		}
	}
	p.pos = start + len(s)
	p.okHere()
	return consumedOK
}

// tryStr is try (string s).
func (p *parser) tryStr(s string, l label) status {
	start := p.pos
	return p.try(start, p.str(s, l))
}

// peekStr is try (lookAhead (string s)).
func (p *parser) peekStr(s string, l label) status {
	start := p.pos
	st := p.str(s, l)
	if st.ok() {
		p.pos = start
		p.okHere()
		return emptyOK
	}
	p.pos = start
	return emptyErr
}

// eof is Parsec's eof: "unexpected 'c'" with the label "end of input".
func (p *parser) eof() status {
	if p.pos >= len(p.s) {
		p.okHere()
		return emptyOK
	}
	if p.track {
		p.err = perr{pos: p.pos, nUn: 1, nExp: 1}
		p.err.un[0] = p.runeAt(p.pos)
		p.err.exp[0] = labEndOfInput
	}
	return emptyErr
}

// notFollowedBy is Parsec's notFollowedBy over a one-character parser: matched tells
// whether that parser accepts the character at p.pos, l is its label.
func (p *parser) notFollowedBy(matched bool, l label) status {
	if matched {
		if p.track {
			r := p.runeAt(p.pos)
			p.err = perr{pos: p.pos + p.runeLen(p.pos), nUn: 1}
			p.err.un[0] = r
		}
		return emptyErr
	}
	p.failAt(p.pos, p.runeAt(p.pos), l)
	return emptyOK
}

// charClass is a set of characters accepted by a one-character parser.
type charClass uint8

const (
	classIdent   charClass = iota // letter <|> digit <|> oneOf "_ $"
	classJSONKey                  // noneOf "(-:.,>)"
	classSpace                    // oneOf " \t"
	classDigit                    // digit
	classListVal                  // noneOf ",)"
	classNoBrace                  // noneOf "{}"
	classAny                      // anyChar
)

func inClass(c charClass, r rune) bool {
	switch c {
	case classIdent:
		if r < utf8.RuneSelf {
			return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_' || r == ' ' || r == '$'
		}
		return unicode.IsLetter(r)
	case classJSONKey:
		switch r {
		case '(', '-', ':', '.', ',', '>', ')':
			return false
		}
		return true
	case classSpace:
		return r == ' ' || r == '\t'
	case classDigit:
		return '0' <= r && r <= '9'
	case classListVal:
		return r != ',' && r != ')'
	case classNoBrace:
		return r != '{' && r != '}'
	}
	return true
}

// failClass records the failure of a one-character parser of class c at p.pos.
func (p *parser) failClass(c charClass) {
	if !p.track {
		return
	}
	switch c {
	case classIdent:
		p.failAt(p.pos, p.runeAt(p.pos), labLetter)
		p.err.addExpect(labDigit)
	case classDigit:
		p.failAt(p.pos, p.runeAt(p.pos), labDigit)
	default:
		p.failAt(p.pos, p.runeAt(p.pos), labNone)
	}
}

// many is "many c": it always succeeds, consumed or not, leaving the failing character's
// error as a hint.
func (p *parser) many(c charClass) status {
	start := p.pos
	for p.pos < len(p.s) {
		b := p.s[p.pos]
		if b < utf8.RuneSelf {
			if !inClass(c, rune(b)) {
				break
			}
			p.pos++
			continue
		}
		r, n := utf8.DecodeRuneInString(p.s[p.pos:])
		if !inClass(c, r) {
			break
		}
		p.pos += n
	}
	p.failClass(c)
	if p.pos > start {
		return consumedOK
	}
	return emptyOK
}

// many1 is "many1 c".
func (p *parser) many1(c charClass) status {
	s := p.many(c)
	if s == emptyOK {
		return emptyErr
	}
	return s
}

// ws is "many (oneOf " \t")".
func (p *parser) ws() status { return p.many(classSpace) }

// hsIsSpace is Haskell's Data.Char.isSpace (used by Data.Text.strip).
func hsIsSpace(r rune) bool {
	if r == ' ' || (r >= '\t' && r <= '\r') || r == 0xa0 {
		return true
	}
	return r > 0x377 && unicode.Is(unicode.Zs, r)
}

func hsStrip(s string) string {
	if s == "" {
		return s
	}
	if a, z := s[0], s[len(s)-1]; a < utf8.RuneSelf && a > ' ' && z < utf8.RuneSelf && z > ' ' {
		return s
	}
	return strings.TrimFunc(s, hsIsSpace)
}
