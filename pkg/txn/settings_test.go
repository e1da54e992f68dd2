package txn

import (
	"strings"
	"testing"
)

func TestSettingsStatementArgs(t *testing.T) {
	q := &Query{ReadOnly: true, Settings: []Setting{{"role", "authenticated"}, {"response.status", ""}}}
	sql, args := settingsStatement(q, false)
	if sql != "SELECT set_config($1, $2, true), set_config($3, $4, true), set_config($5, $6, true)" {
		t.Fatal(sql)
	}
	want := []string{"transaction_read_only", "on", "role", "authenticated", "response.status", ""}
	if len(args) != len(want) {
		t.Fatalf("%d args", len(args))
	}
	for i, a := range args {
		// An empty value is the empty string; a nil one would be NULL.
		if a == nil || string(a) != want[i] {
			t.Fatalf("arg %d = %q (nil %v), want %q", i, a, a == nil, want[i])
		}
	}
	if _, args := settingsStatement(q, true); len(args) != 4 || string(args[0]) != "role" {
		t.Fatalf("explicit transaction: %q", args)
	}
}

// BenchmarkSettingsStatement builds the settings of a signed-in supabase-js read: about
// fifteen set_config pairs, two of them (claims, headers) a kilobyte or so.
func BenchmarkSettingsStatement(b *testing.B) {
	jwt := strings.Repeat("x", 400)
	q := &Query{ReadOnly: true, Settings: []Setting{
		{"search_path", `"public"`}, {"role", "authenticated"},
		{"request.jwt.claims", `{"aud":"authenticated","email":"alice@example.com","role":"authenticated","sub":"` + jwt[:36] + `"}`},
		{"request.jwt.claim.sub", ""}, {"request.jwt.claim.role", ""}, {"request.jwt.claim.email", ""},
		{"response.headers", ""}, {"response.status", ""},
		{"request.method", "GET"}, {"request.path", "/rest/v1/documents"},
		{"request.headers", `{"accept":"*/*","apikey":"` + jwt + `","authorization":"Bearer ` + jwt + `"}`},
		{"request.cookies", "{}"},
	}}
	b.ReportAllocs()
	for b.Loop() {
		if sql, args := settingsStatement(q, false); sql == "" || len(args) != 2*13 {
			b.Fatal(sql, len(args))
		}
	}
}
