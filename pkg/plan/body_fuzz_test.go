package plan

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"testing"

	"github.com/rocksteady/rocksteady/pkg/apierr"
)

// Fuzzing the CSV and form bodies that writes convert to JSON (issue 9): whatever the
// input, the result is a PGRST102-style 400 or valid JSON that carries exactly the input's
// fields, so nothing a client sends can reach the statement parameter malformed.

func FuzzCSVBody(f *testing.F) {
	for _, s := range []string{
		"id,name\n1,one\n2,two\n", "id\n", "", "a,b\n1\n", "a,a\n1,2\n", "\"x\"\"y\",b\n\"1\n2\",NULL\n",
		"id,name\r\n1,\"'; DROP TABLE canary; --\"\r\n", "a\n\x00\n", "\"unterminated\n", "\xff\xfe,b\n1,2\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		wb, err := csvBody(b)
		if err != nil {
			if e, ok := apierr.As(err); !ok || e.Status != 400 {
				t.Fatalf("not a 400: %v", err)
			}
			return
		}
		var rows []map[string]*string
		if err := json.Unmarshal(wb.json, &rows); err != nil {
			t.Fatalf("invalid JSON %q: %v", wb.json, err)
		}
		if !wb.isArray {
			t.Fatal("a CSV body is always an array")
		}
		// The same input read directly: every field is there, NULL as null.
		r := csv.NewReader(bytes.NewReader(b))
		header, err := r.Read()
		if errors.Is(err, io.EOF) {
			if len(rows) != 0 {
				t.Fatalf("rows from an empty body: %s", wb.json)
			}
			return
		}
		valid := make([]string, len(header))
		for j, h := range header {
			valid[j] = toValid(h)
		}
		for i := 0; ; i++ {
			rec, err := r.Read()
			if err != nil {
				if i != len(rows) {
					t.Fatalf("%d rows, want %d", len(rows), i)
				}
				break
			}
			for j, v := range rec {
				// With duplicate header names the last field wins.
				if lastIndex(valid, valid[j]) != j {
					continue
				}
				got := rows[i][valid[j]]
				if v == "NULL" {
					if got != nil {
						t.Fatalf("row %d %q: %q, want null", i, header[j], *got)
					}
				} else if got == nil || *got != toValid(v) {
					t.Fatalf("row %d %q: %v, want %q", i, header[j], got, v)
				}
			}
		}
	})
}

func FuzzFormBody(f *testing.F) {
	for _, s := range []string{"a=1&b=2", "", "a", "a=1&a=2", "%zz=1", "name=%27%3B+DROP", "k%00=v%00", "=x&&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		wb, err := formBody([]byte(s))
		if err != nil {
			if e, ok := apierr.As(err); !ok || e.Status != 400 {
				t.Fatalf("not a 400: %v", err)
			}
			return
		}
		var obj map[string]string
		if err := json.Unmarshal(wb.json, &obj); err != nil {
			t.Fatalf("invalid JSON %q: %v", wb.json, err)
		}
		want, err := url.ParseQuery(s)
		if err != nil {
			return // ParseQuery is stricter about ';'
		}
		for k, vs := range want {
			if obj[toValid(k)] != toValid(vs[len(vs)-1]) {
				t.Fatalf("%q: %q, want %q", k, obj[toValid(k)], vs[len(vs)-1])
			}
		}
	})
}

// toValid is s as it survives a JSON round trip (invalid UTF-8 becomes U+FFFD).
func toValid(s string) string {
	b, _ := json.Marshal(s)
	var out string
	_ = json.Unmarshal(b, &out)
	return out
}

func lastIndex(xs []string, x string) int {
	at := -1
	for i, v := range xs {
		if v == x {
			at = i
		}
	}
	return at
}
