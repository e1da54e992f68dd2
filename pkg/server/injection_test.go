package server_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

const canaryFixture = `
CREATE TABLE public.items (id int PRIMARY KEY, name text, data jsonb, tags text[]);
INSERT INTO public.items VALUES (1, 'one', '{"a":{"b":1}}', '{x,y}'), (2, 'two', '{"a":{"b":2}}', '{z}');
CREATE TABLE public.canary (secret text);
INSERT INTO public.canary VALUES ('CANARY-7f3a');
REVOKE ALL ON public.canary FROM anon, authenticated;
GRANT SELECT ON public.items TO anon;`

// hostile are values an attacker might try in any position of the grammar.
var hostile = []string{
	`'`, `''`, `"`, `\`, `;`, `--`, `/*`, `*/`, `'; DROP TABLE canary; --`,
	`1; DELETE FROM canary`, `1 OR 1=1`, `' OR '1'='1`, `) OR (1=1`, `id) FROM canary --`,
	`(SELECT secret FROM canary)`, `canary.secret`, `"canary"."secret"`, `::text`, `id::text); SELECT 1; --`,
	`$1`, `$$`, `$$; DROP TABLE canary; $$`, "\x00", "a\x00b", `ﬁd`, `ｉｄ`, `іd`,
	`99999999999999999999999999999999`, `-1e308`, `NaN`, `((((((((((`, `))))))))))`,
	`{"a":1}`, `{1,2`, `[1,2)`, `%`, `_`, `*`, `\'`, `E'\x41'`, `U&'\0041'`,
	`pg_sleep(5)`, `current_user`, `version()`, `set_config('role','postgres',true)`,
}

func TestHostileInputInEveryPosition(t *testing.T) {
	e := start(t, canaryFixture)
	var paths []string
	for _, h := range hostile {
		q := url.QueryEscape(h)
		paths = append(paths,
			"/items?select="+q,
			"/items?select=id,"+q,
			"/items?select="+q+":id",
			"/items?select=id::"+q,
			"/items?select=data->"+q,
			"/items?select=data->>"+q,
			"/items?select="+q+"(*)",
			"/items?"+q+"=eq.1",
			"/items?id=eq."+q,
			"/items?id="+q+".1",
			"/items?name=like."+q,
			"/items?name=in.("+q+")",
			"/items?name=in.(%22"+q+"%22,b)",
			"/items?tags=cs.{"+q+"}",
			"/items?data=cs."+q,
			"/items?name=fts("+q+").x",
			"/items?name=eq(any).{"+q+"}",
			"/items?or=(id.eq."+q+",name.eq.x)",
			"/items?or=("+q+".eq.1)",
			"/items?and=(or("+q+"))",
			"/items?order="+q,
			"/items?order=id."+q,
			"/items?order=data->"+q+".desc",
			"/items?limit="+q,
			"/items?offset="+q,
			"/"+url.PathEscape(h),
			"/items?data->"+q+"=eq.1",
			"/items?"+q+".order=id",
			"/items?columns="+q,
			"/items?on_conflict="+q,
		)
	}
	headers := [][]string{
		nil,
		{"Accept-Profile", "canary"},
		{"Prefer", "count=exact, " + "return=representation; DROP TABLE canary"},
		{"Accept", "text/csv; '--"},
		{"Range", "0-1; DROP"},
	}
	failures := 0
	for i, p := range paths {
		h := headers[i%len(headers)]
		r := e.do("GET", p, "", h...)
		if r.status >= 500 || strings.Contains(r.body, "CANARY-7f3a") {
			t.Errorf("GET %s %v → %d %s", p, h, r.status, r.body)
			failures++
		}
		if r.status >= 400 {
			var body map[string]any
			if err := json.Unmarshal([]byte(r.body), &body); err != nil || body["code"] == nil || body["message"] == nil {
				t.Errorf("GET %s → %d without a PostgREST error body: %s", p, r.status, r.body)
				failures++
			}
		}
		if failures > 10 {
			t.Fatal("too many failures")
		}
	}
	var n int
	var secret string
	e.db.QueryRow(t, `SELECT count(*), max(secret) FROM public.canary`, []any{&n, &secret})
	if n != 1 || secret != "CANARY-7f3a" {
		t.Fatalf("the canary changed: %d rows, %q", n, secret)
	}
	t.Logf("%d hostile requests, none reached beyond its role", len(paths))
}
