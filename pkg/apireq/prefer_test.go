package apireq

import (
	"reflect"
	"strings"
	"testing"
)

func TestParsePrefer(t *testing.T) {
	cases := []struct {
		headers []string
		want    Preferences
	}{
		{nil, Preferences{}},
		{[]string{""}, Preferences{}},
		{[]string{"return=minimal"}, Preferences{Return: ReturnMinimal}},
		{[]string{"return=headers-only"}, Preferences{Return: ReturnHeadersOnly}},
		{[]string{"return=representation"}, Preferences{Return: ReturnRepresentation}},
		{[]string{"count=exact"}, Preferences{Count: CountExact}},
		{[]string{"count=planned"}, Preferences{Count: CountPlanned}},
		{[]string{"count=estimated"}, Preferences{Count: CountEstimated}},
		{[]string{"resolution=merge-duplicates"}, Preferences{Resolution: MergeDuplicates}},
		{[]string{"resolution=ignore-duplicates"}, Preferences{Resolution: IgnoreDuplicates}},
		{[]string{"missing=default"}, Preferences{Missing: MissingDefault}},
		{[]string{"missing=null"}, Preferences{Missing: MissingNull}},
		{[]string{"handling=strict"}, Preferences{Handling: HandlingStrict}},
		{[]string{"handling=lenient"}, Preferences{Handling: HandlingLenient}},
		{[]string{"tx=commit"}, Preferences{Tx: TxCommit}},
		{[]string{"tx=rollback"}, Preferences{Tx: TxRollback}},
		// one header, comma separated, with and without spaces
		{[]string{"resolution=ignore-duplicates, count=exact, timezone=America/Los_Angeles, max-affected=100"},
			Preferences{Resolution: IgnoreDuplicates, Count: CountExact, Timezone: "America/Los_Angeles", HasTimezone: true, MaxAffected: 100, HasMaxAffected: true}},
		{[]string{"count=exact,return=representation"}, Preferences{Count: CountExact, Return: ReturnRepresentation}},
		// several headers
		{[]string{"resolution=ignore-duplicates", "count=exact", "missing=null", "handling=lenient", "invalid", "max-affected=5999"},
			Preferences{Resolution: IgnoreDuplicates, Count: CountExact, Missing: MissingNull, Handling: HandlingLenient, MaxAffected: 5999, HasMaxAffected: true, Invalid: []string{"invalid"}}},
		// the first occurrence of a kind wins, across headers too
		{[]string{"tx=commit, tx=rollback"}, Preferences{Tx: TxCommit}},
		{[]string{"resolution=ignore-duplicates", "resolution=merge-duplicates"}, Preferences{Resolution: IgnoreDuplicates}},
		{[]string{"timezone=UTC, timezone=+05:30"}, Preferences{Timezone: "UTC", HasTimezone: true}},
		{[]string{"max-affected=abc, max-affected=5"}, Preferences{}},
		// arbitrary spacing
		{[]string{"count=exact,    tx=commit   ,return=representation , missing=default, handling=strict, anything"},
			Preferences{Count: CountExact, Tx: TxCommit, Return: ReturnRepresentation, Missing: MissingDefault, Handling: HandlingStrict, Invalid: []string{"anything"}}},
		// matching is exact and case-sensitive
		{[]string{"Return=minimal, count=EXACT, count = exact"}, Preferences{Invalid: []string{"Return=minimal", "count=EXACT", "count = exact"}}},
		// timezone and max-affected are never invalid
		{[]string{"timezone=Invalid/Timezone, max-affected=x"}, Preferences{Timezone: "Invalid/Timezone", HasTimezone: true}},
		{[]string{"timezone="}, Preferences{HasTimezone: true}},
		{[]string{"max-affected=-3"}, Preferences{MaxAffected: -3, HasMaxAffected: true}},
		{[]string{"max-affected=+3"}, Preferences{}},
		// params=single-object was removed in v13: recorded, but invalid
		{[]string{"params=single-object"}, Preferences{ParamsSingleObject: true, Invalid: []string{"params=single-object"}}},
		// supabase-js < 2.50 could send a leading comma
		{[]string{",return=representation"}, Preferences{Return: ReturnRepresentation, Invalid: []string{""}}},
		{[]string{"handling=strict, foo", "bar"}, Preferences{Handling: HandlingStrict, Invalid: []string{"foo", "bar"}}},
	}
	for _, c := range cases {
		got := ParsePrefer(c.headers)
		got.maxAffectedSeen = false
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParsePrefer(%q)\n got %+v\nwant %+v", c.headers, got, c.want)
		}
	}
}

func TestStrictPreferences(t *testing.T) {
	p := ParsePrefer([]string{"handling=strict, foo, bar"})
	wantAPIError(t, p.StrictError(), "PGRST122", 400, "Invalid preferences given with handling=strict", "Invalid preferences: foo, bar")
	p = ParsePrefer([]string{"handling=lenient, foo"})
	if err := p.StrictError(); err != nil {
		t.Errorf("lenient: %v", err)
	}
	p = ParsePrefer([]string{"handling=strict, max-affected=10, timezone=UTC"})
	if err := p.StrictError(); err != nil {
		t.Errorf("strict without invalid: %v", err)
	}
	p = ParsePrefer([]string{"handling=strict", "anything"})
	wantAPIError(t, p.StrictError(), "PGRST122", 400, "", "Invalid preferences: anything")
}

