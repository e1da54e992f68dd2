package openapi

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/rocksteady/rocksteady/pkg/schema"
)

// Privileges say what a role may do with one relation.
type Privileges struct {
	Select, Insert, Update, Delete bool
}

// Allowed is what the caller may use; a nil *Allowed shows everything
// (PGRST_OPENAPI_MODE=ignore-privileges).
type Allowed struct {
	// Relations maps a relation's name (in the selected schema) to its privileges; absent
	// relations are hidden.
	Relations map[string]Privileges
	// Functions holds the OIDs of the functions the role may execute.
	Functions map[uint32]bool
}

// Options describe the document's frame.
type Options struct {
	// Version is the server's version (info.version).
	Version string
	// ServerURL, when set, becomes servers[0].url (PGRST_OPENAPI_SERVER_PROXY_URI).
	ServerURL string
}

// Build renders the document for schemaName of snap.
func Build(snap *schema.Snapshot, schemaName string, allowed *Allowed, opts Options) ([]byte, error) {
	b := &builder{snap: snap, schema: schemaName, allowed: allowed,
		paths:   map[string]any{},
		schemas: map[string]any{}, params: map[string]any{}, bodies: map[string]any{}}
	b.sharedParams()
	b.paths["/"] = map[string]any{"get": map[string]any{
		"tags":        []string{"Introspection"},
		"summary":     "OpenAPI description (this document)",
		"operationId": "openapi",
		"responses": map[string]any{"200": map[string]any{"description": "OK",
			"content": map[string]any{"application/openapi+json": map[string]any{"schema": map[string]any{"type": "object"}}}}},
	}}
	for _, rel := range snap.Relations {
		if rel.Schema != schemaName {
			continue
		}
		priv := Privileges{true, rel.Insertable, rel.Updatable, rel.Deletable}
		if allowed != nil {
			p, ok := allowed.Relations[rel.Name]
			if !ok {
				continue
			}
			priv = Privileges{p.Select, p.Insert && rel.Insertable, p.Update && rel.Updatable, p.Delete && rel.Deletable}
		}
		b.relation(rel, priv)
	}
	b.functions()

	title, description := "rocksteady API", "A PostgREST-compatible API generated from the database schema by rocksteady."
	for _, s := range snap.Schemas {
		if s.Name == schemaName && s.Comment != "" {
			first, rest, _ := strings.Cut(s.Comment, "\n")
			title, description = strings.TrimSpace(first), strings.TrimSpace(rest)
		}
	}
	info := map[string]any{"title": title, "version": opts.Version}
	if description != "" {
		info["description"] = description
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info":    info,
		"paths":   b.paths,
		"components": map[string]any{
			"schemas":       b.schemas,
			"parameters":    b.params,
			"requestBodies": b.bodies,
		},
	}
	if opts.ServerURL != "" {
		doc["servers"] = []any{map[string]any{"url": opts.ServerURL}}
	}
	// encoding/json sorts map keys, so the document is stable byte for byte.
	return json.Marshal(doc)
}

type builder struct {
	snap    *schema.Snapshot
	schema  string
	allowed *Allowed
	paths   map[string]any
	schemas map[string]any
	params  map[string]any
	bodies  map[string]any
}

// key makes a component name out of an identifier: components' keys may only hold
// letters, digits, '.', '-' and '_', so anything else is spelled _xHH.
func key(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "_x%02X", c)
		}
	}
	return b.String()
}

func ref(kind, name string) map[string]any {
	return map[string]any{"$ref": "#/components/" + kind + "/" + name}
}

func enumHeader(desc string, values ...string) map[string]any {
	return map[string]any{"name": "Prefer", "in": "header", "required": false, "description": desc,
		"schema": map[string]any{"type": "string", "enum": values}}
}

func queryParam(name, desc string, s map[string]any) map[string]any {
	return map[string]any{"name": name, "in": "query", "required": false, "description": desc, "schema": s}
}

var str = map[string]any{"type": "string"}

