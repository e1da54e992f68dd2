package apireq

import (
	"net/http"
	"testing"
)

// supabaseHeaders are the headers supabase-js sends on a plain select.
func supabaseHeaders() http.Header {
	return http.Header{
		"Apikey":          {"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.sig"},
		"Authorization":   {"Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.sig"},
		"X-Client-Info":   {"supabase-js/2.109.0; runtime=node; runtime-version=20.20.2"},
		"Accept-Profile":  {"public"},
		"Accept":          {"*/*"},
		"Accept-Encoding": {"gzip, deflate"},
	}
}

var benchOpts = Options{Schemas: []string{"public"}}

// The typical supabase-js read: .select('id,title,created_at').eq('user_id', U)
// .order('created_at', {ascending: false}).limit(20).
func BenchmarkParseTypical(b *testing.B) {
	h := supabaseHeaders()
	const q = "select=id%2Ctitle%2Ccreated_at&user_id=eq.2b9c8d2e-4a1f-4e7b-9a53-0c1d2e3f4a5b&order=created_at.desc&limit=20"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("GET", "/rest/v1/posts", q, h, nil, benchOpts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseInsert(b *testing.B) {
	h := supabaseHeaders()
	h.Set("Content-Profile", "public")
	h.Set("Content-Type", "application/json")
	h.Set("Prefer", "return=representation")
	h.Set("Accept", "application/vnd.pgrst.object+json")
	body := []byte(`{"title":"hello","user_id":"2b9c8d2e-4a1f-4e7b-9a53-0c1d2e3f4a5b"}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("POST", "/rest/v1/posts", "select=id", h, body, benchOpts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseEmbedsAndLogic(b *testing.B) {
	h := supabaseHeaders()
	const q = "select=id,name,owner:users!inner(id,email),tasks(id,title,done)&tasks.order=created_at.desc&tasks.limit=5" +
		"&or=(status.eq.open,and(priority.gte.3,due_at.lt.2026-01-01))&name=ilike.*plan*&id=in.(1,2,3,4,5)"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("GET", "/rest/v1/projects", q, h, nil, benchOpts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseSelect(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseSelect("id,title,created_at,author:users(id,name)"); err != nil {
			b.Fatal(err)
		}
	}
}

// The error path parses twice (the second time tracking Parsec-style errors).
func BenchmarkParseFilterError(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseFilter("id", "noop.0"); err == nil {
			b.Fatal("no error")
		}
	}
}