func TestPreferStrings(t *testing.T) {
	got := strings.Join([]string{
		MergeDuplicates.String(), MissingDefault.String(), ReturnRepresentation.String(), CountExact.String(),
		TxCommit.String(), HandlingStrict.String(), ReturnUnset.String(),
	}, ", ")
	if got != "resolution=merge-duplicates, missing=default, return=representation, count=exact, tx=commit, handling=strict, " {
		t.Errorf("%q", got)
	}
}

func TestParseAccept(t *testing.T) {
	cases := []struct {
		header string
		want   []string // MediaType.String() of each entry, in order
	}{
		{"*/*", []string{"*/*"}},
		{"application/json", []string{"application/json"}},
		{"application/vnd.pgrst.object+json", []string{"application/vnd.pgrst.object+json"}},
		{"application/vnd.pgrst.object", []string{"application/vnd.pgrst.object+json"}},
		{"application/vnd.pgrst.object+json;nulls=stripped", []string{"application/vnd.pgrst.object+json;nulls=stripped"}},
		{"application/vnd.pgrst.array+json;nulls=stripped", []string{"application/vnd.pgrst.array+json;nulls=stripped"}},
		{"application/vnd.pgrst.array;nulls=stripped", []string{"application/vnd.pgrst.array+json;nulls=stripped"}},
		{"application/vnd.pgrst.array+json", []string{"application/json"}},
		{"ApplicatIon/vnd.PgRsT.object+json", []string{"application/vnd.pgrst.object+json"}},
		{"text/csv, application/json", []string{"text/csv", "application/json"}},
		{"text/csv, */*", []string{"text/csv", "*/*"}},
		{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
			[]string{"text/html", "application/xhtml+xml", "application/xml", "*/*"}},
		{"*/*;q=0.8, text/csv;q=0.9, application/json", []string{"application/json", "text/csv", "*/*"}},
		{"*/*, application/json", []string{"application/json", "*/*"}},
		{"text/*, text/csv", []string{"text/csv", "text/*"}},
		{"a/b;q=0.5x, c/d;q=bogus", []string{"c/d", "a/b"}},
		{"text/unknowntype", []string{"text/unknowntype"}},
		{"undefined", []string{"undefined"}},
		{"application/geo+json", []string{"application/geo+json"}},
		{"application/openapi+json", []string{"application/openapi+json"}},
		{`application/vnd.pgrst.plan+text; for="application/json"; options=analyze;`,
			[]string{`application/vnd.pgrst.plan+text; for="application/json"; options=analyze`}},
		{`application/vnd.pgrst.plan+json; for="application/vnd.pgrst.object+json"; options=analyze|verbose|settings|buffers|wal`,
			[]string{`application/vnd.pgrst.plan+json; for="application/vnd.pgrst.object+json"; options=analyze|verbose|settings|buffers|wal`}},
		{`application/vnd.pgrst.plan; for="text/csv"; options=;`, []string{`application/vnd.pgrst.plan+text; for="text/csv"`}},
		{`application/vnd.pgrst.plan`, []string{`application/vnd.pgrst.plan+text; for="application/json"`}},
		{`application/vnd.pgrst.plan+json;options=wal|analyze|bogus`, []string{`application/vnd.pgrst.plan+json; for="application/json"; options=analyze|wal`}},
		{"", nil},
	}
	for _, c := range cases {
		got := ParseAccept(c.header)
		var names []string
		for _, m := range got {
			names = append(names, m.String())
		}
		if !reflect.DeepEqual(names, c.want) {
			t.Errorf("ParseAccept(%q)\n got %q\nwant %q", c.header, names, c.want)
		}
	}
}

func TestParseMediaType(t *testing.T) {
	m := ParseMediaType(`Application/Vnd.Pgrst.Plan+JSON ; For="text/xml" ; Options=analyze`)
	if m.Kind != MediaPlan || m.Plan.Format != PlanJSON || m.Plan.For.Kind != MediaTextXML || m.Plan.Options != PlanAnalyze {
		t.Errorf("plan %+v %+v", m, m.Plan)
	}
	if m.Type != "application" || m.Subtype != "vnd.pgrst.plan+json" {
		t.Errorf("type %q/%q", m.Type, m.Subtype)
	}
	if v, ok := m.Param("for"); !ok || v != "text/xml" {
		t.Errorf("for = %q", v)
	}
	m = ParseMediaType(`application/vnd.pgrst.plan;wat="application/json;text/csv"`)
	if v, _ := m.Param("wat"); v != "application/json;text/csv" {
		t.Errorf("quoted param %q", v)
	}
	m = ParseMediaType("text/csv; charset=utf-8; header=present")
	if m.Kind != MediaCSV || len(m.Params) != 2 || m.Params[1] != (MediaParam{"header", "present"}) {
		t.Errorf("csv %+v", m)
	}
	m = ParseMediaType("image/png")
	if m.Kind != MediaOther || m.String() != "image/png" || m.Type != "image" || m.Subtype != "png" {
		t.Errorf("other %+v", m)
	}
	m = ParseMediaType("not a media type")
	if m.Kind != MediaOther || m.Raw != "not a media type" || m.Type != "" {
		t.Errorf("garbage %+v", m)
	}
	m = ParseMediaType("application/vnd.pgrst.object+json;nulls=STRIPPED")
	if m.Kind != MediaObject || m.NullsStripped {
		t.Errorf("nulls value is case-sensitive: %+v", m)
	}
}
