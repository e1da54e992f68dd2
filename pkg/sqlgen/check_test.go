package sqlgen

import (
	"testing"
)

func TestRefusalReadsTheCheckFailure(t *testing.T) {
	for _, c := range []struct {
		message, code, details string
	}{
		{`invalid input syntax for type integer: "` + refusalMarker + `PGRST116/0"`, "PGRST116", "The result contains 0 rows"},
		{`invalid input syntax for type integer: "` + refusalMarker + `PGRST124/15"`, "PGRST124", "The query affects 15 rows"},
		{`invalid input syntax for type integer: "` + refusalMarker + `PGRST115/2"`, "PGRST115", ""},
		// A server with translated messages quotes differently; the marker still reads.
		{`ungültige Eingabesyntax für Typ integer: »` + refusalMarker + `PGRST116/3«`, "PGRST116", "The result contains 3 rows"},
	} {
		e := Refusal(c.message)
		if e == nil || e.Code != c.code {
			t.Fatalf("%s: got %+v", c.message, e)
		}
		if d, _ := e.Details.(string); d != c.details {
			t.Errorf("%s: details %q, want %q", c.message, d, c.details)
		}
	}
	for _, m := range []string{
		`invalid input syntax for type integer: "abc"`,
		// A client's own value cannot pass for a refusal without the process's marker.
		`invalid input syntax for type integer: "rocksteady-refused-AAAAAAAAAAAA/PGRST116/5"`,
		`invalid input syntax for type integer: "` + refusalMarker + `PGRST999/1"`,
		`invalid input syntax for type integer: "` + refusalMarker + `PGRST116/"`,
		`invalid input syntax for type integer: "` + refusalMarker + `PGRST116"`,
	} {
		if e := Refusal(m); e != nil {
			t.Errorf("%s: read as %+v", m, e)
		}
	}
}

// WithoutRefusal finds every refusal countCheck writes, with any marker.
func TestWithoutRefusalRemovesEveryCheck(t *testing.T) {
	for _, n := range []string{"pgrst_n", "pg_catalog.count(_postgrest_t)"} {
		b := &builder{}
		b.countCheck(n, CountCheck{Singular: true, MaxAffected: 3, Put: true})
		sql := b.sb.String()
		got := WithoutRefusal(sql)
		want := "CASE WHEN " + n + " <> 1 THEN NULL::integer WHEN " + n + " > $1::bigint THEN NULL::integer WHEN " + n + " <> 1 THEN NULL::integer END"
		if got != want {
			t.Fatalf("from\n%s\ngot\n%s\nwant\n%s", sql, got, want)
		}
	}
}
