package load

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The driver's own HTTP/1.1: bodies with a length or chunked, HEAD, a server that closes
// the connection, and a request that outlives its deadline.
func TestClientsSpeakHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/echo":
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte(r.Method + " " + r.URL.RawQuery + " " + r.Header.Get("X-Token") + " " + string(body)))
		case "/chunked":
			w.Write([]byte(strings.Repeat("a", 5000))) // over net/http's buffer: sent chunked
			w.(http.Flusher).Flush()
			w.Write([]byte("b"))
		case "/close":
			w.Header().Set("Connection", "close")
			w.WriteHeader(http.StatusTeapot)
			w.Write([]byte("bye"))
		case "/slow":
			time.Sleep(300 * time.Millisecond)
		}
	}))
	defer srv.Close()
	cs := NewClients(1, 1)
	defer cs.CloseIdle()
	ctx := context.Background()
	call := func(method, path, body string, timeout time.Duration) (int, string, error) {
		cctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		r := Request{Method: method, URL: srv.URL + path, Header: http.Header{"X-Token": {"t1"}}}
		if body != "" {
			r.Body = []byte(body)
		}
		status, b, err := cs.do(cctx, r)
		return status, string(b), err
	}
	for range 2 { // the second round reuses the connection
		if s, b, err := call("PATCH", "/echo?id=eq.1", `{"x":1}`, time.Second); err != nil || s != 200 || b != `PATCH id=eq.1 t1 {"x":1}` {
			t.Fatalf("echo: %d %q %v", s, b, err)
		}
		if s, b, err := call("GET", "/chunked", "", time.Second); err != nil || s != 200 || b != strings.Repeat("a", 5000)+"b" {
			t.Fatalf("chunked: %d %d bytes %v", s, len(b), err)
		}
		if s, b, err := call("HEAD", "/echo", "", time.Second); err != nil || s != 200 || b != "" {
			t.Fatalf("head: %d %q %v", s, b, err)
		}
		if s, b, err := call("GET", "/close", "", time.Second); err != nil || s != http.StatusTeapot || b != "bye" {
			t.Fatalf("close: %d %q %v", s, b, err)
		}
	}
	if _, _, err := call("GET", "/slow", "", 50*time.Millisecond); err == nil {
		t.Fatal("a request past its deadline succeeded")
	}
	// The connection that timed out is not reused half-read.
	if s, b, err := call("GET", "/echo", "", time.Second); err != nil || s != 200 || b != "GET  t1 " {
		t.Fatalf("after a timeout: %d %q %v", s, b, err)
	}
}