func (b *builder) sharedParams() {
	b.params["select"] = queryParam("select", "Columns and embedded resources to return, e.g. id,name,owner(name)", str)
	b.params["order"] = queryParam("order", "Ordering, e.g. name.asc,created_at.desc.nullslast", str)
	b.params["limit"] = queryParam("limit", "Maximum number of rows", map[string]any{"type": "integer", "minimum": 0})
	b.params["offset"] = queryParam("offset", "Rows to skip", map[string]any{"type": "integer", "minimum": 0})
	b.params["on_conflict"] = queryParam("on_conflict", "Columns of the unique constraint an upsert resolves on", str)
	b.params["columns"] = queryParam("columns", "Columns to take from the body", str)
	b.params["range"] = map[string]any{"name": "Range", "in": "header", "required": false,
		"description": "Rows to return, e.g. 0-24", "schema": str}
	b.params["rangeUnit"] = map[string]any{"name": "Range-Unit", "in": "header", "required": false,
		"description": "Unit of the Range header", "schema": map[string]any{"type": "string", "default": "items"}}
	b.params["preferCount"] = enumHeader("Ask for the total row count in Content-Range", "count=exact", "count=planned", "count=estimated")
	b.params["preferReturn"] = enumHeader("What the response carries", "return=representation", "return=minimal", "return=headers-only")
	b.params["preferPost"] = enumHeader("What the response carries, and how duplicates are resolved",
		"return=representation", "return=minimal", "return=headers-only", "resolution=ignore-duplicates", "resolution=merge-duplicates", "missing=default")
	b.params["preferParams"] = enumHeader("Pass the whole body as the function's single json argument", "params=single-object")
}

// reserved query parameters are never column filters.
var reserved = map[string]bool{"select": true, "order": true, "limit": true, "offset": true, "on_conflict": true, "columns": true, "and": true, "or": true, "not.and": true, "not.or": true}

func (b *builder) relation(rel *schema.Relation, priv Privileges) {
	name := key(rel.Name)
	b.schemas[name] = relationSchema(rel)
	var filters []any
	for _, c := range rel.Columns {
		if reserved[c.Name] {
			continue
		}
		pk := "rowFilter." + name + "." + key(c.Name)
		b.params[pk] = queryParam(c.Name, "Filter on "+c.Name+" (operator.value, e.g. eq.1)", str)
		filters = append(filters, ref("parameters", pk))
	}
	rowSchema := ref("schemas", name)
	rows := map[string]any{"type": "array", "items": rowSchema}
	bodyContent := map[string]any{
		"application/json":                  map[string]any{"schema": map[string]any{"oneOf": []any{rowSchema, rows}}},
		"application/vnd.pgrst.object+json": map[string]any{"schema": rowSchema},
		"text/csv":                          map[string]any{"schema": str},
		"application/x-www-form-urlencoded": map[string]any{"schema": rowSchema},
	}
	readContent := map[string]any{
		"application/json":                  map[string]any{"schema": rows},
		"application/vnd.pgrst.object+json": map[string]any{"schema": rowSchema},
		"text/csv":                          map[string]any{"schema": str},
	}
	summary, description := splitComment(rel.Comment)
	op := func(id string, params []any, responses map[string]any) map[string]any {
		o := map[string]any{"tags": []string{rel.Name}, "operationId": id + "_" + name, "parameters": params, "responses": responses}
		if summary != "" {
			o["summary"] = summary
		}
		if description != "" {
			o["description"] = description
		}
		return o
	}
	with := func(params []any, extra ...string) []any {
		out := append([]any(nil), params...)
		for _, e := range extra {
			out = append(out, ref("parameters", e))
		}
		return out
	}
	item := map[string]any{}
	if priv.Select {
		item["get"] = op("get", with(filters, "select", "order", "range", "rangeUnit", "offset", "limit", "preferCount"),
			map[string]any{
				"200": map[string]any{"description": "OK", "content": readContent},
				"206": map[string]any{"description": "Partial Content", "content": readContent},
			})
	}
	written := map[string]any{
		"200": map[string]any{"description": "OK", "content": readContent},
		"204": map[string]any{"description": "No Content"},
	}
	if priv.Insert {
		b.bodies[name] = map[string]any{"description": rel.Name, "required": true, "content": bodyContent}
		o := op("post", with(nil, "select", "columns", "on_conflict", "preferPost"), map[string]any{
			"201": map[string]any{"description": "Created", "content": readContent},
		})
		o["requestBody"] = ref("requestBodies", name)
		item["post"] = o
	}
	if priv.Update {
		b.bodies[name] = map[string]any{"description": rel.Name, "required": true, "content": bodyContent}
		o := op("patch", with(filters, "select", "columns", "order", "limit", "preferReturn"), written)
		o["requestBody"] = ref("requestBodies", name)
		item["patch"] = o
	}
	if priv.Delete {
		item["delete"] = op("delete", with(filters, "select", "order", "limit", "preferReturn"), written)
	}
	if len(item) > 0 {
		b.paths["/"+url.PathEscape(rel.Name)] = item
	}
}

