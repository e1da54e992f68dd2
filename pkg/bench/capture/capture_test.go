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

// A schema reload on the same session just before the request, and the listener's session,
// must not end up in the request's template (they made pgbench replay the settings outside
// the request's transaction, and the floor run the reload's first query).
const reloadThenRequest = `2025-03-01 10:00:00.100 UTC [4242] LOG:  statement: begin isolation level repeatable read read only
2025-03-01 10:00:00.101 UTC [4242] LOG:  execute <unnamed>: SELECT set_config('search_path', '', true)
2025-03-01 10:00:00.102 UTC [4242] LOG:  execute <unnamed>: SELECT current_setting('server_version_num')::int
2025-03-01 10:00:00.103 UTC [4242] LOG:  statement: rollback
2025-03-01 10:00:00.104 UTC [4300] LOG:  statement: LISTEN "pgrst"
2025-03-01 10:00:00.110 UTC [4242] LOG:  statement: BEGIN
2025-03-01 10:00:00.111 UTC [4242] LOG:  execute <unnamed>: SELECT set_config($1, $2, true)
2025-03-01 10:00:00.111 UTC [4242] DETAIL:  parameters: $1 = 'role', $2 = 'authenticated'
2025-03-01 10:00:00.112 UTC [4300] LOG:  statement: SELECT 1
2025-03-01 10:00:00.113 UTC [4242] LOG:  execute <unnamed>: UPDATE t SET v = $1
2025-03-01 10:00:00.113 UTC [4242] DETAIL:  parameters: $1 = '3'
2025-03-01 10:00:00.114 UTC [4242] LOG:  statement: COMMIT
2025-03-01 10:00:00.115 UTC [4242] LOG:  statement: begin isolation level repeatable read read only
`

func TestRequestDropsOtherTransactions(t *testing.T) {
	stmts, err := Parse(strings.NewReader(reloadThenRequest))
	if err != nil {
		t.Fatal(err)
	}
	got := Request(stmts)
	var kinds []string
	for _, s := range got {
		kinds = append(kinds, s.Kind())
	}
	if strings.Join(kinds, ",") != "begin,settings,main,end" || got[2].SQL != "UPDATE t SET v = $1" {
		t.Fatalf("request transaction: %+v", got)
	}
	if m := NewTemplate(got, Values{}).Main(); m == nil || m.SQL != "UPDATE t SET v = $1" {
		t.Fatalf("main %+v", m)
	}
}
