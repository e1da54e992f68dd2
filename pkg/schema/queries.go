package schema

// The catalog queries. Each one returns every row of its kind for all exposed schemas at
// once; none runs per relation. They run with search_path emptied, so format_type and
// pg_get_expr qualify every name outside pg_catalog.
//
// $1 is always the exposed schema names (text[]).

const queryServer = `
SELECT current_setting('server_version_num')::int`

const querySchemas = `
SELECT n.nspname, coalesce(d.description, '')
FROM pg_namespace n
LEFT JOIN pg_description d
  ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::text[])`

// queryRelations: bits of pg_relation_is_updatable are 1<<CMD_x: 4 update, 8 insert,
// 16 delete. It is only asked for views and foreign tables; tables are always writable and
// materialized views never are.
const queryRelations = `
SELECT c.oid, n.nspname, c.relname, c.relkind::text, coalesce(d.description, ''),
       CASE WHEN c.relkind = 'v' THEN pg_relation_is_updatable(c.oid, true)
            WHEN c.relkind IN ('r', 'p') THEN 28
            -- asking a wrapper without handler would fail the whole load
            WHEN c.relkind = 'f' AND EXISTS (
              SELECT 1 FROM pg_foreign_table ft
              JOIN pg_foreign_server fs ON fs.oid = ft.ftserver
              JOIN pg_foreign_data_wrapper w ON w.oid = fs.srvfdw
              WHERE ft.ftrelid = c.oid AND w.fdwhandler <> 0) THEN pg_relation_is_updatable(c.oid, true)
            ELSE 0 END,
       c.reltype
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
  ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::text[])
  AND c.relkind IN ('r', 'v', 'm', 'f', 'p')
  AND NOT c.relispartition`

// domainBases maps every domain to the type under all its domains, with the nearest type
// modifier and default and whether any domain in the chain is NOT NULL.
const domainBases = `
WITH RECURSIVE dom(oid, base, typmod, not_null, def) AS (
  SELECT t.oid, t.typbasetype, t.typtypmod, t.typnotnull, t.typdefault
  FROM pg_type t WHERE t.typtype = 'd'
  UNION ALL
  SELECT d.oid, t.typbasetype,
         CASE WHEN d.typmod = -1 THEN t.typtypmod ELSE d.typmod END,
         d.not_null OR t.typnotnull, coalesce(d.def, t.typdefault)
  FROM dom d JOIN pg_type t ON t.oid = d.base AND t.typtype = 'd'
),
dombase AS (
  SELECT d.* FROM dom d JOIN pg_type t ON t.oid = d.base WHERE t.typtype <> 'd'
)`

const queryColumns = domainBases + columnsSelect + `
WHERE n.nspname = ANY($1::text[])
  AND c.relkind IN ('r', 'v', 'm', 'f', 'p')
  AND NOT c.relispartition
  AND a.attnum > 0 AND NOT a.attisdropped`

// queryCompositeColumns: the attributes of the composite types (CREATE TYPE … AS) that
// exposed functions return, wherever the types live; $1 is their pg_class OIDs.
const queryCompositeColumns = domainBases + columnsSelect + `
WHERE c.oid = ANY($1::oid[]) AND c.relkind = 'c'
  AND a.attnum > 0 AND NOT a.attisdropped`

const columnsSelect = `
SELECT a.attrelid, a.attnum::int, a.attname,
       format_type(a.atttypid, a.atttypmod),
       format_type(a.atttypid, NULL),
       a.atttypid,
       bt.oid, format_type(bt.oid, NULL), bn.nspname, bt.typtype::text,
       CASE WHEN bt.typelem <> 0 AND bt.typlen = -1 THEN bt.typelem ELSE 0 END,
       CASE WHEN bt.typelem <> 0 AND bt.typlen = -1 THEN format_type(bt.typelem, NULL) ELSE '' END,
       NOT (a.attnotnull OR coalesce(dm.not_null, false)),
       coalesce(CASE
         -- the identity sequence, found through pg_depend: name lookups such as
         -- pg_get_serial_sequence need USAGE on the schema, which the loader may lack
         WHEN a.attidentity <> '' THEN (
           SELECT 'nextval(' || quote_literal(quote_ident(sn.nspname) || '.' || quote_ident(sc.relname)) || '::regclass)'
           FROM pg_depend dep
           JOIN pg_class sc ON sc.oid = dep.objid
           JOIN pg_namespace sn ON sn.oid = sc.relnamespace
           WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
             AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum
             AND dep.deptype = 'i' AND sc.relkind = 'S')
         WHEN a.attgenerated <> '' THEN NULL
         ELSE coalesce(pg_get_expr(ad.adbin, ad.adrelid), dm.def)
       END, ''),
       a.attidentity::text, a.attgenerated::text,
       CASE WHEN a.atttypmod <> -1 THEN a.atttypmod ELSE coalesce(dm.typmod, -1) END,
       coalesce(cd.description, '')
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN dombase dm ON dm.oid = a.atttypid
JOIN pg_type bt ON bt.oid = coalesce(dm.base, a.atttypid)
JOIN pg_namespace bn ON bn.oid = bt.typnamespace
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_description cd
  ON cd.objoid = a.attrelid AND cd.classoid = 'pg_class'::regclass AND cd.objsubid = a.attnum`

const queryEnums = `
SELECT e.enumtypid, array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
FROM pg_enum e
GROUP BY e.enumtypid`

