package pgbench

import (
	"strings"
	"testing"

	"github.com/rocksteady/rocksteady/pkg/bench/capture"
)

func TestScriptPipelinesUpToTheMainStatement(t *testing.T) {
	s1, s2 := "role", "2"
	tpl := &capture.Template{Statements: []capture.Statement{
		{SQL: "BEGIN"},
		{SQL: "SELECT set_config($1, 'x', true)", Params: []*string{&s1}},
		{SQL: "UPDATE t SET v = $1", Params: []*string{&s2}},
		{SQL: "COMMIT", Simple: true},
	}}
	got := Script(tpl, nil)
	want := "\\startpipeline\nBEGIN;\nSELECT set_config(E'role', 'x', true);\nUPDATE t SET v = E'2';\n\\endpipeline\nCOMMIT;\n"
	if got != want {
		t.Fatalf("script:\n%s\nwant:\n%s", got, want)
	}
	if strings.Count(got, "\\endpipeline") != 1 {
		t.Fatal("one pipeline expected")
	}
}
