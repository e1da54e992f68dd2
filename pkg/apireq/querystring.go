package apireq

import (
	"slices"
	"strings"
)

// Splitting and percent-decoding of the raw query string, and its canonical form.

// splitQuery splits a raw query string on '&' and ';' and decodes keys and values
// (percent-escapes and '+' as space), like Haskell's parseQueryReplacePlus.
func splitQuery(raw string, buf []QueryParam) []QueryParam {
	raw = strings.TrimPrefix(raw, "?")
	params := buf
	for raw != "" {
		var seg string
		if i := strings.IndexAny(raw, "&;"); i >= 0 {
			seg, raw = raw[:i], raw[i+1:]
		} else {
			seg, raw = raw, ""
		}
		k, v, has := strings.Cut(seg, "=")
		params = append(params, QueryParam{Key: urlDecode(k, true), Value: urlDecode(v, true), HasValue: has})
	}
	return params
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// urlDecode decodes %XX escapes (an invalid escape stays as is) and, when plus is set,
// '+' as a space. It allocates only when something changes.
func urlDecode(s string, plus bool) string {
	i := 0
	for ; i < len(s); i++ {
		if s[i] == '%' || (plus && s[i] == '+') {
			break
		}
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, i, len(s))
	copy(b, s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+' && plus:
			b = append(b, ' ')
		case c == '%' && i+2 < len(s):
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				b = append(b, hi<<4|lo)
				i += 2
			} else {
				b = append(b, c)
			}
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// CanonicalQuery renders the query string the way PostgREST does for Content-Location:
// parameters sorted by key (stable), repeated keys merged into one with comma-separated
// values, everything percent-encoded except letters, digits and "-_.~".
func (q *Query) CanonicalQuery() string {
	if len(q.Params) == 0 {
		return ""
	}
	idx := make([]int, len(q.Params))
	size := 0
	for i, p := range q.Params {
		idx[i] = i
		size += len(p.Key) + len(p.Value) + 2
	}
	slices.SortStableFunc(idx, func(a, b int) int { return strings.Compare(q.Params[a].Key, q.Params[b].Key) })
	var b strings.Builder
	b.Grow(size + size/2) // room for some percent-encoding
	done := make([]bool, len(q.Params))
	for n, i := range idx {
		if done[i] {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		key := q.Params[i].Key
		urlEncodeTo(&b, key)
		b.WriteByte('=')
		urlEncodeTo(&b, q.Params[i].Value)
		for _, j := range idx[n+1:] {
			if !done[j] && q.Params[j].Key == key {
				done[j] = true
				b.WriteByte(',')
				urlEncodeTo(&b, q.Params[j].Value)
			}
		}
	}
	return b.String()
}

func urlEncodeTo(b *strings.Builder, s string) {
	const hexDigits = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
}
