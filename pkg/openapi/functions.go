package openapi

import (
	"net/url"

	"github.com/rocksteady/rocksteady/pkg/schema"
)

// functions adds /rpc/<name> for every callable function of the schema. Overloads share a
// path: their arguments are merged and none is required.
func (b *builder) functions() {
	var names []string
	groups := map[string][]*schema.Function{}
	for _, f := range b.snap.AllFunctions {
		if f.Schema != b.schema || b.allowed != nil && !b.allowed.Functions[f.OID] {
			continue
		}
		if _, seen := groups[f.Name]; !seen {
			names = append(names, f.Name)
		}
		groups[f.Name] = append(groups[f.Name], f)
	}
	for _, name := range names {
		b.function(name, groups[name])
	}
}

func (b *builder) function(name string, overloads []*schema.Function) {
	props := map[string]any{}
	var order []string
	required := []string{}
	volatile := false
	for _, f := range overloads {
		if f.Volatility == schema.Volatile {
			volatile = true
		}
		for _, p := range f.InputParams() {
			if p.Name == "" {
				continue
			}
			if _, dup := props[p.Name]; !dup {
				order = append(order, p.Name)
			}
			s := typeSchema(p.Type)
			if p.Mode == schema.ParamVariadic {
				s = map[string]any{"type": "array", "items": s}
			}
			props[p.Name] = s
			if len(overloads) == 1 && !p.HasDefault {
				required = append(required, p.Name)
			}
		}
	}
	f := overloads[0]
	summary, description := splitComment(f.Comment)
	result := map[string]any{}
	if rel := f.Return.Relation; rel != nil {
		if _, ok := b.schemas[key(rel.Name)]; ok && rel.Schema == b.schema {
			result = ref("schemas", key(rel.Name))
			if f.Return.SetOf {
				result = map[string]any{"type": "array", "items": result}
			}
		}
	}
	responses := map[string]any{
		"200": map[string]any{"description": "OK", "content": map[string]any{"application/json": map[string]any{"schema": result}}},
		"204": map[string]any{"description": "No Content (the function returns void)"},
	}
	op := func(id string) map[string]any {
		o := map[string]any{"tags": []string{"(rpc) " + name}, "operationId": id + "_rpc_" + key(name), "responses": responses}
		if summary != "" {
			o["summary"] = summary
		}
		if description != "" {
			o["description"] = description
		}
		return o
	}
	args := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		args["required"] = required
	}
	post := op("post")
	post["parameters"] = []any{ref("parameters", "preferParams")}
	post["requestBody"] = map[string]any{"required": len(required) > 0, "content": map[string]any{
		"application/json": map[string]any{"schema": args},
	}}
	item := map[string]any{"post": post}
	if !volatile {
		get := op("get")
		var params []any
		req := map[string]bool{}
		for _, r := range required {
			req[r] = true
		}
		for _, n := range order {
			p := queryParam(n, "", props[n].(map[string]any))
			p["required"] = req[n]
			if _, isArray := props[n].(map[string]any)["items"]; isArray {
				p["explode"] = true
			}
			delete(p, "description")
			params = append(params, p)
		}
		get["parameters"] = params
		item["get"] = get
	}
	b.paths["/rpc/"+url.PathEscape(name)] = item
}
