package server

import (
	"context"
	"net/http"

	"github.com/rocksteady/rocksteady/pkg/apierr"
	"github.com/rocksteady/rocksteady/pkg/apireq"
	"github.com/rocksteady/rocksteady/pkg/auth"
	"github.com/rocksteady/rocksteady/pkg/plan"
	"github.com/rocksteady/rocksteady/pkg/response"
	"github.com/rocksteady/rocksteady/pkg/schema"
	"github.com/rocksteady/rocksteady/pkg/sqlgen"
	"github.com/rocksteady/rocksteady/pkg/txn"
)

// call runs a planned /rpc/<fn> request.
func (p *pipeline) call(ctx context.Context, r *http.Request, req *apireq.Request, who auth.Result, c *plan.Call) (*response.Response, *apierr.Error) {
	sql, args, err := sqlgen.Call(c)
	if err != nil {
		if e, ok := apierr.As(err); ok {
			return nil, e
		}
		p.log.Error("sqlgen", "err", err)
		return nil, apierr.Internal()
	}
	noteSQL(ctx, sql)
	settings := p.settings(r, req, who)
	for _, s := range c.Settings {
		settings = append(settings, txn.Setting{Name: s.Name, Value: s.Value})
	}
	q := &txn.Query{
		ReadOnly:   c.ReadOnly,
		Rollback:   c.Rollback,
		Settings:   settings,
		PreRequest: p.preRequest,
		SQL:        sql,
		Args:       args,
		Anonymous:  who.Anonymous,
		AllRows:    c.Explain != nil,
		Isolation:  p.isolation(who, c.Isolation),
	}
	// The statement checks its result itself, so a function's writes are rolled back when
	// the result is refused.
	if sqlgen.CallCheck(c).Needed() {
		q.Refusal = refusal
	}
	res, err := p.st.Runner.Run(ctx, q)
	if err != nil {
		return nil, p.runError(err)
	}
	if c.Explain != nil {
		return explainResponse(req, &c.Read, res), nil
	}
	row := res.Row
	if row == nil {
		return nil, apierr.Internal()
	}
	out := response.Read{
		Head:              req.Method == http.MethodHead,
		ContentType:       c.ContentType,
		Offset:            c.Offset,
		Total:             txn.ParseCount(row[sqlgen.ColTotal]),
		Page:              txn.ParseCount(row[sqlgen.ColPage]),
		Body:              row[sqlgen.ColBody],
		PreferenceApplied: c.PreferenceApplied,
		GUCHeaders:        row[sqlgen.ColResponseHeaders],
		GUCStatus:         row[sqlgen.ColResponseStatus],
	}
	if req.SchemaNegotiated {
		out.ContentProfile = req.Schema
	}
	if c.Shape == plan.ResultVoid {
		return voidResponse(out)
	}
	resp, rerr := response.ForRead(out)
	if rerr != nil {
		return nil, rerr
	}
	return resp, nil
}

// voidResponse: a function returning void answers 204 with no body, no Content-Type and
// no Content-Length (unless its response.status / response.headers say otherwise).
func voidResponse(r response.Read) (*response.Response, *apierr.Error) {
	h := http.Header{}
	h.Set("Content-Range", response.ContentRange(r.Offset, r.Page, r.Total))
	if r.PreferenceApplied != "" {
		h.Set("Preference-Applied", r.PreferenceApplied)
	}
	resp := &response.Response{Status: http.StatusNoContent, Header: h, NoBody: true, NoLength: true}
	if err := response.ApplyGUCs(resp, r.GUCHeaders, r.GUCStatus); err != nil {
		return nil, err
	}
	if resp.Status != http.StatusNoContent {
		resp.NoLength = false
	}
	return resp, nil
}

// rpcOptions answers OPTIONS /rpc/<fn> from the schema cache alone: the function must
// exist, and a VOLATILE one only allows POST.
func rpcOptions(req *apireq.Request, snap *schema.Snapshot) (*response.Response, *apierr.Error) {
	allow, err := plan.CallAllow(req, snap)
	if err != nil {
		return nil, asAPIError(err)
	}
	resp := options(req)
	resp.Header.Set("Allow", allow)
	return resp, nil
}