// queryViews returns the stored query of every view and materialized view, parsed in Go
// (viewdeps.go) to find which base column each view column shows.
const queryViews = `
SELECT c.oid, r.ev_action::text
FROM pg_rewrite r
JOIN pg_class c ON c.oid = r.ev_class
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1::text[])
  AND c.relkind IN ('v', 'm')
  AND r.rulename = '_RETURN'`

// queryKeys: primary keys and unique constraints of the exposed relations and of the base
// tables exposed views read from ($2, oid[]). Columns come as attribute numbers; Go names
// them from the columns already loaded (a per-row name lookup here costs more than the rest
// of the query on thousands of tables).
const queryKeys = `
SELECT con.conrelid, con.conname, con.contype::text, con.conkey::int[]
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE con.contype IN ('p', 'u')
  AND NOT c.relispartition
  AND (n.nspname = ANY($1::text[]) OR con.conrelid = ANY($2::oid[]))`

// queryForeignKeys: FK constraints touching the exposed schemas or the base tables of
// exposed views ($2). Clones on partitions (conparentid <> 0) are skipped. Columns come as
// attribute numbers; only the referenced columns of an exposed table's FK to a relation
// outside the exposed schemas are named here, as Go has no columns for that relation.
const queryForeignKeys = `
SELECT con.conname, con.conrelid, n1.nspname, c1.relname, con.confrelid, n2.nspname, c2.relname,
       con.conkey::int[], con.confkey::int[],
       CASE WHEN n1.nspname = ANY($1::text[]) AND NOT n2.nspname = ANY($1::text[]) THEN
         ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord)
       END
FROM pg_constraint con
JOIN pg_class c1 ON c1.oid = con.conrelid
JOIN pg_namespace n1 ON n1.oid = c1.relnamespace
JOIN pg_class c2 ON c2.oid = con.confrelid
JOIN pg_namespace n2 ON n2.oid = c2.relnamespace
WHERE con.contype = 'f'
  AND con.conparentid = 0
  AND (n1.nspname = ANY($1::text[]) OR n2.nspname = ANY($1::text[])
       OR con.conrelid = ANY($2::oid[]) OR con.confrelid = ANY($2::oid[]))`

// queryFunctions: every plain function of the exposed schemas except trigger functions;
// Go decides which are callable and which are computed columns or relationships.
const queryFunctions = domainBases + `
SELECT p.oid, n.nspname, p.proname, coalesce(d.description, ''),
       p.pronargs::int, p.pronargdefaults::int,
       coalesce(p.proargnames, '{}'::text[]),
       coalesce(p.proargmodes::text[], '{}'::text[]),
       coalesce(p.proallargtypes, p.proargtypes::oid[]),
       ARRAY(SELECT format_type(u.t, NULL)
             FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY u(t, o)
             ORDER BY u.o),
       p.prorettype, format_type(p.prorettype, NULL), rtn.nspname, rt.typname, p.proretset,
       rb.typtype::text, coalesce(rc.relkind::text, ''), coalesce(rn.nspname, ''), coalesce(rc.relname, ''),
       p.provolatile::text, p.prosecdef, coalesce(p.proconfig, '{}'::text[]), p.prorows::float8,
       coalesce(rc.oid, 0)
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
LEFT JOIN pg_description d
  ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0
JOIN pg_type rt ON rt.oid = p.prorettype
JOIN pg_namespace rtn ON rtn.oid = rt.typnamespace
LEFT JOIN dombase dm ON dm.oid = p.prorettype
JOIN pg_type rb ON rb.oid = coalesce(dm.base, p.prorettype)
LEFT JOIN pg_class rc ON rc.oid = rb.typrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE n.nspname = ANY($1::text[])
  AND p.prokind = 'f'
  AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)`

// queryRoleSettings: ALTER ROLE … [IN DATABASE …] SET, database-specific rows last so they
// override. The last column says whether a session of the loading role may apply the
// setting: context "user" (custom names are absent from pg_settings and count as such),
// or, from PostgreSQL 15 on, a parameter it holds the SET privilege on (%s).
const queryRoleSettings = `
SELECT r.rolname, split_part(s.cfg, '=', 1),
       substr(s.cfg, strpos(s.cfg, '=') + 1),
       coalesce(ps.context, 'user') = 'user' %s
FROM pg_db_role_setting rs
JOIN pg_roles r ON r.oid = rs.setrole
CROSS JOIN LATERAL unnest(rs.setconfig) WITH ORDINALITY s(cfg, ord)
LEFT JOIN pg_settings ps ON ps.name = split_part(s.cfg, '=', 1)
WHERE rs.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
ORDER BY r.rolname, rs.setdatabase <> 0, s.ord`

const settablePG15 = `OR coalesce(has_parameter_privilege(ps.name, 'SET'), false)`

// queryDomainRepresentations: implicit casts implemented by a function the loading role
// may execute, from a domain to json or text, or from json or text to a domain.
const queryDomainRepresentations = `
SELECT c.castsource, format_type(c.castsource, NULL), c.casttarget, format_type(c.casttarget, NULL),
       pn.nspname, p.proname
FROM pg_cast c
JOIN pg_type src ON src.oid = c.castsource
JOIN pg_type tgt ON tgt.oid = c.casttarget
JOIN pg_proc p ON p.oid = c.castfunc
JOIN pg_namespace pn ON pn.oid = p.pronamespace
WHERE c.castmethod = 'f' AND c.castcontext = 'i'
  AND ((src.typtype = 'd' AND c.casttarget IN ('json'::regtype, 'text'::regtype))
    OR (tgt.typtype = 'd' AND c.castsource IN ('json'::regtype, 'text'::regtype)))
  AND has_function_privilege(c.castfunc, 'EXECUTE')`
