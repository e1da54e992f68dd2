package sqlgen

import (
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"github.com/rocksteady/rocksteady/pkg/apierr"
)

// builder accumulates SQL text and its parameters.
type builder struct {
	sb   strings.Builder
	args [][]byte
	// err is the first value PostgreSQL could not take (text with a NUL byte).
	err error
}

// newBuilder starts a builder whose text buffer holds size bytes: a typical statement
// then takes one allocation rather than a doubling series.
func newBuilder(size int) *builder {
	b := &builder{}
	b.sb.Grow(size)
	return b
}

func (b *builder) w(s string) { b.sb.WriteString(s) }

// param binds v and writes its placeholder. PostgreSQL text cannot hold NUL, and a NUL
// in a protocol message breaks the connection, so such a value fails the request as
// PostgreSQL would have reported it.
func (b *builder) param(v string) {
	if b.err == nil && strings.IndexByte(v, 0) >= 0 {
		b.err = apierr.New(http.StatusBadRequest, "22021", `invalid byte sequence for encoding "UTF8": 0x00`, "", "")
	}
	b.args = append(b.args, []byte(v))
	b.sb.WriteByte('$')
	b.sb.WriteString(strconv.Itoa(len(b.args)))
}

// ident writes a double-quoted identifier.
func (b *builder) ident(s string) {
	b.sb.WriteByte('"')
	if strings.IndexByte(s, '"') >= 0 {
		s = strings.ReplaceAll(s, `"`, `""`)
	}
	b.sb.WriteString(s)
	b.sb.WriteByte('"')
}

// identList writes names as a comma-separated list of quoted identifiers.
func (b *builder) identList(names []string) {
	for i, s := range names {
		if i > 0 {
			b.w(", ")
		}
		b.ident(s)
	}
}

// qualified writes "schema"."name".
func (b *builder) qualified(schema, name string) {
	b.ident(schema)
	b.sb.WriteByte('.')
	b.ident(name)
}

// Quote double-quotes an identifier (exported for callers that build settings such as
// search_path).
func Quote(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// safeType reports whether a cast target is made only of letters, digits, '_', ' ' and '$'
// (PostgREST's rule), so it can be written unquoted: nothing in it can end the cast.
func safeType(t string) bool {
	if t == "" {
		return false
	}
	for _, r := range t {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != ' ' && r != '$' {
			return false
		}
	}
	return true
}

// pgArray renders values as a PostgreSQL array literal, quoting every element and
// dropping NUL characters, so the list reaches SQL as one parameter.
func pgArray(values []string) string {
	var sb strings.Builder
	sb.WriteByte('{')
	for i, v := range values {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteByte('"')
		for _, r := range v {
			switch r {
			case 0:
				continue
			case '"', '\\':
				sb.WriteByte('\\')
			}
			sb.WriteRune(r)
		}
		sb.WriteByte('"')
	}
	sb.WriteByte('}')
	return sb.String()
}

// paramBytes binds v as it is (no copy) and writes its placeholder: for request bodies.
func (b *builder) paramBytes(v []byte) {
	if v == nil {
		v = []byte{}
	}
	b.args = append(b.args, v)
	b.sb.WriteByte('$')
	b.sb.WriteString(strconv.Itoa(len(b.args)))
}
