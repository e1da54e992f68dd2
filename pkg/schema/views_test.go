package schema

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/rocksteady/rocksteady/pkg/pgtest"
)

// The edge schema is an API of views over tables in an unexposed schema.
func TestLoadViewsOverUnexposedTables(t *testing.T) {
	db := pgtest.NewDB(t, "schema-fixture", setupFixture)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	s, err := Load(ctx, conn, []string{"edge"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		pk   []string
		rels []string
	}{
		"Weird (Name)": {[]string{" id"}, []string{
			"edge.Weird (Name) -> edge.authors many-to-one Weird (Name)_author id}_fkey(author id}=id) fk-here to-one",
			"edge.Weird (Name) -> edge.authors_chain many-to-one Weird (Name)_author id}_fkey(author id}=author_id) fk-here to-one",
		}},
		"all_ids": {nil, nil},
		"authors": {[]string{"id"}, []string{
			"edge.authors -> edge.Weird (Name) one-to-many Weird (Name)_author id}_fkey(id=author id})",
			"edge.authors -> edge.books one-to-many books_author_id_fkey(id=author_id)",
			"edge.authors -> edge.books one-to-many books_author_id_fkey(id=writer_id)",
			`edge.authors -> edge.weird view one-to-many Weird (Name)_author id}_fkey(id=a\ {id)`,
		}},
		"authors_chain": {[]string{"author_id"}, []string{
			"edge.authors_chain -> edge.Weird (Name) one-to-many Weird (Name)_author id}_fkey(author_id=author id})",
			"edge.authors_chain -> edge.books one-to-many books_author_id_fkey(author_id=author_id)",
			"edge.authors_chain -> edge.books one-to-many books_author_id_fkey(author_id=writer_id)",
			`edge.authors_chain -> edge.weird view one-to-many Weird (Name)_author id}_fkey(author_id=a\ {id)`,
		}},
		"authors_indirect": {nil, nil},
		"book_tags": {[]string{"book_id", "tag_id"}, []string{
			"edge.book_tags -> edge.books many-to-one book_tags_book_id_fkey(book_id=id) fk-here to-one",
			"edge.book_tags -> edge.tags many-to-one book_tags_tag_id_fkey(tag_id=id) fk-here to-one",
		}},
		"books": {[]string{"id"}, []string{
			"edge.books -> edge.authors many-to-one books_author_id_fkey(author_id=id) fk-here to-one",
			"edge.books -> edge.authors many-to-one books_author_id_fkey(writer_id=id) fk-here to-one",
			"edge.books -> edge.authors_chain many-to-one books_author_id_fkey(author_id=author_id) fk-here to-one",
			"edge.books -> edge.authors_chain many-to-one books_author_id_fkey(writer_id=author_id) fk-here to-one",
			"edge.books -> edge.book_tags one-to-many book_tags_book_id_fkey(id=book_id)",
			"edge.books -> edge.tags many-to-many via edge.book_tags book_tags_book_id_fkey(book_id=id) book_tags_tag_id_fkey(tag_id=id)",
		}},
		"tags": {[]string{"id"}, []string{
			"edge.tags -> edge.book_tags one-to-many book_tags_tag_id_fkey(id=tag_id)",
			"edge.tags -> edge.books many-to-many via edge.book_tags book_tags_tag_id_fkey(tag_id=id) book_tags_book_id_fkey(book_id=id)",
		}},
		"weird view": {[]string{" id"}, []string{
			`edge.weird view -> edge.authors many-to-one Weird (Name)_author id}_fkey(a\ {id=id) fk-here to-one`,
			`edge.weird view -> edge.authors_chain many-to-one Weird (Name)_author id}_fkey(a\ {id=author_id) fk-here to-one`,
		}},
	}
	var names []string
	for _, r := range s.Relations {
		names = append(names, r.Name)
		w, ok := want[r.Name]
		if !ok {
			t.Errorf("unexpected relation %q", r.Name)
			continue
		}
		if !slices.Equal(r.PrimaryKey, w.pk) {
			t.Errorf("%s primary key = %q, want %q", r.Name, r.PrimaryKey, w.pk)
		}
		var got []string
		for _, rel := range r.Relationships {
			got = append(got, describe(rel))
		}
		if !slices.Equal(got, w.rels) {
			t.Errorf("relationships of %s:\n got %s\nwant %s", r.Name, strings.Join(got, "\n     "), strings.Join(w.rels, "\n     "))
		}
	}
	if len(names) != len(want) {
		t.Errorf("relations %q", names)
	}
	weird := mustRelation(t, s, "edge", "Weird (Name)")
	wantFK := []ForeignKey{{Name: "Weird (Name)_author id}_fkey", Columns: []string{"author id}"},
		References: QualifiedName{"edge_private", "authors"}, ReferencedColumns: []string{"id"}}}
	if !reflect.DeepEqual(weird.ForeignKeys, wantFK) {
		t.Errorf("Weird (Name) foreign keys = %+v", weird.ForeignKeys)
	}
	if got := columnNames(mustRelation(t, s, "edge", "weird view")); !slices.Equal(got, []string{" id", `a\ {id`}) {
		t.Errorf("weird view columns %q", got)
	}
}

func TestViewTargets(t *testing.T) {
	// Shapes of pg_rewrite.ev_action text, trimmed to the fields that matter.
	cases := []struct {
		name   string
		action string
		want   map[int]colSource
	}{
		{"plain",
			`({QUERY :commandType 1 :rtable ({RANGETBLENTRY :eref {ALIAS :aliasname t :colnames ("id" "x\ \)")}}) ` +
				`:targetList ({TARGETENTRY :expr {VAR :varno 1 :varattno 1} :resno 1 :resname id :ressortgroupref 0 :resorigtbl 16404 :resorigcol 1 :resjunk false} ` +
				`{TARGETENTRY :expr {OPEXPR :opno 551 :args ({VAR :varno 1 :varattno 2} {CONST :constvalue 4 [ 1 0 0 0 ]})} :resno 2 :resname x\ \{y :resorigtbl 0 :resorigcol 0 :resjunk false} ` +
				`{TARGETENTRY :expr {VAR :varno 1 :varattno 3} :resno 3 :resname \(z\) :resorigtbl 16404 :resorigcol 3 :resjunk false} ` +
				`{TARGETENTRY :expr {VAR :varno 1 :varattno 4} :resno 4 :resname <> :resorigtbl 16404 :resorigcol 4 :resjunk true} ` +
				`{TARGETENTRY :expr {VAR :varno 1 :varattno 5} :resno 5 :resname :resorigtbl :ressortgroupref 0 :resorigtbl 16404 :resorigcol 5 :resjunk false}) ` +
				`:override 0})`,
			map[int]colSource{1: {16404, 1}, 3: {16404, 3}, 5: {16404, 5}}},
		{"subquery target lists are not the view's",
			`({QUERY :rtable ({RANGETBLENTRY :rtekind 1 :subquery {QUERY :targetList ({TARGETENTRY :resno 1 :resorigtbl 99 :resorigcol 7 :resjunk false})}}) ` +
				`:targetList ({TARGETENTRY :expr {VAR} :resno 1 :resorigtbl 16500 :resorigcol 2 :resjunk false}) :override 0})`,
			map[int]colSource{1: {16500, 2}}},
		{"no target list", `({QUERY :commandType 1 :targetList <> :override 0})`, map[int]colSource{}},
	}
	for _, c := range cases {
		got, err := viewTargets(c.action)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
	for _, bad := range []string{
		`({QUERY :targetList ({TARGETENTRY :resno x :resorigtbl 1 :resorigcol 1})})`,
		`({QUERY :targetList ({TARGETENTRY :resno 1 :resorigtbl 1 :resorigcol 1}`,
	} {
		if _, err := viewTargets(bad); err == nil {
			t.Errorf("no error for %q", bad)
		}
	}
}
