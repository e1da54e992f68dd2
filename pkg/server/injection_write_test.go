package server_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The hostile corpus in every position writes and RPC accept (issue 9): on_conflict,
// columns, JSON body keys and values, CSV header names, RPC argument names and values,
// Prefer values, profile headers, select= on writes, write filters. Nothing may touch the
// canary or read it, and nothing may give a 500.

const writeCanaryFixture = canaryFixture + `
CREATE TABLE public.wr (id int PRIMARY KEY, name text, data jsonb);
INSERT INTO public.wr VALUES (1, 'one', '{}');
GRANT ALL ON public.wr TO authenticated;
CREATE FUNCTION public.echo(a text, b int DEFAULT 0) RETURNS text LANGUAGE sql AS $$ SELECT a || b $$;
CREATE FUNCTION public.echo_json(payload json) RETURNS json LANGUAGE sql AS $$ SELECT payload $$;
REVOKE EXECUTE ON FUNCTION public.echo(text, int), public.echo_json(json) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.echo(text, int), public.echo_json(json) TO authenticated;`

type hostileCase struct {
	position, method, path, body string
	headers                      []string
}

// jsonKey is h as a JSON string (NUL and quotes escaped as JSON requires).
func jsonKey(h string) string {
	b, _ := json.Marshal(h)
	return string(b)
}

func csvHeader(h string) string {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"id", h})
	_ = w.Write([]string{"7", "x"})
	w.Flush()
	return buf.String()
}

func hostileWriteCases() []hostileCase {
	var cs []hostileCase
	js := []string{"Content-Type", "application/json"}
	repr := []string{"Prefer", "return=representation"}
	add := func(position, method, path, body string, headers ...string) {
		cs = append(cs, hostileCase{position, method, path, body, headers})
	}
	for _, h := range hostile {
		q := url.QueryEscape(h)
		k := jsonKey(h)
		add("on_conflict", "POST", "/wr?on_conflict="+q, `{"id":1,"name":"x"}`, "Prefer", "resolution=merge-duplicates")
		add("on_conflict list", "POST", "/wr?on_conflict=id,"+q, `{"id":1,"name":"x"}`, "Prefer", "resolution=ignore-duplicates")
		add("columns", "POST", "/wr?columns="+q, `{"id":2,"name":"x"}`)
		add("columns list", "POST", "/wr?columns=id,"+q, `[{"id":3,"name":"x"}]`)
		add("body key", "POST", "/wr", `{`+k+`:1,"id":4}`, js...)
		add("body key bulk", "POST", "/wr", `[{"id":5,`+k+`:1}]`, js...)
		add("body value", "POST", "/wr?select=name", `{"id":6,"name":`+k+`,"data":{`+k+`:`+k+`}}`, repr...)
		add("patch body key", "PATCH", "/wr?id=eq.1", `{`+k+`:"x"}`)
		add("patch body value", "PATCH", "/wr?id=eq.1", `{"name":`+k+`}`)
		add("csv header", "POST", "/wr", csvHeader(h), "Content-Type", "text/csv")
		add("csv raw header", "POST", "/wr", "id,"+h+"\n8,x\n", "Content-Type", "text/csv")
		add("csv value", "POST", "/wr", "id,name\n7,"+csvQuote(h)+"\n", "Content-Type", "text/csv")
		add("rpc arg name (query)", "GET", "/rpc/echo?a=x&"+q+"=1", "")
		add("rpc arg name (json)", "POST", "/rpc/echo", `{"a":"x",`+k+`:1}`, js...)
		add("rpc arg value (query)", "GET", "/rpc/echo?a="+q, "")
		add("rpc arg value (json)", "POST", "/rpc/echo?select="+q, `{"a":`+k+`}`, js...)
		add("rpc single json arg", "POST", "/rpc/echo_json", `{`+k+`:`+k+`}`, "Prefer", "params=single-object")
		add("rpc function name", "POST", "/rpc/"+url.PathEscape(h), `{}`, js...)
		add("prefer", "POST", "/wr", `{"id":9}`, "Prefer", h)
		add("prefer return", "POST", "/wr", `{"id":10}`, "Prefer", "return="+h)
		add("prefer resolution", "POST", "/wr", `{"id":11}`, "Prefer", "resolution="+h)
		add("prefer count", "PATCH", "/wr?id=eq.1", `{"name":"one"}`, "Prefer", "count="+h)
		add("prefer missing", "POST", "/wr?columns=id,name", `{"id":12}`, "Prefer", "missing="+h)
		add("prefer tx", "DELETE", "/wr?id=eq.999", "", "Prefer", "tx="+h)
		add("prefer max-affected", "DELETE", "/wr?id=eq.999", "", "Prefer", "handling=strict, max-affected="+h)
		add("prefer timezone", "GET", "/wr", "", "Prefer", "timezone="+h)
		add("prefer params", "POST", "/rpc/echo", `{"a":"x"}`, "Prefer", "params="+h)
		add("content-profile", "POST", "/wr", `{"id":13}`, "Content-Profile", h)
		add("accept-profile", "GET", "/rpc/echo?a=x", "", "Accept-Profile", h)
		add("content-profile rpc", "POST", "/rpc/echo", `{"a":"x"}`, "Content-Profile", h)
		add("select on insert", "POST", "/wr?select="+q, `{"id":14}`, repr...)
		add("select alias on insert", "POST", "/wr?select="+q+":name", `{"id":15}`, repr...)
		add("select on patch", "PATCH", "/wr?id=eq.1&select=id,"+q, `{"name":"one"}`, repr...)
		add("select on delete", "DELETE", "/wr?id=eq.999&select="+q, "", repr...)
		add("select cast on put", "PUT", "/wr?id=eq.1&select=id::"+q, `{"id":1,"name":"one"}`, repr...)
		add("order on patch", "PATCH", "/wr?id=eq.1&order="+q+"&limit=1", `{"name":"one"}`)
		add("patch filter", "PATCH", "/wr?"+q+"=eq.1", `{"name":"one"}`)
		add("patch value", "PATCH", "/wr?name=eq."+q, `{"name":"one"}`)
		add("delete filter", "DELETE", "/wr?or=("+q+".eq.1)", "")
		add("delete value", "DELETE", "/wr?name=in.("+q+")", "")
		add("put key", "PUT", "/wr?id=eq."+q, `{"id":1}`)
		add("content type", "POST", "/wr", `{"id":16}`, "Content-Type", h)
		add("accept on write", "POST", "/wr", `{"id":17}`, "Accept", h, "Prefer", "return=representation")
		add("cookie (request.cookies)", "POST", "/wr", `{"id":18}`, "Cookie", "session="+h)
		add("header (request.headers)", "PATCH", "/wr?id=eq.1", `{"name":"one"}`, "X-Custom", h)
		add("apikey query parameter", "GET", "/wr?apikey="+q, "")
		add("range on write", "PATCH", "/wr?id=eq.1", `{"name":"one"}`, "Range", "0-"+h)
	}
	return cs
}

