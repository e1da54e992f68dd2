package schema

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func TestLoadRelations(t *testing.T) {
	s, _ := loadFixture(t)

	if want := []Schema{{Name: "test", Comment: "Fixture API"}}; !reflect.DeepEqual(s.Schemas, want) {
		t.Errorf("schemas = %+v, want %+v", s.Schemas, want)
	}
	if !s.HasSchema("test") || s.HasSchema("private") || s.HasSchema("missing") {
		t.Errorf("HasSchema wrong")
	}
	if s.ServerVersion < 120000 {
		t.Errorf("server version %d", s.ServerVersion)
	}

	var got []string
	for _, r := range s.Relations {
		got = append(got, r.Schema+"."+r.Name+" "+string(r.Kind))
	}
	want := []string{
		"test.agents table",
		"test.client_stats materialized_view",
		"test.clients table",
		"test.clients_view view",
		"test.departments table",
		"test.employees table",
		"test.friendships table",
		"test.kitchen_sink table",
		"test.measurements partitioned_table",
		"test.messages table",
		"test.orders_view view",
		"test.paints table",
		"test.passports table",
		"test.people table",
		"test.project_details table",
		"test.projects table",
		"test.projects_view view",
		"test.remote_items foreign_table",
		"test.users table",
		"test.users_projects table",
	}
	if !slices.Equal(got, want) {
		t.Errorf("relations:\n got %q\nwant %q", got, want)
	}
	for _, name := range []string{"measurements_2024", "secrets", "orders"} {
		if _, ok := s.Relation("test", name); ok {
			t.Errorf("%s must not be exposed", name)
		}
		if _, ok := s.Relation("private", name); ok {
			t.Errorf("private.%s must not be exposed", name)
		}
	}

	clients := mustRelation(t, s, "test", "clients")
	if clients.Comment != "Our clients" || !clients.Insertable || !clients.Updatable || !clients.Deletable {
		t.Errorf("clients = %+v", clients)
	}
	if c, ok := clients.Column("name"); !ok || c.Comment != "Client name" || c.Nullable || c.Type != "text" {
		t.Errorf("clients.name = %+v", c)
	}
	if _, ok := clients.Column("Name"); ok {
		t.Errorf("column lookup must be exact")
	}

	stats := mustRelation(t, s, "test", "client_stats")
	if stats.Insertable || stats.Updatable || stats.Deletable || !stats.IsView() {
		t.Errorf("materialized view flags: %+v", stats)
	}
	if got := columnNames(stats); !slices.Equal(got, []string{"id", "n"}) {
		t.Errorf("client_stats columns %v", got)
	}
	orders := mustRelation(t, s, "test", "orders_view")
	if orders.Comment != "Orders, doubled" || !orders.Insertable || !orders.Updatable || !orders.Deletable {
		t.Errorf("orders_view = %+v", orders)
	}
	if got := columnNames(orders); !slices.Equal(got, []string{"id", "client_id", "doubled"}) {
		t.Errorf("orders_view columns %v", got)
	}
	remote := mustRelation(t, s, "test", "remote_items")
	if remote.Insertable || remote.Updatable || remote.Deletable || remote.IsView() || len(remote.Columns) != 2 {
		t.Errorf("remote_items = %+v", remote)
	}
	measurements := mustRelation(t, s, "test", "measurements")
	if !slices.Equal(measurements.PrimaryKey, []string{"id", "logdate"}) || !measurements.Insertable {
		t.Errorf("measurements = %+v", measurements)
	}

	// Primary keys, inferred ones for views.
	pks := map[string][]string{
		"clients": {"id"}, "users_projects": {"user_id", "project_id"}, "project_details": {"project_id"},
		"projects_view": {"id"}, "clients_view": {"id"}, "orders_view": {"id"}, "client_stats": {"id"},
		"kitchen_sink": {"id"},
	}
	for name, want := range pks {
		if got := mustRelation(t, s, "test", name).PrimaryKey; !slices.Equal(got, want) {
			t.Errorf("%s primary key = %v, want %v", name, got, want)
		}
	}

	sink := mustRelation(t, s, "test", "kitchen_sink")
	if want := []Constraint{{Name: "kitchen_sink_code_label_key", Columns: []string{"code", "label"}}}; !reflect.DeepEqual(sink.UniqueConstraints, want) {
		t.Errorf("unique constraints = %+v", sink.UniqueConstraints)
	}
	passports := mustRelation(t, s, "test", "passports")
	if want := []Constraint{{Name: "passports_user_id_key", Columns: []string{"user_id"}}}; !reflect.DeepEqual(passports.UniqueConstraints, want) {
		t.Errorf("passports unique constraints = %+v", passports.UniqueConstraints)
	}

	projects := mustRelation(t, s, "test", "projects")
	wantFKs := []ForeignKey{
		{Name: "projects_client_id_fkey", Columns: []string{"client_id"}, References: QualifiedName{"test", "clients"}, ReferencedColumns: []string{"id"}},
		{Name: "projects_secret_id_fkey", Columns: []string{"secret_id"}, References: QualifiedName{"private", "secrets"}, ReferencedColumns: []string{"id"}},
	}
	if !reflect.DeepEqual(projects.ForeignKeys, wantFKs) {
		t.Errorf("projects foreign keys = %+v", projects.ForeignKeys)
	}
	if fks := measurements.ForeignKeys; len(fks) != 1 || fks[0].Name != "measurements_client_id_fkey" {
		t.Errorf("measurements foreign keys = %+v (partition clones must not appear)", fks)
	}
}