func splitComment(c string) (summary, description string) {
	first, rest, _ := strings.Cut(c, "\n")
	return strings.TrimSpace(first), strings.TrimSpace(rest)
}

func relationSchema(rel *schema.Relation) map[string]any {
	props := map[string]any{}
	required := []string{}
	pk := map[string]bool{}
	for _, c := range rel.PrimaryKey {
		pk[c] = true
	}
	fks := map[string]string{}
	for _, fk := range rel.ForeignKeys {
		for i, c := range fk.Columns {
			fks[c] = fk.References.Name + "." + fk.ReferencedColumns[i]
		}
	}
	for _, c := range rel.Columns {
		s := columnSchema(c)
		var notes []string
		if c.Comment != "" {
			notes = append(notes, c.Comment)
		}
		if pk[c.Name] {
			notes = append(notes, "This is a Primary Key.")
		}
		if to, ok := fks[c.Name]; ok {
			notes = append(notes, "This is a Foreign Key to `"+to+"`.")
		}
		if c.Default != "" {
			notes = append(notes, "Default: "+c.Default)
		}
		if len(notes) > 0 {
			s["description"] = strings.Join(notes, "\n")
		}
		if c.Generated {
			s["readOnly"] = true
		}
		props[c.Name] = s
		if !c.Nullable {
			required = append(required, c.Name)
		}
	}
	sort.Strings(required)
	out := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		out["required"] = required
	}
	if rel.Comment != "" {
		out["description"] = rel.Comment
	}
	return out
}

func columnSchema(c *schema.Column) map[string]any {
	var s map[string]any
	switch {
	case c.IsJSON():
		return map[string]any{} // any JSON value, null included
	case len(c.Enum) > 0:
		s = map[string]any{"type": "string", "enum": append([]any(nil), toAny(c.Enum)...)}
		if c.Nullable {
			s["enum"] = append(s["enum"].([]any), nil)
		}
	case c.IsArray():
		s = map[string]any{"type": "array", "items": typeSchema(strings.TrimSuffix(c.ElementType, "[]"))}
	default:
		s = typeSchema(c.DataType)
		if c.MaxLength > 0 {
			s["maxLength"] = c.MaxLength
		}
	}
	if c.Nullable {
		if t, ok := s["type"].(string); ok {
			s["type"] = []any{t, "null"}
		}
	}
	return s
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// typeSchema maps a PostgreSQL type name to a JSON schema; types without a JSON
// counterpart are strings whose format names the PostgreSQL type.
func typeSchema(t string) map[string]any {
	if strings.HasSuffix(t, "[]") {
		return map[string]any{"type": "array", "items": typeSchema(strings.TrimSuffix(t, "[]"))}
	}
	if i := strings.IndexByte(t, '('); i > 0 { // character varying(20)
		t = t[:i]
	}
	switch t {
	case "text", "character varying", "character", "name", "citext":
		return map[string]any{"type": "string"}
	case "boolean":
		return map[string]any{"type": "boolean"}
	case "smallint", "integer":
		return map[string]any{"type": "integer", "format": "int32"}
	case "bigint":
		return map[string]any{"type": "integer", "format": "int64"}
	case "real":
		return map[string]any{"type": "number", "format": "float"}
	case "double precision":
		return map[string]any{"type": "number", "format": "double"}
	case "numeric":
		return map[string]any{"type": "number"}
	case "json", "jsonb":
		return map[string]any{}
	}
	return map[string]any{"type": "string", "format": t}
}
