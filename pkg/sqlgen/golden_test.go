package sqlgen_test

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/rocksteady/rocksteady/pkg/apireq"
	"github.com/rocksteady/rocksteady/pkg/pgtest"
	"github.com/rocksteady/rocksteady/pkg/plan"
	"github.com/rocksteady/rocksteady/pkg/schema"
	"github.com/rocksteady/rocksteady/pkg/sqlgen"
)

var update = flag.Bool("update", false, "rewrite the golden SQL files in testdata")

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// catalogDB is the migrated database plus the film fixture of testdata/fixtures.
func catalogDB(t *testing.T) *pgtest.DB {
	t.Helper()
	fixture, err := os.ReadFile(filepath.Join("..", "..", "testdata", "fixtures", "catalog.sql"))
	if err != nil {
		t.Fatal(err)
	}
	return pgtest.NewDB(t, "catalog", func(ctx context.Context, u string) error {
		if err := pgtest.Migrated(ctx, u); err != nil {
			return err
		}
		conn, err := pgx.Connect(ctx, u)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, string(fixture))
		return err
	})
}

// goldenCase is one request whose generated SQL is kept in testdata/<name>.sql.
type goldenCase struct {
	name, target string
	headers      []string
	opts         plan.Options
}

var goldenCases = []goldenCase{
	{name: "select_columns", target: "/films?select=id,t:title,year::text&id=eq.1"},
	{name: "json_paths", target: "/films?select=id,info->rating,info->>lang,info->awards->-1,tags->0&info->>lang=eq.en&order=info->rating.desc.nullslast"},
	{name: "computed_column", target: "/films?select=id,age,label&age=gt.20&order=age.desc"},
	{name: "operators", target: "/films?select=id&year=gte.2000&title=like.*a*&genre=isdistinct.drama&tags=ov.{a,b}&shooting=adj.[2004-05-01,2004-06-01)&id=not.in.(1,2)&title=ilike(any).{a*,b*}&genre=is.null"},
	{name: "full_text", target: "/films?select=id&synopsis_tsv=fts(english).night&synopsis=wfts(english).night%20-train&title=plfts.dark"},
	{name: "logic_tree", target: "/films?select=id&or=(year.lt.2000,and(genre.eq.horror,year.not.gt.2005),info->>lang.eq.fr)"},
	{name: "many_to_one", target: "/films?select=id,directors(name)&order=directors(name).desc,id"},
	{name: "one_to_many_filtered", target: "/directors?select=id,films(id,title)&films.year=gt.2000&films.order=year.desc&films.limit=1&films.offset=1"},
	{name: "many_to_many", target: "/films?select=id,actors(name)&actors.name=neq.Ann"},
	{name: "self_reference", target: "/directors?select=id,mentor:mentor_id(name),pupils:directors!mentor_id(name)"},
	{name: "inner_and_null_embed", target: "/films?select=id,directors!inner(name),actors(),posters()&or=(actors.is.null,posters.not.is.null)"},
	{name: "spreads", target: "/directors?select=name,...films(title,year),...mentor_id(mentor:name)&films.order=year"},
	{name: "count_exact_paged", target: "/films?select=id,directors!inner()&limit=2&offset=1", headers: []string{"Prefer", "count=exact"}},
	{name: "count_exact_unpaged", target: "/films?select=id", headers: []string{"Prefer", "count=exact"}},
	{name: "count_estimated_max_rows", target: "/films?select=id,actors(name)", headers: []string{"Prefer", "count=estimated"}, opts: plan.Options{MaxRows: 100}},
	{name: "singular_stripped", target: "/films?select=id,genre&id=eq.4", headers: []string{"Accept", "application/vnd.pgrst.object+json;nulls=stripped"}},
	{name: "csv", target: "/films?select=id,title", headers: []string{"Accept", "text/csv"}},
	{name: "aggregates", target: "/films?select=director_id,count(),year.sum()::text,...directors(name)", opts: plan.Options{AggregatesEnabled: true}},
	{name: "head", target: "/films?select=id"},
}