func TestLoadColumns(t *testing.T) {
	s, _ := loadFixture(t)
	sink := mustRelation(t, s, "test", "kitchen_sink")
	want := []Column{
		{Name: "id", Position: 1, Type: "bigint", DataType: "bigint", BaseType: "bigint", TypeKind: TypeBase,
			Default: "nextval('test.kitchen_sink_id_seq'::regclass)", Generated: true, Identity: "always"},
		{Name: "seq", Position: 2, Type: "integer", DataType: "integer", BaseType: "integer", TypeKind: TypeBase,
			Default: "nextval('test.kitchen_sink_seq_seq'::regclass)", Identity: "by default"},
		{Name: "mood", Position: 3, Type: "test.mood", DataType: "test.mood", BaseType: "test.mood", TypeKind: TypeEnum,
			Default: "'ok'::test.mood", Enum: []string{"sad", "ok", "happy"}},
		{Name: "moods", Position: 4, Type: "test.mood[]", DataType: "test.mood[]", BaseType: "test.mood[]", TypeKind: TypeArray,
			ElementType: "test.mood", Nullable: true},
		{Name: "dmood", Position: 5, Type: "test.mood_domain", DataType: "test.mood_domain", BaseType: "test.mood", TypeKind: TypeEnum,
			Nullable: true, Enum: []string{"sad", "ok", "happy"}},
		{Name: "tags", Position: 6, Type: "text[]", DataType: "text[]", BaseType: "text[]", TypeKind: TypeArray, ElementType: "text", Nullable: true},
		{Name: "during", Position: 7, Type: "tstzrange", DataType: "tstzrange", BaseType: "tstzrange", TypeKind: TypeRange, Nullable: true},
		{Name: "spans", Position: 8, Type: "int4multirange", DataType: "int4multirange", BaseType: "int4multirange", TypeKind: TypeMultirange, Nullable: true},
		{Name: "doc", Position: 9, Type: "tsvector", DataType: "tsvector", BaseType: "tsvector", TypeKind: TypeBase, Nullable: true},
		{Name: "data", Position: 10, Type: "jsonb", DataType: "jsonb", BaseType: "jsonb", TypeKind: TypeBase, Nullable: true},
		{Name: "raw", Position: 11, Type: "json", DataType: "json", BaseType: "json", TypeKind: TypeBase, Nullable: true},
		{Name: "code", Position: 12, Type: "character(3)", DataType: "character", BaseType: "character", TypeKind: TypeBase, Nullable: true, MaxLength: 3},
		{Name: "label", Position: 13, Type: "character varying(20)", DataType: "character varying", BaseType: "character varying", TypeKind: TypeBase, Nullable: true, MaxLength: 20},
		{Name: "short", Position: 14, Type: "test.short_text", DataType: "character varying", BaseType: "character varying", TypeKind: TypeBase,
			Default: "'x'::character varying", MaxLength: 10},
		{Name: "pair", Position: 15, Type: "test.pair", DataType: "test.pair", BaseType: "test.pair", TypeKind: TypeComposite, Nullable: true},
		{Name: "price", Position: 16, Type: "numeric(10,2)", DataType: "numeric", BaseType: "numeric", TypeKind: TypeBase, Nullable: true},
		{Name: "total", Position: 17, Type: "numeric", DataType: "numeric", BaseType: "numeric", TypeKind: TypeBase, Nullable: true, Generated: true},
		{Name: "created_at", Position: 18, Type: "timestamp with time zone", DataType: "timestamp with time zone", BaseType: "timestamp with time zone",
			TypeKind: TypeBase, Nullable: true, Default: "now()"},
	}
	if len(sink.Columns) != len(want) {
		t.Fatalf("kitchen_sink has %d columns, want %d", len(sink.Columns), len(want))
	}
	for i, c := range sink.Columns {
		got := *c
		// OIDs of user types differ between databases; check them apart.
		got.TypeOID, got.BaseTypeOID, got.ElementTypeOID = 0, 0, 0
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("column %d:\n got %+v\nwant %+v", i, got, want[i])
		}
	}
	col := func(name string) *Column {
		c, ok := sink.Column(name)
		if !ok {
			t.Fatalf("no column %s", name)
		}
		return c
	}
	if c := col("data"); !c.IsJSON() || c.TypeOID != OIDJSONB || c.IsArray() {
		t.Errorf("data: %+v", c)
	}
	if c := col("raw"); !c.IsJSON() || c.TypeOID != OIDJSON {
		t.Errorf("raw: %+v", c)
	}
	if c := col("doc"); !c.IsTSVector() || c.IsJSON() {
		t.Errorf("doc: %+v", c)
	}
	if c := col("tags"); !c.IsArray() || c.ElementTypeOID != OIDText {
		t.Errorf("tags: %+v", c)
	}
	if !col("during").IsRange() || !col("spans").IsRange() || !col("pair").IsComposite() {
		t.Errorf("range/composite classification")
	}
	if c := col("short"); !c.IsDomain() || c.BaseTypeOID != OIDVarchar {
		t.Errorf("short: %+v", c)
	}
	if c := col("label"); c.IsDomain() || c.TypeOID != OIDVarchar {
		t.Errorf("label: %+v", c)
	}
	if c := col("dmood"); c.BaseTypeOID != col("mood").TypeOID || c.TypeOID == c.BaseTypeOID {
		t.Errorf("dmood: %+v", c)
	}
}

