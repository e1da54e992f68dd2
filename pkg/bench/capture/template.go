package capture

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/rocksteady/rocksteady/pkg/sqlgen"
)

// Values are a request's own values by name (user, doc, token, body, …).
type Values map[string]string

// Template is a captured transaction whose parameters may hold placeholders.
type Template struct {
	Statements []Statement
}

const mark = "\x00"

// minSubstring is the shortest value replaced inside a longer parameter; shorter values
// (a version number, a limit) are replaced only when they are the whole parameter.
const minSubstring = 8

// NewTemplate replaces the sample's values in stmts' parameters by placeholders.
func NewTemplate(stmts []Statement, sample Values) *Template {
	names := make([]string, 0, len(sample))
	for k := range sample {
		names = append(names, k)
	}
	// Longest values first, so a value containing another is replaced whole.
	sort.Slice(names, func(i, j int) bool { return len(sample[names[i]]) > len(sample[names[j]]) })
	t := &Template{}
	for _, st := range stmts {
		// The floor and pgbench replay the statement's work, not rocksteady's answer: a
		// stale auto-save must not fail the floor's request or abort a pgbench client.
		c := Statement{SQL: sqlgen.WithoutRefusal(st.SQL), Simple: st.Simple}
		for _, p := range st.Params {
			if p == nil {
				c.Params = append(c.Params, nil)
				continue
			}
			v := *p
			whole := false
			for _, n := range names {
				if v == sample[n] && v != "" {
					v, whole = mark+n+mark, true
					break
				}
			}
			if !whole {
				for _, n := range names {
					if sv := sample[n]; len(sv) >= minSubstring {
						v = strings.ReplaceAll(v, sv, mark+n+mark)
					}
				}
			}
			c.Params = append(c.Params, &v)
		}
		t.Statements = append(t.Statements, c)
	}
	return t
}

// Main is the transaction's main statement (nil if none was captured).
func (t *Template) Main() *Statement {
	for i := range t.Statements {
		if t.Statements[i].Kind() == "main" {
			return &t.Statements[i]
		}
	}
	return nil
}

// Explicit says whether the transaction had BEGIN … COMMIT/ROLLBACK.
func (t *Template) Explicit() bool {
	return len(t.Statements) > 0 && t.Statements[0].Kind() == "begin"
}

// Render fills s's placeholders with vals; the result holds text parameters (nil = NULL).
func Render(s *Statement, vals Values) [][]byte {
	out := make([][]byte, len(s.Params))
	for i, p := range s.Params {
		if p == nil {
			continue
		}
		out[i] = []byte(Fill(*p, vals))
	}
	return out
}

// Fill replaces the placeholders in v.
func Fill(v string, vals Values) string {
	if !strings.Contains(v, mark) {
		return v
	}
	var b strings.Builder
	for {
		i := strings.Index(v, mark)
		if i < 0 {
			b.WriteString(v)
			return b.String()
		}
		b.WriteString(v[:i])
		rest := v[i+1:]
		j := strings.Index(rest, mark)
		if j < 0 {
			b.WriteString(v[i:])
			return b.String()
		}
		b.WriteString(vals[rest[:j]])
		v = rest[j+1:]
	}
}

var paramRef = regexp.MustCompile(`\$(\d+)`)

// Inline returns s's SQL with each $n replaced by its value as an escape-string literal
// (E'…', colons escaped so pgbench does not take them for variables). A quoted literal has
// type unknown, as an untyped parameter does, so PostgreSQL infers the same types.
func Inline(s *Statement, vals Values) string {
	args := Render(s, vals)
	return paramRef.ReplaceAllStringFunc(s.SQL, func(ref string) string {
		n, _ := strconv.Atoi(ref[1:])
		if n < 1 || n > len(args) {
			return ref
		}
		if args[n-1] == nil {
			return "NULL"
		}
		return Literal(string(args[n-1]))
	})
}

// Literal quotes v as E'…' with backslashes, quotes and colons escaped.
func Literal(v string) string {
	var b strings.Builder
	b.WriteString("E'")
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '\'':
			b.WriteString(`\'`)
		case ':':
			b.WriteString(`\x3a`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// Names lists the placeholders s's parameters use.
func Names(s *Statement) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range s.Params {
		if p == nil {
			continue
		}
		parts := strings.Split(*p, mark)
		for i := 1; i < len(parts); i += 2 {
			if !seen[parts[i]] {
				seen[parts[i]] = true
				out = append(out, parts[i])
			}
		}
	}
	sort.Strings(out)
	return out
}
