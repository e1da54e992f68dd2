package auth

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ClaimPath locates the role inside the claims (PGRST_JWT_ROLE_CLAIM_KEY). It is a list of
// steps from the top-level object; the first value found wins.
type ClaimPath struct {
	src   string
	steps []pathStep
}

type stepKind uint8

const (
	stepKey    stepKind = iota + 1 // object member
	stepIndex                      // array element (negative counts from the end)
	stepFilter                     // first array element that is a string matching op/value
)

type pathStep struct {
	kind  stepKind
	key   string
	index int
	op    string // ==, !=, ^== (prefix), ==^ (suffix), *== (contains)
	value string
}

// String returns the path as configured.
func (p ClaimPath) String() string { return p.src }

// ParseClaimPath parses a role claim key. Two syntaxes are accepted:
//
//   - RFC 9535 JSONPath (PostgREST ≥ 16): "$" followed by .name, ."quoted name", ['name'] or
//     ["name"], [index] (negative from the end) and the filter [?@ op "text"]. Names in the
//     dot form are letters, digits and "_" (not starting with a digit); anything else quoted.
//   - PostgREST's older DSL: the same steps without the leading "$" (".role",
//     ".a.b[0]", ."key-with-dash") and the filter written [?(@ op "text")].
//
// Filter operators compare string elements of an array: == equal, != not equal, ^== starts
// with, ==^ ends with, *== contains. Wildcards, descendant segments (..), slices, several
// selectors in one bracket and filter functions are not supported and are refused.
func ParseClaimPath(s string) (ClaimPath, error) {
	p := pathParser{src: s}
	rest := s
	switch {
	case strings.HasPrefix(rest, "$"):
		rest = rest[1:]
	case strings.HasPrefix(rest, ".") || strings.HasPrefix(rest, "["):
		p.legacy = true
	default:
		return ClaimPath{}, p.errorf(0, `must start with "$" (JSONPath) or "." (legacy syntax)`)
	}
	p.pos = len(s) - len(rest)
	steps, err := p.parse()
	if err != nil {
		return ClaimPath{}, err
	}
	return ClaimPath{src: s, steps: steps}, nil
}

type pathParser struct {
	src    string
	pos    int
	legacy bool
}

func (p *pathParser) errorf(at int, format string, args ...any) error {
	return configErr("jwt-role-claim-key", "cannot parse %q at offset %d: %s", p.src, at, fmt.Sprintf(format, args...))
}

func (p *pathParser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *pathParser) parse() ([]pathStep, error) {
	var steps []pathStep
	for p.pos < len(p.src) {
		switch p.peek() {
		case '.':
			p.pos++
			if p.peek() == '.' {
				return nil, p.errorf(p.pos, "descendant segments (..) are not supported")
			}
			if p.peek() == '"' {
				name, err := p.quoted()
				if err != nil {
					return nil, err
				}
				steps = append(steps, pathStep{kind: stepKey, key: name})
				continue
			}
			name := p.name()
			if name == "" {
				return nil, p.errorf(p.pos, "expected a member name")
			}
			steps = append(steps, pathStep{kind: stepKey, key: name})
		case '[':
			st, err := p.bracket()
			if err != nil {
				return nil, err
			}
			steps = append(steps, st)
		default:
			return nil, p.errorf(p.pos, "unexpected %q", p.peek())
		}
	}
	return steps, nil
}

// name reads a dot-notation member name.
func (p *pathParser) name() string {
	start := p.pos
	for p.pos < len(p.src) {
		r, size := utf8.DecodeRuneInString(p.src[p.pos:])
		ok := r == '_' || unicode.IsLetter(r) || r >= 0x80 || (p.pos > start && unicode.IsDigit(r))
		if p.legacy {
			// the old DSL allowed digits and a few more characters unquoted
			ok = ok || unicode.IsDigit(r) || r == '-' || r == '$' || r == '@'
		}
		if !ok {
			break
		}
		p.pos += size
	}
	return p.src[start:p.pos]
}

func (p *pathParser) skipSpace() {
	for p.pos < len(p.src) && strings.IndexByte(" \t\n\r", p.src[p.pos]) >= 0 {
		p.pos++
	}
}

// quoted reads a '…' or "…" string with JSON-style escapes.
func (p *pathParser) quoted() (string, error) {
	q := p.peek()
	start := p.pos
	p.pos++
	var sb strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == q:
			p.pos++
			return sb.String(), nil
		case c == '\\':
			if p.pos+1 >= len(p.src) {
				return "", p.errorf(p.pos, "unfinished escape")
			}
			e := p.src[p.pos+1]
			p.pos += 2
			switch e {
			case 'b':
				sb.WriteByte('\b')
			case 'f':
				sb.WriteByte('\f')
			case 'n':
				sb.WriteByte('\n')
			case 'r':
				sb.WriteByte('\r')
			case 't':
				sb.WriteByte('\t')
			case 'u':
				if p.pos+4 > len(p.src) {
					return "", p.errorf(p.pos, "short \\u escape")
				}
				n, err := strconv.ParseUint(p.src[p.pos:p.pos+4], 16, 32)
				if err != nil {
					return "", p.errorf(p.pos, "bad \\u escape")
				}
				sb.WriteRune(rune(n))
				p.pos += 4
			default:
				sb.WriteByte(e) // \" \' \\ \/
			}
		default:
			sb.WriteByte(c)
			p.pos++
		}
	}
	return "", p.errorf(start, "unterminated string")
}

