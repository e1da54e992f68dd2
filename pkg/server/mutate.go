package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/rocksteady/rocksteady/pkg/apierr"
	"github.com/rocksteady/rocksteady/pkg/apireq"
	"github.com/rocksteady/rocksteady/pkg/auth"
	"github.com/rocksteady/rocksteady/pkg/plan"
	"github.com/rocksteady/rocksteady/pkg/response"
	"github.com/rocksteady/rocksteady/pkg/sqlgen"
	"github.com/rocksteady/rocksteady/pkg/txn"
)

var writeKinds = map[plan.MutationKind]response.WriteKind{
	plan.MutInsert: response.WriteInsert,
	plan.MutUpdate: response.WriteUpdate,
	plan.MutDelete: response.WriteDelete,
	plan.MutPut:    response.WritePut,
}

// mutate runs a planned POST/PATCH/PUT/DELETE in one read-write transaction. The checks
// that need the affected-row count (singular, max-affected, PUT's key match) are made by
// the statement itself (sqlgen/check.go) and roll the transaction back when they fail.
func (p *pipeline) mutate(ctx context.Context, r *http.Request, req *apireq.Request, who auth.Result, m *plan.Mutation) (*response.Response, *apierr.Error) {
	sql, args, err := sqlgen.Mutation(m)
	if err != nil {
		p.log.Error("sqlgen", "err", err)
		return nil, apierr.Internal()
	}
	noteSQL(ctx, sql)
	settings := p.settings(r, req, who)
	if m.CountInserted {
		settings = append(settings, txn.Setting{Name: sqlgen.InsertedSetting, Value: "0"})
	}
	q := &txn.Query{
		Settings:   settings,
		PreRequest: p.preRequest,
		SQL:        sql,
		Args:       args,
		Anonymous:  who.Anonymous,
		Rollback:   m.Rollback,
		Isolation:  p.isolation(who, ""),
	}
	if sqlgen.MutationCheck(m).Needed() {
		q.Refusal = refusal
	}
	res, err := p.st.Runner.Run(ctx, q)
	if err != nil {
		return nil, p.runError(err)
	}
	row := res.Row
	if row == nil {
		return nil, apierr.Internal()
	}
	affected := txn.ParseCount(row[sqlgen.ColPage])
	out := response.Write{
		Kind:              writeKinds[m.Kind],
		Representation:    m.Body != plan.BodyNone,
		ContentType:       m.ContentType,
		Body:              row[sqlgen.ColBody],
		Affected:          affected,
		Counted:           m.Count,
		Inserted:          txn.ParseCount(row[sqlgen.ColInserted]),
		MergeDuplicates:   m.ResolutionApplied && !m.IgnoreDuplicates,
		PreferenceApplied: m.PreferenceApplied,
		GUCHeaders:        row[sqlgen.ColResponseHeaders],
		GUCStatus:         row[sqlgen.ColResponseStatus],
	}
	if m.Location && txn.ParseCount(row[sqlgen.ColAffected]) == 1 {
		out.Location = location(req.Target.Name, m.PrimaryKey, row[sqlgen.ColLocation])
	}
	if req.SchemaNegotiated {
		out.ContentProfile = req.Schema
	}
	return response.ForWrite(out)
}

// refusal recognises a write's or call's failed row-count check (sqlgen.Refusal); a nil
// *apierr.Error must come back as a nil error, not as an error holding nil.
func refusal(message string) error {
	if e := sqlgen.Refusal(message); e != nil {
		return e
	}
	return nil
}

// location renders /<table>?pk1=eq.v1&pk2=is.null from the inserted row's key values.
func location(table string, pk []string, raw []byte) string {
	var rows [][]*string
	if err := json.Unmarshal(raw, &rows); err != nil || len(rows) != 1 || len(rows[0]) != len(pk) {
		return ""
	}
	var sb strings.Builder
	sb.WriteString("/" + url.PathEscape(table) + "?")
	for i, col := range pk {
		if i > 0 {
			sb.WriteByte('&')
		}
		sb.WriteString(url.QueryEscape(col))
		if v := rows[0][i]; v == nil {
			sb.WriteString("=is.null")
		} else {
			sb.WriteString("=eq." + url.QueryEscape(*v))
		}
	}
	return sb.String()
}
