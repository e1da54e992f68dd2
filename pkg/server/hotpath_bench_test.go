package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// The hot path: a supabase-js point read by primary key as a signed-in user, with the
// headers the client sends (§5.2 of the supabase-js wire notes), as a list (.eq()) and as
// an object (.single()). Run with
//
//	go test ./pkg/server -run '^$' -bench PointRead -benchmem
//
// "handler" calls the API handler in process (the pipeline, echo and the database round
// trip, no HTTP client or socket); "http" goes over loopback with a keep-alive client.

const benchDocument = `INSERT INTO documents(id, title, content, user_id, created_at, updated_at) VALUES
	('d1000000-0000-4000-8000-000000000001', 'Opening Scene', '{"type":"doc","content":[{"type":"paragraph","text":"INT. DINER - NIGHT"}]}', '` + alice + `', '2024-01-01T09:00:00Z', '2024-01-05T09:00:00Z')`

const benchPath = "/rest/v1/documents?select=*&id=eq.d1000000-0000-4000-8000-000000000001"

func pointReadHeaders(e *env, accept string) http.Header {
	return http.Header{
		"Apikey":          {e.anonKey},
		"Authorization":   {"Bearer " + e.userToken(alice)},
		"X-Client-Info":   {"supabase-js/2.109.0; runtime=node; runtime-version=20.20.2"},
		"Accept-Profile":  {"public"},
		"Accept":          {accept},
		"Accept-Encoding": {"gzip, deflate"},
		"Accept-Language": {"*"},
		"Sec-Fetch-Mode":  {"cors"},
		"User-Agent":      {"node"},
	}
}

func BenchmarkPointRead(b *testing.B) {
	e := start(b, benchDocument)
	for _, v := range []struct{ name, accept string }{
		{"list", "*/*"},
		{"object", "application/vnd.pgrst.object+json"},
	} {
		h := pointReadHeaders(e, v.accept)
		b.Run(v.name+"/handler", func(b *testing.B) {
			check := func(w *httptest.ResponseRecorder) {
				if w.Code != http.StatusOK || w.Body.Len() < 100 {
					b.Fatalf("%d %s", w.Code, w.Body)
				}
			}
			req := func() *http.Request {
				r := httptest.NewRequest("GET", benchPath, nil)
				r.Header = h.Clone()
				return r
			}
			w := httptest.NewRecorder()
			e.handler.ServeHTTP(w, req())
			check(w)
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				e.handler.ServeHTTP(w, req())
				check(w)
			}
		})
		// Many clients at once, as under load: the per-request CPU that bounds throughput.
		b.Run(v.name+"/parallel", func(b *testing.B) {
			b.SetParallelism(4)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					r := httptest.NewRequest("GET", benchPath, nil)
					r.Header = h.Clone()
					w := httptest.NewRecorder()
					e.handler.ServeHTTP(w, r)
					if w.Code != http.StatusOK || w.Body.Len() < 100 {
						b.Errorf("%d %s", w.Code, w.Body)
						return
					}
				}
			})
		})
		b.Run(v.name+"/http", func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}}
			defer client.CloseIdleConnections()
			b.ReportAllocs()
			for b.Loop() {
				req, err := http.NewRequest("GET", e.base+benchPath, nil)
				if err != nil {
					b.Fatal(err)
				}
				req.Header = h.Clone()
				res, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				n, _ := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK || n < 100 {
					b.Fatalf("status %d, %d bytes", res.StatusCode, n)
				}
			}
		})
	}
}
