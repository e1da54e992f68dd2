package plan

import (
	"strconv"
	"strings"

	"github.com/rocksteady/rocksteady/pkg/apireq"
)

// txEnd decides how a transaction ends under PGRST_DB_TX_END and Prefer: tx, and whether
// the tx preference was honoured (only the *-allow-override settings honour it).
func txEnd(opts Options, p *apireq.Preferences) (rollback, honored bool) {
	switch opts.TxEnd {
	case "rollback":
		return true, false
	case "commit-allow-override":
		return p.Tx == apireq.TxRollback, p.Tx != apireq.TxUnset
	case "rollback-allow-override":
		return p.Tx != apireq.TxCommit, p.Tx != apireq.TxUnset
	}
	return false, false
}

// applied says which sent preferences a request honoured beyond those every request
// honours when sent (count, handling, timezone).
type applied struct {
	resolution, missing, ret, tx bool
	maxAffected                  int64 // -1 when not honoured
}

// preferenceApplied renders the Preference-Applied header in PostgREST's order:
// resolution, missing, return, count, tx, handling, timezone, max-affected.
func preferenceApplied(p *apireq.Preferences, a applied) string {
	var out []string
	if a.resolution {
		out = append(out, p.Resolution.String())
	}
	if a.missing && p.Missing != apireq.MissingUnset {
		out = append(out, p.Missing.String())
	}
	if a.ret && p.Return != apireq.ReturnUnset {
		out = append(out, p.Return.String())
	}
	if p.Count != apireq.CountUnset {
		out = append(out, p.Count.String())
	}
	if a.tx {
		out = append(out, p.Tx.String())
	}
	if p.Handling != apireq.HandlingUnset {
		out = append(out, p.Handling.String())
	}
	if p.HasTimezone {
		out = append(out, "timezone="+p.Timezone)
	}
	if a.maxAffected >= 0 {
		out = append(out, "max-affected="+strconv.FormatInt(a.maxAffected, 10))
	}
	return strings.Join(out, ", ")
}
