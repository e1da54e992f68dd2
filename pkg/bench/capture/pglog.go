package capture

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Statement is one logged statement and its parameters (nil for NULL).
type Statement struct {
	SQL    string
	Params []*string
	// Simple is true for the simple query protocol (no parameters possible).
	Simple bool
	// Pid is the backend that ran it.
	Pid int `json:"-"`
}

// Kind says what part of a request transaction s is.
func (s Statement) Kind() string {
	q := strings.ToUpper(strings.TrimSpace(s.SQL))
	switch {
	case strings.HasPrefix(q, "BEGIN"), strings.HasPrefix(q, "START TRANSACTION"):
		return "begin"
	case q == "COMMIT" || q == "ROLLBACK" || q == "END":
		return "end"
	case strings.HasPrefix(q, "SELECT SET_CONFIG("):
		return "settings"
	}
	return "main"
}

// Request picks one request's transaction out of everything logged while it ran: other
// sessions' statements (the schema listener) and other transactions on the same session
// (a schema-cache reload that started with the listener, just before the request) are
// dropped. A request's settings statement is the last parameterized set_config statement;
// its transaction is that statement (with the BEGIN right before it, if any) up to its
// COMMIT/ROLLBACK or the next transaction's start.
func Request(stmts []Statement) []Statement {
	at := -1
	for i := len(stmts) - 1; i >= 0; i-- {
		if stmts[i].Kind() == "settings" && len(stmts[i].Params) > 0 {
			at = i
			break
		}
	}
	if at < 0 {
		return stmts
	}
	pid := stmts[at].Pid
	var out []Statement
	for i := at - 1; i >= 0; i-- {
		if stmts[i].Pid != pid {
			continue
		}
		if stmts[i].Kind() == "begin" {
			out = append(out, stmts[i])
		}
		break
	}
	out = append(out, stmts[at])
	for _, st := range stmts[at+1:] {
		if st.Pid != pid {
			continue
		}
		k := st.Kind()
		if k == "begin" || k == "settings" || strings.HasPrefix(strings.TrimSpace(st.SQL), "--") {
			break
		}
		out = append(out, st)
		if k == "end" {
			break
		}
	}
	return out
}

// lineStart matches the default log_line_prefix ('%m [%p] ') and the message level.
var lineStart = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (\w+):  (.*)$`)

// Parse reads log entries and returns the statements in order. Entries are joined with
// their continuation lines (which start with a tab).
func Parse(r io.Reader) ([]Statement, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	type entry struct {
		level, text string
		pid         int
	}
	var entries []entry
	for sc.Scan() {
		line := sc.Text()
		if m := lineStart.FindStringSubmatch(line); m != nil {
			pid, _ := strconv.Atoi(m[1])
			entries = append(entries, entry{m[2], m[3], pid})
		} else if len(entries) > 0 {
			entries[len(entries)-1].text += "\n" + strings.TrimPrefix(line, "\t")
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	var out []Statement
	for _, e := range entries {
		switch {
		case e.level == "LOG" && strings.HasPrefix(e.text, "statement: "):
			out = append(out, Statement{SQL: strings.TrimPrefix(e.text, "statement: "), Simple: true, Pid: e.pid})
		case e.level == "LOG" && strings.HasPrefix(e.text, "execute "):
			_, sql, ok := strings.Cut(e.text, ": ")
			if !ok {
				return nil, fmt.Errorf("capture: odd execute entry %q", e.text)
			}
			out = append(out, Statement{SQL: sql, Pid: e.pid})
		case e.level == "DETAIL" && strings.HasPrefix(e.text, "parameters: ") && len(out) > 0:
			ps, err := parseParams(strings.TrimPrefix(e.text, "parameters: "))
			if err != nil {
				return nil, err
			}
			out[len(out)-1].Params = ps
		}
	}
	return out, nil
}

// parseParams reads `$1 = 'a”b', $2 = NULL, …`.
func parseParams(s string) ([]*string, error) {
	var out []*string
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == ',') {
			i++
		}
		if i == len(s) {
			break
		}
		eq := strings.Index(s[i:], " = ")
		if s[i] != '$' || eq < 0 {
			return nil, fmt.Errorf("capture: odd parameters at %q", s[i:])
		}
		i += eq + 3
		if strings.HasPrefix(s[i:], "NULL") {
			out = append(out, nil)
			i += 4
			continue
		}
		if i >= len(s) || s[i] != '\'' {
			return nil, fmt.Errorf("capture: odd parameter value at %q", s[i:])
		}
		i++
		var b strings.Builder
		for {
			if i >= len(s) {
				return nil, fmt.Errorf("capture: unterminated parameter")
			}
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					b.WriteByte('\'')
					i += 2
					continue
				}
				i++
				break
			}
			b.WriteByte(s[i])
			i++
		}
		v := b.String()
		out = append(out, &v)
	}
	return out, nil
}
