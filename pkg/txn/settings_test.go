package txn

import (
	"strings"
	"testing"
)

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