func TestGoldenReadSQL(t *testing.T) {
	db := catalogDB(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	snap, err := schema.Load(ctx, conn, []string{"cat"})
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		// pkg/plan's tests plan against this dump of the same fixture.
		var dump strings.Builder
		if err := snap.WriteJSON(&dump); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("..", "plan", "testdata", "catalog.json"), []byte(dump.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			method := http.MethodGet
			if c.name == "head" {
				method = http.MethodHead
			}
			u, err := url.Parse(c.target)
			if err != nil {
				t.Fatal(err)
			}
			h := http.Header{}
			for i := 0; i+1 < len(c.headers); i += 2 {
				h.Add(c.headers[i], c.headers[i+1])
			}
			req, err := apireq.Parse(method, u.EscapedPath(), u.RawQuery, h, nil, apireq.Options{Schemas: []string{"cat"}})
			if err != nil {
				t.Fatal(err)
			}
			planned, err := plan.Build(req, snap, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			read := planned.(*plan.Read)
			sql, args, err := sqlgen.Read(read)
			if err != nil {
				t.Fatal(err)
			}
			got := render(method+" "+c.target, c.headers, sql, args)
			statements := []statement{{sql, args}}
			if read.NeedsPlannedCount() {
				csql, cargs, err := sqlgen.CountPlan(read)
				if err != nil {
					t.Fatal(err)
				}
				got += "\n-- planned count:\n" + readable(csql) + "\n" + renderArgs(cargs)
			}
			checkGolden(t, filepath.Join("testdata", c.name+".sql"), got)
			// Every golden statement is valid SQL: PostgreSQL plans it with its parameters.
			for _, st := range statements {
				explain(t, conn, st)
			}
		})
	}
}

type statement struct {
	sql  string
	args [][]byte
}

// explain runs EXPLAIN on st with its parameters sent untyped, as txn sends them.
func explain(t *testing.T, conn *pgx.Conn, st statement) {
	t.Helper()
	res := conn.PgConn().ExecParams(context.Background(), "EXPLAIN "+st.sql, st.args, nil, nil, nil).Read()
	if res.Err != nil {
		t.Fatalf("EXPLAIN failed: %v\n%s", res.Err, st.sql)
	}
	if len(res.Rows) == 0 {
		t.Fatalf("EXPLAIN returned no plan for %s", st.sql)
	}
}

func render(request string, headers []string, sql string, args [][]byte) string {
	var b strings.Builder
	b.WriteString("-- " + request + "\n")
	for i := 0; i+1 < len(headers); i += 2 {
		b.WriteString("-- " + headers[i] + ": " + headers[i+1] + "\n")
	}
	b.WriteString(readable(sql) + "\n")
	b.WriteString(renderArgs(args))
	return b.String()
}

// readable breaks a statement before its main clauses so golden diffs are reviewable.
// Values are parameters, so these keywords never occur inside literals.
var readable = strings.NewReplacer(
	" FROM ", "\n  FROM ",
	" LEFT JOIN ", "\n  LEFT JOIN ",
	" INNER JOIN ", "\n  INNER JOIN ",
	" JOIN ", "\n  JOIN ",
	" WHERE ", "\n  WHERE ",
	" GROUP BY ", "\n  GROUP BY ",
	" ORDER BY ", "\n  ORDER BY ",
	" LIMIT ", "\n  LIMIT ",
	") SELECT ", ")\nSELECT ",
).Replace

func renderArgs(args [][]byte) string {
	var b strings.Builder
	for i, a := range args {
		fmt.Fprintf(&b, "-- $%d = %q\n", i+1, a)
	}
	return b.String()
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pkg/sqlgen -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (run go test ./pkg/sqlgen -update and review the diff)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}
