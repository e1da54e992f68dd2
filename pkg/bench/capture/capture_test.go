package capture

import (
	"strings"
	"testing"
)

const sampleLog = `2025-03-01 10:00:00.123 UTC [4242] LOG:  execute <unnamed>: SELECT set_config($1, $2, true), set_config($3, $4, true)
2025-03-01 10:00:00.123 UTC [4242] DETAIL:  parameters: $1 = 'role', $2 = 'authenticated', $3 = 'request.jwt.claims', $4 = '{"sub":"a0000000-0000-4000-8000-000000000001","n":"it''s"}'
2025-03-01 10:00:00.124 UTC [4242] LOG:  execute <unnamed>: SELECT x
	FROM t WHERE id = $1 AND v = $2 AND w = $3
2025-03-01 10:00:00.124 UTC [4242] DETAIL:  parameters: $1 = 'd0000000-0000-4000-8000-000000000007', $2 = '3', $3 = NULL
2025-03-01 10:00:00.125 UTC [4242] LOG:  statement: COMMIT
`

func TestParseAndTemplate(t *testing.T) {
	stmts, err := Parse(strings.NewReader(sampleLog))
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != 3 || stmts[0].Kind() != "settings" || stmts[1].Kind() != "main" || stmts[2].Kind() != "end" || !stmts[2].Simple {
		t.Fatalf("statements: %+v", stmts)
	}
	if got := *stmts[0].Params[3]; got != `{"sub":"a0000000-0000-4000-8000-000000000001","n":"it's"}` {
		t.Fatalf("claims %q", got)
	}
	if stmts[1].SQL != "SELECT x\nFROM t WHERE id = $1 AND v = $2 AND w = $3" || stmts[1].Params[2] != nil {
		t.Fatalf("main %+v", stmts[1])
	}
	tpl := NewTemplate(stmts, Values{"user": "a0000000-0000-4000-8000-000000000001",
		"doc": "d0000000-0000-4000-8000-000000000007", "version": "3"})
	other := Values{"user": "a0000000-0000-4000-8000-000000000002", "doc": "d0000000-0000-4000-8000-000000000009", "version": "12"}
	args := Render(tpl.Main(), other)
	if string(args[0]) != other["doc"] || string(args[1]) != "12" || args[2] != nil {
		t.Fatalf("rendered %q", args)
	}
	claims := string(Render(&tpl.Statements[0], other)[3])
	if !strings.Contains(claims, other["user"]) {
		t.Fatalf("claims not re-targeted: %s", claims)
	}
	if got := Inline(&tpl.Statements[0], other); !strings.Contains(got, `E'{"sub"\x3a"a0000000-0000-4000-8000-000000000002","n"\x3a"it\'s"}'`) {
		t.Fatalf("inline %s", got)
	}
	if got := Inline(tpl.Main(), other); !strings.HasSuffix(got, "v = E'12' AND w = NULL") {
		t.Fatalf("inline %s", got)
	}
}
