package apireq

import (
	"strings"
	"testing"

	"github.com/rocksteady/rocksteady/pkg/apierr"
)

func TestScanJSONBody(t *testing.T) {
	cases := []struct {
		body    string
		isArray bool
		rows    int
		keys    string
		err     string
	}{
		{`{"a":1,"b":{"c":[1,2,{"d":"}"}]},"e":"x\"y"}`, false, 1, "a,b,e", ""},
		{` [ {"a":1,"b":2}, {"b":3,"a":4} ] `, true, 2, "a,b", ""},
		{`[]`, true, 0, "", ""},
		{`{}`, false, 1, "", ""},
		{`[{},{}]`, true, 2, "", ""},
		{`5`, true, 0, "", ""},
		{`{"a\u00e9":1,"a\u00e9":2}`, false, 1, "aé", ""},
		{`[{"id":100,"body":"x"},{"id":111,"body":"y","owner":"me"}]`, true, 0, "", "All object keys must match"},
		{`}{ x = 2`, false, 0, "", "Empty or invalid json"},
		{``, false, 0, "", "Empty or invalid json"},
	}
	for _, c := range cases {
		shape, err := ScanJSONBody([]byte(c.body))
		if c.err != "" {
			e, ok := apierr.As(err)
			if !ok || e.Code != "PGRST102" || e.Message != c.err || e.Status != 400 {
				t.Errorf("%s: got %v, want PGRST102 %q", c.body, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.body, err)
			continue
		}
		if shape.IsArray != c.isArray || shape.Rows != c.rows || strings.Join(shape.Keys, ",") != c.keys {
			t.Errorf("%s: got %+v", c.body, shape)
		}
	}
}

func FuzzScanJSONBody(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `[{"a":1},{"a":2}]`, `[1,"x",{"a":[{}]}]`, `{"a":"\\\""}`, `nul`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		_, err := ScanJSONBody([]byte(body))
		if err != nil {
			if e, ok := apierr.As(err); !ok || e.Code != "PGRST102" {
				t.Fatalf("%q: %v", body, err)
			}
		}
	})
}
