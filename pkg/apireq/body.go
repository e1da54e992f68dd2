package apireq

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/rocksteady/rocksteady/pkg/apierr"
)

// BodyShape is what a JSON body holds, as far as planning needs to know: whether it is an
// array, how many objects it has, and their keys. Values are never decoded: the body goes
// to PostgreSQL as one parameter.
type BodyShape struct {
	IsArray bool
	// Rows is the number of objects (1 for an object body; 0 for [] or a scalar body).
	Rows int
	// Keys are the first object's keys in order of appearance, without duplicates.
	Keys []string
}

// ScanJSONBody reads the shape of a JSON body: an object, or an array of objects that all
// have the same keys (PGRST102 "All object keys must match" otherwise). Invalid or empty
// JSON is PGRST102 "Empty or invalid json". A scalar body counts as an empty array, as in
// PostgREST.
func ScanJSONBody(body []byte) (BodyShape, error) {
	var shape BodyShape
	if !json.Valid(body) {
		return shape, apierr.InvalidBody("Empty or invalid json")
	}
	s := bodyScanner{b: body}
	s.space()
	switch s.peek() {
	case '{':
		shape.Rows = 1
		shape.Keys = s.objectKeys(nil)
	case '[':
		shape.IsArray = true
		s.i++
		var first []string
		for {
			s.space()
			c := s.peek()
			if c == ']' {
				break
			}
			if c == ',' {
				s.i++
				continue
			}
			if c != '{' {
				s.skipValue() // non-object elements contribute no keys
				continue
			}
			keys := s.objectKeys(nil)
			if shape.Rows == 0 {
				first = keys
			} else if !sameKeys(first, keys) {
				return shape, apierr.InvalidBody("All object keys must match")
			}
			shape.Rows++
		}
		shape.Keys = first
	default:
		shape.IsArray = true // a scalar: no rows, no keys
	}
	return shape, nil
}

func sameKeys(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := make(map[string]struct{}, len(a))
	for _, k := range a {
		seen[k] = struct{}{}
	}
	for _, k := range b {
		if _, ok := seen[k]; !ok {
			return false
		}
	}
	return true
}

// bodyScanner walks JSON already checked by json.Valid.
type bodyScanner struct {
	b []byte
	i int
}

func (s *bodyScanner) peek() byte {
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

func (s *bodyScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// objectKeys reads an object at s.i, returning its distinct keys in order.
func (s *bodyScanner) objectKeys(keys []string) []string {
	s.i++ // {
	for {
		s.space()
		switch s.peek() {
		case '}':
			s.i++
			return keys
		case ',':
			s.i++
			continue
		}
		k := s.str()
		dup := false
		for _, e := range keys {
			if e == k {
				dup = true
				break
			}
		}
		if !dup {
			keys = append(keys, k)
		}
		s.space()
		s.i++ // :
		s.space()
		s.skipValue()
	}
}

// str reads a string at s.i and returns it unescaped.
func (s *bodyScanner) str() string {
	start := s.i
	s.i++
	escaped := false
	for s.i < len(s.b) {
		c := s.b[s.i]
		if c == '\\' {
			escaped = true
			s.i += 2
			continue
		}
		s.i++
		if c == '"' {
			break
		}
	}
	raw := s.b[start:s.i]
	if !escaped {
		return string(raw[1 : len(raw)-1])
	}
	var out string
	if err := json.Unmarshal(raw, &out); err != nil || !utf8.ValidString(out) {
		return string(raw[1 : len(raw)-1])
	}
	return out
}

// skipValue moves past one value.
func (s *bodyScanner) skipValue() {
	s.space()
	switch s.peek() {
	case '"':
		s.str()
	case '{', '[':
		depth := 0
		for s.i < len(s.b) {
			c := s.b[s.i]
			switch c {
			case '"':
				s.str()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			s.i++
			if depth == 0 {
				return
			}
		}
	default:
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return
			}
			s.i++
		}
	}
}
