package schema

import (
	"fmt"
	"strconv"
)

// colSource is a column of some relation, by relation OID and attribute number.
type colSource struct {
	rel uint32
	att int
}

// viewTargets reads a view's stored query (pg_rewrite.ev_action as text, PostgreSQL's node
// tree notation) and returns, for each output column number, the relation column it shows
// unchanged. The parser records that origin in each top-level target entry (resorigtbl,
// resorigcol) after looking through joins, subqueries and CTEs; a referenced view shows up
// as the view itself and is followed by the caller. Computed output columns have no origin
// and are absent from the map, as are views whose query has no usable origins (UNION…).
//
// Only the first query's top-level target list is read. In the notation, tokens are
// separated by whitespace and the structural characters ( ) { }; a backslash escapes the
// next character, so structural characters inside names never count.
func viewTargets(action string) (map[int]colSource, error) {
	const (
		queryDepth = 2 // inside "(" of the list and "{QUERY"
		listDepth  = 3 // inside ":targetList ("
		entryDepth = 4 // inside "{TARGETENTRY"
	)
	out := map[int]colSource{}
	depth := 0
	inList, expectList := false, false
	field := ""
	var resno, origCol int
	var origTbl uint64
	var junk bool

	i := 0
	for i < len(action) {
		ch := action[i]
		switch ch {
		case ' ', '\t', '\n', '\r':
			i++
			continue
		case '(', '{':
			if inList && depth == entryDepth {
				field = "" // the field's value is a node or list
			}
			depth++
			i++
			if expectList && ch == '(' {
				inList, expectList = true, false
			}
			if inList && depth == entryDepth {
				resno, origTbl, origCol, junk = 0, 0, 0, false
				field = "node" // the next token is the node's type, TARGETENTRY
			}
			continue
		case ')', '}':
			if inList && depth == entryDepth && ch == '}' && !junk && resno > 0 && origTbl != 0 && origCol > 0 {
				out[resno] = colSource{rel: uint32(origTbl), att: origCol}
			}
			if inList && depth == listDepth && ch == ')' {
				return out, nil
			}
			depth--
			i++
			continue
		}
		start := i
		for i < len(action) {
			c := action[i]
			if c == '\\' {
				i += 2
				continue
			}
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' || c == '{' || c == '}' {
				break
			}
			i++
		}
		if i > len(action) {
			i = len(action)
		}
		tok := action[start:i]
		switch {
		case depth == queryDepth && !inList:
			if expectList { // ":targetList <>": no columns
				return out, nil
			}
			if tok == ":targetList" {
				expectList = true
			}
		case inList && depth == entryDepth:
			// Field names and values alternate; a value may itself start with ':' (a
			// column named ":resno"), so position decides, not spelling.
			if field == "" {
				field = tok
				continue
			}
			var err error
			switch field {
			case ":resno":
				resno, err = strconv.Atoi(tok)
			case ":resorigtbl":
				origTbl, err = strconv.ParseUint(tok, 10, 32)
			case ":resorigcol":
				origCol, err = strconv.Atoi(tok)
			case ":resjunk":
				junk = tok == "true"
			}
			if err != nil {
				return nil, fmt.Errorf("view query: bad %s %q", field, tok)
			}
			field = ""
		}
	}
	if !inList {
		return out, nil
	}
	return nil, fmt.Errorf("view query: unterminated target list")
}