func TestLoadRelationships(t *testing.T) {
	s, _ := loadFixture(t)
	want := map[string][]string{
		"agents": {
			// The computed relationship named like the target hides agents_department_id_fkey.
			"test.agents -> test.departments computed test.departments to-one",
		},
		"client_stats": {
			"test.client_stats -> test.measurements one-to-many measurements_client_id_fkey(id=client_id)",
			"test.client_stats -> test.orders_view one-to-many orders_client_id_fkey(id=client_id)",
			"test.client_stats -> test.projects one-to-many projects_client_id_fkey(id=client_id)",
			"test.client_stats -> test.projects_view one-to-many projects_client_id_fkey(id=client_id)",
		},
		"clients": {
			"test.clients -> test.measurements one-to-many measurements_client_id_fkey(id=client_id)",
			"test.clients -> test.orders_view one-to-many orders_client_id_fkey(id=client_id)",
			"test.clients -> test.projects computed test.client_projects to-many",
			"test.clients -> test.projects one-to-many projects_client_id_fkey(id=client_id)",
			"test.clients -> test.projects_view one-to-many projects_client_id_fkey(id=client_id)",
		},
		"clients_view": {
			"test.clients_view -> test.measurements one-to-many measurements_client_id_fkey(id=client_id)",
			"test.clients_view -> test.orders_view one-to-many orders_client_id_fkey(id=client_id)",
			"test.clients_view -> test.projects one-to-many projects_client_id_fkey(id=client_id)",
			"test.clients_view -> test.projects_view one-to-many projects_client_id_fkey(id=client_id)",
		},
		"departments": {
			"test.departments -> test.agents many-to-one departments_head_id_fkey(head_id=id) fk-here to-one",
			"test.departments -> test.agents one-to-many agents_department_id_fkey(id=department_id)",
		},
		"employees": {
			"test.employees -> test.employees computed self test.manager to-one",
			"test.employees -> test.employees many-to-one self employees_manager_id_fkey(manager_id=id) fk-here to-one",
			"test.employees -> test.employees one-to-many self employees_manager_id_fkey(id=manager_id)",
		},
		"kitchen_sink": nil,
		"paints":       nil,
		"remote_items": nil,
		"friendships": {
			"test.friendships -> test.people many-to-one friendships_a_id_fkey(a_id=id) fk-here to-one",
			"test.friendships -> test.people many-to-one friendships_b_id_fkey(b_id=id) fk-here to-one",
		},
		"people": {
			"test.people -> test.friendships one-to-many friendships_a_id_fkey(id=a_id)",
			"test.people -> test.friendships one-to-many friendships_b_id_fkey(id=b_id)",
			"test.people -> test.people many-to-many self via test.friendships friendships_a_id_fkey(a_id=id) friendships_b_id_fkey(b_id=id)",
			"test.people -> test.people many-to-many self via test.friendships friendships_b_id_fkey(b_id=id) friendships_a_id_fkey(a_id=id)",
		},
		"measurements": {
			"test.measurements -> test.client_stats many-to-one measurements_client_id_fkey(client_id=id) fk-here to-one",
			"test.measurements -> test.clients many-to-one measurements_client_id_fkey(client_id=id) fk-here to-one",
			"test.measurements -> test.clients_view many-to-one measurements_client_id_fkey(client_id=id) fk-here to-one",
		},
		"messages": {
			"test.messages -> test.users many-to-one messages_recipient_fkey(recipient_id=id) fk-here to-one",
			"test.messages -> test.users many-to-one messages_sender_fkey(sender_id=id) fk-here to-one",
		},
		"orders_view": {
			"test.orders_view -> test.client_stats many-to-one orders_client_id_fkey(client_id=id) fk-here to-one",
			"test.orders_view -> test.clients many-to-one orders_client_id_fkey(client_id=id) fk-here to-one",
			"test.orders_view -> test.clients_view many-to-one orders_client_id_fkey(client_id=id) fk-here to-one",
		},
		"passports": {
			"test.passports -> test.users one-to-one passports_user_id_fkey(user_id=id) fk-here to-one",
		},
		"project_details": {
			"test.project_details -> test.projects one-to-one project_details_project_id_fkey(project_id=id) fk-here to-one",
			"test.project_details -> test.projects_view one-to-one project_details_project_id_fkey(project_id=id) fk-here to-one",
		},
		"projects": {
			"test.projects -> test.client_stats many-to-one projects_client_id_fkey(client_id=id) fk-here to-one",
			"test.projects -> test.clients computed test.main_client to-one",
			"test.projects -> test.clients many-to-one projects_client_id_fkey(client_id=id) fk-here to-one",
			"test.projects -> test.clients_view many-to-one projects_client_id_fkey(client_id=id) fk-here to-one",
			"test.projects -> test.project_details one-to-one project_details_project_id_fkey(id=project_id) to-one",
			"test.projects -> test.users many-to-many via test.users_projects users_projects_project_id_fkey(project_id=id) users_projects_user_id_fkey(user_id=id)",
			"test.projects -> test.users_projects one-to-many users_projects_project_id_fkey(id=project_id)",
			// No relationship to private.secrets: it is not exposed.
		},
		"projects_view": {
			"test.projects_view -> test.client_stats many-to-one projects_client_id_fkey(client_id=id) fk-here to-one",
			"test.projects_view -> test.clients many-to-one projects_client_id_fkey(client_id=id) fk-here to-one",
			"test.projects_view -> test.clients_view many-to-one projects_client_id_fkey(client_id=id) fk-here to-one",
			"test.projects_view -> test.project_details one-to-one project_details_project_id_fkey(id=project_id) to-one",
			"test.projects_view -> test.users many-to-many via test.users_projects users_projects_project_id_fkey(project_id=id) users_projects_user_id_fkey(user_id=id)",
			"test.projects_view -> test.users_projects one-to-many users_projects_project_id_fkey(id=project_id)",
		},
		"users": {
			"test.users -> test.messages one-to-many messages_recipient_fkey(id=recipient_id)",
			"test.users -> test.messages one-to-many messages_sender_fkey(id=sender_id)",
			"test.users -> test.passports one-to-one passports_user_id_fkey(id=user_id) to-one",
			"test.users -> test.projects many-to-many via test.users_projects users_projects_user_id_fkey(user_id=id) users_projects_project_id_fkey(project_id=id)",
			"test.users -> test.projects_view many-to-many via test.users_projects users_projects_user_id_fkey(user_id=id) users_projects_project_id_fkey(project_id=id)",
			"test.users -> test.users_projects one-to-many users_projects_user_id_fkey(id=user_id)",
		},
		"users_projects": {
			"test.users_projects -> test.projects many-to-one users_projects_project_id_fkey(project_id=id) fk-here to-one",
			"test.users_projects -> test.projects_view many-to-one users_projects_project_id_fkey(project_id=id) fk-here to-one",
			"test.users_projects -> test.users many-to-one users_projects_user_id_fkey(user_id=id) fk-here to-one",
		},
	}
	for _, r := range s.Relations {
		var got []string
		for _, rel := range s.Relationships("test", r.Name) {
			got = append(got, describe(rel))
		}
		w, ok := want[r.Name]
		if !ok {
			t.Errorf("unexpected relation %s", r.Name)
		}
		if !slices.Equal(got, w) {
			t.Errorf("relationships of %s:\n got %s\nwant %s", r.Name, strings.Join(got, "\n     "), strings.Join(w, "\n     "))
		}
	}
	if rels := s.Relationships("test", "nope"); rels != nil {
		t.Errorf("relationships of an unknown relation: %v", rels)
	}
	// A junction's column pairs in full.
	for _, rel := range s.Relationships("test", "users") {
		if rel.Cardinality == ManyToMany && rel.ForeignTable.Name == "projects" {
			want := &Junction{
				Table:         QualifiedName{"test", "users_projects"},
				Constraint1:   "users_projects_user_id_fkey",
				Constraint2:   "users_projects_project_id_fkey",
				SourceColumns: []ColumnPair{{Column: "user_id", Foreign: "id"}},
				TargetColumns: []ColumnPair{{Column: "project_id", Foreign: "id"}},
			}
			if !reflect.DeepEqual(rel.Junction, want) || rel.ToOne || rel.IsSelf {
				t.Errorf("junction = %+v", rel.Junction)
			}
		}
	}
}

