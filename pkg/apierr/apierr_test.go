package apierr

import "testing"

func TestBodyKeyOrderAndNulls(t *testing.T) {
	got := string(NoTable("test", "faketable", "").Body())
	want := `{"code":"PGRST205","details":null,"hint":null,"message":"Could not find the table 'test.faketable' in the schema cache"}`
	if got != want {
		t.Fatalf("body\n got %s\nwant %s", got, want)
	}
	if len(got) != 120 {
		t.Fatalf("PostgREST sends 120 bytes for this body, got %d", len(got))
	}
}

func TestParseMessage(t *testing.T) {
	e := Parse("failed to parse filter", "0", 1, 1, `unexpected "0" expecting "not" or operator (eq, gt, ...)`)
	want := `{"code":"PGRST100","details":"unexpected \"0\" expecting \"not\" or operator (eq, gt, ...)","hint":null,"message":"\"failed to parse filter (0)\" (line 1, column 1)"}`
	if got := string(e.Body()); got != want {
		t.Fatalf("body\n got %s\nwant %s", got, want)
	}
}

func TestSQLStateStatuses(t *testing.T) {
	cases := []struct {
		code, msg string
		anon      bool
		status    int
	}{
		{"08006", "", false, 503},
		{"23505", "dup", false, 409},
		{"23503", "fk", false, 409},
		{"23502", "null", false, 400},
		{"23514", "check", false, 400},
		{"22P02", "invalid input", false, 400},
		{"25006", "read only", false, 405},
		{"21000", "UPDATE requires a WHERE clause", false, 400},
		{"21000", "more than one row returned by a subquery", false, 500},
		{"22023", `role "x" does not exist`, false, 401},
		{"22023", "other", false, 400},
		{"42501", "permission denied", true, 401},
		{"42501", "permission denied", false, 403},
		{"42883", "function xmlagg(x) does not exist", false, 406},
		{"42883", "operator does not exist: text -> integer", false, 404},
		{"42P01", "", false, 404},
		{"40001", "", false, 500},
		{"53400", "", false, 500},
		{"53300", "", false, 503},
		{"57P01", "", false, 503},
		{"57014", "canceling statement", false, 500},
		{"P0001", "raised", false, 400},
		{"P0004", "assert", false, 500},
		{"PT402", "Payment Required", false, 402},
		{"PT40A", "x", false, 500},
		{"28000", "", false, 403},
		{"XX000", "", false, 500},
	}
	for _, c := range cases {
		e := FromPostgres(c.code, c.msg, "", "", c.anon)
		if e.Status != c.status {
			t.Errorf("%s %q anon=%v: status %d, want %d", c.code, c.msg, c.anon, e.Status, c.status)
		}
	}
	if got := FromPostgres("42501", "x", "", "", true).Headers.Get("WWW-Authenticate"); got != "Bearer" {
		t.Errorf("anonymous 42501 WWW-Authenticate = %q", got)
	}
	if e := FromPostgres("42501", "x", "", "", false); e.Headers.Get("WWW-Authenticate") != "" {
		t.Errorf("403 must not carry WWW-Authenticate")
	}
	if e := FromPostgres("PT402", "Payment Required", "", "", false); e.StatusText != "Payment Required" {
		t.Errorf("PT402 status text = %q", e.StatusText)
	}
}

func TestRaisePGRST(t *testing.T) {
	e := FromPostgres("PGRST", `{"code":"123","message":"ABC","details":"DEF","hint":"XYZ"}`,
		`{"status":332,"status_text":"My Custom Status","headers":{"X-Header":"str"}}`, "", false)
	if e.Status != 332 || e.StatusText != "My Custom Status" || e.Headers.Get("X-Header") != "str" {
		t.Fatalf("got %+v", e)
	}
	if got, want := string(e.Body()), `{"code":"123","details":"DEF","hint":"XYZ","message":"ABC"}`; got != want {
		t.Fatalf("body %s want %s", got, want)
	}
	bad := FromPostgres("PGRST", `not json`, `{}`, "", false)
	if bad.Code != "PGRST121" || bad.Status != 500 || bad.Details != "Invalid JSON value for MESSAGE: 'not json'" {
		t.Fatalf("got %+v", bad)
	}
	missing := FromPostgres("PGRST", `{"code":"1","message":"m"}`, "", "", false)
	if missing.Details != "DETAIL is missing in the RAISE statement" {
		t.Fatalf("got %+v", missing)
	}
}

func TestInvalidJWTHeader(t *testing.T) {
	e := InvalidClaims("JWT expired")
	if got, want := e.Headers.Get("WWW-Authenticate"), `Bearer error="invalid_token", error_description="JWT expired"`; got != want {
		t.Fatalf("got %q want %q", got, want)
	}
}

func TestParseMessageKeepsQuotesAndUnicodeAsIs(t *testing.T) {
	e := Parse("failed to parse select parameter", `"é"x`, 1, 4, "d")
	if e.Message != `"failed to parse select parameter ("é"x)" (line 1, column 4)` {
		t.Fatalf("message %s", e.Message)
	}
}
