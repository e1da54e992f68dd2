package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/rocksteady/rocksteady/pkg/apireq"
	"github.com/rocksteady/rocksteady/pkg/plan"
	"github.com/rocksteady/rocksteady/pkg/response"
	"github.com/rocksteady/rocksteady/pkg/sqlgen"
	"github.com/rocksteady/rocksteady/pkg/txn"
)

// warningAgent names the software in Warning headers; clients written for PostgREST
// match on its deprecation notices.
const warningAgent = "PostgRESTv12"

func warning(text string) string {
	return `299 ` + warningAgent + ` "` + text + `"`
}

// readTotal is the read's total row count (-1 when none was asked for): the statement's
// exact or limited count, or the planner's estimate from the EXPLAIN sent alongside.
func readTotal(pl *plan.Read, row [][]byte, also [][][][]byte) (int64, error) {
	total := txn.ParseCount(row[sqlgen.ColTotal])
	if !pl.NeedsPlannedCount() {
		return total, nil
	}
	if len(also) != 1 || len(also[0]) != 1 || len(also[0][0]) != 1 {
		return 0, errors.New("no EXPLAIN result for the planned count")
	}
	planned, err := planRows(also[0][0][0])
	if err != nil {
		return 0, err
	}
	if pl.Count == plan.CountPlanned {
		return planned, nil
	}
	// Estimated: the exact count stopped at max-rows + 1; past max-rows the estimate
	// wins when it is larger.
	if total > pl.MaxRows {
		return max(total, planned), nil
	}
	return total, nil
}

// planRows reads the top node's "Plan Rows" from EXPLAIN (FORMAT JSON) output.
func planRows(explain []byte) (int64, error) {
	var out []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		} `json:"Plan"`
	}
	if err := json.Unmarshal(explain, &out); err != nil {
		return 0, err
	}
	if len(out) == 0 {
		return 0, errors.New("empty EXPLAIN output")
	}
	return int64(out[0].Plan.Rows), nil
}

// explainResponse answers application/vnd.pgrst.plan: the EXPLAIN output, one line per row.
func explainResponse(req *apireq.Request, pl *plan.Read, res *txn.Result) *response.Response {
	var body bytes.Buffer
	for i, r := range res.Rows {
		if i > 0 {
			body.WriteByte('\n')
		}
		if len(r) > 0 {
			body.Write(r[0])
		}
	}
	h := http.Header{}
	h.Set("Content-Type", pl.ContentType)
	if req.SchemaNegotiated {
		h.Set("Content-Profile", req.Schema)
	}
	h.Set("Vary", "Accept, Prefer, Range")
	return &response.Response{Status: http.StatusOK, Header: h, Body: body.Bytes(),
		NoBody: req.Method == http.MethodHead, NoLength: req.Method == http.MethodHead}
}