// csvQuote quotes one CSV field.
func csvQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func TestHostileInputInWritesAndRPC(t *testing.T) {
	e := start(t, writeCanaryFixture)
	token := "Bearer " + e.userToken(alice)
	client := &http.Client{}
	cases := hostileWriteCases()
	sent, refused, accepted, unsendable := 0, 0, 0, 0
	failures := 0
	for _, c := range cases {
		var body io.Reader
		if c.body != "" {
			body = strings.NewReader(c.body)
		}
		req, err := http.NewRequest(c.method, e.base+c.path, body)
		if err != nil {
			unsendable++ // e.g. a NUL byte in the path
			continue
		}
		req.Header.Set("Authorization", token)
		for i := 0; i+1 < len(c.headers); i += 2 {
			req.Header.Add(c.headers[i], c.headers[i+1])
		}
		res, err := client.Do(req)
		if err != nil {
			unsendable++ // the client refuses NUL or CR/LF in a header value
			continue
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		sent++
		bad := ""
		switch {
		case res.StatusCode >= 500:
			bad = "a server error"
		case strings.Contains(string(b), "CANARY-7f3a"):
			bad = "the canary's secret"
		case res.StatusCode >= 400:
			refused++
			var eb map[string]any
			if json.Unmarshal(b, &eb) != nil || eb["code"] == nil || eb["message"] == nil {
				bad = "a 4xx without a PostgREST error body"
			}
		default:
			accepted++
		}
		if bad != "" {
			failures++
			t.Errorf("%s: %s %s %q → %s: %d %s", c.position, c.method, c.path, c.headers, bad, res.StatusCode, b)
			if failures > 15 {
				t.Fatal("too many failures")
			}
		}
	}
	var n int
	var secret string
	e.db.QueryRow(t, `SELECT count(*), max(secret) FROM public.canary`, []any{&n, &secret})
	if n != 1 || secret != "CANARY-7f3a" {
		t.Fatalf("the canary changed: %d rows, %q", n, secret)
	}
	// The only table the role may write holds nothing a hostile input could have produced
	// besides its own values: every row's columns are the table's three.
	if got := e.scalar(t, `SELECT count(*)::text FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('canary', 'wr', 'items')`); got != "3" {
		t.Fatalf("tables were dropped: %s remain", got)
	}
	t.Logf("%d hostile write/RPC requests (%d positions × %d inputs): %d refused with 4xx, %d harmless 2xx, %d not sendable by an HTTP client",
		len(cases), len(cases)/len(hostile), len(hostile), refused, accepted, unsendable)
}
