package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// headersJSONReference is request.headers as encoding/json renders the map; headersJSON
// must write the same bytes.
func headersJSONReference(h http.Header) string {
	m := make(map[string]string, len(h))
	for k, vs := range h {
		if k == "Cookie" || len(vs) == 0 {
			continue
		}
		m[strings.ToLower(k)] = vs[len(vs)-1]
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func TestHeadersJSONMatchesEncodingJSON(t *testing.T) {
	for _, h := range []http.Header{
		{},
		{"Cookie": {"a=b"}},
		{"Accept": {"*/*"}, "Apikey": {"eyJ.x.y"}, "Authorization": {"Bearer eyJ.x.y"}, "Cookie": {"a=b"}},
		{"X-Many": {"first", "second", "last"}, "X-None": {}},
		{"Referer": {"https://app.example/?a=1&b=<2>"}, "X-Quote": {`say "hi" \ bye`}},
		{"X-Ctl": {"tab\there\x01\x7f"}, "X-Utf8": {"café ✓ \u2028 \u2029"}, "X-Bad": {"\xff\xfe"}},
		{"X-Weird&Name": {"v"}, "x-lower": {"v"}, "Zz": {""}, "A": {"1"}},
		{"X-Same": {"v"}, "x-same": {"v"}},
		{"X-Ünïcode": {"v"}, "ΣΑΣ": {"w"}, "X-\xff": {"x"}},
	} {
		if got, want := headersJSON(h), headersJSONReference(h); got != want {
			t.Errorf("headersJSON(%v)\n got %s\nwant %s", h, got, want)
		}
	}
}

func FuzzHeadersJSON(f *testing.F) {
	f.Add("Authorization", "Bearer eyJ.x.y", "X-Client-Info", "supabase-js/2.109.0", "v2")
	f.Add("Cookie", "a=b", "referer", "https://x/?a=1&b=2", "<>")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2, v3 string) {
		if strings.EqualFold(k1, k2) {
			k2 += "-2" // names equal but for case collide in the map in no set order
		}
		h := http.Header{k1: {v1, v3}, k2: {v2}}
		if got, want := headersJSON(h), headersJSONReference(h); got != want {
			t.Fatalf("headersJSON(%q)\n got %s\nwant %s", h, got, want)
		}
	})
}

func BenchmarkHeadersJSON(b *testing.B) {
	jwt := "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + strings.Repeat("eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMGEi", 8) + ".c2lnbmF0dXJl"
	h := http.Header{
		"Apikey": {jwt}, "Authorization": {"Bearer " + jwt},
		"X-Client-Info":  {"supabase-js/2.109.0; runtime=node; runtime-version=20.20.2"},
		"Accept-Profile": {"public"}, "Accept": {"*/*"}, "Accept-Encoding": {"gzip, deflate"},
		"Accept-Language": {"*"}, "Sec-Fetch-Mode": {"cors"}, "User-Agent": {"node"},
	}
	b.ReportAllocs()
	for b.Loop() {
		headersJSON(h)
	}
}
