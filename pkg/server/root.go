package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/rocksteady/rocksteady/pkg/apierr"
	"github.com/rocksteady/rocksteady/pkg/apireq"
	"github.com/rocksteady/rocksteady/pkg/auth"
	"github.com/rocksteady/rocksteady/pkg/openapi"
	"github.com/rocksteady/rocksteady/pkg/response"
	"github.com/rocksteady/rocksteady/pkg/schema"
	"github.com/rocksteady/rocksteady/pkg/txn"
)

// Version is reported in the OpenAPI document's info.version.
const Version = "0.1.0"

// privilegesSQL asks, as the request's role, what it may do with each relation of the
// selected schema (owning it counts) and which of its functions it may execute.
const privilegesSQL = `WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = $1)
SELECT
  (SELECT coalesce(json_object_agg(c.relname, json_build_array(
      pg_has_role(c.relowner, 'USAGE') OR has_table_privilege(c.oid, 'SELECT') OR has_any_column_privilege(c.oid, 'SELECT'),
      pg_has_role(c.relowner, 'USAGE') OR has_table_privilege(c.oid, 'INSERT') OR has_any_column_privilege(c.oid, 'INSERT'),
      pg_has_role(c.relowner, 'USAGE') OR has_table_privilege(c.oid, 'UPDATE') OR has_any_column_privilege(c.oid, 'UPDATE'),
      pg_has_role(c.relowner, 'USAGE') OR has_table_privilege(c.oid, 'DELETE'))), '{}')
   FROM pg_class c, ns WHERE c.relnamespace = ns.oid AND c.relkind IN ('r', 'v', 'm', 'f', 'p')),
  (SELECT coalesce(json_agg(p.oid::int8), '[]')
   FROM pg_proc p, ns WHERE p.pronamespace = ns.oid AND has_function_privilege(p.oid, 'EXECUTE'))`

// root serves GET and HEAD on / with the OpenAPI document of the selected schema.
func (p *pipeline) root(ctx context.Context, r *http.Request, req *apireq.Request, who auth.Result, snap *schema.Snapshot) (*response.Response, *apierr.Error) {
	if !acceptsOpenAPI(req) {
		names := make([]string, len(req.Accept))
		for i, m := range req.Accept {
			names[i] = m.Raw
		}
		return nil, apierr.MediaTypes(names)
	}
	var allowed *openapi.Allowed
	if p.cfg.OpenAPIMode != "ignore-privileges" {
		res, err := p.st.Runner.Run(ctx, &txn.Query{
			ReadOnly:   true,
			Settings:   p.settings(r, req, who),
			PreRequest: p.preRequest,
			SQL:        privilegesSQL,
			Args:       [][]byte{[]byte(req.Schema)},
			Anonymous:  who.Anonymous,
		})
		if err != nil {
			return nil, p.runError(err)
		}
		allowed, err = parsePrivileges(res.Row)
		if err != nil {
			p.log.Error("openapi privileges", "err", err)
			return nil, apierr.Internal()
		}
	}
	body, err := openapi.Build(snap, req.Schema, allowed, openapi.Options{Version: Version, ServerURL: p.cfg.OpenAPIServerProxyURI})
	if err != nil {
		p.log.Error("openapi", "err", err)
		return nil, apierr.Internal()
	}
	h := http.Header{}
	h.Set("Content-Type", "application/openapi+json; charset=utf-8")
	if req.SchemaNegotiated {
		h.Set("Content-Profile", req.Schema)
	}
	if req.Method == http.MethodHead {
		return &response.Response{Status: http.StatusOK, Header: h, NoBody: true}, nil
	}
	return &response.Response{Status: http.StatusOK, Header: h, Body: body}, nil
}

func acceptsOpenAPI(req *apireq.Request) bool {
	if len(req.Accept) == 0 {
		return true
	}
	for _, m := range req.Accept {
		switch m.Kind {
		case apireq.MediaAny, apireq.MediaJSON, apireq.MediaOpenAPI:
			return true
		}
	}
	return false
}

func parsePrivileges(row [][]byte) (*openapi.Allowed, error) {
	if len(row) < 2 {
		return nil, errShortRow
	}
	var rels map[string][4]bool
	if err := json.Unmarshal(row[0], &rels); err != nil {
		return nil, err
	}
	var fns []uint32
	if err := json.Unmarshal(row[1], &fns); err != nil {
		return nil, err
	}
	a := &openapi.Allowed{Relations: make(map[string]openapi.Privileges, len(rels)), Functions: make(map[uint32]bool, len(fns))}
	for name, p := range rels {
		if p[0] || p[1] || p[2] || p[3] {
			a.Relations[name] = openapi.Privileges{Select: p[0], Insert: p[1], Update: p[2], Delete: p[3]}
		}
	}
	for _, oid := range fns {
		a.Functions[oid] = true
	}
	return a, nil
}

var errShortRow = errors.New("privileges query returned too few columns")
