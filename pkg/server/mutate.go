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
// that need the affected-row count (singular, max-affected, PUT's key match) run before
// the transaction ends and roll it back when they fail.
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
	if m.Singular || m.MaxAffected >= 0 || m.Kind == plan.MutPut {
		q.Check = func(row [][]byte) error { return checkWrite(m, row) }
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

// checkWrite runs PostgREST's post-statement checks in its order: singular (PGRST116),
// max-affected (PGRST124), PUT key match (PGRST115).
func checkWrite(m *plan.Mutation, row [][]byte) error {
	if row == nil {
		return apierr.Internal()
	}
	// The checks count the rows written, even when filters on embeds leave some of them
	// out of the representation: a singular write never changes more than one row.
	n := txn.ParseCount(row[sqlgen.ColAffected])
	if err := checkCount(n, m.Singular, m.MaxAffected); err != nil {
		return err
	}
	if m.Kind == plan.MutPut && n != 1 {
		return apierr.PutMismatch()
	}
	return nil
}

// checkCount is the check writes and calls share, in PostgREST's order: a singular result
// must have exactly one row (PGRST116), and no more than maxAffected rows (PGRST124; -1
// means no limit).
func checkCount(n int64, singular bool, maxAffected int64) error {
	if singular && n != 1 {
		return apierr.Singular(n)
	}
	if maxAffected >= 0 && n > maxAffected {
		return apierr.MaxAffected(n)
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