func TestLoadRoleSettings(t *testing.T) {
	s, db := loadFixture(t)
	ctx := context.Background()
	loadAs := func(role string) *Snapshot {
		t.Helper()
		url := db.URL
		if role != "" {
			url = db.URLAs(role)
		}
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		s, err := Load(ctx, conn, []string{"test"})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	settings := func(s *Snapshot) *RoleSettings {
		rs, _ := s.Role("schema_fixture_role")
		return rs
	}

	// log_statement is a superuser setting: an unprivileged loader cannot apply it.
	want := &RoleSettings{
		Role:           "schema_fixture_role",
		Settings:       []Setting{{"statement_timeout", "3s"}, {"app.tenant", "acme"}},
		IsolationLevel: "repeatable read",
	}
	if got := settings(loadAs("schema_fixture_login")); !reflect.DeepEqual(got, want) {
		t.Errorf("role settings seen by an unprivileged role = %+v", got)
	}
	// A superuser may (PostgreSQL 15 grants SET on every parameter to superusers).
	if s.ServerVersion >= 150000 {
		withSuper := *want
		withSuper.Settings = append(slices.Clone(want.Settings), Setting{"log_statement", "all"})
		if got := settings(s); !reflect.DeepEqual(got, &withSuper) {
			t.Errorf("role settings seen by a superuser = %+v", got)
		}
	}

	// A database-specific setting overrides the role-wide one.
	db.Exec(t, `ALTER ROLE schema_fixture_role IN DATABASE "`+db.Name+`" SET statement_timeout = '4s'`)
	t.Cleanup(func() { db.Exec(t, `ALTER ROLE schema_fixture_role IN DATABASE "`+db.Name+`" RESET ALL`) })
	rs := settings(loadAs("schema_fixture_login"))
	if rs == nil || !slices.Equal(rs.Settings, []Setting{{"statement_timeout", "4s"}, {"app.tenant", "acme"}}) {
		t.Errorf("with database override: %+v", rs)
	}
}

// An unprivileged login role (what an authenticator is) sees the same catalog.
func TestLoadAsUnprivilegedRole(t *testing.T) {
	super, db := loadFixture(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db.URLAs("schema_fixture_login"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	s, err := Load(ctx, conn, []string{"test", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	// Role settings differ by design (see TestLoadRoleSettings).
	super.RoleSettings, s.RoleSettings = nil, nil
	assertSameJSON(t, super, s)
}

func TestLoadDomainRepresentations(t *testing.T) {
	s, _ := loadFixture(t)
	paints := mustRelation(t, s, "test", "paints")
	color, _ := paints.Column("color")
	var got []string
	for _, d := range s.DomainRepresentations {
		if d.Source == "test.color" || d.Target == "test.color" {
			got = append(got, d.Source+" -> "+d.Target+" via "+d.Function.String())
		}
	}
	want := []string{
		"json -> test.color via private.json_to_color",
		"test.color -> json via private.color_to_json",
		"text -> test.color via private.text_to_color",
	}
	if !slices.Equal(got, want) {
		t.Errorf("domain representations %q", got)
	}
	if d, ok := s.DomainRepresentation(color.TypeOID, OIDJSON); !ok || d.Function.Name != "color_to_json" {
		t.Errorf("color → json: %+v", d)
	}
	if d, ok := s.DomainRepresentation(OIDText, color.TypeOID); !ok || d.Function.Name != "text_to_color" {
		t.Errorf("text → color: %+v", d)
	}
	if _, ok := s.DomainRepresentation(color.TypeOID, OIDText); ok {
		t.Error("an explicit cast is not a representation")
	}
}

// Load must work on a pool configured like the server's (QueryExecModeExec) and inside a
// caller's transaction, leaving its search_path alone.
func TestLoadQueriers(t *testing.T) {
	base, db := loadFixture(t)
	ctx := context.Background()

	cfg, err := pgxpool.ParseConfig(db.URL)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeExec
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	fromPool, err := Load(ctx, pool, []string{"test", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, base, fromPool)

	conn, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SET LOCAL search_path = test, public`); err != nil {
		t.Fatal(err)
	}
	fromTx, err := Load(ctx, tx, []string{"test", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, base, fromTx)
	var path string
	if err := tx.QueryRow(ctx, `SHOW search_path`).Scan(&path); err != nil {
		t.Fatal(err)
	}
	if path != "test, public" {
		t.Errorf("search_path after Load = %q", path)
	}
}

func assertSameJSON(t *testing.T, a, b *Snapshot) {
	t.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if string(ja) != string(jb) {
		t.Errorf("snapshots differ:\n%s\n%s", ja, jb)
	}
}

func mustRelation(t *testing.T, s *Snapshot, schema, name string) *Relation {
	t.Helper()
	r, ok := s.Relation(schema, name)
	if !ok {
		t.Fatalf("no relation %s.%s", schema, name)
	}
	return r
}

func columnNames(r *Relation) []string {
	var out []string
	for _, c := range r.Columns {
		out = append(out, c.Name)
	}
	return out
}
