package apireq

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MediaKind is what PostgREST recognises a media type as.
type MediaKind uint8

const (
	// MediaOther is any type PostgREST has no builtin meaning for (custom handlers match
	// it by Raw).
	MediaOther MediaKind = iota
	MediaAny
	// MediaJSON is application/json, and application/vnd.pgrst.array[+json] without
	// nulls=stripped.
	MediaJSON
	// MediaArrayNullsStripped is application/vnd.pgrst.array[+json];nulls=stripped.
	MediaArrayNullsStripped
	// MediaObject is application/vnd.pgrst.object[+json] (see NullsStripped).
	MediaObject
	MediaGeoJSON
	MediaCSV
	MediaTextPlain
	MediaTextXML
	MediaOpenAPI
	MediaURLEncoded
	MediaOctetStream
	// MediaPlan is application/vnd.pgrst.plan[+text|+json] (see Plan).
	MediaPlan
)

// MediaParam is one ;name=value parameter; Name is lower-cased.
type MediaParam struct {
	Name, Value string
}

// PlanFormat is the EXPLAIN output format of a plan media type.
type PlanFormat uint8

const (
	PlanText PlanFormat = iota
	PlanJSON
)

// PlanOptions is a set of EXPLAIN options requested with options=a|b.
type PlanOptions uint8

const (
	PlanAnalyze PlanOptions = 1 << iota
	PlanVerbose
	PlanSettings
	PlanBuffers
	PlanWAL
)

var planOptionNames = [...]string{"analyze", "verbose", "settings", "buffers", "wal"}

// String renders the set as PostgREST does: known options in a fixed order joined by '|'.
func (o PlanOptions) String() string {
	var b strings.Builder
	for i, n := range planOptionNames {
		if o&(1<<i) != 0 {
			if b.Len() > 0 {
				b.WriteByte('|')
			}
			b.WriteString(n)
		}
	}
	return b.String()
}

// PlanRequest is the content of application/vnd.pgrst.plan: the media type the plan is
// for (for="…", default application/json), the format and the options.
type PlanRequest struct {
	For     MediaType
	Format  PlanFormat
	Options PlanOptions
}

// MediaType is one media type from Accept or Content-Type.
type MediaType struct {
	// Raw is the text as received (for Accept entries: with spaces removed and any ;q=
	// part cut off).
	Raw string
	// Type and Subtype are lower-cased; both are empty when Raw is not type/subtype.
	Type, Subtype string
	Params        []MediaParam
	Kind          MediaKind
	// NullsStripped is nulls=stripped on vnd.pgrst.object / vnd.pgrst.array.
	NullsStripped bool
	// Plan is set for MediaPlan.
	Plan *PlanRequest
}

// String renders the media type the way PostgREST names it in Content-Type and in
// PGRST107 (without a charset).
func (m MediaType) String() string {
	switch m.Kind {
	case MediaAny:
		return "*/*"
	case MediaJSON:
		return "application/json"
	case MediaArrayNullsStripped:
		return "application/vnd.pgrst.array+json;nulls=stripped"
	case MediaObject:
		if m.NullsStripped {
			return "application/vnd.pgrst.object+json;nulls=stripped"
		}
		return "application/vnd.pgrst.object+json"
	case MediaGeoJSON:
		return "application/geo+json"
	case MediaCSV:
		return "text/csv"
	case MediaTextPlain:
		return "text/plain"
	case MediaTextXML:
		return "text/xml"
	case MediaOpenAPI:
		return "application/openapi+json"
	case MediaURLEncoded:
		return "application/x-www-form-urlencoded"
	case MediaOctetStream:
		return "application/octet-stream"
	case MediaPlan:
		s := "application/vnd.pgrst.plan+text"
		if m.Plan.Format == PlanJSON {
			s = "application/vnd.pgrst.plan+json"
		}
		s += `; for="` + m.Plan.For.String() + `"`
		if m.Plan.Options != 0 {
			s += "; options=" + m.Plan.Options.String()
		}
		return s
	}
	return m.Raw
}