func (p *pathParser) bracket() (pathStep, error) {
	open := p.pos
	p.pos++
	p.skipSpace()
	var st pathStep
	switch c := p.peek(); {
	case c == '\'' || c == '"':
		name, err := p.quoted()
		if err != nil {
			return st, err
		}
		st = pathStep{kind: stepKey, key: name}
	case c == '-' || (c >= '0' && c <= '9'):
		start := p.pos
		p.pos++
		for c := p.peek(); c >= '0' && c <= '9'; c = p.peek() {
			p.pos++
		}
		n, err := strconv.Atoi(p.src[start:p.pos])
		if err != nil {
			return st, p.errorf(start, "bad array index")
		}
		st = pathStep{kind: stepIndex, index: n}
	case c == '?':
		p.pos++
		var err error
		if st, err = p.filter(); err != nil {
			return st, err
		}
	default:
		return st, p.errorf(p.pos, "unsupported selector")
	}
	p.skipSpace()
	if p.peek() != ']' {
		return st, p.errorf(open, "expected ']'")
	}
	p.pos++
	return st, nil
}

// filter reads `@ op "text"`, optionally wrapped in parentheses.
func (p *pathParser) filter() (pathStep, error) {
	p.skipSpace()
	paren := p.peek() == '('
	if paren {
		p.pos++
		p.skipSpace()
	}
	if p.peek() != '@' {
		return pathStep{}, p.errorf(p.pos, "only filters of the form @ op \"text\" are supported")
	}
	p.pos++
	p.skipSpace()
	var op string
	for _, cand := range []string{"==^", "^==", "*==", "==", "!="} {
		if strings.HasPrefix(p.src[p.pos:], cand) {
			op = cand
			break
		}
	}
	if op == "" {
		return pathStep{}, p.errorf(p.pos, "expected one of == != ^== ==^ *==")
	}
	p.pos += len(op)
	p.skipSpace()
	if c := p.peek(); c != '"' && c != '\'' {
		return pathStep{}, p.errorf(p.pos, "expected a quoted string")
	}
	val, err := p.quoted()
	if err != nil {
		return pathStep{}, err
	}
	p.skipSpace()
	if paren {
		if p.peek() != ')' {
			return pathStep{}, p.errorf(p.pos, "expected ')'")
		}
		p.pos++
	}
	return pathStep{kind: stepFilter, op: op, value: val}, nil
}

func (st *pathStep) matches(s string) bool {
	switch st.op {
	case "==":
		return s == st.value
	case "!=":
		return s != st.value
	case "^==":
		return strings.HasPrefix(s, st.value)
	case "==^":
		return strings.HasSuffix(s, st.value)
	case "*==":
		return strings.Contains(s, st.value)
	}
	return false
}

// lookup walks the path over the claims object; found is false when any step misses.
func (p *ClaimPath) lookup(obj map[string]json.RawMessage) (json.RawMessage, bool) {
	if len(p.steps) == 0 {
		return nil, false // "$" alone would name the whole object, never a role
	}
	if p.steps[0].kind != stepKey {
		return nil, false // the root is an object: index and filter steps find nothing
	}
	cur, ok := obj[p.steps[0].key]
	for _, st := range p.steps[1:] {
		if !ok {
			return nil, false
		}
		switch st.kind {
		case stepKey:
			var m map[string]json.RawMessage
			if json.Unmarshal(cur, &m) != nil || m == nil {
				return nil, false
			}
			cur, ok = m[st.key]
		case stepIndex:
			var a []json.RawMessage
			if json.Unmarshal(cur, &a) != nil {
				return nil, false
			}
			i := st.index
			if i < 0 {
				i += len(a)
			}
			if i < 0 || i >= len(a) {
				return nil, false
			}
			cur = a[i]
		case stepFilter:
			var a []json.RawMessage
			if json.Unmarshal(cur, &a) != nil {
				return nil, false
			}
			ok = false
			for _, e := range a {
				var s string
				if json.Unmarshal(e, &s) == nil && st.matches(s) {
					cur, ok = e, true
					break
				}
			}
		}
	}
	return cur, ok
}

// roleValue renders the located value as PostgREST does: a string as is, anything else as
// its JSON text (number 5 → "5", null → "null", objects with sorted keys).
func roleValue(raw json.RawMessage) string {
	var s string
	if len(raw) > 0 && raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
		return s
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return string(raw)
	}
	b, err := marshalNoHTML(v)
	if err != nil {
		return string(raw)
	}
	return string(b)
}
