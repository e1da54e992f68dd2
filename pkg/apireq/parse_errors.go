package apireq

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rocksteady/rocksteady/pkg/apierr"
)

// Rendering of parse errors the way PostgREST shows Parsec's: the PGRST100 message
// `"<description> (<input>)" (line L, column C)` and the one-line details
// `unexpected X expecting A, B or C`, with Haskell's show for the offending character.

// label is an "expecting …" entry.
type label uint8

const (
	labNone label = iota
	labLetter
	labDigit
	labEndOfInput
	labFieldName
	labOperator
	labNot
	labDelimiter
	labNegation
	labLogicOp
	labIsVal
	labJSONKey
	labUnknownOperator
	labQuote
	labBackslash
	labOpenParen
	labCloseParen
	labComma
	labDash
	labGT
	labColon
	labBang
	labOpenBrace
	labCloseBrace
	labArrow2
	labArrow
	labCast
	labSpread
	labCountCall
	labCallParens
	labAsc
	labDesc
	labNullsFirst
	labNullsLast
	labIn
	labIs
	labIsDistinct
	labAny
	labAll
	labAnd
	labOr
	labLeft
	labInner
	labSum
	labAvg
	labCount
	labMax
	labMin
	labDot
	labStar
	labTooDeep
	// labOpBase+i is the label of string operatorNames[i].
	labOpBase
)

var labelText = [...]string{
	labLetter:          "letter",
	labDigit:           "digit",
	labEndOfInput:      "end of input",
	labFieldName:       "field name (* or [a..z0..9_$])",
	labOperator:        "operator (eq, gt, ...)",
	labNot:             `"not"`,
	labDelimiter:       "delimiter (.)",
	labNegation:        "negation operator (not)",
	labLogicOp:         "logic operator (and, or)",
	labIsVal:           "isVal: (null, not_null, true, false, unknown)",
	labJSONKey:         "any non reserved character different from: .,>()",
	labUnknownOperator: "unknown single value operator",
	labQuote:           `"\""`,
	labBackslash:       `"\\"`,
	labOpenParen:       `"("`,
	labCloseParen:      `")"`,
	labComma:           `","`,
	labDash:            `"-"`,
	labGT:              `">"`,
	labColon:           `":"`,
	labBang:            `"!"`,
	labOpenBrace:       `"{"`,
	labCloseBrace:      `"}"`,
	labArrow2:          `"->>"`,
	labArrow:           `"->"`,
	labCast:            `"::"`,
	labSpread:          `"..."`,
	labCountCall:       `"count()"`,
	labCallParens:      `"()"`,
	labAsc:             `"asc"`,
	labDesc:            `"desc"`,
	labNullsFirst:      `"nullsfirst"`,
	labNullsLast:       `"nullslast"`,
	labIn:              `"in"`,
	labIs:              `"is"`,
	labIsDistinct:      `"isdistinct"`,
	labAny:             `"any"`,
	labAll:             `"all"`,
	labAnd:             `"and"`,
	labOr:              `"or"`,
	labLeft:            `"left"`,
	labInner:           `"inner"`,
	labSum:             `"sum"`,
	labAvg:             `"avg"`,
	labCount:           `"count"`,
	labMax:             `"max"`,
	labMin:             `"min"`,
	labDot:             `"."`,
	labStar:            `"*"`,
	labTooDeep:         "nesting deeper than 100 levels is not supported",
}

func (l label) String() string {
	if l >= labOpBase {
		return `"` + Operator(l-labOpBase).String() + `"`
	}
	if int(l) < len(labelText) {
		return labelText[l]
	}
	return ""
}

func opLabel(o Operator) label { return labOpBase + label(o) }

// parseFailure renders the tracked error as PostgREST's PGRST100.
func (p *parser) parseFailure(description, input string) *apierr.Error {
	line, col := lineCol(p.s, p.err.pos)
	return apierr.Parse(description, input, line, col, p.err.render())
}

// lineCol converts a byte offset to Parsec's 1-based line and column (tabs advance to the
// next multiple of 8, plus one).
func lineCol(s string, pos int) (int, int) {
	line, col := 1, 1
	for i := 0; i < pos && i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '\n':
			line++
			col = 1
		case '\t':
			col = col + 8 - (col-1)%8
		default:
			col++
		}
		i += n
	}
	return line, col
}

// render is Parsec's showErrorMessages with PostgREST's newline-to-space folding.
func (e *perr) render() string {
	var parts []string
	if e.nUn == 0 && e.hasSys {
		if e.sys == eofRune {
			parts = append(parts, "unexpected end of input")
		} else {
			parts = append(parts, "unexpected "+hsShowString(e.sys))
		}
	}
	if e.nUn > 0 {
		items := make([]string, 0, e.nUn)
		for _, r := range e.un[:e.nUn] {
			if r == eofRune {
				items = append(items, "end of input")
			} else {
				items = append(items, hsShowChar(r))
			}
		}
		parts = append(parts, "unexpected "+commasOr(items))
	}
	if e.nExp > 0 {
		items := make([]string, 0, e.nExp)
		for _, l := range e.exp[:e.nExp] {
			items = append(items, l.String())
		}
		parts = append(parts, "expecting "+commasOr(items))
	}
	if e.msg != labNone {
		parts = append(parts, e.msg.String())
	}
	if len(parts) == 0 {
		return "unknown parse error"
	}
	return strings.Join(parts, " ")
}

func commasOr(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

var asciiNames = [...]string{
	"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "a", "b", "t", "n", "v", "f", "r", "SO", "SI",
	"DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
}

// hsEscape is Haskell's showLitChar for one character (without the surrounding quotes).
func hsEscape(r rune, quote rune) string {
	switch {
	case r == '\\':
		return `\\`
	case r == quote:
		return `\` + string(r)
	case r == 0x7f:
		return `\DEL`
	case r > 0x7f:
		return `\` + strconv.Itoa(int(r))
	case r >= ' ':
		return string(r)
	}
	return `\` + asciiNames[r]
}

// hsShowChar is Haskell's show for a Char: 'c'.
func hsShowChar(r rune) string { return "'" + hsEscape(r, '\'') + "'" }

// hsShowString is Haskell's show for a one-character String: "c".
func hsShowString(r rune) string { return `"` + hsEscape(r, '"') + `"` }