// Param returns the value of the named (lower-case) parameter.
func (m MediaType) Param(name string) (string, bool) {
	for _, p := range m.Params {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}

var (
	mediaAny  = MediaType{Raw: "*/*", Type: "*", Subtype: "*", Kind: MediaAny}
	mediaJSON = MediaType{Raw: "application/json", Type: "application", Subtype: "json", Kind: MediaJSON}
	// common values, decoded without the tokenizer
	mediaObject = MediaType{Raw: "application/vnd.pgrst.object+json", Type: "application", Subtype: "vnd.pgrst.object+json", Kind: MediaObject}
	mediaCSV    = MediaType{Raw: "text/csv", Type: "text", Subtype: "csv", Kind: MediaCSV}
)

// ParseMediaType decodes one media type (case-insensitive type, subtype and parameter
// names). Text that is not type/subtype[;params] yields MediaOther with Raw set.
func ParseMediaType(s string) MediaType {
	switch s {
	case "*/*":
		return mediaAny
	case "application/json":
		return mediaJSON
	case "application/vnd.pgrst.object+json":
		return mediaObject
	case "text/csv":
		return mediaCSV
	}
	m := MediaType{Raw: s}
	typ, sub, params, ok := tokenizeMediaType(s)
	if !ok {
		typ = s
	}
	m.Type, m.Subtype, m.Params = strings.ToLower(typ), strings.ToLower(sub), params
	if !ok {
		m.Type = ""
	}
	stripped := false
	if v, ok := m.Param("nulls"); ok && v == "stripped" {
		stripped = true
	}
	switch m.Type + "/" + m.Subtype {
	case "application/json":
		m.Kind = MediaJSON
	case "application/geo+json":
		m.Kind = MediaGeoJSON
	case "text/csv":
		m.Kind = MediaCSV
	case "text/plain":
		m.Kind = MediaTextPlain
	case "text/xml":
		m.Kind = MediaTextXML
	case "application/openapi+json":
		m.Kind = MediaOpenAPI
	case "application/x-www-form-urlencoded":
		m.Kind = MediaURLEncoded
	case "application/octet-stream":
		m.Kind = MediaOctetStream
	case "application/vnd.pgrst.plan", "application/vnd.pgrst.plan+text":
		m.Kind, m.Plan = MediaPlan, planRequest(&m, PlanText)
	case "application/vnd.pgrst.plan+json":
		m.Kind, m.Plan = MediaPlan, planRequest(&m, PlanJSON)
	case "application/vnd.pgrst.object+json", "application/vnd.pgrst.object":
		m.Kind, m.NullsStripped = MediaObject, stripped
	case "application/vnd.pgrst.array+json", "application/vnd.pgrst.array":
		m.Kind = MediaJSON
		if stripped {
			m.Kind, m.NullsStripped = MediaArrayNullsStripped, true
		}
	case "*/*":
		m.Kind = MediaAny
	}
	return m
}

func planRequest(m *MediaType, f PlanFormat) *PlanRequest {
	pr := &PlanRequest{For: mediaJSON, Format: f}
	if v, ok := m.Param("for"); ok {
		pr.For = ParseMediaType(v)
	}
	if v, ok := m.Param("options"); ok {
		for _, o := range strings.Split(v, "|") {
			for i, n := range planOptionNames {
				if o == n {
					pr.Options |= 1 << i
				}
			}
		}
	}
	return pr
}

func isAlphaNum(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// takeWhile returns the length of the longest prefix of s whose runes satisfy ok.
func takeWhile(s string, ok func(rune) bool) int {
	for i, r := range s {
		if !ok(r) {
			return i
		}
	}
	return len(s)
}

func skipSpaces(s string) string { return strings.TrimLeftFunc(s, hsIsSpace) }

// tokenizeMediaType splits type/subtype *(;key=value) [;], ignoring what follows the
// last well-formed parameter, as PostgREST's tokenizer does.
func tokenizeMediaType(s string) (typ, sub string, params []MediaParam, ok bool) {
	n := takeWhile(s, func(r rune) bool { return isAlphaNum(r) || r == '.' || r == '*' })
	if n == 0 || n >= len(s) || s[n] != '/' {
		return "", "", nil, false
	}
	typ, rest := s[:n], s[n+1:]
	n = takeWhile(rest, func(r rune) bool { return isAlphaNum(r) || strings.ContainsRune(".*+-", r) })
	if n == 0 {
		return "", "", nil, false
	}
	sub, rest = rest[:n], rest[n:]
	for {
		k, v, tail, ok := mediaParam(rest)
		if !ok {
			break
		}
		params = append(params, MediaParam{Name: strings.ToLower(k), Value: v})
		rest = tail
	}
	return typ, sub, params, true
}

// mediaParam parses spaces ';' spaces key spaces '=' spaces value.
func mediaParam(s string) (key, val, rest string, ok bool) {
	s = skipSpaces(s)
	if !strings.HasPrefix(s, ";") {
		return
	}
	s = skipSpaces(s[1:])
	n := takeWhile(s, func(r rune) bool { return isAlphaNum(r) || r == '-' })
	if n == 0 {
		return
	}
	key, s = s[:n], skipSpaces(s[n:])
	if !strings.HasPrefix(s, "=") {
		return
	}
	s = skipSpaces(s[1:])
	if strings.HasPrefix(s, `"`) {
		if end := strings.IndexByte(s[1:], '"'); end >= 0 {
			return key, s[1 : 1+end], s[end+2:], true
		}
	}
	n = takeWhile(s, func(r rune) bool { return isAlphaNum(r) || r == '|' || r == '-' })
	if n == 0 {
		return
	}
	return key, s[:n], s[n:], true
}

// ParseAccept parses an Accept header like PostgREST (wai-extra's parseHttpAccept): split
// on ',', remove every space, cut each entry at ";q=", and sort by quality, then by
// specificity (';' count minus '*' count), both descending; ties keep request order. An
// empty header yields an empty list; a missing header should be treated as "*/*".
func ParseAccept(header string) []MediaType {
	if header == "*/*" {
		return []MediaType{mediaAny}
	}
	return parseAcceptInto(header, nil)
}

func parseAcceptInto(header string, buf []MediaType) []MediaType {
	if header == "" {
		return buf[:0]
	}
	type entry struct {
		q    float64
		spec int
	}
	out := buf[:0]
	var rank []entry
	for {
		part, rest, more := strings.Cut(header, ",")
		part = strings.ReplaceAll(part, " ", "")
		q := 1.0
		if i := strings.Index(part, ";q="); i >= 0 {
			qs := part[i+3:]
			if j := strings.IndexByte(qs, ';'); j >= 0 {
				qs = qs[:j]
			}
			if v, ok := readDoublePrefix(qs); ok {
				q = v
			}
			part = part[:i]
		}
		out = append(out, ParseMediaType(part))
		rank = append(rank, entry{q: q, spec: strings.Count(part, ";") - strings.Count(part, "*")})
		if !more {
			break
		}
		header = rest
	}
	if len(out) > 1 {
		idx := make([]int, len(out))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool {
			ra, rb := rank[idx[a]], rank[idx[b]]
			if ra.q != rb.q {
				return ra.q > rb.q
			}
			return ra.spec > rb.spec
		})
		sorted := make([]MediaType, len(out))
		for i, j := range idx {
			sorted[i] = out[j]
		}
		out = sorted
	}
	return out
}

// readDoublePrefix reads a leading decimal number ([-]digits[.digits][e[+-]digits]) like
// Haskell's reads does for Double.
func readDoublePrefix(s string) (float64, bool) {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == start {
		return 0, false
	}
	if i+1 < len(s) && s[i] == '.' && s[i+1] >= '0' && s[i+1] <= '9' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > j {
			i = k
		}
	}
	v, err := strconv.ParseFloat(s[:i], 64)
	return v, err == nil
}
