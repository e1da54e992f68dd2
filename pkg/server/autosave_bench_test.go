//go:build unix

package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The seed's auto-save as supabase-js sends it: PATCH with .select().single(), the
// version in the filter. The body writes the version back unchanged, so every request
// finds its row current and updates it. Run with
//
//	go test ./pkg/server -run '^$' -bench AutoSave -benchmem
func BenchmarkAutoSave(b *testing.B) {
	e := start(b, benchDocument)
	h := pointReadHeaders(e, "application/vnd.pgrst.object+json")
	h.Set("Content-Type", "application/json")
	h.Set("Prefer", "return=representation")
	path := "/rest/v1/documents?id=eq." + benchDocID + "&user_id=eq." + alice + "&auto_save_version=eq.1&select=*"
	body := `{"content":{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"` +
		strings.Repeat("INT. DINER - NIGHT. Rain against the glass. ", 12) +
		`"}]}]},"auto_save_version":1,"updated_at":"2026-03-01T10:00:00.000Z"}`
	serve := func(b *testing.B) {
		r := httptest.NewRequest("PATCH", path, strings.NewReader(body))
		r.Header = h.Clone()
		w := httptest.NewRecorder()
		e.handler.ServeHTTP(w, r)
		if w.Code != http.StatusOK || w.Body.Len() < 100 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	serve(b)
	b.Run("handler", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b)()
		for b.Loop() {
			serve(b)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.SetParallelism(4)
		b.ReportAllocs()
		defer reportCPU(b)()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				serve(b)
			}
		})
	})
}
