package schema

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Querier runs catalog queries. *pgx.Conn, pgx.Tx and *pgxpool.Pool satisfy it. (A Querier
// that can neither BeginTx nor Begin gets no consistent snapshot and keeps its own
// search_path, so type names visible on it come back unqualified.)
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

type txStarter interface {
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}

type savepointStarter interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Load reads the catalog for the exposed schemas and returns a new snapshot.
//
// When q can begin a transaction (*pgx.Conn, *pgxpool.Pool) all queries run in one
// REPEATABLE READ, READ ONLY transaction so they see one consistent catalog; inside a
// caller's pgx.Tx they run in a savepoint that is rolled back afterwards. Either way
// search_path is emptied for the duration so type names and defaults come back
// schema-qualified, and nothing is left changed.
//
// The loading role needs no privilege on the exposed schemas or their objects (only
// catalog reads), as PostgREST's schema cache does not consider privileges. Schemas that
// do not exist are left out of Snapshot.Schemas without error.
func Load(ctx context.Context, q Querier, schemas []string) (*Snapshot, error) {
	start := time.Now()
	var tx pgx.Tx
	var err error
	switch b := q.(type) {
	case txStarter:
		tx, err = b.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	case savepointStarter:
		tx, err = b.Begin(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("schema: begin: %w", err)
	}
	if tx != nil {
		defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
		q = tx
	}
	var ignored string
	if err := q.QueryRow(ctx, `SELECT set_config('search_path', '', true)`).Scan(&ignored); err != nil {
		return nil, fmt.Errorf("schema: search_path: %w", err)
	}

	l := &loader{
		q:       q,
		schemas: schemas,
		snap:    &Snapshot{},
		byOID:   map[uint32]*Relation{},
		byType:  map[uint32]*Relation{},
		keys:    map[uint32][]rawKey{},
		views:   map[uint32]map[int]colSource{},
	}
	steps := []struct {
		name string
		run  func(context.Context) error
	}{
		{"server version", l.loadServer},
		{"schemas", l.loadSchemas},
		{"relations", l.loadRelations},
		{"columns", l.loadColumns},
		{"enums", l.loadEnums},
		{"views", l.loadViews},
		{"keys", l.loadKeys},
		{"foreign keys", l.loadForeignKeys},
		{"functions", l.loadFunctions},
		{"composite types", l.loadCompositeTypes},
		{"role settings", l.loadRoleSettings},
		{"domain representations", l.loadDomainRepresentations},
	}
	for _, s := range steps {
		if err := s.run(ctx); err != nil {
			return nil, fmt.Errorf("schema: load %s: %w", s.name, err)
		}
	}
	l.build()
	l.snap.index()
	l.snap.LoadDuration = time.Since(start)
	return l.snap, nil
}

// loader holds what the queries return until the snapshot is assembled.
type loader struct {
	q       Querier
	schemas []string
	snap    *Snapshot

	byOID  map[uint32]*Relation // exposed relations
	byType map[uint32]*Relation // by row type OID
	// attNames maps exposed relation OID → attribute number → column name.
	attNames map[uint32]map[int]string
	enums    map[uint32][]string
	views    map[uint32]map[int]colSource // exposed view OID → view column → shown column
	viewCols map[*Relation][]viewColumn   // exposed view → its columns that show a base column
	keys     map[uint32][]rawKey
	fks      []rawFK
	funcs    []rawFunction
}

type rawKey struct {
	name    string
	primary bool
	cols    []string
	nums    []int
}

type rawFK struct {
	name       string
	rel, frel  uint32
	relName    QualifiedName
	frelName   QualifiedName
	cols, fcol []string
	nums, fnum []int
}

func (l *loader) loadServer(ctx context.Context) error {
	return l.q.QueryRow(ctx, queryServer).Scan(&l.snap.ServerVersion)
}

func (l *loader) loadSchemas(ctx context.Context) error {
	found := map[string]string{}
	rows, err := l.q.Query(ctx, querySchemas, l.schemas)
	if err != nil {
		return err
	}
	var name, comment string
	if _, err := pgx.ForEachRow(rows, []any{&name, &comment}, func() error {
		found[name] = comment
		return nil
	}); err != nil {
		return err
	}
	for _, s := range l.schemas {
		if c, ok := found[s]; ok {
			l.snap.Schemas = append(l.snap.Schemas, Schema{Name: s, Comment: c})
			delete(found, s) // a schema listed twice appears once
		}
	}
	return nil
}

var relKinds = map[string]Kind{
	"r": KindTable, "v": KindView, "m": KindMaterializedView, "f": KindForeignTable, "p": KindPartitionedTable,
}

func (l *loader) loadRelations(ctx context.Context) error {
	rows, err := l.q.Query(ctx, queryRelations, l.schemas)
	if err != nil {
		return err
	}
	var (
		oid, reltype uint32
		schema, name string
		kind         string
		comment      string
		updatable    int32
	)
	_, err = pgx.ForEachRow(rows, []any{&oid, &schema, &name, &kind, &comment, &updatable, &reltype}, func() error {
		r := &Relation{
			Schema: schema, Name: name, Kind: relKinds[kind], Comment: comment,
			Insertable: updatable&8 != 0, Updatable: updatable&4 != 0, Deletable: updatable&16 != 0,
		}
		l.snap.Relations = append(l.snap.Relations, r)
		l.byOID[oid] = r
		l.byType[reltype] = r
		return nil
	})
	return err
}

var typeKinds = map[string]TypeKind{
	"b": TypeBase, "c": TypeComposite, "e": TypeEnum, "r": TypeRange, "m": TypeMultirange, "p": TypePseudo,
}

func (l *loader) loadColumns(ctx context.Context) error {
	l.attNames = make(map[uint32]map[int]string, len(l.byOID))
	return l.scanColumns(ctx, queryColumns, l.schemas, func(relOID uint32, num int, c *Column) {
		r := l.byOID[relOID]
		if r == nil {
			return
		}
		r.Columns = append(r.Columns, c)
		if l.attNames[relOID] == nil {
			l.attNames[relOID] = map[int]string{}
		}
		l.attNames[relOID][num] = c.Name
	})
}

// loadCompositeTypes reads the attributes of the composite types exposed functions return
// (not a relation's row type), so that their results can be selected, filtered and ordered.
func (l *loader) loadCompositeTypes(ctx context.Context) error {
	byOID := map[uint32]*Relation{}
	var oids []uint32
	for _, f := range l.funcs {
		if f.retRelkind != "c" || f.retRelOID == 0 || byOID[f.retRelOID] != nil {
			continue
		}
		byOID[f.retRelOID] = &Relation{Schema: f.retRelSchema, Name: f.retRelNam, Kind: KindComposite}
		oids = append(oids, f.retRelOID)
	}
	if len(oids) == 0 {
		return nil
	}
	err := l.scanColumns(ctx, queryCompositeColumns, oids, func(relOID uint32, _ int, c *Column) {
		if r := byOID[relOID]; r != nil {
			r.Columns = append(r.Columns, c)
		}
	})
	for _, r := range byOID {
		l.snap.CompositeTypes = append(l.snap.CompositeTypes, r)
	}
	return err
}

// scanColumns runs a columns query and hands each column to add.
func (l *loader) scanColumns(ctx context.Context, query string, arg any, add func(relOID uint32, num int, c *Column)) error {
	rows, err := l.q.Query(ctx, query, arg)
	if err != nil {
		return err
	}
	var (
		relOID, typeOID, baseOID, elemOID     uint32
		num, typmod                           int
		name, nominal, plain, baseName        string
		baseSchema, typtype, elemName         string
		nullable                              bool
		def, identity, generated, description string
	)
	_, err = pgx.ForEachRow(rows, []any{
		&relOID, &num, &name, &nominal, &plain, &typeOID, &baseOID, &baseName, &baseSchema, &typtype,
		&elemOID, &elemName, &nullable, &def, &identity, &generated, &typmod, &description,
	}, func() error {
		c := &Column{
			Name: name, Position: num, Type: nominal, DataType: plain, TypeOID: typeOID,
			BaseType: baseName, BaseTypeOID: baseOID, TypeKind: typeKinds[typtype],
			Nullable: nullable, Default: def, Comment: description,
		}
		if typeOID != baseOID && baseSchema == "pg_catalog" {
			c.DataType = baseName
		}
		if elemOID != 0 {
			c.TypeKind, c.ElementType, c.ElementTypeOID = TypeArray, elemName, elemOID
		}
		switch identity {
		case "a":
			c.Identity, c.Generated = "always", true
		case "d":
			c.Identity = "by default"
		}
		if generated == "s" {
			c.Generated = true
		}
		if (baseOID == OIDBpchar || baseOID == OIDVarchar) && typmod > 4 {
			c.MaxLength = typmod - 4
		}
		add(relOID, num, c)
		return nil
	})
	return err
}

func (l *loader) loadEnums(ctx context.Context) error {
	rows, err := l.q.Query(ctx, queryEnums)
	if err != nil {
		return err
	}
	l.enums = map[uint32][]string{}
	var oid uint32
	var labels []string
	if _, err := pgx.ForEachRow(rows, []any{&oid, &labels}, func() error {
		l.enums[oid] = labels
		return nil
	}); err != nil {
		return err
	}
	for _, r := range l.snap.Relations {
		for _, c := range r.Columns {
			if c.TypeKind == TypeEnum {
				c.Enum = l.enums[c.BaseTypeOID]
			}
		}
	}
	return nil
}

func (l *loader) loadViews(ctx context.Context) error {
	rows, err := l.q.Query(ctx, queryViews, l.schemas)
	if err != nil {
		return err
	}
	var oid uint32
	var action string
	_, err = pgx.ForEachRow(rows, []any{&oid, &action}, func() error {
		targets, err := viewTargets(action)
		if err != nil {
			return err
		}
		l.views[oid] = targets
		return nil
	})
	return err
}

// baseOIDs lists the relations exposed views show columns of, so that their keys are
// loaded even when they live outside the exposed schemas.
func (l *loader) baseOIDs() []uint32 {
	seen := map[uint32]bool{}
	var out []uint32
	for _, targets := range l.views {
		for _, src := range targets {
			if !seen[src.rel] && l.byOID[src.rel] == nil {
				seen[src.rel] = true
				out = append(out, src.rel)
			}
		}
	}
	slices.Sort(out)
	if out == nil {
		out = []uint32{}
	}
	return out
}

func (l *loader) loadKeys(ctx context.Context) error {
	rows, err := l.q.Query(ctx, queryKeys, l.schemas, l.baseOIDs())
	if err != nil {
		return err
	}
	var (
		rel        uint32
		name, kind string
		nums       []int
	)
	_, err = pgx.ForEachRow(rows, []any{&rel, &name, &kind, &nums}, func() error {
		l.keys[rel] = append(l.keys[rel], rawKey{name: name, primary: kind == "p", cols: l.names(rel, nums), nums: nums})
		return nil
	})
	return err
}

// names names the attributes of an exposed relation (nil for other relations).
func (l *loader) names(rel uint32, nums []int) []string {
	atts, ok := l.attNames[rel]
	if !ok {
		return nil
	}
	out := make([]string, len(nums))
	for i, n := range nums {
		out[i] = atts[n]
	}
	return out
}

func (l *loader) loadForeignKeys(ctx context.Context) error {
	rows, err := l.q.Query(ctx, queryForeignKeys, l.schemas, l.baseOIDs())
	if err != nil {
		return err
	}
	var fk rawFK
	var fnames []string
	_, err = pgx.ForEachRow(rows, []any{
		&fk.name, &fk.rel, &fk.relName.Schema, &fk.relName.Name, &fk.frel, &fk.frelName.Schema, &fk.frelName.Name,
		&fk.nums, &fk.fnum, &fnames,
	}, func() error {
		fk.cols = l.names(fk.rel, fk.nums)
		fk.fcol = l.names(fk.frel, fk.fnum)
		if fk.fcol == nil {
			fk.fcol = fnames
		}
		l.fks = append(l.fks, fk)
		fk, fnames = rawFK{}, nil
		return nil
	})
	return err
}

type rawFunction struct {
	oid                     uint32
	schema, name, comment   string
	nargs, ndefaults        int
	argNames, argModes      []string
	argTypes                []uint32
	argTypeNames            []string
	retType                 uint32
	retTypeName             string
	retName                 QualifiedName
	retSet                  bool
	retTyptype, retRelkind  string
	retRelSchema, retRelNam string
	volatility              string
	secdef                  bool
	config                  []string
	rows                    float64
	retRelOID               uint32 // pg_class of the returned row type (table or composite)
}

func (l *loader) loadFunctions(ctx context.Context) error {
	rows, err := l.q.Query(ctx, queryFunctions, l.schemas)
	if err != nil {
		return err
	}
	var f rawFunction
	_, err = pgx.ForEachRow(rows, []any{
		&f.oid, &f.schema, &f.name, &f.comment, &f.nargs, &f.ndefaults, &f.argNames, &f.argModes,
		&f.argTypes, &f.argTypeNames, &f.retType, &f.retTypeName, &f.retName.Schema, &f.retName.Name, &f.retSet, &f.retTyptype, &f.retRelkind,
		&f.retRelSchema, &f.retRelNam, &f.volatility, &f.secdef, &f.config, &f.rows, &f.retRelOID,
	}, func() error {
		l.funcs = append(l.funcs, f)
		f = rawFunction{}
		return nil
	})
	return err
}

func (l *loader) loadRoleSettings(ctx context.Context) error {
	settable := ""
	if l.snap.ServerVersion >= 150000 {
		settable = settablePG15
	}
	rows, err := l.q.Query(ctx, fmt.Sprintf(queryRoleSettings, settable))
	if err != nil {
		return err
	}
	type roleAcc struct {
		order []string
		vals  map[string]string
	}
	byRole := map[string]*roleAcc{}
	var roles []string
	var role, name, value string
	var ok bool
	if _, err := pgx.ForEachRow(rows, []any{&role, &name, &value, &ok}, func() error {
		if !ok {
			return nil
		}
		acc := byRole[role]
		if acc == nil {
			acc = &roleAcc{vals: map[string]string{}}
			byRole[role] = acc
			roles = append(roles, role)
		}
		if _, ok := acc.vals[name]; !ok {
			acc.order = append(acc.order, name)
		}
		acc.vals[name] = value
		return nil
	}); err != nil {
		return err
	}
	for _, role := range roles {
		acc := byRole[role]
		rs := RoleSettings{Role: role}
		for _, n := range acc.order {
			if n == "default_transaction_isolation" {
				rs.IsolationLevel = acc.vals[n]
				continue
			}
			rs.Settings = append(rs.Settings, Setting{Name: n, Value: acc.vals[n]})
		}
		l.snap.RoleSettings = append(l.snap.RoleSettings, rs)
	}
	return nil
}

func (l *loader) loadDomainRepresentations(ctx context.Context) error {
	rows, err := l.q.Query(ctx, queryDomainRepresentations)
	if err != nil {
		return err
	}
	var d DomainRepresentation
	_, err = pgx.ForEachRow(rows, []any{&d.SourceOID, &d.Source, &d.TargetOID, &d.Target, &d.Function.Schema, &d.Function.Name}, func() error {
		l.snap.DomainRepresentations = append(l.snap.DomainRepresentations, d)
		return nil
	})
	return err
}

// splitSetting splits a "name=value" configuration entry.
func splitSetting(s string) (Setting, error) {
	name, value, ok := strings.Cut(s, "=")
	if !ok {
		return Setting{}, errors.New("malformed setting " + s)
	}
	return Setting{Name: name, Value: value}, nil
}
